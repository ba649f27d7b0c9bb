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

static const sk_rgb SK_TEXT = {0.886, 0.910, 0.941};  /* #e2e8f0 */
static const sk_rgb SK_MUTED = {0.580, 0.639, 0.722}; /* #94a3b8 */
static const sk_rgb SK_WHITE = {1.0, 1.0, 1.0};
static const sk_rgb SK_INK = {0.04, 0.05, 0.09}; /* outlines and halos */

typedef struct painter {
    cairo_t *cr;
    const sk_layout *layout;
    PangoLayout *text;
    const sk_scene *scene;
    const sk_timeline *timeline;
    const sk_frame *frame;
    double scalar_lo, scalar_hi; /* range of the keys' scalar values */
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

/* Draws text with its anchor at (x, y) in pixels; returns its width in pixels. */
double sk_draw_text(painter *p, const char *text, double x, double y, const text_style *s);

void sk_rounded_rect(cairo_t *cr, sk_rect r, double radius);

/* The colour key i is drawn in: its value, or its scalar on the ramp. */
sk_rgb sk_key_colour(const painter *p, int i);

/* The colour of the frame's output; only meaningful when it has one. */
sk_rgb sk_output_colour(const painter *p);

/* Layers (plot.c, panel.c). */
void sk_paint_grid(painter *p);
void sk_paint_path(painter *p);
void sk_paint_links(painter *p);
void sk_paint_keys(painter *p);
void sk_paint_query(painter *p);
void sk_paint_panel(painter *p);
void sk_paint_title(painter *p);

#endif
