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

#include "../error/error.h"

typedef struct sk_render_job {
    const char *scene_path;
    const char *output;  /* file path, or a PNG pattern with %d */
    int width, height;   /* pixels; 0 keeps the scene's */
    int fps;             /* 0 keeps the scene's */
    int64_t first_frame; /* first frame rendered (inclusive), >= 0 */
    int64_t end_frame;   /* one past the last frame rendered; -1: the scene's end */
    int crf;             /* H.264 constant rate factor, 0..51 */
    const char *preset;  /* x264 preset */
    bool overwrite;      /* replace an existing output (-y) */
    bool quiet;          /* no progress or summary on stderr */
    /* Polled between frames; when it becomes non-zero the render stops with
     * SK_EINTERRUPTED and leaves no output. May be NULL. */
    volatile sig_atomic_t *cancel;
} sk_render_job;

/* Renders the job. SK_EINPUT for a bad scene or job (the message names the
 * file, line and column, or the option at fault), SK_ERUNTIME when drawing,
 * encoding or writing failed, SK_EINTERRUPTED when cancelled. */
sk_status sk_render(const sk_render_job *job, sk_error *err);

#endif
