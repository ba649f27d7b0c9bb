/* sprite.c — see sprite.h. */
#include "sprite.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A frame of the benchmark scene paints about 40 sprites (grid numbers, key
 * labels, formulas); a moving label adds a new one every frame, which the
 * least recently used rule pushes out again. */
#define SPRITE_SLOTS 128
#define KEY_BYTES 512
/* Largest sprite side in pixels; bigger things are drawn directly. */
#define SPRITE_MAX_SIDE 2048
#define SUBPIXEL_STEPS 4 /* anchors move in quarter pixels: 1/8 px off at most */

typedef struct sprite {
    char *key; /* NULL: a free slot */
    cairo_surface_t *surface;
    int left, top; /* its top-left corner, whole pixels from the anchor's pixel */
    uint64_t used; /* the cache's clock when last painted */
} sprite;

typedef struct sprite_cache {
    sprite slots[SPRITE_SLOTS];
    uint64_t clock;
} sprite_cache;

static const cairo_user_data_key_t cache_key;

static void cache_free(void *data)
{
    sprite_cache *c = data;
    for (int i = 0; i < SPRITE_SLOTS; i++) {
        free(c->slots[i].key);
        if (c->slots[i].surface)
            cairo_surface_destroy(c->slots[i].surface);
    }
    free(c);
}

static sprite_cache *cache_of(cairo_t *cr)
{
    sprite_cache *c = cairo_get_user_data(cr, &cache_key);
    if (c)
        return c;
    c = calloc(1, sizeof *c);
    if (c && cairo_set_user_data(cr, &cache_key, c, cache_free) != CAIRO_STATUS_SUCCESS) {
        free(c);
        c = NULL;
    }
    return c;
}

/* Whether user space is the pixel grid moved by whole pixels, on an image
 * surface: then a bitmap painted at a whole-pixel offset lands exactly. */
static bool pixel_aligned(cairo_t *cr)
{
    if (cairo_surface_get_type(cairo_get_group_target(cr)) != CAIRO_SURFACE_TYPE_IMAGE)
        return false;
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    return m.xx == 1.0 && m.yy == 1.0 && m.xy == 0.0 && m.yx == 0.0 && m.x0 == floor(m.x0) &&
           m.y0 == floor(m.y0);
}

static sprite *find(sprite_cache *c, const char *key)
{
    for (int i = 0; i < SPRITE_SLOTS; i++)
        if (c->slots[i].key && strcmp(c->slots[i].key, key) == 0)
            return &c->slots[i];
    return NULL;
}

/* A free slot, or the least recently used one emptied. */
static sprite *claim(sprite_cache *c)
{
    sprite *oldest = &c->slots[0];
    for (int i = 0; i < SPRITE_SLOTS; i++) {
        if (!c->slots[i].key)
            return &c->slots[i];
        if (c->slots[i].used < oldest->used)
            oldest = &c->slots[i];
    }
    free(oldest->key);
    cairo_surface_destroy(oldest->surface);
    *oldest = (sprite){0};
    return oldest;
}

/* Draws the thing into a new transparent surface whose pixel grid is the
 * frame's: the anchor sits at the same fraction of a pixel (fx, fy). */
static cairo_surface_t *render(cairo_t *target, sk_rect ink, double fx, double fy, int *left,
                               int *top, sk_sprite_draw_fn draw, void *ctx)
{
    *left = (int)floor(ink.x) - 1; /* a pixel of room for antialiasing */
    *top = (int)floor(ink.y) - 1;
    int w = (int)ceil(ink.x + ink.w + fx) + 2 - *left;
    int h = (int)ceil(ink.y + ink.h + fy) + 2 - *top;
    if (w <= 0 || h <= 0 || w > SPRITE_MAX_SIDE || h > SPRITE_MAX_SIDE)
        return NULL;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    cairo_t *cr = cairo_create(surface);
    /* The frame's font options (pinned in draw.c), so glyphs come out alike. */
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_get_font_options(target, options);
    cairo_set_font_options(cr, options);
    cairo_font_options_destroy(options);
    draw(cr, fx - *left, fy - *top, ctx);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    if (status != CAIRO_STATUS_SUCCESS || cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return NULL;
    }
    return surface;
}

void sk_sprite_paint(cairo_t *cr, const char *key, double x, double y, sk_rect ink,
                     sk_sprite_draw_fn draw, void *ctx)
{
    sprite_cache *c = pixel_aligned(cr) ? cache_of(cr) : NULL;
    /* The anchor to the nearest SUBPIXEL_STEPS-th of a pixel: a label that
     * moves is drawn afresh only in one of a few phases, not every frame. */
    x = round(x * SUBPIXEL_STEPS) / SUBPIXEL_STEPS;
    y = round(y * SUBPIXEL_STEPS) / SUBPIXEL_STEPS;
    double ix = floor(x), iy = floor(y);
    char full[KEY_BYTES];
    int n = snprintf(full, sizeof full, "%s@%a,%a", key, x - ix, y - iy);
    if (!c || n < 0 || (size_t)n >= sizeof full) {
        draw(cr, x, y, ctx);
        return;
    }
    sprite *s = find(c, full);
    if (!s) {
        int left, top;
        cairo_surface_t *surface = render(cr, ink, x - ix, y - iy, &left, &top, draw, ctx);
        char *copy = surface ? strdup(full) : NULL;
        if (!copy) {
            if (surface)
                cairo_surface_destroy(surface);
            draw(cr, x, y, ctx);
            return;
        }
        s = claim(c);
        *s = (sprite){copy, surface, left, top, 0};
    }
    s->used = ++c->clock;
    cairo_save(cr);
    cairo_set_source_surface(cr, s->surface, ix + s->left, iy + s->top);
    cairo_paint(cr);
    cairo_restore(cr);
}
