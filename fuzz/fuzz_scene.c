/* fuzz_scene.c — a libFuzzer target for the scene loader (scene/scene.h).
 *
 * Each input is the text of a scene file. The bytes are copied into a
 * NUL-terminated buffer (an embedded NUL ends the text there, as it would for
 * any caller of sk_scene_load_string) and loaded under the name "fuzz.yaml".
 * AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer catch memory
 * errors, undefined behaviour and leaks; on top of them this checks the
 * loader's contract and stops with __builtin_trap() when it is broken:
 *   - SK_OK: a scene with at least 1 key, every key at a finite position,
 *     width and height 16..8192 pixels, fps 1..240, a finite duration > 0;
 *   - an error: no scene (*out set to NULL), and err holds the status that
 *     was returned and a non-empty, NUL-terminated message.
 *
 * Files: a scene's `include:` and `from_csv:` name files relative to the
 * scene's directory, and "fuzz.yaml" has none, so they resolve against the
 * current working directory. Run this from an empty scratch directory (as
 * scripts/fuzz does) so that the fuzzer cannot read the project's files.
 *
 * Build and run: scripts/fuzz [SECONDS] [JOBS]. Reproduce a finding:
 *   cd "$(mktemp -d)" && /path/to/build/fuzz/fuzz/fuzz_scene /path/to/out/fuzz/crash-...
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scene/scene.h"

/* The ranges scene.h promises (pixels; frames per second). */
#define SIDE_MIN 16
#define SIDE_MAX 8192
#define FPS_MIN 1
#define FPS_MAX 240

/* Written over err before each load, so that a message the loader never
 * wrote, or wrote without its NUL, shows as a broken invariant. */
#define ERR_POISON 'X'

/* A macro, not a function, so that the trap's line names the broken check. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool in_range(int v, int lo, int hi)
{
    return v >= lo && v <= hi;
}

static void check_scene(const sk_scene *s)
{
    CHECK(in_range(s->width, SIDE_MIN, SIDE_MAX));
    CHECK(in_range(s->height, SIDE_MIN, SIDE_MAX));
    CHECK(in_range(s->fps, FPS_MIN, FPS_MAX));
    CHECK(isfinite(s->duration) && s->duration > 0);
    CHECK(s->key_count >= 1 && s->keys != NULL);
    for (int i = 0; i < s->key_count; i++) {
        CHECK(isfinite(s->keys[i].at.x) && isfinite(s->keys[i].at.y));
        CHECK(s->keys[i].label != NULL); /* scene.h: "never NULL" */
    }
    CHECK(s->title != NULL); /* scene.h: "never NULL" */
    CHECK(sk_scene_frame_count(s) >= 1);
}

static void check_error(sk_status status, const sk_scene *scene, const sk_error *err)
{
    CHECK(status < 0);
    CHECK(scene == NULL);
    CHECK(err->status == status);
    CHECK(memchr(err->message, '\0', sizeof err->message) != NULL);
    CHECK(err->message[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';

    /* Neither value is one the loader may leave behind: it must write both. */
    static sk_scene not_written;
    sk_scene *scene = &not_written;
    sk_error err;
    memset(&err, ERR_POISON, sizeof err);
    err.status = SK_OK;

    sk_status status = sk_scene_load_string(text, "fuzz.yaml", &scene, &err);
    if (status == SK_OK) {
        CHECK(scene != NULL && scene != &not_written);
        check_scene(scene);
        sk_scene_free(scene);
    } else {
        check_error(status, scene, &err);
    }
    free(text);
    return 0;
}
