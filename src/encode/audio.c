/* audio.c — the sound track: any file libavformat reads is decoded,
 * resampled with libswresample to the encoder's sample format at 48 kHz
 * stereo, laid on the video's timeline (silence before a positive offset,
 * the start cut for a negative one, silence after a short file, the end cut
 * from a long one) and encoded (AAC or Opus) in frame-size chunks taken
 * from an AVAudioFifo.
 *
 * The shape follows FFmpeg's doc/examples/transcode_aac.c. */
#include "mux_extras.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include <libavcodec/avcodec.h>
#include <libavutil/audio_fifo.h>
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>

#include "sinks.h"

#define RATE 48000         /* Hz: what Opus always runs at, and AAC's usual rate */
#define BIT_RATE 128000    /* bits per second for stereo speech and music */
#define DEFAULT_CHUNK 1024 /* samples per frame for an encoder that takes any size */

sk_audio_plan sk_audio_plan_make(double offset, double duration, int rate)
{
    sk_audio_plan plan = {.total = llround(duration * rate)};
    if (plan.total < 0)
        plan.total = 0;
    if (offset > 0)
        plan.lead = llround(offset * rate) < plan.total ? llround(offset * rate) : plan.total;
    else
        plan.skip = llround(-offset * rate);
    return plan;
}

struct sk_audio_track {
    const char *path;   /* the output, for messages */
    const char *source; /* the audio file */
    AVFormatContext *input;
    int input_index; /* the audio stream within input */
    AVCodecContext *decoder, *encoder;
    AVStream *stream; /* ours, in the output */
    SwrContext *swr;
    AVAudioFifo *fifo;
    AVFrame *decoded, *converted, *chunk;
    AVPacket *packet;
    sk_audio_plan plan;
    int chunk_size; /* samples per encoded frame */
    int64_t queued; /* samples put on the timeline so far (silence included) */
    int64_t skipped;
    int64_t next_pts;
    AVPacket *input_packet; /* read from the source */
    bool source_done;       /* read to its end, decoder and resampler drained */
};

/* ---- opening ------------------------------------------------------------- */

static sk_status open_source(sk_audio_track *t, sk_error *err)
{
    int rc = avformat_open_input(&t->input, t->source, NULL, NULL);
    if (rc >= 0)
        rc = avformat_find_stream_info(t->input, NULL);
    if (rc < 0)
        return sk_error_set(err, SK_EINPUT, "%s: cannot read it as audio: %s", t->source,
                            av_err2str(rc));
    const AVCodec *codec = NULL;
    rc = av_find_best_stream(t->input, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
    if (rc < 0)
        return sk_error_set(err, SK_EINPUT, "%s: has no audio stream that can be decoded",
                            t->source);
    t->input_index = rc;
    t->decoder = avcodec_alloc_context3(codec);
    if (!t->decoder)
        return sk_error_nomem(err);
    rc = avcodec_parameters_to_context(t->decoder, t->input->streams[rc]->codecpar);
    if (rc >= 0)
        rc = avcodec_open2(t->decoder, codec, NULL);
    if (rc < 0)
        return sk_error_set(err, SK_EINPUT, "%s: cannot decode its audio: %s", t->source,
                            av_err2str(rc));
    return SK_OK;
}

static sk_status open_encoder(sk_audio_track *t, AVFormatContext *mux, const char *name,
                              sk_error *err)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    if (!codec)
        return sk_error_set(err, SK_ERUNTIME, "%s: this FFmpeg has no %s audio encoder", t->path,
                            name);
    t->encoder = avcodec_alloc_context3(codec);
    if (!t->encoder)
        return sk_error_nomem(err);
    AVCodecContext *c = t->encoder;
    c->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
    c->sample_rate = RATE;
    c->bit_rate = BIT_RATE;
    c->time_base = (AVRational){1, RATE};
    int rc = av_channel_layout_copy(&c->ch_layout, &(AVChannelLayout)AV_CHANNEL_LAYOUT_STEREO);
    if (rc < 0)
        return sk_av_error(err, t->path, "cannot set the audio channels", rc);
    if (mux->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    rc = avcodec_open2(c, codec, NULL);
    if (rc < 0)
        return sk_av_error(err, t->path, "cannot open the audio encoder", rc);
    t->chunk_size = c->frame_size > 0 ? c->frame_size : DEFAULT_CHUNK;
    t->stream = avformat_new_stream(mux, NULL);
    if (!t->stream)
        return sk_error_nomem(err);
    rc = avcodec_parameters_from_context(t->stream->codecpar, c);
    if (rc < 0)
        return sk_av_error(err, t->path, "cannot describe the audio stream", rc);
    t->stream->time_base = c->time_base;
    return SK_OK;
}

static sk_status open_resampler(sk_audio_track *t, sk_error *err)
{
    AVChannelLayout in = {0};
    int rc = t->decoder->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC
                 ? (av_channel_layout_default(&in, t->decoder->ch_layout.nb_channels), 0)
                 : av_channel_layout_copy(&in, &t->decoder->ch_layout);
    if (rc >= 0)
        rc = swr_alloc_set_opts2(&t->swr, &t->encoder->ch_layout, t->encoder->sample_fmt, RATE, &in,
                                 t->decoder->sample_fmt, t->decoder->sample_rate, 0, NULL);
    av_channel_layout_uninit(&in);
    if (rc >= 0)
        rc = swr_init(t->swr);
    if (rc < 0)
        return sk_error_set(
            err, SK_EINPUT, "%s: cannot resample its audio (%d channels, %d Hz): %s", t->source,
            t->decoder->ch_layout.nb_channels, t->decoder->sample_rate, av_err2str(rc));
    t->fifo = av_audio_fifo_alloc(t->encoder->sample_fmt, t->encoder->ch_layout.nb_channels,
                                  t->chunk_size);
    t->decoded = av_frame_alloc();
    t->converted = av_frame_alloc();
    t->chunk = av_frame_alloc();
    t->packet = av_packet_alloc();
    t->input_packet = av_packet_alloc();
    if (!t->fifo || !t->decoded || !t->converted || !t->chunk || !t->packet || !t->input_packet)
        return sk_error_nomem(err);
    return SK_OK;
}

sk_status sk_audio_track_open(AVFormatContext *mux, const char *encoder_name,
                              const sk_extras *extras, const char *path, sk_audio_track **out,
                              sk_error *err)
{
    *out = NULL;
    sk_audio_track *t = calloc(1, sizeof *t);
    if (!t)
        return sk_error_nomem(err);
    t->path = path;
    t->source = extras->audio_path;
    t->plan = sk_audio_plan_make(extras->audio_offset, extras->duration, RATE);
    sk_status status = open_source(t, err);
    if (status == SK_OK)
        status = open_encoder(t, mux, encoder_name, err);
    if (status == SK_OK)
        status = open_resampler(t, err);
    if (status != SK_OK) {
        sk_audio_track_free(t);
        return status;
    }
    *out = t; /* ownership moves to the caller */
    return SK_OK;
}

sk_status sk_audio_probe(const char *path, sk_error *err)
{
    sk_audio_track t = {.path = path, .source = path};
    sk_status status = open_source(&t, err);
    avcodec_free_context(&t.decoder);
    avformat_close_input(&t.input);
    return status;
}

void sk_audio_track_free(sk_audio_track *t)
{
    if (!t)
        return;
    av_packet_free(&t->input_packet);
    av_packet_free(&t->packet);
    av_frame_free(&t->chunk);
    av_frame_free(&t->converted);
    av_frame_free(&t->decoded);
    if (t->fifo)
        av_audio_fifo_free(t->fifo);
    swr_free(&t->swr);
    avcodec_free_context(&t->encoder);
    avcodec_free_context(&t->decoder);
    avformat_close_input(&t->input);
    free(t);
}

/* ---- encoding ------------------------------------------------------------ */

/* Moves every packet the encoder has ready into the muxer. */
static sk_status mux_ready_packets(sk_audio_track *t, AVFormatContext *mux, sk_error *err)
{
    for (;;) {
        int rc = avcodec_receive_packet(t->encoder, t->packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return SK_OK;
        if (rc < 0)
            return sk_av_error(err, t->path, "cannot encode the audio", rc);
        av_packet_rescale_ts(t->packet, t->encoder->time_base, t->stream->time_base);
        t->packet->stream_index = t->stream->index;
        rc = av_interleaved_write_frame(mux, t->packet);
        if (rc < 0)
            return sk_av_error(err, t->path, "cannot write the audio", rc);
    }
}

/* Encodes n samples from the FIFO's front (n <= chunk_size). */
static sk_status encode_chunk(sk_audio_track *t, AVFormatContext *mux, int n, sk_error *err)
{
    av_frame_unref(t->chunk);
    t->chunk->nb_samples = n;
    t->chunk->format = t->encoder->sample_fmt;
    t->chunk->sample_rate = RATE;
    int rc = av_channel_layout_copy(&t->chunk->ch_layout, &t->encoder->ch_layout);
    if (rc >= 0)
        rc = av_frame_get_buffer(t->chunk, 0);
    if (rc >= 0 && av_audio_fifo_read(t->fifo, (void **)t->chunk->data, n) != n)
        rc = AVERROR_BUG;
    if (rc < 0)
        return sk_av_error(err, t->path, "cannot take audio from the queue", rc);
    t->chunk->pts = t->next_pts;
    t->next_pts += n;
    rc = avcodec_send_frame(t->encoder, t->chunk);
    if (rc < 0)
        return sk_av_error(err, t->path, "cannot encode the audio", rc);
    return mux_ready_packets(t, mux, err);
}

static sk_status encode_full_chunks(sk_audio_track *t, AVFormatContext *mux, sk_error *err)
{
    sk_status status = SK_OK;
    while (status == SK_OK && av_audio_fifo_size(t->fifo) >= t->chunk_size)
        status = encode_chunk(t, mux, t->chunk_size, err);
    return status;
}

/* Puts samples first .. first + n of frame on the timeline. */
static sk_status queue_samples(sk_audio_track *t, const AVFrame *frame, int first, int n,
                               sk_error *err)
{
    uint8_t *planes[AV_NUM_DATA_POINTERS] = {0};
    int channels = t->encoder->ch_layout.nb_channels;
    int bytes = av_get_bytes_per_sample(t->encoder->sample_fmt);
    bool planar = av_sample_fmt_is_planar(t->encoder->sample_fmt);
    for (int p = 0; p < (planar ? channels : 1); p++)
        planes[p] = frame->extended_data[p] + (size_t)first * bytes * (planar ? 1 : channels);
    if (av_audio_fifo_write(t->fifo, (void **)planes, n) != n)
        return sk_error_nomem(err);
    t->queued += n;
    return SK_OK;
}

/* Queues up to n samples of silence, stopping at the plan's total. */
static sk_status queue_silence(sk_audio_track *t, AVFormatContext *mux, int64_t n, sk_error *err)
{
    sk_status status = SK_OK;
    while (status == SK_OK && n > 0) {
        int part = n < t->chunk_size ? (int)n : t->chunk_size;
        av_frame_unref(t->converted);
        t->converted->nb_samples = part;
        t->converted->format = t->encoder->sample_fmt;
        int rc = av_channel_layout_copy(&t->converted->ch_layout, &t->encoder->ch_layout);
        if (rc >= 0)
            rc = av_frame_get_buffer(t->converted, 0);
        if (rc < 0)
            return sk_av_error(err, t->path, "cannot make silence", rc);
        av_samples_set_silence(t->converted->extended_data, 0, part,
                               t->converted->ch_layout.nb_channels, t->encoder->sample_fmt);
        status = queue_samples(t, t->converted, 0, part, err);
        if (status == SK_OK)
            status = encode_full_chunks(t, mux, err);
        n -= part;
    }
    return status;
}

/* Resamples a decoded frame (NULL: what the resampler still holds) and puts
 * what the plan wants of it on the timeline. */
static sk_status place_frame(sk_audio_track *t, AVFormatContext *mux, const AVFrame *in,
                             sk_error *err)
{
    int room = swr_get_out_samples(t->swr, in ? in->nb_samples : 0);
    if (room <= 0)
        return SK_OK;
    av_frame_unref(t->converted);
    t->converted->nb_samples = room;
    t->converted->format = t->encoder->sample_fmt;
    int rc = av_channel_layout_copy(&t->converted->ch_layout, &t->encoder->ch_layout);
    if (rc >= 0)
        rc = av_frame_get_buffer(t->converted, 0);
    if (rc >= 0)
        rc = swr_convert(t->swr, t->converted->extended_data, room,
                         in ? (const uint8_t **)in->extended_data : NULL, in ? in->nb_samples : 0);
    if (rc < 0)
        return sk_av_error(err, t->path, "cannot resample the audio", rc);
    int first = 0, n = rc;
    int64_t to_skip = t->plan.skip - t->skipped;
    if (to_skip > 0) {
        first = to_skip < n ? (int)to_skip : n;
        t->skipped += first;
    }
    int64_t wanted = t->plan.total - t->queued;
    int take = (int64_t)(n - first) < wanted ? n - first : (int)wanted;
    if (take <= 0)
        return SK_OK;
    sk_status status = queue_samples(t, t->converted, first, take, err);
    return status == SK_OK ? encode_full_chunks(t, mux, err) : status;
}

/* Sends one packet (NULL: end of input) to the decoder and places every
 * frame that comes out. */
static sk_status decode(sk_audio_track *t, AVFormatContext *mux, const AVPacket *packet,
                        sk_error *err)
{
    int rc = avcodec_send_packet(t->decoder, packet);
    if (rc < 0 && rc != AVERROR_EOF)
        return sk_error_set(err, SK_EINPUT, "%s: cannot decode its audio: %s", t->source,
                            av_err2str(rc));
    for (;;) {
        rc = avcodec_receive_frame(t->decoder, t->decoded);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return SK_OK;
        if (rc < 0)
            return sk_error_set(err, SK_EINPUT, "%s: cannot decode its audio: %s", t->source,
                                av_err2str(rc));
        sk_status status = place_frame(t, mux, t->decoded, err);
        av_frame_unref(t->decoded);
        if (status != SK_OK)
            return status;
    }
}

/* Reads the source until the timeline holds `target` samples or the file
 * has ended (then drains the decoder and the resampler). */
static sk_status read_source(sk_audio_track *t, AVFormatContext *mux, int64_t target, sk_error *err)
{
    sk_status status = SK_OK;
    while (status == SK_OK && !t->source_done && t->queued < target) {
        int rc = av_read_frame(t->input, t->input_packet);
        if (rc == AVERROR_EOF) {
            t->source_done = true;
            status = decode(t, mux, NULL, err); /* drain the decoder */
            if (status == SK_OK)
                status = place_frame(t, mux, NULL, err); /* and the resampler */
        } else if (rc < 0) {
            status = sk_error_set(err, SK_EINPUT, "%s: cannot read its audio: %s", t->source,
                                  av_err2str(rc));
        } else if (t->input_packet->stream_index == t->input_index) {
            status = decode(t, mux, t->input_packet, err);
        }
        av_packet_unref(t->input_packet);
    }
    return status;
}

sk_status sk_audio_track_write(sk_audio_track *t, AVFormatContext *mux, double until, sk_error *err)
{
    int64_t target = llround(until * RATE);
    target = target < t->plan.total ? target : t->plan.total;
    sk_status status = SK_OK;
    if (t->queued < t->plan.lead) /* silence before a positive offset */
        status =
            queue_silence(t, mux, (t->plan.lead < target ? t->plan.lead : target) - t->queued, err);
    if (status == SK_OK && t->queued >= t->plan.lead)
        status = read_source(t, mux, target, err);
    if (status == SK_OK && t->source_done && t->queued < target)
        status = queue_silence(t, mux, target - t->queued, err); /* after a short file */
    return status;
}

sk_status sk_audio_track_finish(sk_audio_track *t, AVFormatContext *mux, sk_error *err)
{
    sk_status status = sk_audio_track_write(t, mux, (double)t->plan.total / RATE, err);
    /* A long file stops being read at the video's end: not done, but full. */
    if (status == SK_OK && t->queued < t->plan.total)
        status = queue_silence(t, mux, t->plan.total - t->queued, err);
    int rest = av_audio_fifo_size(t->fifo);
    if (status == SK_OK && rest > 0)
        status = encode_chunk(t, mux, rest, err); /* a short last frame */
    if (status != SK_OK)
        return status;
    int rc = avcodec_send_frame(t->encoder, NULL); /* enter draining mode */
    if (rc < 0)
        return sk_av_error(err, t->path, "cannot flush the audio encoder", rc);
    return mux_ready_packets(t, mux, err);
}
