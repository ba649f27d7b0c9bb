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

#include "yaml_read.h"

/* ---------------------------------------------------------------------------
 * Limits and defaults
 */

#define SIDE_MIN 16   /* pixels; smaller frames cannot hold the layout */
#define SIDE_MAX 8192 /* pixels; beyond what the encoders accept */
#define FPS_MIN 1
#define FPS_MAX 240
#define KEYS_MAX 100000   /* keys; the field costs O(keys) per pixel */
#define POINTS_MAX 100000 /* path points; plenty for any drawn curve */
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
/* Bandwidth (scene units) and temperature: positive, and far enough from 0
 * and infinity that 2 sigma^2 and sqrt(2) T stay normal doubles. */
static const sk_yr_range parameter_range = {1e-6, 1e6, false, "from 1e-6 to 1e6"};
/* Scene units; keeps spans, squared distances and paddings finite. */
static const sk_yr_range coord_range = {-1e6, 1e6, false, "from -1e6 to 1e6"};

typedef struct loader {
    sk_yr r;
    sk_scene *scene;
    bool has_view_x, has_view_y; /* whether view.x / view.y were given */
} loader;

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
    sk_status status = sk_yr_number_pair(&ld->r, node, path, "[min, max]", &coord_range, extent);
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

static sk_status read_kernel(loader *ld, const yaml_node_t *node)
{
    const char *names[SK_KERNEL_COUNT], *text;
    char q[SK_YR_QUOTED_MAX], list[SK_ERROR_MAX / 2];
    sk_status status = sk_yr_string(&ld->r, node, "attention.kernel", &text);
    if (status)
        return status;
    if (sk_kernel_from_name(text, &ld->scene->kernel.kind))
        return SK_OK;
    /* The list comes from core, so a new kernel needs no change here. */
    for (int i = 0; i < SK_KERNEL_COUNT; i++)
        names[i] = sk_kernel_name((sk_kernel_kind)i);
    sk_yr_quote(text, strlen(text), q, sizeof q);
    sk_yr_join_names(names, SK_KERNEL_COUNT, list, sizeof list);
    const char *near = sk_yr_suggest(text, names, SK_KERNEL_COUNT);
    if (near)
        return sk_yr_fail(&ld->r, node, "attention.kernel",
                          "unknown kernel '%s' (did you mean '%s'?); expected one of: %s", q, near,
                          list);
    return sk_yr_fail(&ld->r, node, "attention.kernel", "unknown kernel '%s'; expected one of: %s",
                      q, list);
}

enum { ATTENTION_KERNEL, ATTENTION_BANDWIDTH, ATTENTION_TEMPERATURE, ATTENTION_COUNT };
static const char *const attention_keys[ATTENTION_COUNT] = {"kernel", "bandwidth", "temperature"};

static sk_status read_attention(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[ATTENTION_COUNT];
    sk_kernel *k = &ld->scene->kernel;
    sk_status status = sk_yr_mapping(&ld->r, node, "attention", attention_keys, ATTENTION_COUNT, v);
    if (status)
        return status;
    if (v[ATTENTION_KERNEL] && (status = read_kernel(ld, v[ATTENTION_KERNEL])))
        return status;
    if (v[ATTENTION_BANDWIDTH] &&
        (status = sk_yr_number_in(&ld->r, v[ATTENTION_BANDWIDTH], "attention.bandwidth",
                                  &parameter_range, &k->bandwidth)))
        return status;
    if (v[ATTENTION_TEMPERATURE])
        return sk_yr_number_in(&ld->r, v[ATTENTION_TEMPERATURE], "attention.temperature",
                               &parameter_range, &k->temperature);
    return SK_OK;
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
    if ((status = sk_yr_vec2(&ld->r, v[KEY_AT], item_path, &coord_range, &key->at)))
        return status;
    snprintf(item_path, sizeof item_path, "keys[%zu].value", index);
    if ((status = sk_yr_colour(&ld->r, v[KEY_VALUE], item_path, &key->value)))
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

static sk_status read_points(loader *ld, const yaml_node_t *node)
{
    sk_path *p = &ld->scene->query_path;
    char path[SK_YR_PATH_MAX];
    sk_status status =
        sk_yr_require_type(&ld->r, node, "query.path.points", YAML_SEQUENCE_NODE, "a list");
    if (status)
        return status;
    size_t count = sk_yr_item_count(node), least = p->closed ? 3 : 2;
    if (count < least)
        return sk_yr_fail(&ld->r, node, "query.path.points",
                          "expected at least %zu points%s, found %zu", least,
                          p->closed ? " for a closed path" : "", count);
    if (count > POINTS_MAX)
        return sk_yr_fail(&ld->r, node, "query.path.points",
                          "expected at most %d points, found %zu", POINTS_MAX, count);
    if (!(p->points = malloc(count * sizeof *p->points)))
        return sk_error_nomem(ld->r.err);
    p->point_count = (int)count;
    for (size_t i = 0; i < count; i++) {
        const yaml_node_t *item = sk_yr_item(&ld->r, node, i);
        snprintf(path, sizeof path, "query.path.points[%zu]", i);
        if (!item)
            return sk_yr_fail(&ld->r, node, "query.path.points", "malformed list");
        if ((status = sk_yr_vec2(&ld->r, item, path, &coord_range, &p->points[i])))
            return status;
    }
    return SK_OK;
}

enum { PATH_POINTS, PATH_CLOSED, PATH_COUNT };
static const char *const path_keys[PATH_COUNT] = {"points", "closed"};

static sk_status read_path(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[PATH_COUNT];
    bool closed = true;
    sk_status status = sk_yr_mapping(&ld->r, node, "query.path", path_keys, PATH_COUNT, v);
    if (status ||
        (status = sk_yr_require_key(&ld->r, node, "query.path", "points", v[PATH_POINTS])))
        return status;
    /* closed first: it decides how many points are enough. */
    if (v[PATH_CLOSED] &&
        (status = sk_yr_bool(&ld->r, v[PATH_CLOSED], "query.path.closed", &closed)))
        return status;
    ld->scene->query_path.closed = closed;
    return read_points(ld, v[PATH_POINTS]);
}

enum { QUERY_PATH, QUERY_COUNT };
static const char *const query_keys[QUERY_COUNT] = {"path"};

static sk_status read_query(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[QUERY_COUNT];
    sk_status status = sk_yr_mapping(&ld->r, node, "query", query_keys, QUERY_COUNT, v);
    if (status || (status = sk_yr_require_key(&ld->r, node, "query", "path", v[QUERY_PATH])))
        return status;
    return read_path(ld, v[QUERY_PATH]);
}

/* ---------------------------------------------------------------------------
 * The whole scene
 */

typedef sk_status (*section_reader)(loader *ld, const yaml_node_t *node);

enum { TOP_VIDEO, TOP_TEXT, TOP_VIEW, TOP_ATTENTION, TOP_KEYS, TOP_QUERY, TOP_COUNT };
static const char *const top_keys[TOP_COUNT] = {"video",     "text", "view",
                                                "attention", "keys", "query"};
static const section_reader top_readers[TOP_COUNT] = {
    read_video, read_text, read_view, read_attention, read_keys, read_query,
};

static sk_status read_scene(loader *ld, const yaml_node_t *root)
{
    yaml_node_t *v[TOP_COUNT];
    sk_status status = sk_yr_mapping(&ld->r, root, "scene", top_keys, TOP_COUNT, v);
    if (status || (status = sk_yr_require_key(&ld->r, root, "scene", "keys", v[TOP_KEYS])) ||
        (status = sk_yr_require_key(&ld->r, root, "scene", "query", v[TOP_QUERY])))
        return status;
    for (int i = 0; i < TOP_COUNT; i++)
        if (v[i] && (status = top_readers[i](ld, v[i])))
            return status;
    return SK_OK;
}

static void pad_axis(double lo, double hi, double *min, double *max)
{
    double pad = hi > lo ? VIEW_PAD * (hi - lo) : VIEW_PAD_FLAT;
    *min = lo - pad;
    *max = hi + pad;
}

/* Fills the view axes the file left out from the keys' and path's box. */
static void default_view(loader *ld)
{
    sk_scene *s = ld->scene;
    sk_vec2 lo = s->keys[0].at, hi = lo;
    for (int i = 0; i < s->key_count + s->query_path.point_count; i++) {
        sk_vec2 p = i < s->key_count ? s->keys[i].at : s->query_path.points[i - s->key_count];
        lo = (sk_vec2){fmin(lo.x, p.x), fmin(lo.y, p.y)};
        hi = (sk_vec2){fmax(hi.x, p.x), fmax(hi.y, p.y)};
    }
    if (!ld->has_view_x)
        pad_axis(lo.x, hi.x, &s->view_min.x, &s->view_max.x);
    if (!ld->has_view_y)
        pad_axis(lo.y, hi.y, &s->view_min.y, &s->view_max.y);
}

static void set_defaults(sk_scene *s)
{
    s->width = DEFAULT_WIDTH;
    s->height = DEFAULT_HEIGHT;
    s->fps = DEFAULT_FPS;
    s->duration = DEFAULT_DURATION;
    sk_yr_parse_colour(DEFAULT_BACKGROUND, &s->background);
    s->kernel = (sk_kernel){SK_KERNEL_GAUSSIAN, 1.0, 1.0};
    s->query_path.closed = 1;
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
    free(scene->query_path.points);
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
