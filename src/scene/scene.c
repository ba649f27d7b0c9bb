/* scene.c — loads a YAML scene into an sk_scene (see scene.h and loader.h).
 *
 * libyaml composes each file into a document; yaml_read.c reads typed,
 * checked values out of it; the readers here and in keys.c and motion.c hold
 * the schema. Files named by `include:` are read first, each into the same
 * scene, so a later file overrides an earlier one value by value (lists
 * whole). Checks that need the whole scene come last.
 */
#include "scene.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
#define DEFAULT_TITLE "Attention is soft k-nearest neighbours"

/* A missing view axis covers every key and path point plus this fraction of
 * their span on each side, or VIEW_PAD_FLAT units when the span is 0. */
#define VIEW_PAD 0.15
#define VIEW_PAD_FLAT 1.0

#define MATRIX_ROWS_DEFAULT 16 /* instants in the matrix view: a row every 0.6 s of a 10 s video   \
                                */
#define MATRIX_ROWS_MAX 1000   /* more rows than any frame has pixels for */

/* Seconds: above 0 and at most a day. */
static const sk_yr_range duration_range = {0.0, 86400.0, true, "greater than 0 and at most 86400"};
static const sk_yr_range offset_range = {-86400.0, 86400.0, false, "from -86400 to 86400"};
const sk_yr_range sk_parameter_range = {1e-6, 1e6, false, "from 1e-6 to 1e6"};
const sk_yr_range sk_coord_range = {-1e6, 1e6, false, "from -1e6 to 1e6"};
const sk_yr_range sk_time_range = {0.0, 86400.0, false, "from 0 to 86400 seconds"};

/* Per theme: its name and the background it implies unless one is given. */
static const struct theme_row {
    const char *name;
    const char *background;
} themes[SK_THEME_COUNT] = {
    [SK_THEME_DARK] = {"dark", "#0f172a"},
    [SK_THEME_LIGHT] = {"light", "#f8fafc"},
};

const char *sk_theme_name(sk_theme theme)
{
    return (unsigned)theme < SK_THEME_COUNT ? themes[theme].name : NULL;
}

/* ---------------------------------------------------------------------------
 * Helpers shared by the readers
 */

char *sk_copy_string(loader *ld, const char *text)
{
    char *copy = strdup(text);
    if (!copy)
        sk_error_nomem(ld->log.err);
    return copy;
}

sk_status sk_read_choice(loader *ld, const yaml_node_t *node, const char *path, const char *what,
                         const char *const *names, int count, int *index)
{
    const char *text;
    char q[SK_YR_QUOTED_MAX], list[SK_ERROR_MAX / 8];
    sk_status status = sk_yr_string(&ld->r, node, path, &text);
    if (status)
        return status;
    for (int i = 0; i < count; i++) {
        if (strcmp(text, names[i]) == 0) {
            *index = i;
            return SK_OK;
        }
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

sk_status sk_note_parameter(loader *ld, const yaml_node_t *node, const char *path, unsigned uses,
                            const char *what, bool compare)
{
    if (ld->pending_count == ld->pending_cap) {
        int cap = ld->pending_cap ? ld->pending_cap * 2 : 8;
        pending_parameter *grown = realloc(ld->pending, (size_t)cap * sizeof *grown);
        if (!grown)
            return sk_error_nomem(ld->log.err);
        ld->pending = grown;
        ld->pending_cap = cap;
    }
    pending_parameter *p = &ld->pending[ld->pending_count++];
    p->uses = uses;
    p->what = what;
    p->compare = compare;
    snprintf(p->where, sizeof p->where, "%s:%d:%d: %s", ld->r.file, sk_yr_line(node),
             sk_yr_col(node), path);
    return SK_OK;
}

sk_status sk_resolve_path(loader *ld, const yaml_node_t *node, const char *path, const char *name,
                          char **out)
{
    *out = NULL;
    if (name[0] == '\0')
        return sk_yr_fail(&ld->r, node, path, "expected a file name, found an empty string");
    size_t n = strlen(ld->dir) + strlen(name) + 2;
    char *joined = malloc(n);
    if (!joined)
        return sk_error_nomem(ld->log.err);
    if (name[0] == '/' || ld->dir[0] == '\0')
        snprintf(joined, n, "%s", name);
    else
        snprintf(joined, n, "%s/%s", ld->dir, name);
    *out = joined;
    return SK_OK;
}

static void describe_errno(int errnum, char *reason, size_t size)
{
    /* strerror_r, not strerror: scenes may be loaded from several threads. */
    if (strerror_r(errnum, reason, size) != 0)
        snprintf(reason, size, "error %d", errnum);
}

sk_status sk_read_file(const char *path, char **text, size_t *len, sk_error *err)
{
    char reason[256];
    FILE *f = fopen(path, "rb");
    if (!f) {
        describe_errno(errno, reason, sizeof reason);
        return sk_error_at(err, SK_EINPUT, path, 0, 0, "cannot open: %s", reason);
    }
    size_t used = 0, cap = 0;
    char *buf = NULL;
    sk_status status = SK_OK;
    for (size_t got = 1; got > 0 && status == SK_OK;) {
        if (used > FILE_BYTES_MAX) {
            status = sk_error_at(err, SK_EINPUT, path, 0, 0, "cannot read: larger than %u MiB",
                                 FILE_BYTES_MAX >> 20);
            break;
        }
        if (used == cap) { /* one byte past the limit tells "too large" from "at it" */
            size_t grown = cap ? cap * 2 : 4096;
            grown = grown > FILE_BYTES_MAX + 1 ? FILE_BYTES_MAX + 1 : grown;
            char *bigger = realloc(buf, grown + 1); /* + 1 for a closing NUL */
            if (!bigger) {
                status = sk_error_nomem(err);
                break;
            }
            buf = bigger;
            cap = grown;
        }
        got = fread(buf + used, 1, cap - used, f);
        used += got;
    }
    if (status == SK_OK && ferror(f)) {
        describe_errno(errno, reason, sizeof reason);
        status = sk_error_at(err, SK_EINPUT, path, 0, 0, "cannot read: %s", reason);
    }
    fclose(f);
    if (status != SK_OK) {
        free(buf);
        return status;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return SK_OK;
}

/* ---------------------------------------------------------------------------
 * video, text, sections, audio, view
 */

static sk_status read_size(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *items[2];
    int w = 0, h = 0;
    sk_status status = sk_yr_pair(&ld->r, node, "video.size", "[width, height]", items);
    if (status)
        return status;
    SK_TRY(status, sk_yr_int(&ld->r, items[0], "video.size[0]", SIDE_MIN, SIDE_MAX, &w));
    SK_TRY(status, sk_yr_int(&ld->r, items[1], "video.size[1]", SIDE_MIN, SIDE_MAX, &h));
    if (status)
        return status;
    ld->scene->width = w;
    ld->scene->height = h;
    /* Kept for the renderer, which alone knows whether its output format
     * needs even sizes and then points back here. */
    ld->scene->size_loc = (sk_loc){sk_yr_line(node), sk_yr_col(node)};
    return SK_OK;
}

enum { VIDEO_SIZE, VIDEO_FPS, VIDEO_DURATION, VIDEO_BACKGROUND, VIDEO_THEME, VIDEO_COUNT };
static const char *const video_keys[VIDEO_COUNT] = {"size", "fps", "duration", "background",
                                                    "theme"};

static sk_status read_theme(loader *ld, const yaml_node_t *node)
{
    const char *names[SK_THEME_COUNT];
    for (int i = 0; i < SK_THEME_COUNT; i++)
        names[i] = themes[i].name;
    int index;
    sk_status status =
        sk_read_choice(ld, node, "video.theme", "theme", names, SK_THEME_COUNT, &index);
    if (status == SK_OK)
        ld->scene->theme = (sk_theme)index;
    return status;
}

static sk_status read_video(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[VIDEO_COUNT];
    sk_scene *s = ld->scene;
    sk_status status = sk_yr_mapping(&ld->r, node, "video", video_keys, VIDEO_COUNT, v);
    if (status)
        return status;
    if (v[VIDEO_SIZE])
        SK_TRY(status, read_size(ld, v[VIDEO_SIZE]));
    if (v[VIDEO_FPS])
        SK_TRY(status, sk_yr_int(&ld->r, v[VIDEO_FPS], "video.fps", FPS_MIN, FPS_MAX, &s->fps));
    if (v[VIDEO_DURATION])
        SK_TRY(status, sk_yr_time(&ld->r, v[VIDEO_DURATION], "video.duration", &duration_range,
                                  &s->duration));
    if (v[VIDEO_THEME])
        SK_TRY(status, read_theme(ld, v[VIDEO_THEME]));
    if (v[VIDEO_BACKGROUND])
        SK_TRY(status, sk_yr_colour(&ld->r, v[VIDEO_BACKGROUND], "video.background", &s->background,
                                    &s->background_alpha));
    else if (v[VIDEO_THEME]) /* the theme's own background, unless one is given */
        sk_yr_parse_colour(themes[s->theme].background, &s->background, &s->background_alpha);
    return status;
}

/* A mapping whose first `required` keys must be given, holding a start and
 * an end time (end after start), as captions and sections are: reads the
 * times and leaves the mapping's values in v for the caller's other keys. */
static sk_status read_timed(loader *ld, const yaml_node_t *node, const char *path,
                            const char *const *keys, int count, int required, int start_key,
                            yaml_node_t **v, double *start, double *end)
{
    char item[SK_YR_PATH_MAX];
    sk_status status = sk_yr_mapping(&ld->r, node, path, keys, count, v);
    if (status)
        return status;
    for (int i = 0; i < required; i++)
        SK_TRY(status, sk_yr_require_key(&ld->r, node, path, keys[i], v[i]));
    if (status)
        return status;
    sk_yr_subpath(item, sizeof item, "%s.start", path);
    SK_TRY(status, sk_yr_time(&ld->r, v[start_key], item, &sk_time_range, start));
    sk_yr_subpath(item, sizeof item, "%s.end", path);
    SK_TRY(status, sk_yr_time(&ld->r, v[start_key + 1], item, &sk_time_range, end));
    if (status == SK_OK && !(*end > *start))
        status = sk_yr_fail(&ld->r, v[start_key + 1], item,
                            "expected a time after start (%g s), found %g s", *start, *end);
    return status;
}

/* A TeX formula at node: its source and where it stands, to compile later. */
static sk_status read_tex(loader *ld, const yaml_node_t *node, const char *path, sk_tex *tex)
{
    const char *source = NULL;
    sk_status status = sk_yr_string(&ld->r, node, path, &source);
    if (status == SK_OK && !*source)
        status = sk_yr_fail(&ld->r, node, path, "expected a TeX formula, found an empty string");
    if (status)
        return status;
    free(tex->source); /* a later file's formula replaces an included file's */
    if (!(tex->source = sk_copy_string(ld, source)))
        return SK_ENOMEM;
    snprintf(tex->where, sizeof tex->where, "%s:%d:%d: %s", ld->r.file, sk_yr_line(node),
             sk_yr_col(node), path);
    return SK_OK;
}

static void free_tex(sk_tex *tex)
{
    free(tex->source);
    free(tex->svg);
}

enum { CAPTION_START, CAPTION_END, CAPTION_TEXT, CAPTION_TEX, CAPTION_COUNT };
static const char *const caption_keys[CAPTION_COUNT] = {"start", "end", "text", "tex"};

/* A caption is text or a formula: exactly one of the two keys. */
static sk_status read_caption(loader *ld, const yaml_node_t *node, const char *path, sk_caption *c)
{
    yaml_node_t *v[CAPTION_COUNT];
    char item[SK_YR_PATH_MAX];
    const char *text = NULL;
    sk_status status = read_timed(ld, node, path, caption_keys, CAPTION_COUNT, CAPTION_TEXT,
                                  CAPTION_START, v, &c->start, &c->end);
    if (!v[CAPTION_START] || !v[CAPTION_END]) /* reported as missing */
        return status;
    if (!v[CAPTION_TEXT] == !v[CAPTION_TEX])
        return sk_yr_fail(&ld->r, v[CAPTION_TEX] ? v[CAPTION_TEX] : node, path,
                          "expected one of 'text' and 'tex', found %s",
                          v[CAPTION_TEX] ? "both" : "neither");
    if (v[CAPTION_TEX]) {
        sk_yr_subpath(item, sizeof item, "%s.tex", path);
        SK_TRY(status, read_tex(ld, v[CAPTION_TEX], item, &c->tex));
        return status;
    }
    sk_yr_subpath(item, sizeof item, "%s.text", path);
    SK_TRY(status, sk_yr_string(&ld->r, v[CAPTION_TEXT], item, &text));
    if (text && !(c->text = sk_copy_string(ld, text)))
        return SK_ENOMEM;
    return status;
}

/* A list whose items are read by read_item into a fresh array of `size`-byte
 * elements; the old list (from an included file) is released by the caller. */
typedef sk_status (*item_reader)(loader *ld, const yaml_node_t *node, const char *path, void *item);

static sk_status read_list(loader *ld, const yaml_node_t *node, const char *path, size_t size,
                           item_reader read_item, void **items, int *count)
{
    sk_status status = sk_yr_require_type(&ld->r, node, path, YAML_SEQUENCE_NODE, "a list");
    if (status)
        return status;
    size_t n = sk_yr_item_count(node);
    if (n > POINTS_MAX)
        return sk_yr_fail(&ld->r, node, path, "expected at most %d items, found %zu", POINTS_MAX,
                          n);
    if (n > 0 && !(*items = calloc(n, size)))
        return sk_error_nomem(ld->log.err);
    *count = (int)n; /* now, so that a free sees every item */
    char item[SK_YR_PATH_MAX];
    for (size_t i = 0; i < n; i++) {
        sk_yr_subpath(item, sizeof item, "%s[%zu]", path, i);
        SK_TRY(status, read_item(ld, sk_yr_item(&ld->r, node, i), item, (char *)*items + i * size));
    }
    return status;
}

static sk_status caption_item(loader *ld, const yaml_node_t *node, const char *path, void *item)
{
    return read_caption(ld, node, path, item);
}

static void free_captions(sk_scene *s)
{
    for (int i = 0; i < s->caption_count; i++) {
        free(s->captions[i].text);
        free_tex(&s->captions[i].tex);
    }
    free(s->captions);
    s->captions = NULL;
    s->caption_count = 0;
}

enum { TEXT_TITLE, TEXT_CAPTIONS, TEXT_COUNT };
static const char *const text_keys[TEXT_COUNT] = {"title", "captions"};

static sk_status read_text(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[TEXT_COUNT];
    sk_scene *s = ld->scene;
    const char *title;
    sk_status status = sk_yr_mapping(&ld->r, node, "text", text_keys, TEXT_COUNT, v);
    if (status)
        return status;
    if (v[TEXT_TITLE] && sk_yr_string(&ld->r, v[TEXT_TITLE], "text.title", &title) == SK_OK) {
        free(s->title);
        if (!(s->title = sk_copy_string(ld, title)))
            return SK_ENOMEM;
    } else if (v[TEXT_TITLE]) {
        status = SK_EINPUT;
    }
    if (v[TEXT_CAPTIONS]) {
        free_captions(s);
        SK_TRY(status, read_list(ld, v[TEXT_CAPTIONS], "text.captions", sizeof(sk_caption),
                                 caption_item, (void **)&s->captions, &s->caption_count));
    }
    return status;
}

/* formulas: the card's formulas the scene writes itself, in TeX. */
static const char *const formula_keys[SK_FORMULA_SLOTS] = {
    [SK_FORMULA_REGRESSION] = "regression",
    [SK_FORMULA_ATTENTION] = "attention",
    [SK_FORMULA_KERNEL] = "kernel",
};

static sk_status read_formulas(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[SK_FORMULA_SLOTS];
    char path[SK_YR_PATH_MAX];
    sk_status status = sk_yr_mapping(&ld->r, node, "formulas", formula_keys, SK_FORMULA_SLOTS, v);
    for (int i = 0; status == SK_OK && i < SK_FORMULA_SLOTS; i++) {
        sk_yr_subpath(path, sizeof path, "formulas.%s", formula_keys[i]);
        if (v[i])
            SK_TRY(status, read_tex(ld, v[i], path, &ld->scene->formulas[i]));
    }
    return status;
}

enum { SECTION_NAME, SECTION_START, SECTION_END, SECTION_COUNT };
static const char *const section_keys[SECTION_COUNT] = {"name", "start", "end"};

static sk_status section_item(loader *ld, const yaml_node_t *node, const char *path, void *item)
{
    sk_section *sec = item;
    yaml_node_t *v[SECTION_COUNT];
    char sub[SK_YR_PATH_MAX];
    const char *name = NULL;
    sk_status status = read_timed(ld, node, path, section_keys, SECTION_COUNT, SECTION_COUNT,
                                  SECTION_START, v, &sec->start, &sec->end);
    if (!v[SECTION_NAME] || !v[SECTION_START] || !v[SECTION_END]) /* reported as missing */
        return status;
    sk_yr_subpath(sub, sizeof sub, "%s.name", path);
    SK_TRY(status, sk_yr_string(&ld->r, v[SECTION_NAME], sub, &name));
    if (name && !(sec->name = sk_copy_string(ld, name)))
        return SK_ENOMEM;
    return status;
}

static void free_sections(sk_scene *s)
{
    for (int i = 0; i < s->section_count; i++)
        free(s->sections[i].name);
    free(s->sections);
    s->sections = NULL;
    s->section_count = 0;
}

/* Chapters must come in order and not overlap: players list them that way. */
static sk_status read_sections(loader *ld, const yaml_node_t *node)
{
    sk_scene *s = ld->scene;
    free_sections(s);
    sk_status status = read_list(ld, node, "sections", sizeof(sk_section), section_item,
                                 (void **)&s->sections, &s->section_count);
    for (int i = 1; i < s->section_count && status == SK_OK; i++)
        if (s->sections[i].start < s->sections[i - 1].end)
            status = sk_yr_fail(&ld->r, sk_yr_item(&ld->r, node, (size_t)i), "sections",
                                "section %d starts at %g s, before section %d ends (%g s); "
                                "sections must be in order and not overlap",
                                i, s->sections[i].start, i - 1, s->sections[i - 1].end);
    return status;
}

enum { AUDIO_FILE, AUDIO_OFFSET, AUDIO_COUNT };
static const char *const audio_keys[AUDIO_COUNT] = {"file", "offset"};

static sk_status read_audio(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[AUDIO_COUNT];
    sk_scene *s = ld->scene;
    const char *name;
    sk_status status = sk_yr_mapping(&ld->r, node, "audio", audio_keys, AUDIO_COUNT, v);
    if (status || (status = sk_yr_require_key(&ld->r, node, "audio", "file", v[AUDIO_FILE])))
        return status;
    if (v[AUDIO_OFFSET])
        SK_TRY(status, sk_yr_time(&ld->r, v[AUDIO_OFFSET], "audio.offset", &offset_range,
                                  &s->audio_offset));
    if (sk_yr_string(&ld->r, v[AUDIO_FILE], "audio.file", &name) != SK_OK)
        return SK_EINPUT;
    free(s->audio_path);
    SK_TRY(status, sk_resolve_path(ld, v[AUDIO_FILE], "audio.file", name, &s->audio_path));
    free(s->audio_source);
    if (!(s->audio_source = strdup(ld->r.file)))
        return sk_error_nomem(ld->log.err);
    s->audio_loc = (sk_loc){sk_yr_line(v[AUDIO_FILE]), sk_yr_col(v[AUDIO_FILE])};
    if (s->audio_path && access(s->audio_path, R_OK) != 0) {
        char reason[256];
        describe_errno(errno, reason, sizeof reason);
        status = sk_yr_fail(&ld->r, v[AUDIO_FILE], "audio.file", "cannot read '%s': %s",
                            s->audio_path, reason);
    }
    return status;
}

/* One axis of the view, [min, max] with min < max. */
static sk_status read_extent(loader *ld, const yaml_node_t *node, const char *path, double *min,
                             double *max)
{
    double extent[2];
    sk_status status = sk_yr_number_pair(&ld->r, node, path, "[min, max]", &sk_coord_range, extent);
    if (status)
        return status;
    if (extent[0] < extent[1]) {
        *min = extent[0];
        *max = extent[1];
        return SK_OK;
    }
    yaml_node_t *items[2]; /* read again only to quote them as written */
    sk_yr_pair(&ld->r, node, path, "[min, max]", items);
    char found[2][SK_YR_FOUND_MAX];
    sk_yr_describe(items[0], found[0], sizeof found[0]);
    sk_yr_describe(items[1], found[1], sizeof found[1]);
    return sk_yr_fail(&ld->r, node, path, "expected [min, max] with min < max, found [%s, %s]",
                      found[0], found[1]);
}

static const char *const view_kinds[SK_VIEW_KIND_COUNT] = {[SK_VIEW_PLANE] = "plane",
                                                           [SK_VIEW_REGRESSION1D] = "regression1d",
                                                           [SK_VIEW_MATRIX] = "matrix"};

const char *sk_view_kind_name(sk_view_kind kind)
{
    return (unsigned)kind < SK_VIEW_KIND_COUNT ? view_kinds[kind] : NULL;
}

/* "file:line:col" of node, for a check made once the whole scene is read. */
static void note_where(const loader *ld, const yaml_node_t *node, char *out, size_t size)
{
    snprintf(out, size, "%s:%d:%d", ld->r.file, sk_yr_line(node), sk_yr_col(node));
}

/* view.curve: points of the true function, x strictly ascending, so that it
 * is a function of x and can be drawn left to right. */
static sk_status read_curve(loader *ld, const yaml_node_t *node)
{
    sk_scene *s = ld->scene;
    char path[SK_YR_PATH_MAX];
    sk_status status =
        sk_yr_require_type(&ld->r, node, "view.curve", YAML_SEQUENCE_NODE, "a list of points");
    if (status)
        return status;
    size_t n = sk_yr_item_count(node);
    if (n < 2 || n > POINTS_MAX)
        return sk_yr_fail(&ld->r, node, "view.curve", "expected 2 to %d points, found %zu",
                          POINTS_MAX, n);
    free(s->curve);
    s->curve_count = 0;
    if (!(s->curve = malloc(n * sizeof *s->curve)))
        return sk_error_nomem(ld->log.err);
    for (size_t i = 0; i < n && status == SK_OK; i++) {
        const yaml_node_t *item = sk_yr_item(&ld->r, node, i);
        snprintf(path, sizeof path, "view.curve[%zu]", i);
        status = sk_yr_vec2(&ld->r, item, path, &sk_coord_range, &s->curve[i]);
        if (status == SK_OK && i > 0 && !(s->curve[i].x > s->curve[i - 1].x))
            status = sk_yr_fail(&ld->r, item, path,
                                "expected x greater than the previous point's (%g), found %g",
                                s->curve[i - 1].x, s->curve[i].x);
    }
    if (status == SK_OK)
        s->curve_count = (int)n;
    note_where(ld, node, ld->curve_where, sizeof ld->curve_where);
    return status;
}

enum { VIEW_X, VIEW_Y, VIEW_KIND, VIEW_ROWS, VIEW_CURVE, VIEW_COUNT };
static const char *const view_keys[VIEW_COUNT] = {"x", "y", "kind", "rows", "curve"};

static sk_status read_view(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[VIEW_COUNT];
    sk_scene *s = ld->scene;
    int kind;
    sk_status status = sk_yr_mapping(&ld->r, node, "view", view_keys, VIEW_COUNT, v);
    if (status)
        return status;
    if (v[VIEW_X] && read_extent(ld, v[VIEW_X], "view.x", &s->view_min.x, &s->view_max.x) == SK_OK)
        ld->has_view_x = true;
    if (v[VIEW_Y] && read_extent(ld, v[VIEW_Y], "view.y", &s->view_min.y, &s->view_max.y) == SK_OK)
        ld->has_view_y = true;
    if (v[VIEW_KIND] && sk_read_choice(ld, v[VIEW_KIND], "view.kind", "view kind", view_kinds,
                                       SK_VIEW_KIND_COUNT, &kind) == SK_OK) {
        s->view_kind = (sk_view_kind)kind;
        note_where(ld, v[VIEW_KIND], ld->view_kind_where, sizeof ld->view_kind_where);
    }
    if (v[VIEW_ROWS] &&
        sk_yr_int(&ld->r, v[VIEW_ROWS], "view.rows", 1, MATRIX_ROWS_MAX, &s->matrix_rows) == SK_OK)
        note_where(ld, v[VIEW_ROWS], ld->rows_where, sizeof ld->rows_where);
    if (v[VIEW_CURVE])
        SK_TRY(status, read_curve(ld, v[VIEW_CURVE]));
    return status;
}

/* ---------------------------------------------------------------------------
 * Documents and includes
 */

static sk_status read_document_text(loader *ld, const char *text, size_t len, const char *name);

/* The directory part of path ("" for a bare file name), in a new string. */
static char *directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    char *dir = malloc(n + 2);
    if (dir) {
        memcpy(dir, path, n);
        dir[n] = '\0';
        if (slash && n == 0) /* "/scene.yaml" */
            strcpy(dir, "/");
    }
    return dir;
}

/* Reads one included file into the scene, as if its text stood here. */
static sk_status include_file(loader *ld, const yaml_node_t *node, const char *path,
                              const char *name)
{
    char *file = NULL, *real = NULL, *text = NULL, *dir = NULL;
    size_t len = 0;
    sk_error file_err;
    sk_status status = sk_resolve_path(ld, node, path, name, &file);
    if (status)
        return status;
    if (!(real = realpath(file, NULL))) {
        char reason[256];
        describe_errno(errno, reason, sizeof reason);
        status = sk_yr_fail(&ld->r, node, path, "cannot read '%s': %s", file, reason);
        goto done;
    }
    for (int i = 0; i < ld->include_depth; i++) {
        if (strcmp(ld->include_stack[i], real) == 0) {
            status = sk_yr_fail(&ld->r, node, path, "'%s' includes itself (through %d file%s)",
                                file, ld->include_depth - i, ld->include_depth - i == 1 ? "" : "s");
            goto done;
        }
    }
    if (ld->include_depth == INCLUDE_DEPTH_MAX) {
        status =
            sk_yr_fail(&ld->r, node, path, "includes nest deeper than %d files", INCLUDE_DEPTH_MAX);
        goto done;
    }
    if ((status = sk_read_file(file, &text, &len, &file_err)) != SK_OK) {
        status = status == SK_ENOMEM ? sk_error_nomem(ld->log.err)
                                     : sk_yr_fail(&ld->r, node, path, "%s", file_err.message);
        goto done;
    }
    if (!(dir = directory_of(file))) {
        status = sk_error_nomem(ld->log.err);
        goto done;
    }
    sk_yr saved_r = ld->r;
    const char *saved_dir = ld->dir;
    ld->include_stack[ld->include_depth++] = real;
    ld->dir = dir;
    status = read_document_text(ld, text, len, file);
    ld->include_depth--;
    ld->dir = saved_dir;
    ld->r = saved_r;
done:
    free(dir);
    free(text);
    free(real);
    free(file);
    return status;
}

/* include: a file name, or a list of them read in order. */
static sk_status read_include(loader *ld, const yaml_node_t *node)
{
    const char *name;
    if (node->type != YAML_SEQUENCE_NODE) {
        sk_status status = sk_yr_string(&ld->r, node, "include", &name);
        return status ? status : include_file(ld, node, "include", name);
    }
    sk_status status = SK_OK;
    char path[SK_YR_PATH_MAX];
    for (size_t i = 0; i < sk_yr_item_count(node); i++) {
        const yaml_node_t *item = sk_yr_item(&ld->r, node, i);
        sk_yr_subpath(path, sizeof path, "include[%zu]", i);
        if (sk_yr_string(&ld->r, item, path, &name) != SK_OK)
            status = SK_EINPUT;
        else
            SK_TRY(status, include_file(ld, item, path, name));
    }
    return status;
}

/* Sections are read in this order whatever their order in the file: includes
 * first (so the file's own values win), keys before query (the default view
 * needs both, but nothing else depends on the order). */
enum {
    TOP_INCLUDE,
    TOP_VIDEO,
    TOP_TEXT,
    TOP_SECTIONS,
    TOP_AUDIO,
    TOP_VIEW,
    TOP_ATTENTION,
    TOP_KEYS,
    TOP_CAMERA,
    TOP_LAYERS,
    TOP_ANIMATE,
    TOP_QUERY,
    TOP_FORMULAS,
    TOP_COUNT
};
static const char *const top_keys[TOP_COUNT] = {
    "include", "video",  "text",   "sections", "audio", "view",    "attention",
    "keys",    "camera", "layers", "animate",  "query", "formulas"};
static const section_reader top_readers[TOP_COUNT] = {
    read_include,    read_video,        read_text,     read_sections,  read_audio,
    read_view,       sk_read_attention, sk_read_keys,  sk_read_camera, sk_read_layers,
    sk_read_animate, sk_read_query,     read_formulas,
};

static sk_status read_root(loader *ld, const yaml_node_t *root)
{
    bool top = ld->include_depth == 0;
    if (!root) { /* an empty file: fine to include, but not a scene on its own */
        if (!top)
            return SK_OK;
        sk_error e;
        sk_error_at(&e, SK_EINPUT, ld->r.file, 1, 1,
                    "scene: expected a mapping, found an empty document");
        return sk_yr_log_line(&ld->log, e.message);
    }
    yaml_node_t *v[TOP_COUNT];
    sk_status status = sk_yr_mapping(&ld->r, root, "scene", top_keys, TOP_COUNT, v);
    if (status)
        return status;
    if (top) {
        ld->root_ok = true;
        ld->root_loc = (sk_loc){sk_yr_line(root), sk_yr_col(root)};
    }
    for (int i = 0; i < TOP_COUNT; i++)
        if (v[i])
            SK_TRY(status, top_readers[i](ld, v[i]));
    return status;
}

void sk_schema_emit(const sk_schema_table *tables, size_t count, sk_schema_visit visit,
                    void *context)
{
    char path[SK_YR_PATH_MAX];
    for (size_t t = 0; t < count; t++) {
        for (int i = 0; i < tables[t].count; i++) {
            snprintf(path, sizeof path, "%s%s%s", tables[t].prefix, *tables[t].prefix ? "." : "",
                     tables[t].names[i]);
            visit(path, context);
        }
    }
}

void sk_scene_schema(sk_schema_visit visit, void *context)
{
    static const sk_schema_table tables[] = {
        {"", top_keys, TOP_COUNT},
        {"video", video_keys, VIDEO_COUNT},
        {"text", text_keys, TEXT_COUNT},
        {"text.captions[]", caption_keys, CAPTION_COUNT},
        {"formulas", formula_keys, SK_FORMULA_SLOTS},
        {"sections[]", section_keys, SECTION_COUNT},
        {"audio", audio_keys, AUDIO_COUNT},
        {"view", view_keys, VIEW_COUNT},
    };
    sk_schema_emit(tables, sizeof tables / sizeof tables[0], visit, context);
    sk_schema_keys(visit, context);
    sk_schema_motion(visit, context);
}

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

static sk_status parser_error(loader *ld, const yaml_parser_t *parser, const char *name,
                              const char *text, size_t len)
{
    const char *problem = parser->problem ? parser->problem : "unknown problem";
    int line, col;
    sk_error e;
    switch (parser->error) {
    case YAML_MEMORY_ERROR: return sk_error_nomem(ld->log.err);
    case YAML_READER_ERROR:
        offset_position(text, len, parser->problem_offset, &line, &col);
        if (parser->problem_value >= 0)
            sk_error_at(&e, SK_EINPUT, name, line, col, "invalid text: %s (0x%02x)", problem,
                        (unsigned)parser->problem_value);
        else
            sk_error_at(&e, SK_EINPUT, name, line, col, "invalid text: %s", problem);
        break;
    default: /* scanner, parser and composer errors carry a mark */
        line = (int)(parser->problem_mark.line < INT_MAX ? parser->problem_mark.line + 1 : INT_MAX);
        col = (int)(parser->problem_mark.column < INT_MAX ? parser->problem_mark.column + 1
                                                          : INT_MAX);
        sk_error_at(&e, SK_EINPUT, name, line, col, "YAML syntax error: %s%s%s", problem,
                    parser->context ? " " : "", parser->context ? parser->context : "");
    }
    return sk_yr_log_line(&ld->log, e.message);
}

/* A scene is one document; a second one (after "---") would be ignored
 * silently, so it is an error, as is any syntax error after the first. */
static sk_status check_single_document(loader *ld, yaml_parser_t *parser, const char *name,
                                       const char *text, size_t len)
{
    yaml_document_t extra;
    if (!yaml_parser_load(parser, &extra))
        return parser_error(ld, parser, name, text, len);
    yaml_node_t *root = yaml_document_get_root_node(&extra);
    sk_status status = SK_OK;
    if (root) {
        sk_error e;
        sk_error_at(&e, SK_EINPUT, name, sk_yr_line(root), sk_yr_col(root),
                    "scene: expected a single document, found a second one");
        status = sk_yr_log_line(&ld->log, e.message);
    }
    yaml_document_delete(&extra);
    return status;
}

/* Parses text (named name in messages) and reads it into ld->scene. */
static sk_status read_document_text(loader *ld, const char *text, size_t len, const char *name)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    sk_status status;
    if (!yaml_parser_initialize(&parser))
        return sk_error_nomem(ld->log.err);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &doc)) { /* libyaml has freed doc */
        status = parser_error(ld, &parser, name, text, len);
        yaml_parser_delete(&parser);
        return status;
    }
    status = check_single_document(ld, &parser, name, text, len);
    if (status != SK_ENOMEM) {
        sk_yr_init(&ld->r, &doc, name, &ld->log);
        SK_TRY(status, read_root(ld, yaml_document_get_root_node(&doc)));
        sk_yr_done(&ld->r);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return status;
}

/* ---------------------------------------------------------------------------
 * The whole scene: checks, defaults
 */

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

static void pad_axis(double lo, double hi, double *min, double *max)
{
    double pad = hi > lo ? VIEW_PAD * (hi - lo) : VIEW_PAD_FLAT;
    *min = lo - pad;
    *max = hi + pad;
}

/* Without a query section the query orbits the keys: an ellipse round the
 * centre of their box, reaching 35 % of its span (at least 1 unit) out. */
#define ORBIT_SHARE 0.35

static void default_route(sk_scene *s, sk_vec2 lo, sk_vec2 hi)
{
    sk_path *p = &s->query_path;
    p->kind = SK_PATH_ELLIPSE;
    p->center = (sk_vec2){(lo.x + hi.x) / 2, (lo.y + hi.y) / 2};
    p->radius_x = fmax(1.0, ORBIT_SHARE * (hi.x - lo.x));
    p->radius_y = fmax(1.0, ORBIT_SHARE * (hi.y - lo.y));
    p->start_angle = 0.0;
    p->end_angle = 360.0;
    p->closed = true;
}

/* regression1d: the query sweeps the samples' x range once, left to right,
 * along the x axis. Returns false when memory ran out. */
static bool default_sweep(sk_scene *s, double x0, double x1)
{
    sk_path *p = &s->query_path;
    if (!(p->points = malloc(2 * sizeof *p->points)))
        return false;
    p->kind = SK_PATH_POLYLINE;
    p->points[0] = (sk_vec2){x0, 0.0};
    p->points[1] = (sk_vec2){x1 > x0 ? x1 : x0 + 1.0, 0.0}; /* a path needs length */
    p->point_count = 2;
    p->closed = false;
    return true;
}

/* regression1d draws the samples at (x, value) beside the true curve: the
 * view covers those, not the keys' positions. */
static void regression_box(const sk_scene *s, sk_vec2 *lo, sk_vec2 *hi)
{
    *lo = *hi = (sk_vec2){s->keys[0].at.x, s->keys[0].scalar};
    for (int i = 0; i < s->key_count; i++)
        include_point((sk_vec2){s->keys[i].at.x, s->keys[i].scalar}, lo, hi);
    for (int i = 0; i < s->curve_count; i++)
        include_point(s->curve[i], lo, hi);
}

/* Fills what the files left out and depends on the keys: the query's route,
 * the view axes (the keys' and route's box), and the camera (the view's
 * centre, unless a file placed it). */
static sk_status default_view(loader *ld)
{
    sk_scene *s = ld->scene;
    sk_vec2 lo = s->keys[0].at, hi = lo;
    for (int i = 0; i < s->key_count; i++)
        include_point(s->keys[i].at, &lo, &hi);
    if (s->view_kind == SK_VIEW_REGRESSION1D) {
        if (!ld->has_route && !default_sweep(s, lo.x, hi.x))
            return sk_error_nomem(ld->log.err);
        regression_box(s, &lo, &hi);
    } else {
        if (!ld->has_route)
            default_route(s, lo, hi);
        include_route(&s->query_path, &lo, &hi);
    }
    if (!ld->has_view_x)
        pad_axis(lo.x, hi.x, &s->view_min.x, &s->view_max.x);
    if (!ld->has_view_y)
        pad_axis(lo.y, hi.y, &s->view_min.y, &s->view_max.y);
    if (!ld->has_camera_center)
        s->camera_center =
            (sk_vec2){(s->view_min.x + s->view_max.x) / 2, (s->view_min.y + s->view_max.y) / 2};
    return SK_OK;
}

/* Logs "where: message" as one error line. */
static void log_at(loader *ld, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void log_at(loader *ld, const char *where, const char *fmt, ...)
{
    char line[SK_ERROR_MAX / 4];
    int used = snprintf(line, sizeof line, "%s: ", where);
    va_list args;
    va_start(args, fmt);
    if (used > 0 && (size_t)used < sizeof line)
        vsnprintf(line + used, sizeof line - (size_t)used, fmt, args);
    va_end(args);
    sk_yr_log_line(&ld->log, line);
}

/* What a view kind needs of the rest of the scene, and keys it does not read. */
static void check_view(loader *ld)
{
    const sk_scene *s = ld->scene;
    const char *kind = sk_view_kind_name(s->view_kind);
    if (ld->rows_where[0] && s->view_kind != SK_VIEW_MATRIX)
        log_at(ld, ld->rows_where, "view.rows: the %s view does not use rows (only matrix does)",
               kind);
    if (ld->curve_where[0] && s->view_kind != SK_VIEW_REGRESSION1D)
        log_at(ld, ld->curve_where,
               "view.curve: the %s view does not use a curve (only regression1d does)", kind);
    if (s->view_kind != SK_VIEW_REGRESSION1D || !ld->has_keys || s->key_count == 0)
        return;
    if (s->value_kind != SK_VALUE_SCALAR) {
        log_at(ld, ld->view_kind_where,
               "view.kind: regression1d needs number values, found colours in keys");
        return;
    }
    for (int i = 0; i < s->key_count; i++) {
        if (s->keys[i].at.y != 0.0) { /* the kernel must see distance in x only */
            log_at(ld, ld->view_kind_where,
                   "view.kind: regression1d needs every key on the x axis (at: [x, 0]), "
                   "found key %d ('%s') at y = %g",
                   i + 1, s->keys[i].label ? s->keys[i].label : "", s->keys[i].at.y);
            return;
        }
    }
}

/* The parameters the main kernel reads, and its name into names; with
 * animate.attention.kernel every kernel of the track reads its own, so those
 * of all of them count and names lists them ("gaussian, laplacian"). */
static unsigned kernels_parameters(const sk_scene *s, char *names, size_t size)
{
    const sk_track *track = NULL;
    for (int i = 0; i < s->animation_count; i++)
        if (s->animations[i].target == SK_TARGET_KERNEL)
            track = &s->animations[i].track;
    snprintf(names, size, "%s", sk_kernel_name(s->kernel.kind));
    if (!track)
        return sk_kernel_parameters(&s->kernel);
    unsigned reads = 0;
    const char *list[SK_KERNEL_COUNT];
    int count = 0;
    for (int i = 0; i < track->count; i++) {
        sk_kernel k = s->kernel;
        k.kind = (sk_kernel_kind)track->keys[i].value[0];
        reads |= sk_kernel_parameters(&k);
        bool listed = false;
        for (int j = 0; j < count; j++)
            listed |= strcmp(list[j], sk_kernel_name(k.kind)) == 0;
        if (!listed)
            list[count++] = sk_kernel_name(k.kind);
    }
    sk_yr_join_names(list, count, names, size);
    return reads;
}

/* What no single value can say wrong: required parts, parameters the kernel
 * does not read, times past the end. Reported at the file that gave them. */
static void check_whole(loader *ld, const char *name)
{
    const sk_scene *s = ld->scene;
    sk_error e;
    if (!ld->root_ok) /* nothing was read: the file's own error says it all */
        return;
    if (!ld->has_keys) {
        sk_error_at(&e, SK_EINPUT, name, ld->root_loc.line, ld->root_loc.col,
                    "scene: missing required key 'keys'");
        sk_yr_log_line(&ld->log, e.message);
    }
    check_view(ld);
    char names[256];
    unsigned reads = kernels_parameters(s, names, sizeof names);
    unsigned compare_reads = sk_kernel_parameters(&s->compare);
    for (int i = 0; i < ld->pending_count; i++) {
        const pending_parameter *p = &ld->pending[i];
        bool known = p->compare ? ld->compare_known : ld->kernel_known;
        if (!known || ((p->compare ? compare_reads : reads) & p->uses))
            continue;
        char line[SK_ERROR_MAX / 4];
        if (!p->compare && strchr(names, ','))
            snprintf(line, sizeof line, "%s: none of the kernels %s uses %s", p->where, names,
                     p->what);
        else
            snprintf(line, sizeof line, "%s: the %s kernel does not use %s", p->where,
                     p->compare ? sk_kernel_name(s->compare.kind) : names, p->what);
        sk_yr_log_line(&ld->log, line);
    }
}

static void set_defaults(sk_scene *s)
{
    s->width = DEFAULT_WIDTH;
    s->height = DEFAULT_HEIGHT;
    s->fps = DEFAULT_FPS;
    s->duration = DEFAULT_DURATION;
    s->theme = SK_THEME_DARK;
    sk_yr_parse_colour(themes[SK_THEME_DARK].background, &s->background, &s->background_alpha);
    s->kernel = sk_kernel_default(SK_KERNEL_GAUSSIAN);
    s->compare = sk_kernel_default(SK_KERNEL_GAUSSIAN);
    s->query_path.kind = SK_PATH_SPLINE;
    s->query_path.closed = true;
    s->query_ease = (sk_ease){.kind = SK_EASE_LINEAR};
    s->camera_zoom = 1.0;
    s->matrix_rows = MATRIX_ROWS_DEFAULT;
    s->layer_count = 0;
    for (int i = 0; i < SK_LAYER_COUNT; i++) {
        if (sk_layer_default((sk_layer_kind)i))
            s->layer_order[s->layer_count++] = (sk_layer_kind)i;
        s->layer_opacity[i] = 1.0;
    }
}

static sk_status load(const char *text, size_t len, const char *name, sk_scene **out, sk_error *err)
{
    loader ld = {.log = {err, 0}, .kernel_known = true, .compare_known = true};
    char *dir = directory_of(name);
    sk_scene *s = calloc(1, sizeof *s);
    sk_status status = SK_OK;
    if (!s || !dir || !(s->source = strdup(name)) || !(s->title = strdup(DEFAULT_TITLE))) {
        status = sk_error_nomem(err);
        goto done;
    }
    set_defaults(s);
    ld.scene = s;
    ld.dir = dir;
    status = read_document_text(&ld, text, len, name);
    if (status != SK_ENOMEM) {
        check_whole(&ld, name);
        status = ld.log.count > 0 ? SK_EINPUT : SK_OK;
    }
    if (status == SK_OK)
        status = default_view(&ld);
    if (ld.log.count > SK_YR_ERRORS_MAX && err) {
        size_t used = strlen(err->message);
        snprintf(err->message + used, sizeof err->message - used, "\n%s: %d more errors not shown",
                 name, ld.log.count - SK_YR_ERRORS_MAX);
    }
done:
    free(ld.pending);
    free(dir);
    if (status != SK_OK) {
        sk_scene_free(s);
        s = NULL;
    }
    *out = s;
    return status;
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
    /* Read whole rather than streamed, so that an undecodable byte's offset
     * can be turned into a line and column. */
    sk_status status = sk_read_file(path, &text, &len, err);
    if (status)
        return status;
    status = load(text, len, path, out, err);
    free(text);
    return status;
}

sk_status sk_scene_load_string(const char *text, const char *name, sk_scene **out, sk_error *err)
{
    if (!out || !text)
        return sk_error_set(err, SK_EINPUT, "sk_scene_load_string: no text or no output");
    *out = NULL;
    return load(text, strlen(text), name ? name : "<string>", out, err);
}

void sk_scene_free(sk_scene *scene)
{
    if (!scene)
        return;
    sk_free_keys(scene);
    sk_free_motion(scene);
    free_captions(scene);
    for (int i = 0; i < SK_FORMULA_SLOTS; i++)
        free_tex(&scene->formulas[i]);
    free_sections(scene);
    free(scene->curve);
    free(scene->audio_path);
    free(scene->audio_source);
    free(scene->title);
    free(scene->source);
    free(scene);
}

bool sk_scene_parse_time(const char *text, double *seconds)
{
    /* Plain seconds too: on a command line no YAML tells numbers from strings. */
    if ((text[0] >= '0' && text[0] <= '9') || text[0] == '.') {
        char *end;
        double v = strtod(text, &end);
        if (*end == '\0' && isfinite(v)) {
            *seconds = v;
            return true;
        }
    }
    return sk_yr_parse_time(text, seconds);
}

int64_t sk_scene_frame_count(const sk_scene *scene)
{
    if (!scene)
        return 0;
    long long frames = llround(scene->duration * scene->fps);
    return frames < 1 ? 1 : frames;
}
