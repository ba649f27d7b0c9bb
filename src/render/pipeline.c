/* pipeline.c — see pipeline.h. One mutex and one condition variable guard
 * all shared state; it changes a few times per frame, so contention is
 * negligible next to the milliseconds a frame takes to draw. */
#include "pipeline.h"

#include <cairo.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "render.h"

#define SLOTS_PER_THREAD 2 /* one being drawn, one drawn and waiting to be written */
#define CANCEL_POLL_MS 50  /* how often the writer looks at the cancel flag */

typedef struct slot {
    cairo_surface_t *surface;
    cairo_t *cr;
    sk_sink_frame *prepared;
    int64_t frame; /* the frame it holds once ready */
    bool ready;    /* drawn and prepared, not yet written */
} slot;

typedef struct pipeline pipeline;

typedef struct worker {
    pipeline *p;
    sk_evaluator *evaluator;
    pthread_t thread;
    bool started;
    sk_error err;
} worker;

struct pipeline {
    const sk_pipeline_job *job;
    sk_label_places *plan; /* the moving labels' places, shared by the workers */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    slot *slots;
    int slot_count;
    worker *workers;
    int64_t next_to_draw;  /* the next frame a worker takes */
    int64_t next_to_write; /* the frame the writer waits for */
    bool stop;             /* an error or a cancel: everyone leaves */
    sk_status status;      /* the first error */
    sk_error *err;         /* receives the first error's message */
};

/* Records the first failure and tells every thread to stop. Caller holds
 * the lock. */
static void fail_locked(pipeline *p, sk_status status, const sk_error *why)
{
    if (p->status == SK_OK) {
        p->status = status;
        if (p->err && why)
            memcpy(p->err->message, why->message, sizeof p->err->message);
        if (p->err)
            p->err->status = status;
    }
    p->stop = true;
    pthread_cond_broadcast(&p->changed);
}

static sk_status draw_into(worker *w, slot *s, int64_t frame)
{
    const sk_pipeline_job *job = w->p->job;
    sk_status st;
    if (job->source) {
        cairo_surface_flush(s->surface);
        st = job->source(job->source_ctx, frame, cairo_image_surface_get_data(s->surface),
                         cairo_image_surface_get_stride(s->surface), &w->err);
        cairo_surface_mark_dirty(s->surface);
    } else {
        st = sk_draw_scene_frame(s->cr, job->scene, job->timeline, w->evaluator, frame, &w->err);
    }
    if (st != SK_OK)
        return st;
    cairo_surface_flush(s->surface);
    return sk_sink_frame_fill(s->prepared, cairo_image_surface_get_data(s->surface),
                              cairo_image_surface_get_stride(s->surface), &w->err);
}

static void *work(void *arg)
{
    worker *w = arg;
    pipeline *p = w->p;
    pthread_mutex_lock(&p->lock);
    while (!p->stop && p->next_to_draw < p->job->end) {
        int64_t frame = p->next_to_draw++;
        /* Frame f uses slot f mod n, free once frame f - n is written. */
        slot *s = &p->slots[(frame - p->job->first) % p->slot_count];
        while (!p->stop && frame >= p->next_to_write + p->slot_count)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->stop)
            break;
        pthread_mutex_unlock(&p->lock);
        sk_status st = draw_into(w, s, frame);
        pthread_mutex_lock(&p->lock);
        if (st != SK_OK) {
            fail_locked(p, st, &w->err);
            break;
        }
        s->frame = frame;
        s->ready = true;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Whether everyone must stop: an error, or a cancel, which this records as
 * the error. Caller holds the lock. */
static bool must_stop_locked(pipeline *p)
{
    if (!p->stop && p->job->cancel && *p->job->cancel) {
        sk_error why;
        sk_error_set(&why, SK_EINTERRUPTED, "interrupted");
        fail_locked(p, SK_EINTERRUPTED, &why);
    }
    return p->stop;
}

static void wait_a_little(pipeline *p)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += CANCEL_POLL_MS * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    pthread_cond_timedwait(&p->changed, &p->lock, &until);
}

/* The calling thread's part: each frame's slot, in order, to the sink. */
static void write_in_order(pipeline *p)
{
    const sk_pipeline_job *job = p->job;
    sk_error local;
    for (int64_t frame = job->first; frame < job->end; frame++) {
        slot *s = &p->slots[(frame - job->first) % p->slot_count];
        pthread_mutex_lock(&p->lock);
        while (!must_stop_locked(p) && !(s->ready && s->frame == frame))
            wait_a_little(p);
        bool stop = p->stop;
        pthread_mutex_unlock(&p->lock);
        if (stop)
            return;
        sk_status st = sk_sink_write_frame(job->sink, frame, s->prepared, &local);
        pthread_mutex_lock(&p->lock);
        s->ready = false;
        p->next_to_write = frame + 1; /* frees the slot for frame + slot_count */
        if (st != SK_OK)
            fail_locked(p, st, &local);
        pthread_cond_broadcast(&p->changed);
        stop = p->stop;
        pthread_mutex_unlock(&p->lock);
        if (stop)
            return;
        if (job->progress)
            sk_progress_update(job->progress, frame + 1 - job->first);
    }
}

static sk_status open_slot(slot *s, const sk_pipeline_job *job, sk_error *err)
{
    int w = job->scene->width, h = job->scene->height;
    s->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_status_t status = cairo_surface_status(s->surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        s->cr = cairo_create(s->surface);
        status = cairo_status(s->cr);
    }
    if (status != CAIRO_STATUS_SUCCESS)
        return sk_error_set(err, SK_ERUNTIME, "cannot create a %dx%d drawing surface: %s", w, h,
                            cairo_status_to_string(status));
    return sk_sink_frame_new(job->sink, &s->prepared, err);
}

static void close_slot(slot *s)
{
    sk_sink_frame_free(s->prepared);
    if (s->cr)
        cairo_destroy(s->cr);
    if (s->surface)
        cairo_surface_destroy(s->surface);
}

static sk_status open_pool(pipeline *p, int threads, sk_error *err)
{
    p->slot_count = SLOTS_PER_THREAD * threads;
    p->slots = calloc((size_t)p->slot_count, sizeof *p->slots);
    p->workers = calloc((size_t)threads, sizeof *p->workers);
    if (!p->slots || !p->workers)
        return sk_error_nomem(err);
    for (int i = 0; i < p->slot_count; i++) {
        sk_status st = open_slot(&p->slots[i], p->job, err);
        if (st != SK_OK)
            return st;
    }
    for (int i = 0; i < threads; i++) {
        p->workers[i].p = p;
        sk_status st = sk_evaluator_new(p->job->scene, &p->workers[i].evaluator, err);
        if (st != SK_OK)
            return st;
    }
    if (p->job->source)
        return SK_OK; /* frames read, not drawn */
    /* Planned once, here, rather than by every worker at its first frame. */
    sk_status st = sk_plan_label_places(p->workers[0].evaluator, p->slots[0].cr, p->job->timeline,
                                        &p->plan, err);
    for (int i = 0; st == SK_OK && i < threads; i++)
        sk_evaluator_follow(p->workers[i].evaluator, p->plan);
    return st;
}

static void close_pool(pipeline *p, int threads)
{
    for (int i = 0; p->workers && i < threads; i++)
        sk_evaluator_free(p->workers[i].evaluator);
    for (int i = 0; p->slots && i < p->slot_count; i++)
        close_slot(&p->slots[i]);
    free(p->workers);
    free(p->slots);
    free(p->plan);
}

/* Workers start with SIGINT and SIGTERM blocked, so the handler (which
 * only sets the cancel flag) runs on the writer's thread. */
static sk_status start_workers(pipeline *p, int threads, sk_error *err)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = 0;
    for (int i = 0; i < threads && rc == 0; i++) {
        rc = pthread_create(&p->workers[i].thread, NULL, work, &p->workers[i]);
        p->workers[i].started = rc == 0;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return sk_error_set(err, SK_ERUNTIME, "cannot start a drawing thread: %s",
                            rc == EAGAIN ? "too many threads" : "pthread_create failed");
    return SK_OK;
}

static void stop_workers(pipeline *p, int threads)
{
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < threads; i++)
        if (p->workers[i].started)
            pthread_join(p->workers[i].thread, NULL);
}

sk_status sk_pipeline_run(const sk_pipeline_job *job, sk_error *err)
{
    int64_t frames = job->end - job->first;
    int threads = job->threads < 1 ? 1 : job->threads;
    if (threads > frames)
        threads = (int)frames; /* no idle threads holding a surface each */
    pipeline p = {.job = job, .next_to_draw = job->first, .next_to_write = job->first, .err = err};
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.changed, NULL);
    sk_status st = open_pool(&p, threads, err); /* no threads yet: err is ours */
    if (st == SK_OK) {
        sk_error why;
        if (start_workers(&p, threads, &why) == SK_OK) {
            write_in_order(&p);
        } else { /* the workers that did start may have failed first */
            pthread_mutex_lock(&p.lock);
            fail_locked(&p, SK_ERUNTIME, &why);
            pthread_mutex_unlock(&p.lock);
        }
        stop_workers(&p, threads);
        st = p.status;
    }
    close_pool(&p, threads);
    pthread_cond_destroy(&p.changed);
    pthread_mutex_destroy(&p.lock);
    return st;
}

int sk_pipeline_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}
