/* loader.h — private to scene/: the state of one load and the readers each
 * source file contributes. scene.c reads video, text, view, attention and
 * keys and drives the whole; motion.c reads query, camera, layers and animate
 * (everything that moves). */
#ifndef SK_SCENE_LOADER_H
#define SK_SCENE_LOADER_H

#include "scene.h"
#include "yaml_read.h"

#define KEYS_MAX 100000   /* keys; the field costs O(keys) per pixel */
#define POINTS_MAX 100000 /* path points and keyframes; plenty for any drawn curve */

/* Bandwidth (scene units) and temperature: positive, and far enough from 0
 * and infinity that 2 sigma^2 and sqrt(2) T stay normal doubles. */
extern const sk_yr_range sk_parameter_range;
/* Scene units; keeps spans, squared distances and paddings finite. */
extern const sk_yr_range sk_coord_range;

typedef struct loader {
    sk_yr r;
    sk_scene *scene;
    bool has_view_x, has_view_y;     /* whether view.x / view.y were given */
    bool has_camera_center;          /* whether camera.center was given */
    const yaml_node_t *animate_node; /* for messages about animate as a whole */
} loader;

typedef sk_status (*section_reader)(loader *ld, const yaml_node_t *node);

sk_status sk_read_query(loader *ld, const yaml_node_t *node);
sk_status sk_read_camera(loader *ld, const yaml_node_t *node);
sk_status sk_read_layers(loader *ld, const yaml_node_t *node);
sk_status sk_read_animate(loader *ld, const yaml_node_t *node);

/* Looks the string at node up in names[0..count) and sets *index; otherwise
 * reports "unknown <what> '...' (did you mean '...'?); expected one of: ...". */
sk_status sk_read_choice(loader *ld, const yaml_node_t *node, const char *path, const char *what,
                         const char *const *names, int count, int *index);

/* Reports that `path` names a parameter the scene's kernel does not use. */
sk_status sk_unused_parameter(loader *ld, const yaml_node_t *node, const char *path,
                              const char *what);

/* Releases what motion.c allocated into a scene. */
void sk_free_motion(sk_scene *scene);

#endif
