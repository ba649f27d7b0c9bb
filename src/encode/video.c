/* video.c — the libav video-file sink shared by mp4, webm and mov: BGRA ->
 * the codec's pixel format (BT.709, limited range) with swscale, encoded by
 * the codec the container asks for, muxed into a temporary file that
 * finish() renames into place.
 *
 * One sink parameterised by a row of the codec table (encoder, pixel
 * formats, crf range, private options), so a container or codec is a row,
 * not a copy of this file. The shape follows FFmpeg's doc/examples/mux.c
 * and encode_video.c: every call checked, send_frame/receive_packet loop,
 * drain with a NULL frame.
 *
 * Colour conversion runs per frame slot (video_frame, one SwsContext each)
 * in the render's worker threads; the sink itself only encodes and muxes,
 * in order. Every container also gets the scene's extras (mux_extras.h):
 * subtitles, chapters and audio, interleaved as the frames go.
 *
 * Every encoder gets a closed GOP and starts on a keyframe at timestamp 0,
 * so a --frames range is a file that plays on its own and joins others by
 * stream copy (concat.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>

#include "mux_extras.h"
#include "sinks.h"

/* x264's and x265's presets (x264_preset_names, x265_preset_names), so that
 * a typo is the user's input error with the list in the message instead of
 * a bare EINVAL at open. */
static const char *const presets[] = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo",
};
#define PRESET_LIST                                                                                \
    "ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, "                         \
    "veryslow, placebo"
#define DEFAULT_PRESET "veryfast"

/* Area averaging, with chroma computed from every input pixel before it is
 * subsampled: measured faster than bilinear at equal quality. */
#define SWS_FLAGS (SWS_AREA | SWS_FULL_CHR_H_INP)

typedef struct video_sink video_sink;

typedef struct codec_row {
    sk_format container;
    sk_codec codec;
    bool container_default;       /* what SK_CODEC_DEFAULT means in this container */
    const char *encoder;          /* libav encoder name */
    const char *label;            /* for messages */
    enum AVPixelFormat pix_fmt;   /* opaque frames */
    enum AVPixelFormat alpha_fmt; /* --transparent; AV_PIX_FMT_NONE: no alpha */
    int crf_max;                  /* 0: the codec has no crf */
    int crf_default;
    bool presets; /* takes an x264-style --preset */
    uint32_t tag; /* codec tag in the container; 0: the muxer's choice */
    /* Sets the encoder's private options; crf is already resolved (never -1). */
    sk_status (*configure)(video_sink *s, const sk_sink_options *o, int crf, sk_error *err);
} codec_row;

struct video_sink {
    const char *path; /* borrowed from the sink (see sinks.h) */
    const codec_row *row;
    sk_av_output out; /* the container file and its video stream */
    AVCodecContext *encoder;
    AVPacket *packet; /* reused; emptied by every write */
    bool transparent;
    int64_t next_pts;      /* frames sent so far, in 1/fps units */
    sk_mux_extras *extras; /* subtitle stream, chapters and audio */
};

/* One frame converted to the encoder's pixel format, by whichever thread
 * fills it. */
typedef struct video_frame {
    const char *path; /* the sink's, for messages */
    struct SwsContext *sws;
    AVFrame *frame;
    uint8_t *straight; /* straight-alpha scratch image, only with --transparent */
    bool transparent;
} video_frame;

static sk_status set_option(video_sink *s, const char *key, const char *value, sk_error *err)
{
    int rc = av_opt_set(s->encoder->priv_data, key, value, 0);
    if (rc < 0) {
        char what[128];
        snprintf(what, sizeof what, "cannot set %s option %s=%s", s->row->encoder, key, value);
        return sk_av_error(err, s->path, what, rc);
    }
    return SK_OK;
}

static sk_status set_int_option(video_sink *s, const char *key, int value, sk_error *err)
{
    char text[16];
    snprintf(text, sizeof text, "%d", value);
    return set_option(s, key, text, err);
}

static const char *preset_of(const sk_sink_options *o)
{
    return o->preset ? o->preset : DEFAULT_PRESET;
}

static sk_status configure_x264(video_sink *s, const sk_sink_options *o, int crf, sk_error *err)
{
    sk_status status = set_int_option(s, "crf", crf, err);
    if (status == SK_OK)
        status = set_option(s, "preset", preset_of(o), err);
    return status;
}

/* x265's crf 0 is merely very good; lossless is its own switch, and "crf 0
 * = lossless" should mean the same for every codec. x265 prints its banner
 * and statistics itself, past libav's logger, unless told not to. */
static sk_status configure_x265(video_sink *s, const sk_sink_options *o, int crf, sk_error *err)
{
    sk_status status = set_option(s, "preset", preset_of(o), err);
    if (status == SK_OK && crf > 0)
        status = set_int_option(s, "crf", crf, err);
    if (status == SK_OK)
        status = set_option(s, "x265-params",
                            crf == 0 ? "log-level=error:lossless=1" : "log-level=error", err);
    return status;
}

/* Constant quality needs b:v 0 (else crf is a cap on a target bitrate);
 * crf 0 is lossless mode, as for the other codecs. Speed, measured on 60
 * frames of scenes/bandwidth.yaml at 1920x1080, crf 32, CPU seconds / size
 * / PSNR against the drawn frames:
 *   deadline good, cpu-used 5 (or 8: clamped)  8.6 s  345 kB  51.4 dB
 *   deadline realtime, cpu-used 6               1.2 s  420 kB  50.6 dB
 *   deadline realtime, cpu-used 8               1.0 s  514 kB  50.1 dB
 * realtime 6 is 7x faster for files a fifth larger at a quality no one
 * can tell apart; it also has no hidden alt-ref frames. */
#define VP9_DEADLINE "realtime"
#define VP9_CPU_USED 6
static sk_status configure_vp9(video_sink *s, const sk_sink_options *o, int crf, sk_error *err)
{
    (void)o;
    s->encoder->bit_rate = 0;
    sk_status status = set_int_option(s, crf == 0 ? "lossless" : "crf", crf == 0 ? 1 : crf, err);
    if (status == SK_OK)
        status = set_option(s, "deadline", VP9_DEADLINE, err);
    if (status == SK_OK)
        status = set_int_option(s, "cpu-used", VP9_CPU_USED, err);
    if (status == SK_OK)
        status = set_int_option(s, "row-mt", 1, err);
    return status;
}

/* 4444 when alpha is kept, else 422 HQ: what editors expect for
 * intermediates, and a third smaller than 4444 without alpha.
 *
 * prores_aw (FFmpeg's default ProRes encoder), not prores_ks: measured with
 * the ffmpeg program on 120 frames of scenes/intro.yaml at 1080p, 2 cores,
 * PSNR (RGB) against the drawn frames and size:
 *   422 HQ   prores_ks 6.9 s  56.1 dB  25.7 MB   prores_aw 1.4 s  59.2 dB  25.9 MB
 *   4444     prores_ks 9.7 s  72.8 dB  38.3 MB   prores_aw 2.0 s  65.2 dB  32.1 MB
 * Both far past what an eye can tell; one is five times as fast. */
static sk_status configure_prores(video_sink *s, const sk_sink_options *o, int crf, sk_error *err)
{
    (void)crf;
    s->encoder->profile = o->transparent ? FF_PROFILE_PRORES_4444 : FF_PROFILE_PRORES_HQ;
    return set_option(s, "vendor", "apl0", err); /* Final Cut and QuickTime read it */
}

/* One row per container and codec. H.265 in MP4 is tagged hvc1 (parameter
 * sets in the sample description only), the tag Apple's players require. */
static const codec_row codecs[] = {
    {SK_FORMAT_MP4, SK_CODEC_H264, true, "libx264", "H.264", AV_PIX_FMT_YUV420P, AV_PIX_FMT_NONE,
     51, 20, true, 0, configure_x264},
    {SK_FORMAT_MP4, SK_CODEC_H265, false, "libx265", "H.265", AV_PIX_FMT_YUV420P, AV_PIX_FMT_NONE,
     51, 24, true, MKTAG('h', 'v', 'c', '1'), configure_x265},
    {SK_FORMAT_WEBM, SK_CODEC_VP9, true, "libvpx-vp9", "VP9", AV_PIX_FMT_YUV420P,
     AV_PIX_FMT_YUVA420P, 63, 32, false, 0, configure_vp9},
    {SK_FORMAT_MOV, SK_CODEC_PRORES, true, "prores_aw", "ProRes", AV_PIX_FMT_YUV422P10LE,
     AV_PIX_FMT_YUVA444P10LE, 0, 0, false, 0, configure_prores},
};
#define CODEC_COUNT (sizeof codecs / sizeof codecs[0])

static const char *const muxer_names[] = {
    [SK_FORMAT_MP4] = "mp4",
    [SK_FORMAT_WEBM] = "webm",
    [SK_FORMAT_MOV] = "mov",
};

static const codec_row *find_codec(sk_format container, sk_codec codec)
{
    for (size_t i = 0; i < CODEC_COUNT; i++)
        if (codecs[i].container == container &&
            (codecs[i].codec == codec ||
             (codec == SK_CODEC_DEFAULT && codecs[i].container_default)))
            return &codecs[i];
    return NULL;
}

static bool known_preset(const char *name)
{
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (strcmp(name, presets[i]) == 0)
            return true;
    return false;
}

/* Which codec, and whether crf, preset and alpha make sense for it. */
static sk_status choose_codec(const sk_sink_options *o, const codec_row **out, sk_error *err)
{
    const char *container = muxer_names[o->format];
    const codec_row *row = find_codec(o->format, o->codec);
    if (!row)
        return sk_error_set(err, SK_EINPUT, "%s: --codec: %s takes %s", o->path, container,
                            o->format == SK_FORMAT_MP4    ? "h264 or h265"
                            : o->format == SK_FORMAT_WEBM ? "vp9 only"
                                                          : "prores only");
    if (o->crf >= 0 && row->crf_max == 0)
        return sk_error_set(err, SK_EINPUT,
                            "%s: --crf does not apply to %s (its quality is set by the profile); "
                            "leave it out",
                            o->path, row->label);
    if (o->crf < -1 || o->crf > row->crf_max)
        return sk_error_set(err, SK_EINPUT, "%s: --crf %d is outside %s's 0..%d", o->path, o->crf,
                            row->label, row->crf_max);
    if (o->preset && !row->presets)
        return sk_error_set(err, SK_EINPUT, "%s: --preset does not apply to %s; leave it out",
                            o->path, row->label);
    if (o->transparent && row->alpha_fmt == AV_PIX_FMT_NONE)
        return sk_error_set(err, SK_EINPUT, "%s: --transparent: %s has no alpha", o->path,
                            row->label);
    if (o->preset && !known_preset(o->preset))
        return sk_error_set(err, SK_EINPUT, "%s: unknown %s preset \"%s\"; use one of: %s", o->path,
                            row->label, o->preset, PRESET_LIST);
    *out = row;
    return SK_OK;
}

static enum AVPixelFormat pixel_format(const codec_row *row, bool transparent)
{
    return transparent ? row->alpha_fmt : row->pix_fmt;
}

/* Size, rate and colour tags: the tags travel to the bitstream (H.264 and
 * H.265 VUI, VP9 colour config), to the stream's codecpar and from there to
 * the container (mp4/mov 'colr', WebM Colour), so players do not guess
 * BT.601 for our HD frames. */
static void describe_video(video_sink *s, const sk_sink_options *o)
{
    AVCodecContext *c = s->encoder;
    c->width = o->width;
    c->height = o->height;
    c->pix_fmt = pixel_format(s->row, s->transparent);
    c->time_base = (AVRational){1, o->fps};
    c->framerate = (AVRational){o->fps, 1};
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_range = AVCOL_RANGE_MPEG;
    c->thread_count = 0;                  /* one per core, the encoder decides */
    c->flags |= AV_CODEC_FLAG_CLOSED_GOP; /* a range must not reference frames before it */
}

static sk_status open_encoder(video_sink *s, const sk_sink_options *o, sk_error *err)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(s->row->encoder);
    if (!codec)
        return sk_error_set(err, SK_ERUNTIME, "%s: this FFmpeg has no %s encoder", s->path,
                            s->row->encoder);
    /* Allocated with the codec so that the codec's own defaults apply (x264's
     * keyint 250 rather than libavcodec's generic gop of 12). */
    s->encoder = avcodec_alloc_context3(codec);
    if (!s->encoder)
        return sk_error_nomem(err);
    describe_video(s, o);
    if (s->out.mux->oformat->flags & AVFMT_GLOBALHEADER)
        s->encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER; /* parameter sets in the header */
    int crf = o->crf >= 0 ? o->crf : s->row->crf_default;
    sk_status status = s->row->configure(s, o, crf, err);
    if (status != SK_OK)
        return status;
    int rc = avcodec_open2(s->encoder, codec, NULL);
    if (rc < 0) {
        char what[64];
        snprintf(what, sizeof what, "cannot open encoder %s", s->row->encoder);
        return sk_av_error(err, s->path, what, rc);
    }
    return SK_OK;
}

static sk_status describe_stream(video_sink *s, int fps, sk_error *err)
{
    AVStream *stream = s->out.stream;
    int rc = avcodec_parameters_from_context(stream->codecpar, s->encoder);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot copy the encoder's parameters", rc);
    if (s->row->tag)
        stream->codecpar->codec_tag = s->row->tag; /* else the encoder's or the muxer's */
    /* A hint only: the muxer picks its own time base in write_header. */
    stream->time_base = s->encoder->time_base;
    stream->avg_frame_rate = (AVRational){fps, 1};
    stream->r_frame_rate = (AVRational){fps, 1};
    return SK_OK;
}

static sk_status open_converter(video_frame *s, enum AVPixelFormat target, int w, int h,
                                sk_error *err)
{
    s->sws = sws_getContext(w, h, AV_PIX_FMT_BGRA, w, h, target, SWS_FLAGS, NULL, NULL, NULL);
    if (!s->sws)
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot set up BGRA to %s conversion", s->path,
                            av_get_pix_fmt_name(target));
    /* BT.709 matrix, limited (MPEG) range out, matching the tags. The RGB
     * side's range flag is ignored by swscale (RGB is always full). */
    const int *bt709 = sws_getCoefficients(SWS_CS_ITU709);
    int rc = sws_setColorspaceDetails(s->sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot select BT.709 for the conversion",
                           AVERROR(ENOTSUP));
    sk_status status = sk_av_frame_new(target, w, h, &s->frame, s->path, err);
    if (status != SK_OK)
        return status;
    /* The frame's own tags too: ProRes writes them into every frame header,
     * where decoders read them (mov has no other place they survive). */
    s->frame->color_primaries = AVCOL_PRI_BT709;
    s->frame->color_trc = AVCOL_TRC_BT709;
    s->frame->colorspace = AVCOL_SPC_BT709;
    s->frame->color_range = AVCOL_RANGE_MPEG;
    return SK_OK;
}

static void video_free(void *state)
{
    video_sink *s = state;
    if (!s)
        return;
    av_packet_free(&s->packet);
    avcodec_free_context(&s->encoder);
    sk_mux_extras_free(s->extras);
    sk_av_output_free(&s->out);
    free(s);
}

static sk_status video_open(const sk_sink_options *o, void **state, sk_error *err)
{
    const codec_row *row = NULL;
    sk_status status = choose_codec(o, &row, err);
    if (status != SK_OK)
        return status;
    video_sink *s = calloc(1, sizeof *s);
    if (!s)
        return sk_error_nomem(err);
    s->path = o->path;
    s->row = row;
    s->transparent = o->transparent;
    s->out = SK_AV_OUTPUT_EMPTY;
    status = sk_av_output_open(&s->out, muxer_names[o->format], o->path, err);
    if (status == SK_OK)
        status = open_encoder(s, o, err);
    if (status == SK_OK)
        status = describe_stream(s, o->fps, err);
    if (status == SK_OK && !(s->packet = av_packet_alloc()))
        status = sk_error_nomem(err);
    if (status == SK_OK)
        status = sk_mux_extras_open(s->out.mux, o->extras, s->path, &s->extras, err);
    if (status == SK_OK)
        status = sk_av_output_start_video(&s->out, o->format, err); /* extras joined */
    if (status != SK_OK) {
        video_free(s);
        return status;
    }
    *state = s; /* ownership moves to the sink */
    return SK_OK;
}

static void video_frame_free(void *state)
{
    video_frame *f = state;
    if (!f)
        return;
    av_frame_free(&f->frame);
    sws_freeContext(f->sws);
    free(f->straight);
    free(f);
}

static sk_status video_frame_new(void *state, void **out, sk_error *err)
{
    const video_sink *s = state;
    video_frame *f = calloc(1, sizeof *f);
    if (!f)
        return sk_error_nomem(err);
    f->path = s->path;
    f->transparent = s->transparent;
    sk_status status = open_converter(f, pixel_format(s->row, s->transparent), s->encoder->width,
                                      s->encoder->height, err);
    if (status != SK_OK) {
        video_frame_free(f);
        return status;
    }
    *out = f; /* ownership moves to the caller */
    return SK_OK;
}

static sk_status video_frame_fill(void *state, const uint8_t *bgra, int stride, sk_error *err)
{
    video_frame *f = state;
    return f->transparent
               ? sk_av_convert_straight(f->sws, bgra, stride, &f->straight, f->frame, f->path, err)
               : sk_av_convert(f->sws, bgra, stride, f->frame, f->path, err);
}

static sk_status video_frame_write(void *state, int64_t frame_index, void *frame, sk_error *err)
{
    (void)frame_index; /* timing comes from the count: frames arrive in order */
    video_sink *s = state;
    AVFrame *picture = ((video_frame *)frame)->frame;
    picture->pts = s->next_pts++;
    /* An encoder that keeps a reference to the picture makes the next fill
     * copy it first (sk_av_convert makes the frame writable), so the slot
     * may be refilled as soon as this returns. */
    int rc = avcodec_send_frame(s->encoder, picture);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot encode", rc);
    sk_status status = sk_av_output_mux_ready(&s->out, s->encoder, s->packet, err);
    if (status == SK_OK) /* sound and captions up to this frame's end */
        status = sk_mux_extras_write_until(
            s->extras, (double)s->next_pts * av_q2d(s->encoder->time_base), err);
    return status;
}

static sk_status video_finish(void *state, sk_error *err)
{
    video_sink *s = state;
    int rc = avcodec_send_frame(s->encoder, NULL); /* enter draining mode */
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot flush the encoder", rc);
    sk_status status = sk_av_output_mux_ready(&s->out, s->encoder, s->packet, err);
    if (status == SK_OK) /* the other streams' last packets go in before the trailer */
        status = sk_mux_extras_write(s->extras, err);
    if (status != SK_OK)
        return status;
    return sk_av_output_finish(&s->out, err);
}

const sk_sink_ops sk_video_sink_ops = {
    .open = video_open,
    .finish = video_finish,
    .free = video_free,
    .frame_new = video_frame_new,
    .frame_fill = video_frame_fill,
    .frame_write = video_frame_write,
    .frame_free = video_frame_free,
};
