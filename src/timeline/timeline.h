/* timeline.h — the state of a scene at any frame.
 *
 * sk_timeline_state_at() is a pure function of (scene, frame index): nothing is
 * carried from one frame to the next, so frames can be drawn in any order, in
 * parallel, or one at a time for stills. The sk_timeline object only caches
 * what every frame shares (the query path's arc-length table); it is
 * immutable after sk_timeline_new() and safe to read from many threads.
 */
#ifndef SK_TIMELINE_H
#define SK_TIMELINE_H

#include <stdint.h>

#include "../core/core.h"
#include "../error/error.h"
#include "../scene/scene.h"

typedef struct sk_frame_state {
    int64_t frame;                  /* frame index, 0-based */
    double time;                    /* seconds since the start: frame / fps */
    double progress;                /* fraction of the query's path travelled, [0, 1], eased */
    sk_vec2 query;                  /* the query's position, scene units */
    sk_kernel kernel;               /* the kernel and its parameters at this frame */
    sk_vec2 camera_center;          /* scene units */
    double camera_zoom;             /* > 0 */
    double opacity[SK_LAYER_COUNT]; /* each layer's opacity, 0..1 */
} sk_frame_state;

typedef struct sk_timeline sk_timeline;

/* Prepares the timeline of a scene. The scene must outlive the timeline.
 * On success *out owns a new timeline (release with sk_timeline_free). */
sk_status sk_timeline_new(const sk_scene *scene, sk_timeline **out, sk_error *err);

/* Releases a timeline; NULL is a no-op. */
void sk_timeline_free(sk_timeline *timeline);

/* Frames in the scene (round(duration * fps), at least 1). */
int64_t sk_timeline_frame_count(const sk_timeline *timeline);

/* The state at a frame. Frames outside [0, frame_count) are clamped. A closed
 * path is travelled once over the frame_count frames and frame_count would be
 * back at the start, so a rendered loop repeats without a doubled frame; an
 * open path reaches its last point on the last frame. */
void sk_timeline_state_at(const sk_timeline *timeline, int64_t frame, sk_frame_state *out);

/* A point of the query's route at fraction s in [0, 1] of it, for drawing the
 * route itself: arc length for geometric paths, time for keyframed ones. */
sk_vec2 sk_timeline_path_point(const sk_timeline *timeline, double s);

/* The value of a keyframe track at time t (seconds): out[0], and out[1] for
 * points. Pure; exposed for tests and for the weights export. */
void sk_track_eval(const sk_track *track, double t, double out[2]);

#endif
