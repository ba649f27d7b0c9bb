/* gif.c — the GIF sink: BGRA frames through two libavfilter graphs
 *
 *   while drawing:  buffer -> [scale] -> split -> palettegen=stats_mode=diff -> palette
 *                                             `-> frames, kept in a scratch file
 *   at the end:     frames from the file -> paletteuse(palette) -> gif encoder
 *
 * and the gif muxer (loops forever) into a temporary file renamed into
 * place by finish().
 *
 * palettegen emits its one palette only when its input ends, so every frame
 * must wait for it somewhere. In memory (one graph, paletteuse holding the
 * frames) the peak grew with the clip: 405 MB for 150 frames at 960x540,
 * 711 MB for 300, 1.35 GB for 150 at 1920x1080. In a scratch file ($TMPDIR)
 * the frames wait on disk (or in the page cache, which the system may
 * reclaim) and the peak stays flat: 110 MB, 113 MB, 164 MB. The output is
 * the same byte for byte. Time: 960x540 a little faster (0.75 s against
 * 0.82 s for 150 frames: writing and reading the file costs less than the
 * page faults of holding the frames); 1920x1080 slower where the file
 * really goes to disk (4.0-4.7 s against 2.5-3.0 s here; 2.8 s with
 * $TMPDIR on tmpfs).
 *
 * No frame is allocated per frame: the first graph gets two frames in
 * turn (palettegen keeps only the one before), the second gets buffers from
 * a pool. Fresh frames each time cost page faults and, in glibc's heap,
 * fragmentation that made palettegen's stats_mode=diff peak at 318 MB
 * instead of 71 MB over 150 frames at 960x540. (The rest of glibc's
 * whims, a peak that depended on thread timing, main() settles with a
 * single malloc arena.)
 *
 * GIF delays are whole centiseconds, so rates above 50 fps cannot be shown:
 * above 50 only every k-th frame is kept, k the smallest whole number that
 * brings fps / k to 50 or below (60 -> 30, 120 -> 40), so motion stays
 * even instead of dropping an irregular frame now and then.
 *
 * At the end paletteuse and the gif encoder both have the whole clip to
 * work through; the encoder runs on a thread of its own, fed through a small
 * queue, so the two overlap (measured: 150 frames at 960x540, finish 0.7 s
 * -> 0.4 s on 2 cores). Bayer dithering depends on a pixel's colour and
 * place only, so the file is the same byte for byte either way. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/buffer.h>
#include <libavutil/macros.h>
#include <libavutil/opt.h>

#include "sinks.h"

#define GIF_MAX_FPS 50                                   /* one frame per 2 centiseconds */
#define SCRATCH_NAME "the GIF's scratch file in $TMPDIR" /* for messages */
#define PALETTE_FILTERS "split[frames][all];[all]palettegen=stats_mode=diff[palette]"
/* bayer by default: a fixed dither pattern, so a pixel that does not change
 * keeps its dither and diff_mode=rectangle re-encodes only what moved.
 * Measured with the ffmpeg program on 180 frames of scenes/bandwidth.yaml
 * at 960x540: sierra2_4a (error diffusion) took 1.9x as long for a file 3%
 * larger; on a frame-filling gradient (scenes/temperature.yaml's field) it
 * is smoother but 2.8x larger, so it is the user's choice. */
#define DEFAULT_DITHER "bayer"
#define DITHER_FILTERS "[in][palette]paletteuse=dither=%s:diff_mode=rectangle[out]"

static const char *const dithers[] = {"bayer", "sierra2_4a", "none"};

bool sk_gif_dither_known(const char *name)
{
    for (size_t i = 0; i < sizeof dithers / sizeof dithers[0]; i++)
        if (strcmp(name, dithers[i]) == 0)
            return true;
    return false;
}

typedef struct gif_sink {
    const char *path;     /* borrowed from the sink (see sinks.h) */
    sk_av_output out;     /* the gif file */
    AVFilterGraph *graph; /* while drawing: owns source, frames_out and palette_out */
    AVFilterContext *source, *frames_out, *palette_out;
    AVFilterGraph *dither; /* at the end: owns dither_in, palette_in and sink */
    AVFilterContext *dither_in, *palette_in, *sink;
    AVCodecContext *encoder;
    AVFrame *frames[2]; /* bgra in, reused: a graph holds on to the last one it got */
    AVFrame *filtered;  /* out of a graph */
    AVPacket *packet;
    const char *dither_name; /* paletteuse's dither, borrowed from the options */
    int kept_w, kept_h;      /* the kept frames' size (the GIF's) */
    int64_t kept;            /* how many */
    AVRational time_base;    /* of the kept frames */
    int scratch;             /* the kept frames, one after another; -1 when not open */
    int keep_every;          /* k: frames kept are the 0th, k-th, 2k-th, ... */
    int64_t received;        /* frames given to write() */
    int64_t next_pts;        /* frames sent into the graph, in k/fps units */
} gif_sink;

static sk_status graph_error(gif_sink *s, const char *what, int rc, sk_error *err)
{
    return sk_av_error(err, s->path, what, rc);
}

/* Scales to gif_width keeping the aspect (rounded, at least 1 pixel). */
static void filter_description(const sk_sink_options *o, char *out, size_t size)
{
    if (o->gif_width > 0 && o->gif_width != o->width) {
        long height = ((long)o->height * o->gif_width + o->width / 2) / o->width;
        snprintf(out, size, "[in]scale=%d:%ld:flags=area," PALETTE_FILTERS, o->gif_width,
                 height > 0 ? height : 1);
    } else {
        snprintf(out, size, "[in]%s", PALETTE_FILTERS);
    }
}

/* A filter of graph, named name, from libavfilter's filter filter_name. */
static sk_status add_filter(gif_sink *s, AVFilterGraph *graph, AVFilterContext **out,
                            const char *filter_name, const char *name, const char *args,
                            sk_error *err)
{
    int rc = avfilter_graph_create_filter(out, avfilter_get_by_name(filter_name), name, args, NULL,
                                          graph);
    if (rc < 0) {
        char what[96];
        snprintf(what, sizeof what, "cannot create the filter graph's %s", name);
        return graph_error(s, what, rc, err);
    }
    return SK_OK;
}

/* A list of our filters for avfilter_graph_parse_ptr, each under the label
 * of the same index in names. Returns 0 or a negative AVERROR. */
static int named_ends(AVFilterContext **filters, const char *const *names, int n,
                      AVFilterInOut **list)
{
    *list = NULL;
    for (int i = n - 1; i >= 0; i--) {
        AVFilterInOut *end = avfilter_inout_alloc();
        if (!end || !(end->name = av_strdup(names[i]))) {
            avfilter_inout_free(&end);
            return AVERROR(ENOMEM);
        }
        end->filter_ctx = filters[i];
        end->next = *list;
        *list = end;
    }
    return 0;
}

/* Links the labelled ends of description to our filters: each `from` (a
 * source) feeds the label of the same name, each `to` (a sink) takes one. */
static int parse_graph(AVFilterGraph *graph, const char *description, AVFilterContext **from,
                       const char *const *from_names, int n_from, AVFilterContext **to,
                       const char *const *to_names, int n_to)
{
    AVFilterInOut *outputs = NULL, *inputs = NULL;
    int rc = named_ends(from, from_names, n_from, &outputs);
    if (rc >= 0)
        rc = named_ends(to, to_names, n_to, &inputs);
    if (rc >= 0)
        rc = avfilter_graph_parse_ptr(graph, description, &inputs, &outputs, NULL);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    if (rc >= 0)
        rc = avfilter_graph_config(graph, NULL);
    return rc;
}

/* A buffer source of w x h frames of format, at time_base. */
static sk_status add_source(gif_sink *s, AVFilterGraph *graph, AVFilterContext **out,
                            const char *name, int w, int h, int format, AVRational time_base,
                            sk_error *err)
{
    char args[256];
    snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=1/1", w,
             h, format, time_base.num, time_base.den);
    return add_filter(s, graph, out, "buffer", name, args, err);
}

/* The graph that runs while drawing: the palette, and the frames to keep. */
static sk_status open_graph(gif_sink *s, const sk_sink_options *o, sk_error *err)
{
    s->graph = avfilter_graph_alloc();
    if (!s->graph)
        return sk_error_nomem(err);
    sk_status status = add_source(s, s->graph, &s->source, "in", o->width, o->height,
                                  AV_PIX_FMT_BGRA, (AVRational){s->keep_every, o->fps}, err);
    if (status == SK_OK)
        status = add_filter(s, s->graph, &s->frames_out, "buffersink", "frames", NULL, err);
    if (status == SK_OK)
        status = add_filter(s, s->graph, &s->palette_out, "buffersink", "palette", NULL, err);
    if (status != SK_OK)
        return status;
    /* The kept frames as BGRA, whatever the scaler would rather give. */
    static const enum AVPixelFormat bgra[] = {AV_PIX_FMT_BGRA, AV_PIX_FMT_NONE};
    int rc = av_opt_set_int_list(s->frames_out, "pix_fmts", bgra, AV_PIX_FMT_NONE,
                                 AV_OPT_SEARCH_CHILDREN);
    if (rc < 0)
        return graph_error(s, "cannot set up palettegen", rc, err);
    char description[512];
    filter_description(o, description, sizeof description);
    static const char *const from_names[] = {"in"};
    static const char *const to_names[] = {"frames", "palette"};
    AVFilterContext *to[] = {s->frames_out, s->palette_out};
    rc = parse_graph(s->graph, description, &s->source, from_names, 1, to, to_names, 2);
    if (rc < 0)
        return graph_error(s, "cannot set up palettegen", rc, err);
    s->kept_w = av_buffersink_get_w(s->frames_out);
    s->kept_h = av_buffersink_get_h(s->frames_out);
    s->time_base = av_buffersink_get_time_base(s->frames_out);
    return SK_OK;
}

/* The graph that runs at the end: kept frames and the palette into
 * paletteuse. palette is the palette frame (its size and format). */
static sk_status open_dither(gif_sink *s, const AVFrame *palette, sk_error *err)
{
    s->dither = avfilter_graph_alloc();
    if (!s->dither)
        return sk_error_nomem(err);
    sk_status status = add_source(s, s->dither, &s->dither_in, "in", s->kept_w, s->kept_h,
                                  AV_PIX_FMT_BGRA, s->time_base, err);
    if (status == SK_OK)
        status = add_source(s, s->dither, &s->palette_in, "palette", palette->width,
                            palette->height, palette->format, s->time_base, err);
    if (status == SK_OK)
        status = add_filter(s, s->dither, &s->sink, "buffersink", "out", NULL, err);
    if (status != SK_OK)
        return status;
    static const char *const from_names[] = {"in", "palette"};
    static const char *const to_names[] = {"out"};
    AVFilterContext *from[] = {s->dither_in, s->palette_in};
    char filters[sizeof DITHER_FILTERS + 16]; /* the longest dither name fits */
    snprintf(filters, sizeof filters, DITHER_FILTERS, s->dither_name);
    int rc = parse_graph(s->dither, filters, from, from_names, 2, &s->sink, to_names, 1);
    if (rc < 0)
        return graph_error(s, "cannot set up paletteuse", rc, err);
    return SK_OK;
}

static sk_status open_encoder(gif_sink *s, sk_error *err)
{
    const AVCodec *codec = avcodec_find_encoder(AV_CODEC_ID_GIF);
    if (!codec)
        return sk_error_set(err, SK_ERUNTIME, "%s: this FFmpeg has no gif encoder", s->path);
    s->encoder = avcodec_alloc_context3(codec);
    if (!s->encoder)
        return sk_error_nomem(err);
    s->encoder->width = s->kept_w;
    s->encoder->height = s->kept_h;
    s->encoder->pix_fmt = AV_PIX_FMT_PAL8;
    s->encoder->time_base = s->time_base;
    int rc = avcodec_open2(s->encoder, codec, NULL);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot open encoder gif", rc);
    return SK_OK;
}

static sk_status open_muxer(gif_sink *s, sk_error *err)
{
    sk_status status = sk_av_output_open(&s->out, "gif", s->path, err);
    if (status != SK_OK)
        return status;
    AVStream *stream = s->out.stream;
    int rc = avcodec_parameters_from_context(stream->codecpar, s->encoder);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot copy the encoder's parameters", rc);
    stream->time_base = s->encoder->time_base;
    return sk_av_output_start(&s->out, "loop", "0", err); /* 0: forever */
}

static void gif_free(void *state)
{
    gif_sink *s = state;
    if (!s)
        return;
    av_packet_free(&s->packet);
    av_frame_free(&s->frames[0]);
    av_frame_free(&s->frames[1]);
    av_frame_free(&s->filtered);
    avcodec_free_context(&s->encoder);
    avfilter_graph_free(&s->graph);
    avfilter_graph_free(&s->dither);
    if (s->scratch >= 0)
        close(s->scratch);
    sk_av_output_free(&s->out);
    free(s);
}

static sk_status gif_open(const sk_sink_options *o, void **state, sk_error *err)
{
    if (o->gif_dither && !sk_gif_dither_known(o->gif_dither))
        return sk_error_set(err, SK_EINPUT,
                            "%s: --gif-dither: expected bayer, sierra2_4a or none, found '%s'",
                            o->path, o->gif_dither);
    gif_sink *s = calloc(1, sizeof *s);
    if (!s)
        return sk_error_nomem(err);
    s->path = o->path;
    s->dither_name = o->gif_dither ? o->gif_dither : DEFAULT_DITHER;
    s->out = SK_AV_OUTPUT_EMPTY;
    s->keep_every = (o->fps + GIF_MAX_FPS - 1) / GIF_MAX_FPS;
    s->scratch = sk_scratch_open(err);
    sk_status status = s->scratch < 0 ? SK_ERUNTIME : open_graph(s, o, err);
    if (status == SK_OK)
        status = open_encoder(s, err);
    if (status == SK_OK)
        status = open_muxer(s, err);
    for (int i = 0; i < 2 && status == SK_OK; i++)
        status = sk_av_frame_new(AV_PIX_FMT_BGRA, o->width, o->height, &s->frames[i], s->path, err);
    if (status == SK_OK && (!(s->filtered = av_frame_alloc()) || !(s->packet = av_packet_alloc())))
        status = sk_error_nomem(err);
    if (status != SK_OK) {
        gif_free(s);
        return status;
    }
    *state = s; /* ownership moves to the sink */
    return SK_OK;
}

/* Of two frames, one the graph no longer holds (palettegen keeps only the
 * frame before): reused, so no frame is allocated per frame
 * (which costs page faults, and in glibc's heap grew palettegen's peak from
 * 71 MB to 318 MB over 150 frames at 960x540). */
static sk_status writable_frame(gif_sink *s, AVFrame **two, AVFrame **out, sk_error *err)
{
    *out = av_frame_is_writable(two[0]) ? two[0] : two[1];
    int rc = av_frame_make_writable(*out); /* a copy only if both are held */
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot make the frame writable", rc);
    return SK_OK;
}

/* Appends frame f (kept_w x kept_h BGRA) to the scratch file. */
static sk_status spill(gif_sink *s, const AVFrame *f, sk_error *err)
{
    size_t row = (size_t)4 * s->kept_w;
    int rows_at_once = f->linesize[0] == (int)row ? s->kept_h : 1; /* one call if packed */
    sk_status status = SK_OK;
    for (int y = 0; y < s->kept_h && status == SK_OK; y += rows_at_once)
        status = sk_write_all(s->scratch, SCRATCH_NAME, f->data[0] + (size_t)y * f->linesize[0],
                              row * (size_t)rows_at_once, err);
    return status;
}

/* Keeps every frame the graph has ready in the scratch file. */
static sk_status keep_ready(gif_sink *s, sk_error *err)
{
    for (;;) {
        int rc = av_buffersink_get_frame(s->frames_out, s->filtered);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return SK_OK;
        if (rc < 0)
            return sk_av_error(err, s->path, "cannot filter", rc);
        sk_status status = spill(s, s->filtered, err);
        av_frame_unref(s->filtered);
        if (status != SK_OK)
            return status;
        s->kept++;
    }
}

static sk_status gif_write(void *state, int64_t frame_index, const uint8_t *bgra, int stride,
                           sk_error *err)
{
    (void)frame_index;
    gif_sink *s = state;
    if (s->received++ % s->keep_every != 0)
        return SK_OK; /* above 50 fps: only every k-th frame */
    AVFrame *frame = NULL;
    sk_status status = writable_frame(s, s->frames, &frame, err);
    if (status != SK_OK)
        return status;
    for (int y = 0; y < frame->height; y++)
        memcpy(frame->data[0] + (size_t)y * frame->linesize[0], bgra + (size_t)y * stride,
               (size_t)4 * frame->width);
    frame->pts = s->next_pts++;
    /* KEEP_REF: the graph takes its own reference; ours stays for reuse. */
    int rc = av_buffersrc_add_frame_flags(s->source, frame, AV_BUFFERSRC_FLAG_KEEP_REF);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot filter", rc);
    return keep_ready(s, err);
}

/* The frames paletteuse lets out at the end, handed to the encoder's thread:
 * dithering and LZW then run side by side instead of one after the other. */
#define QUEUE_SIZE 8
typedef struct frame_queue {
    gif_sink *s;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    AVFrame *frames[QUEUE_SIZE];
    int head, count;
    bool done;        /* the filter side will add no more frames */
    sk_status status; /* the encoder side's, SK_OK until it fails */
    sk_error err;
} frame_queue;

/* Encodes queued frames until the queue is done and empty, or encoding fails. */
static void *encode_queued(void *arg)
{
    frame_queue *q = arg;
    gif_sink *s = q->s;
    sk_status status = SK_OK;
    for (;;) {
        pthread_mutex_lock(&q->lock);
        while (q->count == 0 && !q->done)
            pthread_cond_wait(&q->changed, &q->lock);
        AVFrame *frame = NULL;
        if (q->count > 0) {
            frame = q->frames[q->head];
            q->head = (q->head + 1) % QUEUE_SIZE;
            q->count--;
            pthread_cond_signal(&q->changed);
        }
        pthread_mutex_unlock(&q->lock);
        if (!frame) /* done and drained: flush the encoder */
            break;
        int rc = avcodec_send_frame(s->encoder, frame);
        av_frame_free(&frame);
        status = rc < 0 ? sk_av_error(&q->err, s->path, "cannot encode gif", rc)
                        : sk_av_output_mux_ready(&s->out, s->encoder, s->packet, &q->err);
        if (status != SK_OK)
            break;
    }
    if (status == SK_OK) {
        int rc = avcodec_send_frame(s->encoder, NULL);
        status = rc < 0 ? sk_av_error(&q->err, s->path, "cannot flush the encoder", rc)
                        : sk_av_output_mux_ready(&s->out, s->encoder, s->packet, &q->err);
    }
    pthread_mutex_lock(&q->lock);
    q->status = status;
    q->done = true; /* a failed encoder takes no more: the filter side stops */
    pthread_cond_signal(&q->changed);
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

/* Whether the encoder's side has stopped (it failed). */
static bool queue_stopped(frame_queue *q)
{
    pthread_mutex_lock(&q->lock);
    bool stopped = q->done;
    pthread_mutex_unlock(&q->lock);
    return stopped;
}

/* Moves the frames paletteuse has ready into the queue, waiting while it is
 * full; stops early when the encoder has failed. */
static sk_status queue_filtered(frame_queue *q, sk_error *err)
{
    gif_sink *s = q->s;
    for (;;) {
        AVFrame *frame = av_frame_alloc();
        if (!frame)
            return sk_error_nomem(err);
        int rc = av_buffersink_get_frame(s->sink, frame);
        if (rc < 0) {
            av_frame_free(&frame);
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
                return SK_OK;
            return sk_av_error(err, s->path, "cannot filter", rc);
        }
        pthread_mutex_lock(&q->lock);
        while (q->count == QUEUE_SIZE && !q->done)
            pthread_cond_wait(&q->changed, &q->lock);
        bool stopped = q->done;
        if (!stopped) {
            q->frames[(q->head + q->count) % QUEUE_SIZE] = frame;
            q->count++;
            pthread_cond_signal(&q->changed);
        }
        pthread_mutex_unlock(&q->lock);
        if (stopped) {
            av_frame_free(&frame);
            return SK_OK; /* the encoder's error is the one to report */
        }
    }
}

/* Ends the first graph and takes its palette into *palette. */
static sk_status take_palette(gif_sink *s, AVFrame **palette, sk_error *err)
{
    int rc = av_buffersrc_add_frame(s->source, NULL); /* EOF: palettegen emits */
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot end the filter graph", rc);
    sk_status status = keep_ready(s, err);
    if (status != SK_OK)
        return status;
    if (!(*palette = av_frame_alloc()))
        return sk_error_nomem(err);
    rc = av_buffersink_get_frame(s->palette_out, *palette);
    if (rc < 0)
        return sk_av_error(err, s->path, "palettegen gave no palette", rc);
    return SK_OK;
}

/* Kept frame i read back from the scratch file into a new frame whose
 * buffer comes from pool: paletteuse writes into the frames it is given,
 * so each must be its own (else it copies), and the pool takes a buffer
 * back when paletteuse lets it go, so none is allocated per frame. */
static sk_status read_kept(gif_sink *s, int64_t i, AVBufferPool *pool, int linesize, AVFrame **out,
                           sk_error *err)
{
    AVFrame *f = av_frame_alloc();
    if (!f || !(f->buf[0] = av_buffer_pool_get(pool))) {
        av_frame_free(&f);
        return sk_error_nomem(err);
    }
    f->format = AV_PIX_FMT_BGRA;
    f->width = s->kept_w;
    f->height = s->kept_h;
    f->data[0] = f->buf[0]->data;
    f->linesize[0] = linesize;
    f->pts = i;
    size_t row = (size_t)4 * s->kept_w;
    int64_t at = i * (int64_t)(row * (size_t)s->kept_h);
    int rows_at_once = linesize == (int)row ? s->kept_h : 1;
    sk_status status = SK_OK;
    for (int y = 0; y < s->kept_h && status == SK_OK; y += rows_at_once)
        status = sk_read_all_at(s->scratch, f->data[0] + (size_t)y * (size_t)linesize,
                                row * (size_t)rows_at_once, at + (int64_t)y * (int64_t)row,
                                SCRATCH_NAME, err);
    if (status != SK_OK)
        av_frame_free(&f);
    *out = f;
    return status;
}

/* The kept frames, one by one, through paletteuse into the encoder's queue. */
static sk_status dither_kept(gif_sink *s, frame_queue *q, sk_error *err)
{
    int linesize = FFALIGN(4 * s->kept_w, 64);
    AVBufferPool *pool = av_buffer_pool_init((size_t)linesize * (size_t)s->kept_h, NULL);
    if (!pool)
        return sk_error_nomem(err);
    sk_status status = SK_OK;
    for (int64_t i = 0; i < s->kept && status == SK_OK && !queue_stopped(q); i++) {
        AVFrame *frame = NULL;
        status = read_kept(s, i, pool, linesize, &frame, err);
        int rc = status == SK_OK ? av_buffersrc_add_frame(s->dither_in, frame) : 0;
        av_frame_free(&frame);
        if (rc < 0)
            status = sk_av_error(err, s->path, "cannot filter", rc);
        if (status == SK_OK)
            status = queue_filtered(q, err);
    }
    av_buffer_pool_uninit(&pool); /* freed once the graph returns the last buffer */
    if (status != SK_OK)
        return status;
    int rc = av_buffersrc_add_frame(s->dither_in, NULL);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot end the filter graph", rc);
    return queue_filtered(q, err);
}

static sk_status gif_finish(void *state, sk_error *err)
{
    gif_sink *s = state;
    AVFrame *palette = NULL;
    sk_status status = take_palette(s, &palette, err);
    if (status == SK_OK)
        status = open_dither(s, palette, err);
    int rc = 0;
    if (status == SK_OK && (rc = av_buffersrc_add_frame(s->palette_in, palette)) >= 0)
        rc = av_buffersrc_add_frame(s->palette_in, NULL); /* one palette for every frame */
    av_frame_free(&palette);
    if (status == SK_OK && rc < 0)
        status = sk_av_error(err, s->path, "cannot filter", rc);
    if (status != SK_OK)
        return status;
    frame_queue q = {.s = s, .status = SK_OK};
    pthread_t encoder;
    if (pthread_mutex_init(&q.lock, NULL) != 0)
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot create a mutex", s->path);
    if (pthread_cond_init(&q.changed, NULL) != 0) {
        pthread_mutex_destroy(&q.lock);
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot create a condition", s->path);
    }
    if (pthread_create(&encoder, NULL, encode_queued, &q) != 0) {
        status = sk_error_set(err, SK_ERUNTIME, "%s: cannot start the encoder thread", s->path);
    } else {
        status = dither_kept(s, &q, err);
        pthread_mutex_lock(&q.lock);
        q.done = true;
        pthread_cond_signal(&q.changed);
        pthread_mutex_unlock(&q.lock);
        pthread_join(encoder, NULL);
        for (; q.count > 0; q.count--, q.head = (q.head + 1) % QUEUE_SIZE)
            av_frame_free(&q.frames[q.head]); /* left by a failed encoder */
        if (status == SK_OK && q.status != SK_OK) {
            *err = q.err;
            status = q.status;
        }
    }
    pthread_cond_destroy(&q.changed);
    pthread_mutex_destroy(&q.lock);
    if (status != SK_OK)
        return status;
    return sk_av_output_finish(&s->out, err);
}

const sk_sink_ops sk_gif_sink_ops = {
    .open = gif_open,
    .write = gif_write,
    .finish = gif_finish,
    .free = gif_free,
};
