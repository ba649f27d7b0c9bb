/* png.c — the PNG-sequence sink: one PNG per frame, encoded by libavcodec's
 * png encoder, each written under a temporary name and renamed into place
 * before write() returns. Nothing is pending between frames, so finish()
 * has nothing to drain, and an unfinished sequence keeps the frames that
 * were complete.
 *
 * Pixels go out as RGB24: our frames are opaque, so premultiplied BGRA is
 * plain BGRA and dropping alpha loses nothing; RGB24 is also 3/4 of the
 * bytes to compress. With --transparent they go out as RGBA with straight
 * alpha, as PNG defines it. swscale does the exact byte shuffle (no
 * scaling). */
#include <stdlib.h>

#include <libavcodec/avcodec.h>
#include <libavutil/opt.h>

#include "sinks.h"
#include "../fileio/fileio.h"

/* zlib level (0..9) and PNG row filter, measured on three synthetic
 * 1920x1080 frames like ours (flat dark UI; dark and light smooth fields;
 * grid, links, dots, text), ms per frame / bytes, one thread:
 *   level 6 none (the encoder's default)  21 / 199k   38 / 378k   45 / 521k
 *   level 3 none                          10 / 245k   18 / 517k   23 / 742k
 *   level 1 none                          10 / 262k   17 / 639k   21 / 858k
 *   level 3 up / paeth / mixed            11-64 ms, never smaller than none
 * Level 3 halves the time of the default for files 23-42% larger; levels
 * 1-3 share zlib's fast strategy, so 1 buys no speed over 3. Flat and
 * smooth frames compress best unfiltered: at level 3 no filter beat "none"
 * on any of the three. */
#define PNG_DEFAULT_COMPRESSION 3
#define PNG_COMPRESSION_MAX 9 /* zlib's best */
#define PNG_PREDICTION "none"
/* Bytes for one frame's file name (Linux's PATH_MAX). */
#define PNG_PATH_BYTES 4096

typedef struct png_sink {
    const char *pattern; /* borrowed from the sink (see sinks.h) */
    int width, height, fps;
    int compression;  /* zlib level 0..9 */
    bool transparent; /* RGBA with straight alpha, else RGB24 */
} png_sink;

/* One frame converted and compressed, by whichever thread fills it: PNG
 * frames are independent, so all the costly work runs in the workers and
 * the sink only saves the bytes. */
typedef struct png_frame {
    const char *pattern;
    AVCodecContext *encoder;
    struct SwsContext *sws;
    AVFrame *frame;    /* rgb24 or rgba */
    AVPacket *packet;  /* the compressed file, until frame_write saves it */
    uint8_t *straight; /* straight-alpha scratch image, only with --transparent */
    bool transparent;
} png_frame;

static enum AVPixelFormat pixel_format(const png_frame *f)
{
    return f->transparent ? AV_PIX_FMT_RGBA : AV_PIX_FMT_RGB24;
}

static sk_status open_encoder(png_frame *s, const png_sink *o, sk_error *err)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
    if (!codec)
        return sk_error_set(err, SK_ERUNTIME, "%s: this FFmpeg has no png encoder", s->pattern);
    s->encoder = avcodec_alloc_context3(codec);
    if (!s->encoder)
        return sk_error_nomem(err);
    s->encoder->width = o->width;
    s->encoder->height = o->height;
    s->encoder->pix_fmt = pixel_format(s);
    s->encoder->time_base = (AVRational){1, o->fps}; /* required, though unused */
    s->encoder->compression_level = o->compression;
    /* One thread: with frame threading each packet would come out frames
     * later, and fill() must hold the frame's file when it returns.
     * Parallelism comes from the frames' own threads. */
    s->encoder->thread_count = 1;
    int rc = av_opt_set(s->encoder->priv_data, "pred", PNG_PREDICTION, 0);
    if (rc < 0)
        return sk_av_error(err, s->pattern, "cannot set png option pred", rc);
    rc = avcodec_open2(s->encoder, codec, NULL);
    if (rc < 0)
        return sk_av_error(err, s->pattern, "cannot open encoder png", rc);
    return SK_OK;
}

static sk_status open_converter(png_frame *s, int width, int height, sk_error *err)
{
    s->sws = sws_getContext(width, height, AV_PIX_FMT_BGRA, width, height, pixel_format(s),
                            SWS_POINT, NULL, NULL, NULL);
    if (!s->sws)
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot set up the BGRA conversion", s->pattern);
    return sk_av_frame_new(pixel_format(s), width, height, &s->frame, s->pattern, err);
}

/* Creates and removes a temporary file in the sequence's directory, so that
 * a missing or read-only directory is reported at open, naming the pattern,
 * rather than at the first frame. (The probe's name is built from the
 * pattern itself; it exists only for the moment of the check.) */
static sk_status probe_directory(const png_sink *s, sk_error *err)
{
    sk_tempfile probe;
    sk_status status = sk_tempfile_create(&probe, s->pattern, err);
    sk_tempfile_abandon(&probe);
    return status;
}

static void png_free(void *state)
{
    free(state);
}

static sk_status png_open(const sk_sink_options *o, void **state, sk_error *err)
{
    if (o->png_compression < -1 || o->png_compression > PNG_COMPRESSION_MAX)
        return sk_error_set(err, SK_EINPUT, "%s: png compression %d is outside 0..%d", o->path,
                            o->png_compression, PNG_COMPRESSION_MAX);
    png_sink *s = calloc(1, sizeof *s);
    if (!s)
        return sk_error_nomem(err);
    int compression = o->png_compression >= 0 ? o->png_compression : PNG_DEFAULT_COMPRESSION;
    *s = (png_sink){o->path, o->width, o->height, o->fps, compression, o->transparent};
    sk_status status = probe_directory(s, err);
    if (status != SK_OK) {
        png_free(s);
        return status;
    }
    *state = s; /* ownership moves to the sink */
    return SK_OK;
}

static void png_frame_free(void *state)
{
    png_frame *f = state;
    if (!f)
        return;
    sk_av_release(&f->encoder, &f->sws, &f->frame, &f->packet);
    free(f->straight);
    free(f);
}

static sk_status png_frame_new(void *state, void **out, sk_error *err)
{
    const png_sink *s = state;
    png_frame *f = calloc(1, sizeof *f);
    if (!f)
        return sk_error_nomem(err);
    f->pattern = s->pattern;
    f->transparent = s->transparent;
    sk_status status = open_encoder(f, s, err);
    if (status == SK_OK)
        status = open_converter(f, s->width, s->height, err);
    if (status == SK_OK && !(f->packet = av_packet_alloc()))
        status = sk_error_nomem(err);
    if (status != SK_OK) {
        png_frame_free(f);
        return status;
    }
    *out = f; /* ownership moves to the caller */
    return SK_OK;
}

/* One frame in, one PNG out: the png encoder has no delay. */
static sk_status png_frame_fill(void *state, const uint8_t *bgra, int stride, sk_error *err)
{
    png_frame *f = state;
    av_packet_unref(f->packet);
    sk_status status =
        f->transparent
            ? sk_av_convert_straight(f->sws, bgra, stride, &f->straight, f->frame, f->pattern, err)
            : sk_av_convert(f->sws, bgra, stride, f->frame, f->pattern, err);
    if (status != SK_OK)
        return status;
    int rc = avcodec_send_frame(f->encoder, f->frame);
    if (rc >= 0)
        rc = avcodec_receive_packet(f->encoder, f->packet);
    if (rc < 0)
        return sk_av_error(err, f->pattern, "cannot encode png", rc);
    return SK_OK;
}

static sk_status save_packet(const AVPacket *packet, const char *path, sk_error *err)
{
    sk_tempfile tmp;
    sk_status status = sk_tempfile_create(&tmp, path, err);
    if (status == SK_OK)
        status = sk_tempfile_write(&tmp, path, packet->data, (size_t)packet->size, err);
    if (status == SK_OK)
        status = sk_tempfile_commit(&tmp, path, err);
    sk_tempfile_abandon(&tmp); /* no-op after a commit */
    return status;
}

static sk_status png_frame_write(void *state, int64_t frame_index, void *frame, sk_error *err)
{
    png_sink *s = state;
    png_frame *f = frame;
    char path[PNG_PATH_BYTES];
    sk_status status = sk_format_frame_path(SK_FORMAT_PNG_SEQUENCE, s->pattern, frame_index, path,
                                            sizeof path, err);
    if (status == SK_OK)
        status = save_packet(f->packet, path, err);
    av_packet_unref(f->packet);
    return status;
}

static sk_status png_finish(void *state, sk_error *err)
{
    (void)state; /* every frame was complete when its write() returned */
    (void)err;
    return SK_OK;
}

const sk_sink_ops sk_png_sink_ops = {
    .open = png_open,
    .finish = png_finish,
    .free = png_free,
    .frame_new = png_frame_new,
    .frame_fill = png_frame_fill,
    .frame_write = png_frame_write,
    .frame_free = png_frame_free,
};
