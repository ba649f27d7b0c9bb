/* scene_extras.h — a scene's captions, sections and audio as the encode
 * layer's plain sk_extras, on the timeline of the frames rendered: for
 * --frames A:B, time 0 is frame A, and what falls outside is dropped or cut
 * at the range's edges. */
#ifndef SK_RENDER_SCENE_EXTRAS_H
#define SK_RENDER_SCENE_EXTRAS_H

#include <stdint.h>

#include "../encode/extras.h"
#include "../error/error.h"
#include "../scene/scene.h"

/* Owns the arrays that extras points into; texts are borrowed from the
 * scene, which must outlive it. */
typedef struct sk_scene_extras {
    sk_extras extras;
    sk_timed_text *captions, *chapters;
} sk_scene_extras;

/* Fills out for frames first .. end - 1 of scene (0 <= first < end). On
 * error nothing is left to free. */
sk_status sk_scene_extras_make(const sk_scene *scene, int64_t first, int64_t end,
                               sk_scene_extras *out, sk_error *err);

/* Releases the arrays; a zeroed struct is fine. */
void sk_scene_extras_free(sk_scene_extras *x);

#endif
