/* evaluate.c — a frame's numbers: weights and blended output from the core,
 * for the frame loop and for the weights export alike. */
#include <stdlib.h>

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
    bool planned;                  /* places below known (or found unneeded) */
    const sk_label_places *places; /* one per frame of the timeline, or NULL */
    sk_label_places *own_plan;     /* when it planned them itself */
};

void sk_evaluator_free(sk_evaluator *e)
{
    if (!e)
        return;
    free(e->own_plan);
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

void sk_evaluator_follow(sk_evaluator *e, const sk_label_places *places)
{
    e->planned = true;
    e->places = places;
}

const sk_scene *sk_evaluator_scene(const sk_evaluator *e)
{
    return e->scene;
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

sk_status sk_draw_scene_frame(cairo_t *cr, const sk_scene *scene, const sk_timeline *timeline,
                              sk_evaluator *evaluator, int64_t index, sk_error *err)
{
    if (!evaluator->planned) {
        sk_status st = sk_plan_label_places(evaluator, cr, timeline, &evaluator->own_plan, err);
        if (st != SK_OK)
            return st;
        sk_evaluator_follow(evaluator, evaluator->own_plan);
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
