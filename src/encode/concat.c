/* concat.c — joins range renders by stream copy: each part is demuxed and
 * its video packets are muxed into one file, timestamps shifted so that
 * each part follows the one before it. Nothing is decoded or re-encoded,
 * so this costs only I/O, and the joined file's frames are exactly the
 * parts' frames.
 *
 * Parts may differ in their decoding delay: H.264 with B-frames decodes a
 * frame or two before it shows the first (its first dts is negative), but
 * a two-frame range may have no B-frames and no delay. Each part's dts are
 * moved earlier by the difference between the largest delay of all parts
 * and its own, so that dts rise across every joint and never pass pts.
 *
 * Parts are compatible when a decoder set up for the first can decode them
 * all: same codec, size, pixel format, frame rate, time base and the same
 * codec setup bytes (SPS/PPS for H.264, ...). Each part starts on a keyframe
 * with a closed GOP (video.c), so no frame refers across a joint.
 *
 * Captions and chapters come along: each part's subtitle packets are
 * shifted like its video, and its chapters too, a chapter cut by a joint
 * (same title, ending where the next begins) becoming one again. Copied
 * sound would click and drift at every joint, since each part's encoder
 * starts with its own priming samples: a part with sound is refused, unless
 * the caller gives the sound to lay on the joined video, which is then
 * encoded once (as a one-piece render does, through mux_extras.h) while the
 * parts' own is left behind. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libavformat/avformat.h>

#include "encode.h"
#include "mux_extras.h"
#include "sinks.h"
#include "../fileio/fileio.h" /* sk_make_parent_dirs, sk_path_holds_file */

typedef struct part {
    const char *path;
    AVFormatContext *demux;
    AVStream *video;    /* the part's video stream, owned by demux */
    AVStream *subtitle; /* its captions, or NULL; owned by demux */
    int64_t delay;      /* how far its first dts lies before its first pts, >= 0 */
    int64_t end;        /* where its last frame ends, in the video's time base */
} part;

static void close_part(part *p)
{
    avformat_close_input(&p->demux);
    p->video = p->subtitle = NULL;
}

static sk_status open_demuxer(AVFormatContext **demux, const char *path, sk_error *err)
{
    int rc = avformat_open_input(demux, path, NULL, NULL);
    if (rc < 0)
        return sk_av_error(err, path, "cannot open part", rc);
    rc = avformat_find_stream_info(*demux, NULL);
    if (rc < 0)
        return sk_av_error(err, path, "cannot read part", rc);
    return SK_OK;
}

/* A first pass over the part's video packets, in a demuxer of its own (so
 * the copy later starts from the top with every stream's packets): the
 * delay from the first packet, the end from all of them. Chapters must be
 * placed before the output's header, so the ends are needed first. */
static sk_status scan_part(part *p, sk_error *err)
{
    AVFormatContext *demux = NULL;
    AVPacket *packet = av_packet_alloc();
    sk_status status = packet ? open_demuxer(&demux, p->path, err) : sk_error_nomem(err);
    bool first = true;
    int rc = 0;
    while (status == SK_OK && (rc = av_read_frame(demux, packet)) >= 0) {
        if (packet->stream_index == p->video->index && packet->pts != AV_NOPTS_VALUE) {
            if (first && packet->dts != AV_NOPTS_VALUE && packet->dts < packet->pts)
                p->delay = packet->pts - packet->dts;
            first = false;
            int64_t duration =
                packet->duration > 0
                    ? packet->duration
                    : av_rescale_q(1, av_inv_q(p->video->avg_frame_rate), p->video->time_base);
            if (packet->pts + duration > p->end)
                p->end = packet->pts + duration;
        }
        av_packet_unref(packet);
    }
    if (status == SK_OK && rc != AVERROR_EOF)
        status = sk_av_error(err, p->path, "cannot read part", rc);
    if (status == SK_OK && first)
        status = sk_error_set(err, SK_EINPUT, "%s: part has no frames", p->path);
    av_packet_free(&packet);
    avformat_close_input(&demux);
    return status;
}

static sk_status open_part(part *p, const char *path, bool sound_given, sk_error *err)
{
    p->path = path;
    sk_status status = open_demuxer(&p->demux, path, err);
    if (status != SK_OK)
        return status;
    int rc = av_find_best_stream(p->demux, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (rc < 0)
        return sk_error_set(err, SK_EINPUT, "%s: part has no video stream", path);
    p->video = p->demux->streams[rc];
    if (!sound_given && av_find_best_stream(p->demux, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0) >= 0)
        return sk_error_set(err, SK_EINPUT,
                            "%s: part has sound, which concat cannot join without a click at "
                            "every joint; give --scene SCENE to encode the scene's sound once "
                            "onto the joined video instead",
                            path);
    rc = av_find_best_stream(p->demux, AVMEDIA_TYPE_SUBTITLE, -1, -1, NULL, 0);
    p->subtitle = rc >= 0 ? p->demux->streams[rc] : NULL;
    return scan_part(p, err);
}

/* A WebM part with alpha says so in its alpha_mode tag, while its pixel
 * format reads yuv420p (the alpha travels beside the VP9 frames). */
static bool has_alpha(const AVStream *video)
{
    const AVDictionaryEntry *alpha = av_dict_get(video->metadata, "alpha_mode", NULL, 0);
    return alpha && strcmp(alpha->value, "1") == 0;
}

/* What differs between two parts' video streams, or NULL. */
static const char *difference(const AVStream *a, const AVStream *b)
{
    const AVCodecParameters *x = a->codecpar, *y = b->codecpar;
    if (x->codec_id != y->codec_id)
        return "codec";
    if (x->width != y->width || x->height != y->height)
        return "frame size";
    if (x->format != y->format || has_alpha(a) != has_alpha(b))
        return "pixel format";
    if (av_cmp_q(a->avg_frame_rate, b->avg_frame_rate) != 0 &&
        av_cmp_q(a->r_frame_rate, b->r_frame_rate) != 0)
        return "frame rate";
    if (av_cmp_q(a->time_base, b->time_base) != 0)
        return "time base";
    if (x->extradata_size != y->extradata_size ||
        (x->extradata_size > 0 && memcmp(x->extradata, y->extradata, (size_t)x->extradata_size)))
        return "codec setup (encoder settings)";
    return NULL;
}

/* Opens every part and checks each against the first. */
static sk_status open_parts(part *parts, const char *const *paths, int count, bool sound_given,
                            sk_error *err)
{
    for (int i = 0; i < count; i++) {
        sk_status status = open_part(&parts[i], paths[i], sound_given, err);
        if (status != SK_OK)
            return status;
        const char *what = i > 0 ? difference(parts[0].video, parts[i].video) : NULL;
        if (what)
            return sk_error_set(err, SK_EINPUT, "%s: its %s differs from the first part's (%s)",
                                paths[i], what, paths[0]);
        if (parts[i].subtitle && parts[0].subtitle &&
            parts[i].subtitle->codecpar->codec_id != parts[0].subtitle->codecpar->codec_id)
            return sk_error_set(err, SK_EINPUT,
                                "%s: its subtitle codec differs from the first part's (%s)",
                                paths[i], paths[0]);
    }
    return SK_OK;
}

/* The first part's subtitle stream, or another's when the first range
 * has no captions; NULL when none has any. */
static const AVStream *subtitle_model(const part *parts, int count)
{
    for (int i = 0; i < count; i++)
        if (parts[i].subtitle)
            return parts[i].subtitle;
    return NULL;
}

/* Every part's chapters on the joined time line; a chapter cut by a joint
 * (the same title on both sides, touching) is joined again. */
static sk_status join_chapters(AVFormatContext *mux, const part *parts, int count, sk_error *err)
{
    double offset = 0;
    for (int i = 0; i < count; i++) {
        const AVFormatContext *demux = parts[i].demux;
        for (unsigned c = 0; c < demux->nb_chapters; c++) {
            const AVChapter *ch = demux->chapters[c];
            double start = offset + (double)ch->start * av_q2d(ch->time_base);
            double end = offset + (double)ch->end * av_q2d(ch->time_base);
            const AVDictionaryEntry *title = av_dict_get(ch->metadata, "title", NULL, 0);
            const char *name = title ? title->value : "";
            /* Ours are in milliseconds (sk_mux_add_chapter). */
            AVChapter *last = mux->nb_chapters ? mux->chapters[mux->nb_chapters - 1] : NULL;
            const AVDictionaryEntry *last_title =
                last ? av_dict_get(last->metadata, "title", NULL, 0) : NULL;
            if (last_title && strcmp(last_title->value, name) == 0 &&
                llabs(last->end - llround(start * 1000)) <= 1) {
                last->end = llround(end * 1000);
                continue;
            }
            sk_status status =
                sk_mux_add_chapter(mux, (int)mux->nb_chapters + 1, start, end, name, err);
            if (status != SK_OK)
                return status;
        }
        offset += (double)parts[i].end * av_q2d(parts[i].video->time_base);
    }
    return SK_OK;
}

/* The container out's extension asks for; only those a part can be. */
static sk_status output_format(const char *out, sk_format *format, sk_error *err)
{
    sk_status status = sk_format_from_path(out, format, err);
    if (status == SK_OK && *format != SK_FORMAT_MP4 && *format != SK_FORMAT_WEBM &&
        *format != SK_FORMAT_MOV)
        return sk_error_set(err, SK_EINPUT, "%s: concat writes .mp4, .webm or .mov", out);
    return status;
}

/* The output's subtitle stream, set up as the model's. */
static sk_status add_subtitle_stream(sk_av_output *output, const AVStream *model, AVStream **stream,
                                     sk_error *err)
{
    if (!(*stream = avformat_new_stream(output->mux, NULL)))
        return sk_error_nomem(err);
    int rc = avcodec_parameters_copy((*stream)->codecpar, model->codecpar);
    if (rc < 0)
        return sk_av_error(err, output->path, "cannot copy the subtitle stream's parameters", rc);
    (*stream)->codecpar->codec_tag = 0; /* the muxer's own */
    (*stream)->time_base = model->time_base;
    return SK_OK;
}

/* The output's video stream is the first part's, as it was encoded; then
 * the captions and chapters, if any part has them, and the sound, if any
 * (*sound_track: its encoder). */
static sk_status open_output(sk_av_output *output, sk_format format, const part *parts, int count,
                             const sk_extras *sound, AVStream **subtitles,
                             sk_mux_extras **sound_track, const char *out, sk_error *err)
{
    const part *first = &parts[0];
    sk_status status = sk_av_output_open(output, sk_format_name(format), out, err);
    if (status != SK_OK)
        return status;
    AVStream *stream = output->stream;
    int rc = avcodec_parameters_copy(stream->codecpar, first->video->codecpar);
    if (rc < 0)
        return sk_av_error(err, out, "cannot copy the stream's parameters", rc);
    /* The demuxer's tag may not be the muxer's; keep only hvc1, the one tag
     * we choose on purpose (video.c), and let the muxer pick the rest. */
    if (stream->codecpar->codec_tag != MKTAG('h', 'v', 'c', '1'))
        stream->codecpar->codec_tag = 0;
    /* The muxer writes the track's AlphaMode for a yuva420p stream. */
    if (has_alpha(first->video))
        stream->codecpar->format = AV_PIX_FMT_YUVA420P;
    stream->time_base = first->video->time_base;
    stream->avg_frame_rate = first->video->avg_frame_rate;
    stream->r_frame_rate = first->video->r_frame_rate;
    const AVStream *model = subtitle_model(parts, count);
    if (model)
        status = add_subtitle_stream(output, model, subtitles, err);
    if (status == SK_OK)
        status = join_chapters(output->mux, parts, count, err);
    if (status == SK_OK && sound)
        status = sk_mux_extras_open(output->mux, sound, out, sound_track, err);
    if (status == SK_OK)
        status = sk_av_output_start_video(output, format, err);
    return status;
}

/* Moves one packet from a part's stream into an output stream's time line,
 * shifted by offset (and its dts by dts_shift more), in the output's time
 * base, and writes it. */
static sk_status write_shifted(AVPacket *packet, const AVStream *from, const AVStream *stream,
                               sk_av_output *output, int64_t offset, int64_t dts_shift,
                               sk_error *err)
{
    av_packet_rescale_ts(packet, from->time_base, stream->time_base);
    if (packet->pts != AV_NOPTS_VALUE)
        packet->pts += offset;
    if (packet->dts != AV_NOPTS_VALUE)
        packet->dts += offset - dts_shift;
    packet->stream_index = stream->index;
    packet->pos = -1;
    int rc = av_interleaved_write_frame(output->mux, packet); /* takes the packet's contents */
    if (rc < 0)
        return sk_av_error(err, output->path, "cannot write", rc);
    return SK_OK;
}

/* Copies one part's video packets, shifted by *offset (seconds of the
 * joined file) and their dts by the part's share of the common delay, and
 * its subtitle packets by the same offset; advances *offset past the part's
 * last frame. Other streams (mov's chapter track) are left: the chapters
 * were joined at the header. */
static sk_status copy_part(part *p, int64_t max_delay, sk_av_output *output,
                           const AVStream *subtitles, sk_mux_extras *sound, double *offset,
                           sk_error *err)
{
    AVPacket *packet = av_packet_alloc();
    if (!packet)
        return sk_error_nomem(err);
    const AVStream *video = output->stream;
    int64_t dts_shift = av_rescale_q(max_delay - p->delay, p->video->time_base, video->time_base);
    int64_t video_offset = llround(*offset / av_q2d(video->time_base));
    int64_t subtitle_offset = subtitles ? llround(*offset / av_q2d(subtitles->time_base)) : 0;
    sk_status status = SK_OK;
    int rc = 0;
    while (status == SK_OK && (rc = av_read_frame(p->demux, packet)) >= 0) {
        if (sound && packet->stream_index == p->video->index && packet->pts != AV_NOPTS_VALUE)
            /* the sound up to this frame, so that the file is interleaved */
            status = sk_mux_extras_write_until(
                sound, *offset + (double)packet->pts * av_q2d(p->video->time_base), err);
        if (status != SK_OK)
            break;
        if (packet->stream_index == p->video->index)
            status = write_shifted(packet, p->video, video, output, video_offset, dts_shift, err);
        else if (p->subtitle && packet->stream_index == p->subtitle->index)
            status = write_shifted(packet, p->subtitle, subtitles, output, subtitle_offset, 0, err);
        av_packet_unref(packet); /* a no-op after a write, which takes the contents */
    }
    if (status == SK_OK && rc != AVERROR_EOF)
        status = sk_av_error(err, p->path, "cannot read part", rc);
    av_packet_free(&packet);
    *offset += (double)p->end * av_q2d(p->video->time_base);
    return status;
}

/* Seconds from the first part's start to the last one's end. */
static double joined_length(const part *parts, int count)
{
    double length = 0;
    for (int i = 0; i < count; i++)
        length += (double)parts[i].end * av_q2d(parts[i].video->time_base);
    return length;
}

sk_status sk_concat(const char *const *paths, int count, const char *out, bool overwrite,
                    const sk_extras *sound, sk_error *err)
{
    if (count < 1)
        return sk_error_set(err, SK_EINPUT, "concat needs at least one part");
    if (!overwrite && sk_path_holds_file(out))
        return sk_error_set(err, SK_EINPUT, "%s already exists; use -y to overwrite it", out);
    sk_format format;
    sk_status status = output_format(out, &format, err);
    if (status != SK_OK)
        return status;
    part *parts = calloc((size_t)count, sizeof *parts);
    if (!parts)
        return sk_error_nomem(err);
    sk_av_output output = SK_AV_OUTPUT_EMPTY;
    AVStream *subtitles = NULL;        /* owned by output.mux */
    sk_mux_extras *sound_track = NULL; /* the sound's encoder, when sound is given */
    status = open_parts(parts, paths, count, sound != NULL, err);
    sk_extras sound_only = {0}; /* the sound alone, as long as the joined video */
    if (status == SK_OK && sound)
        sound_only = (sk_extras){.audio_path = sound->audio_path,
                                 .audio_offset = sound->audio_offset,
                                 .duration = joined_length(parts, count)};
    if (status == SK_OK)
        status = sk_make_parent_dirs(out, err);
    if (status == SK_OK)
        status = open_output(&output, format, parts, count, sound ? &sound_only : NULL, &subtitles,
                             &sound_track, out, err);
    int64_t max_delay = 0; /* the delay in the parts' common time base */
    double offset = 0;
    for (int i = 0; status == SK_OK && i < count; i++)
        max_delay = parts[i].delay > max_delay ? parts[i].delay : max_delay;
    for (int i = 0; status == SK_OK && i < count; i++)
        status = copy_part(&parts[i], max_delay, &output, subtitles, sound_track, &offset, err);
    if (status == SK_OK && sound_track)
        status = sk_mux_extras_write(sound_track, err);
    if (status == SK_OK)
        status = sk_av_output_finish(&output, err);
    sk_mux_extras_free(sound_track); /* before the muxer that holds its stream */
    sk_av_output_free(&output);
    for (int i = 0; i < count; i++)
        close_part(&parts[i]);
    free(parts);
    return status;
}
