/* key_labels.c — where each key's name goes on the plane.
 *
 * A name goes to the first of eight places around its disc (right, left,
 * above, below, then the corners) that lies inside the plot and meets no
 * disc and no name placed before it, keys taken in the scene's order; with
 * no such place it is left out (the plot stays legible with many keys). The
 * placement depends only on where the keys fall in pixels, not on time, so
 * names stay put while the camera stands still; it is kept on the cairo_t
 * and computed again only when the layout changes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "painter.h"

#define NAME_GAP 8.0 /* layout units between a disc's edge and its name */
#define DISC_PAD 3.0 /* around a disc, names keep this far */
#define PLACES 8

/* What decides the placement besides the scene's keys. */
typedef struct signature {
    const sk_scene *scene;
    double unit, scale, origin_x, origin_y;
    sk_rect plot;
} signature;

typedef struct placement {
    signature sig;
    int count;
    sk_key_label labels[]; /* count */
} placement;

static const cairo_user_data_key_t placement_key;

static signature signature_of(const painter *p)
{
    const sk_layout *l = p->layout;
    return (signature){p->scene, l->unit, l->scale, l->origin_x, l->origin_y, l->plot};
}

static bool same_signature(const signature *a, const signature *b)
{
    return a->scene == b->scene && a->unit == b->unit && a->scale == b->scale &&
           a->origin_x == b->origin_x && a->origin_y == b->origin_y && a->plot.x == b->plot.x &&
           a->plot.y == b->plot.y && a->plot.w == b->plot.w && a->plot.h == b->plot.h;
}

static bool inside(sk_rect box, sk_rect area)
{
    return box.x >= area.x && box.y >= area.y && box.x + box.w <= area.x + area.w &&
           box.y + box.h <= area.y + area.h;
}

/* Place i of the eight for a w x h name by a disc at k: the anchor and its
 * alignment, as sk_draw_text takes them. Below comes last when weights are
 * shown, since each key's weight sits there. */
static sk_key_label candidate(const painter *p, sk_vec2 k, double w, double h, int place)
{
    double r = sk_u(p, KEY_RADIUS), gap = sk_u(p, NAME_GAP), d = (r + gap) * M_SQRT1_2;
    static const double ax[PLACES] = {0, 1, 0.5, 0.5, 0, 0, 1, 1};
    static const double ay[PLACES] = {0.5, 0.5, 1, 0, 1, 0, 1, 0};
    const sk_vec2 at[PLACES] = {{k.x + r + gap, k.y},     {k.x - r - gap, k.y},
                                {k.x, k.y - r - gap / 2}, {k.x, k.y + r + gap / 2},
                                {k.x + d, k.y - d},       {k.x + d, k.y + d},
                                {k.x - d, k.y - d},       {k.x - d, k.y + d}};
    if (p->scene->weight_labels && place >= 3) /* below moves to the end */
        place = place == PLACES - 1 ? 3 : place + 1;
    sk_key_label l = {at[place], ax[place], ay[place], {0, 0, 0, 0}, true};
    l.box = (sk_rect){l.at.x - l.align_x * w, l.at.y - l.align_y * h, w, h};
    return l;
}

/* How much of box the discs and the names placed so far cover (their
 * overlapping areas summed), and with all_names also the places kept for
 * names without one; infinite when box leaves the plot. */
static double covered(const painter *p, sk_rect box, const sk_key_label *placed, int n,
                      bool all_names)
{
    if (!inside(box, p->layout->plot))
        return INFINITY;
    double total = 0.0, reach = sk_u(p, KEY_RADIUS + DISC_PAD);
    for (int i = 0; i < p->scene->key_count; i++) {
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        total += sk_rect_overlap(box, (sk_rect){k.x - reach, k.y - reach, 2 * reach, 2 * reach});
    }
    for (int i = 0; i < n; i++)
        if (placed[i].placed || all_names)
            total += sk_rect_overlap(box, placed[i].box);
    return total;
}

/* Each name at its first free place; a name without one keeps the place
 * where it would meet least (of discs and of every name so far, so that
 * heavy keys' names shown together do not pile up), for when its key is
 * heavy (placed false). */
static void place_all(painter *p, sk_key_label *labels)
{
    text_style s = {.size = LABEL_SIZE};
    for (int i = 0; i < p->scene->key_count; i++) {
        const char *name = p->scene->keys[i].label;
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        double w = 0, h = 0;
        if (name && name[0])
            sk_measure_text(p, name, &s, &w, &h);
        labels[i] = candidate(p, k, w, h, 0);
        labels[i].placed = false;
        double least = INFINITY;
        for (int place = 0; place < PLACES && w > 0; place++) {
            sk_key_label c = candidate(p, k, w, h, place);
            if (covered(p, c.box, labels, i, false) == 0.0) {
                labels[i] = c;
                break;
            }
            double cover = covered(p, c.box, labels, i, true);
            if (cover < least) {
                least = cover;
                labels[i] = c;
                labels[i].placed = false;
            }
        }
    }
}

const sk_key_label *sk_key_labels(painter *p)
{
    signature sig = signature_of(p);
    placement *cached = cairo_get_user_data(p->cr, &placement_key);
    if (cached && cached->count == p->scene->key_count && same_signature(&cached->sig, &sig))
        return cached->labels;
    size_t n = (size_t)p->scene->key_count;
    placement *fresh = malloc(sizeof *fresh + n * sizeof fresh->labels[0]);
    if (!fresh)
        return NULL;
    fresh->sig = sig;
    fresh->count = p->scene->key_count;
    place_all(p, fresh->labels);
    if (cairo_set_user_data(p->cr, &placement_key, fresh, free) != CAIRO_STATUS_SUCCESS) {
        free(fresh);
        return NULL;
    }
    return fresh->labels; /* the previous placement was freed by cairo */
}
