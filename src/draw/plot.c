/* plot.c — the layers drawn on the scene's plane: grid, path, links, keys
 * and the query. */
#include <math.h>

#include "painter.h"

#define KEY_RADIUS 14.0
#define KEY_OUTLINE 3.0
#define QUERY_RADIUS 30.0
#define QUERY_RING 6.0
#define LINK_MIN_WIDTH 1.0
#define LINK_MAX_EXTRA 9.0
#define PATH_SAMPLES 256
#define GRID_LINES_ACROSS 12.0 /* about how many grid lines span the plot */

/* Strokes the current path dashed (lengths in layout units), then solid again. */
static void stroke_dashed(painter *p, double on, double off, double width, double alpha)
{
    double dash[] = {sk_u(p, on), sk_u(p, off)};
    cairo_set_dash(p->cr, dash, 2, 0);
    cairo_set_line_width(p->cr, sk_u(p, width));
    sk_set_color(p->cr, p->pal->line, alpha);
    cairo_stroke(p->cr);
    cairo_set_dash(p->cr, NULL, 0, 0);
}

/* 1, 2 or 5 times a power of ten, near span / lines. */
static double nice_step(double span, double lines)
{
    double raw = span / lines;
    double power = pow(10.0, floor(log10(raw)));
    double f = raw / power;
    return power * (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0);
}

void sk_paint_grid(painter *p)
{
    cairo_t *cr = p->cr;
    const sk_layout *l = p->layout;
    double x0 = (l->plot.x - l->origin_x) / l->scale;
    double x1 = (l->plot.x + l->plot.w - l->origin_x) / l->scale;
    double y0 = (l->origin_y - l->plot.y - l->plot.h) / l->scale;
    double y1 = (l->origin_y - l->plot.y) / l->scale;
    double step = nice_step(fmax(x1 - x0, y1 - y0), GRID_LINES_ACROSS);

    cairo_save(cr);
    cairo_rectangle(cr, l->plot.x, l->plot.y, l->plot.w, l->plot.h);
    cairo_clip(cr);
    cairo_set_line_width(cr, fmax(1.0, sk_u(p, 1.2)));
    for (int axis = 0; axis < 2; axis++) {
        double lo = axis ? y0 : x0, hi = axis ? y1 : x1;
        for (double v = ceil(lo / step) * step; v <= hi; v += step) {
            bool is_axis = fabs(v) < step * 1e-6;
            sk_vec2 a = sk_layout_to_px(l, axis ? (sk_vec2){x0, v} : (sk_vec2){v, y0});
            sk_vec2 b = sk_layout_to_px(l, axis ? (sk_vec2){x1, v} : (sk_vec2){v, y1});
            cairo_move_to(cr, a.x, a.y);
            cairo_line_to(cr, b.x, b.y);
            sk_set_color(cr, p->pal->line, is_axis ? 0.24 : 0.08);
            cairo_stroke(cr);
        }
    }
    cairo_restore(cr);
}

void sk_paint_path(painter *p)
{
    cairo_t *cr = p->cr;
    for (int i = 0; i <= PATH_SAMPLES; i++) {
        sk_vec2 at = sk_timeline_path_point(p->timeline, (double)i / PATH_SAMPLES);
        sk_vec2 px = sk_layout_to_px(p->layout, at);
        if (i == 0)
            cairo_move_to(cr, px.x, px.y);
        else
            cairo_line_to(cr, px.x, px.y);
    }
    stroke_dashed(p, 10, 10, 2, 0.16);
}

/* Width and opacity grow with the weight, so the eye follows where the mass is. */
void sk_paint_links(painter *p)
{
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, p->frame->state->query);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < p->scene->key_count; i++) {
        double w = p->frame->weights[i];
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        cairo_move_to(cr, q.x, q.y);
        cairo_line_to(cr, k.x, k.y);
        cairo_set_line_width(cr, sk_u(p, LINK_MIN_WIDTH + LINK_MAX_EXTRA * w));
        sk_set_color(cr, sk_key_colour(p, i), 0.10 + 0.85 * w);
        cairo_stroke(cr);
    }
}

void sk_paint_keys(painter *p)
{
    cairo_t *cr = p->cr;
    text_style s = {.size = LABEL_SIZE, .color = p->pal->text, .align_y = 0.5, .halo = true};
    for (int i = 0; i < p->scene->key_count; i++) {
        const sk_key *key = &p->scene->keys[i];
        sk_vec2 k = sk_layout_to_px(p->layout, key->at);
        cairo_new_sub_path(cr);
        cairo_arc(cr, k.x, k.y, sk_u(p, KEY_RADIUS), 0, 2 * M_PI);
        sk_set_color(cr, sk_key_colour(p, i), 1.0);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, sk_u(p, KEY_OUTLINE));
        sk_set_color(cr, p->pal->halo, 0.9);
        cairo_stroke(cr);
        sk_draw_text(p, key->label, k.x + sk_u(p, KEY_RADIUS + 8), k.y, &s);
    }
}

/* The bandwidth as a dashed circle of radius sigma around the query: keys
 * inside it get most of the weight (all of it, for compact kernels), which is
 * what "soft nearest neighbours" means. Only without projections, since with
 * them the neighbourhood is not a circle in the plane. */
static void paint_bandwidth(painter *p)
{
    const sk_kernel *k = &p->frame->state->kernel;
    if (!(sk_kernel_parameters(k) & SK_USES_BANDWIDTH) || k->projected)
        return;
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, p->frame->state->query);
    double r = k->bandwidth * p->layout->scale;
    cairo_new_sub_path(cr);
    cairo_arc(cr, q.x, q.y, r, 0, 2 * M_PI);
    stroke_dashed(p, 6, 8, 2, 0.35);
    text_style s = {.size = LABEL_SIZE, .color = p->pal->muted, .align_y = 1.0, .halo = true};
    sk_draw_text(p, "σ", q.x + r * M_SQRT1_2 + sk_u(p, 4), q.y - r * M_SQRT1_2, &s);
}

/* The query ring, filled with the output; hollow and dashed when a compact
 * kernel reaches no key, since then there is no output at all. */
void sk_paint_query(painter *p)
{
    paint_bandwidth(p);
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, p->frame->state->query);
    double r = sk_u(p, QUERY_RADIUS);
    cairo_new_sub_path(cr);
    cairo_arc(cr, q.x, q.y, r, 0, 2 * M_PI);
    if (p->frame->has_output) {
        sk_set_color(cr, sk_output_colour(p), 1.0);
        cairo_fill_preserve(cr);
    }
    cairo_set_line_width(cr, sk_u(p, QUERY_RING + 4));
    sk_set_color(cr, p->pal->halo, 0.9);
    cairo_stroke_preserve(cr);
    if (!p->frame->has_output) {
        double dash[] = {sk_u(p, 7), sk_u(p, 6)};
        cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_set_line_width(cr, sk_u(p, QUERY_RING));
    sk_set_color(cr, p->pal->line, 1.0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    /* Above the ring, centred: key labels sit to the right of their keys. */
    text_style s = {.size = LABEL_SIZE + 4,
                    .bold = true,
                    .color = p->pal->line,
                    .align_x = 0.5,
                    .align_y = 1.0,
                    .halo = true};
    sk_draw_text(p, p->frame->has_output ? "query" : "query: no key in reach", q.x,
                 q.y - r - sk_u(p, QUERY_RING), &s);
}
