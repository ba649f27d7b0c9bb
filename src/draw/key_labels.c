/* key_labels.c — where each key's name goes on the plane.
 *
 * A name goes to the first of eight places around its disc (right, left,
 * above, below, then the corners) that lies inside the plot and meets no
 * disc and no name placed before it, keys taken in the scene's order; with
 * no such place it is left out (the plot stays legible with many keys). The
 * placement depends only on where the keys fall in pixels, not on time, so
 * names stay put while the camera stands still; it is kept on the cairo_t
 * and computed again only when the layout changes.
 *
 * The query's ring, drawn over the keys, would hide the names it passes
 * over, and the name it hides most is the one that matters then: the key
 * the query sits on. So a name the ring meets moves off it, round its disc
 * or else round the ring itself; the other names keep their places. Where
 * to, the render plans over the whole timeline (sk_key_name_covers gives
 * the costs), so that a name moves once as the ring comes and once as it
 * leaves, rather than to whatever place is free this very frame; a frame
 * without a plan takes the first free place. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "painter.h"

#define NAME_GAP 8.0 /* layout units between a disc's edge and its name */
#define DISC_PAD 3.0 /* around a disc, names keep this far */
#define PLACES 8
#define RING_PAD 3.0     /* names keep this far beyond the ring's halo */
#define RING_WEIGHT 10.0 /* the ring over part of a name costs ten times that part */
#define AWAY_SHARE 0.05  /* a name away from its place costs 5 % of its box a frame, */
#define FAR_WEIGHT 1.0   /* and that again for each of its heights further from its disc */

/* What decides the placement besides the scene's keys. */
typedef struct signature {
    const sk_scene *scene;
    double unit, scale, origin_x, origin_y;
    sk_rect plot;
} signature;

/* The query's ring as names avoid it: a disc of radius reach round at. */
typedef struct ring {
    sk_vec2 at;
    double reach; /* 0: no ring */
} ring;

typedef struct placement {
    signature sig;
    int count;
    ring ring;                     /* the one labels[count..] avoid */
    const sk_label_places *places; /* and the plan they followed */
    sk_rect *discs;                /* count, with the room names keep (after labels) */
    sk_key_label labels[];         /* count as placed, then count clear of the ring */
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

/* Place i of the eight for a w x h name by a disc of radius r (pixels) at
 * k: the anchor and its alignment, as sk_draw_text takes them. Below comes
 * last when weights are shown, since each key's weight sits there. */
static sk_key_label candidate(const painter *p, sk_vec2 k, double r, double w, double h, int place)
{
    double gap = sk_u(p, NAME_GAP), d = (r + gap) * M_SQRT1_2;
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

/* How much of box the discs and names[0..n) but names[skip] cover (their
 * overlapping areas summed), and with all_names also the places kept for
 * names without one; infinite when box leaves the plot. */
static double covered(const painter *p, const sk_rect *discs, sk_rect box,
                      const sk_key_label *names, int n, int skip, bool all_names)
{
    if (!inside(box, p->layout->plot))
        return INFINITY;
    double total = 0.0;
    for (int i = 0; i < p->scene->key_count; i++)
        total += sk_rect_overlap(box, discs[i]);
    for (int i = 0; i < n; i++)
        if (i != skip && (names[i].placed || all_names))
            total += sk_rect_overlap(box, names[i].box);
    return total;
}

/* The keys' discs with the room names keep from them, pixels. */
static void find_discs(const painter *p, sk_rect *discs)
{
    double reach = sk_u(p, KEY_RADIUS + DISC_PAD);
    for (int i = 0; i < p->scene->key_count; i++) {
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        discs[i] = (sk_rect){k.x - reach, k.y - reach, 2 * reach, 2 * reach};
    }
}

/* Each name at its first free place; a name without one keeps the place
 * where it would meet least (of discs and of every name so far, so that
 * heavy keys' names shown together do not pile up), for when its key is
 * heavy (placed false). */
static void place_all(painter *p, const sk_rect *discs, sk_key_label *labels)
{
    text_style s = {.size = LABEL_SIZE};
    for (int i = 0; i < p->scene->key_count; i++) {
        const char *name = p->scene->keys[i].label;
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        double w = 0, h = 0;
        if (name && name[0])
            sk_measure_text(p, name, &s, &w, &h);
        double r = sk_u(p, KEY_RADIUS);
        labels[i] = candidate(p, k, r, w, h, 0);
        labels[i].placed = false;
        double least = INFINITY;
        for (int place = 0; place < PLACES && w > 0; place++) {
            sk_key_label c = candidate(p, k, r, w, h, place);
            if (covered(p, discs, c.box, labels, i, -1, false) == 0.0) {
                labels[i] = c;
                break;
            }
            double cover = covered(p, discs, c.box, labels, i, -1, true);
            if (cover < least) {
                least = cover;
                labels[i] = c;
                labels[i].placed = false;
            }
        }
    }
}

/* The frame's query ring, when the query layer shows one over the keys. */
static ring ring_of(const painter *p)
{
    if (!p->frame || !sk_scene_draws(p->scene, SK_LAYER_QUERY) ||
        !(p->frame->state->opacity[SK_LAYER_QUERY] > 0.0))
        return (ring){{0, 0}, 0.0};
    double reach = QUERY_RADIUS + (QUERY_RING + 4) / 2 + RING_PAD;
    return (ring){sk_layout_to_px(p->layout, p->frame->state->query), sk_u(p, reach)};
}

static bool meets_ring(ring g, sk_rect box)
{
    double dx = g.at.x - sk_max(box.x, sk_min(g.at.x, box.x + box.w));
    double dy = g.at.y - sk_max(box.y, sk_min(g.at.y, box.y + box.h));
    return dx * dx + dy * dy < g.reach * g.reach;
}

/* How much of box the ring covers, as the square round it: for ranking
 * places that all meet something. */
static double ring_cover(ring g, sk_rect box)
{
    sk_rect square = {g.at.x - g.reach, g.at.y - g.reach, 2 * g.reach, 2 * g.reach};
    return meets_ring(g, box) ? sk_rect_overlap(box, square) : 0.0;
}

/* Whether name i is drawn at all: it has a place, or its key is heavy. */
static bool shows(const painter *p, const sk_key_label *names, int i)
{
    return names[i].box.w > 0 && (names[i].placed || sk_key_heavy(p, i));
}

/* Place `place` (1 .. SK_KEY_NAME_PLACES - 1) off the ring for key i's
 * w x h name: round its disc, then round the ring. */
static sk_key_label off_place(const painter *p, ring g, int i, double w, double h, int place)
{
    int round_ring = (place - 1) / PLACES;
    sk_vec2 centre = round_ring ? g.at : sk_layout_to_px(p->layout, p->scene->keys[i].at);
    double radius = round_ring ? g.reach : sk_u(p, KEY_RADIUS);
    return candidate(p, centre, radius, w, h, (place - 1) % PLACES);
}

/* The planned place for name i, when it is free of the discs and of the
 * names so far (out): another name moved there first would be hidden. */
static bool take_planned(painter *p, const sk_rect *discs, ring g, sk_key_label *out, int i,
                         int place)
{
    if (place == 0)
        return true; /* its own place: kept while the ring only grazes it */
    sk_key_label c = off_place(p, g, i, out[i].box.w, out[i].box.h, place);
    if (covered(p, discs, c.box, out, p->scene->key_count, i, false) != 0.0)
        return false;
    c.placed = out[i].placed || !meets_ring(g, c.box);
    out[i] = c;
    return true;
}

/* The placement with every shown name the ring meets moved: to the first
 * place round its disc, then round the ring, that is free of the ring too;
 * with none, to the one that meets least, not placed (so drawn only if its
 * key is heavy). A name with no place before stays without one, unless its
 * key is heavy (drawn anyway): light names in a crowd do not pop up round
 * the ring as it passes. */
static void clear_of_ring(painter *p, const sk_key_label *placed, const sk_rect *discs, ring g,
                          sk_key_label *out)
{
    int n = p->scene->key_count;
    const unsigned char *plan = p->frame->places ? p->frame->places->names : NULL;
    memcpy(out, placed, (size_t)n * sizeof *out);
    for (int i = 0; i < n; i++) {
        double w = out[i].box.w, h = out[i].box.h;
        if (!shows(p, out, i) || (plan && take_planned(p, discs, g, out, i, plan[i])) ||
            !meets_ring(g, out[i].box))
            continue;
        const sk_vec2 centre[2] = {sk_layout_to_px(p->layout, p->scene->keys[i].at), g.at};
        const double radius[2] = {sk_u(p, KEY_RADIUS), g.reach};
        double least = INFINITY;
        sk_key_label best = out[i];
        for (int place = 0; place < 2 * PLACES; place++) {
            sk_key_label c =
                candidate(p, centre[place / PLACES], radius[place / PLACES], w, h, place % PLACES);
            double on_ring = ring_cover(g, c.box);
            if (!meets_ring(g, c.box) && covered(p, discs, c.box, out, n, i, false) == 0.0) {
                best = c;
                least = 0.0;
                break;
            }
            double cover = on_ring + covered(p, discs, c.box, out, n, i, true);
            if (cover < least) {
                least = cover;
                best = c;
                best.placed = false;
            }
        }
        out[i] = best;
    }
}

/* The placement without the ring, kept on p->cr while the layout stays. */
static placement *placement_of(painter *p)
{
    signature sig = signature_of(p);
    placement *cached = cairo_get_user_data(p->cr, &placement_key);
    if (!cached || cached->count != p->scene->key_count || !same_signature(&cached->sig, &sig)) {
        size_t n = (size_t)p->scene->key_count;
        placement *fresh =
            malloc(sizeof *fresh + 2 * n * sizeof fresh->labels[0] + n * sizeof *fresh->discs);
        if (!fresh)
            return NULL;
        fresh->sig = sig;
        fresh->count = p->scene->key_count;
        fresh->ring = (ring){{NAN, NAN}, -1.0}; /* none computed yet */
        fresh->places = NULL;
        fresh->discs = (sk_rect *)(fresh->labels + 2 * n);
        find_discs(p, fresh->discs);
        place_all(p, fresh->discs, fresh->labels);
        if (cairo_set_user_data(p->cr, &placement_key, fresh, free) != CAIRO_STATUS_SUCCESS) {
            free(fresh);
            return NULL;
        }
        cached = fresh; /* the previous placement was freed by cairo */
    }
    return cached;
}

const sk_key_label *sk_key_labels(painter *p)
{
    placement *cached = placement_of(p);
    ring g = ring_of(p);
    if (!cached || g.reach == 0.0)
        return cached ? cached->labels : NULL;
    sk_key_label *shown = cached->labels + cached->count;
    if (cached->ring.at.x != g.at.x || cached->ring.at.y != g.at.y ||
        cached->ring.reach != g.reach || cached->places != p->frame->places) {
        clear_of_ring(p, cached->labels, cached->discs, g, shown);
        cached->ring = g;
        cached->places = p->frame->places;
    }
    return shown;
}

/* What it costs a frame for key i's name to be at box rather than at its
 * own place: more the further it is from its disc (beyond the gap a name
 * keeps), so that a name beside the ring is still seen to be the key's. */
static double away_cost(const painter *p, int i, sk_rect box)
{
    sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
    double dx = k.x - sk_max(box.x, sk_min(k.x, box.x + box.w));
    double dy = k.y - sk_max(box.y, sk_min(k.y, box.y + box.h));
    double beyond = sqrt(dx * dx + dy * dy) - sk_u(p, KEY_RADIUS + NAME_GAP);
    return AWAY_SHARE * box.w * box.h * (1.0 + FAR_WEIGHT * sk_max(beyond, 0.0) / box.h);
}

/* Whether the ring comes near enough to key i for any of its w x h name's
 * places round the disc to meet it. */
static bool ring_near(const painter *p, ring g, int i, double w, double h)
{
    sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
    double reach = g.reach + sk_u(p, KEY_RADIUS + NAME_GAP) + w + h;
    double dx = k.x - g.at.x, dy = k.y - g.at.y;
    return dx * dx + dy * dy < reach * reach;
}

void sk_key_name_covers(painter *p, const bool *which, bool *meets, double *area, double *cost)
{
    int n = p->scene->key_count;
    placement *cached = placement_of(p);
    const sk_key_label *own = cached ? cached->labels : NULL;
    ring g = ring_of(p);
    for (int i = 0; i < n; i++) {
        double *c = which && which[i] ? cost + (size_t)i * SK_KEY_NAME_PLACES : NULL;
        meets[i] = false;
        area[i] = 0.0;
        if (c)
            memset(c, 0, SK_KEY_NAME_PLACES * sizeof *c);
        if (!own || g.reach == 0.0 || !shows(p, own, i))
            continue;
        double w = own[i].box.w, h = own[i].box.h;
        meets[i] = meets_ring(g, own[i].box);
        area[i] = w * h;
        if (!c)
            continue;
        c[0] = RING_WEIGHT * ring_cover(g, own[i].box);
        if (!ring_near(p, g, i, w, h)) {
            /* Home is free, and a name that was away goes back round its
             * disc, not round a ring far off: no need to weigh covers. */
            for (int place = 1; place < SK_KEY_NAME_PLACES; place++)
                c[place] = place <= PLACES ? AWAY_SHARE * w * h : SK_STEADY_BLOCKED;
            continue;
        }
        /* A place on a disc or a shown name is one the frame would refuse
         * (take_planned): blocked, so that the plan is what is drawn. */
        for (int place = 1; place < SK_KEY_NAME_PLACES; place++) {
            sk_key_label m = off_place(p, g, i, w, h, place);
            bool free = covered(p, cached->discs, m.box, own, n, i, false) == 0.0;
            c[place] = free ? away_cost(p, i, m.box) + RING_WEIGHT * ring_cover(g, m.box)
                            : SK_STEADY_BLOCKED;
        }
    }
}
