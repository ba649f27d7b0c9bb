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
 * with a closed GOP (video.c), so no frame refers across a joint. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavformat/avformat.h>

#include "encode.h"
#include "sinks.h"
#include "../fileio/fileio.h" /* sk_make_parent_dirs */

typedef struct part {
    const char *path;
    AVFormatContext *demux;
    AVStream *video; /* the part's video stream, owned by demux */
    AVPacket *first; /* its first video packet, read ahead to learn the delay */
    int64_t delay;   /* how far its first dts lies before its first pts, >= 0 */
} part;

static void close_part(part *p)
{
    av_packet_free(&p->first);
    avformat_close_input(&p->demux);
    p->video = NULL;
}

/* The next packet of the part's video stream; AVERROR_EOF at the end. */
static int read_video_packet(const part *p, AVPacket *packet)
{
    for (;;) {
        int rc = av_read_frame(p->demux, packet);
        if (rc < 0 || packet->stream_index == p->video->index)
            return rc;
        av_packet_unref(packet);
    }
}

static sk_status open_part(part *p, const char *path, sk_error *err)
{
    p->path = path;
    int rc = avformat_open_input(&p->demux, path, NULL, NULL);
    if (rc < 0)
        return sk_av_error(err, path, "cannot open part", rc);
    rc = avformat_find_stream_info(p->demux, NULL);
    if (rc < 0)
        return sk_av_error(err, path, "cannot read part", rc);
    rc = av_find_best_stream(p->demux, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    if (rc < 0)
        return sk_error_set(err, SK_EINPUT, "%s: part has no video stream", path);
    p->video = p->demux->streams[rc];
    if (!(p->first = av_packet_alloc()))
        return sk_error_nomem(err);
    rc = read_video_packet(p, p->first);
    if (rc < 0)
        return sk_av_error(err, path, "cannot read part", rc);
    if (p->first->pts != AV_NOPTS_VALUE && p->first->dts != AV_NOPTS_VALUE &&
        p->first->dts < p->first->pts)
        p->delay = p->first->pts - p->first->dts;
    return SK_OK;
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
static sk_status open_parts(part *parts, const char *const *paths, int count, sk_error *err)
{
    for (int i = 0; i < count; i++) {
        sk_status status = open_part(&parts[i], paths[i], err);
        if (status != SK_OK)
            return status;
        const char *what = i > 0 ? difference(parts[0].video, parts[i].video) : NULL;
        if (what)
            return sk_error_set(err, SK_EINPUT, "%s: its %s differs from the first part's (%s)",
                                paths[i], what, paths[0]);
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

/* The output's one video stream is the first part's, as it was encoded. */
static sk_status open_output(sk_av_output *output, sk_format format, const part *first,
                             const char *out, sk_error *err)
{
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
    if (format == SK_FORMAT_WEBM)
        return sk_av_output_start(output, NULL, NULL, err);
    return sk_av_output_start(output, "movflags", "+faststart", err);
}

/* Shifts one packet into the output's time line and writes it. */
static sk_status write_shifted(AVPacket *packet, const part *p, sk_av_output *output,
                               int64_t offset, int64_t dts_shift, int64_t *end, sk_error *err)
{
    const AVStream *stream = output->stream;
    av_packet_rescale_ts(packet, p->video->time_base, stream->time_base);
    int64_t duration = packet->duration > 0
                           ? packet->duration
                           : av_rescale_q(1, av_inv_q(p->video->avg_frame_rate), stream->time_base);
    if (packet->pts != AV_NOPTS_VALUE) {
        packet->pts += offset;
        if (packet->pts + duration > *end)
            *end = packet->pts + duration;
    }
    if (packet->dts != AV_NOPTS_VALUE)
        packet->dts += offset - dts_shift;
    packet->stream_index = stream->index;
    packet->pos = -1;
    int rc = av_interleaved_write_frame(output->mux, packet); /* takes the packet's contents */
    if (rc < 0)
        return sk_av_error(err, output->path, "cannot write", rc);
    return SK_OK;
}

/* Copies one part's video packets, shifted by *offset (in the output's
 * time base) and their dts by the part's share of the common delay, and
 * advances *offset past the part's last frame. */
static sk_status copy_part(part *p, int64_t max_delay, sk_av_output *output, int64_t *offset,
                           sk_error *err)
{
    AVPacket *packet = av_packet_alloc();
    if (!packet)
        return sk_error_nomem(err);
    int64_t dts_shift =
        av_rescale_q(max_delay - p->delay, p->video->time_base, output->stream->time_base);
    int64_t end = *offset;
    sk_status status = write_shifted(p->first, p, output, *offset, dts_shift, &end, err);
    int rc = 0;
    while (status == SK_OK && (rc = read_video_packet(p, packet)) >= 0)
        status = write_shifted(packet, p, output, *offset, dts_shift, &end, err);
    if (status == SK_OK && rc != AVERROR_EOF)
        status = sk_av_error(err, p->path, "cannot read part", rc);
    av_packet_free(&packet);
    *offset = end;
    return status;
}

sk_status sk_concat(const char *const *paths, int count, const char *out, bool overwrite,
                    sk_error *err)
{
    if (count < 1)
        return sk_error_set(err, SK_EINPUT, "concat needs at least one part");
    if (!overwrite && access(out, F_OK) == 0)
        return sk_error_set(err, SK_EINPUT, "%s already exists; use -y to overwrite it", out);
    sk_format format;
    sk_status status = output_format(out, &format, err);
    if (status != SK_OK)
        return status;
    part *parts = calloc((size_t)count, sizeof *parts);
    if (!parts)
        return sk_error_nomem(err);
    sk_av_output output = SK_AV_OUTPUT_EMPTY;
    status = open_parts(parts, paths, count, err);
    if (status == SK_OK)
        status = sk_make_parent_dirs(out, err);
    if (status == SK_OK)
        status = open_output(&output, format, &parts[0], out, err);
    int64_t offset = 0, max_delay = 0; /* the delay in the parts' common time base */
    for (int i = 0; status == SK_OK && i < count; i++)
        max_delay = parts[i].delay > max_delay ? parts[i].delay : max_delay;
    for (int i = 0; status == SK_OK && i < count; i++)
        status = copy_part(&parts[i], max_delay, &output, &offset, err);
    if (status == SK_OK)
        status = sk_av_output_finish(&output, err);
    sk_av_output_free(&output);
    for (int i = 0; i < count; i++)
        close_part(&parts[i]);
    free(parts);
    return status;
}
