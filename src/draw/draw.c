#include "draw.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>

/* All lengths below are in layout units: 1/1000 of the frame height. */
#define KEY_RADIUS 14.0
#define KEY_OUTLINE 3.0
#define QUERY_RADIUS 30.0
#define QUERY_RING 6.0
#define LINK_MIN_WIDTH 1.0
#define LINK_MAX_EXTRA 9.0
#define LABEL_SIZE 22.0
#define TITLE_SIZE 44.0
#define CLOCK_SIZE 24.0
#define PANEL_PADDING 24.0
#define PANEL_HEADER_SIZE 30.0
#define PANEL_TEXT_SIZE 22.0
#define PANEL_FOOTER 92.0
#define PANEL_CORNER 14.0
#define BAR_TEXT_SIZE 20.0
#define HALO 5.0 /* dark outline behind text drawn over the plot */
#define PATH_SAMPLES 256
#define GRID_LINES_ACROSS 12.0 /* about how many grid lines span the plot */

#define FONT_FAMILY "DejaVu Sans,Sans" /* fontconfig falls back to any sans face */

static const sk_rgb TEXT = {0.886, 0.910, 0.941};  /* #e2e8f0 */
static const sk_rgb MUTED = {0.580, 0.639, 0.722}; /* #94a3b8 */
static const sk_rgb WHITE = {1.0, 1.0, 1.0};
static const sk_rgb INK = {0.04, 0.05, 0.09}; /* outlines and halos */

typedef struct text_style {
    double size; /* layout units */
    bool bold;
    sk_rgb color;
    double align_x, align_y; /* 0 = left/top, 0.5 = centre, 1 = right/bottom */
    bool halo;
    double max_width; /* pixels; longer text is ellipsized. 0: no limit */
} text_style;

typedef struct painter {
    cairo_t *cr;
    const sk_layout *layout;
    PangoLayout *text;
} painter;

static double u(const painter *p, double units)
{
    return units * p->layout->unit;
}

static void set_color(cairo_t *cr, sk_rgb c, double alpha)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

/* Draws text with its anchor at (x, y); returns its width in pixels. */
static double draw_text(painter *p, const char *text, double x, double y, const text_style *s)
{
    PangoFontDescription *font = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(font, u(p, s->size) * PANGO_SCALE);
    pango_font_description_set_weight(font, s->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(p->text, font);
    pango_font_description_free(font);
    pango_layout_set_text(p->text, text, -1);
    pango_layout_set_width(p->text, s->max_width > 0 ? (int)(s->max_width * PANGO_SCALE) : -1);
    pango_layout_set_ellipsize(p->text,
                               s->max_width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);

    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(p->text, &ink, &logical);
    cairo_move_to(p->cr, x - s->align_x * logical.width, y - s->align_y * logical.height);
    if (s->halo) {
        pango_cairo_layout_path(p->cr, p->text);
        set_color(p->cr, INK, 0.85);
        cairo_set_line_width(p->cr, u(p, HALO));
        cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(p->cr);
        cairo_move_to(p->cr, x - s->align_x * logical.width, y - s->align_y * logical.height);
    }
    set_color(p->cr, s->color, 1.0);
    pango_cairo_show_layout(p->cr, p->text);
    return logical.width;
}

/* 1, 2 or 5 times a power of ten, near span / lines. */
static double nice_step(double span, double lines)
{
    double raw = span / lines;
    double power = pow(10.0, floor(log10(raw)));
    double f = raw / power;
    return power * (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0);
}

static void draw_grid(painter *p)
{
    cairo_t *cr = p->cr;
    const sk_layout *l = p->layout;
    double x0 = (l->plot.x - l->origin_x) / l->scale,
           x1 = (l->plot.x + l->plot.w - l->origin_x) / l->scale;
    double y0 = (l->origin_y - l->plot.y - l->plot.h) / l->scale,
           y1 = (l->origin_y - l->plot.y) / l->scale;
    double step = nice_step(fmax(x1 - x0, y1 - y0), GRID_LINES_ACROSS);

    cairo_save(cr);
    cairo_rectangle(cr, l->plot.x, l->plot.y, l->plot.w, l->plot.h);
    cairo_clip(cr);
    cairo_set_line_width(cr, fmax(1.0, u(p, 1.2)));
    for (int axis = 0; axis < 2; axis++) {
        double lo = axis ? y0 : x0, hi = axis ? y1 : x1;
        for (double v = ceil(lo / step) * step; v <= hi; v += step) {
            bool is_axis = fabs(v) < step * 1e-6;
            sk_vec2 a = sk_layout_to_px(l, axis ? (sk_vec2){x0, v} : (sk_vec2){v, y0});
            sk_vec2 b = sk_layout_to_px(l, axis ? (sk_vec2){x1, v} : (sk_vec2){v, y1});
            cairo_move_to(cr, a.x, a.y);
            cairo_line_to(cr, b.x, b.y);
            set_color(cr, WHITE, is_axis ? 0.24 : 0.08);
            cairo_stroke(cr);
        }
    }
    cairo_restore(cr);
}

static void draw_path(painter *p, const sk_timeline *timeline)
{
    cairo_t *cr = p->cr;
    for (int i = 0; i <= PATH_SAMPLES; i++) {
        sk_vec2 px =
            sk_layout_to_px(p->layout, sk_timeline_path_point(timeline, (double)i / PATH_SAMPLES));
        if (i == 0)
            cairo_move_to(cr, px.x, px.y);
        else
            cairo_line_to(cr, px.x, px.y);
    }
    double dash[] = {u(p, 10), u(p, 10)};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, u(p, 2));
    set_color(cr, WHITE, 0.16);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

/* The bandwidth as a dashed circle of radius sigma around the query: keys inside
 * it get most of the weight, which is what "soft nearest neighbours" means. */
static void draw_bandwidth(painter *p, const sk_frame *frame)
{
    if (frame->state->kernel.kind != SK_KERNEL_GAUSSIAN)
        return;
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, frame->state->query);
    double r = frame->state->kernel.bandwidth * p->layout->scale;
    cairo_new_sub_path(cr);
    cairo_arc(cr, q.x, q.y, r, 0, 2 * M_PI);
    double dash[] = {u(p, 6), u(p, 8)};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, u(p, 2));
    set_color(cr, WHITE, 0.35);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    text_style s = {.size = LABEL_SIZE,
                    .bold = false,
                    .color = MUTED,
                    .align_x = 0.0,
                    .align_y = 1.0,
                    .halo = true};
    draw_text(p, "σ", q.x + r * M_SQRT1_2 + u(p, 4), q.y - r * M_SQRT1_2, &s);
}

/* Width and opacity grow with the weight, so the eye follows where the mass is. */
static void draw_links(painter *p, const sk_scene *scene, const sk_frame *frame)
{
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, frame->state->query);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < scene->key_count; i++) {
        double w = frame->weights[i];
        sk_vec2 k = sk_layout_to_px(p->layout, scene->keys[i].at);
        cairo_move_to(cr, q.x, q.y);
        cairo_line_to(cr, k.x, k.y);
        cairo_set_line_width(cr, u(p, LINK_MIN_WIDTH + LINK_MAX_EXTRA * w));
        set_color(cr, scene->keys[i].value, 0.10 + 0.85 * w);
        cairo_stroke(cr);
    }
}

static void draw_keys(painter *p, const sk_scene *scene)
{
    cairo_t *cr = p->cr;
    text_style s = {.size = LABEL_SIZE,
                    .bold = false,
                    .color = TEXT,
                    .align_x = 0.0,
                    .align_y = 0.5,
                    .halo = true};
    for (int i = 0; i < scene->key_count; i++) {
        const sk_key *key = &scene->keys[i];
        sk_vec2 k = sk_layout_to_px(p->layout, key->at);
        cairo_new_sub_path(cr);
        cairo_arc(cr, k.x, k.y, u(p, KEY_RADIUS), 0, 2 * M_PI);
        set_color(cr, key->value, 1.0);
        cairo_fill_preserve(cr);
        cairo_set_line_width(cr, u(p, KEY_OUTLINE));
        set_color(cr, INK, 0.9);
        cairo_stroke(cr);
        draw_text(p, key->label, k.x + u(p, KEY_RADIUS + 8), k.y, &s);
    }
}

static void draw_query(painter *p, const sk_frame *frame)
{
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, frame->state->query);
    double r = u(p, QUERY_RADIUS);
    cairo_new_sub_path(cr);
    cairo_arc(cr, q.x, q.y, r, 0, 2 * M_PI);
    set_color(cr, frame->output, 1.0);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, u(p, QUERY_RING + 4));
    set_color(cr, INK, 0.9);
    cairo_stroke_preserve(cr);
    cairo_set_line_width(cr, u(p, QUERY_RING));
    set_color(cr, WHITE, 1.0);
    cairo_stroke(cr);
    /* Above the ring, centred: key labels sit to the right of their keys. */
    text_style s = {.size = LABEL_SIZE + 4,
                    .bold = true,
                    .color = WHITE,
                    .align_x = 0.5,
                    .align_y = 1.0,
                    .halo = true};
    draw_text(p, "query", q.x, q.y - r - u(p, QUERY_RING), &s);
}

static void rounded_rect(cairo_t *cr, sk_rect r, double radius)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, r.x + r.w - radius, r.y + radius, radius, -M_PI / 2, 0);
    cairo_arc(cr, r.x + r.w - radius, r.y + r.h - radius, radius, 0, M_PI / 2);
    cairo_arc(cr, r.x + radius, r.y + r.h - radius, radius, M_PI / 2, M_PI);
    cairo_arc(cr, r.x + radius, r.y + radius, radius, M_PI, 1.5 * M_PI);
    cairo_close_path(cr);
}

static void kernel_caption(const sk_kernel *k, char *out, size_t size)
{
    if (k->kind == SK_KERNEL_GAUSSIAN)
        snprintf(out, size, "Gaussian kernel · σ = %.2f", k->bandwidth);
    else
        snprintf(out, size, "Dot product · T = %.2f", k->temperature);
}

/* One vertical bar per key: its colour, height proportional to its weight on
 * a fixed 0..1 axis (so frames compare honestly), the weight above it. */
static void draw_bars(painter *p, const sk_scene *scene, const sk_frame *frame, sk_rect area)
{
    cairo_t *cr = p->cr;
    int n = scene->key_count;
    double gutter = u(p, 30);
    double column = (area.w - gutter) / n;
    /* "0.00" is about 2.4 em wide: shrink the numbers only when columns are narrow. */
    double text_size = fmin(BAR_TEXT_SIZE, column / p->layout->unit * 0.40);
    double label_row = u(p, text_size * 1.8);
    double value_row = u(p, text_size * 1.6);
    double base = area.y + area.h - label_row, top = area.y + value_row;
    double full = base - top;

    text_style axis = {.size = PANEL_TEXT_SIZE * 0.9,
                       .bold = false,
                       .color = MUTED,
                       .align_x = 1.0,
                       .align_y = 0.5,
                       .halo = false};
    for (int tick = 0; tick <= 4; tick++) {
        double y = base - full * tick / 4.0;
        cairo_move_to(cr, area.x + gutter, y);
        cairo_line_to(cr, area.x + area.w, y);
        set_color(cr, WHITE, tick == 0 ? 0.3 : 0.07);
        cairo_set_line_width(cr, fmax(1.0, u(p, 1.2)));
        cairo_stroke(cr);
        if (tick % 2 == 0) {
            char label[8];
            snprintf(label, sizeof label, "%.1f", tick / 4.0);
            draw_text(p, label, area.x + gutter - u(p, 8), y, &axis);
        }
    }

    text_style value = {.size = text_size,
                        .bold = false,
                        .color = TEXT,
                        .align_x = 0.5,
                        .align_y = 1.0,
                        .halo = false};
    text_style name = {.size = text_size,
                       .bold = false,
                       .color = MUTED,
                       .align_x = 0.5,
                       .align_y = 0.0,
                       .halo = false,
                       .max_width = column * 0.95};
    for (int i = 0; i < n; i++) {
        double w = frame->weights[i];
        double cx = area.x + gutter + column * (i + 0.5);
        double bw = column * 0.62, bh = full * w;
        cairo_rectangle(cr, cx - bw / 2, base - bh, bw, bh);
        set_color(cr, scene->keys[i].value, 1.0);
        cairo_fill(cr);
        char number[16];
        snprintf(number, sizeof number, "%.2f", w);
        draw_text(p, number, cx, base - bh - u(p, 4), &value);
        draw_text(p, scene->keys[i].label, cx, base + u(p, 6), &name);
    }
}

static void draw_output(painter *p, const sk_frame *frame, sk_rect area)
{
    cairo_t *cr = p->cr;
    double swatch = area.h * 0.62;
    double y = area.y + area.h / 2;
    text_style s = {.size = PANEL_TEXT_SIZE,
                    .bold = false,
                    .color = TEXT,
                    .align_x = 0.0,
                    .align_y = 0.5,
                    .halo = false};
    double w = draw_text(p, "output = Σ wᵢ vᵢ", area.x, y, &s);
    double x = area.x + w + u(p, 18);
    rounded_rect(cr, (sk_rect){x, y - swatch / 2, swatch * 1.6, swatch}, u(p, 6));
    set_color(cr, frame->output, 1.0);
    cairo_fill_preserve(cr);
    set_color(cr, WHITE, 0.8);
    cairo_set_line_width(cr, u(p, 2));
    cairo_stroke(cr);
    char hex[16];
    snprintf(hex, sizeof hex, "#%02x%02x%02x", (int)lround(frame->output.r * 255),
             (int)lround(frame->output.g * 255), (int)lround(frame->output.b * 255));
    text_style mono = {.size = PANEL_TEXT_SIZE * 0.9,
                       .bold = false,
                       .color = MUTED,
                       .align_x = 0.0,
                       .align_y = 0.5,
                       .halo = false};
    draw_text(p, hex, x + swatch * 1.6 + u(p, 14), y, &mono);
}

static void draw_panel(painter *p, const sk_scene *scene, const sk_frame *frame)
{
    cairo_t *cr = p->cr;
    sk_rect r = p->layout->panel;
    rounded_rect(cr, r, u(p, PANEL_CORNER));
    set_color(cr, WHITE, 0.045);
    cairo_fill_preserve(cr);
    set_color(cr, WHITE, 0.10);
    cairo_set_line_width(cr, fmax(1.0, u(p, 1.5)));
    cairo_stroke(cr);

    double pad = u(p, PANEL_PADDING);
    double x = r.x + pad, y = r.y + pad, w = r.w - 2 * pad;
    text_style header = {.size = PANEL_HEADER_SIZE,
                         .bold = true,
                         .color = TEXT,
                         .align_x = 0.0,
                         .align_y = 0.0,
                         .halo = false};
    draw_text(p, "Attention weights", x, y, &header);
    y += u(p, PANEL_HEADER_SIZE * 1.5);
    char caption[96];
    kernel_caption(&frame->state->kernel, caption, sizeof caption);
    text_style sub = {.size = PANEL_TEXT_SIZE,
                      .bold = false,
                      .color = MUTED,
                      .align_x = 0.0,
                      .align_y = 0.0,
                      .halo = false};
    draw_text(p, caption, x, y, &sub);
    y += u(p, PANEL_TEXT_SIZE * 2.2);

    double footer = u(p, PANEL_FOOTER);
    draw_bars(p, scene, frame, (sk_rect){x, y, w, r.y + r.h - pad - footer - y});
    draw_output(p, frame, (sk_rect){x, r.y + r.h - pad - footer * 0.8, w, footer * 0.8});
}

static void draw_title(painter *p, const sk_scene *scene, const sk_frame *frame)
{
    sk_rect r = p->layout->title;
    text_style title = {.size = TITLE_SIZE,
                        .bold = true,
                        .color = TEXT,
                        .align_x = 0.0,
                        .align_y = 0.5,
                        .halo = false};
    draw_text(p, scene->title, r.x, r.y + r.h / 2, &title);
    char clock[32];
    snprintf(clock, sizeof clock, "t = %.2f s", frame->state->time);
    text_style s = {.size = CLOCK_SIZE,
                    .bold = false,
                    .color = MUTED,
                    .align_x = 1.0,
                    .align_y = 0.5,
                    .halo = false};
    draw_text(p, clock, r.x + r.w, r.y + r.h / 2, &s);
}

sk_status sk_draw_frame(cairo_t *cr, const sk_layout *layout, const sk_scene *scene,
                        const sk_timeline *timeline, const sk_frame *frame, sk_error *err)
{
    painter p = {cr, layout, pango_cairo_create_layout(cr)};
    cairo_save(cr);
    set_color(cr, scene->background, 1.0);
    cairo_paint(cr);
    draw_grid(&p);
    draw_path(&p, timeline);
    draw_bandwidth(&p, frame);
    draw_links(&p, scene, frame);
    draw_keys(&p, scene);
    draw_query(&p, frame);
    draw_panel(&p, scene, frame);
    draw_title(&p, scene, frame);
    cairo_restore(cr);
    g_object_unref(p.text);

    cairo_status_t status = cairo_status(cr);
    if (status != CAIRO_STATUS_SUCCESS)
        return sk_error_set(err, SK_ERUNTIME, "drawing frame %lld failed: %s",
                            (long long)frame->state->frame, cairo_status_to_string(status));
    return SK_OK;
}
