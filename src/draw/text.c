/* text.c — text and shapes shared by the layers. */
#include <math.h>

#include "painter.h"
#include "sprite.h"

/* What draw_halo_text needs besides the anchor. */
typedef struct halo_text {
    painter *p;
    const text_style *style;
} halo_text;

/* The text with its halo, its layout's top-left at (x, y). */
static void draw_halo_text(cairo_t *cr, double x, double y, void *ctx)
{
    const halo_text *h = ctx;
    cairo_move_to(cr, x, y);
    pango_cairo_layout_path(cr, h->p->text);
    sk_set_color(cr, h->p->pal->halo, 0.85);
    cairo_set_line_width(cr, sk_u(h->p, HALO));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_move_to(cr, x, y);
    sk_set_color(cr, h->style->color, 1.0);
    pango_cairo_show_layout(cr, h->p->text);
}

static void set_font(painter *p, double size, bool bold)
{
    PangoFontDescription *font = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(font, sk_u(p, size) * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(p->text, font);
    pango_font_description_free(font);
}

double sk_text_width(painter *p, const char *text, double size, bool bold)
{
    set_font(p, size, bold);
    pango_layout_set_text(p->text, text, -1);
    pango_layout_set_width(p->text, -1);
    pango_layout_set_ellipsize(p->text, PANGO_ELLIPSIZE_NONE);
    PangoRectangle logical;
    pango_layout_get_pixel_extents(p->text, NULL, &logical);
    return logical.width;
}

double sk_draw_text(painter *p, const char *text, double x, double y, const text_style *s)
{
    set_font(p, s->size, s->bold);
    pango_layout_set_text(p->text, text, -1);
    pango_layout_set_width(p->text, s->max_width > 0 ? (int)(s->max_width * PANGO_SCALE) : -1);
    pango_layout_set_ellipsize(p->text,
                               s->max_width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);

    PangoRectangle ink, logical;
    pango_layout_get_pixel_extents(p->text, &ink, &logical);
    double left = x - s->align_x * logical.width, top = y - s->align_y * logical.height;
    if (s->halo) {
        /* Stroking every glyph's outline is the costliest text there is, and
         * halo'd labels mostly sit still: drawn once, then as a bitmap. */
        halo_text h = {p, s};
        double reach = sk_u(p, HALO) / 2;
        sk_rect box = {ink.x - reach, ink.y - reach, ink.width + 2 * reach, ink.height + 2 * reach};
        char key[400];
        int n = snprintf(key, sizeof key, "halo|%s|%a|%d|%a|%a|%a|%a|%a|%a|%a|%a", text, s->size,
                         s->bold, s->color.r, s->color.g, s->color.b, p->pal->halo.r,
                         p->pal->halo.g, p->pal->halo.b, p->layout->unit, s->max_width);
        if (n > 0 && (size_t)n < sizeof key) /* a cut key could name other text */
            sk_sprite_paint(p->cr, key, left, top, box, draw_halo_text, &h);
        else
            draw_halo_text(p->cr, left, top, &h);
        return logical.width;
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
