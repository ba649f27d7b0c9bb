/* scene.c — loads a YAML scene into an sk_scene (see scene.h).
 *
 * libyaml composes the whole file into a document; yaml_read.c reads typed,
 * checked values out of it; this file holds the schema: which keys each
 * mapping allows, their ranges and their defaults. Reading stops at the first
 * error, whose message names the file, line, column and dotted key path.
 */
#include "scene.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

/* ---------------------------------------------------------------------------
 * Limits and defaults
 */

#define SIDE_MIN 16   /* pixels; smaller frames cannot hold the layout */
#define SIDE_MAX 8192 /* pixels; beyond what the encoders accept */
#define FPS_MIN 1
#define FPS_MAX 240
/* Bytes read from a scene file at most, so that pointing the loader at
 * /dev/zero or a huge log fails fast instead of exhausting memory. */
#define FILE_BYTES_MAX (64u << 20)

#define DEFAULT_WIDTH 1920
#define DEFAULT_HEIGHT 1080
#define DEFAULT_FPS 60
#define DEFAULT_DURATION 10.0 /* seconds */
#define DEFAULT_BACKGROUND "#0f172a"
#define DEFAULT_TITLE "Attention is soft k-nearest neighbours"

/* A missing view axis covers every key and path point plus this fraction of
 * their span on each side, or VIEW_PAD_FLAT units when the span is 0. */
#define VIEW_PAD 0.15
#define VIEW_PAD_FLAT 1.0

/* Seconds: above 0 and at most a day. */
static const sk_yr_range duration_range = {0.0, 86400.0, true, "greater than 0 and at most 86400"};
const sk_yr_range sk_parameter_range = {1e-6, 1e6, false, "from 1e-6 to 1e6"};
const sk_yr_range sk_coord_range = {-1e6, 1e6, false, "from -1e6 to 1e6"};
#define K_MAX 100000 /* attention.k: no more than there can be keys */

/* ---------------------------------------------------------------------------
 * Sections. Each mapping has a table of its keys, indexed by an enum.
 */

static sk_status read_size(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *items[2];
    sk_status status = sk_yr_pair(&ld->r, node, "video.size", "[width, height]", items);
    if (status)
        return status;
    if ((status =
             sk_yr_int(&ld->r, items[0], "video.size[0]", SIDE_MIN, SIDE_MAX, &ld->scene->width)))
        return status;
    if ((status =
             sk_yr_int(&ld->r, items[1], "video.size[1]", SIDE_MIN, SIDE_MAX, &ld->scene->height)))
        return status;
    /* Kept for the renderer, which alone knows whether its output format
     * needs even sizes and then points back here. */
    ld->scene->size_loc = (sk_loc){sk_yr_line(node), sk_yr_col(node)};
    return SK_OK;
}

enum { VIDEO_SIZE, VIDEO_FPS, VIDEO_DURATION, VIDEO_BACKGROUND, VIDEO_COUNT };
static const char *const video_keys[VIDEO_COUNT] = {"size", "fps", "duration", "background"};

static sk_status read_video(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[VIDEO_COUNT];
    sk_scene *s = ld->scene;
    sk_status status = sk_yr_mapping(&ld->r, node, "video", video_keys, VIDEO_COUNT, v);
    if (status)
        return status;
    if (v[VIDEO_SIZE] && (status = read_size(ld, v[VIDEO_SIZE])))
        return status;
    if (v[VIDEO_FPS] &&
        (status = sk_yr_int(&ld->r, v[VIDEO_FPS], "video.fps", FPS_MIN, FPS_MAX, &s->fps)))
        return status;
    if (v[VIDEO_DURATION] && (status = sk_yr_number_in(&ld->r, v[VIDEO_DURATION], "video.duration",
                                                       &duration_range, &s->duration)))
        return status;
    if (v[VIDEO_BACKGROUND])
        return sk_yr_colour(&ld->r, v[VIDEO_BACKGROUND], "video.background", &s->background);
    return SK_OK;
}

enum { TEXT_TITLE, TEXT_COUNT };
static const char *const text_keys[TEXT_COUNT] = {"title"};

static sk_status read_text(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[TEXT_COUNT];
    const char *title;
    sk_status status = sk_yr_mapping(&ld->r, node, "text", text_keys, TEXT_COUNT, v);
    if (status || !v[TEXT_TITLE])
        return status;
    if ((status = sk_yr_string(&ld->r, v[TEXT_TITLE], "text.title", &title)))
        return status;
    if (!(ld->scene->title = strdup(title)))
        return sk_error_nomem(ld->r.err);
    return SK_OK;
}

/* One axis of the view, [min, max] with min < max. */
static sk_status read_extent(loader *ld, const yaml_node_t *node, const char *path, double *min,
                             double *max)
{
    double extent[2];
    sk_status status = sk_yr_number_pair(&ld->r, node, path, "[min, max]", &sk_coord_range, extent);
    if (status)
        return status;
    *min = extent[0];
    *max = extent[1];
    if (*min < *max)
        return SK_OK;
    yaml_node_t *items[2]; /* read again only to quote them as written */
    sk_yr_pair(&ld->r, node, path, "[min, max]", items);
    char found[2][SK_YR_FOUND_MAX];
    sk_yr_describe(items[0], found[0], sizeof found[0]);
    sk_yr_describe(items[1], found[1], sizeof found[1]);
    return sk_yr_fail(&ld->r, node, path, "expected [min, max] with min < max, found [%s, %s]",
                      found[0], found[1]);
}

enum { VIEW_X, VIEW_Y, VIEW_COUNT };
static const char *const view_keys[VIEW_COUNT] = {"x", "y"};

static sk_status read_view(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[VIEW_COUNT];
    sk_scene *s = ld->scene;
    sk_status status = sk_yr_mapping(&ld->r, node, "view", view_keys, VIEW_COUNT, v);
    if (status)
        return status;
    if (v[VIEW_X] &&
        (status = read_extent(ld, v[VIEW_X], "view.x", &s->view_min.x, &s->view_max.x)))
        return status;
    if (v[VIEW_Y] &&
        (status = read_extent(ld, v[VIEW_Y], "view.y", &s->view_min.y, &s->view_max.y)))
        return status;
    ld->has_view_x = v[VIEW_X] != NULL;
    ld->has_view_y = v[VIEW_Y] != NULL;
    return SK_OK;
}

/* Looks text up in names[0..count); on failure reports it with a suggestion
 * and the list of valid names. */
sk_status sk_read_choice(loader *ld, const yaml_node_t *node, const char *path, const char *what,
                         const char *const *names, int count, int *index)
{
    const char *text;
    char q[SK_YR_QUOTED_MAX], list[SK_ERROR_MAX / 2];
    sk_status status = sk_yr_string(&ld->r, node, path, &text);
    if (status)
        return status;
    for (int i = 0; i < count; i++)
        if (strcmp(text, names[i]) == 0) {
            *index = i;
            return SK_OK;
        }
    sk_yr_quote(text, strlen(text), q, sizeof q);
    sk_yr_join_names(names, count, list, sizeof list);
    const char *near = sk_yr_suggest(text, names, count);
    if (near)
        return sk_yr_fail(&ld->r, node, path,
                          "unknown %s '%s' (did you mean '%s'?); expected one of: %s", what, q,
                          near, list);
    return sk_yr_fail(&ld->r, node, path, "unknown %s '%s'; expected one of: %s", what, q, list);
}

/* Reads a kernel name into *kind; the names come from core's table, so a new
 * kernel needs no change here. only_softmax limits the choice to kernels that
 * may serve as topk's base. */
static sk_status read_kernel_name(loader *ld, const yaml_node_t *node, const char *path,
                                  bool only_softmax, sk_kernel_kind *kind)
{
    const char *names[SK_KERNEL_COUNT];
    sk_kernel_kind kinds[SK_KERNEL_COUNT];
    int count = 0, index;
    for (int i = 0; i < SK_KERNEL_COUNT; i++) {
        if (only_softmax && !sk_kernel_is_softmax((sk_kernel_kind)i))
            continue;
        kinds[count] = (sk_kernel_kind)i;
        names[count++] = sk_kernel_name((sk_kernel_kind)i);
    }
    sk_status status = sk_read_choice(ld, node, path, only_softmax ? "base kernel" : "kernel",
                                      names, count, &index);
    if (status == SK_OK)
        *kind = kinds[index];
    return status;
}

/* A 2x2 matrix written as rows: [[a, b], [c, d]]. */
static sk_status read_matrix(loader *ld, const yaml_node_t *node, const char *path, sk_mat2 *m)
{
    yaml_node_t *rows[2];
    char row_path[SK_YR_PATH_MAX];
    double values[2][2];
    sk_status status = sk_yr_pair(&ld->r, node, path, "[[a, b], [c, d]]", rows);
    for (int i = 0; i < 2 && status == SK_OK; i++) {
        snprintf(row_path, sizeof row_path, "%s[%d]", path, i);
        status = sk_yr_number_pair(&ld->r, rows[i], row_path, "[a, b]", &sk_coord_range, values[i]);
    }
    if (status == SK_OK)
        *m = (sk_mat2){values[0][0], values[0][1], values[1][0], values[1][1]};
    return status;
}

sk_status sk_unused_parameter(loader *ld, const yaml_node_t *node, const char *path,
                              const char *what)
{
    return sk_yr_fail(&ld->r, node, path, "the %s kernel does not use a %s",
                      sk_kernel_name(ld->scene->kernel.kind), what);
}

enum {
    ATTENTION_KERNEL,
    ATTENTION_BANDWIDTH,
    ATTENTION_TEMPERATURE,
    ATTENTION_K,
    ATTENTION_BASE,
    ATTENTION_W_Q,
    ATTENTION_W_K,
    ATTENTION_COUNT
};
static const char *const attention_keys[ATTENTION_COUNT] = {
    "kernel", "bandwidth", "temperature", "k", "base", "w_q", "w_k"};

/* Parameters the kernel does not read are errors, not silently ignored:
 * a bandwidth on a dot kernel means the author expected something else. */
static sk_status read_parameters(loader *ld, yaml_node_t *const *v)
{
    sk_kernel *k = &ld->scene->kernel;
    sk_status status = SK_OK;
    if (v[ATTENTION_BANDWIDTH])
        status = (sk_kernel_parameters(k) & SK_USES_BANDWIDTH)
                     ? sk_yr_number_in(&ld->r, v[ATTENTION_BANDWIDTH], "attention.bandwidth",
                                       &sk_parameter_range, &k->bandwidth)
                     : sk_unused_parameter(ld, v[ATTENTION_BANDWIDTH], "attention.bandwidth",
                                           "bandwidth");
    if (status == SK_OK && v[ATTENTION_TEMPERATURE])
        status = (sk_kernel_parameters(k) & SK_USES_TEMPERATURE)
                     ? sk_yr_number_in(&ld->r, v[ATTENTION_TEMPERATURE], "attention.temperature",
                                       &sk_parameter_range, &k->temperature)
                     : sk_unused_parameter(ld, v[ATTENTION_TEMPERATURE], "attention.temperature",
                                           "temperature");
    if (status == SK_OK && v[ATTENTION_K])
        status = (sk_kernel_parameters(k) & SK_USES_K)
                     ? sk_yr_int(&ld->r, v[ATTENTION_K], "attention.k", 1, K_MAX, &k->k)
                     : sk_unused_parameter(ld, v[ATTENTION_K], "attention.k", "k");
    if (status == SK_OK && v[ATTENTION_W_Q])
        status = read_matrix(ld, v[ATTENTION_W_Q], "attention.w_q", &k->w_q);
    if (status == SK_OK && v[ATTENTION_W_K])
        status = read_matrix(ld, v[ATTENTION_W_K], "attention.w_k", &k->w_k);
    k->projected = v[ATTENTION_W_Q] || v[ATTENTION_W_K];
    return status;
}

static sk_status read_attention(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[ATTENTION_COUNT];
    sk_kernel *k = &ld->scene->kernel;
    sk_status status = sk_yr_mapping(&ld->r, node, "attention", attention_keys, ATTENTION_COUNT, v);
    if (status)
        return status;
    if (v[ATTENTION_KERNEL] &&
        (status = read_kernel_name(ld, v[ATTENTION_KERNEL], "attention.kernel", false, &k->kind)))
        return status;
    *k = sk_kernel_default(k->kind);
    /* The base first: it decides which other parameters topk reads. */
    if (v[ATTENTION_BASE])
        status = sk_kernel_uses(k->kind) & SK_USES_BASE
                     ? read_kernel_name(ld, v[ATTENTION_BASE], "attention.base", true, &k->base)
                     : sk_unused_parameter(ld, v[ATTENTION_BASE], "attention.base", "base");
    return status ? status : read_parameters(ld, v);
}

/* A key's value is a colour or a number; the first key decides which, and
 * every other key must agree (one scene blends one kind of value). */
static sk_status read_value(loader *ld, const yaml_node_t *node, const char *path, size_t index,
                            sk_key *key)
{
    sk_scene *s = ld->scene;
    bool numeric = sk_yr_is_number(node);
    if (index == 0)
        s->value_kind = numeric ? SK_VALUE_SCALAR : SK_VALUE_COLOUR;
    if (s->value_kind == SK_VALUE_COLOUR) {
        if (numeric)
            return sk_yr_fail(&ld->r, node, path,
                              "expected a colour like keys[0].value, found a number");
        return sk_yr_colour(&ld->r, node, path, &key->value);
    }
    static const sk_yr_range any = {-1e12, 1e12, false, "from -1e12 to 1e12, like keys[0].value"};
    return sk_yr_number_in(&ld->r, node, path, &any, &key->scalar);
}

enum { KEY_AT, KEY_VALUE, KEY_LABEL, KEY_COUNT };
static const char *const key_keys[KEY_COUNT] = {"at", "value", "label"};

/* keys[index]; key is zeroed, and its label is owned by the scene once set. */
static sk_status read_key(loader *ld, const yaml_node_t *node, size_t index, sk_key *key)
{
    yaml_node_t *v[KEY_COUNT];
    char path[SK_YR_PATH_MAX], item_path[SK_YR_PATH_MAX];
    const char *label;
    snprintf(path, sizeof path, "keys[%zu]", index);
    sk_status status = sk_yr_mapping(&ld->r, node, path, key_keys, KEY_COUNT, v);
    if (status || (status = sk_yr_require_key(&ld->r, node, path, "at", v[KEY_AT])) ||
        (status = sk_yr_require_key(&ld->r, node, path, "value", v[KEY_VALUE])))
        return status;
    snprintf(item_path, sizeof item_path, "keys[%zu].at", index);
    if ((status = sk_yr_vec2(&ld->r, v[KEY_AT], item_path, &sk_coord_range, &key->at)))
        return status;
    snprintf(item_path, sizeof item_path, "keys[%zu].value", index);
    if ((status = read_value(ld, v[KEY_VALUE], item_path, index, key)))
        return status;
    if (v[KEY_LABEL]) {
        snprintf(item_path, sizeof item_path, "keys[%zu].label", index);
        if ((status = sk_yr_string(&ld->r, v[KEY_LABEL], item_path, &label)))
            return status;
        key->label = strdup(label);
    } else { /* "k1", "k2", …: people count keys from 1 */
        char name[32];
        snprintf(name, sizeof name, "k%zu", index + 1);
        key->label = strdup(name);
    }
    return key->label ? SK_OK : sk_error_nomem(ld->r.err);
}

static sk_status read_keys(loader *ld, const yaml_node_t *node)
{
    sk_scene *s = ld->scene;
    sk_status status = sk_yr_require_type(&ld->r, node, "keys", YAML_SEQUENCE_NODE, "a list");
    if (status)
        return status;
    size_t count = sk_yr_item_count(node);
    if (count == 0)
        return sk_yr_fail(&ld->r, node, "keys", "expected at least 1 key, found an empty list");
    if (count > KEYS_MAX)
        return sk_yr_fail(&ld->r, node, "keys", "expected at most %d keys, found %zu", KEYS_MAX,
                          count);
    if (!(s->keys = calloc(count, sizeof *s->keys)))
        return sk_error_nomem(ld->r.err);
    s->key_count = (int)count; /* now, so that sk_scene_free sees every label */
    for (size_t i = 0; i < count; i++) {
        const yaml_node_t *item = sk_yr_item(&ld->r, node, i);
        if (!item)
            return sk_yr_fail(&ld->r, node, "keys", "malformed list");
        if ((status = read_key(ld, item, i, &s->keys[i])))
            return status;
    }
    return SK_OK;
}

/* ---------------------------------------------------------------------------
 * The whole scene
 */

/* Sections are read in this order whatever their order in the file: animate
 * checks its targets against the kernel, and query against animate. */
enum {
    TOP_VIDEO,
    TOP_TEXT,
    TOP_VIEW,
    TOP_ATTENTION,
    TOP_KEYS,
    TOP_CAMERA,
    TOP_LAYERS,
    TOP_ANIMATE,
    TOP_QUERY,
    TOP_COUNT
};
static const char *const top_keys[TOP_COUNT] = {"video",  "text",   "view",    "attention", "keys",
                                                "camera", "layers", "animate", "query"};
static const section_reader top_readers[TOP_COUNT] = {
    read_video,     read_text,      read_view,       read_attention, read_keys,
    sk_read_camera, sk_read_layers, sk_read_animate, sk_read_query,
};

static sk_status read_scene(loader *ld, const yaml_node_t *root)
{
    yaml_node_t *v[TOP_COUNT];
    sk_status status = sk_yr_mapping(&ld->r, root, "scene", top_keys, TOP_COUNT, v);
    if (status || (status = sk_yr_require_key(&ld->r, root, "scene", "keys", v[TOP_KEYS])))
        return status;
    for (int i = 0; i < TOP_COUNT; i++)
        if (v[i] && (status = top_readers[i](ld, v[i])))
            return status;
    /* The query needs a route: a path, or an animated query.position. */
    if (!v[TOP_QUERY] && ld->scene->query_path.kind != SK_PATH_KEYFRAMES)
        return sk_yr_require_key(&ld->r, root, "scene", "query", NULL);
    return SK_OK;
}

static void pad_axis(double lo, double hi, double *min, double *max)
{
    double pad = hi > lo ? VIEW_PAD * (hi - lo) : VIEW_PAD_FLAT;
    *min = lo - pad;
    *max = hi + pad;
}

static void include_point(sk_vec2 p, sk_vec2 *lo, sk_vec2 *hi)
{
    *lo = (sk_vec2){fmin(lo->x, p.x), fmin(lo->y, p.y)};
    *hi = (sk_vec2){fmax(hi->x, p.x), fmax(hi->y, p.y)};
}

/* Widens [lo, hi] to cover the query's route. */
static void include_route(const sk_path *path, sk_vec2 *lo, sk_vec2 *hi)
{
    for (int i = 0; i < path->point_count; i++)
        include_point(path->points[i], lo, hi);
    for (int i = 0; path->kind == SK_PATH_KEYFRAMES && i < path->track.count; i++)
        include_point((sk_vec2){path->track.keys[i].value[0], path->track.keys[i].value[1]}, lo,
                      hi);
    if (path->kind == SK_PATH_ELLIPSE) { /* a box around any rotation of the ellipse */
        double r = fmax(path->radius_x, path->radius_y);
        include_point((sk_vec2){path->center.x - r, path->center.y - r}, lo, hi);
        include_point((sk_vec2){path->center.x + r, path->center.y + r}, lo, hi);
    }
}

/* Fills the view axes the file left out from the keys' and route's box, and
 * centres the camera on the view unless the file placed it. */
static void default_view(loader *ld)
{
    sk_scene *s = ld->scene;
    sk_vec2 lo = s->keys[0].at, hi = lo;
    for (int i = 0; i < s->key_count; i++)
        include_point(s->keys[i].at, &lo, &hi);
    include_route(&s->query_path, &lo, &hi);
    if (!ld->has_view_x)
        pad_axis(lo.x, hi.x, &s->view_min.x, &s->view_max.x);
    if (!ld->has_view_y)
        pad_axis(lo.y, hi.y, &s->view_min.y, &s->view_max.y);
    if (!ld->has_camera_center)
        s->camera_center =
            (sk_vec2){(s->view_min.x + s->view_max.x) / 2, (s->view_min.y + s->view_max.y) / 2};
}

static void set_defaults(sk_scene *s)
{
    s->width = DEFAULT_WIDTH;
    s->height = DEFAULT_HEIGHT;
    s->fps = DEFAULT_FPS;
    s->duration = DEFAULT_DURATION;
    sk_yr_parse_colour(DEFAULT_BACKGROUND, &s->background);
    s->kernel = sk_kernel_default(SK_KERNEL_GAUSSIAN);
    s->query_path.kind = SK_PATH_SPLINE;
    s->query_path.closed = true;
    s->query_ease = (sk_ease){.kind = SK_EASE_LINEAR};
    s->camera_zoom = 1.0;
    for (int i = 0; i < SK_LAYER_COUNT; i++)
        s->layer_opacity[i] = 1.0;
}

/* Builds ld->scene from the document's root (NULL for an empty file). */
static sk_status build_scene(loader *ld, const yaml_node_t *root, const char *name)
{
    sk_scene *s = calloc(1, sizeof *s);
    if (!s)
        return sk_error_nomem(ld->r.err);
    ld->scene = s;
    set_defaults(s);
    if (!(s->source = strdup(name)))
        return sk_error_nomem(ld->r.err);
    if (!root)
        return sk_error_at(ld->r.err, SK_EINPUT, name, 1, 1,
                           "scene: expected a mapping, found an empty document");
    sk_status status = read_scene(ld, root);
    if (status)
        return status;
    if (!s->title && !(s->title = strdup(DEFAULT_TITLE)))
        return sk_error_nomem(ld->r.err);
    default_view(ld);
    return SK_OK;
}

/* ---------------------------------------------------------------------------
 * libyaml's own errors
 */

/* Line and column (1-based, in characters) of byte offset in text; libyaml
 * gives only an offset for undecodable input. */
static void offset_position(const char *text, size_t len, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && i < len && *line < INT_MAX && *col < INT_MAX; i++) {
        if (text[i] == '\n') {
            ++*line;
            *col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) { /* not a continuation */
            ++*col;
        }
    }
}

static sk_status parser_error(const yaml_parser_t *parser, const char *name, const char *text,
                              size_t len, sk_error *err)
{
    const char *problem = parser->problem ? parser->problem : "unknown problem";
    int line, col;
    switch (parser->error) {
    case YAML_MEMORY_ERROR: return sk_error_nomem(err);
    case YAML_READER_ERROR:
        offset_position(text, len, parser->problem_offset, &line, &col);
        if (parser->problem_value >= 0)
            return sk_error_at(err, SK_EINPUT, name, line, col, "invalid text: %s (0x%02x)",
                               problem, (unsigned)parser->problem_value);
        return sk_error_at(err, SK_EINPUT, name, line, col, "invalid text: %s", problem);
    default: /* scanner, parser and composer errors carry a mark */
        line = (int)(parser->problem_mark.line < INT_MAX ? parser->problem_mark.line + 1 : INT_MAX);
        col = (int)(parser->problem_mark.column < INT_MAX ? parser->problem_mark.column + 1
                                                          : INT_MAX);
        return sk_error_at(err, SK_EINPUT, name, line, col, "YAML syntax error: %s%s%s", problem,
                           parser->context ? " " : "", parser->context ? parser->context : "");
    }
}

/* A scene is one document; a second one (after "---") would be ignored
 * silently, so it is an error, as is any syntax error after the first. */
static sk_status check_single_document(yaml_parser_t *parser, const char *name, const char *text,
                                       size_t len, sk_error *err)
{
    yaml_document_t extra;
    if (!yaml_parser_load(parser, &extra))
        return parser_error(parser, name, text, len, err);
    yaml_node_t *root = yaml_document_get_root_node(&extra);
    sk_status status = SK_OK;
    if (root)
        status = sk_error_at(err, SK_EINPUT, name, sk_yr_line(root), sk_yr_col(root),
                             "scene: expected a single document, found a second one");
    yaml_document_delete(&extra);
    return status;
}

static sk_status load_text(const char *text, size_t len, const char *name, sk_scene **out,
                           sk_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    loader ld = {0};
    sk_status status;
    if (!yaml_parser_initialize(&parser))
        return sk_error_nomem(err);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) { /* libyaml has freed doc */
        status = parser_error(&parser, name, text, len, err);
        goto fail_parser;
    }
    if ((status = check_single_document(&parser, name, text, len, err)))
        goto fail_doc;
    sk_yr_init(&ld.r, &doc, name, err);
    status = build_scene(&ld, yaml_document_get_root_node(&doc), name);
    sk_yr_done(&ld.r);
fail_doc:
    yaml_document_delete(&doc);
fail_parser:
    yaml_parser_delete(&parser);
    if (status)
        sk_scene_free(ld.scene);
    else
        *out = ld.scene;
    return status;
}

/* ---------------------------------------------------------------------------
 * Files
 */

static sk_status file_error(const char *path, const char *what, int errnum, sk_error *err)
{
    char reason[256];
    /* strerror_r, not strerror: scenes may be loaded from several threads. */
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", errnum);
    return sk_error_at(err, SK_EINPUT, path, 0, 0, "%s: %s", what, reason);
}

/* Reads all of f into a new buffer (*text, owned by the caller). */
static sk_status read_all(FILE *f, const char *path, char **text, size_t *len, sk_error *err)
{
    size_t used = 0, cap = 0;
    char *buf = NULL;
    for (;;) {
        if (used > FILE_BYTES_MAX) {
            free(buf);
            return sk_error_at(err, SK_EINPUT, path, 0, 0, "cannot read: larger than %u MiB",
                               FILE_BYTES_MAX >> 20);
        }
        if (used == cap) { /* one byte past the limit tells "too large" from "at it" */
            size_t grown = cap ? cap * 2 : 4096;
            if (grown > FILE_BYTES_MAX + 1)
                grown = FILE_BYTES_MAX + 1;
            char *bigger = realloc(buf, grown + 1); /* + 1 for a closing NUL */
            if (!bigger) {
                free(buf);
                return sk_error_nomem(err);
            }
            buf = bigger;
            cap = grown;
        }
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int errnum = errno;
        free(buf);
        return file_error(path, "cannot read", errnum, err);
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return SK_OK;
}

/* ---------------------------------------------------------------------------
 * Public functions
 */

sk_status sk_scene_load(const char *path, sk_scene **out, sk_error *err)
{
    char *text = NULL;
    size_t len = 0;
    if (!out || !path)
        return sk_error_set(err, SK_EINPUT, "sk_scene_load: no path or no output");
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return file_error(path, "cannot open", errno, err);
    sk_status status = read_all(f, path, &text, &len, err);
    fclose(f);
    if (status)
        return status;
    /* Read whole rather than streamed, so that an undecodable byte's offset
     * can be turned into a line and column. */
    status = load_text(text, len, path, out, err);
    free(text);
    return status;
}

sk_status sk_scene_load_string(const char *text, const char *name, sk_scene **out, sk_error *err)
{
    if (!out || !text)
        return sk_error_set(err, SK_EINPUT, "sk_scene_load_string: no text or no output");
    *out = NULL;
    return load_text(text, strlen(text), name ? name : "<string>", out, err);
}

void sk_scene_free(sk_scene *scene)
{
    if (!scene)
        return;
    for (int i = 0; i < scene->key_count; i++)
        free(scene->keys[i].label);
    free(scene->keys);
    sk_free_motion(scene);
    free(scene->title);
    free(scene->source);
    free(scene);
}

int64_t sk_scene_frame_count(const sk_scene *scene)
{
    if (!scene)
        return 0;
    long long frames = llround(scene->duration * scene->fps);
    return frames < 1 ? 1 : frames;
}
