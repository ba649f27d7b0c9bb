/* encode.c — output formats: which one a path asks for, the file each frame
 * goes to, and the sink that dispatches to a format's backend. */
#include "encode.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/log.h>

#include "sinks.h"

/* Largest width or height accepted, in pixels: far above any video we make
 * (H.264 level 6.2 tops out at 8192), and small enough that 4 * width *
 * height never overflows an int. */
#define MAX_SIDE 16384
/* Bytes for a frame path while checking a pattern (Linux's PATH_MAX). */
#define PATH_BYTES 4096
/* Digits of zero-padding width a pattern may ask for (%05d, up to %099d). */
#define MAX_WIDTH_DIGITS 2

/* One row per output format; adding a format is a row plus a backend. */
typedef struct format_row {
    const char *short_name; /* for --format */
    const char *extension;  /* matched case-insensitively at the end of the path */
    const char *name;       /* for messages */
    bool sequence;          /* one file per frame, named by a %d pattern */
    bool needs_even_size;   /* 4:2:0 (or 4:2:2) chroma subsampling halves a side */
    bool alpha;             /* can keep the frame's alpha (--transparent) */
    const sk_sink_ops *ops;
    const char *other_extension; /* a second name for the same format, or NULL */
} format_row;

static const format_row formats[] = {
    [SK_FORMAT_MP4] = {"mp4", ".mp4", "MP4 (H.264/H.265)", false, true, false, &sk_video_sink_ops},
    [SK_FORMAT_WEBM] = {"webm", ".webm", "WebM (VP9)", false, true, true, &sk_video_sink_ops},
    [SK_FORMAT_MOV] = {"mov", ".mov", "MOV (ProRes)", false, true, true, &sk_video_sink_ops},
    [SK_FORMAT_GIF] = {"gif", ".gif", "GIF", false, false, false, &sk_gif_sink_ops},
    [SK_FORMAT_PNG_SEQUENCE] = {"png", ".png", "a PNG sequence", true, false, true,
                                &sk_png_sink_ops},
    [SK_FORMAT_RAW] = {"raw", ".bgra", "raw BGRA frames", false, false, false, &sk_raw_sink_ops,
                       ".raw"},
};
#define FORMAT_COUNT (sizeof formats / sizeof formats[0])

/* --codec names, indexed by sk_codec. */
static const char *const codec_names[] = {
    [SK_CODEC_H264] = "h264",
    [SK_CODEC_H265] = "h265",
    [SK_CODEC_VP9] = "vp9",
    [SK_CODEC_PRORES] = "prores",
};

static const format_row *row_of(sk_format format)
{
    if ((unsigned)format >= FORMAT_COUNT)
        return NULL;
    return &formats[format];
}

/* ---- patterns ------------------------------------------------------------ */

typedef enum spec_kind { SPEC_PERCENT, SPEC_INTEGER, SPEC_OTHER } spec_kind;

typedef struct spec {
    spec_kind kind;
    size_t length; /* bytes after the '%' that belong to the conversion */
    bool zero;     /* '0' flag: pad with zeros */
    int width;     /* minimum digits, 0 for none */
} spec;

/* Reads the conversion after a '%'. Accepted: %%, and %d with an optional
 * '0' flag and a width of up to MAX_WIDTH_DIGITS digits. Anything else
 * (%s, %ld, %-5d, %.3d, a trailing %) is SPEC_OTHER, its length reaching
 * just past the first letter so the message can quote it. */
static spec read_spec(const char *p)
{
    spec s = {SPEC_OTHER, 0, false, 0};
    if (p[0] == '%')
        return (spec){SPEC_PERCENT, 1, false, 0};
    size_t i = 0;
    if (p[i] == '0') {
        s.zero = true;
        i++;
    }
    int digits = 0;
    while (isdigit((unsigned char)p[i]) && digits < MAX_WIDTH_DIGITS) {
        s.width = s.width * 10 + (p[i] - '0');
        digits++;
        i++;
    }
    if (p[i] == 'd') {
        s.kind = SPEC_INTEGER;
        s.length = i + 1;
        return s;
    }
    while (p[i] && !isalpha((unsigned char)p[i]))
        i++;
    s.length = p[i] ? i + 1 : i;
    return s;
}

/* Whether the path holds a well-formed integer conversion anywhere. */
static bool has_integer_conversion(const char *path)
{
    for (const char *p = strchr(path, '%'); p; p = strchr(p, '%')) {
        spec s = read_spec(p + 1);
        if (s.kind == SPEC_INTEGER)
            return true;
        p += 1 + s.length;
    }
    return false;
}

/* Appends n bytes to out[*used], keeping it NUL-terminated; false once it
 * does not fit (the rest of the pattern is still checked). */
static bool append(char *out, size_t size, size_t *used, const char *text, size_t n)
{
    if (*used + n >= size)
        return false;
    memcpy(out + *used, text, n);
    *used += n;
    out[*used] = '\0';
    return true;
}

static bool append_number(char *out, size_t size, size_t *used, spec s, int64_t frame)
{
    char digits[32];
    int n = s.zero ? snprintf(digits, sizeof digits, "%0*" PRId64, s.width, frame)
                   : snprintf(digits, sizeof digits, "%*" PRId64, s.width, frame);
    return n > 0 && (size_t)n < sizeof digits && append(out, size, used, digits, (size_t)n);
}

static sk_status bad_spec(const char *path, const char *at, size_t length, sk_error *err)
{
    return sk_error_set(err, SK_EINPUT,
                        "%s: unsupported conversion \"%%%.*s\" in a PNG pattern; "
                        "use %%d, %%5d or %%05d for the frame number (%%%% for a literal %%)",
                        path, (int)length, at);
}

/* Substitutes frame into a PNG pattern, checking the pattern as it goes:
 * exactly one integer conversion, %% as a literal %, nothing else. */
static sk_status expand_pattern(const char *path, int64_t frame, char *out, size_t size,
                                sk_error *err)
{
    if (frame < 0)
        return sk_error_set(err, SK_EINPUT, "%s: frame index %" PRId64 " is negative", path, frame);
    size_t used = 0;
    int conversions = 0;
    bool fits = size > 0;
    if (fits)
        out[0] = '\0';
    for (const char *p = path; *p; p++) {
        if (*p != '%') {
            fits = fits && append(out, size, &used, p, 1);
            continue;
        }
        spec s = read_spec(p + 1);
        if (s.kind == SPEC_OTHER)
            return bad_spec(path, p + 1, s.length, err);
        if (s.kind == SPEC_INTEGER && ++conversions > 1)
            return sk_error_set(err, SK_EINPUT,
                                "%s: a PNG pattern takes exactly one frame number; "
                                "this one has more",
                                path);
        fits = fits && (s.kind == SPEC_PERCENT ? append(out, size, &used, "%", 1)
                                               : append_number(out, size, &used, s, frame));
        p += s.length;
    }
    if (conversions == 0)
        return sk_error_set(err, SK_EINPUT,
                            "%s: a PNG pattern needs a frame number: %%d, %%5d or %%05d "
                            "(%%%% is a literal %%)",
                            path);
    if (!fits)
        return sk_error_set(err, SK_EINPUT,
                            "%s: the file name for frame %" PRId64 " does not fit in %zu bytes",
                            path, frame, size);
    return SK_OK;
}

/* Whether a PNG pattern is well formed (expanding it for frame 0). */
static sk_status check_pattern(const char *path, sk_error *err)
{
    char scratch[PATH_BYTES];
    return expand_pattern(path, 0, scratch, sizeof scratch, err);
}

/* ---- formats ------------------------------------------------------------- */

bool sk_ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (m > n)
        return false;
    for (size_t i = 0; i < m; i++)
        if (tolower((unsigned char)s[n - m + i]) != tolower((unsigned char)suffix[i]))
            return false;
    return true;
}

bool sk_path_is_stdout(const char *path)
{
    return path && strcmp(path, SK_STDOUT_PATH) == 0;
}

static bool has_extension(const char *path, const format_row *row)
{
    return sk_ends_with_ci(path, row->extension) ||
           (row->other_extension && sk_ends_with_ci(path, row->other_extension));
}

sk_status sk_format_from_path(const char *path, sk_format *format, sk_error *err)
{
    if (sk_path_is_stdout(path)) {
        *format = SK_FORMAT_RAW; /* the one format a pipe can take as it comes */
        return SK_OK;
    }
    bool pattern = has_integer_conversion(path);
    for (size_t i = 0; i < FORMAT_COUNT; i++) {
        if (!has_extension(path, &formats[i]))
            continue;
        if (pattern && !formats[i].sequence)
            break; /* x_%d.mp4: a pattern, but not for a sequence format */
        sk_status status = formats[i].sequence ? check_pattern(path, err) : SK_OK;
        if (status == SK_OK)
            *format = (sk_format)i;
        return status;
    }
    if (pattern)
        return sk_error_set(err, SK_EINPUT,
                            "%s: a frame-number pattern is for PNG sequences and must end "
                            "in .png, like out/f_%%05d.png",
                            path);
    return sk_error_set(err, SK_EINPUT,
                        "%s: cannot tell the output format from the extension; use .mp4, "
                        ".webm, .mov, .gif, .bgra or .raw (raw frames; - for standard output), "
                        "or a PNG pattern like out/f_%%05d.png",
                        path);
}

sk_status sk_format_from_name(const char *name, const char *path, sk_format *format, sk_error *err)
{
    size_t i = 0;
    while (i < FORMAT_COUNT && strcmp(name, formats[i].short_name) != 0)
        i++;
    if (i == FORMAT_COUNT)
        return sk_error_set(err, SK_EINPUT,
                            "--format: expected mp4, webm, mov, gif, png or raw, found '%s'", name);
    if (sk_path_is_stdout(path) && formats[i].ops != &sk_raw_sink_ops)
        return sk_error_set(err, SK_EINPUT,
                            "-: standard output takes raw frames only, not --format %s", name);
    for (size_t j = 0; j < FORMAT_COUNT; j++)
        if (j != i && has_extension(path, &formats[j]))
            return sk_error_set(err, SK_EINPUT, "%s: the extension says %s but --format says %s",
                                path, formats[j].short_name, name);
    sk_status status = formats[i].sequence ? check_pattern(path, err) : SK_OK;
    if (status == SK_OK)
        *format = (sk_format)i;
    return status;
}

const char *sk_format_name(sk_format format)
{
    const format_row *row = row_of(format);
    return row ? row->short_name : "unknown";
}

bool sk_codec_from_name(const char *name, sk_codec *codec)
{
    for (size_t i = 0; i < sizeof codec_names / sizeof codec_names[0]; i++)
        if (codec_names[i] && strcmp(name, codec_names[i]) == 0) {
            *codec = (sk_codec)i;
            return true;
        }
    return false;
}

bool sk_format_needs_even_size(sk_format format)
{
    const format_row *row = row_of(format);
    return row && row->needs_even_size;
}

sk_status sk_format_frame_path(sk_format format, const char *path, int64_t frame, char *out,
                               size_t size, sk_error *err)
{
    const format_row *row = row_of(format);
    if (!row)
        return sk_error_set(err, SK_EINPUT, "%s: unknown output format %d", path, (int)format);
    if (row->sequence)
        return expand_pattern(path, frame, out, size, err);
    size_t used = 0;
    if (size == 0 || !append(out, size, &used, path, strlen(path)))
        return sk_error_set(err, SK_EINPUT, "%s: the path does not fit in %zu bytes", path, size);
    return SK_OK;
}

/* ---- sinks --------------------------------------------------------------- */

typedef enum sink_state { SINK_OPEN, SINK_FINISHED, SINK_FAILED } sink_state;

struct sk_sink_frame {
    const sk_sink_ops *ops;
    const char *path;    /* the sink's, for messages */
    void *backend;       /* owned, from ops->frame_new; NULL when the format prepares nothing */
    const uint8_t *bgra; /* borrowed pixels when backend is NULL */
    int stride;
    int width, height;
    bool filled;
};

struct sk_sink {
    const format_row *row;
    sk_sink_frame *own_frame; /* for sk_sink_write on formats that prepare frames */
    void *backend;            /* owned; released by row->ops->free */
    char *path;               /* owned copy of options->path; the backend borrows it */
    int width, height;
    sink_state state; /* sticky: after a failure every call refuses */
};

/* An option given for a format it does not apply to is the user's mistake,
 * not something to ignore silently. (Which codec a container takes, and
 * whether a codec has a crf or presets, are the video backend's to check.) */
static sk_status check_applicable(const sk_sink_options *o, const format_row *row, sk_error *err)
{
    const char *option = NULL;
    if (o->transparent && !row->alpha)
        return sk_error_set(err, SK_EINPUT,
                            "%s: --transparent needs an output that keeps alpha: .webm, .mov or "
                            "a PNG sequence; %s has none",
                            o->path, row->name);
    bool video = row->ops == &sk_video_sink_ops;
    if (!video && o->crf >= 0)
        option = "--crf";
    else if (!video && o->preset)
        option = "--preset";
    else if (!video && o->codec != SK_CODEC_DEFAULT)
        option = "--codec";
    else if (o->format != SK_FORMAT_GIF && o->gif_width > 0)
        option = "--gif-width";
    else if (o->format != SK_FORMAT_GIF && o->gif_dither)
        option = "--gif-dither";
    else if (o->format != SK_FORMAT_PNG_SEQUENCE && o->png_compression >= 0)
        option = "--png-compression";
    if (option)
        return sk_error_set(err, SK_EINPUT, "%s: %s does not apply to %s; leave it out", o->path,
                            option, row->name);
    return SK_OK;
}

static sk_status check_options(const sk_sink_options *o, const format_row *row, sk_error *err)
{
    if (o->width <= 0 || o->height <= 0 || o->width > MAX_SIDE || o->height > MAX_SIDE)
        return sk_error_set(err, SK_EINPUT, "%s: frame size %dx%d is outside 1..%d pixels", o->path,
                            o->width, o->height, MAX_SIDE);
    if (row->needs_even_size && (o->width % 2 != 0 || o->height % 2 != 0))
        return sk_error_set(err, SK_EINPUT, "%s: %s needs an even width and height; got %dx%d",
                            o->path, row->name, o->width, o->height);
    if (o->fps <= 0)
        return sk_error_set(err, SK_EINPUT, "%s: frame rate %d must be positive", o->path, o->fps);
    sk_status status = check_applicable(o, row, err);
    if (status != SK_OK)
        return status;
    return row->sequence ? check_pattern(o->path, err) : SK_OK;
}

sk_status sk_sink_open(const sk_sink_options *options, sk_sink **out, sk_error *err)
{
    *out = NULL;
    const format_row *row = row_of(options->format);
    if (!options->path || !row)
        return sk_error_set(err, SK_EINPUT, "%s: no output path or unknown format",
                            options->path ? options->path : "(null)");
    sk_status status = check_options(options, row, err);
    if (status != SK_OK)
        return status;
    sk_sink *sink = calloc(1, sizeof *sink);
    if (!sink || !(sink->path = strdup(options->path))) {
        free(sink);
        return sk_error_nomem(err);
    }
    sink->row = row;
    sink->width = options->width;
    sink->height = options->height;
    sk_sink_options own = *options;
    own.path = sink->path; /* the backend may keep this pointer */
    status = row->ops->open(&own, &sink->backend, err);
    if (status != SK_OK) {
        free(sink->path);
        free(sink);
        return status;
    }
    sink->state = SINK_OPEN;
    *out = sink; /* ownership moves to the caller */
    return SK_OK;
}

static sk_status refuse(const sk_sink *sink, sk_error *err)
{
    return sk_error_set(err, SK_ERUNTIME, "%s: the output is already %s", sink->path,
                        sink->state == SINK_FINISHED ? "finished" : "abandoned after an error");
}

static sk_status check_pixels(const sk_sink_frame *frame, const uint8_t *bgra, int stride,
                              sk_error *err)
{
    if (!bgra || stride < 4 * frame->width)
        return sk_error_set(err, SK_EINPUT,
                            "%s: a frame has no pixels or a stride (%d) below 4 x width (%d)",
                            frame->path, stride, 4 * frame->width);
    return SK_OK;
}

sk_status sk_sink_frame_new(sk_sink *sink, sk_sink_frame **out, sk_error *err)
{
    *out = NULL;
    sk_sink_frame *frame = calloc(1, sizeof *frame);
    if (!frame)
        return sk_error_nomem(err);
    frame->ops = sink->row->ops;
    frame->path = sink->path;
    frame->width = sink->width;
    frame->height = sink->height;
    if (frame->ops->frame_new) {
        sk_status status = frame->ops->frame_new(sink->backend, &frame->backend, err);
        if (status != SK_OK) {
            free(frame);
            return status;
        }
    }
    *out = frame; /* ownership moves to the caller */
    return SK_OK;
}

sk_status sk_sink_frame_fill(sk_sink_frame *frame, const uint8_t *bgra, int stride, sk_error *err)
{
    frame->filled = false;
    sk_status status = check_pixels(frame, bgra, stride, err);
    if (status != SK_OK)
        return status;
    if (frame->backend) {
        status = frame->ops->frame_fill(frame->backend, bgra, stride, err);
        if (status != SK_OK)
            return status;
    }
    frame->bgra = bgra;
    frame->stride = stride;
    frame->filled = true;
    return SK_OK;
}

void sk_sink_frame_free(sk_sink_frame *frame)
{
    if (!frame)
        return;
    if (frame->backend)
        frame->ops->frame_free(frame->backend);
    free(frame);
}

sk_status sk_sink_write_frame(sk_sink *sink, int64_t frame_index, sk_sink_frame *frame,
                              sk_error *err)
{
    if (sink->state != SINK_OPEN)
        return refuse(sink, err);
    if (!frame->filled)
        return sk_error_set(err, SK_EINPUT, "%s: frame %" PRId64 " was not prepared", sink->path,
                            frame_index);
    if (frame_index < 0)
        return sk_error_set(err, SK_EINPUT, "%s: frame index %" PRId64 " is negative", sink->path,
                            frame_index);
    const sk_sink_ops *ops = sink->row->ops;
    sk_status status =
        frame->backend ? ops->frame_write(sink->backend, frame_index, frame->backend, err)
                       : ops->write(sink->backend, frame_index, frame->bgra, frame->stride, err);
    frame->filled = false; /* a frame is written once */
    if (status != SK_OK)
        sink->state = SINK_FAILED;
    return status;
}

sk_status sk_sink_write(sk_sink *sink, int64_t frame_index, const uint8_t *bgra, int stride,
                        sk_error *err)
{
    if (sink->state != SINK_OPEN)
        return refuse(sink, err);
    sk_status status = SK_OK;
    if (!sink->own_frame)
        status = sk_sink_frame_new(sink, &sink->own_frame, err);
    if (status == SK_OK)
        status = sk_sink_frame_fill(sink->own_frame, bgra, stride, err);
    if (status != SK_OK) {
        if (status != SK_EINPUT)
            sink->state = SINK_FAILED;
        return status;
    }
    return sk_sink_write_frame(sink, frame_index, sink->own_frame, err);
}

sk_status sk_sink_finish(sk_sink *sink, sk_error *err)
{
    if (sink->state != SINK_OPEN)
        return refuse(sink, err);
    sk_status status = sink->row->ops->finish(sink->backend, err);
    sink->state = status == SK_OK ? SINK_FINISHED : SINK_FAILED;
    return status;
}

void sk_sink_free(sk_sink *sink)
{
    if (!sink)
        return;
    sk_sink_frame_free(sink->own_frame);
    sink->row->ops->free(sink->backend);
    free(sink->path);
    free(sink);
}

/* ---- libav helpers shared by the backends -------------------------------- */

void sk_av_release(AVCodecContext **encoder, struct SwsContext **sws, AVFrame **frame,
                   AVPacket **packet)
{
    av_packet_free(packet);
    av_frame_free(frame);
    sws_freeContext(*sws);
    *sws = NULL;
    avcodec_free_context(encoder);
}

void sk_encode_set_verbose(bool verbose)
{
    av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_ERROR);
}

sk_status sk_av_error(sk_error *err, const char *path, const char *what, int averr)
{
    sk_status status = averr == AVERROR(ENOMEM) ? SK_ENOMEM : SK_ERUNTIME;
    return sk_error_set(err, status, "%s: %s: %s", path, what, av_err2str(averr));
}

sk_status sk_av_frame_new(enum AVPixelFormat format, int width, int height, AVFrame **out,
                          const char *path, sk_error *err)
{
    AVFrame *frame = av_frame_alloc();
    if (!frame)
        return sk_error_nomem(err);
    frame->format = format;
    frame->width = width;
    frame->height = height;
    int rc = av_frame_get_buffer(frame, 0);
    if (rc < 0) {
        av_frame_free(&frame);
        return sk_av_error(err, path, "cannot allocate a frame", rc);
    }
    *out = frame; /* ownership moves to the caller */
    return SK_OK;
}

sk_status sk_av_convert(struct SwsContext *sws, const uint8_t *bgra, int stride, AVFrame *frame,
                        const char *path, sk_error *err)
{
    int rc = av_frame_make_writable(frame);
    if (rc < 0)
        return sk_av_error(err, path, "cannot make the frame writable", rc);
    const uint8_t *const planes[1] = {bgra};
    const int strides[1] = {stride};
    rc = sws_scale(sws, planes, strides, 0, frame->height, frame->data, frame->linesize);
    if (rc < 0)
        return sk_av_error(err, path, "cannot convert the frame's pixels", rc);
    if (rc != frame->height)
        return sk_error_set(err, SK_ERUNTIME, "%s: pixel conversion gave %d rows of %d", path, rc,
                            frame->height);
    return SK_OK;
}

/* Straight = premultiplied x 255 / alpha, rounded; fully transparent pixels
 * stay all zero. */
static void unpremultiply(const uint8_t *src, int stride, uint8_t *dst, int width, int height)
{
    for (int y = 0; y < height; y++) {
        const uint8_t *in = src + (size_t)y * stride;
        uint8_t *out = dst + (size_t)y * 4 * width;
        for (int x = 0; x < 4 * width; x += 4) {
            unsigned a = in[x + 3];
            for (int c = 0; c < 3; c++)
                out[x + c] = a == 0 ? 0 : a == 255 ? in[x + c] : (in[x + c] * 255u + a / 2) / a;
            out[x + 3] = (uint8_t)a;
        }
    }
}

sk_status sk_av_convert_straight(struct SwsContext *sws, const uint8_t *bgra, int stride,
                                 uint8_t **scratch, AVFrame *frame, const char *path, sk_error *err)
{
    if (!*scratch && !(*scratch = malloc((size_t)4 * frame->width * frame->height)))
        return sk_error_nomem(err);
    unpremultiply(bgra, stride, *scratch, frame->width, frame->height);
    return sk_av_convert(sws, *scratch, 4 * frame->width, frame, path, err);
}

/* ---- container files ----------------------------------------------------- */

sk_status sk_av_tempfile_ready(sk_tempfile *tmp, const char *target, char pipe[24], sk_error *err)
{
    pipe[0] = '\0';
    if (!sk_tempfile_is_pipe(tmp))
        return sk_tempfile_close(tmp, target, err);
    snprintf(pipe, 24, "pipe:%d", tmp->fd);
    return SK_OK;
}

const char *sk_av_tempfile_url(const sk_tempfile *tmp, const char pipe[24])
{
    return pipe[0] ? pipe : tmp->path;
}

sk_status sk_av_output_open(sk_av_output *out, const char *muxer, const char *path, sk_error *err)
{
    out->path = path;
    /* Created, then opened again through avio_open at start. */
    sk_status status = sk_tempfile_create(&out->tmp, path, err);
    if (status == SK_OK)
        status = sk_av_tempfile_ready(&out->tmp, path, out->pipe, err);
    if (status != SK_OK)
        return status;
    /* The muxer by name: the temporary name ends in .part. */
    int rc = avformat_alloc_output_context2(&out->mux, NULL, muxer, out->tmp.path);
    if (rc < 0)
        return sk_av_error(err, path, "cannot set up the muxer", rc);
    if (!(out->stream = avformat_new_stream(out->mux, NULL)))
        return sk_error_nomem(err);
    return SK_OK;
}

sk_status sk_av_output_start(sk_av_output *out, const char *key, const char *value, sk_error *err)
{
    int rc = avio_open(&out->mux->pb, sk_av_tempfile_url(&out->tmp, out->pipe), AVIO_FLAG_WRITE);
    if (rc < 0)
        return sk_av_error(err, out->path, "cannot open the temporary file", rc);
    AVDictionary *options = NULL;
    if (key)
        rc = av_dict_set(&options, key, value, 0);
    if (rc >= 0)
        rc = avformat_write_header(out->mux, &options);
    int ignored = av_dict_count(options); /* what the muxer did not take */
    av_dict_free(&options);
    if (rc < 0 && out->pipe[0])
        return sk_av_error(err, out->path,
                           "cannot write the header to a pipe (MP4 and MOV need a file they "
                           "can seek in; WebM, GIF and raw frames can stream)",
                           rc);
    if (rc < 0)
        return sk_av_error(err, out->path, "cannot write the header", rc);
    if (ignored > 0)
        return sk_error_set(err, SK_ERUNTIME, "%s: the muxer ignored %s=%s", out->path, key, value);
    return SK_OK;
}

sk_status sk_av_output_start_video(sk_av_output *out, sk_format format, sk_error *err)
{
    if (format == SK_FORMAT_WEBM)
        return sk_av_output_start(out, "default_mode", "infer_no_subs", err);
    return sk_av_output_start(out, "movflags", "+faststart", err);
}

sk_status sk_av_output_mux_ready(sk_av_output *out, AVCodecContext *encoder, AVPacket *packet,
                                 sk_error *err)
{
    for (;;) {
        int rc = avcodec_receive_packet(encoder, packet);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return SK_OK;
        if (rc < 0)
            return sk_av_error(err, out->path, "cannot encode", rc);
        av_packet_rescale_ts(packet, encoder->time_base, out->stream->time_base);
        packet->stream_index = out->stream->index;
        /* Takes the packet's contents and leaves it empty for the next one. */
        rc = av_interleaved_write_frame(out->mux, packet);
        /* avio keeps a failed write (a full disk) in pb->error rather than
         * returning it: look, so the render stops now, not at the trailer. */
        if (rc >= 0 && out->mux->pb->error < 0)
            rc = out->mux->pb->error;
        if (rc < 0)
            return sk_av_error(err, out->path, "cannot write", rc);
    }
}

sk_status sk_av_output_finish(sk_av_output *out, sk_error *err)
{
    int rc = av_write_trailer(out->mux); /* with faststart, rewrites moov first */
    if (rc < 0)
        return sk_av_error(err, out->path, "cannot write the index", rc);
    rc = avio_closep(&out->mux->pb);
    if (rc < 0)
        return sk_av_error(err, out->path, "cannot write", rc);
    return sk_tempfile_commit(&out->tmp, out->path, err);
}

void sk_av_output_free(sk_av_output *out)
{
    if (out->mux) {
        avio_closep(&out->mux->pb); /* no trailer: the file is being dropped */
        avformat_free_context(out->mux);
        out->mux = NULL;
        out->stream = NULL;
    }
    sk_tempfile_abandon(&out->tmp); /* no-op once finish() renamed it */
}
