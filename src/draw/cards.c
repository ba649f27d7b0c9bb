/* cards.c — the cards layer: full-frame title cards (a title, and a smaller
 * line under it) over the scene's background, fading in and out, so that a
 * video can open on "Attention is soft k-NN" and dissolve into the plot. */
#include <math.h>

#include "painter.h"

#define CARD_FADE 0.6        /* seconds of fade in and out, at most a third of the card */
#define CARD_TITLE_SIZE 84.0 /* layout units */
#define CARD_SUBTITLE_SIZE 40.0
#define CARD_WIDTH 0.84     /* of the frame's width: where lines wrap */
#define CARD_RULE_GAP 34.0  /* layout units between the title, the rule and the subtitle */
#define CARD_RULE_WIDTH 3.0 /* layout units */
#define CARD_RULE_SHARE 0.2 /* the rule's length, of the wrap width */
#define CARD_RULE_ALPHA 0.5 /* of the muted colour */
#define CARD_HEIGHT 0.9     /* of the frame's height: the most the text may take */
#define CARD_FIT_STEPS 8    /* tries at smaller sizes (wrapping changes with the size) */
#define CARD_MIN_STEP 0.5   /* the most one try shrinks by */

/* A wrapped, centred paragraph at size (layout units) in layout. */
static void set_paragraph(painter *p, PangoLayout *layout, const char *text, double size, bool bold)
{
    PangoFontDescription *font = pango_font_description_from_string(FONT_FAMILY);
    pango_font_description_set_absolute_size(font, sk_u(p, size) * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_text(layout, text, -1);
    pango_layout_set_width(layout, (int)(p->layout->width * CARD_WIDTH * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
}

static void show_paragraph(painter *p, PangoLayout *layout, double top, sk_rgb colour, double alpha)
{
    PangoRectangle logical;
    pango_layout_get_pixel_extents(layout, NULL, &logical);
    double left = p->layout->width * (1.0 - CARD_WIDTH) / 2;
    cairo_move_to(p->cr, left, top - logical.y);
    sk_set_color(p->cr, colour, alpha);
    pango_cairo_show_layout(p->cr, layout);
}

static double paragraph_height(PangoLayout *layout)
{
    PangoRectangle logical;
    pango_layout_get_pixel_extents(layout, NULL, &logical);
    return logical.height;
}

/* The title and subtitle laid out at scale (1: their full sizes); returns
 * the block's height in pixels, the rule and its gaps included. */
static double set_card_text(painter *p, const sk_card *card, double scale, PangoLayout *title,
                            PangoLayout *sub)
{
    set_paragraph(p, title, card->title, CARD_TITLE_SIZE * scale, true);
    double height = paragraph_height(title);
    if (sub) {
        set_paragraph(p, sub, card->subtitle, CARD_SUBTITLE_SIZE * scale, false);
        height += 2 * sk_u(p, CARD_RULE_GAP * scale) + paragraph_height(sub);
    }
    return height;
}

/* The card over the whole frame at opacity alpha: the background hides the
 * scene, the title and subtitle centred as a block, a short rule between.
 * Text too long for the frame's height is set smaller until it fits. */
static void paint_card(painter *p, const sk_card *card, double alpha)
{
    cairo_t *cr = p->cr;
    sk_set_color(cr, p->scene->background, alpha);
    cairo_paint(cr);

    PangoLayout *title = pango_cairo_create_layout(cr), *sub = NULL;
    if (card->subtitle && card->subtitle[0])
        sub = pango_cairo_create_layout(cr);
    double room = p->layout->height * CARD_HEIGHT, scale = 1.0;
    double height = set_card_text(p, card, scale, title, sub);
    for (int i = 0; i < CARD_FIT_STEPS && height > room; i++) {
        scale *= fmax(CARD_MIN_STEP, room / height);
        height = set_card_text(p, card, scale, title, sub);
    }
    double top = (p->layout->height - height) / 2;
    show_paragraph(p, title, top, p->pal->text, alpha);
    if (sub) {
        double gap = sk_u(p, CARD_RULE_GAP * scale), y = top + paragraph_height(title) + gap,
               half = p->layout->width * CARD_WIDTH * CARD_RULE_SHARE / 2;
        cairo_move_to(cr, p->layout->width / 2.0 - half, y);
        cairo_line_to(cr, p->layout->width / 2.0 + half, y);
        cairo_set_line_width(cr, sk_u(p, CARD_RULE_WIDTH));
        sk_set_color(cr, p->pal->muted, CARD_RULE_ALPHA * alpha);
        cairo_stroke(cr);
        show_paragraph(p, sub, y + gap, p->pal->muted, alpha);
        g_object_unref(sub);
    }
    g_object_unref(title);
}

/* How visible card c is at time t. A card that starts the video is there
 * at once, and one that ends it stays to the last frame: no fade against
 * nothing. */
static double card_alpha(const sk_scene *s, const sk_card *c, double t)
{
    double fade = fmin(CARD_FADE, (c->end - c->start) / 3);
    return sk_fade(t, c->start, c->end, c->start > 0.0 ? fade : 0.0,
                   c->end < s->duration ? fade : 0.0);
}

bool sk_cards_cover(const sk_scene *scene, const sk_frame_state *state)
{
    if (state->opacity[SK_LAYER_CARDS] < 1.0 || scene->background_alpha < 1.0)
        return false;
    for (int i = 0; i < scene->card_count; i++)
        if (card_alpha(scene, &scene->cards[i], state->time) >= 1.0)
            return true;
    return false;
}

/* Every card shown at this time, in the scene's order (a later one on top). */
void sk_paint_cards(painter *p)
{
    double t = p->frame->state->time;
    for (int i = 0; i < p->scene->card_count; i++) {
        double alpha = card_alpha(p->scene, &p->scene->cards[i], t);
        if (alpha > 0.0)
            paint_card(p, &p->scene->cards[i], alpha);
    }
}
