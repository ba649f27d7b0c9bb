/* panel.c — the weights panel beside the plot, and the title line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "painter.h"

#define TITLE_SIZE 44.0
#define TITLE_MIN_SHARE 0.7
#define CLOCK_SIZE 24.0
#define PANEL_PADDING 24.0
#define PANEL_HEADER_SIZE 30.0
#define PANEL_TEXT_SIZE 22.0
#define PANEL_FOOTER 92.0
#define PANEL_COMPACT_BELOW 420.0 /* layout units: a shorter panel drops its heading and output */
#define PANEL_CORNER 14.0
#define PANEL_FILL_ALPHA 0.045 /* of the line colour over the background */
#define BAR_TEXT_SIZE 20.0
#define NAME_SHRINK_MIN 0.6 /* a bar's name is set at least this large before it is cut */
#define NUMBER_GAP_PX 3.0   /* fewer pixels between two numbers and they read as one */
#define NUMBER_GAP_EM 0.2   /* nor less than this much of their size */
#define BAR_GUTTER 30.0     /* room for the 0.0 / 0.5 / 1.0 axis labels */
#define BAR_OUTLINE 2.0     /* the kept keys' outline under knn and topk, layout units */
#define MAX_BARS 12         /* keys shown one by one; beyond, the rest share one bar */
#define DROPPED_ALPHA 0.35  /* keys a selection kernel dropped */
#define OTHERS_COLUMN 1.5   /* the "others" bar's column, in key columns: room for its name */

/* How the panel names each kernel, in the order of sk_kernel_kind. */
static const char *const kernel_titles[SK_KERNEL_COUNT] = {
    [SK_KERNEL_GAUSSIAN] = "Gaussian kernel",         [SK_KERNEL_DOT] = "Dot product",
    [SK_KERNEL_COSINE] = "Cosine similarity",         [SK_KERNEL_LAPLACIAN] = "Laplacian kernel",
    [SK_KERNEL_EPANECHNIKOV] = "Epanechnikov kernel", [SK_KERNEL_BOXCAR] = "Boxcar kernel",
    [SK_KERNEL_KNN] = "k nearest neighbours",         [SK_KERNEL_TOPK] = "Top-k softmax",
};

/* "Gaussian kernel · σ = 0.90", with every parameter the kernel reads, and
 * whether it compares projected queries and keys. */
static void kernel_caption(const sk_kernel *k, char *out, size_t size)
{
    unsigned uses = sk_kernel_parameters(k);
    int n = snprintf(out, size, "%s", kernel_titles[k->kind]);
    if ((uses & SK_USES_BASE) && n < (int)size)
        n += snprintf(out + n, size - n, " of %s", sk_kernel_name(k->base));
    if ((uses & SK_USES_K) && n < (int)size)
        n += snprintf(out + n, size - n, " · k = %d", k->k);
    if ((uses & SK_USES_BANDWIDTH) && n < (int)size)
        n += snprintf(out + n, size - n, " · σ = %.2f", k->bandwidth);
    if ((uses & SK_USES_BIAS) && k->key_bias && n < (int)size)
        n += snprintf(out + n, size - n, " − ‖k‖²/2");
    if ((uses & SK_USES_TEMPERATURE) && n < (int)size)
        n += snprintf(out + n, size - n, " · T = %.2f", k->temperature);
    if (k->projected && n < (int)size) /* the plane's distances are not the kernel's then */
        snprintf(out + n, size - n, " · of W_Q q, W_K k");
}

/* A bar's number as it reads ("%.2f", as paint_bar writes it). */
static double as_shown(double weight)
{
    char text[32];
    snprintf(text, sizeof text, "%.2f", weight);
    return strtod(text, NULL);
}

/* Whether bar a goes before bar b: a larger number as shown, or the same
 * number and a lower index. */
static bool shown_before(const double *weights, int a, int b)
{
    double x = as_shown(weights[a]), y = as_shown(weights[b]);
    return x > y || (x == y && a < b);
}

/* Sorts out[0..count) by shown_before: already heaviest first by weight,
 * so this only swaps neighbours that read the same. */
static void order_as_shown(const double *weights, int *out, int count)
{
    for (int i = 1; i < count; i++) {
        int key = out[i], at = i;
        for (; at > 0 && shown_before(weights, key, out[at - 1]); at--)
            out[at] = out[at - 1];
        out[at] = key;
    }
}

int sk_panel_bars(const double *weights, int n, int max_bars, bool by_weight, int *out,
                  double *others)
{
    *others = 0.0;
    if (n <= max_bars && !by_weight) {
        for (int i = 0; i < n; i++)
            out[i] = i;
        return n < 0 ? 0 : n;
    }
    double total = 0.0, shown = 0.0;
    int count = 0;
    for (int i = 0; i < n; i++) {
        total += weights[i];
        if (max_bars <= 0 || (count == max_bars && !(weights[i] > weights[out[count - 1]])))
            continue;
        /* Insert i after every heavier or equal one, dropping the lightest when full. */
        int at = count < max_bars ? count++ : count - 1;
        for (; at > 0 && weights[i] > weights[out[at - 1]]; at--)
            out[at] = out[at - 1];
        out[at] = i;
    }
    for (int i = 0; i < count; i++)
        shown += weights[out[i]];
    *others = fmax(0.0, total - shown);
    order_as_shown(weights, out, count);
    return count;
}

/* One bar of the panel: a key, or the rest of them together. */
typedef struct bar {
    double weight;
    sk_rgb colour;
    const char *label;
    bool kept; /* knn, topk: the kernel selected it (or, for "others", some of it) */
} bar;

/* Where the bars go. */
typedef struct bar_rows {
    double base, full;        /* the 0 line, and the height of weight 1; pixels */
    double column, text_size; /* a bar's column width (pixels), its text (layout units) */
} bar_rows;

/* The 0.0 / 0.5 / 1.0 axis and its faint lines. */
static void paint_bar_axis(painter *p, sk_rect area, double gutter, bar_rows rows)
{
    cairo_t *cr = p->cr;
    text_style axis = {
        .size = PANEL_TEXT_SIZE * 0.9, .color = p->pal->muted, .align_x = 1.0, .align_y = 0.5};
    for (int tick = 0; tick <= 4; tick++) {
        double y = rows.base - rows.full * tick / 4.0;
        cairo_move_to(cr, area.x + gutter, y);
        cairo_line_to(cr, area.x + area.w, y);
        sk_set_color(cr, p->pal->line, tick == 0 ? 0.3 : 0.07);
        cairo_set_line_width(cr, fmax(1.0, sk_u(p, 1.2)));
        cairo_stroke(cr);
        if (tick % 2 == 0) {
            char label[8];
            snprintf(label, sizeof label, "%.1f", tick / 4.0);
            sk_draw_text(p, label, area.x + gutter - sk_u(p, 8), y, &axis);
        }
    }
}

/* The panel's own colour where the bars stand: its fill over the background. */
static sk_rgb panel_colour(const painter *p)
{
    sk_rgb bg = p->scene->background, line = p->pal->line;
    double a = PANEL_FILL_ALPHA;
    return (sk_rgb){bg.r + a * (line.r - bg.r), bg.g + a * (line.g - bg.g),
                    bg.b + a * (line.b - bg.b)};
}

/* c at opacity alpha over the panel, as an opaque colour: text is always
 * drawn opaque (sk_draw_text), and a group painted with alpha would do the
 * same at more cost (and leaks in Cairo 1.16's SVG backend). */
static sk_rgb over_panel(const painter *p, sk_rgb c, double alpha)
{
    sk_rgb under = panel_colour(p);
    return (sk_rgb){under.r + alpha * (c.r - under.r), under.g + alpha * (c.g - under.g),
                    under.b + alpha * (c.b - under.b)};
}

/* The bar itself at opacity alpha; a kept one (knn, topk) outlined in the
 * line colour. */
static void paint_bar_body(painter *p, const bar *b, double cx, bar_rows rows, bool outline,
                           double alpha)
{
    cairo_t *cr = p->cr;
    double bw = rows.column * 0.62, bh = rows.full * b->weight;
    cairo_rectangle(cr, cx - bw / 2, rows.base - bh, bw, bh);
    sk_set_color(cr, b->colour, alpha);
    if (!outline) {
        cairo_fill(cr);
        return;
    }
    cairo_fill_preserve(cr);
    sk_set_color(cr, p->pal->line, 0.9);
    cairo_set_line_width(cr, sk_u(p, BAR_OUTLINE));
    cairo_stroke(cr);
}

/* The weight above the bar, the name below, at opacity alpha. Where bars
 * stand too close for their numbers, a number that reads 0.00 is left out:
 * a row of zeros run together says nothing. */
static void paint_bar_text(painter *p, const bar *b, double cx, bar_rows rows, double alpha)
{
    char number[16];
    snprintf(number, sizeof number, "%.2f", b->weight);
    text_style value = {.size = rows.text_size,
                        .color = over_panel(p, p->pal->text, alpha),
                        .align_x = 0.5,
                        .align_y = 1.0};
    text_style name = {.size = rows.text_size,
                       .color = over_panel(p, p->pal->muted, alpha),
                       .align_x = 0.5,
                       .max_width = rows.column * 0.95};
    /* A name a little too wide is set smaller before it is cut short: "moon"
     * reads better than "m…" under the heaviest bar. */
    double wide = sk_text_width(p, b->label, name.size, false);
    if (wide > name.max_width)
        name.size *= fmax(NAME_SHRINK_MIN, 0.97 * name.max_width / wide); /* Pango rounds up */
    double gap = fmax(NUMBER_GAP_PX, NUMBER_GAP_EM * sk_u(p, value.size));
    bool crowded = sk_text_width(p, number, value.size, false) + gap > rows.column;
    double top = rows.base - rows.full * b->weight;
    if (!crowded || strcmp(number, "0.00") != 0)
        sk_draw_text(p, number, cx, top - sk_u(p, 4 + BAR_OUTLINE / 2), &value);
    sk_draw_text(p, b->label, cx, rows.base + sk_u(p, 6), &name);
}

/* A bar centred on cx. Under a selection kernel the kept bars get an outline
 * and the dropped ones are dimmed to DROPPED_ALPHA. */
static void paint_bar(painter *p, const bar *b, double cx, bar_rows rows, bool selects)
{
    double alpha = selects && !b->kept ? DROPPED_ALPHA : 1.0;
    paint_bar_body(p, b, cx, rows, selects && b->kept, alpha);
    paint_bar_text(p, b, cx, rows, alpha);
}

/* The bar of key i. Under a selection kernel a key is kept when it has
 * weight: knn and topk give every other key exactly 0. */
static bar key_bar(const painter *p, int i)
{
    double w = p->frame->weights[i];
    return (bar){w, sk_key_colour(p, i), p->scene->keys[i].label, w > 0.0};
}

/* ---- attention.compare: the second kernel's weights as outlined ghost
 * bars just right of the main bars, and a legend line naming it. */

#define GHOST_WIDTH 0.14  /* of a column; the main bar takes the middle 0.62 */
#define GHOST_OFFSET 0.39 /* of a column, from its centre to the ghost's centre */
#define GHOST_EDGE 2.0    /* layout units */

static void paint_compare_bar(painter *p, int key, double cx, bar_rows rows)
{
    if (!p->frame->compare)
        return;
    double w = rows.column * GHOST_WIDTH, h = rows.full * p->frame->compare[key];
    double edge = fmax(1.0, sk_u(p, GHOST_EDGE));
    cairo_rectangle(p->cr, cx + rows.column * GHOST_OFFSET - w / 2, rows.base - h, w, h);
    sk_set_color(p->cr, sk_key_colour(p, key), 0.25);
    cairo_fill_preserve(p->cr);
    sk_set_color(p->cr, p->pal->line, 0.85);
    cairo_set_line_width(p->cr, edge);
    cairo_stroke(p->cr);
}

/* An outlined swatch like a ghost bar, then "beside: Dot product − ‖k‖²/2 ·
 * T = 0.81", under the main kernel's line; returns the height it took (0
 * without a compared kernel). */
static double paint_compare_legend(painter *p, double x, double y, double w)
{
    if (!p->frame->compare)
        return 0.0;
    double size = sk_u(p, PANEL_TEXT_SIZE), edge = fmax(1.0, sk_u(p, GHOST_EDGE));
    cairo_rectangle(p->cr, x + edge / 2, y + size * 0.2, size * 0.45, size * 0.9);
    sk_set_color(p->cr, p->pal->line, 0.85);
    cairo_set_line_width(p->cr, edge);
    cairo_stroke(p->cr);
    char caption[128], line[160];
    kernel_caption(&p->scene->compare, caption, sizeof caption);
    snprintf(line, sizeof line, "beside: %s", caption);
    double indent = size * 0.8;
    text_style sub = {.size = PANEL_TEXT_SIZE, .color = p->pal->muted, .max_width = w - indent};
    sk_draw_text(p, line, x + indent, y, &sub);
    return sk_u(p, PANEL_TEXT_SIZE * 1.4);
}

/* Vertical bars on a fixed 0..1 axis (so frames compare honestly), the
 * weight above each: one per key up to MAX_BARS keys, in the scene's order
 * (or heaviest first, as panel.order says); beyond, the MAX_BARS heaviest, heaviest first, and
 * "others" with the rest, so that bars and numbers stay legible for any number of keys. */
static void paint_bars(painter *p, sk_rect area)
{
    int shown[MAX_BARS];
    double others;
    int n = p->scene->key_count;
    int count = sk_panel_bars(p->frame->weights, n, MAX_BARS,
                              p->scene->panel_order == SK_PANEL_BY_WEIGHT, shown, &others);
    double rest = n > count ? OTHERS_COLUMN : 0.0; /* width of the "others" column, in columns */
    double gutter = sk_u(p, BAR_GUTTER);
    bar_rows rows = {.column = (area.w - gutter) / (count + rest)};
    /* "0.00" is about 2.4 em wide: shrink the numbers only when columns are narrow. */
    rows.text_size = fmin(BAR_TEXT_SIZE, rows.column / p->layout->unit * 0.40);
    double label_row = sk_u(p, rows.text_size * 1.8), value_row = sk_u(p, rows.text_size * 1.6);
    rows.base = area.y + area.h - label_row;
    rows.full = rows.base - (area.y + value_row);
    paint_bar_axis(p, area, gutter, rows);

    sk_kernel_kind kind = p->frame->state->kernel.kind;
    bool selects = kind == SK_KERNEL_KNN || kind == SK_KERNEL_TOPK;
    for (int c = 0; c < count; c++) {
        bar b = key_bar(p, shown[c]);
        paint_bar(p, &b, area.x + gutter + rows.column * (c + 0.5), rows, selects);
        paint_compare_bar(p, shown[c], area.x + gutter + rows.column * (c + 0.5), rows);
    }
    if (rest > 0) {
        bar b = {others, p->pal->muted, "others", others > 0.0};
        bar_rows wide = rows;
        wide.column *= rest;
        paint_bar(p, &b, area.x + gutter + rows.column * (count + rest / 2), wide, selects);
    }
}

/* "output = Σ wᵢ vᵢ" with a swatch and its value, or "none" without one. */
static void paint_output(painter *p, sk_rect area)
{
    cairo_t *cr = p->cr;
    const sk_frame *f = p->frame;
    double swatch = area.h * 0.62, y = area.y + area.h / 2;
    text_style s = {.size = PANEL_TEXT_SIZE, .color = p->pal->text, .align_y = 0.5};
    double x = area.x + sk_draw_text(p, "output = Σ wᵢ vᵢ", area.x, y, &s) + sk_u(p, 18);
    char text[48];
    if (!f->has_output) {
        text_style none = {.size = PANEL_TEXT_SIZE, .color = p->pal->muted, .align_y = 0.5};
        sk_draw_text(p, "none: no key within reach", x, y, &none);
        return;
    }
    sk_rgb c = sk_output_colour(p);
    sk_rounded_rect(cr, (sk_rect){x, y - swatch / 2, swatch * 1.6, swatch}, sk_u(p, 6));
    sk_set_color(cr, c, 1.0);
    cairo_fill_preserve(cr);
    sk_set_color(cr, p->pal->line, 0.8);
    cairo_set_line_width(cr, sk_u(p, 2));
    cairo_stroke(cr);
    if (p->scene->value_kind == SK_VALUE_SCALAR)
        snprintf(text, sizeof text, "%.3g", f->scalar);
    else
        snprintf(text, sizeof text, "#%02x%02x%02x", (int)lround(c.r * 255), (int)lround(c.g * 255),
                 (int)lround(c.b * 255));
    text_style mono = {.size = PANEL_TEXT_SIZE * 0.9, .color = p->pal->muted, .align_y = 0.5};
    sk_draw_text(p, text, x + swatch * 1.6 + sk_u(p, 14), y, &mono);
}

void sk_paint_panel(painter *p)
{
    cairo_t *cr = p->cr;
    sk_rect r = p->layout->panel;
    sk_rounded_rect(cr, r, sk_u(p, PANEL_CORNER));
    sk_set_color(cr, p->pal->line, PANEL_FILL_ALPHA);
    cairo_fill_preserve(cr);
    sk_set_color(cr, p->pal->line, 0.10);
    cairo_set_line_width(cr, fmax(1.0, sk_u(p, 1.5)));
    cairo_stroke(cr);

    /* A short panel (a small or portrait frame with formulas and mapping)
     * keeps what only it shows, the bars and the kernel's parameters, and
     * drops its heading and the output row: the query's ring shows the
     * output, and the formulas its value. */
    bool compact = r.h < sk_u(p, PANEL_COMPACT_BELOW);
    double pad = sk_u(p, PANEL_PADDING);
    double x = r.x + pad, y = r.y + pad, w = r.w - 2 * pad;
    if (!compact) {
        text_style header = {.size = PANEL_HEADER_SIZE, .bold = true, .color = p->pal->text};
        sk_draw_text(p, "Attention weights", x, y, &header);
        y += sk_u(p, PANEL_HEADER_SIZE * 1.5);
    }
    char caption[128];
    kernel_caption(&p->frame->state->kernel, caption, sizeof caption);
    text_style sub = {.size = PANEL_TEXT_SIZE, .color = p->pal->muted, .max_width = w};
    sk_draw_text(p, caption, x, y, &sub);
    y += sk_u(p, PANEL_TEXT_SIZE * 1.4);
    y += paint_compare_legend(p, x, y, w) + sk_u(p, PANEL_TEXT_SIZE * 0.8);

    double footer = compact ? 0.0 : sk_u(p, PANEL_FOOTER);
    paint_bars(p, (sk_rect){x, y, w, r.y + r.h - pad - footer - y});
    if (!compact)
        paint_output(p, (sk_rect){x, r.y + r.h - pad - footer * 0.8, w, footer * 0.8});
}

void sk_paint_title(painter *p)
{
    sk_rect r = p->layout->title;
    char clock[32];
    snprintf(clock, sizeof clock, "t = %.2f s", p->frame->state->time);
    text_style s = {.size = CLOCK_SIZE, .color = p->pal->muted, .align_x = 1.0, .align_y = 0.5};
    double clock_w = sk_draw_text(p, clock, r.x + r.w, r.y + r.h / 2, &s);
    /* A title too long for a narrow frame shrinks (to TITLE_MIN_SHARE of its
     * size) before it is cut short with an ellipsis. */
    double room = r.w - clock_w - sk_u(p, 40), w, h;
    text_style title = {.size = TITLE_SIZE, .bold = true, .color = p->pal->text, .align_y = 0.5};
    sk_measure_text(p, p->scene->title, &title, &w, &h);
    if (w > room)
        title.size *= fmax(TITLE_MIN_SHARE, room / w);
    title.max_width = room;
    sk_draw_text(p, p->scene->title, r.x, r.y + r.h / 2, &title);
}
