/* video.c — the MP4 sink: BGRA -> yuv420p (BT.709, limited range) with
 * swscale, H.264 with libx264, muxed as MP4 with the index up front
 * (+faststart) into a temporary file that finish() renames into place.
 *
 * The shape follows FFmpeg's doc/examples/mux.c and encode_video.c: every
 * call checked, send_frame/receive_packet loop, drain with a NULL frame. */
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/opt.h>

#include "mux_extras.h"
#include "sinks.h"
#include "../fileio/fileio.h"

#define ENCODER_NAME "libx264"
#define CRF_MAX 51 /* x264's constant rate factor runs 0 (lossless) .. 51 */

/* x264's presets (x264_preset_names), so that a typo is the user's input
 * error with the list in the message instead of a bare EINVAL at open. */
static const char *const presets[] = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo",
};
#define PRESET_LIST                                                                                \
    "ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, "                         \
    "veryslow, placebo"

/* Area averaging, with chroma computed from every input pixel before it is
 * subsampled: measured faster than bilinear at equal quality. */
#define SWS_FLAGS (SWS_AREA | SWS_FULL_CHR_H_INP)

typedef struct mp4_sink {
    const char *path;     /* borrowed from the sink (see sinks.h) */
    sk_tempfile tmp;      /* where the muxer writes until finish() */
    AVFormatContext *mux; /* owns stream and, once opened, mux->pb */
    AVStream *stream;
    AVCodecContext *encoder;
    AVPacket *packet; /* reused; emptied by every write */
    int64_t next_pts; /* frames sent so far, in 1/fps units */

    /* Subtitle stream, chapters and audio (mux_extras.h). */
    sk_mux_extras *extras;
} mp4_sink;

/* One frame converted to yuv420p, by whichever thread fills it. */
typedef struct mp4_frame {
    const char *path; /* the sink's, for messages */
    struct SwsContext *sws;
    AVFrame *frame;
} mp4_frame;

static sk_status check_options(const sk_sink_options *o, sk_error *err)
{
    if (o->crf < 0 || o->crf > CRF_MAX)
        return sk_error_set(err, SK_EINPUT, "%s: crf %d is outside 0..%d", o->path, o->crf,
                            CRF_MAX);
    for (size_t i = 0; o->preset && i < sizeof presets / sizeof presets[0]; i++)
        if (strcmp(o->preset, presets[i]) == 0)
            return SK_OK;
    return sk_error_set(err, SK_EINPUT, "%s: unknown x264 preset \"%s\"; use one of: %s", o->path,
                        o->preset ? o->preset : "(none)", PRESET_LIST);
}

/* The temporary file is created here (failing early if the directory is
 * missing or read-only) and reopened by name through avio_open below. */
static sk_status alloc_muxer(mp4_sink *s, sk_error *err)
{
    sk_status status = sk_tempfile_create(&s->tmp, s->path, err);
    if (status == SK_OK)
        status = sk_tempfile_close(&s->tmp, s->path, err);
    if (status != SK_OK)
        return status;
    /* "mp4" by name: the temporary name ends in .part, not .mp4. */
    int rc = avformat_alloc_output_context2(&s->mux, NULL, "mp4", s->tmp.path);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot set up the mp4 muxer", rc);
    s->stream = avformat_new_stream(s->mux, NULL);
    if (!s->stream)
        return sk_error_nomem(err);
    return SK_OK;
}

/* Size, rate and colour tags: the tags travel to the H.264 VUI (libx264
 * reads them), to the stream's codecpar and from there to the mp4 'colr'
 * box, so players do not guess BT.601 for our HD frames. */
static void describe_video(AVCodecContext *c, const sk_sink_options *o)
{
    c->width = o->width;
    c->height = o->height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = (AVRational){1, o->fps};
    c->framerate = (AVRational){o->fps, 1};
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_range = AVCOL_RANGE_MPEG;
    c->thread_count = 0; /* one per core, x264 decides */
}

static sk_status set_private_options(mp4_sink *s, const sk_sink_options *o, sk_error *err)
{
    int rc = av_opt_set_int(s->encoder->priv_data, "crf", o->crf, 0);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot set " ENCODER_NAME " option crf", rc);
    rc = av_opt_set(s->encoder->priv_data, "preset", o->preset, 0);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot set " ENCODER_NAME " option preset", rc);
    return SK_OK;
}

static sk_status open_encoder(mp4_sink *s, const sk_sink_options *o, sk_error *err)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(ENCODER_NAME);
    if (!codec)
        return sk_error_set(err, SK_ERUNTIME, "%s: this FFmpeg has no " ENCODER_NAME " encoder",
                            s->path);
    /* Allocated with the codec so that libx264's own defaults apply (keyint
     * 250 rather than libavcodec's generic gop of 12). */
    s->encoder = avcodec_alloc_context3(codec);
    if (!s->encoder)
        return sk_error_nomem(err);
    describe_video(s->encoder, o);
    if (s->mux->oformat->flags & AVFMT_GLOBALHEADER)
        s->encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER; /* SPS/PPS in avcC, not in-band */
    sk_status status = set_private_options(s, o, err);
    if (status != SK_OK)
        return status;
    int rc = avcodec_open2(s->encoder, codec, NULL);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot open encoder " ENCODER_NAME, rc);
    return SK_OK;
}

static sk_status describe_stream(mp4_sink *s, int fps, sk_error *err)
{
    int rc = avcodec_parameters_from_context(s->stream->codecpar, s->encoder);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot copy the encoder's parameters", rc);
    /* A hint only: the muxer picks its own time base in write_header. */
    s->stream->time_base = s->encoder->time_base;
    s->stream->avg_frame_rate = (AVRational){fps, 1};
    s->stream->r_frame_rate = (AVRational){fps, 1};
    return SK_OK;
}

static sk_status write_header(mp4_sink *s, sk_error *err)
{
    int rc = avio_open(&s->mux->pb, s->tmp.path, AVIO_FLAG_WRITE);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot open the temporary file", rc);
    AVDictionary *options = NULL;
    /* Moves moov before mdat at the trailer, so playback can start before
     * the whole file has arrived. */
    rc = av_dict_set(&options, "movflags", "+faststart", 0);
    if (rc >= 0)
        rc = avformat_write_header(s->mux, &options);
    int ignored = av_dict_count(options); /* what the muxer did not take */
    av_dict_free(&options);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot write the mp4 header", rc);
    if (ignored > 0)
        return sk_error_set(err, SK_ERUNTIME, "%s: the mp4 muxer ignored movflags=+faststart",
                            s->path);
    return SK_OK;
}

static sk_status open_converter(mp4_frame *s, int w, int h, sk_error *err)
{
    s->sws = sws_getContext(w, h, AV_PIX_FMT_BGRA, w, h, AV_PIX_FMT_YUV420P, SWS_FLAGS, NULL, NULL,
                            NULL);
    if (!s->sws)
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot set up BGRA to yuv420p conversion",
                            s->path);
    /* BT.709 matrix, limited (MPEG) range out, matching the tags. The RGB
     * side's range flag is ignored by swscale (RGB is always full). */
    const int *bt709 = sws_getCoefficients(SWS_CS_ITU709);
    int rc = sws_setColorspaceDetails(s->sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot select BT.709 for the conversion",
                           AVERROR(ENOTSUP));
    return sk_av_frame_new(AV_PIX_FMT_YUV420P, w, h, &s->frame, s->path, err);
}

static void mp4_free(void *state)
{
    mp4_sink *s = state;
    if (!s)
        return;
    av_packet_free(&s->packet);
    avcodec_free_context(&s->encoder);
    sk_mux_extras_free(s->extras);
    if (s->mux) {
        avio_closep(&s->mux->pb); /* no trailer: the file is being dropped */
        avformat_free_context(s->mux);
    }
    sk_tempfile_abandon(&s->tmp); /* no-op once finish() renamed it */
    free(s);
}

static sk_status mp4_open(const sk_sink_options *o, void **state, sk_error *err)
{
    sk_status status = check_options(o, err);
    if (status != SK_OK)
        return status;
    mp4_sink *s = calloc(1, sizeof *s);
    if (!s)
        return sk_error_nomem(err);
    s->path = o->path;
    s->tmp = SK_TEMPFILE_EMPTY;
    status = alloc_muxer(s, err);
    if (status == SK_OK)
        status = open_encoder(s, o, err);
    if (status == SK_OK)
        status = describe_stream(s, o->fps, err);
    if (status == SK_OK && !(s->packet = av_packet_alloc()))
        status = sk_error_nomem(err);
    if (status == SK_OK)
        status = sk_mux_extras_open(s->mux, o->extras, s->path, &s->extras, err);
    if (status == SK_OK)
        status = write_header(s, err);
    if (status != SK_OK) {
        mp4_free(s);
        return status;
    }
    *state = s; /* ownership moves to the sink */
    return SK_OK;
}

/* Moves every packet the encoder has ready into the muxer. Stops at EAGAIN
 * (needs more input) or, while draining, at EOF. */
static sk_status mux_ready_packets(mp4_sink *s, sk_error *err)
{
    for (;;) {
        int rc = avcodec_receive_packet(s->encoder, s->packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return SK_OK;
        if (rc < 0)
            return sk_av_error(err, s->path, "cannot encode", rc);
        av_packet_rescale_ts(s->packet, s->encoder->time_base, s->stream->time_base);
        s->packet->stream_index = s->stream->index;
        /* Takes the packet's contents and leaves it empty for the next one. */
        rc = av_interleaved_write_frame(s->mux, s->packet);
        /* avio keeps a failed write (a full disk) in pb->error rather than
         * returning it: look, so the render stops now, not at the trailer. */
        if (rc >= 0 && s->mux->pb->error < 0)
            rc = s->mux->pb->error;
        if (rc < 0)
            return sk_av_error(err, s->path, "cannot write", rc);
    }
}

static void mp4_frame_free(void *state)
{
    mp4_frame *f = state;
    if (!f)
        return;
    av_frame_free(&f->frame);
    sws_freeContext(f->sws);
    free(f);
}

static sk_status mp4_frame_new(void *state, void **out, sk_error *err)
{
    const mp4_sink *s = state;
    mp4_frame *f = calloc(1, sizeof *f);
    if (!f)
        return sk_error_nomem(err);
    f->path = s->path;
    sk_status status = open_converter(f, s->encoder->width, s->encoder->height, err);
    if (status != SK_OK) {
        mp4_frame_free(f);
        return status;
    }
    *out = f; /* ownership moves to the caller */
    return SK_OK;
}

static sk_status mp4_frame_fill(void *state, const uint8_t *bgra, int stride, sk_error *err)
{
    mp4_frame *f = state;
    return sk_av_convert(f->sws, bgra, stride, f->frame, f->path, err);
}

static sk_status mp4_frame_write(void *state, int64_t frame_index, void *frame, sk_error *err)
{
    (void)frame_index; /* timing comes from the count: frames arrive in order */
    mp4_sink *s = state;
    AVFrame *yuv = ((mp4_frame *)frame)->frame;
    yuv->pts = s->next_pts++;
    /* libx264 copies the picture during the call (mux_ready_packets drains
     * it), so the frame may be refilled as soon as this returns. */
    int rc = avcodec_send_frame(s->encoder, yuv);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot encode", rc);
    sk_status status = mux_ready_packets(s, err);
    if (status == SK_OK) /* sound and captions up to this frame's end */
        status = sk_mux_extras_write_until(
            s->extras, (double)s->next_pts * av_q2d(s->encoder->time_base), err);
    return status;
}

static sk_status mp4_finish(void *state, sk_error *err)
{
    mp4_sink *s = state;
    int rc = avcodec_send_frame(s->encoder, NULL); /* enter draining mode */
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot flush the encoder", rc);
    sk_status status = mux_ready_packets(s, err);
    if (status == SK_OK)
        status = sk_mux_extras_write(s->extras, err);
    if (status != SK_OK)
        return status;
    rc = av_write_trailer(s->mux); /* with faststart, rewrites moov first */
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot write the mp4 index", rc);
    rc = avio_closep(&s->mux->pb);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot write", rc);
    return sk_tempfile_commit(&s->tmp, s->path, err);
}

const sk_sink_ops sk_mp4_sink_ops = {
    .open = mp4_open,
    .finish = mp4_finish,
    .free = mp4_free,
    .frame_new = mp4_frame_new,
    .frame_fill = mp4_frame_fill,
    .frame_write = mp4_frame_write,
    .frame_free = mp4_frame_free,
};
