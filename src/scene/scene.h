/* scene.h — a scene file parsed and validated into an immutable model.
 *
 * sk_scene_load() reads a YAML scene (through libyaml), checks every key and
 * type, and either returns a complete model or an SK_EINPUT error whose
 * message starts with "file:line:col: ". After loading, the model is read-only
 * and may be shared by any number of threads.
 *
 * Units: positions in scene units (the plot's axes), times in seconds.
 * Colours are stored sRGB-encoded, channels in [0, 1].
 */
#ifndef SK_SCENE_H
#define SK_SCENE_H

#include <stdint.h>

#include "../core/core.h"
#include "../error/error.h"

/* Where a value stood in the scene file (1-based), for later messages such as
 * "this size is odd, but the output needs even sizes". 0 means "not given". */
typedef struct sk_loc {
    int line, col;
} sk_loc;

typedef struct sk_key {
    sk_vec2 at;   /* position, scene units */
    sk_rgb value; /* the key's value: a colour, sRGB */
    char *label;  /* short text drawn beside the key; never NULL */
} sk_key;

typedef struct sk_path {
    sk_vec2 *points; /* control points the query passes through, scene units */
    int point_count; /* >= 2 */
    int closed;      /* 1: a loop back to points[0]; 0: ends at the last point */
} sk_path;

typedef struct sk_scene {
    char *source; /* the file's path as given, for messages */

    int width, height; /* output size in pixels */
    sk_loc size_loc;   /* where video.size was written, if it was */
    int fps;           /* frames per second, 1..240 */
    double duration;   /* seconds, > 0 */
    sk_rgb background;

    char *title; /* never NULL; may be "" */

    sk_vec2 view_min, view_max; /* the plot's extents, scene units */

    sk_kernel kernel;

    sk_key *keys;
    int key_count; /* >= 1 */

    sk_path query_path; /* the query travels it once, at constant speed */
} sk_scene;

/* Loads and validates the scene at path. On success *out owns a new scene
 * (release with sk_scene_free) and SK_OK is returned; on failure *out is NULL
 * and err holds "path:line:col: what was found; what was expected". */
sk_status sk_scene_load(const char *path, sk_scene **out, sk_error *err);

/* Same, from a string in memory; name is used in messages in place of a path. */
sk_status sk_scene_load_string(const char *text, const char *name, sk_scene **out, sk_error *err);

/* Releases a scene; NULL is a no-op. */
void sk_scene_free(sk_scene *scene);

/* Frames in the scene: round(duration * fps), at least 1. */
int64_t sk_scene_frame_count(const sk_scene *scene);

#endif
