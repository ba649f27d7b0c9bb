/* render.h — the frame loop: scene file in, finished output file out.
 *
 * For each frame: timeline state -> attention weights and blend (core) ->
 * Cairo frame (draw) -> sink (encode). The output is written under a
 * temporary name and appears at its path only when complete.
 */
#ifndef SK_RENDER_H
#define SK_RENDER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "../draw/draw.h"
#include "../encode/encode.h"
#include "../error/error.h"
#include "../scene/scene.h"
#include "../timeline/timeline.h"

typedef struct sk_render_job {
    const char *scene_path;
    const char *output;  /* file path, or a PNG pattern with %d */
    const char *format;  /* "mp4", "webm", "mov", "gif", "png"; NULL: from the extension */
    sk_codec codec;      /* video codec; SK_CODEC_DEFAULT: the container's */
    int width, height;   /* pixels; 0 keeps the scene's */
    int fps;             /* 0 keeps the scene's */
    int64_t first_frame; /* first frame rendered (inclusive), >= 0 */
    int64_t end_frame;   /* one past the last frame rendered; -1: the scene's end */
    int crf;             /* constant rate factor (see sk_sink_options); -1: the codec's */
    const char *preset;  /* x264/x265 preset; NULL: the default */
    /* Keep alpha (webm, mov, png): the background is drawn fully transparent
     * unless the scene's video.background has an alpha of its own. */
    bool transparent;
    int gif_width;          /* GIF width in pixels; 0: the frame's */
    const char *gif_dither; /* GIF dither (sk_gif_dither_known); NULL: the default */
    int png_compression;    /* zlib level 0..9 for PNG sequences; -1: the fast default */
    const char *subtitles;  /* also write the captions to this .srt or .vtt file; may be NULL */
    bool overwrite;         /* replace an existing output (-y) */
    bool quiet;             /* no progress or summary on stderr */
    int threads;            /* drawing threads; 0: one per processor online */
    /* Polled between frames; when it becomes non-zero the render stops with
     * SK_EINTERRUPTED and leaves no output. May be NULL. */
    volatile sig_atomic_t *cancel;
} sk_render_job;

/* Renders the job. SK_EINPUT for a bad scene or job (the message names the
 * file, line and column, or the option at fault), SK_ERUNTIME when drawing,
 * encoding or writing failed, SK_EINTERRUPTED when cancelled. */
sk_status sk_render(const sk_render_job *job, sk_error *err);

/* Joins parts with sk_concat. With scene_path, the scene's sound (its
 * audio file and offset) is encoded once onto the joined video, which is
 * taken to start at the scene's first frame, in place of the parts' own;
 * SK_EINPUT when that scene has no audio. scene_path may be NULL. */
sk_status sk_concat_scene(const char *const *parts, int count, const char *out, bool overwrite,
                          const char *scene_path, sk_error *err);

/* Loads a scene and compiles its own TeX formulas (src/tex): how every
 * command that draws or checks a scene loads it, so that no formula is
 * compiled during the frame loop. Errors as sk_scene_load and sk_tex_prepare;
 * on failure *out is NULL. */
sk_status sk_load_scene(const char *path, sk_scene **out, sk_error *err);

/* What one thread needs to compute frames' weights: the keys as the core's
 * plain arrays, and the buffers it writes. */
typedef struct sk_evaluator sk_evaluator;

/* The scene must outlive the evaluator. */
sk_status sk_evaluator_new(const sk_scene *scene, sk_evaluator **out, sk_error *err);

/* NULL is a no-op. */
void sk_evaluator_free(sk_evaluator *evaluator);

/* The scene it evaluates. */
const sk_scene *sk_evaluator_scene(const sk_evaluator *evaluator);

/* Fills frame with the state's weights and blended output. frame->weights
 * points into the evaluator: valid until its next sk_evaluate. */
void sk_evaluate(sk_evaluator *evaluator, const sk_frame_state *state, sk_frame *frame);

/* Where the labels that move with the query (draw.h: sk_label_places) go
 * in every frame of the timeline: each frame's sk_label_costs, measured on
 * cr without drawing, weighed over the whole timeline by sk_steady_choices
 * so that a label holds a place for at least half a second. *out gets one
 * per frame (the caller frees it), or NULL when no frame draws such a
 * label, or when the timeline is too long to plan in PLAN_BUDGET bytes
 * (label_plan.c; the labels then choose frame by frame). Uses the
 * evaluator's buffers like sk_evaluate. */
sk_status sk_plan_label_places(sk_evaluator *evaluator, cairo_t *cr, const sk_timeline *timeline,
                               sk_label_places **out, sk_error *err);

/* Makes the evaluator's frames follow places (from sk_plan_label_places;
 * NULL: each frame alone), which must outlive it: how the render's workers
 * share one plan. */
void sk_evaluator_follow(sk_evaluator *evaluator, const sk_label_places *places);

/* Draws frame `index` of the scene into cr, whose target is the scene's
 * width x height: the timeline's state, the evaluator's numbers, the layout
 * at that frame's camera, the moving labels where sk_plan_label_places puts
 * them (planned on the evaluator's first frame unless it follows a plan).
 * The one path every output draws a frame by. */
sk_status sk_draw_scene_frame(cairo_t *cr, const sk_scene *scene, const sk_timeline *timeline,
                              sk_evaluator *evaluator, int64_t index, sk_error *err);

/* ---- Stills (still.c): one frame as an image file ------------------------ */

typedef struct sk_still_job {
    const char *scene_path;
    const char *output; /* the extension picks the format: .png, .svg or .pdf (any case) */
    double time;        /* seconds, >= 0; the frame is round(time x fps), clamped to the scene */
    int width, height;  /* pixels (SVG, PDF: points, one per pixel); 0 keeps the scene's */
    bool overwrite;     /* replace an existing output (-y) */
    bool quiet;         /* no summary on stderr */
} sk_still_job;

/* Draws one frame of the job's scene into job->output, written under a
 * temporary name and renamed into place only when complete. SK_EINPUT for
 * a bad scene, an unknown extension or an existing output without
 * overwrite (nothing is written); SK_ERUNTIME when Cairo or the file
 * system failed (the output path is left as it was). */
sk_status sk_still(const sk_still_job *job, sk_error *err);

/* The frame shown at a time (seconds): round(seconds x fps), clamped to
 * [0, frame count - 1]. */
int64_t sk_still_frame(const sk_scene *scene, double seconds);

#endif
