/* pipeline.h — frames drawn in parallel, written in order.
 *
 * N worker threads each own an evaluator and draw frames into a pool of
 * 2N slots (a Cairo surface plus the sink's prepared frame each), converting
 * them for the sink as they go; the calling thread hands the slots to the
 * sink in frame order and reports progress. Memory is bounded by the pool:
 * a worker waits while its frame's slot still holds an unwritten frame.
 *
 * What the threads share is read-only (scene, timeline) or locked (the
 * formula cache in draw/formulas.c); Pango's default font map is per thread
 * and fontconfig is thread-safe, so each worker's own cairo_t and layouts
 * need nothing more. A frame is a pure function of its index, so the output
 * does not depend on the thread count.
 */
#ifndef SK_PIPELINE_H
#define SK_PIPELINE_H

#include <signal.h>
#include <stdint.h>

#include "../encode/encode.h"
#include "../error/error.h"
#include "../scene/scene.h"
#include "../timeline/timeline.h"
#include "progress.h"

/* Fills frame's pixels (Cairo's ARGB32, BGRA bytes in memory, rows stride
 * bytes apart) in place of drawing the scene's frame: how bench_pipeline
 * times the pipeline with the drawing taken out. */
typedef sk_status (*sk_frame_source)(void *ctx, int64_t frame, unsigned char *bgra, int stride,
                                     sk_error *err);

typedef struct sk_pipeline_job {
    const sk_scene *scene;
    const sk_timeline *timeline;
    sk_sink *sink;
    int64_t first, end;            /* frames [first, end), first < end */
    int threads;                   /* worker threads, >= 1 */
    volatile sig_atomic_t *cancel; /* may be NULL */
    sk_progress *progress;         /* may be NULL */
    sk_frame_source source;        /* NULL: draw the scene's frames */
    void *source_ctx;
} sk_pipeline_job;

/* Draws and writes every frame of the job, not finishing the sink. On any
 * error or cancellation every thread stops within a frame and the first
 * error is returned (SK_EINTERRUPTED for a cancel). */
sk_status sk_pipeline_run(const sk_pipeline_job *job, sk_error *err);

/* The default worker count: the processors online, at least 1. */
int sk_pipeline_default_threads(void);

#endif
