/* sprite.h — private to draw/: bitmaps of things drawn again and again.
 *
 * Some ink is costly to draw and the same every frame: a label's halo is a
 * stroke of every glyph's outline, a formula is an SVG document. When the
 * target is an image surface and the user space is the device's pixel grid
 * shifted by whole pixels, sk_sprite_paint draws such a thing once into a
 * small transparent surface, at the same fraction of a pixel as it would
 * fall on the frame, and from then on paints that surface. The result is a
 * pure function of the key and the drawing, hit or miss, so frames do not
 * depend on what was drawn before or on which thread. (It can differ from
 * drawing straight onto the frame by a rounding step of 8-bit compositing.)
 * Elsewhere (SVG and PDF stills, a scaled context) it just draws.
 *
 * The cache hangs off the cairo_t (user data) and dies with it; a context
 * is used by one thread at a time, so it needs no lock.
 */
#ifndef SK_DRAW_SPRITE_H
#define SK_DRAW_SPRITE_H

#include <cairo.h>

#include "draw.h"

/* Draws the thing with its anchor at (x, y) of cr's user space. */
typedef void (*sk_sprite_draw_fn)(cairo_t *cr, double x, double y, void *ctx);

/* Paints what draw(cr, x, y, ctx) would, through the cache when it can.
 * key names everything that decides the pixels besides the anchor's
 * fraction of a pixel (text, font, size, colours); ink is a box, relative to
 * the anchor, that holds all the ink. */
void sk_sprite_paint(cairo_t *cr, const char *key, double x, double y, sk_rect ink,
                     sk_sprite_draw_fn draw, void *ctx);

#endif
