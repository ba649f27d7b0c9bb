/* motion.c — the parts of a scene that move: the query's route and easing,
 * the camera, the layers' opacities and the `animate:` keyframe tracks. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

/* Camera zoom: how much larger than the view the plane is drawn. */
static const sk_yr_range zoom_range = {1e-3, 1e3, false, "from 0.001 to 1000"};
static const sk_yr_range opacity_range = {0.0, 1.0, false, "from 0 to 1"};
static const sk_yr_range radius_range = {0.0, 1e6, true, "greater than 0 and at most 1e6"};
#define MAX_SWEEP 3600.0 /* degrees: ten turns of an ellipse in one scene */
static const sk_yr_range angle_range = {-36000.0, 36000.0, false, "from -36000 to 36000"};
static const sk_yr_range k_range = {1.0, 100000.0, false, "from 1 to 100000"};
/* cubicBezier: x of both control points in [0, 1] keeps time monotonic. */
static const sk_yr_range bezier_x_range = {0.0, 1.0, false, "from 0 to 1"};
static const sk_yr_range bezier_y_range = {-10.0, 10.0, false, "from -10 to 10"};

static const char *const layer_names[SK_LAYER_COUNT] = {
    [SK_LAYER_FIELD] = "field", [SK_LAYER_GRID] = "grid",         [SK_LAYER_PATH] = "path",
    [SK_LAYER_LINKS] = "links", [SK_LAYER_KEYS] = "keys",         [SK_LAYER_QUERY] = "query",
    [SK_LAYER_PANEL] = "panel", [SK_LAYER_FORMULAS] = "formulas", [SK_LAYER_MAPPING] = "mapping",
    [SK_LAYER_TITLE] = "title", [SK_LAYER_CAPTIONS] = "captions", [SK_LAYER_LEGEND] = "legend",
    [SK_LAYER_CARDS] = "cards",
};

bool sk_layer_default(sk_layer_kind kind)
{
    return kind != SK_LAYER_FIELD && kind != SK_LAYER_MAPPING && kind != SK_LAYER_LEGEND;
}

const char *sk_layer_name(sk_layer_kind kind)
{
    return (unsigned)kind < SK_LAYER_COUNT ? layer_names[kind] : NULL;
}

bool sk_scene_draws(const sk_scene *scene, sk_layer_kind kind)
{
    for (int i = 0; i < scene->layer_count; i++)
        if (scene->layer_order[i] == kind)
            return true;
    return false;
}

/* ---------------------------------------------------------------------------
 * Easing: a name, or {cubicBezier: [x1, y1, x2, y2]}
 */

static sk_status read_cubic_bezier(loader *ld, const yaml_node_t *node, const char *path,
                                   sk_ease *ease)
{
    sk_status status =
        sk_yr_require_type(&ld->r, node, path, YAML_SEQUENCE_NODE, "a list [x1, y1, x2, y2]");
    if (status)
        return status;
    if (sk_yr_item_count(node) != 4) {
        char found[SK_YR_FOUND_MAX];
        sk_yr_describe(node, found, sizeof found);
        return sk_yr_fail(&ld->r, node, path, "expected [x1, y1, x2, y2], found %s", found);
    }
    double v[4];
    char item_path[SK_YR_PATH_MAX];
    for (int i = 0; i < 4 && status == SK_OK; i++) {
        sk_yr_subpath(item_path, sizeof item_path, "%s[%d]", path, i);
        status = sk_yr_number_in(&ld->r, sk_yr_item(&ld->r, node, (size_t)i), item_path,
                                 i % 2 ? &bezier_y_range : &bezier_x_range, &v[i]);
    }
    if (status == SK_OK)
        *ease = (sk_ease){SK_EASE_CUBIC_BEZIER, v[0], v[1], v[2], v[3]};
    return status;
}

static const char *const ease_keys[] = {"cubicBezier"};

static sk_status read_ease(loader *ld, const yaml_node_t *node, const char *path, sk_ease *ease)
{
    if (node->type == YAML_MAPPING_NODE) {
        yaml_node_t *v[1];
        sk_status status = sk_yr_mapping(&ld->r, node, path, ease_keys, 1, v);
        char item_path[SK_YR_PATH_MAX];
        sk_yr_subpath(item_path, sizeof item_path, "%s.cubicBezier", path);
        if (status || (status = sk_yr_require_key(&ld->r, node, path, "cubicBezier", v[0])))
            return status;
        return read_cubic_bezier(ld, v[0], item_path, ease);
    }
    /* Every named easing; cubicBezier is written as a mapping (above). */
    const char *names[SK_EASE_COUNT];
    for (int i = 0; i < SK_EASE_COUNT; i++)
        names[i] = sk_ease_name((sk_ease_kind)i);
    int index;
    sk_status status =
        sk_read_choice(ld, node, path, "easing", names, SK_EASE_CUBIC_BEZIER, &index);
    if (status == SK_OK)
        *ease = (sk_ease){.kind = (sk_ease_kind)index};
    return status;
}

/* ---------------------------------------------------------------------------
 * Keyframe tracks: [{t, value, ease, hold}, ...], t ascending
 */

enum { FRAME_T, FRAME_VALUE, FRAME_EASE, FRAME_HOLD, FRAME_COUNT };
static const char *const frame_keys[FRAME_COUNT] = {"t", "value", "ease", "hold"};

/* A keyframe's value: a point, a number in range, or (range NULL) a
 * kernel's name, stored as its sk_kernel_kind and held until the next. */
static sk_status read_value(loader *ld, const yaml_node_t *node, const char *path, int dims,
                            const sk_yr_range *range, sk_keyframe *key)
{
    if (dims == 2)
        return sk_yr_number_pair(&ld->r, node, path, "[x, y]", range, key->value);
    if (range)
        return sk_yr_number_in(&ld->r, node, path, range, &key->value[0]);
    sk_kernel_kind kind = SK_KERNEL_GAUSSIAN;
    sk_status status = sk_read_kernel_name(ld, node, path, false, &kind);
    if (status != SK_OK)
        ld->kernel_known = false;
    key->value[0] = kind;
    key->hold = true;
    return status;
}

static sk_status read_keyframe(loader *ld, const yaml_node_t *node, const char *path, int dims,
                               const sk_yr_range *range, sk_keyframe *key)
{
    yaml_node_t *v[FRAME_COUNT];
    char item[SK_YR_PATH_MAX];
    sk_status status = sk_yr_mapping(&ld->r, node, path, frame_keys, FRAME_COUNT, v);
    if (status || (status = sk_yr_require_key(&ld->r, node, path, "t", v[FRAME_T])) ||
        (status = sk_yr_require_key(&ld->r, node, path, "value", v[FRAME_VALUE])))
        return status;
    sk_yr_subpath(item, sizeof item, "%s.t", path);
    if ((status = sk_yr_time(&ld->r, v[FRAME_T], item, &sk_time_range, &key->t)))
        return status;
    sk_yr_subpath(item, sizeof item, "%s.value", path);
    status = read_value(ld, v[FRAME_VALUE], item, dims, range, key);
    key->ease = (sk_ease){.kind = SK_EASE_LINEAR};
    sk_yr_subpath(item, sizeof item, "%s.ease", path);
    if (status == SK_OK && v[FRAME_EASE])
        status = read_ease(ld, v[FRAME_EASE], item, &key->ease);
    sk_yr_subpath(item, sizeof item, "%s.hold", path);
    if (status == SK_OK && v[FRAME_HOLD] && range) /* kernels always hold */
        status = sk_yr_bool(&ld->r, v[FRAME_HOLD], item, &key->hold);
    return status;
}

static sk_status read_track(loader *ld, const yaml_node_t *node, const char *path, int dims,
                            const sk_yr_range *range, sk_track *track)
{
    sk_status status = sk_yr_require_type(&ld->r, node, path, YAML_SEQUENCE_NODE,
                                          "a list of keyframes {t, value}");
    if (status)
        return status;
    size_t count = sk_yr_item_count(node);
    if (count == 0 || count > POINTS_MAX)
        return sk_yr_fail(&ld->r, node, path, "expected 1 to %d keyframes, found %zu", POINTS_MAX,
                          count);
    if (!(track->keys = calloc(count, sizeof *track->keys)))
        return sk_error_nomem(ld->log.err);
    track->count = (int)count;
    track->dims = dims;
    char item[SK_YR_PATH_MAX];
    for (size_t i = 0; i < count && status == SK_OK; i++) {
        const yaml_node_t *frame = sk_yr_item(&ld->r, node, i);
        sk_yr_subpath(item, sizeof item, "%s[%zu]", path, i);
        status = read_keyframe(ld, frame, item, dims, range, &track->keys[i]);
        if (status == SK_OK && i > 0 && !(track->keys[i].t > track->keys[i - 1].t))
            status = sk_yr_fail(&ld->r, frame, item,
                                "keyframes must be in ascending time, but t = %g follows t = %g",
                                track->keys[i].t, track->keys[i - 1].t);
    }
    return status;
}

/* ---------------------------------------------------------------------------
 * The query's route
 */

enum {
    PATH_TYPE,
    PATH_POINTS,
    PATH_CLOSED,
    PATH_CENTER,
    PATH_RADIUS,
    PATH_ROTATION,
    PATH_START,
    PATH_END,
    PATH_KEYFRAMES,
    PATH_COUNT
};
static const char *const path_keys[PATH_COUNT] = {
    "type", "points", "closed", "center", "radius", "rotation", "start", "end", "keyframes"};

#define BIT(k) (1u << (k))
#define POINT_KEYS (BIT(PATH_TYPE) | BIT(PATH_POINTS) | BIT(PATH_CLOSED))

/* Per path type: its name, the keys it takes, the one it requires. */
static const struct path_type {
    const char *name;
    unsigned keys;
    int required;
} path_types[SK_PATH_KIND_COUNT] = {
    [SK_PATH_SPLINE] = {"spline", POINT_KEYS, PATH_POINTS},
    [SK_PATH_POLYLINE] = {"polyline", POINT_KEYS, PATH_POINTS},
    [SK_PATH_BEZIER] = {"bezier", POINT_KEYS, PATH_POINTS},
    [SK_PATH_ELLIPSE] = {"ellipse",
                         BIT(PATH_TYPE) | BIT(PATH_CENTER) | BIT(PATH_RADIUS) | BIT(PATH_ROTATION) |
                             BIT(PATH_START) | BIT(PATH_END),
                         PATH_CENTER},
    [SK_PATH_KEYFRAMES] = {"keyframes", BIT(PATH_TYPE) | BIT(PATH_KEYFRAMES), PATH_KEYFRAMES},
};

static sk_status check_point_count(loader *ld, const yaml_node_t *node, const sk_path *p)
{
    size_t n = sk_yr_item_count(node);
    if (p->kind == SK_PATH_BEZIER && (n < 4 || (n - 1) % 3 != 0))
        return sk_yr_fail(
            &ld->r, node, "query.path.points",
            "expected 3m + 1 points (anchor, control, control, anchor, ...), found %zu", n);
    size_t least = p->closed && p->kind != SK_PATH_BEZIER ? 3 : 2;
    if (n < least)
        return sk_yr_fail(&ld->r, node, "query.path.points",
                          "expected at least %zu points%s, found %zu", least,
                          p->closed ? " for a closed path" : "", n);
    if (n > POINTS_MAX)
        return sk_yr_fail(&ld->r, node, "query.path.points",
                          "expected at most %d points, found %zu", POINTS_MAX, n);
    return SK_OK;
}

static sk_status read_points(loader *ld, const yaml_node_t *node, sk_path *p)
{
    char path[SK_YR_PATH_MAX];
    sk_status status =
        sk_yr_require_type(&ld->r, node, "query.path.points", YAML_SEQUENCE_NODE, "a list");
    if (status || (status = check_point_count(ld, node, p)))
        return status;
    size_t count = sk_yr_item_count(node);
    if (!(p->points = malloc(count * sizeof *p->points)))
        return sk_error_nomem(ld->log.err);
    p->point_count = (int)count;
    for (size_t i = 0; i < count && status == SK_OK; i++) {
        snprintf(path, sizeof path, "query.path.points[%zu]", i);
        status =
            sk_yr_vec2(&ld->r, sk_yr_item(&ld->r, node, i), path, &sk_coord_range, &p->points[i]);
    }
    return status;
}

/* radius: r for a circle, [rx, ry] for an ellipse. */
static sk_status read_radius(loader *ld, const yaml_node_t *node, sk_path *p)
{
    if (node->type == YAML_SEQUENCE_NODE) {
        double r[2];
        sk_status status =
            sk_yr_number_pair(&ld->r, node, "query.path.radius", "[rx, ry]", &radius_range, r);
        p->radius_x = r[0];
        p->radius_y = r[1];
        return status;
    }
    sk_status status =
        sk_yr_number_in(&ld->r, node, "query.path.radius", &radius_range, &p->radius_x);
    p->radius_y = p->radius_x;
    return status;
}

static sk_status read_ellipse(loader *ld, yaml_node_t *const *v, sk_path *p)
{
    sk_status status =
        sk_yr_vec2(&ld->r, v[PATH_CENTER], "query.path.center", &sk_coord_range, &p->center);
    if (status == SK_OK)
        status = read_radius(ld, v[PATH_RADIUS], p);
    if (status == SK_OK && v[PATH_ROTATION])
        status = sk_yr_number_in(&ld->r, v[PATH_ROTATION], "query.path.rotation", &angle_range,
                                 &p->rotation);
    if (status == SK_OK && v[PATH_START])
        status = sk_yr_number_in(&ld->r, v[PATH_START], "query.path.start", &angle_range,
                                 &p->start_angle);
    p->end_angle = p->start_angle + 360.0;
    if (status == SK_OK && v[PATH_END])
        status =
            sk_yr_number_in(&ld->r, v[PATH_END], "query.path.end", &angle_range, &p->end_angle);
    double sweep = fabs(p->end_angle - p->start_angle);
    if (status == SK_OK && (sweep == 0.0 || sweep > MAX_SWEEP))
        status =
            sk_yr_fail(&ld->r, v[PATH_END], "query.path.end",
                       "expected an angle other than start (%g) and at most %g degrees from it, "
                       "found %g",
                       p->start_angle, MAX_SWEEP, p->end_angle);
    p->closed = fabs(p->end_angle - p->start_angle) >= 360.0;
    return status;
}

/* Keys that the path's type does not take are errors, naming those it does. */
static sk_status check_path_keys(loader *ld, yaml_node_t *const *v, const struct path_type *type)
{
    for (int i = 0; i < PATH_COUNT; i++) {
        if (!v[i] || (type->keys & BIT(i)))
            continue;
        const char *taken[PATH_COUNT];
        int n = 0;
        for (int j = 0; j < PATH_COUNT; j++)
            if ((type->keys & BIT(j)) && j != PATH_TYPE)
                taken[n++] = path_keys[j];
        char list[256], path[SK_YR_PATH_MAX];
        sk_yr_join_names(taken, n, list, sizeof list);
        snprintf(path, sizeof path, "query.path.%s", path_keys[i]);
        return sk_yr_fail(&ld->r, v[i], path, "a %s path does not take '%s'; it takes: %s",
                          type->name, path_keys[i], list);
    }
    return SK_OK;
}

static sk_status read_path(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[PATH_COUNT];
    sk_path *p = &ld->scene->query_path;
    sk_status status = sk_yr_mapping(&ld->r, node, "query.path", path_keys, PATH_COUNT, v);
    if (status)
        return status;
    const char *names[SK_PATH_KIND_COUNT];
    for (int i = 0; i < SK_PATH_KIND_COUNT; i++)
        names[i] = path_types[i].name;
    int kind = SK_PATH_SPLINE;
    if (v[PATH_TYPE] && (status = sk_read_choice(ld, v[PATH_TYPE], "query.path.type", "path type",
                                                 names, SK_PATH_KIND_COUNT, &kind)))
        return status;
    p->kind = (sk_path_kind)kind;
    const struct path_type *type = &path_types[kind];
    if ((status = check_path_keys(ld, v, type)) ||
        (status = sk_yr_require_key(&ld->r, node, "query.path", path_keys[type->required],
                                    v[type->required])))
        return status;
    /* closed first: it decides how many points are enough. */
    if (v[PATH_CLOSED] &&
        (status = sk_yr_bool(&ld->r, v[PATH_CLOSED], "query.path.closed", &p->closed)))
        return status;
    if (p->kind == SK_PATH_ELLIPSE)
        return (status = sk_yr_require_key(&ld->r, node, "query.path", "radius", v[PATH_RADIUS]))
                   ? status
                   : read_ellipse(ld, v, p);
    if (p->kind == SK_PATH_KEYFRAMES)
        return read_track(ld, v[PATH_KEYFRAMES], "query.path.keyframes", 2, &sk_coord_range,
                          &p->track);
    return read_points(ld, v[PATH_POINTS], p);
}

enum { QUERY_PATH, QUERY_EASING, QUERY_SPEED, QUERY_COUNT };
static const char *const query_keys[QUERY_COUNT] = {"path", "easing", "speed"};
/* Scene units per second; 0 would never move. */
static const sk_yr_range speed_range = {0.0, 1e6, true, "greater than 0 and at most 1e6"};

sk_status sk_read_query(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[QUERY_COUNT];
    sk_scene *s = ld->scene;
    bool animated = s->query_path.kind == SK_PATH_KEYFRAMES;
    bool had_route = ld->has_route;
    ld->has_route = true; /* given, if wrongly: its own errors say how */
    sk_status status = sk_yr_mapping(&ld->r, node, "query", query_keys, QUERY_COUNT, v);
    if (status)
        return status;
    if (v[QUERY_EASING])
        SK_TRY(status, read_ease(ld, v[QUERY_EASING], "query.easing", &s->query_ease));
    if (v[QUERY_SPEED])
        SK_TRY(status, sk_yr_number_in(&ld->r, v[QUERY_SPEED], "query.speed", &speed_range,
                                       &s->query_speed));
    if (animated && v[QUERY_PATH])
        return sk_yr_fail(&ld->r, v[QUERY_PATH], "query.path",
                          "animate sets query.position, which is the query's route; "
                          "give a path or the animation, not both");
    if (animated)
        return status;
    if (!v[QUERY_PATH] && !had_route) /* easing or speed only: the default route */
        ld->has_route = false;
    if (v[QUERY_PATH]) {
        free(s->query_path.points); /* a later file's path replaces an included file's */
        s->query_path.points = NULL;
        s->query_path.point_count = 0;
        SK_TRY(status, read_path(ld, v[QUERY_PATH]));
    }
    return status;
}

/* ---------------------------------------------------------------------------
 * Camera and layers
 */

enum { CAMERA_CENTER, CAMERA_ZOOM, CAMERA_COUNT };
static const char *const camera_keys[CAMERA_COUNT] = {"center", "zoom"};

sk_status sk_read_camera(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[CAMERA_COUNT];
    sk_scene *s = ld->scene;
    sk_status status = sk_yr_mapping(&ld->r, node, "camera", camera_keys, CAMERA_COUNT, v);
    if (status == SK_OK && v[CAMERA_CENTER])
        status = sk_yr_vec2(&ld->r, v[CAMERA_CENTER], "camera.center", &sk_coord_range,
                            &s->camera_center);
    ld->has_camera_center = v[CAMERA_CENTER] != NULL;
    if (status == SK_OK && v[CAMERA_ZOOM])
        status =
            sk_yr_number_in(&ld->r, v[CAMERA_ZOOM], "camera.zoom", &zoom_range, &s->camera_zoom);
    return status;
}

static const char *const layer_keys[] = {"name", "opacity"};

/* One item of layers: a name, or {name, opacity}. */
static sk_status read_layer(loader *ld, const yaml_node_t *node, const char *path,
                            sk_layer_kind *kind)
{
    yaml_node_t *v[2] = {(yaml_node_t *)node, NULL};
    char sub[SK_YR_PATH_MAX];
    int index;
    sk_status status = SK_OK;
    if (node->type == YAML_MAPPING_NODE) {
        if ((status = sk_yr_mapping(&ld->r, node, path, layer_keys, 2, v)) ||
            (status = sk_yr_require_key(&ld->r, node, path, "name", v[0])))
            return status;
        sk_yr_subpath(sub, sizeof sub, "%s.name", path);
    } else {
        sk_yr_subpath(sub, sizeof sub, "%s", path);
    }
    if ((status = sk_read_choice(ld, v[0], sub, "layer", layer_names, SK_LAYER_COUNT, &index)))
        return status;
    *kind = (sk_layer_kind)index;
    sk_yr_subpath(sub, sizeof sub, "%s.opacity", path);
    if (v[1])
        status =
            sk_yr_number_in(&ld->r, v[1], sub, &opacity_range, &ld->scene->layer_opacity[index]);
    return status;
}

/* layers: the layers drawn, bottom first; those not listed are not drawn. */
sk_status sk_read_layers(loader *ld, const yaml_node_t *node)
{
    sk_scene *s = ld->scene;
    sk_status status = sk_yr_require_type(&ld->r, node, "layers", YAML_SEQUENCE_NODE,
                                          "a list of layer names, bottom first");
    if (status)
        return status;
    size_t n = sk_yr_item_count(node);
    if (n > SK_LAYER_COUNT)
        return sk_yr_fail(&ld->r, node, "layers", "expected at most %d layers, found %zu",
                          SK_LAYER_COUNT, n);
    bool seen[SK_LAYER_COUNT] = {false};
    char path[SK_YR_PATH_MAX];
    s->layer_count = 0;
    for (size_t i = 0; i < n; i++) {
        const yaml_node_t *item = sk_yr_item(&ld->r, node, i);
        sk_layer_kind kind;
        sk_yr_subpath(path, sizeof path, "layers[%zu]", i);
        if (read_layer(ld, item, path, &kind) != SK_OK) {
            status = SK_EINPUT;
            continue;
        }
        if (seen[kind]) {
            status =
                sk_yr_fail(&ld->r, item, path, "layer '%s' is listed twice", layer_names[kind]);
            continue;
        }
        seen[kind] = true;
        s->layer_order[s->layer_count++] = kind;
    }
    return status;
}

/* ---------------------------------------------------------------------------
 * animate: {target: keyframes, ...}
 */

/* Every animatable property but the layers' opacities, which follow them. */
static const struct target_row {
    const char *name;
    sk_target_kind target;
    int dims;
    const sk_yr_range *range;
    unsigned uses;    /* SK_USES_* flag the kernel must read, or 0 */
    const char *what; /* the parameter, for "the dot kernel does not use a bandwidth" */
} target_rows[] = {
    {"attention.bandwidth", SK_TARGET_BANDWIDTH, 1, &sk_parameter_range, SK_USES_BANDWIDTH,
     "a bandwidth"},
    {"attention.temperature", SK_TARGET_TEMPERATURE, 1, &sk_parameter_range, SK_USES_TEMPERATURE,
     "a temperature"},
    {"attention.k", SK_TARGET_K, 1, &k_range, SK_USES_K, "a k"},
    /* No range: the values are kernel names (read_value). */
    {"attention.kernel", SK_TARGET_KERNEL, 1, NULL, 0, NULL},
    {"camera.center", SK_TARGET_CAMERA_CENTER, 2, &sk_coord_range, 0, NULL},
    {"camera.zoom", SK_TARGET_CAMERA_ZOOM, 1, &zoom_range, 0, NULL},
    {"query.position", SK_TARGET_QUERY_POSITION, 2, &sk_coord_range, 0, NULL},
};
#define FIXED_TARGETS ((int)(sizeof target_rows / sizeof target_rows[0]))
#define TARGETS (FIXED_TARGETS + SK_LAYER_COUNT)

/* The animation of a target, reusing (and emptying) one an included file
 * made, so that the later file's keyframes replace it. */
static sk_animation *animation_for(sk_scene *s, sk_target_kind target, sk_layer_kind layer)
{
    for (int i = 0; i < s->animation_count; i++) {
        sk_animation *a = &s->animations[i];
        if (a->target == target && (target != SK_TARGET_LAYER_OPACITY || a->layer == layer)) {
            free(a->track.keys);
            a->track = (sk_track){0};
            return a;
        }
    }
    sk_animation *a = &s->animations[s->animation_count++];
    a->target = target;
    a->layer = layer;
    return a;
}

static sk_status read_target(loader *ld, const yaml_node_t *node, const char *name, int index)
{
    sk_scene *s = ld->scene;
    char path[SK_YR_PATH_MAX];
    sk_yr_subpath(path, sizeof path, "animate.%s", name);
    sk_status status = SK_OK;
    const struct target_row *row = index < FIXED_TARGETS ? &target_rows[index] : NULL;
    if (row && row->uses)
        SK_TRY(status, sk_note_parameter(ld, node, path, row->uses, row->what, false));
    if (row && row->target == SK_TARGET_QUERY_POSITION) {
        free(s->query_path.track.keys);
        s->query_path.track = (sk_track){0};
        s->query_path.kind = SK_PATH_KEYFRAMES;
        ld->has_route = true;
        SK_TRY(status, read_track(ld, node, path, 2, &sk_coord_range, &s->query_path.track));
        return status;
    }
    sk_animation *a =
        row ? animation_for(s, row->target, SK_LAYER_GRID)
            : animation_for(s, SK_TARGET_LAYER_OPACITY, (sk_layer_kind)(index - FIXED_TARGETS));
    SK_TRY(status, read_track(ld, node, path, row ? row->dims : 1,
                              row ? row->range : &opacity_range, &a->track));
    return status;
}

sk_status sk_read_animate(loader *ld, const yaml_node_t *node)
{
    char layer_targets[SK_LAYER_COUNT][48];
    const char *names[TARGETS];
    for (int i = 0; i < FIXED_TARGETS; i++)
        names[i] = target_rows[i].name;
    for (int i = 0; i < SK_LAYER_COUNT; i++) {
        snprintf(layer_targets[i], sizeof layer_targets[i], "layers.%s.opacity", layer_names[i]);
        names[FIXED_TARGETS + i] = layer_targets[i];
    }
    yaml_node_t *v[TARGETS];
    sk_status status = sk_yr_mapping(&ld->r, node, "animate", names, TARGETS, v);
    if (status)
        return status;
    /* One slot per target is enough for every file of the load. */
    if (!ld->scene->animations &&
        !(ld->scene->animations = calloc(TARGETS, sizeof *ld->scene->animations)))
        return sk_error_nomem(ld->log.err);
    for (int i = 0; i < TARGETS; i++)
        if (v[i])
            SK_TRY(status, read_target(ld, v[i], names[i], i));
    return status;
}

void sk_free_motion(sk_scene *scene)
{
    free(scene->query_path.points);
    free(scene->query_path.track.keys);
    for (int i = 0; i < scene->animation_count; i++)
        free(scene->animations[i].track.keys);
    free(scene->animations);
}

/* The animate targets, fixed and per layer, as sk_read_animate builds them. */
static void emit_targets(sk_schema_visit visit, void *context)
{
    char path[SK_YR_PATH_MAX];
    for (int i = 0; i < FIXED_TARGETS; i++) {
        snprintf(path, sizeof path, "animate.%s", target_rows[i].name);
        visit(path, context);
    }
    for (int i = 0; i < SK_LAYER_COUNT; i++) {
        snprintf(path, sizeof path, "animate.layers.%s.opacity", layer_names[i]);
        visit(path, context);
    }
}

void sk_schema_motion(sk_schema_visit visit, void *context)
{
    static const sk_schema_table tables[] = {
        {"query", query_keys, QUERY_COUNT},
        {"query.easing", ease_keys, 1},
        {"query.path", path_keys, PATH_COUNT},
        {"query.path.keyframes[]", frame_keys, FRAME_COUNT},
        {"query.path.keyframes[].ease", ease_keys, 1},
        {"camera", camera_keys, CAMERA_COUNT},
        {"layers[]", layer_keys, 2},
        {"animate.<target>[]", frame_keys, FRAME_COUNT},
        {"animate.<target>[].ease", ease_keys, 1},
    };
    sk_schema_emit(tables, sizeof tables / sizeof tables[0], visit, context);
    emit_targets(visit, context);
}
