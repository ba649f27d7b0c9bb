/* painter.h — private to draw/: what every layer function gets, the shared
 * palette and the text helper. Lengths are in layout units (1/1000 of the
 * frame height) unless a name says pixels. */
#ifndef SK_DRAW_PAINTER_H
#define SK_DRAW_PAINTER_H

#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>

#include "draw.h"

#define FONT_FAMILY "DejaVu Sans,Sans" /* fontconfig falls back to any sans face */
#define LABEL_SIZE 22.0
#define HALO 5.0          /* dark outline behind text drawn over the plot */
#define KEY_RADIUS 14.0   /* a key's disc on the plane */
#define QUERY_RADIUS 30.0 /* the query's ring on the plane, to the middle of its line */
#define QUERY_RING 6.0    /* the ring's line; a halo 4 wider lies under it */

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

#define LEGIBLE_GROWTH 1.25 /* the most sk_legible enlarges text */

/* The size (layout units) for small print — grid numbers, the legend,
 * weight labels — which at 1080p is well above SK_MIN_TEXT_PX but at 480p
 * falls below it: raised to SK_MIN_TEXT_PX pixels, by at most LEGIBLE_GROWTH
 * so that it still fits where it goes. */
static inline double sk_legible(const painter *p, double size)
{
    double floor = SK_MIN_TEXT_PX / p->layout->unit;
    double raised = floor > size ? floor : size;
    return raised < size * LEGIBLE_GROWTH ? raised : size * LEGIBLE_GROWTH;
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

/* The size text would take in pixels, without drawing it. */
void sk_measure_text(painter *p, const char *text, const text_style *s, double *width,
                     double *height);

/* How visible something shown from start to end (seconds) is at time t: 0
 * outside [start, end), rising to 1 over fade_in seconds after the start and
 * falling back over fade_out before the end (0: no fade), smoothstepped so
 * that it neither pops nor drags. */
double sk_fade(double t, double start, double end, double fade_in, double fade_out);

void sk_rounded_rect(cairo_t *cr, sk_rect r, double radius);

/* The smaller and the larger of two finite numbers: fmin and fmax also
 * order NaNs, and so compile to calls into libm rather than one instruction
 * (the label placement calls these millions of times a render). */
static inline double sk_min(double a, double b)
{
    return a < b ? a : b;
}

static inline double sk_max(double a, double b)
{
    return a > b ? a : b;
}

/* The area two rectangles share (0 when they do not meet). */
static inline double sk_rect_overlap(sk_rect a, sk_rect b)
{
    double w = sk_min(a.x + a.w, b.x + b.w) - sk_max(a.x, b.x);
    double h = sk_min(a.y + a.h, b.y + b.h) - sk_max(a.y, b.y);
    return w > 0 && h > 0 ? w * h : 0.0;
}

/* Where a key's name goes on the plane (key_labels.c). */
typedef struct sk_key_label {
    sk_vec2 at;              /* the anchor, pixels, for sk_draw_text */
    double align_x, align_y; /* as text_style has them */
    sk_rect box;             /* the name's box, pixels */
    bool placed;             /* false: no free place (or no name); then where it covers least */
} sk_key_label;

/* One per key for this frame's layout: each name at the first place round
 * its disc that stays in the plot and meets no disc and no name placed
 * before it, in the scene's order (a name with no such place is only drawn
 * when its key is heavy). The same while the layout is (kept on p->cr),
 * but for the names the frame's query ring would cover: those move off it.
 * NULL when out of memory. */
const sk_key_label *sk_key_labels(painter *p);

/* sk_key_name_costs' figures, for the painter's frame. */
void sk_key_name_covers(painter *p, const bool *which, bool *meets, double *area, double *cost);

/* Whether key i holds so much of the frame's weight (0.2 or more) that its
 * name is drawn even without a free place (plot.c). */
bool sk_key_heavy(const painter *p, int i);

/* The colour key i is drawn in: its value, or its scalar on the ramp. */
sk_rgb sk_key_colour(const painter *p, int i);

/* The colour of the frame's output; only meaningful when it has one. */
sk_rgb sk_output_colour(const painter *p);

/* The keys the weights panel shows as bars: with n <= max_bars all of them,
 * in the scene's order unless by_weight, and *others = 0; otherwise (or when
 * by_weight) the min(n, max_bars) heaviest (equal weights: lower index
 * first), heaviest first as the bars' numbers show them (two decimals;
 * equal numbers: lower index first, so that bars reading "0.00" keep still
 * rather than trade places as weights of 0.001 and 0.002 cross), and
 * *others gets the total weight of the rest. out must hold min(n, max_bars)
 * indices; returns how many were written. O(n * max_bars) at worst, O(n)
 * typically. */
int sk_panel_bars(const double *weights, int n, int max_bars, bool by_weight, int *out,
                  double *others);

/* A scene's compiled TeX formula (formulas.c): its size in ems (false when
 * it has no usable SVG), and drawn em pixels to the em in one colour with
 * its baseline's left end at (x, baseline), pixels. */
bool sk_tex_size(const sk_tex *tex, double *width, double *ascent, double *descent);
void sk_draw_tex(painter *p, const sk_tex *tex, sk_rgb colour, double x, double baseline,
                 double em);

/* Points the legend should not hide, each costing `cost` when it does. */
typedef struct sk_obstacles {
    const sk_vec2 *points; /* pixels */
    int count;
    long cost;
} sk_obstacles;

/* What a legend box would hide: the sum of the groups' costs of the points
 * inside it. */
long sk_legend_cost(sk_rect box, const sk_obstacles *groups, int n_groups);

/* The corner of plot where a w x h box, inset from the plot's edges by
 * inset, costs the least (sk_legend_cost); equal costs go to the first of
 * top-right, top-left, bottom-right, bottom-left. Never SK_CORNER_AUTO. */
sk_corner sk_legend_corner(sk_rect plot, double w, double h, double inset,
                           const sk_obstacles *groups, int n_groups);

/* The box of a w x h legend in a corner of plot, inset by inset (pixels). */
sk_rect sk_corner_box(sk_rect plot, sk_corner corner, double w, double h, double inset);

/* sk_label_costs_of's figures, for the painter's frame (plot.c). */
void sk_label_covers(painter *p, sk_label_costs *out);

/* Layers (plot.c, panel.c, field.c, formulas.c, captions.c, cards.c, legend.c). */
void sk_paint_field(painter *p);
void sk_paint_formulas(painter *p);
void sk_paint_mapping(painter *p);
void sk_paint_captions(painter *p);
void sk_paint_cards(painter *p);
/* Whether a card hides the whole frame at this state (fully shown, opaque
 * background, the cards layer at full opacity): the layers under it need
 * not be drawn. */
bool sk_cards_cover(const sk_scene *scene, const sk_frame_state *state);
void sk_paint_legend(painter *p);
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
/* sk_query_pixel for the regression1d view. */
sk_vec2 sk_regression_query_pixel(const sk_layout *layout, const sk_scene *scene,
                                  const sk_frame *frame);
void sk_paint_regression_query(painter *p); /* query: line, kernel, estimate and its trace */

/* The matrix view (view_matrix.c): the panel becomes the queries x keys heatmap. */
void sk_paint_matrix(painter *p);

#endif
