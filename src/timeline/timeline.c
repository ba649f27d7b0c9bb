#include "timeline.h"

#include <math.h>
#include <stdlib.h>

#include "path.h"

struct sk_timeline {
    const sk_scene *scene;
    int64_t frame_count;
    sk_path_table *path;                     /* NULL when the position is keyframed */
    const sk_track *target[SK_TARGET_COUNT]; /* the animation of each target, or NULL */
    const sk_track *opacity[SK_LAYER_COUNT]; /* the animation of each layer's opacity */
};

sk_status sk_timeline_new(const sk_scene *scene, sk_timeline **out, sk_error *err)
{
    *out = NULL;
    sk_timeline *tl = calloc(1, sizeof *tl);
    if (!tl)
        return sk_error_nomem(err);
    tl->scene = scene;
    tl->frame_count = sk_scene_frame_count(scene);
    for (int i = 0; i < scene->animation_count; i++) {
        const sk_animation *a = &scene->animations[i];
        if (a->target == SK_TARGET_LAYER_OPACITY)
            tl->opacity[a->layer] = &a->track;
        else
            tl->target[a->target] = &a->track;
    }
    if (scene->query_path.kind != SK_PATH_KEYFRAMES) {
        sk_status st = sk_path_table_new(&scene->query_path, &tl->path, err);
        if (st != SK_OK) {
            sk_timeline_free(tl);
            return st;
        }
    }
    *out = tl;
    return SK_OK;
}

void sk_timeline_free(sk_timeline *timeline)
{
    if (!timeline)
        return;
    sk_path_table_free(timeline->path);
    free(timeline);
}

int64_t sk_timeline_frame_count(const sk_timeline *timeline)
{
    return timeline->frame_count;
}

/* The time span a keyframed position covers, for drawing its route. */
static double keyframe_time(const sk_track *track, double s)
{
    double first = track->keys[0].t, last = track->keys[track->count - 1].t;
    return first + s * (last - first);
}

sk_vec2 sk_timeline_path_point(const sk_timeline *tl, double s)
{
    if (tl->path)
        return sk_path_table_point(tl->path, s);
    double xy[2];
    sk_track_eval(&tl->scene->query_path.track, keyframe_time(&tl->scene->query_path.track, s), xy);
    return (sk_vec2){xy[0], xy[1]};
}

/* The animated value of a target at time t, or fallback when not animated. */
static double animated(const sk_track *track, double t, double fallback)
{
    if (!track)
        return fallback;
    double v[2];
    sk_track_eval(track, t, v);
    return v[0];
}

static sk_vec2 animated_point(const sk_track *track, double t, sk_vec2 fallback)
{
    if (!track)
        return fallback;
    double v[2];
    sk_track_eval(track, t, v);
    return (sk_vec2){v[0], v[1]};
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Progress along a geometric path before easing. Without a speed the path is
 * travelled once: a closed loop covers frame f of N at f / N, so frame N would
 * be the start again and a rendered loop repeats without a doubled frame; an
 * open path ends on its last frame. With a speed, laps follow one another
 * (closed) or the query stops at the end (open). */
static double raw_progress(const sk_timeline *tl, int64_t frame)
{
    const sk_scene *s = tl->scene;
    if (s->query_speed > 0.0) {
        double length = sk_path_table_length(tl->path);
        double laps = length > 0.0 ? s->query_speed * ((double)frame / s->fps) / length : 0.0;
        return s->query_path.closed ? laps - floor(laps) : fmin(laps, 1.0);
    }
    if (s->query_path.closed)
        return (double)frame / (double)tl->frame_count;
    return tl->frame_count > 1 ? (double)frame / (double)(tl->frame_count - 1) : 0.0;
}

static void animate_kernel(const sk_timeline *tl, double t, sk_kernel *k)
{
    k->bandwidth = animated(tl->target[SK_TARGET_BANDWIDTH], t, k->bandwidth);
    k->temperature = animated(tl->target[SK_TARGET_TEMPERATURE], t, k->temperature);
    k->k = (int)lround(fmax(1.0, animated(tl->target[SK_TARGET_K], t, k->k)));
    k->kind = (sk_kernel_kind)lround(animated(tl->target[SK_TARGET_KERNEL], t, k->kind));
}

void sk_timeline_state_at(const sk_timeline *tl, int64_t frame, sk_frame_state *out)
{
    const sk_scene *scene = tl->scene;
    frame = frame < 0 ? 0 : (frame >= tl->frame_count ? tl->frame_count - 1 : frame);
    double t = (double)frame / scene->fps;
    out->frame = frame;
    out->time = t;
    if (tl->path) {
        out->progress = sk_ease_apply(&scene->query_ease, raw_progress(tl, frame));
        out->query = sk_path_table_point(tl->path, out->progress);
    } else {
        out->progress = t / scene->duration;
        double xy[2];
        sk_track_eval(&scene->query_path.track, t, xy);
        out->query = (sk_vec2){xy[0], xy[1]};
    }
    if (scene->view_kind == SK_VIEW_REGRESSION1D)
        out->query.y = 0.0; /* the query moves along x: the kernel sees distance in x only */
    out->kernel = scene->kernel;
    animate_kernel(tl, t, &out->kernel);
    out->camera_center =
        animated_point(tl->target[SK_TARGET_CAMERA_CENTER], t, scene->camera_center);
    out->camera_zoom = animated(tl->target[SK_TARGET_CAMERA_ZOOM], t, scene->camera_zoom);
    for (int i = 0; i < SK_LAYER_COUNT; i++)
        out->opacity[i] = clamp(animated(tl->opacity[i], t, scene->layer_opacity[i]), 0.0, 1.0);
}
