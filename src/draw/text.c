/* text.c — text and shapes shared by the layers. */
#include <math.h>

#include "painter.h"

/* Sets the painter's text layout to text in style s; returns its logical
 * extents in pixels. */
static PangoRectangle set_text(painter *p, const char *text, const text_style *s)
{
    PangoFontDescription *font = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(font, sk_u(p, s->size) * PANGO_SCALE);
    pango_font_description_set_weight(font, s->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(p->text, font);
    pango_font_description_free(font);
    pango_layout_set_text(p->text, text, -1);
    pango_layout_set_width(p->text, s->max_width > 0 ? (int)(s->max_width * PANGO_SCALE) : -1);
    pango_layout_set_ellipsize(p->text,
                               s->max_width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(p->text, &ink, &logical);
    return logical;
}

void sk_measure_text(painter *p, const char *text, const text_style *s, double *width,
                     double *height)
{
    PangoRectangle logical = set_text(p, text, s);
    *width = logical.width;
    *height = logical.height;
}

double sk_fade(double t, double start, double end, double fade_in, double fade_out)
{
    if (!(t >= start && t < end))
        return 0.0;
    double x = 1.0;
    if (fade_in > 0.0)
        x = fmin(x, (t - start) / fade_in);
    if (fade_out > 0.0)
        x = fmin(x, (end - t) / fade_out);
    return x * x * (3.0 - 2.0 * x);
}

double sk_draw_text(painter *p, const char *text, double x, double y, const text_style *s)
{
    PangoRectangle logical = set_text(p, text, s);
    double left = x - s->align_x * logical.width, top = y - s->align_y * logical.height;
    if (s->halo) {
        cairo_move_to(p->cr, left, top);
        pango_cairo_layout_path(p->cr, p->text);
        sk_set_color(p->cr, p->pal->halo, 0.85);
        cairo_set_line_width(p->cr, sk_u(p, HALO));
        cairo_set_line_join(p->cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(p->cr);
    }
    cairo_move_to(p->cr, left, top);
    sk_set_color(p->cr, s->color, 1.0);
    pango_cairo_show_layout(p->cr, p->text);
    return logical.width;
}

void sk_rounded_rect(cairo_t *cr, sk_rect r, double radius)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, r.x + r.w - radius, r.y + radius, radius, -M_PI / 2, 0);
    cairo_arc(cr, r.x + r.w - radius, r.y + r.h - radius, radius, 0, M_PI / 2);
    cairo_arc(cr, r.x + radius, r.y + r.h - radius, radius, M_PI / 2, M_PI);
    cairo_arc(cr, r.x + radius, r.y + radius, radius, M_PI, 1.5 * M_PI);
    cairo_close_path(cr);
}
