/* legend.c — the legend layer: a compact box in a corner of the plot that
 * says what the glyphs mean (key disc, query ring, link width, and the field
 * when it is drawn), in the corner it hides the fewest keys in unless the
 * scene names one. */
#include <math.h>
#include <stdlib.h>

#include "painter.h"

#define LEGEND_TEXT_SIZE 19.0    /* layout units */
#define LEGEND_PAD 14.0          /* inside the box */
#define LEGEND_ROW 32.0          /* one entry's height */
#define LEGEND_GLYPH 36.0        /* the glyph column's width */
#define LEGEND_GAP 10.0          /* between glyph and text */
#define LEGEND_INSET 14.0        /* between the plot's edge and the box */
#define LEGEND_CORNER 10.0       /* the box's rounded corners */
#define LEGEND_BOX_ALPHA 0.86    /* of the halo colour: readable over a bright field */
#define LEGEND_CAPTION_SAMPLES 8 /* points along the captions' band */
#define LEGEND_CAPTION_COST 64   /* each: a caption over the legend is worse than a hidden key */
#define LEGEND_ROUTE_SAMPLES 64  /* points of the query's route, each weighed as 1 */
#define LEGEND_ENTRIES_MAX 4
#define LEGEND_MIN_SCALE 0.6    /* smallest the legend is drawn at in a small plot */
#define LEGEND_SHRINK 0.9       /* each try at a smaller legend, when every corner hides a key */
#define LEGEND_KEY_COST 8       /* a key's disc or name hidden: as bad as this many route points */
#define LEGEND_LABEL_REACH 60.0 /* layout units: from a key's centre to the middle of its name */

/* The first corner in this order wins a tie: clear of the grid's numbers
 * (left and bottom edges) first. */
static const sk_corner corner_order[] = {SK_CORNER_TOP_RIGHT, SK_CORNER_TOP_LEFT,
                                         SK_CORNER_BOTTOM_RIGHT, SK_CORNER_BOTTOM_LEFT};

sk_rect sk_corner_box(sk_rect plot, sk_corner corner, double w, double h, double inset)
{
    bool right = corner == SK_CORNER_TOP_RIGHT || corner == SK_CORNER_BOTTOM_RIGHT;
    bool bottom = corner == SK_CORNER_BOTTOM_LEFT || corner == SK_CORNER_BOTTOM_RIGHT;
    return (sk_rect){right ? plot.x + plot.w - inset - w : plot.x + inset,
                     bottom ? plot.y + plot.h - inset - h : plot.y + inset, w, h};
}

static long points_in(sk_rect box, const sk_vec2 *points, int n)
{
    long count = 0;
    for (int i = 0; i < n; i++)
        count += points[i].x >= box.x && points[i].x <= box.x + box.w && points[i].y >= box.y &&
                 points[i].y <= box.y + box.h;
    return count;
}

long sk_legend_cost(sk_rect box, const sk_obstacles *groups, int n_groups)
{
    long cost = 0;
    for (int g = 0; g < n_groups; g++)
        cost += groups[g].cost * points_in(box, groups[g].points, groups[g].count);
    return cost;
}

sk_corner sk_legend_corner(sk_rect plot, double w, double h, double inset,
                           const sk_obstacles *groups, int n_groups)
{
    sk_corner best = corner_order[0];
    long best_cost = -1;
    for (size_t c = 0; c < sizeof corner_order / sizeof corner_order[0]; c++) {
        long cost =
            sk_legend_cost(sk_corner_box(plot, corner_order[c], w, h, inset), groups, n_groups);
        if (best_cost < 0 || cost < best_cost) {
            best = corner_order[c];
            best_cost = cost;
        }
    }
    return best;
}

/* Whether the frame draws captions that have text. */
static bool has_captions(const painter *p)
{
    bool listed = sk_scene_draws(p->scene, SK_LAYER_CAPTIONS);
    for (int i = 0; listed && i < p->scene->caption_count; i++)
        if (p->scene->captions[i].text && p->scene->captions[i].text[0])
            return true;
    return false;
}

/* What the legend should not hide, in pixels, seen through the scene's own
 * camera rather than the frame's (so that the legend does not jump corners
 * as an animated camera moves): each key twice (its disc, and the middle of
 * its name to the right), points along the captions' band (their boxes sit
 * centred at the plot's bottom, drawn over the legend), and the query's
 * route. points must hold 2 keys + LEGEND_CAPTION_SAMPLES +
 * LEGEND_ROUTE_SAMPLES; groups gets 3 and the plot's rectangle is returned. */
static sk_rect obstacles(painter *p, sk_vec2 *points, sk_obstacles *groups)
{
    const sk_scene *s = p->scene;
    sk_layout fixed;
    sk_layout_make(p->layout->width, p->layout->height, s, s->camera_center, s->camera_zoom,
                   &fixed);
    sk_vec2 *keys = points, *band = keys + 2 * s->key_count, *route = band + LEGEND_CAPTION_SAMPLES;
    for (int i = 0; i < s->key_count; i++) {
        keys[2 * i] = sk_layout_to_px(&fixed, s->keys[i].at);
        keys[2 * i + 1] = (sk_vec2){keys[2 * i].x + sk_u(p, LEGEND_LABEL_REACH), keys[2 * i].y};
    }
    const sk_rect *c = &fixed.captions;
    for (int i = 0; i < LEGEND_CAPTION_SAMPLES; i++)
        band[i] = (sk_vec2){c->x + c->w * (i + 0.5) / LEGEND_CAPTION_SAMPLES, c->y + c->h / 2};
    for (int i = 0; i < LEGEND_ROUTE_SAMPLES; i++)
        route[i] = sk_layout_to_px(
            &fixed, sk_timeline_path_point(p->timeline, (double)i / (LEGEND_ROUTE_SAMPLES - 1)));
    groups[0] = (sk_obstacles){keys, 2 * s->key_count, LEGEND_KEY_COST};
    groups[1] =
        (sk_obstacles){band, has_captions(p) ? LEGEND_CAPTION_SAMPLES : 0, LEGEND_CAPTION_COST};
    groups[2] = (sk_obstacles){route, LEGEND_ROUTE_SAMPLES, 1};
    return fixed.plot;
}

/* The corner for a w x h box at *scale. When every corner would hide a key
 * or a caption, the box is tried smaller, down to min_scale; *scale gets
 * the scale chosen. */
static sk_corner auto_corner(painter *p, double w, double h, double *scale, double min_scale)
{
    int n = 2 * p->scene->key_count + LEGEND_CAPTION_SAMPLES + LEGEND_ROUTE_SAMPLES;
    sk_vec2 *points = malloc((size_t)n * sizeof *points);
    if (!points) /* drawing goes on: any corner is better than no frame */
        return corner_order[0];
    sk_obstacles groups[3];
    sk_rect plot = obstacles(p, points, groups);
    double inset = sk_u(p, LEGEND_INSET), k = *scale;
    sk_corner c;
    for (;; k *= LEGEND_SHRINK) {
        c = sk_legend_corner(plot, w * k, h * k, inset, groups, 3);
        /* The route alone (groups[2]) is not worth a smaller legend. */
        if (sk_legend_cost(sk_corner_box(plot, c, w * k, h * k, inset), groups, 2) == 0 ||
            k * LEGEND_SHRINK < min_scale)
            break;
    }
    free(points);
    *scale = k;
    return c;
}

typedef void (*glyph_painter)(painter *p, double cx, double cy);

typedef struct entry {
    glyph_painter glyph;
    const char *text;
} entry;

static void key_glyph(painter *p, double cx, double cy)
{
    cairo_new_sub_path(p->cr);
    cairo_arc(p->cr, cx, cy, sk_u(p, 9), 0, 2 * M_PI);
    sk_set_color(p->cr, sk_key_colour(p, 0), 1.0);
    cairo_fill_preserve(p->cr);
    cairo_set_line_width(p->cr, sk_u(p, 2));
    sk_set_color(p->cr, p->pal->halo, 0.9);
    cairo_stroke(p->cr);
}

static void query_glyph(painter *p, double cx, double cy)
{
    cairo_new_sub_path(p->cr);
    cairo_arc(p->cr, cx, cy, sk_u(p, 10), 0, 2 * M_PI);
    sk_set_color(p->cr, p->frame->has_output ? sk_output_colour(p) : p->pal->halo, 1.0);
    cairo_fill_preserve(p->cr);
    cairo_set_line_width(p->cr, sk_u(p, 3));
    sk_set_color(p->cr, p->pal->line, 0.95);
    cairo_stroke(p->cr);
}

/* A thin and a thick line from one point: the lighter and the heavier key. */
static void link_glyph(painter *p, double cx, double cy)
{
    double half = sk_u(p, LEGEND_GLYPH) / 2 - sk_u(p, 4);
    cairo_set_line_cap(p->cr, CAIRO_LINE_CAP_ROUND);
    cairo_move_to(p->cr, cx - half, cy - sk_u(p, 8));
    cairo_line_to(p->cr, cx + half, cy - sk_u(p, 8));
    cairo_set_line_width(p->cr, sk_u(p, 1.5));
    sk_set_color(p->cr, p->pal->text, 0.5);
    cairo_stroke(p->cr);
    cairo_move_to(p->cr, cx - half, cy + sk_u(p, 5));
    cairo_line_to(p->cr, cx + half, cy + sk_u(p, 5));
    cairo_set_line_width(p->cr, sk_u(p, 7));
    sk_set_color(p->cr, p->pal->text, 0.9);
    cairo_stroke(p->cr);
}

/* A square shading from the first key's colour to the last's. */
static void field_glyph(painter *p, double cx, double cy)
{
    double half = sk_u(p, 11);
    sk_rgb a = sk_key_colour(p, 0), b = sk_key_colour(p, p->scene->key_count - 1);
    cairo_pattern_t *ramp = cairo_pattern_create_linear(cx - half, cy, cx + half, cy);
    cairo_pattern_add_color_stop_rgb(ramp, 0, a.r, a.g, a.b);
    cairo_pattern_add_color_stop_rgb(ramp, 1, b.r, b.g, b.b);
    cairo_rectangle(p->cr, cx - half, cy - half, 2 * half, 2 * half);
    cairo_set_source(p->cr, ramp);
    cairo_fill(p->cr);
    cairo_pattern_destroy(ramp);
}

/* Whether the field layer shows in this frame. */
static bool field_shown(const painter *p)
{
    return sk_scene_draws(p->scene, SK_LAYER_FIELD) &&
           p->frame->state->opacity[SK_LAYER_FIELD] > 0.0;
}

static int legend_entries(const painter *p, entry *out)
{
    int n = 0;
    out[n++] = (entry){key_glyph, "key: its value's colour"};
    out[n++] = (entry){query_glyph, "query: filled with the blend"};
    out[n++] = (entry){link_glyph, "link: wider = more weight"};
    if (field_shown(p))
        out[n++] = (entry){field_glyph, "field: the blend at each point"};
    return n;
}

/* The box, at its natural size, with its top left corner at (0, 0). */
static void paint_box(painter *p, const entry *entries, int n, double w, double h,
                      const text_style *s)
{
    double pad = sk_u(p, LEGEND_PAD), row = sk_u(p, LEGEND_ROW);
    sk_rounded_rect(p->cr, (sk_rect){0, 0, w, h}, sk_u(p, LEGEND_CORNER));
    sk_set_color(p->cr, p->pal->halo, LEGEND_BOX_ALPHA);
    cairo_fill_preserve(p->cr);
    sk_set_color(p->cr, p->pal->line, 0.18);
    cairo_set_line_width(p->cr, fmax(1.0, sk_u(p, 1.5)));
    cairo_stroke(p->cr);
    for (int i = 0; i < n; i++) {
        double cy = pad + row * (i + 0.5);
        entries[i].glyph(p, pad + sk_u(p, LEGEND_GLYPH) / 2, cy);
        sk_draw_text(p, entries[i].text, pad + sk_u(p, LEGEND_GLYPH + LEGEND_GAP), cy, s);
    }
}

/* A legend too large for the plot (a tiny frame, a wide view) is drawn
 * smaller, down to LEGEND_MIN_SCALE; below that it would hide the plot and
 * not be read, so it is left out. */
void sk_paint_legend(painter *p)
{
    entry entries[LEGEND_ENTRIES_MAX];
    int n = legend_entries(p, entries);
    text_style s = {.size = sk_legible(p, LEGEND_TEXT_SIZE), .color = p->pal->text, .align_y = 0.5};
    double text_w = 0.0, w, h;
    for (int i = 0; i < n; i++) {
        sk_measure_text(p, entries[i].text, &s, &w, &h);
        text_w = fmax(text_w, w);
    }
    double pad = sk_u(p, LEGEND_PAD), inset = sk_u(p, LEGEND_INSET);
    double box_w = 2 * pad + sk_u(p, LEGEND_GLYPH + LEGEND_GAP) + text_w;
    double box_h = 2 * pad + n * sk_u(p, LEGEND_ROW);
    const sk_rect *plot = &p->layout->plot;
    double scale = fmin(1.0, fmin((plot->w - 2 * inset) / box_w, (plot->h - 2 * inset) / box_h));
    if (scale < LEGEND_MIN_SCALE)
        return;
    /* Smaller to keep clear of the keys, but not below SK_MIN_TEXT_PX. */
    double min_scale = fmax(LEGEND_MIN_SCALE, SK_MIN_TEXT_PX / sk_u(p, s.size));
    sk_corner corner = p->scene->legend_corner;
    if (corner == SK_CORNER_AUTO && scale > min_scale)
        corner = auto_corner(p, box_w, box_h, &scale, min_scale);
    else if (corner == SK_CORNER_AUTO)
        corner = auto_corner(p, box_w, box_h, &scale, scale);
    sk_rect box = sk_corner_box(*plot, corner, box_w * scale, box_h * scale, inset);
    cairo_save(p->cr);
    cairo_translate(p->cr, box.x, box.y);
    cairo_scale(p->cr, scale, scale);
    paint_box(p, entries, n, box_w, box_h, &s);
    cairo_restore(p->cr);
}
