/* panel.c — the weights panel beside the plot, and the title line. */
#include <math.h>
#include <stdio.h>

#include "painter.h"

#define TITLE_SIZE 44.0
#define CLOCK_SIZE 24.0
#define PANEL_PADDING 24.0
#define PANEL_HEADER_SIZE 30.0
#define PANEL_TEXT_SIZE 22.0
#define PANEL_FOOTER 92.0
#define PANEL_CORNER 14.0
#define BAR_TEXT_SIZE 20.0
#define BAR_GUTTER 30.0 /* room for the 0.0 / 0.5 / 1.0 axis labels */

/* How the panel names each kernel, in the order of sk_kernel_kind. */
static const char *const kernel_titles[SK_KERNEL_COUNT] = {
    [SK_KERNEL_GAUSSIAN] = "Gaussian kernel",         [SK_KERNEL_DOT] = "Dot product",
    [SK_KERNEL_COSINE] = "Cosine similarity",         [SK_KERNEL_LAPLACIAN] = "Laplacian kernel",
    [SK_KERNEL_EPANECHNIKOV] = "Epanechnikov kernel", [SK_KERNEL_BOXCAR] = "Boxcar kernel",
    [SK_KERNEL_KNN] = "k nearest neighbours",         [SK_KERNEL_TOPK] = "Top-k softmax",
};

/* "Gaussian kernel · σ = 0.90", with every parameter the kernel reads. */
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
    if ((uses & SK_USES_TEMPERATURE) && n < (int)size)
        snprintf(out + n, size - n, " · T = %.2f", k->temperature);
}

/* One vertical bar per key: its colour, height proportional to its weight on
 * a fixed 0..1 axis (so frames compare honestly), the weight above it. */
static void paint_bars(painter *p, sk_rect area)
{
    cairo_t *cr = p->cr;
    int n = p->scene->key_count;
    double gutter = sk_u(p, BAR_GUTTER);
    double column = (area.w - gutter) / n;
    /* "0.00" is about 2.4 em wide: shrink the numbers only when columns are narrow. */
    double text_size = fmin(BAR_TEXT_SIZE, column / p->layout->unit * 0.40);
    double label_row = sk_u(p, text_size * 1.8), value_row = sk_u(p, text_size * 1.6);
    double base = area.y + area.h - label_row, top = area.y + value_row;
    double full = base - top;

    text_style axis = {
        .size = PANEL_TEXT_SIZE * 0.9, .color = p->pal->muted, .align_x = 1.0, .align_y = 0.5};
    for (int tick = 0; tick <= 4; tick++) {
        double y = base - full * tick / 4.0;
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

    text_style value = {.size = text_size, .color = p->pal->text, .align_x = 0.5, .align_y = 1.0};
    text_style name = {
        .size = text_size, .color = p->pal->muted, .align_x = 0.5, .max_width = column * 0.95};
    for (int i = 0; i < n; i++) {
        double w = p->frame->weights[i];
        double cx = area.x + gutter + column * (i + 0.5);
        double bw = column * 0.62, bh = full * w;
        cairo_rectangle(cr, cx - bw / 2, base - bh, bw, bh);
        sk_set_color(cr, sk_key_colour(p, i), 1.0);
        cairo_fill(cr);
        char number[16];
        snprintf(number, sizeof number, "%.2f", w);
        sk_draw_text(p, number, cx, base - bh - sk_u(p, 4), &value);
        sk_draw_text(p, p->scene->keys[i].label, cx, base + sk_u(p, 6), &name);
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
    sk_set_color(cr, p->pal->line, 0.045);
    cairo_fill_preserve(cr);
    sk_set_color(cr, p->pal->line, 0.10);
    cairo_set_line_width(cr, fmax(1.0, sk_u(p, 1.5)));
    cairo_stroke(cr);

    double pad = sk_u(p, PANEL_PADDING);
    double x = r.x + pad, y = r.y + pad, w = r.w - 2 * pad;
    text_style header = {.size = PANEL_HEADER_SIZE, .bold = true, .color = p->pal->text};
    sk_draw_text(p, "Attention weights", x, y, &header);
    y += sk_u(p, PANEL_HEADER_SIZE * 1.5);
    char caption[128];
    kernel_caption(&p->frame->state->kernel, caption, sizeof caption);
    text_style sub = {.size = PANEL_TEXT_SIZE, .color = p->pal->muted, .max_width = w};
    sk_draw_text(p, caption, x, y, &sub);
    y += sk_u(p, PANEL_TEXT_SIZE * 2.2);

    double footer = sk_u(p, PANEL_FOOTER);
    paint_bars(p, (sk_rect){x, y, w, r.y + r.h - pad - footer - y});
    paint_output(p, (sk_rect){x, r.y + r.h - pad - footer * 0.8, w, footer * 0.8});
}

void sk_paint_title(painter *p)
{
    sk_rect r = p->layout->title;
    char clock[32];
    snprintf(clock, sizeof clock, "t = %.2f s", p->frame->state->time);
    text_style s = {.size = CLOCK_SIZE, .color = p->pal->muted, .align_x = 1.0, .align_y = 0.5};
    double clock_w = sk_draw_text(p, clock, r.x + r.w, r.y + r.h / 2, &s);
    text_style title = {.size = TITLE_SIZE,
                        .bold = true,
                        .color = p->pal->text,
                        .align_y = 0.5,
                        .max_width = r.w - clock_w - sk_u(p, 40)};
    sk_draw_text(p, p->scene->title, r.x, r.y + r.h / 2, &title);
}
