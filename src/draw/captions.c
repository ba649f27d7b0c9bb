/* captions.c — the captions layer: the scene's timed captions, centred at
 * the bottom of the plot on translucent boxes that keep them readable over
 * anything (a bright field, keys), fading in and out. */
#include <math.h>

#include "painter.h"

#define CAPTION_SIZE 30.0     /* layout units: the size captions start at */
#define CAPTION_MIN_SIZE 20.0 /* shrinking to fit stops here; longer text takes more lines */
#define CAPTION_SHRINK 2.0    /* step of the shrinking, layout units */
#define CAPTION_LINES 2       /* lines a caption may take before it shrinks */
#define CAPTION_PAD_X 22.0    /* inside the box, layout units */
#define CAPTION_PAD_Y 10.0
#define CAPTION_INSET                                                                              \
    50.0 /* between the band's sides and the boxes: clear of the grid's numbers                    \
          */
#define CAPTION_LIFT                                                                               \
    30.0                 /* between the band's bottom and the boxes: clear of the grid's numbers   \
                          */
#define CAPTION_GAP 10.0 /* between stacked boxes */
#define CAPTION_CORNER 12.0
#define CAPTION_BOX_ALPHA 0.88 /* of the halo colour: the plot shows through, faintly */
#define CAPTION_FADE 0.25      /* seconds of fade in after the start and out before the end */

/* 0 outside [start, end), rising to 1 over CAPTION_FADE after the start and
 * falling back before the end (smoothstep, so it neither pops nor drags). */
static double caption_alpha(const sk_caption *c, double t)
{
    if (!(t >= c->start && t < c->end))
        return 0.0;
    double x = fmin(t - c->start, c->end - t) / CAPTION_FADE;
    x = x < 1.0 ? x : 1.0;
    return x * x * (3.0 - 2.0 * x);
}

static void set_size(painter *p, PangoLayout *layout, double size)
{
    PangoFontDescription *font = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(font, sk_u(p, size) * PANGO_SCALE);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
}

/* Sets text wrapped to `width` pixels at the largest size from CAPTION_SIZE
 * down to CAPTION_MIN_SIZE that fits in CAPTION_LINES lines. */
static void fit_text(painter *p, PangoLayout *layout, const char *text, double width)
{
    pango_layout_set_text(layout, text, -1);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    /* WORD_CHAR: words, unless one is wider than the band by itself. */
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
    for (double size = CAPTION_SIZE;; size -= CAPTION_SHRINK) {
        set_size(p, layout, fmax(size, CAPTION_MIN_SIZE));
        if (size <= CAPTION_MIN_SIZE || pango_layout_get_line_count(layout) <= CAPTION_LINES)
            return;
    }
}

/* Draws one caption with its box's bottom at `bottom`; returns the box's
 * height in pixels. */
static double paint_caption(painter *p, PangoLayout *layout, const char *text, double bottom,
                            double alpha)
{
    const sk_rect *band = &p->layout->captions;
    double pad_x = sk_u(p, CAPTION_PAD_X), pad_y = sk_u(p, CAPTION_PAD_Y);
    fit_text(p, layout, text, band->w - 2 * (sk_u(p, CAPTION_INSET) + pad_x));
    PangoRectangle logical;
    pango_layout_get_pixel_extents(layout, NULL, &logical);
    sk_rect box = {band->x + (band->w - logical.width) / 2 - pad_x,
                   bottom - logical.height - 2 * pad_y, logical.width + 2 * pad_x,
                   logical.height + 2 * pad_y};
    sk_rounded_rect(p->cr, box, sk_u(p, CAPTION_CORNER));
    sk_set_color(p->cr, p->pal->halo, CAPTION_BOX_ALPHA * alpha);
    cairo_fill(p->cr);
    /* The logical rectangle is offset within the wrap width (centred lines). */
    cairo_move_to(p->cr, box.x + pad_x - logical.x, box.y + pad_y - logical.y);
    sk_set_color(p->cr, p->pal->text, alpha);
    pango_cairo_show_layout(p->cr, layout);
    return box.h;
}

/* A formula caption: the typeset TeX at the caption's size (smaller when it
 * would be wider than the band), on the same box as text. Returns the box's
 * height in pixels; 0 when the formula has no usable SVG. */
static double paint_formula_caption(painter *p, const sk_tex *tex, double bottom, double alpha)
{
    const sk_rect *band = &p->layout->captions;
    double w, ascent, descent;
    if (!sk_tex_size(tex, &w, &ascent, &descent))
        return 0.0;
    double pad_x = sk_u(p, CAPTION_PAD_X), pad_y = sk_u(p, CAPTION_PAD_Y);
    double room = band->w - 2 * (sk_u(p, CAPTION_INSET) + pad_x);
    double em = fmin(sk_u(p, CAPTION_SIZE), room / w);
    sk_rect box = {band->x + (band->w - w * em) / 2 - pad_x,
                   bottom - (ascent + descent) * em - 2 * pad_y, w * em + 2 * pad_x,
                   (ascent + descent) * em + 2 * pad_y};
    sk_rounded_rect(p->cr, box, sk_u(p, CAPTION_CORNER));
    sk_set_color(p->cr, p->pal->halo, CAPTION_BOX_ALPHA * alpha);
    cairo_fill(p->cr);
    /* The formula is opaque in its colour: fade it with a group. */
    cairo_push_group(p->cr);
    sk_draw_tex(p, tex, p->pal->text, box.x + pad_x, box.y + pad_y + ascent * em, em);
    cairo_pop_group_to_source(p->cr);
    cairo_paint_with_alpha(p->cr, alpha);
    return box.h;
}

/* Captions active together are stacked upwards from the band's bottom, in
 * the scene's order top to bottom, like subtitles: a newer line below.
 * Drawn bottom first, so while one slides up over a fading-in box below it,
 * it stays on top and readable. */
void sk_paint_captions(painter *p)
{
    double t = p->frame->state->time;
    const sk_rect *band = &p->layout->captions;
    double bottom = band->y + band->h - sk_u(p, CAPTION_LIFT);
    PangoLayout *layout = NULL;
    for (int i = p->scene->caption_count - 1; i >= 0; i--) {
        const sk_caption *c = &p->scene->captions[i];
        double alpha = caption_alpha(c, t), h;
        if (alpha <= 0.0)
            continue;
        if (c->tex.svg) {
            h = paint_formula_caption(p, &c->tex, bottom, alpha);
        } else {
            if (!c->text || !c->text[0])
                continue;
            if (!layout)
                layout = pango_cairo_create_layout(p->cr);
            h = paint_caption(p, layout, c->text, bottom, alpha);
        }
        /* The step up grows with the fade, so captions above slide up to
         * make room for a new one (and back down after it) instead of jumping. */
        bottom -= (h + sk_u(p, CAPTION_GAP)) * alpha;
    }
    if (layout)
        g_object_unref(layout);
}
