/* painter.h — private to draw/: what every layer function gets, the shared
 * palette and the text helper. Lengths are in layout units (1/1000 of the
 * frame height) unless a name says pixels. */
#ifndef SK_DRAW_PAINTER_H
#define SK_DRAW_PAINTER_H

#include <pango/pangocairo.h>
#include <stdbool.h>

#include "draw.h"

#define FONT_FAMILY "DejaVu Sans,Sans" /* fontconfig falls back to any sans face */
#define LABEL_SIZE 22.0
#define HALO 5.0 /* dark outline behind text drawn over the plot */

/* The colours a theme draws with, besides the scene's own. */
typedef struct palette {
    sk_rgb text;  /* titles, labels, numbers */
    sk_rgb muted; /* captions, axes' labels */
    sk_rgb line;  /* grid, rings, panel edges: the background's opposite */
    sk_rgb halo;  /* outlines and halos that keep text and discs apart from what is under them */
} palette;
typedef struct painter {
    cairo_t *cr;
    const sk_layout *layout;
    PangoLayout *text;
    const sk_scene *scene;
    const sk_timeline *timeline;
    const sk_frame *frame;
    double scalar_lo, scalar_hi; /* range of the keys' scalar values */
    const palette *pal;
} painter;

typedef struct text_style {
    double size; /* layout units */
    bool bold;
    sk_rgb color;
    double align_x, align_y; /* 0 = left/top, 0.5 = centre, 1 = right/bottom */
    bool halo;
    double max_width; /* pixels; longer text is ellipsized. 0: no limit */
} text_style;

/* Layout units to pixels. */
static inline double sk_u(const painter *p, double units)
{
    return units * p->layout->unit;
}

static inline void sk_set_color(cairo_t *cr, sk_rgb c, double alpha)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

/* The width of text in pixels at size (layout units), without drawing it. */
double sk_text_width(painter *p, const char *text, double size, bool bold);

/* A grid step: 1, 2 or 5 times a power of ten, near span / lines. */
double sk_nice_step(double span, double lines);

/* "2", "0.5", "−1.5": a tick's number with as many decimals as the step
 * needs, a true minus sign, and never "−0". */
void sk_tick_label(double value, double step, char *out, size_t size);

/* Draws text with its anchor at (x, y) in pixels; returns its width in pixels. */
double sk_draw_text(painter *p, const char *text, double x, double y, const text_style *s);

void sk_rounded_rect(cairo_t *cr, sk_rect r, double radius);

/* The colour key i is drawn in: its value, or its scalar on the ramp. */
sk_rgb sk_key_colour(const painter *p, int i);

/* The colour of the frame's output; only meaningful when it has one. */
sk_rgb sk_output_colour(const painter *p);

/* The keys the weights panel shows as bars: with n <= max_bars all of them,
 * in the scene's order, and *others = 0; otherwise the max_bars heaviest,
 * heaviest first (equal weights: lower index first), and *others gets the
 * total weight of the rest. out must hold min(n, max_bars) indices; returns
 * how many were written. O(n * max_bars) at worst, O(n) typically. */
int sk_panel_bars(const double *weights, int n, int max_bars, int *out, double *others);

/* A scene's compiled TeX formula (formulas.c): its size in ems (false when
 * it has no usable SVG), and drawn em pixels to the em in one colour with
 * its baseline's left end at (x, baseline), pixels. */
bool sk_tex_size(const sk_tex *tex, double *width, double *ascent, double *descent);
void sk_draw_tex(painter *p, const sk_tex *tex, sk_rgb colour, double x, double baseline,
                 double em);

/* Layers (plot.c, panel.c, field.c, formulas.c, captions.c). */
void sk_paint_field(painter *p);
void sk_paint_formulas(painter *p);
void sk_paint_mapping(painter *p);
void sk_paint_captions(painter *p);
void sk_paint_grid(painter *p);
void sk_paint_path(painter *p);
void sk_paint_links(painter *p);
void sk_paint_keys(painter *p);
void sk_paint_query(painter *p);
void sk_paint_panel(painter *p);
void sk_paint_title(painter *p);

/* The regression1d view (view_regression.c): what the plane's layers draw
 * there instead. */
void sk_paint_regression_axes(painter *p);    /* grid: axes, grid lines, numbers */
void sk_paint_regression_curve(painter *p);   /* path: the true curve */
void sk_paint_regression_bars(painter *p);    /* links: the weights as bars under the axis */
void sk_paint_regression_samples(painter *p); /* keys: the samples (x, value) */
void sk_paint_regression_query(painter *p);   /* query: line, kernel, estimate and its trace */

/* The matrix view (view_matrix.c): the panel becomes the queries x keys heatmap. */
void sk_paint_matrix(painter *p);

#endif
