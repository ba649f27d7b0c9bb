/* gif.c — the GIF sink: BGRA frames through a libavfilter graph
 *
 *   buffer -> [scale] -> split -> palettegen=stats_mode=diff -> paletteuse -> buffersink
 *                             `-----------------------------------^
 *
 * then libavcodec's gif encoder and the gif muxer (loops forever) into a
 * temporary file renamed into place by finish().
 *
 * palettegen emits its one palette only when its input ends, so paletteuse
 * holds every frame until finish() sends the graph EOF: the whole clip sits
 * in memory at the GIF's size (measured peak: 460 MB for 180 frames at
 * 960x540, 600 MB for 60 at 1920x1080), which is what GIFs of a few
 * seconds can afford, and cheaper than drawing them twice. (Two passes,
 * palettegen over all frames and then paletteuse frame by frame, were tried:
 * the same bytes, 15% slower, and no lower peak, because palettegen's
 * stats_mode=diff itself grows with the clip in this libavfilter (5.1): the
 * ffmpeg program's palettegen alone peaks at 290 MB over those 150 frames,
 * 71 MB with stats_mode=full.)
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

#include <libavcodec/avcodec.h>
#include <libavfilter/avfilter.h>
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>

#include "sinks.h"

#define GIF_MAX_FPS 50 /* one frame per 2 centiseconds */
/* bayer: a fixed dither pattern, so a pixel that does not change keeps its
 * dither and diff_mode=rectangle re-encodes only what moved. Measured with
 * the ffmpeg program on 180 frames of scenes/bandwidth.yaml at 960x540:
 * sierra2_4a (error diffusion) took 1.9x as long for a file 3% larger. */
#define GIF_FILTERS                                                                                \
    "split[a][b];[a]palettegen=stats_mode=diff[p];"                                                \
    "[b][p]paletteuse=dither=bayer:diff_mode=rectangle"

typedef struct gif_sink {
    const char *path;     /* borrowed from the sink (see sinks.h) */
    sk_av_output out;     /* the gif file */
    AVFilterGraph *graph; /* owns source and sink */
    AVFilterContext *source, *sink;
    AVCodecContext *encoder;
    AVFrame *frame;    /* bgra in; reused for every frame */
    AVFrame *filtered; /* pal8 out of the graph */
    AVPacket *packet;
    int keep_every;   /* k: frames kept are the 0th, k-th, 2k-th, ... */
    int64_t received; /* frames given to write() */
    int64_t next_pts; /* frames sent into the graph, in k/fps units */
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
        snprintf(out, size, "scale=%d:%ld:flags=area," GIF_FILTERS, o->gif_width,
                 height > 0 ? height : 1);
    } else {
        snprintf(out, size, "%s", GIF_FILTERS);
    }
}

static sk_status open_graph(gif_sink *s, const sk_sink_options *o, sk_error *err)
{
    s->graph = avfilter_graph_alloc();
    if (!s->graph)
        return sk_error_nomem(err);
    char args[256];
    snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=1/1",
             o->width, o->height, AV_PIX_FMT_BGRA, s->keep_every, o->fps);
    int rc = avfilter_graph_create_filter(&s->source, avfilter_get_by_name("buffer"), "in", args,
                                          NULL, s->graph);
    if (rc < 0)
        return graph_error(s, "cannot create the filter graph's source", rc, err);
    rc = avfilter_graph_create_filter(&s->sink, avfilter_get_by_name("buffersink"), "out", NULL,
                                      NULL, s->graph);
    if (rc < 0)
        return graph_error(s, "cannot create the filter graph's sink", rc, err);
    AVFilterInOut *outputs = avfilter_inout_alloc(), *inputs = avfilter_inout_alloc();
    char description[512];
    filter_description(o, description, sizeof description);
    if (!outputs || !inputs || !(outputs->name = av_strdup("in")) ||
        !(inputs->name = av_strdup("out")))
        rc = AVERROR(ENOMEM);
    else {
        outputs->filter_ctx = s->source; /* the graph's text reads from our source... */
        inputs->filter_ctx = s->sink;    /* ...and writes to our sink */
        rc = avfilter_graph_parse_ptr(s->graph, description, &inputs, &outputs, NULL);
    }
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    if (rc >= 0)
        rc = avfilter_graph_config(s->graph, NULL);
    if (rc < 0)
        return graph_error(s, "cannot set up palettegen/paletteuse", rc, err);
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
    s->encoder->width = av_buffersink_get_w(s->sink);
    s->encoder->height = av_buffersink_get_h(s->sink);
    s->encoder->pix_fmt = AV_PIX_FMT_PAL8;
    s->encoder->time_base = av_buffersink_get_time_base(s->sink);
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
    av_frame_free(&s->frame);
    av_frame_free(&s->filtered);
    avcodec_free_context(&s->encoder);
    avfilter_graph_free(&s->graph);
    sk_av_output_free(&s->out);
    free(s);
}

static sk_status gif_open(const sk_sink_options *o, void **state, sk_error *err)
{
    gif_sink *s = calloc(1, sizeof *s);
    if (!s)
        return sk_error_nomem(err);
    s->path = o->path;
    s->out = SK_AV_OUTPUT_EMPTY;
    s->keep_every = (o->fps + GIF_MAX_FPS - 1) / GIF_MAX_FPS;
    sk_status status = open_graph(s, o, err);
    if (status == SK_OK)
        status = open_encoder(s, err);
    if (status == SK_OK)
        status = open_muxer(s, err);
    if (status == SK_OK)
        status = sk_av_frame_new(AV_PIX_FMT_BGRA, o->width, o->height, &s->frame, s->path, err);
    if (status == SK_OK && (!(s->filtered = av_frame_alloc()) || !(s->packet = av_packet_alloc())))
        status = sk_error_nomem(err);
    if (status != SK_OK) {
        gif_free(s);
        return status;
    }
    *state = s; /* ownership moves to the sink */
    return SK_OK;
}

/* Moves every frame the graph has finished into the encoder. */
static sk_status encode_filtered(gif_sink *s, sk_error *err)
{
    for (;;) {
        int rc = av_buffersink_get_frame(s->sink, s->filtered);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
            return SK_OK;
        if (rc < 0)
            return sk_av_error(err, s->path, "cannot filter", rc);
        rc = avcodec_send_frame(s->encoder, s->filtered);
        av_frame_unref(s->filtered);
        if (rc < 0)
            return sk_av_error(err, s->path, "cannot encode gif", rc);
        sk_status status = sk_av_output_mux_ready(&s->out, s->encoder, s->packet, err);
        if (status != SK_OK)
            return status;
    }
}

static sk_status gif_write(void *state, int64_t frame_index, const uint8_t *bgra, int stride,
                           sk_error *err)
{
    (void)frame_index;
    gif_sink *s = state;
    if (s->received++ % s->keep_every != 0)
        return SK_OK; /* above 50 fps: only every k-th frame */
    int rc = av_frame_make_writable(s->frame);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot make the frame writable", rc);
    for (int y = 0; y < s->frame->height; y++)
        memcpy(s->frame->data[0] + (size_t)y * s->frame->linesize[0], bgra + (size_t)y * stride,
               (size_t)4 * s->frame->width);
    s->frame->pts = s->next_pts++;
    /* KEEP_REF: the graph takes its own reference; ours stays for reuse. */
    rc = av_buffersrc_add_frame_flags(s->source, s->frame, AV_BUFFERSRC_FLAG_KEEP_REF);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot filter", rc);
    return encode_filtered(s, err);
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

/* Moves the graph's remaining frames into the queue, waiting while it is
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

static sk_status gif_finish(void *state, sk_error *err)
{
    gif_sink *s = state;
    /* EOF into the graph: palettegen emits the palette, paletteuse drains. */
    int rc = av_buffersrc_add_frame(s->source, NULL);
    if (rc < 0)
        return sk_av_error(err, s->path, "cannot end the filter graph", rc);
    frame_queue q = {.s = s, .status = SK_OK};
    pthread_t encoder;
    if (pthread_mutex_init(&q.lock, NULL) != 0)
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot create a mutex", s->path);
    if (pthread_cond_init(&q.changed, NULL) != 0) {
        pthread_mutex_destroy(&q.lock);
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot create a condition", s->path);
    }
    sk_status status = SK_OK;
    if (pthread_create(&encoder, NULL, encode_queued, &q) != 0) {
        status = sk_error_set(err, SK_ERUNTIME, "%s: cannot start the encoder thread", s->path);
    } else {
        status = queue_filtered(&q, err);
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
