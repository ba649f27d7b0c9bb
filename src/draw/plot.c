/* plot.c — the layers drawn on the scene's plane: grid, path, links, keys
 * and the query. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "painter.h"
#include "sprite.h"

#define KEY_OUTLINE 3.0
#define LINK_MIN_WIDTH 1.0
#define LINK_MAX_EXTRA 9.0
#define PATH_SAMPLES 256
#define GRID_LINES_ACROSS 12.0 /* about how many grid lines span the plot */
#define TICK_SIZE 17.0         /* the grid's numbers: small beside LABEL_SIZE */
#define TICK_GAP 6.0           /* between a number and its line and the plot's edge */
#define TICK_CORNER 40.0       /* no number on lines this near the corner the rows share */
#define TICK_ROOM 48.0         /* nor where a number would not fit before the far edge */
#define TRAIL_SECONDS 1.5      /* how far back the query's trail reaches */
#define TRAIL_SAMPLES 45       /* points along it at most: smooth at any fps, and cheap */
#define TRAIL_WIDTH 12.0       /* layout units at the query; thins to TRAIL_MIN_WIDTH */
#define TRAIL_MIN_WIDTH 1.0
#define TRAIL_ALPHA 0.6        /* at the query; fades to 0 at the far end */
#define WEIGHT_LABEL_SIZE 18.0 /* layout units: a little below LABEL_SIZE */
#define WEIGHT_LABEL_DROP 4.0  /* between the disc and its weight, layout units */
#define WEIGHT_LABELS_ALL 24   /* keys: up to this many, every key shows its weight */
#define WEIGHT_LABEL_MIN 0.01  /* beyond, only keys with at least this weight do */

/* Strokes cr's current path dashed (lengths in layout units), then solid again. */
static void stroke_dashed_on(cairo_t *cr, const painter *p, double on, double off, double width,
                             double alpha)
{
    double dash[] = {sk_u(p, on), sk_u(p, off)};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, sk_u(p, width));
    sk_set_color(cr, p->pal->line, alpha);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
}

static void stroke_dashed(painter *p, double on, double off, double width, double alpha)
{
    stroke_dashed_on(p->cr, p, on, off, width, alpha);
}

double sk_nice_step(double span, double lines)
{
    double raw = span / lines;
    double power = pow(10.0, floor(log10(raw)));
    double f = raw / power;
    return power * (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0);
}

/* The plot's extents in scene units. */
typedef struct plot_view {
    double x0, x1, y0, y1;
} plot_view;

static plot_view view_of(const sk_layout *l)
{
    return (plot_view){
        (l->plot.x - l->origin_x) / l->scale, (l->plot.x + l->plot.w - l->origin_x) / l->scale,
        (l->origin_y - l->plot.y - l->plot.h) / l->scale, (l->origin_y - l->plot.y) / l->scale};
}

void sk_tick_label(double value, double step, char *out, size_t size)
{
    int decimals = step >= 1.0 ? 0 : (int)ceil(-log10(step) - 1e-9);
    char digits[32];
    snprintf(digits, sizeof digits, "%.*f", decimals, fabs(value));
    bool negative = value < 0 && strspn(digits, "0.") != strlen(digits);
    snprintf(out, size, "%s%s", negative ? "−" : "", digits);
}

/* Numbers inside the plot, beside their line rather than on it (so neither
 * a grid line nor an axis runs through them): x along the bottom edge to the
 * right of each vertical line, y along the left edge above each horizontal
 * one. Lines too near the plot's corners or far edges get no number, so
 * that the two rows never meet and no number is cut off. */
static void paint_tick_label(painter *p, int axis, double value, double step, double at)
{
    const sk_rect *r = &p->layout->plot;
    double gap = sk_u(p, TICK_GAP);
    bool x_axis = axis == 0;
    double from_start = x_axis ? at - r->x : r->y + r->h - at;
    double to_end = x_axis ? r->x + r->w - at : at - r->y;
    if (from_start < sk_u(p, TICK_CORNER) || to_end < sk_u(p, TICK_ROOM))
        return;
    char label[32];
    sk_tick_label(value, step, label, sizeof label);
    text_style s = {
        .size = sk_legible(p, TICK_SIZE), .color = p->pal->muted, .align_y = 1.0, .halo = true};
    if (x_axis)
        sk_draw_text(p, label, at + gap, r->y + r->h - gap, &s);
    else
        sk_draw_text(p, label, r->x + gap, at - gap * 0.5, &s);
}

void sk_paint_grid(painter *p)
{
    cairo_t *cr = p->cr;
    const sk_layout *l = p->layout;
    plot_view v = view_of(l);
    double step = sk_nice_step(fmax(v.x1 - v.x0, v.y1 - v.y0), GRID_LINES_ACROSS);

    cairo_save(cr);
    cairo_rectangle(cr, l->plot.x, l->plot.y, l->plot.w, l->plot.h);
    cairo_clip(cr);
    for (int axis = 0; axis < 2; axis++) {
        double lo = axis ? v.y0 : v.x0, hi = axis ? v.y1 : v.x1;
        /* Whole multiples of the step, counted, so labels read 0.3 and not
         * 0.30000000000000004 and no line is lost to accumulated error. */
        for (double k = ceil(lo / step); k <= floor(hi / step); k++) {
            double value = k * step;
            sk_vec2 a = sk_layout_to_px(l, axis ? (sk_vec2){v.x0, value} : (sk_vec2){value, v.y0});
            sk_vec2 b = sk_layout_to_px(l, axis ? (sk_vec2){v.x1, value} : (sk_vec2){value, v.y1});
            cairo_move_to(cr, a.x, a.y);
            cairo_line_to(cr, b.x, b.y);
            cairo_set_line_width(cr, fmax(1.0, sk_u(p, 1.2))); /* a label's halo changed it */
            sk_set_color(cr, p->pal->line, k == 0 ? 0.24 : 0.08);
            cairo_stroke(cr);
            paint_tick_label(p, axis, value, step, axis ? a.y : a.x);
        }
    }
    cairo_restore(cr);
}

#define PATH_DASH 10.0 /* layout units on, and off */
#define PATH_WIDTH 2.0

/* The query's route in pixels. */
typedef struct route {
    const painter *p;
    sk_vec2 px[PATH_SAMPLES + 1];
} route;

/* The route dashed, moved so that its first point is at (x, y). */
static void draw_route(cairo_t *cr, double x, double y, void *ctx)
{
    const route *r = ctx;
    for (int i = 0; i <= PATH_SAMPLES; i++) {
        double px = r->px[i].x - r->px[0].x + x, py = r->px[i].y - r->px[0].y + y;
        if (i == 0)
            cairo_move_to(cr, px, py);
        else
            cairo_line_to(cr, px, py);
    }
    stroke_dashed_on(cr, r->p, PATH_DASH, PATH_DASH, PATH_WIDTH, 0.16);
}

/* Whether the camera is animated: then the route moves every frame, and a
 * bitmap of it would be made and thrown away every frame. */
static bool camera_moves(const sk_scene *scene)
{
    for (int i = 0; i < scene->animation_count; i++)
        if (scene->animations[i].target == SK_TARGET_CAMERA_CENTER ||
            scene->animations[i].target == SK_TARGET_CAMERA_ZOOM)
            return true;
    return false;
}

void sk_paint_path(painter *p)
{
    route r = {.p = p};
    sk_vec2 lo = {INFINITY, INFINITY}, hi = {-INFINITY, -INFINITY};
    for (int i = 0; i <= PATH_SAMPLES; i++) {
        r.px[i] = sk_layout_to_px(p->layout,
                                  sk_timeline_path_point(p->timeline, (double)i / PATH_SAMPLES));
        lo = (sk_vec2){fmin(lo.x, r.px[i].x), fmin(lo.y, r.px[i].y)};
        hi = (sk_vec2){fmax(hi.x, r.px[i].x), fmax(hi.y, r.px[i].y)};
    }
    /* The same dashed curve every frame while the camera stands still. The
     * timeline outlives every context that draws it, so its address names
     * the route for as long as a context's cache lives. */
    double reach = sk_u(p, PATH_WIDTH);
    sk_rect ink = {lo.x - r.px[0].x - reach, lo.y - r.px[0].y - reach, hi.x - lo.x + 2 * reach,
                   hi.y - lo.y + 2 * reach};
    const sk_layout *l = p->layout;
    char key[256]; /* a pointer and 7 doubles of at most 24 characters: always fits */
    snprintf(key, sizeof key, "route|%p|%a|%a|%a|%a|%a|%a|%a", (const void *)p->timeline, l->scale,
             l->origin_x, l->origin_y, l->unit, p->pal->line.r, p->pal->line.g, p->pal->line.b);
    if (camera_moves(p->scene))
        draw_route(p->cr, r.px[0].x, r.px[0].y, &r);
    else
        sk_sprite_paint(p->cr, key, r.px[0].x, r.px[0].y, ink, draw_route, &r);
}

/* Width and opacity grow with the weight, so the eye follows where the mass is. */
void sk_paint_links(painter *p)
{
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, p->frame->state->query);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int i = 0; i < p->scene->key_count; i++) {
        double w = p->frame->weights[i];
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        cairo_move_to(cr, q.x, q.y);
        cairo_line_to(cr, k.x, k.y);
        cairo_set_line_width(cr, sk_u(p, LINK_MIN_WIDTH + LINK_MAX_EXTRA * w));
        sk_set_color(cr, sk_key_colour(p, i), 0.10 + 0.85 * w);
        cairo_stroke(cr);
    }
}

/* What draw_key_disc needs besides the centre. */
typedef struct key_disc {
    double radius, outline; /* pixels */
    sk_rgb fill, halo;
} key_disc;

static void draw_key_disc(cairo_t *cr, double x, double y, void *ctx)
{
    const key_disc *d = ctx;
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, d->radius, 0, 2 * M_PI);
    sk_set_color(cr, d->fill, 1.0);
    cairo_fill_preserve(cr);
    cairo_set_line_width(cr, d->outline);
    sk_set_color(cr, d->halo, 0.9);
    cairo_stroke(cr);
}

/* Whether key i shows its weight (labels.weights): every key's in a small
 * scene; in a crowd only those that carry some, or the numbers would bury
 * the plot. */
static bool shows_weight(const painter *p, int i)
{
    return p->scene->weight_labels &&
           (p->scene->key_count <= WEIGHT_LABELS_ALL || p->frame->weights[i] >= WEIGHT_LABEL_MIN);
}

/* A key this heavy is named even where its name finds no free place: the
 * keys that matter most at the moment are never anonymous. At most
 * 1 / HEAVY_NAME keys are this heavy at once. */
#define HEAVY_NAME 0.2
#define HEAVY_MAX 5

bool sk_key_heavy(const painter *p, int i)
{
    return p->frame->has_output && p->frame->weights[i] >= HEAVY_NAME;
}

/* The heavy keys whose names found no free place (at most HEAVY_MAX). */
static int heavy_unplaced(const painter *p, const sk_key_label *names, int out[HEAVY_MAX])
{
    int n = 0;
    for (int i = 0; names && i < p->scene->key_count && n < HEAVY_MAX; i++) {
        const char *name = p->scene->keys[i].label;
        if (name && name[0] && !names[i].placed && sk_key_heavy(p, i))
            out[n++] = i;
    }
    return n;
}

/* Whether key i's placed name is drawn: not when a heavy key's name, drawn
 * where there was no free place, lands on it and i itself is light. */
static bool placed_name_shown(const painter *p, const sk_key_label *names, int i, const int *over,
                              int n_over)
{
    const char *name = p->scene->keys[i].label;
    if (!name || !name[0] || (names && !names[i].placed))
        return false;
    for (int j = 0; names && j < n_over && !sk_key_heavy(p, i); j++)
        if (sk_rect_overlap(names[i].box, names[over[j]].box) > 0)
            return false;
    return true;
}

static void draw_key_name(painter *p, const sk_key_label *names, int i)
{
    sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
    text_style s = {.size = LABEL_SIZE, .color = p->pal->text, .align_y = 0.5, .halo = true};
    sk_vec2 at = {k.x + sk_u(p, KEY_RADIUS + 8), k.y}; /* without a placement */
    if (names) {
        at = names[i].at;
        s.align_x = names[i].align_x;
        s.align_y = names[i].align_y;
    }
    sk_draw_text(p, p->scene->keys[i].label, at.x, at.y, &s);
}

/* The keys' discs; then their names where sk_key_labels puts them, the
 * heavy ones without a free place last, over the rest (and instead of the
 * light ones they land on); then the weights, when shown, centred under
 * the discs. */
void sk_paint_keys(painter *p)
{
    for (int i = 0; i < p->scene->key_count; i++) {
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        /* The same disc every frame while the camera stands still: a sprite. */
        key_disc d = {sk_u(p, KEY_RADIUS), sk_u(p, KEY_OUTLINE), sk_key_colour(p, i), p->pal->halo};
        double reach = d.radius + d.outline / 2;
        char name[256]; /* 8 doubles of at most 24 characters each: always fits */
        snprintf(name, sizeof name, "disc|%a|%a|%a|%a|%a|%a|%a|%a", d.radius, d.outline, d.fill.r,
                 d.fill.g, d.fill.b, d.halo.r, d.halo.g, d.halo.b);
        sk_sprite_paint(p->cr, name, k.x, k.y, (sk_rect){-reach, -reach, 2 * reach, 2 * reach},
                        draw_key_disc, &d);
    }
    const sk_key_label *names = sk_key_labels(p);
    int over[HEAVY_MAX];
    int n_over = heavy_unplaced(p, names, over);
    for (int i = 0; i < p->scene->key_count; i++)
        if (placed_name_shown(p, names, i, over, n_over))
            draw_key_name(p, names, i);
    for (int j = 0; j < n_over; j++) /* over the rest */
        draw_key_name(p, names, over[j]);
    text_style weight = {.size = sk_legible(p, WEIGHT_LABEL_SIZE),
                         .color = p->pal->text,
                         .align_x = 0.5,
                         .halo = true};
    for (int i = 0; i < p->scene->key_count; i++) {
        if (!shows_weight(p, i))
            continue;
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        char number[16];
        snprintf(number, sizeof number, "%.2f", p->frame->weights[i]);
        sk_draw_text(p, number, k.x, k.y + sk_u(p, KEY_RADIUS + WEIGHT_LABEL_DROP), &weight);
    }
}

/* Whether a shown weight label ("0.42", centred under its key) would meet
 * a σ drawn from anchor `at` (pixels) towards side (1: right, -1: left).
 * Boxes in layout units, generous: σ about 20 x 26, a weight 50 x 22. */
static bool near_weight_label(const painter *p, sk_vec2 at, double side)
{
    double sx0 = side > 0 ? at.x : at.x - sk_u(p, 24), sx1 = sx0 + sk_u(p, 24);
    double sy0 = at.y, sy1 = at.y + sk_u(p, 28);
    for (int i = 0; p->scene->weight_labels && i < p->scene->key_count; i++) {
        if (!shows_weight(p, i))
            continue;
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        double wx0 = k.x - sk_u(p, 28), wx1 = k.x + sk_u(p, 28);
        double wy0 = k.y + sk_u(p, KEY_RADIUS), wy1 = wy0 + sk_u(p, WEIGHT_LABEL_DROP + 26);
        if (sx0 < wx1 && wx0 < sx1 && sy0 < wy1 && wy0 < sy1)
            return true;
    }
    return false;
}

/* How much of box (pixels) the keys' discs and placed names cover: the sum
 * of the overlapping areas, each counting up to HEAVY_COVER times more as
 * its key's weight goes to 1: the names the frame is about are the ones to
 * keep readable. */
#define HEAVY_COVER 5.0
static double key_label_overlap(painter *p, sk_rect box)
{
    const sk_key_label *names = sk_key_labels(p);
    double total = 0.0, radius = sk_u(p, KEY_RADIUS);
    for (int i = 0; i < p->scene->key_count; i++) {
        sk_vec2 k = sk_layout_to_px(p->layout, p->scene->keys[i].at);
        double area =
            sk_rect_overlap(box, (sk_rect){k.x - radius, k.y - radius, 2 * radius, 2 * radius});
        if (names && names[i].placed)
            area += sk_rect_overlap(box, names[i].box);
        total += area * (1.0 + (HEAVY_COVER - 1.0) * p->frame->weights[i]);
    }
    return total;
}

/* A moving label's text, style and places, each an anchor with its
 * alignment and the box the text takes there (pixels). */
typedef struct label_places {
    const char *text;
    text_style style;
    sk_vec2 at[SK_QUERY_LABEL_PLACES];
    sk_vec2 align[SK_QUERY_LABEL_PLACES];
    sk_rect box[SK_QUERY_LABEL_PLACES];
} label_places;

static void set_place(label_places *l, int i, sk_vec2 at, sk_vec2 align, double w, double h)
{
    l->at[i] = at;
    l->align[i] = align;
    l->box[i] = (sk_rect){at.x - align.x * w, at.y - align.y * h, w, h};
}

static void draw_label_at(painter *p, label_places *l, int place)
{
    l->style.align_x = l->align[place].x;
    l->style.align_y = l->align[place].y;
    sk_draw_text(p, l->text, l->at[place].x, l->at[place].y, &l->style);
}

/* The first of the least covered places. */
static int least_covered(const double *cover, int n)
{
    int best = 0;
    for (int i = 1; i < n; i++)
        if (cover[i] < cover[best])
            best = i;
    return best;
}

/* The query's name, above, below, left and right of its ring. */
static void query_label_places(painter *p, label_places *out)
{
    out->text = p->frame->has_output ? "query" : "query: no key in reach";
    out->style =
        (text_style){.size = LABEL_SIZE + 4, .bold = true, .color = p->pal->line, .halo = true};
    double w, h;
    sk_measure_text(p, out->text, &out->style, &w, &h);
    sk_vec2 q = sk_layout_to_px(p->layout, p->frame->state->query);
    double reach = sk_u(p, QUERY_RADIUS + QUERY_RING);
    set_place(out, 0, (sk_vec2){q.x, q.y - reach}, (sk_vec2){0.5, 1.0}, w, h);
    set_place(out, 1, (sk_vec2){q.x, q.y + reach}, (sk_vec2){0.5, 0.0}, w, h);
    set_place(out, 2, (sk_vec2){q.x - reach, q.y}, (sk_vec2){1.0, 0.5}, w, h);
    set_place(out, 3, (sk_vec2){q.x + reach, q.y}, (sk_vec2){0.0, 0.5}, w, h);
}

/* What the query's name would cover at each place. */
static void query_label_covers(painter *p, const label_places *l, double *cover)
{
    for (int i = 0; i < SK_QUERY_LABEL_PLACES; i++)
        cover[i] = key_label_overlap(p, l->box[i]);
}

/* The σ on the bandwidth circle, lower right then lower left: the query's
 * name sits above the ring, and would meet a label at the upper right
 * whenever sigma is small. */
static void sigma_label_places(painter *p, label_places *out)
{
    out->text = "σ";
    out->style = (text_style){.size = LABEL_SIZE, .color = p->pal->muted, .halo = true};
    double w, h;
    sk_measure_text(p, out->text, &out->style, &w, &h);
    sk_vec2 q = sk_layout_to_px(p->layout, p->frame->state->query);
    double r = p->frame->state->kernel.bandwidth * p->layout->scale;
    for (int i = 0; i < SK_SIGMA_LABEL_PLACES; i++) {
        double side = i == 0 ? 1.0 : -1.0;
        sk_vec2 at = {q.x + side * (r * M_SQRT1_2 + sk_u(p, 4)), q.y + r * M_SQRT1_2};
        set_place(out, i, at, (sk_vec2){side > 0 ? 0.0 : 1.0, 0.0}, w, h);
    }
}

/* What the σ would cover at each place; a weight label in the way blocks
 * the place outright. */
static void sigma_label_covers(painter *p, const label_places *l, double *cover)
{
    for (int i = 0; i < SK_SIGMA_LABEL_PLACES; i++) {
        double side = i == 0 ? 1.0 : -1.0;
        sk_vec2 on_circle = {l->at[i].x - side * sk_u(p, 4), l->at[i].y};
        cover[i] = key_label_overlap(p, l->box[i]) +
                   (near_weight_label(p, on_circle, side) ? SK_STEADY_BLOCKED : 0.0);
    }
}

/* A moving label at the plan's place, or without a plan (planned < 0) at
 * its least covered place in this frame alone. */
static void paint_moving_label(painter *p, void (*find)(painter *, label_places *),
                               void (*covers)(painter *, const label_places *, double *), int count,
                               int planned)
{
    label_places at;
    find(p, &at);
    if (planned < 0) {
        double cover[SK_QUERY_LABEL_PLACES]; /* the most places a label has */
        covers(p, &at, cover);
        planned = least_covered(cover, count);
    }
    draw_label_at(p, &at, planned);
}

static bool draws_bandwidth(const painter *p)
{
    const sk_kernel *k = &p->frame->state->kernel;
    return (sk_kernel_parameters(k) & SK_USES_BANDWIDTH) && !k->projected;
}

void sk_label_covers(painter *p, sk_label_costs *out)
{
    memset(out, 0, sizeof *out);
    if (!(p->frame->state->opacity[SK_LAYER_QUERY] > 0.0))
        return;
    label_places l;
    query_label_places(p, &l);
    query_label_covers(p, &l, out->query);
    out->query_area = l.box[0].w * l.box[0].h;
    if (!draws_bandwidth(p))
        return;
    sigma_label_places(p, &l);
    sigma_label_covers(p, &l, out->sigma);
    out->sigma_area = l.box[0].w * l.box[0].h;
}

/* The bandwidth as a dashed circle of radius sigma around the query: keys
 * inside it get most of the weight (all of it, for compact kernels), which is
 * what "soft nearest neighbours" means. Only without projections, since with
 * them the neighbourhood is not a circle in the plane. */
static void paint_bandwidth(painter *p)
{
    if (!draws_bandwidth(p))
        return;
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, p->frame->state->query);
    double r = p->frame->state->kernel.bandwidth * p->layout->scale;
    cairo_new_sub_path(cr);
    cairo_arc(cr, q.x, q.y, r, 0, 2 * M_PI);
    stroke_dashed(p, 6, 8, 2, 0.35);
    paint_moving_label(p, sigma_label_places, sigma_label_covers, SK_SIGMA_LABEL_PLACES,
                       p->frame->places ? p->frame->places->sigma : -1);
}

/* The query's positions over the last TRAIL_SECONDS, newest first, into
 * at[0..]; returns how many (1 at the first frame). The timeline is a pure
 * function of the frame, so earlier frames are simply evaluated again. */
static int trail_points(const painter *p, sk_vec2 *at, double *age)
{
    int64_t now = p->frame->state->frame;
    int64_t span = (int64_t)ceil(TRAIL_SECONDS * p->scene->fps);
    int64_t step = (span + TRAIL_SAMPLES - 1) / TRAIL_SAMPLES;
    int count = 0;
    for (int64_t back = 0; back <= span && now - back >= 0; back += step) {
        sk_frame_state past;
        sk_timeline_state_at(p->timeline, now - back, &past);
        at[count] = sk_layout_to_px(p->layout, past.query);
        age[count++] = (double)back / (double)span;
    }
    return count;
}

/* The trail's segments, oldest first, thinning and fading into the past. */
static void stroke_trail(painter *p, const sk_vec2 *at, const double *age, int n)
{
    cairo_t *cr = p->cr;
    for (int i = n - 1; i > 0; i--) {
        double fresh = 1.0 - 0.5 * (age[i] + age[i - 1]);
        cairo_move_to(cr, at[i].x, at[i].y);
        cairo_line_to(cr, at[i - 1].x, at[i - 1].y);
        cairo_set_line_width(cr,
                             sk_u(p, TRAIL_MIN_WIDTH + (TRAIL_WIDTH - TRAIL_MIN_WIDTH) * fresh));
        sk_set_color(cr, p->pal->line, TRAIL_ALPHA * fresh * fresh);
        cairo_stroke(cr);
    }
}

/* Clips to the whole pixels around points, with pad pixels to spare. */
static void clip_to_points(cairo_t *cr, const sk_vec2 *at, int n, double pad)
{
    double x0 = at[0].x, x1 = x0, y0 = at[0].y, y1 = y0;
    for (int i = 1; i < n; i++) {
        x0 = fmin(x0, at[i].x);
        x1 = fmax(x1, at[i].x);
        y0 = fmin(y0, at[i].y);
        y1 = fmax(y1, at[i].y);
    }
    x0 = floor(x0 - pad);
    y0 = floor(y0 - pad);
    cairo_rectangle(cr, x0, y0, ceil(x1 + pad) - x0, ceil(y1 + pad) - y0);
    cairo_clip(cr);
}

/* Segments overlapping OVER at their joints would double the alpha there.
 * On raster targets (video frames) each segment is drawn with SOURCE into a
 * group clipped to the trail, so a newer round cap replaces the older one
 * beneath it: seamless. Vector targets (PDF, SVG) cannot express SOURCE on
 * what is already drawn and would fall back to pixels; there the segments
 * meet with butt caps instead, edge to edge. */
static void paint_trail(painter *p)
{
    sk_vec2 at[TRAIL_SAMPLES + 2];
    double age[TRAIL_SAMPLES + 2];
    int n = trail_points(p, at, age);
    if (n < 2)
        return;
    cairo_t *cr = p->cr;
    bool raster = cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE;
    cairo_save(cr);
    cairo_set_line_cap(cr, raster ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
    if (raster) {
        clip_to_points(cr, at, n, sk_u(p, TRAIL_WIDTH));
        cairo_push_group(cr);
        cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    }
    stroke_trail(p, at, age, n);
    if (raster) {
        cairo_pop_group_to_source(cr);
        cairo_paint(cr);
    }
    cairo_restore(cr);
}

/* The query's name beside its ring: names mostly sit right of their keys,
 * so above is tried first. */
static void paint_query_label(painter *p)
{
    paint_moving_label(p, query_label_places, query_label_covers, SK_QUERY_LABEL_PLACES,
                       p->frame->places ? p->frame->places->query : -1);
}

/* The query ring, filled with the output; hollow and dashed when a compact
 * kernel reaches no key, since then there is no output at all. */
void sk_paint_query(painter *p)
{
    paint_trail(p);
    paint_bandwidth(p);
    cairo_t *cr = p->cr;
    sk_vec2 q = sk_layout_to_px(p->layout, p->frame->state->query);
    double r = sk_u(p, QUERY_RADIUS);
    cairo_new_sub_path(cr);
    cairo_arc(cr, q.x, q.y, r, 0, 2 * M_PI);
    if (p->frame->has_output) {
        sk_set_color(cr, sk_output_colour(p), 1.0);
        cairo_fill_preserve(cr);
    }
    cairo_set_line_width(cr, sk_u(p, QUERY_RING + 4));
    sk_set_color(cr, p->pal->halo, 0.9);
    cairo_stroke_preserve(cr);
    if (!p->frame->has_output) {
        double dash[] = {sk_u(p, 7), sk_u(p, 6)};
        cairo_set_dash(cr, dash, 2, 0);
    }
    cairo_set_line_width(cr, sk_u(p, QUERY_RING));
    sk_set_color(cr, p->pal->line, 1.0);
    cairo_stroke(cr);
    cairo_set_dash(cr, NULL, 0, 0);
    paint_query_label(p);
}
