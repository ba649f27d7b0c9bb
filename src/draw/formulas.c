/* formulas.c — the formulas and mapping layers: Nadaraya–Watson kernel
 * regression beside Transformer attention, with this frame's numbers, and the
 * table of corresponding terms.
 *
 * No formula is laid out here: each is an SVG under assets/formulas made from
 * TeX by scripts/make-formulas (MathJax) and drawn by librsvg as vectors into
 * the frame's cairo_t. This file only places whole formulas, words and
 * numbers: it scales them, aligns baselines and draws the boxes around them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librsvg/rsvg.h>

#include "painter.h"
#include "sprite.h"

/* ---- The formulas as SVG assets ---------------------------------------- */

typedef enum formula_id {
    F_NONE = -1,
    F_NADARAYA_WATSON,
    F_ATTENTION,
    F_KERNEL_GAUSSIAN,
    F_KERNEL_DOT,
    F_KERNEL_COSINE,
    F_KERNEL_LAPLACIAN,
    F_KERNEL_EPANECHNIKOV,
    F_KERNEL_BOXCAR,
    F_KERNEL_KNN,
    F_KERNEL_TOPK,
    F_KERNEL_DOT_BIAS,
    F_MAP_X,
    F_MAP_XI,
    F_MAP_YI,
    F_MAP_KERNEL,
    F_MAP_SUM,
    F_MAP_YHAT,
    F_MAP_Q,
    F_MAP_K,
    F_MAP_V,
    F_MAP_QK,
    F_MAP_SOFTMAX,
    F_COUNT
} formula_id;

/* File names under <assets>/formulas/, without ".svg" (scripts/formulas/tex2svg.mjs). */
static const char *const formula_files[F_COUNT] = {
    [F_NADARAYA_WATSON] = "nadaraya_watson",
    [F_ATTENTION] = "attention",
    [F_KERNEL_GAUSSIAN] = "kernel_gaussian",
    [F_KERNEL_DOT] = "kernel_dot",
    [F_KERNEL_COSINE] = "kernel_cosine",
    [F_KERNEL_LAPLACIAN] = "kernel_laplacian",
    [F_KERNEL_EPANECHNIKOV] = "kernel_epanechnikov",
    [F_KERNEL_BOXCAR] = "kernel_boxcar",
    [F_KERNEL_KNN] = "kernel_knn",
    [F_KERNEL_TOPK] = "kernel_topk",
    [F_KERNEL_DOT_BIAS] = "kernel_dot_bias",
    [F_MAP_X] = "map_x",
    [F_MAP_XI] = "map_xi",
    [F_MAP_YI] = "map_yi",
    [F_MAP_KERNEL] = "map_kernel",
    [F_MAP_SUM] = "map_sum",
    [F_MAP_YHAT] = "map_yhat",
    [F_MAP_Q] = "map_q",
    [F_MAP_K] = "map_k",
    [F_MAP_V] = "map_v",
    [F_MAP_QK] = "map_qk",
    [F_MAP_SOFTMAX] = "map_softmax",
};

/* The kernel written under Nadaraya–Watson, one row per sk_kernel_kind. */
static const formula_id kernel_formulas[SK_KERNEL_COUNT] = {
    [SK_KERNEL_GAUSSIAN] = F_KERNEL_GAUSSIAN,
    [SK_KERNEL_DOT] = F_KERNEL_DOT,
    [SK_KERNEL_COSINE] = F_KERNEL_COSINE,
    [SK_KERNEL_LAPLACIAN] = F_KERNEL_LAPLACIAN,
    [SK_KERNEL_EPANECHNIKOV] = F_KERNEL_EPANECHNIKOV,
    [SK_KERNEL_BOXCAR] = F_KERNEL_BOXCAR,
    [SK_KERNEL_KNN] = F_KERNEL_KNN,
    [SK_KERNEL_TOPK] = F_KERNEL_TOPK,
};

#define MATHJAX_EM 1000.0 /* MathJax's viewBox units per em */
/* An asset made by latex + dvisvgm (scripts/make-formula-tex, src/tex) says
 * so by its size in points, and has SK_TEX_EM viewBox units per em; MathJax's
 * give theirs in px. */
#define COLOUR_SLOTS 8 /* recoloured copies kept per formula: theme colours are few */

/* A formula's size in ems, from its viewBox: MathJax puts the baseline at
 * y = 0, so the box's top is -ascent and its bottom +descent. */
typedef struct metrics {
    double width, ascent, descent;
} metrics;

/* A file read once per process; ok is false when it is missing or broken. */
typedef struct source {
    bool tried, ok;
    char *text;
    gsize length;
    metrics size;
} source;

/* One parsed copy of every formula in one colour, created as first needed. */
typedef struct colour_slot {
    char hex[8]; /* "#rrggbb"; "" while the slot is free */
    RsvgHandle *handles[F_COUNT];
} colour_slot;

/* Parsed once per process, not per frame: parsing the largest formula takes
 * ~0.3 ms and a frame draws up to 14 of them, while drawing both layers from
 * the cache takes ~3 ms at 1080p (measured on the 2-core CI machine).
 * Everything below is process-wide and guarded by cache_lock: frames may be
 * drawn from several threads, and an RsvgHandle may be used by one thread at
 * a time only, so the lock is held while a handle renders too. GLib's mutex
 * because librsvg brings GLib anyway and a static GMutex needs no
 * initialisation. The cache lives until the process ends, like fontconfig's. */
static GMutex cache_lock;
static bool assets_tried;
static char assets_dir[4096]; /* "" when no candidate had the formulas */
static source sources[F_COUNT];
static colour_slot slots[COLOUR_SLOTS];

#ifndef SK_ASSETS_DIR
#define SK_ASSETS_DIR ""
#endif
#ifndef SK_INSTALLED_ASSETS_DIR
#define SK_INSTALLED_ASSETS_DIR ""
#endif

/* The first directory that has the formulas: $SK_ASSETS_DIR, the source
 * tree's assets/ (a build run in place), then the installed share/softknn. */
static const char *find_assets(void)
{
    if (assets_tried)
        return assets_dir;
    assets_tried = true;
    const char *candidates[] = {getenv("SK_ASSETS_DIR"), SK_ASSETS_DIR, SK_INSTALLED_ASSETS_DIR};
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++) {
        char probe[sizeof assets_dir + 64];
        if (!candidates[i] || !*candidates[i] || strlen(candidates[i]) >= sizeof assets_dir)
            continue;
        snprintf(probe, sizeof probe, "%s/formulas/%s.svg", candidates[i],
                 formula_files[F_NADARAYA_WATSON]);
        if (access(probe, R_OK) == 0) {
            snprintf(assets_dir, sizeof assets_dir, "%s", candidates[i]);
            break;
        }
    }
    return assets_dir;
}

/* Reads a formula's width, ascent and descent from its viewBox, in ems of
 * MathJax's or of TeX's (by the unit of its width). */
static bool read_metrics(RsvgHandle *handle, metrics *out)
{
    gboolean has_width, has_height, has_box;
    RsvgLength width, height;
    RsvgRectangle box;
    rsvg_handle_get_intrinsic_dimensions(handle, &has_width, &width, &has_height, &height, &has_box,
                                         &box);
    if (!has_box || !(box.width > 0) || !(box.height > 0))
        return false;
    double em = has_width && width.unit == RSVG_UNIT_PT ? SK_TEX_EM : MATHJAX_EM;
    *out = (metrics){box.width / em, -box.y / em, (box.y + box.height) / em};
    return true;
}

/* Gives a formula without colours of its own (dvisvgm's glyphs are filled
 * black by default) the colour hex; MathJax's set currentColor explicitly,
 * which recolour() replaces, so this leaves them alone. */
static void set_fill(RsvgHandle *handle, const char *hex)
{
    char css[64];
    snprintf(css, sizeof css, "svg { fill: %s; }", hex);
    GError *error = NULL;
    if (!rsvg_handle_set_stylesheet(handle, (const guint8 *)css, strlen(css), &error))
        g_clear_error(&error);
}

static void colour_hex(sk_rgb colour, char hex[8])
{
    snprintf(hex, 8, "#%02x%02x%02x", (int)lround(colour.r * 255), (int)lround(colour.g * 255),
             (int)lround(colour.b * 255));
}

/* Parses an SVG from memory; NULL if librsvg refuses it. */
static RsvgHandle *parse(const char *text, gsize length)
{
    GError *error = NULL;
    RsvgHandle *handle = rsvg_handle_new_from_data((const guint8 *)text, length, &error);
    if (!handle)
        g_clear_error(&error);
    return handle;
}

/* The formula's file, read and checked once. Caller holds cache_lock. */
static source *load_source(formula_id id)
{
    source *s = &sources[id];
    if (s->tried)
        return s->ok ? s : NULL;
    s->tried = true;
    const char *dir = find_assets();
    if (!*dir)
        return NULL;
    char *path = g_strdup_printf("%s/formulas/%s.svg", dir, formula_files[id]);
    GError *error = NULL;
    bool read = g_file_get_contents(path, &s->text, &s->length, &error);
    g_free(path);
    if (!read) {
        g_clear_error(&error);
        return NULL;
    }
    RsvgHandle *handle = parse(s->text, s->length);
    s->ok = handle && read_metrics(handle, &s->size);
    if (handle)
        g_object_unref(handle);
    return s->ok ? s : NULL;
}

/* The SVG's text with MathJax's currentColor made a concrete colour: librsvg
 * 2.54 resolves currentColor from the CSS color property, which these files
 * do not set, so it would draw them black. Free with g_free. */
static char *recolour(const source *s, const char *hex, gsize *length)
{
    char **parts = g_strsplit(s->text, "currentColor", -1);
    char *text = g_strjoinv(hex, parts);
    g_strfreev(parts);
    *length = strlen(text);
    return text;
}

/* The slot for a colour, claiming a free one (or recycling the last) when
 * the colour is new. Caller holds cache_lock. */
static colour_slot *slot_for(const char *hex)
{
    for (int i = 0; i < COLOUR_SLOTS; i++)
        if (strcmp(slots[i].hex, hex) == 0)
            return &slots[i];
    colour_slot *slot = &slots[COLOUR_SLOTS - 1];
    for (int i = 0; i < COLOUR_SLOTS; i++)
        if (!slots[i].hex[0]) {
            slot = &slots[i];
            break;
        }
    for (int i = 0; i < F_COUNT; i++)
        g_clear_object(&slot->handles[i]);
    snprintf(slot->hex, sizeof slot->hex, "%s", hex);
    return slot;
}

/* The formula parsed in a colour; NULL when its file is unusable. Caller
 * holds cache_lock. */
static RsvgHandle *handle_for(formula_id id, sk_rgb colour)
{
    source *s = load_source(id);
    if (!s)
        return NULL;
    char hex[8];
    colour_hex(colour, hex);
    colour_slot *slot = slot_for(hex);
    if (!slot->handles[id]) {
        gsize length;
        char *text = recolour(s, hex, &length);
        slot->handles[id] = parse(text, length);
        if (slot->handles[id])
            set_fill(slot->handles[id], hex);
        g_free(text);
    }
    return slot->handles[id];
}

/* A formula's size in ems; false (and zeros) when its file is unusable. */
static bool formula_metrics(formula_id id, metrics *out)
{
    *out = (metrics){0, 0, 0};
    if (id == F_NONE)
        return false;
    g_mutex_lock(&cache_lock);
    source *s = load_source(id);
    if (s)
        *out = s->size;
    g_mutex_unlock(&cache_lock);
    return s != NULL;
}

/* What render_formula needs besides the anchor. */
typedef struct formula_draw {
    formula_id id;
    sk_rgb colour;
    double em;
} formula_draw;

/* Renders the formula with its baseline's left end at (x, baseline). */
static void render_formula(cairo_t *cr, double x, double baseline, void *ctx)
{
    const formula_draw *f = ctx;
    g_mutex_lock(&cache_lock);
    RsvgHandle *handle = handle_for(f->id, f->colour);
    if (handle) {
        const metrics *m = &sources[f->id].size;
        RsvgRectangle viewport = {x, baseline - m->ascent * f->em, m->width * f->em,
                                  (m->ascent + m->descent) * f->em};
        GError *error = NULL;
        cairo_save(cr);
        if (!rsvg_handle_render_document(handle, cr, &viewport, &error))
            g_clear_error(&error);
        cairo_restore(cr);
    }
    g_mutex_unlock(&cache_lock);
}

/* Room around a formula's box for ink that strays out of it, in ems. */
#define FORMULA_MARGIN 0.25

/* Draws a formula em pixels to the em with its baseline's left end at (x,
 * baseline). A formula that cannot be had is left out: the frame still
 * renders, and test_formulas reports the missing file. Through the sprite
 * cache: parsing is cached already, but rendering an SVG is still ~1 ms. */
static void draw_formula(painter *p, formula_id id, sk_rgb colour, double x, double baseline,
                         double em)
{
    metrics m;
    if (!formula_metrics(id, &m))
        return;
    formula_draw f = {id, colour, em};
    double pad = FORMULA_MARGIN * em;
    sk_rect box = {-pad, -m.ascent * em - pad, m.width * em + 2 * pad,
                   (m.ascent + m.descent) * em + 2 * pad};
    char key[192]; /* an int and 4 doubles of at most 24 characters: always fits */
    snprintf(key, sizeof key, "formula|%d|%a|%a|%a|%a", (int)id, colour.r, colour.g, colour.b, em);
    sk_sprite_paint(p->cr, key, x, baseline, box, render_formula, &f);
}

/* ---- The scene's own TeX (compiled by src/tex before the frame loop) ---- */

/* Parsed on every use: a scene has a few such formulas, and parsing one
 * takes well under a millisecond, so no cache (and no lock) is needed. */
bool sk_tex_size(const sk_tex *tex, double *width, double *ascent, double *descent)
{
    RsvgHandle *handle = tex && tex->svg ? parse(tex->svg, tex->svg_length) : NULL;
    metrics m = {0, 0, 0};
    bool ok = handle && read_metrics(handle, &m);
    if (handle)
        g_object_unref(handle);
    *width = m.width;
    *ascent = m.ascent;
    *descent = m.descent;
    return ok;
}

void sk_draw_tex(painter *p, const sk_tex *tex, sk_rgb colour, double x, double baseline, double em)
{
    RsvgHandle *handle = tex && tex->svg ? parse(tex->svg, tex->svg_length) : NULL;
    metrics m;
    if (handle && read_metrics(handle, &m)) {
        char hex[8];
        colour_hex(colour, hex);
        set_fill(handle, hex);
        RsvgRectangle viewport = {x, baseline - m.ascent * em, m.width * em,
                                  (m.ascent + m.descent) * em};
        GError *error = NULL;
        cairo_save(p->cr);
        if (!rsvg_handle_render_document(handle, p->cr, &viewport, &error))
            g_clear_error(&error);
        cairo_restore(p->cr);
    }
    if (handle)
        g_object_unref(handle);
}

/* A formula of the card: a built-in asset, or the scene's own TeX for the slot. */
typedef struct card_formula {
    formula_id id;
    const sk_tex *tex; /* NULL: the asset */
} card_formula;

static card_formula card_formula_for(const painter *p, sk_formula_slot slot, formula_id id)
{
    const sk_tex *tex = &p->scene->formulas[slot];
    return (card_formula){id, tex->svg ? tex : NULL};
}

static bool card_metrics(card_formula f, metrics *out)
{
    if (f.tex)
        return sk_tex_size(f.tex, &out->width, &out->ascent, &out->descent);
    return formula_metrics(f.id, out);
}

static void draw_card_formula(painter *p, card_formula f, sk_rgb colour, double x, double baseline,
                              double em)
{
    if (f.tex)
        sk_draw_tex(p, f.tex, colour, x, baseline, em);
    else
        draw_formula(p, f.id, colour, x, baseline, em);
}

/* The built-in kernel formula of a kernel. */
static formula_id kernel_formula(const sk_kernel *k)
{
    return k->kind == SK_KERNEL_DOT && k->key_bias ? F_KERNEL_DOT_BIAS : kernel_formulas[k->kind];
}

/* ---- Text measured before it is drawn ----------------------------------- */

/* The size sk_draw_text would give text, and its baseline below the top. */
typedef struct text_box {
    double width, height, baseline; /* pixels */
} text_box;

static text_box measure(painter *p, const char *text, double size, bool bold)
{
    PangoFontDescription *font = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(font, sk_u(p, size) * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(p->text, font);
    pango_font_description_free(font);
    pango_layout_set_text(p->text, text, -1);
    pango_layout_set_width(p->text, -1);
    pango_layout_set_ellipsize(p->text, PANGO_ELLIPSIZE_NONE);
    PangoRectangle logical;
    pango_layout_get_pixel_extents(p->text, NULL, &logical);
    return (text_box){logical.width, logical.height,
                      pango_layout_get_baseline(p->text) / (double)PANGO_SCALE};
}

/* Draws text with the left end of its baseline at (x, baseline). */
static double draw_on_baseline(painter *p, const char *text, double x, double baseline, double size,
                               bool bold, sk_rgb colour)
{
    text_box box = measure(p, text, size, bold);
    text_style s = {.size = size, .bold = bold, .color = colour};
    return sk_draw_text(p, text, x, baseline - box.baseline, &s);
}

static sk_rect inset(sk_rect r, double by)
{
    return (sk_rect){r.x + by, r.y + by, r.w - 2 * by, r.h - 2 * by};
}

/* The box the layers draw in: the weights panel's look, so the right-hand
 * column reads as one family of cards. Its edge is stroked half a line
 * inside the box, so nothing is drawn outside it. */
#define BOX_CORNER 14.0 /* layout units, as the panel's */
#define BOX_EDGE 1.5    /* layout units, the edge's width, at least a pixel */

static void paint_card(painter *p, sk_rect r)
{
    double edge = fmax(1.0, sk_u(p, BOX_EDGE));
    sk_rounded_rect(p->cr, inset(r, edge / 2), sk_u(p, BOX_CORNER));
    sk_set_color(p->cr, p->pal->line, 0.045);
    cairo_fill_preserve(p->cr);
    sk_set_color(p->cr, p->pal->line, 0.10);
    cairo_set_line_width(p->cr, edge);
    cairo_stroke(p->cr);
}

/* ---- The formulas layer ------------------------------------------------- */

#define FORMULAS_PADDING 16.0 /* layout units, inside the card */
#define COLUMN_GAP 24.0       /* layout units, between the two formulas side by side */
#define ROW_GAP 10.0          /* layout units, least gap between a title, formulas, numbers */
#define GAP_EMS 0.3           /* the same gap in ems of the formulas, when that is more */
#define CARD_TITLE_SIZE 19.0  /* layout units */
#define YEAR_SCALE 0.9        /* a year on its own line, against the title's size */
#define NUMBERS_SIZE 20.0     /* layout units, the line of this frame's numbers */
#define NUMBERS_EMS 1.0       /* nor larger than the formulas' em, beside small formulas */
#define TEXT_EM 22.0          /* layout units: at this em titles and numbers have their size */
#define TEXT_GROWTH 1.3       /* and follow the formulas' em from there, up to this factor */
#define TEXT_SHRINK 0.8       /* or down to this one */
#define KERNEL_SCALE 0.85     /* the kernel's em against the two formulas' em */
#define MAX_EM 44.0           /* layout units: big boxes get big formulas, not huge ones */
#define TERMS 3               /* terms written out in the numbers line */
#define REST 0.005            /* weights below print as 0.00: left out, as "+ …" */

/* Each formula's title: on one line, or the name over its year when that
 * lets a narrow column's formula be larger. */
typedef struct card_title {
    const char *line, *name, *year;
} card_title;

static const card_title card_titles[2] = {
    {"Kernel regression (1964)", "Kernel regression", "1964"},
    {"Transformer attention (2017)", "Transformer attention", "2017"},
};

/* What the formulas layer places, measured: formulas in ems (the kernel's
 * already scaled by KERNEL_SCALE), the rest in pixels. */
typedef struct formulas_parts {
    metrics nw, attention, kernel;
    card_formula nw_f, attention_f, kernel_f;
    double unit;                      /* pixels per layout unit */
    double title_w[2][2], title_h[2]; /* [one line, two lines][title], at CARD_TITLE_SIZE */
    double numbers_h;                 /* at NUMBERS_SIZE */
    double gap, column_gap;
} formulas_parts;

/* How the parts are arranged in the card: side by side or stacked, the
 * em that fits, and the titles' shrink factor. */
typedef struct arrangement {
    bool stacked, two_lines;
    double em;          /* pixels per em of the two formulas */
    double title_scale; /* <= 1: titles wider than the card shrink */
} arrangement;

/* Where everything goes for an arrangement, pixels from the block's top;
 * columns' widths before any spare width is shared out. */
typedef struct placement {
    double w, h;
    double column[2];
    double title_size, title_top[2]; /* layout units; pixels */
    double base_nw, base_kernel, base_attention;
    double formulas_bottom; /* where the divider between the columns ends */
    double numbers_size, numbers_top, numbers_h;
} placement;

/* Lays the parts out top to bottom: titles, formulas (their baselines
 * aligned when side by side), the kernel under Nadaraya–Watson, numbers. */
static placement place(const formulas_parts *s, const arrangement *a)
{
    placement q = {0};
    double em = a->em, gap = fmax(s->gap, GAP_EMS * em);
    double growth = fmin(TEXT_GROWTH, fmax(TEXT_SHRINK, em / (TEXT_EM * s->unit)));
    double title = a->title_scale * growth, title_h = s->title_h[a->two_lines] * title;
    const double *title_w = s->title_w[a->two_lines];
    double nw_w = fmax(s->nw.width, s->kernel.width) * em, at_w = s->attention.width * em;
    q.title_size = CARD_TITLE_SIZE * title;
    q.column[0] = fmax(title_w[0] * title, nw_w);
    q.column[1] = fmax(title_w[1] * title, at_w);
    metrics row = s->nw;
    if (!a->stacked) /* the two formulas on one baseline */
        row = (metrics){0, fmax(s->nw.ascent, s->attention.ascent),
                        fmax(s->nw.descent, s->attention.descent)};
    q.base_nw = title_h + gap + row.ascent * em;
    double y = q.base_nw + row.descent * em;
    if (s->kernel.width > 0) {
        q.base_kernel = y + gap + s->kernel.ascent * em;
        y = q.base_kernel + s->kernel.descent * em;
    }
    if (a->stacked) {
        q.title_top[1] = y + gap;
        q.base_attention = q.title_top[1] + title_h + gap + s->attention.ascent * em;
        y = q.base_attention + s->attention.descent * em;
    } else {
        q.base_attention = q.base_nw;
    }
    q.formulas_bottom = y;
    q.numbers_size = fmin(NUMBERS_SIZE * growth, NUMBERS_EMS * em / s->unit);
    q.numbers_h = s->numbers_h * q.numbers_size / NUMBERS_SIZE;
    q.numbers_top = y + gap;
    q.h = q.numbers_top + q.numbers_h;
    q.w = a->stacked ? fmax(q.column[0], q.column[1]) : q.column[0] + s->column_gap + q.column[1];
    return q;
}

/* The largest em (up to max_em) at which the arrangement fits the area:
 * sizes grow with em, so a bisection finds it. */
static arrangement fit(const formulas_parts *s, bool stacked, bool two_lines, sk_rect area,
                       double max_em)
{
    const double *w = s->title_w[two_lines];
    double titles = stacked ? fmax(w[0], w[1]) : w[0] + w[1];
    double room = stacked ? area.w : area.w - s->column_gap;
    /* 0.999, not 1: the sum would round past room and nothing would fit. */
    arrangement a = {stacked, two_lines, 0.0, titles > room ? room / titles * 0.999 : 1.0};
    double lo = 0.0, hi = max_em;
    for (int i = 0; i < 40; i++) {
        a.em = (lo + hi) / 2;
        placement q = place(s, &a);
        if (q.w <= area.w && q.h <= area.h)
            lo = a.em;
        else
            hi = a.em;
    }
    a.em = lo;
    return a;
}

/* ---- The numbers line: plain Pango text, since it is numbers, not formula
 * layout; measured once (draw false) and then drawn at the size that fits. */

typedef struct pen {
    painter *p;
    double x, baseline; /* pixels */
    double size;        /* layout units */
    bool draw;
} pen;

static void pen_text(pen *pen, const char *text, sk_rgb colour)
{
    if (pen->draw)
        pen->x += draw_on_baseline(pen->p, text, pen->x, pen->baseline, pen->size, false, colour);
    else
        pen->x += measure(pen->p, text, pen->size, false).width;
}

/* A disc in the key's colour, as the plot draws the key, before its label. */
static void pen_swatch(pen *pen, sk_rgb colour)
{
    painter *p = pen->p;
    double r = sk_u(p, pen->size * 0.32), gap = sk_u(p, pen->size * 0.12);
    if (pen->draw) {
        cairo_new_path(p->cr);
        cairo_arc(p->cr, pen->x + gap + r, pen->baseline - sk_u(p, pen->size * 0.36), r, 0,
                  2 * M_PI);
        sk_set_color(p->cr, colour, 1.0);
        cairo_fill_preserve(p->cr);
        sk_set_color(p->cr, p->pal->line, 0.45);
        cairo_set_line_width(p->cr, fmax(0.75, sk_u(p, 1.2)));
        cairo_stroke(p->cr);
    }
    pen->x += 2 * (gap + r);
}

/* Indices of the (up to) count largest weights, largest first, ties to the
 * lower index; after the first, only weights that would not print as 0.00.
 * Returns how many there are. */
static int largest(const double *weights, int n, int *out, int count)
{
    int found = 0;
    for (; found < count; found++) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            bool taken = false;
            for (int j = 0; j < found; j++)
                taken |= out[j] == i;
            if (!taken && (best < 0 || weights[i] > weights[best]))
                best = i;
        }
        if (best < 0 || (found > 0 && weights[best] < REST))
            break;
        out[found] = best;
    }
    return found;
}

/* "ŷ ≈ 0.54·●cat + 0.43·●bus + 0.02·●sun + …", or for numbers
 * "ŷ ≈ 0.54·●0.30 + 0.43·●0.10 + … = 0.46": each disc in its key's colour. */
static void write_numbers(pen *pen)
{
    const sk_frame *f = pen->p->frame;
    const sk_scene *scene = pen->p->scene;
    const palette *pal = pen->p->pal;
    bool scalar = scene->value_kind == SK_VALUE_SCALAR;
    if (!f->has_output) {
        pen_text(pen, "ŷ: no key within reach", pal->muted);
        return;
    }
    int top[TERMS];
    int n = largest(f->weights, scene->key_count, top, TERMS);
    double shown = 0.0;
    char number[48];
    pen_text(pen, "ŷ ≈ ", pal->text);
    for (int t = 0; t < n; t++) {
        const sk_key *key = &scene->keys[top[t]];
        if (t > 0)
            pen_text(pen, " + ", pal->muted);
        snprintf(number, sizeof number, "%.2f·", f->weights[top[t]]);
        pen_text(pen, number, pal->text);
        pen_swatch(pen, sk_key_colour(pen->p, top[t]));
        if (scalar)
            snprintf(number, sizeof number, "%.2f", key->scalar);
        pen_text(pen, scalar ? number : key->label, pal->text);
        shown += f->weights[top[t]];
    }
    if (1.0 - shown > REST)
        pen_text(pen, " + …", pal->muted);
    if (scalar) {
        snprintf(number, sizeof number, " = %.2f", f->scalar);
        pen_text(pen, number, pal->text);
    }
}

/* The numbers line centred in area (one line high) at size (layout units),
 * shrunk to the area's width. */
static void paint_numbers(painter *p, sk_rect area, double size)
{
    pen line = {p, 0.0, 0.0, size, false};
    write_numbers(&line);
    double width = line.x;
    if (width > area.w) {
        line.size *= area.w / width;
        width = area.w;
    }
    text_box box = measure(p, "ŷ", line.size, false);
    line = (pen){p, area.x + (area.w - width) / 2,
                 area.y + (area.h - box.height) / 2 + box.baseline, line.size, true};
    write_numbers(&line);
}

/* A title centred on cx from top: one bold line, or the bold name over its
 * year in the muted colour. */
static void paint_title(painter *p, const card_title *t, bool two_lines, double cx, double top,
                        double size)
{
    text_style bold = {.size = size, .bold = true, .color = p->pal->text, .align_x = 0.5};
    if (!two_lines) {
        sk_draw_text(p, t->line, cx, top, &bold);
        return;
    }
    sk_draw_text(p, t->name, cx, top, &bold);
    text_style year = {.size = size * YEAR_SCALE, .color = p->pal->muted, .align_x = 0.5};
    sk_draw_text(p, t->year, cx, top + measure(p, t->name, size, true).height, &year);
}

static void measure_parts(painter *p, formulas_parts *s)
{
    *s = (formulas_parts){
        .nw_f = card_formula_for(p, SK_FORMULA_REGRESSION, F_NADARAYA_WATSON),
        .attention_f = card_formula_for(p, SK_FORMULA_ATTENTION, F_ATTENTION),
        .kernel_f =
            card_formula_for(p, SK_FORMULA_KERNEL, kernel_formula(&p->frame->state->kernel)),
    };
    card_metrics(s->nw_f, &s->nw);
    card_metrics(s->attention_f, &s->attention);
    if (card_metrics(s->kernel_f, &s->kernel))
        s->kernel = (metrics){s->kernel.width * KERNEL_SCALE, s->kernel.ascent * KERNEL_SCALE,
                              s->kernel.descent * KERNEL_SCALE};
    for (int i = 0; i < 2; i++) {
        text_box line = measure(p, card_titles[i].line, CARD_TITLE_SIZE, true);
        text_box name = measure(p, card_titles[i].name, CARD_TITLE_SIZE, true);
        text_box year = measure(p, card_titles[i].year, CARD_TITLE_SIZE * YEAR_SCALE, false);
        s->title_w[0][i] = line.width;
        s->title_w[1][i] = fmax(name.width, year.width);
        s->title_h[0] = line.height;
        s->title_h[1] = name.height + year.height;
    }
    s->numbers_h = measure(p, "ŷ", NUMBERS_SIZE, false).height;
    s->unit = p->layout->unit;
    s->gap = sk_u(p, ROW_GAP);
    s->column_gap = sk_u(p, COLUMN_GAP);
}

/* Draws an arrangement that fits area, centred in it: side by side the
 * spare width goes to both columns alike, stacked both span the area. */
static void paint_arranged(painter *p, const formulas_parts *s, const arrangement *a, sk_rect area)
{
    placement q = place(s, a);
    double top = area.y + (area.h - q.h) / 2, em = a->em;
    double spare = (area.w - q.w) / 2;
    double c0 = q.column[0] + spare, c1 = q.column[1] + spare;
    double x0 = area.x, x1 = area.x + c0 + s->column_gap;
    if (a->stacked) {
        c0 = c1 = area.w;
        x1 = area.x;
    } else {
        double divider = x1 - s->column_gap / 2;
        cairo_move_to(p->cr, divider, top);
        cairo_line_to(p->cr, divider, top + q.formulas_bottom);
        sk_set_color(p->cr, p->pal->line, 0.12);
        cairo_set_line_width(p->cr, fmax(1.0, sk_u(p, 1.2)));
        cairo_stroke(p->cr);
    }
    sk_rgb text = p->pal->text;
    paint_title(p, &card_titles[0], a->two_lines, x0 + c0 / 2, top + q.title_top[0], q.title_size);
    paint_title(p, &card_titles[1], a->two_lines, x1 + c1 / 2, top + q.title_top[1], q.title_size);
    draw_card_formula(p, s->nw_f, text, x0 + (c0 - s->nw.width * em) / 2, top + q.base_nw, em);
    if (s->kernel.width > 0)
        draw_card_formula(p, s->kernel_f, p->pal->muted, x0 + (c0 - s->kernel.width * em) / 2,
                          top + q.base_kernel, em * KERNEL_SCALE);
    draw_card_formula(p, s->attention_f, text, x1 + (c1 - s->attention.width * em) / 2,
                      top + q.base_attention, em);
    paint_numbers(p, (sk_rect){area.x, top + q.numbers_top, area.w, q.numbers_h}, q.numbers_size);
}

/* Whether a is a better arrangement than b: formulas clearly larger (by
 * SAME_EM), or about as large with titles less shrunk. */
#define SAME_EM 1.03

static bool better(const arrangement *a, const arrangement *b)
{
    if (a->em > b->em * SAME_EM || b->em > a->em * SAME_EM)
        return a->em > b->em;
    return a->title_scale > b->title_scale * SAME_EM;
}

/* Starts a layer's card: clipped to its box, so that nothing a layer draws
 * lands on its neighbours. False when the box is empty (layer not laid out). */
static bool begin_card(painter *p, sk_rect r)
{
    if (!(r.w > 0 && r.h > 0))
        return false;
    cairo_save(p->cr);
    cairo_rectangle(p->cr, r.x, r.y, r.w, r.h);
    cairo_clip(p->cr);
    paint_card(p, r);
    return true;
}

void sk_paint_formulas(painter *p)
{
    sk_rect r = p->layout->formulas;
    if (!begin_card(p, r))
        return;
    sk_rect area = inset(r, sk_u(p, FORMULAS_PADDING));
    formulas_parts parts;
    measure_parts(p, &parts);
    /* Side by side or stacked, titles on one line or two: whichever lets
     * the formulas be larger. */
    arrangement best = fit(&parts, false, false, area, sk_u(p, MAX_EM));
    for (int i = 1; i < 4; i++) {
        arrangement a = fit(&parts, i & 1, i & 2, area, sk_u(p, MAX_EM));
        if (better(&a, &best))
            best = a;
    }
    paint_arranged(p, &parts, &best, area);
    cairo_restore(p->cr);
}

/* ---- The mapping layer -------------------------------------------------- */

#define MAPPING_PADDING 14.0 /* layout units, inside the card */
#define MAPPING_SIZE 22.0    /* layout units: the text size when the card is roomy */
#define CELL_PAD 0.45        /* ems, each side of a cell's content */
#define MATH_GAP 0.3         /* ems, between a cell's words and its formula */
#define ROW_EMS 1.5          /* ems, a row's least height: the tallest cell and some air */
#define LINE_EMS 1.2         /* ems, a line of a two-line header */
#define MAP_COLUMNS 3

/* A cell: words (Pango), a formula (SVG) after them, or both. */
typedef struct cell {
    const char *words;
    formula_id math;
} cell;

/* The original page's table, row by row: concept, kernel regression's term,
 * attention's term. */
static const cell mapping_rows[][MAP_COLUMNS] = {
    {{"Search input", F_NONE}, {"Target", F_MAP_X}, {"Query", F_MAP_Q}},
    {{"Database", F_NONE}, {"Examples", F_MAP_XI}, {"Keys", F_MAP_K}},
    {{"Content", F_NONE}, {"Labels", F_MAP_YI}, {"Values", F_MAP_V}},
    {{"Similarity", F_NONE}, {"Kernel", F_MAP_KERNEL}, {"Dot product", F_MAP_QK}},
    {{"Normalization", F_NONE}, {"Denominator", F_MAP_SUM}, {NULL, F_MAP_SOFTMAX}},
    {{"Result", F_NONE}, {"Smoothed", F_MAP_YHAT}, {"Context vector", F_NONE}},
};
#define MAPPING_ROWS ((int)(sizeof mapping_rows / sizeof *mapping_rows))

/* The header, and each heading broken at its space for a narrow card. */
static const char *const headers[2][MAP_COLUMNS] = {
    {"Concept", "Kernel regression", "Transformer attention"},
    {"Concept", "Kernel\nregression", "Transformer\nattention"},
};

/* A cell's content width at a text size (layout units), pixels. */
static double cell_width(painter *p, const cell *c, double size)
{
    double em = sk_u(p, size), w = 0.0;
    metrics m;
    if (c->words)
        w += measure(p, c->words, size, false).width;
    if (formula_metrics(c->math, &m))
        w += m.width * em + (c->words ? MATH_GAP * em : 0.0);
    return w;
}

/* The table's layout at a text size: the headings, column widths (content
 * and padding), the header's height and a body row's height, pixels. */
typedef struct table {
    bool may_break; /* a heading wider than its column's cells goes on two lines */
    double size;    /* layout units */
    const char *head[MAP_COLUMNS];
    double columns[MAP_COLUMNS], header_h, row_h;
} table;

static void measure_table(painter *p, table *t)
{
    double em = sk_u(p, t->size);
    int lines = 1;
    for (int c = 0; c < MAP_COLUMNS; c++) {
        double cells = 0.0;
        for (int r = 0; r < MAPPING_ROWS; r++)
            cells = fmax(cells, cell_width(p, &mapping_rows[r][c], t->size));
        double one = measure(p, headers[0][c], t->size, true).width;
        bool broken = t->may_break && one > cells;
        t->head[c] = headers[broken][c];
        double head = broken ? measure(p, headers[1][c], t->size, true).width : one;
        t->columns[c] = fmax(head, cells) + 2 * CELL_PAD * em;
        lines = broken ? 2 : lines;
    }
    t->header_h = fmax(ROW_EMS, lines * LINE_EMS + (ROW_EMS - LINE_EMS)) * em;
    t->row_h = ROW_EMS * em;
}

/* The table at the largest text size (up to MAPPING_SIZE) that fits area;
 * sizes scale with the text, so one measurement at MAPPING_SIZE tells the
 * factor. */
static table fit_table(painter *p, bool may_break, sk_rect area)
{
    table t = {.may_break = may_break, .size = MAPPING_SIZE};
    measure_table(p, &t);
    double w = 0.0;
    for (int c = 0; c < MAP_COLUMNS; c++)
        w += t.columns[c];
    double h = t.header_h + MAPPING_ROWS * t.row_h;
    double scale = fmin(1.0, fmin(area.w / w, area.h / h));
    t.size *= scale;
    measure_table(p, &t); /* text does not scale exactly linearly: measure again */
    return t;
}

/* Draws a cell's words and formula on a common baseline from x. */
static void paint_cell(painter *p, const cell *c, double x, double baseline, double size,
                       sk_rgb colour)
{
    double em = sk_u(p, size);
    if (c->words)
        x += draw_on_baseline(p, c->words, x, baseline, size, false, colour) + MATH_GAP * em;
    draw_formula(p, c->math, p->pal->text, x, baseline, em);
}

static void rule(painter *p, double x0, double x1, double y, double alpha)
{
    cairo_move_to(p->cr, x0, y);
    cairo_line_to(p->cr, x1, y);
    sk_set_color(p->cr, p->pal->line, alpha);
    cairo_set_line_width(p->cr, fmax(1.0, sk_u(p, 1.2)));
    cairo_stroke(p->cr);
}

/* Spreads the table over the area: spare width to the columns in proportion,
 * spare height to the rows alike. */
static void spread(table *t, sk_rect area)
{
    double w = 0.0;
    for (int c = 0; c < MAP_COLUMNS; c++)
        w += t->columns[c];
    for (int c = 0; c < MAP_COLUMNS; c++)
        t->columns[c] *= area.w / w;
    double grow = area.h / (t->header_h + MAPPING_ROWS * t->row_h);
    t->header_h *= grow;
    t->row_h *= grow;
}

static void paint_table(painter *p, const table *t, sk_rect area)
{
    double em = sk_u(p, t->size), x[MAP_COLUMNS];
    x[0] = area.x;
    for (int c = 1; c < MAP_COLUMNS; c++)
        x[c] = x[c - 1] + t->columns[c - 1];
    for (int c = 0; c < MAP_COLUMNS; c++) {
        const char *head = t->head[c];
        text_box box = measure(p, head, t->size, true);
        text_style s = {.size = t->size, .bold = true, .color = p->pal->text};
        sk_draw_text(p, head, x[c] + CELL_PAD * em, area.y + (t->header_h - box.height) / 2, &s);
    }
    double y = area.y + t->header_h;
    rule(p, area.x, area.x + area.w, y, 0.30);
    text_box line = measure(p, "Ag", t->size, false);
    for (int r = 0; r < MAPPING_ROWS; r++, y += t->row_h) {
        if (r > 0)
            rule(p, area.x, area.x + area.w, y, 0.08);
        double baseline = y + (t->row_h - line.height) / 2 + line.baseline;
        for (int c = 0; c < MAP_COLUMNS; c++)
            paint_cell(p, &mapping_rows[r][c], x[c] + CELL_PAD * em, baseline, t->size,
                       c == 0 ? p->pal->muted : p->pal->text);
    }
}

void sk_paint_mapping(painter *p)
{
    sk_rect r = p->layout->mapping;
    if (!begin_card(p, r))
        return;
    sk_rect area = inset(r, sk_u(p, MAPPING_PADDING));
    table one = fit_table(p, false, area), two = fit_table(p, true, area);
    table t = two.size > one.size * 1.02 ? two : one; /* one line unless two gain */
    spread(&t, area);
    paint_table(p, &t, area);
    cairo_restore(p->cr);
}
