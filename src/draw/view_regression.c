/* view_regression.c — the regression1d view: samples (x, value) of a noisy
 * function, the true curve, the Nadaraya–Watson estimate traced over the x
 * range the query has covered, and the weights as bars under the x axis with
 * the kernel's shape over them. The plane's layers draw its parts:
 * grid = axes, path = true curve, links = weight bars, keys = samples,
 * query = the query's line, kernel, estimate and trace. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "painter.h"
#include "views.h"

/* Layout units (1/1000 of the frame height). */
#define GUTTER 96.0          /* left of the axes: the value axis' numbers, the strip's name */
#define RIGHT_PAD 24.0       /* right of the axes */
#define LEGEND_ROW 40.0      /* above the curve: the legend */
#define NUMBER_ROW 34.0      /* between the curve and the bars: the x axis' numbers */
#define SIGMA_ROW 36.0       /* under the bars: the bandwidth's bracket */
#define BARS_SHARE 0.24      /* of the height left: the weights' strip */
#define BAR_HEADROOM 0.88    /* the heaviest bar's share of the strip: room for its label */
#define NUMBER_SIZE 18.0     /* axes' numbers */
#define SMALL_SIZE 20.0      /* legend, strip label, sigma */
#define SAMPLE_RADIUS 6.5    /* a sample's disc */
#define ESTIMATE_RADIUS 11.0 /* the estimate's disc at the query */
#define CURVE_WIDTH 3.0      /* the true curve */
#define TRACE_WIDTH 5.0      /* the estimate's trace */
#define BAR_MAX_WIDTH 14.0   /* bars are narrower than this even with few samples */
#define BAR_SPACING 0.45     /* a bar's width, of the samples' mean spacing */
#define X_LINES 10.0         /* about how many grid lines span x */
#define Y_LINES 5.0          /* and the value */
#define TRACE_PIXELS 2.0     /* the trace is evaluated every this many pixels */
#define KERNEL_PIXELS 2.0    /* the kernel's shape likewise */
#define KERNEL_RATIO_MAX 4.0 /* the kernel's shape is cut off above the strip */

/* The estimate and the weights in one colour, amber: what the query computes. */
static const sk_rgb accent = {0.961, 0.620, 0.043}; /* #f59e0b */

/* Where the view's parts go, and the scene extents they show. */
typedef struct geometry {
    sk_rect legend, curve, bars, sigma; /* pixels */
    double x0, x1, y0, y1;              /* the view: x, and value */
} geometry;

static bool captions_shown(const painter *p)
{
    return sk_scene_draws(p->scene, SK_LAYER_CAPTIONS) && p->scene->caption_count > 0;
}

static geometry geometry_of(const painter *p)
{
    const sk_rect *plot = &p->layout->plot;
    double bottom = plot->y + plot->h - (captions_shown(p) ? p->layout->captions.h : 0.0);
    double left = plot->x + sk_u(p, GUTTER), width = plot->w - sk_u(p, GUTTER + RIGHT_PAD);
    double top = plot->y + sk_u(p, LEGEND_ROW);
    double rest = bottom - top - sk_u(p, NUMBER_ROW + SIGMA_ROW);
    double bars_h = rest * BARS_SHARE, curve_h = rest - bars_h;
    geometry g = {.legend = {left, plot->y, width, sk_u(p, LEGEND_ROW)},
                  .curve = {left, top, width, curve_h},
                  .bars = {left, top + curve_h + sk_u(p, NUMBER_ROW), width, bars_h},
                  .x0 = p->scene->view_min.x,
                  .x1 = p->scene->view_max.x,
                  .y0 = p->scene->view_min.y,
                  .y1 = p->scene->view_max.y};
    g.sigma = (sk_rect){left, g.bars.y + bars_h, width, sk_u(p, SIGMA_ROW)};
    return g;
}

static double px_x(const geometry *g, double x)
{
    return g->curve.x + (x - g->x0) / (g->x1 - g->x0) * g->curve.w;
}

static double px_y(const geometry *g, double y)
{
    return g->curve.y + g->curve.h - (y - g->y0) / (g->y1 - g->y0) * g->curve.h;
}

static void clip_to(cairo_t *cr, sk_rect r)
{
    cairo_rectangle(cr, r.x, r.y, r.w, r.h);
    cairo_clip(cr);
}

/* One legend entry, in slot 0 (samples), 1 (true curve) or 2 (estimate): a
 * swatch and its name, left to right along the row above the curve. */
static void legend_entry(painter *p, int slot, const char *name, sk_rgb colour, bool disc)
{
    static const double slot_x[] = {0.0, 0.22, 0.48}; /* shares of the row's width */
    geometry g = geometry_of(p);
    double x = g.legend.x + slot_x[slot] * g.legend.w, y = g.legend.y + g.legend.h / 2;
    cairo_t *cr = p->cr;
    if (disc) {
        cairo_new_sub_path(cr);
        cairo_arc(cr, x + sk_u(p, 14), y, sk_u(p, SAMPLE_RADIUS), 0, 2 * M_PI);
        sk_set_color(cr, colour, 1.0);
        cairo_fill(cr);
    } else {
        cairo_move_to(cr, x, y);
        cairo_line_to(cr, x + sk_u(p, 28), y);
        cairo_set_line_width(cr, sk_u(p, TRACE_WIDTH));
        sk_set_color(cr, colour, 1.0);
        cairo_stroke(cr);
    }
    text_style s = {.size = SMALL_SIZE, .color = p->pal->text, .align_y = 0.5};
    sk_draw_text(p, name, x + sk_u(p, 38), y, &s);
}

/* Grid lines of one axis at whole multiples of a nice step, with numbers:
 * the value's left of the curve, x's in the row under it. */
static void axis_lines(painter *p, const geometry *g, bool vertical)
{
    cairo_t *cr = p->cr;
    double lo = vertical ? g->x0 : g->y0, hi = vertical ? g->x1 : g->y1;
    double step = sk_nice_step(hi - lo, vertical ? X_LINES : Y_LINES);
    text_style s = {.size = NUMBER_SIZE, .color = p->pal->muted};
    for (double k = ceil(lo / step - 1e-9); k * step <= hi + 1e-9 * step; k++) {
        double value = k * step, at = vertical ? px_x(g, value) : px_y(g, value);
        char label[32];
        sk_tick_label(value, step, label, sizeof label);
        if (vertical) {
            cairo_move_to(cr, at, g->curve.y);
            cairo_line_to(cr, at, g->curve.y + g->curve.h);
        } else {
            cairo_move_to(cr, g->curve.x, at);
            cairo_line_to(cr, g->curve.x + g->curve.w, at);
        }
        cairo_set_line_width(cr, fmax(1.0, sk_u(p, 1.2)));
        sk_set_color(cr, p->pal->line, k == 0 ? 0.24 : 0.08);
        cairo_stroke(cr);
        double half = sk_text_width(p, label, NUMBER_SIZE, false) / 2;
        if (vertical && at - half >= g->curve.x - sk_u(p, GUTTER) &&
            at + half <= g->curve.x + g->curve.w + sk_u(p, RIGHT_PAD)) {
            s.align_x = 0.5;
            s.align_y = 0.0;
            sk_draw_text(p, label, at, g->curve.y + g->curve.h + sk_u(p, 6), &s);
        } else if (!vertical) {
            s.align_x = 1.0;
            s.align_y = 0.5;
            sk_draw_text(p, label, g->curve.x - sk_u(p, 10), at, &s);
        }
    }
}

void sk_paint_regression_axes(painter *p)
{
    geometry g = geometry_of(p);
    cairo_t *cr = p->cr;
    cairo_save(cr);
    axis_lines(p, &g, true);
    axis_lines(p, &g, false);
    /* The frame's left and bottom edges, and the strip's baseline. */
    cairo_move_to(cr, g.curve.x, g.curve.y);
    cairo_line_to(cr, g.curve.x, g.curve.y + g.curve.h);
    cairo_line_to(cr, g.curve.x + g.curve.w, g.curve.y + g.curve.h);
    cairo_move_to(cr, g.bars.x, g.bars.y + g.bars.h);
    cairo_line_to(cr, g.bars.x + g.bars.w, g.bars.y + g.bars.h);
    cairo_set_line_width(cr, sk_u(p, 2));
    sk_set_color(cr, p->pal->line, 0.35);
    cairo_stroke(cr);
    cairo_restore(cr);
}

void sk_paint_regression_curve(painter *p)
{
    const sk_scene *s = p->scene;
    if (s->curve_count < 2)
        return;
    geometry g = geometry_of(p);
    cairo_t *cr = p->cr;
    cairo_save(cr);
    clip_to(cr, g.curve);
    for (int i = 0; i < s->curve_count; i++)
        cairo_line_to(cr, px_x(&g, s->curve[i].x), px_y(&g, s->curve[i].y));
    cairo_set_line_width(cr, sk_u(p, CURVE_WIDTH));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    sk_set_color(cr, p->pal->muted, 0.9);
    cairo_stroke(cr);
    cairo_restore(cr);
    legend_entry(p, 1, "true function", p->pal->muted, false);
}

void sk_paint_regression_samples(painter *p)
{
    geometry g = geometry_of(p);
    cairo_t *cr = p->cr;
    cairo_save(cr);
    clip_to(cr, g.curve);
    for (int i = 0; i < p->scene->key_count; i++) {
        const sk_key *key = &p->scene->keys[i];
        cairo_new_sub_path(cr);
        cairo_arc(cr, px_x(&g, key->at.x), px_y(&g, key->scalar), sk_u(p, SAMPLE_RADIUS), 0,
                  2 * M_PI);
    }
    sk_set_color(cr, p->pal->text, 0.9);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, sk_u(p, 2));
    sk_set_color(cr, p->pal->halo, 0.9);
    cairo_stroke(cr);
    cairo_restore(cr);
    legend_entry(p, 0, "noisy samples", p->pal->text, true);
}

static double heaviest(const painter *p, int *index)
{
    double top = 0.0;
    *index = 0;
    for (int i = 0; i < p->scene->key_count; i++) {
        if (p->frame->weights[i] > top) {
            top = p->frame->weights[i];
            *index = i;
        }
    }
    return top;
}

void sk_paint_regression_bars(painter *p)
{
    geometry g = geometry_of(p);
    cairo_t *cr = p->cr;
    int top_index;
    double top = heaviest(p, &top_index);
    /* The strip's name and scale in the gutter, clear of the kernel's peak. */
    text_style s = {.size = SMALL_SIZE, .color = p->pal->muted, .align_x = 1.0};
    char label[64];
    snprintf(label, sizeof label, "max %.2f", top);
    double right = g.bars.x - sk_u(p, 10);
    sk_draw_text(p, "weights", right, g.bars.y, &s);
    if (!p->frame->has_output) { /* a compact kernel reaches no sample */
        s.align_x = 0.0;
        sk_draw_text(p, "no sample within σ of the query: no estimate here", g.bars.x + sk_u(p, 10),
                     g.bars.y, &s);
        return;
    }
    sk_draw_text(p, label, right, g.bars.y + sk_u(p, SMALL_SIZE * 1.3), &s);
    double width = fmin(sk_u(p, BAR_MAX_WIDTH), BAR_SPACING * g.bars.w / p->scene->key_count);
    width = fmax(width, 1.0);
    double base = g.bars.y + g.bars.h, full = g.bars.h * BAR_HEADROOM;
    cairo_save(cr);
    clip_to(cr, g.bars);
    for (int i = 0; i < p->scene->key_count; i++) {
        double h = p->frame->weights[i] / top * full;
        cairo_rectangle(cr, px_x(&g, p->scene->keys[i].at.x) - width / 2, base - h, width, h);
    }
    sk_set_color(cr, accent, 0.85);
    cairo_fill(cr);
    cairo_restore(cr);
}

/* The keys as the core wants them: points on the x axis, and their values. */
typedef struct samples {
    size_t n;
    sk_vec2 *at;
    double *ys, *weights, *scratch;
} samples;

static void samples_free(samples *s)
{
    free(s->at);
    free(s->ys);
    free(s->weights);
    free(s->scratch);
}

static bool samples_make(const sk_scene *scene, samples *s)
{
    size_t n = (size_t)scene->key_count;
    *s = (samples){n, malloc(n * sizeof *s->at), malloc(n * sizeof *s->ys),
                   malloc(n * sizeof *s->weights), malloc(n * sizeof *s->scratch)};
    if (!s->at || !s->ys || !s->weights || !s->scratch) {
        samples_free(s);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        s->at[i] = (sk_vec2){scene->keys[i].at.x, 0.0};
        s->ys[i] = scene->keys[i].scalar;
    }
    return true;
}

/* The estimate with the current kernel over the x range the query has
 * covered so far: one estimator throughout, so when sigma grows the whole
 * trace smooths at once. Recomputed every frame from the timeline, so any
 * frame can be drawn alone. Broken where a compact kernel reaches no sample. */
static void paint_trace(painter *p, const geometry *g, samples *s)
{
    double x0, x1;
    sk_regression_covered(p->timeline, p->frame->state->frame, &x0, &x1);
    int steps = (int)fmax(1.0, ceil((px_x(g, x1) - px_x(g, x0)) / TRACE_PIXELS));
    cairo_t *cr = p->cr;
    cairo_new_path(cr);
    for (int i = 0; i <= steps; i++) {
        double x = x0 + (x1 - x0) * i / steps, y;
        if (!sk_regression_estimate(&p->frame->state->kernel, s->at, s->ys, s->n, x, s->weights,
                                    s->scratch, &y)) {
            cairo_new_sub_path(cr);
            continue;
        }
        cairo_line_to(cr, px_x(g, x), px_y(g, y));
    }
    cairo_set_line_width(cr, sk_u(p, TRACE_WIDTH));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    sk_set_color(cr, accent, 1.0);
    cairo_stroke(cr);
}

/* The bandwidth as a bracket from q - sigma to q + sigma under the strip,
 * cut at the axis' ends (an end beyond them loses its tick), with its value
 * on the roomier side. */
static void paint_sigma(painter *p, const geometry *g, double sigma, double q)
{
    cairo_t *cr = p->cr;
    double a = px_x(g, q - sigma), b = px_x(g, q + sigma);
    double y = g->sigma.y + sk_u(p, 12), tick = sk_u(p, 7);
    cairo_save(cr);
    clip_to(cr, (sk_rect){g->sigma.x, y - tick - 1, g->sigma.w, 2 * tick + 2});
    cairo_move_to(cr, a, y - tick);
    cairo_line_to(cr, a, y + tick);
    cairo_move_to(cr, a, y);
    cairo_line_to(cr, b, y);
    cairo_move_to(cr, b, y - tick);
    cairo_line_to(cr, b, y + tick);
    cairo_set_line_width(cr, sk_u(p, 2.5));
    sk_set_color(cr, p->pal->line, 0.75);
    cairo_stroke(cr);
    cairo_restore(cr);
    a = fmax(a, g->sigma.x);
    b = fmin(b, g->sigma.x + g->sigma.w);
    char label[48];
    snprintf(label, sizeof label, "±σ = %.2f", sigma);
    bool right = px_x(g, q) < g->curve.x + g->curve.w / 2; /* toward the roomier side */
    text_style st = {.size = SMALL_SIZE,
                     .color = p->pal->text,
                     .align_x = right ? 0.0 : 1.0,
                     .align_y = 0.5,
                     .halo = true};
    double width = sk_text_width(p, label, SMALL_SIZE, false), left_end = g->sigma.x + width,
           right_end = g->sigma.x + g->sigma.w - width; /* kept inside the axis' span */
    double x = right ? fmin(b + sk_u(p, 10), right_end) : fmax(a - sk_u(p, 10), left_end);
    sk_draw_text(p, label, x, y, &st);
}

/* The kernel's shape under the query, on the bars' scale: at x it is the
 * heaviest sample's bar times K(x - q) / K(x_top - q), so it passes through
 * the top of every bar. K's ratio comes from the core, as the weights of two
 * keys (the heaviest sample and x). Only for kernels with a bandwidth. */
static void paint_kernel(painter *p, const geometry *g, const samples *s)
{
    const sk_kernel *k = &p->frame->state->kernel;
    if (!(sk_kernel_parameters(k) & SK_USES_BANDWIDTH))
        return;
    double q = p->frame->state->query.x;
    paint_sigma(p, g, k->bandwidth, q);
    int top_index;
    if (!(heaviest(p, &top_index) > 0.0))
        return;
    double base = g->bars.y + g->bars.h, full = g->bars.h * BAR_HEADROOM;
    int steps = (int)ceil(g->bars.w / KERNEL_PIXELS);
    cairo_t *cr = p->cr;
    cairo_save(cr);
    clip_to(cr, (sk_rect){g->bars.x, g->bars.y - sk_u(p, 4), g->bars.w, g->bars.h + sk_u(p, 4)});
    cairo_new_path(cr);
    for (int i = 0; i <= steps; i++) {
        double x = g->x0 + (g->x1 - g->x0) * i / steps, w[2];
        sk_vec2 pair[2] = {s->at[top_index], {x, 0.0}};
        double ratio = 0.0;
        if (sk_attention_weights(k, (sk_vec2){q, 0.0}, pair, 2, w, NULL))
            ratio = w[0] > 0.0 ? fmin(w[1] / w[0], KERNEL_RATIO_MAX) : KERNEL_RATIO_MAX;
        cairo_line_to(cr, px_x(g, x), base - ratio * full);
    }
    cairo_set_line_width(cr, sk_u(p, 2.5));
    sk_set_color(cr, p->pal->line, 0.75);
    cairo_stroke(cr);
    cairo_restore(cr);
}

sk_vec2 sk_regression_query_pixel(const sk_layout *layout, const sk_scene *scene,
                                  const sk_frame *frame)
{
    const painter p = {.layout = layout, .scene = scene}; /* all that geometry_of reads */
    geometry g = geometry_of(&p);
    double x = px_x(&g, frame->state->query.x);
    return (sk_vec2){x, frame->has_output ? px_y(&g, frame->scalar) : g.curve.y + g.curve.h};
}

void sk_paint_regression_query(painter *p)
{
    geometry g = geometry_of(p);
    cairo_t *cr = p->cr;
    sk_vec2 at = sk_regression_query_pixel(p->layout, p->scene, p->frame);
    double qx = at.x;
    /* The query's line, through the curve and the strip. */
    cairo_move_to(cr, qx, g.curve.y);
    cairo_line_to(cr, qx, g.bars.y + g.bars.h);
    double dash[] = {sk_u(p, 8), sk_u(p, 7)};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, sk_u(p, 2));
    sk_set_color(cr, p->pal->line, 0.55);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);

    samples s;
    if (samples_make(p->scene, &s)) { /* without memory, only the line and the point */
        cairo_save(cr);
        clip_to(cr, g.curve);
        paint_trace(p, &g, &s);
        cairo_restore(cr);
        paint_kernel(p, &g, &s);
        samples_free(&s);
    }
    legend_entry(p, 2, "Nadaraya–Watson estimate", accent, false);
    if (!p->frame->has_output)
        return;
    double ey = at.y;
    cairo_new_sub_path(cr);
    cairo_arc(cr, qx, ey, sk_u(p, ESTIMATE_RADIUS), 0, 2 * M_PI);
    sk_set_color(cr, accent, 1.0);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, sk_u(p, 4));
    sk_set_color(cr, p->pal->line, 1.0);
    cairo_stroke(cr);
    char label[48];
    double y = p->frame->scalar; /* a true minus sign, as the axes' numbers have */
    snprintf(label, sizeof label, "ŷ = %s%.2f", y <= -0.005 ? "−" : "", fabs(y));
    bool right = qx < g.curve.x + g.curve.w * 0.8;
    text_style st = {.size = SMALL_SIZE + 4,
                     .bold = true,
                     .color = p->pal->text,
                     .align_x = right ? 0.0 : 1.0,
                     .align_y = 1.0,
                     .halo = true};
    double off = sk_u(p, ESTIMATE_RADIUS + 6);
    sk_draw_text(p, label, right ? qx + off : qx - off, ey - off * 0.5, &st);
}
