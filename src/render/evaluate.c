/* evaluate.c — a frame's numbers: weights and blended output from the core,
 * for the frame loop and for the weights export alike. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#include "../tex/tex.h"

sk_status sk_load_scene(const char *path, sk_scene **out, sk_error *err)
{
    sk_status status = sk_scene_load(path, out, err);
    if (status == SK_OK && (status = sk_tex_prepare(*out, err)) != SK_OK) {
        sk_scene_free(*out);
        *out = NULL;
    }
    return status;
}

struct sk_evaluator {
    size_t n;
    sk_vec2 *positions; /* the keys as plain arrays, gathered once */
    sk_rgb *colours;
    double *scalars;
    double *weights;
    double *compare; /* attention.compare's weights */
    double *scratch; /* for knn and topk */
    const sk_scene *scene;
    bool planned;            /* places below worked out (or found unneeded) */
    sk_label_places *places; /* one per frame of the timeline, or NULL */
};

void sk_evaluator_free(sk_evaluator *e)
{
    if (!e)
        return;
    free(e->places);
    free(e->scratch);
    free(e->compare);
    free(e->weights);
    free(e->scalars);
    free(e->colours);
    free(e->positions);
    free(e);
}

sk_status sk_evaluator_new(const sk_scene *scene, sk_evaluator **out, sk_error *err)
{
    size_t n = (size_t)scene->key_count;
    sk_evaluator *e = calloc(1, sizeof *e);
    *out = NULL;
    if (!e)
        return sk_error_nomem(err);
    e->n = n;
    e->scene = scene;
    e->positions = malloc(n * sizeof *e->positions);
    e->colours = malloc(n * sizeof *e->colours);
    e->scalars = malloc(n * sizeof *e->scalars);
    e->weights = malloc(n * sizeof *e->weights);
    e->compare = malloc(n * sizeof *e->compare);
    e->scratch = malloc(n * sizeof *e->scratch);
    if (!e->positions || !e->colours || !e->scalars || !e->weights || !e->compare || !e->scratch) {
        sk_evaluator_free(e);
        return sk_error_nomem(err);
    }
    for (size_t i = 0; i < n; i++) {
        e->positions[i] = scene->keys[i].at;
        e->colours[i] = scene->keys[i].value;
        e->scalars[i] = scene->keys[i].scalar;
    }
    *out = e;
    return SK_OK;
}

void sk_evaluate(sk_evaluator *e, const sk_frame_state *state, sk_frame *frame)
{
    frame->state = state;
    frame->weights = e->weights;
    frame->has_output = sk_attention_weights(&state->kernel, state->query, e->positions, e->n,
                                             e->weights, e->scratch);
    frame->output = sk_blend_srgb(e->weights, e->colours, e->n);
    frame->scalar = sk_blend_scalar(e->weights, e->scalars, e->n);
    frame->compare = NULL;
    frame->places = NULL;
    if (e->scene->has_compare) {
        /* The compared kernel shares the main one's projections. */
        sk_kernel compare = e->scene->compare;
        compare.projected = state->kernel.projected;
        compare.w_q = state->kernel.w_q;
        compare.w_k = state->kernel.w_k;
        sk_attention_weights(&compare, state->query, e->positions, e->n, e->compare, e->scratch);
        frame->compare = e->compare;
    }
}

/* A moving label keeps its place at least STEADY_SECONDS, and leaves it
 * only when that saves covering (sk_label_costs) more than SWITCH_SHARE of
 * its own box for that long per move: a few frames' graze of a key's disc
 * is sat out, a heavy key's name hidden for a tenth of a second is not.
 * Measured on the scenes/ (shortest run, moves of the query's name):
 * intro 93 frames, 2 moves; bench-orbit 34, 9 (29 moves, runs of 1 frame,
 * when each frame chose alone). */
#define STEADY_SECONDS 0.5
#define SWITCH_SHARE 0.02

/* Per frame: the covers, then the choices. */
typedef struct label_plan {
    double *query, *sigma;
    unsigned char *query_place, *sigma_place;
    double query_area, sigma_area; /* the largest box seen */
    bool any;                      /* some frame draws a moving label */
} label_plan;

static void label_plan_free(label_plan *l)
{
    free(l->query);
    free(l->sigma);
    free(l->query_place);
    free(l->sigma_place);
}

static void measure_covers(sk_evaluator *e, cairo_t *cr, const sk_timeline *timeline,
                           int64_t frames, label_plan *l)
{
    const sk_scene *scene = e->scene;
    for (int64_t f = 0; f < frames; f++) {
        sk_frame_state state;
        sk_timeline_state_at(timeline, f, &state);
        sk_frame frame;
        sk_evaluate(e, &state, &frame);
        sk_layout layout;
        sk_layout_make(scene->width, scene->height, scene, state.camera_center, state.camera_zoom,
                       &layout);
        sk_label_costs c;
        sk_label_costs_of(cr, &layout, scene, timeline, &frame, &c);
        memcpy(l->query + f * SK_QUERY_LABEL_PLACES, c.query, sizeof c.query);
        memcpy(l->sigma + f * SK_SIGMA_LABEL_PLACES, c.sigma, sizeof c.sigma);
        l->query_area = fmax(l->query_area, c.query_area);
        l->sigma_area = fmax(l->sigma_area, c.sigma_area);
        l->any = l->any || c.query_area > 0.0;
    }
}

/* Each worker plans for itself: the same figures give the same places, so
 * a frame is still a pure function of its index, and no worker waits. */
sk_status sk_plan_label_places(sk_evaluator *e, cairo_t *cr, const sk_timeline *timeline,
                               sk_label_places **out, sk_error *err)
{
    *out = NULL;
    size_t frames = (size_t)sk_timeline_frame_count(timeline);
    if (frames == 0)
        return SK_OK;
    label_plan l = {.query = malloc(frames * SK_QUERY_LABEL_PLACES * sizeof *l.query),
                    .sigma = malloc(frames * SK_SIGMA_LABEL_PLACES * sizeof *l.sigma),
                    .query_place = malloc(frames),
                    .sigma_place = malloc(frames)};
    sk_label_places *places = malloc(frames * sizeof *places);
    if (!l.query || !l.sigma || !l.query_place || !l.sigma_place || !places) {
        label_plan_free(&l);
        free(places);
        return sk_error_nomem(err);
    }
    measure_covers(e, cr, timeline, (int64_t)frames, &l);
    int min_run = (int)lround(STEADY_SECONDS * e->scene->fps);
    bool planned =
        !l.any || (sk_steady_choices(l.query, frames, SK_QUERY_LABEL_PLACES, min_run,
                                     SWITCH_SHARE * l.query_area * min_run, l.query_place) &&
                   sk_steady_choices(l.sigma, frames, SK_SIGMA_LABEL_PLACES, min_run,
                                     SWITCH_SHARE * l.sigma_area * min_run, l.sigma_place));
    for (size_t f = 0; l.any && planned && f < frames; f++)
        places[f] = (sk_label_places){l.query_place[f], l.sigma_place[f]};
    label_plan_free(&l);
    if (!l.any || !planned) {
        free(places);
        return planned ? SK_OK : sk_error_nomem(err);
    }
    *out = places;
    return SK_OK;
}

sk_status sk_draw_scene_frame(cairo_t *cr, const sk_scene *scene, const sk_timeline *timeline,
                              sk_evaluator *evaluator, int64_t index, sk_error *err)
{
    if (!evaluator->planned) {
        sk_status st = sk_plan_label_places(evaluator, cr, timeline, &evaluator->places, err);
        if (st != SK_OK)
            return st;
        evaluator->planned = true;
    }
    sk_frame_state state;
    sk_timeline_state_at(timeline, index, &state);
    sk_frame frame;
    sk_evaluate(evaluator, &state, &frame);
    int64_t last = sk_timeline_frame_count(timeline) - 1;
    if (evaluator->places)
        frame.places = &evaluator->places[index < 0 ? 0 : index > last ? last : index];
    sk_layout layout;
    sk_layout_make(scene->width, scene->height, scene, state.camera_center, state.camera_zoom,
                   &layout);
    return sk_draw_frame(cr, &layout, scene, timeline, &frame, err);
}
