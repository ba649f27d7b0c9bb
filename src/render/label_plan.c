/* label_plan.c — where the labels that move with the query go, planned
 * over the whole timeline (render.h: sk_plan_label_places).
 *
 * Choosing frame by frame the least covered place made them hop for a frame
 * or three whenever a disc or a name grazed them. Here every frame's costs
 * are measured first, without drawing (draw.h: sk_label_costs_of and
 * sk_key_name_costs, ~15 µs a frame), and sk_steady_choices (core) picks
 * places held at least STEADY_SECONDS that move only when it pays: a move
 * costs SWITCH_SHARE of the label's box for that long. Keys' names are
 * planned only for keys whose name the ring ever meets, each on its own:
 * the costs count the other names at their own places, and a frame whose
 * planned place another moved name already took decides for itself
 * (key_labels.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

#define STEADY_SECONDS 0.5
#define SWITCH_SHARE 0.02

/* The most a plan may hold while it is worked out: about 35 MB for ten
 * minutes at 60 fps with ten names that move. Longer timelines plan the
 * query's name and the σ only (about 230 bytes a frame), and beyond even
 * that, nothing: the labels then choose frame by frame. */
#define PLAN_BUDGET ((size_t)256 << 20)
#define LABEL_BYTES_PER_FRAME                                                                      \
    ((SK_QUERY_LABEL_PLACES + SK_SIGMA_LABEL_PLACES + SK_KEY_NAME_PLACES) * sizeof(double) +       \
     2 * SK_KEY_NAME_PLACES + 1 + sizeof(sk_label_places))
#define NAME_BYTES_PER_FRAME (SK_KEY_NAME_PLACES * sizeof(float))

typedef struct plan {
    size_t frames;
    int keys, moving; /* moving: keys whose name the ring meets somewhere */
    int min_run;
    double *query, *sigma;         /* per frame, per place: the costs */
    double query_area, sigma_area; /* the largest box seen */
    bool any;                      /* some frame draws the query's name */
    bool *moves;                   /* per key: its name meets the ring somewhere */
    double *name_area;             /* per key: the largest box seen */
    bool *meets;                   /* per key, one frame's worth */
    double *area;                  /* per key, one frame's worth */
    double *frame_cost;            /* per key and place, one frame's worth */
    float *names;                  /* per frame, moving key and place: the costs */
    double *one_name;              /* per frame and place, for one key */
    unsigned char *choice;         /* per frame, for one label */
} plan;

static void plan_free(plan *l)
{
    free(l->query);
    free(l->sigma);
    free(l->moves);
    free(l->name_area);
    free(l->meets);
    free(l->area);
    free(l->frame_cost);
    free(l->names);
    free(l->one_name);
    free(l->choice);
}

static bool plan_alloc(plan *l, size_t frames, int keys, int fps)
{
    size_t n = (size_t)keys + 1; /* + 1: never malloc(0) */
    memset(l, 0, sizeof *l);
    l->frames = frames;
    l->keys = keys;
    l->min_run = (int)lround(STEADY_SECONDS * fps);
    l->query = malloc(frames * SK_QUERY_LABEL_PLACES * sizeof *l->query);
    l->sigma = malloc(frames * SK_SIGMA_LABEL_PLACES * sizeof *l->sigma);
    l->moves = calloc(n, sizeof *l->moves);
    l->name_area = calloc(n, sizeof *l->name_area);
    l->meets = malloc(n * sizeof *l->meets);
    l->area = malloc(n * sizeof *l->area);
    l->frame_cost = malloc(n * SK_KEY_NAME_PLACES * sizeof *l->frame_cost);
    l->one_name = malloc(frames * SK_KEY_NAME_PLACES * sizeof *l->one_name);
    l->choice = malloc(frames);
    return l->query && l->sigma && l->moves && l->name_area && l->meets && l->area &&
           l->frame_cost && l->one_name && l->choice;
}

/* Frame f as sk_draw_scene_frame sees it, before it has places. */
static void frame_at(sk_evaluator *e, const sk_scene *scene, const sk_timeline *timeline, size_t f,
                     sk_frame_state *state, sk_frame *frame, sk_layout *layout)
{
    sk_timeline_state_at(timeline, (int64_t)f, state);
    sk_evaluate(e, state, frame);
    sk_layout_make(scene->width, scene->height, scene, state->camera_center, state->camera_zoom,
                   layout);
}

/* Pass one: which names the ring ever meets, and their largest boxes. */
static void find_moving_names(plan *l, sk_evaluator *e, const sk_scene *scene, cairo_t *cr,
                              const sk_timeline *timeline)
{
    for (size_t f = 0; f < l->frames; f++) {
        sk_frame_state state;
        sk_frame frame;
        sk_layout layout;
        frame_at(e, scene, timeline, f, &state, &frame, &layout);
        sk_key_name_costs(cr, &layout, scene, timeline, &frame, NULL, l->meets, l->area, NULL);
        for (int i = 0; i < l->keys; i++) {
            l->moves[i] = l->moves[i] || l->meets[i];
            l->name_area[i] = fmax(l->name_area[i], l->area[i]);
        }
    }
    for (int i = 0; i < l->keys; i++)
        l->moving += l->moves[i];
}

/* Pass two: the moving names' costs in every frame. */
static void measure_names(plan *l, sk_evaluator *e, const sk_scene *scene, cairo_t *cr,
                          const sk_timeline *timeline)
{
    size_t row = (size_t)l->moving * SK_KEY_NAME_PLACES;
    for (size_t f = 0; f < l->frames; f++) {
        sk_frame_state state;
        sk_frame frame;
        sk_layout layout;
        frame_at(e, scene, timeline, f, &state, &frame, &layout);
        sk_key_name_costs(cr, &layout, scene, timeline, &frame, l->moves, l->meets, l->area,
                          l->frame_cost);
        float *out = l->names + f * row;
        for (int i = 0; i < l->keys; i++) {
            if (!l->moves[i])
                continue;
            const double *in = l->frame_cost + (size_t)i * SK_KEY_NAME_PLACES;
            for (int place = 0; place < SK_KEY_NAME_PLACES; place++)
                *out++ = (float)in[place];
        }
    }
}

/* Pass three: the query's and the σ's costs, the names where the plan
 * puts them, so that these two keep off the names rather than the other
 * way round. */
static void measure_labels(plan *l, sk_evaluator *e, const sk_scene *scene, cairo_t *cr,
                           const sk_timeline *timeline, const sk_label_places *places)
{
    for (size_t f = 0; f < l->frames; f++) {
        sk_frame_state state;
        sk_frame frame;
        sk_layout layout;
        frame_at(e, scene, timeline, f, &state, &frame, &layout);
        frame.places = &places[f];
        sk_label_costs c;
        sk_label_costs_of(cr, &layout, scene, timeline, &frame, &c);
        memcpy(l->query + f * SK_QUERY_LABEL_PLACES, c.query, sizeof c.query);
        memcpy(l->sigma + f * SK_SIGMA_LABEL_PLACES, c.sigma, sizeof c.sigma);
        l->query_area = fmax(l->query_area, c.query_area);
        l->sigma_area = fmax(l->sigma_area, c.sigma_area);
        l->any = l->any || c.query_area > 0.0;
    }
}

static bool steady(plan *l, const double *cost, int places, double area)
{
    return sk_steady_choices(cost, l->frames, places, l->min_run, SWITCH_SHARE * area * l->min_run,
                             l->choice);
}

/* The moving names' places into names (frames x keys; 0, at home, for the
 * others). */
static bool choose_names(plan *l, unsigned char *names)
{
    memset(names, 0, l->frames * (size_t)l->keys);
    size_t row = (size_t)l->moving * SK_KEY_NAME_PLACES;
    for (int i = 0, slot = 0; i < l->keys; i++) {
        if (!l->moves[i])
            continue;
        for (size_t f = 0; f < l->frames; f++)
            for (int place = 0; place < SK_KEY_NAME_PLACES; place++)
                l->one_name[f * SK_KEY_NAME_PLACES + (size_t)place] =
                    l->names[f * row + (size_t)slot * SK_KEY_NAME_PLACES + (size_t)place];
        if (!steady(l, l->one_name, SK_KEY_NAME_PLACES, l->name_area[i]))
            return false;
        for (size_t f = 0; f < l->frames; f++)
            names[f * (size_t)l->keys + (size_t)i] = l->choice[f];
        slot++;
    }
    return true;
}

/* The query's and the σ's places into out. */
static bool choose_labels(plan *l, sk_label_places *out)
{
    if (!steady(l, l->query, SK_QUERY_LABEL_PLACES, l->query_area))
        return false;
    for (size_t f = 0; f < l->frames; f++)
        out[f].query = l->choice[f];
    if (!steady(l, l->sigma, SK_SIGMA_LABEL_PLACES, l->sigma_area))
        return false;
    for (size_t f = 0; f < l->frames; f++)
        out[f].sigma = l->choice[f];
    return true;
}

/* Each evaluator plans for itself: the same figures give the same places,
 * so a frame is still a pure function of its index, and no worker waits. */
sk_status sk_plan_label_places(sk_evaluator *e, cairo_t *cr, const sk_timeline *timeline,
                               sk_label_places **out, sk_error *err)
{
    const sk_scene *scene = sk_evaluator_scene(e);
    size_t frames = (size_t)sk_timeline_frame_count(timeline);
    *out = NULL;
    if (frames == 0 || frames > PLAN_BUDGET / (LABEL_BYTES_PER_FRAME + (size_t)scene->key_count))
        return SK_OK;
    plan l;
    if (!plan_alloc(&l, frames, scene->key_count, scene->fps)) {
        plan_free(&l);
        return sk_error_nomem(err);
    }
    find_moving_names(&l, e, scene, cr, timeline);
    size_t per_frame = LABEL_BYTES_PER_FRAME + (size_t)l.keys;
    bool names = frames <= PLAN_BUDGET / (per_frame + (size_t)l.moving * NAME_BYTES_PER_FRAME);
    if (!names)
        l.moving = 0;
    /* One block: the frames' places, then their names' places. */
    sk_label_places *places = malloc(frames * (sizeof *places + (size_t)l.keys));
    unsigned char *name_places = names && places ? (unsigned char *)(places + frames) : NULL;
    l.names = malloc(frames * ((size_t)l.moving * SK_KEY_NAME_PLACES + 1) * sizeof *l.names);
    bool ok = places && l.names;
    for (size_t f = 0; ok && f < frames; f++)
        places[f] =
            (sk_label_places){.names = name_places ? name_places + f * (size_t)l.keys : NULL};
    if (ok && name_places) {
        if (l.moving > 0)
            measure_names(&l, e, scene, cr, timeline);
        ok = choose_names(&l, name_places);
    }
    if (ok) {
        measure_labels(&l, e, scene, cr, timeline, places);
        ok = !l.any || choose_labels(&l, places);
    }
    bool any = l.any;
    plan_free(&l);
    if (!ok || !any) {
        free(places);
        return ok ? SK_OK : sk_error_nomem(err);
    }
    *out = places;
    return SK_OK;
}
