/* field.c — the field layer: the estimator's output at every pixel of the
 * plot, and the contour where the largest weight changes hands.
 *
 * The field is evaluated by the core (sk_field_eval) a strip of rows at a
 * time, so its float buffers stay in cache, and encoded straight into one
 * ARGB32 image of the plot's size: linear light to sRGB once, through a
 * table. Where a compact kernel reaches no key the image stays transparent.
 *
 * The contour is drawn as vectors, not found among pixels. Every kernel
 * ranks the keys by a score whose difference between two keys is affine in
 * the query (|Aq - a|^2 - |Aq - b|^2 loses the |Aq|^2; dot and cosine are
 * linear in Aq), so the region where key i has the largest weight is the
 * convex polygon where f_i(q) >= f_j(q) for every j: the Voronoi cell of
 * nearest-neighbour search for distance kernels. Each cell is the plot
 * clipped by n - 1 half-planes; its edges are stroked once each,
 * antialiased, the same at any resolution, and in O(n^2) instead of O(n) per
 * pixel. The ranking does not depend on bandwidth or temperature: a low
 * temperature only makes the field's colours jump where the lines are. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "painter.h"

#define LUT_SIZE 4096      /* linear -> sRGB entries: at most 0.4 of a code off */
#define STRIP_ROWS 32      /* rows evaluated per call: ~0.6 MB of floats at 1080p */
#define CONTOUR_WIDTH 1.5  /* layout units: 1.6 px at 1080p, never under 1 px */
#define CONTOUR_ALPHA 0.35 /* of the palette's line colour */
/* Layout units: with more keys than one per CONTOUR_MIN_CELL^2 of plot the
 * average cell is smaller than a key's disc (28 units across) and the lines
 * would only be noise; it also bounds the O(n^2) cells. */
#define CONTOUR_MIN_CELL 30.0

/* ---- Keys as the core's plain arrays --------------------------------- */

typedef struct field_keys {
    sk_vec2 *at;
    sk_rgb *values; /* sRGB, as sk_field_eval wants them */
    size_t n;
} field_keys;

static void keys_free(field_keys *k)
{
    free(k->at);
    free(k->values);
}

/* Scalar scenes blend numbers, not colours: the value handed to the core is
 * the scalar's place t on the ramp, encoded so that its linear light is t.
 * The core's linear red channel is then exactly the blended t, which the
 * encoder maps through the ramp, as the query's fill is. */
static bool keys_make(const painter *p, field_keys *k)
{
    k->n = (size_t)p->scene->key_count;
    k->at = malloc(k->n * sizeof *k->at);
    k->values = malloc(k->n * sizeof *k->values);
    if (!k->at || !k->values)
        return false; /* the caller frees what was had */
    double lo = p->scalar_lo, span = p->scalar_hi - p->scalar_lo;
    for (size_t i = 0; i < k->n; i++) {
        const sk_key *key = &p->scene->keys[i];
        k->at[i] = key->at;
        double t = span > 0 ? (key->scalar - lo) / span : 0.5;
        k->values[i] = p->scene->value_kind == SK_VALUE_SCALAR
                           ? (sk_rgb){sk_linear_to_srgb(t), 0.0, 0.0}
                           : key->value;
    }
    return true;
}

/* ---- Linear floats to ARGB32 pixels ----------------------------------- */

typedef struct encoder {
    uint8_t srgb[LUT_SIZE];  /* colour scenes: one channel, linear -> sRGB code */
    uint32_t ramp[LUT_SIZE]; /* scalar scenes: blended t -> opaque ramp pixel */
} encoder;

/* A linear value's entry, clamped to [0, 1] (NaN to an end). The clamp is done on
 * the float's bits as a signed integer, whose order is the floats' order for
 * non-negative values and negative for negative ones: integer min and max
 * vectorise, where float comparisons would not under -ftrapping-math. */
static inline uint16_t lut_index(float v)
{
    const int32_t one = 0x3f800000; /* the bits of 1.0f */
    int32_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits = bits > 0 ? bits : 0;
    bits = bits < one ? bits : one;
    memcpy(&v, &bits, sizeof v);
    return (uint16_t)(v * (LUT_SIZE - 1) + 0.5f);
}

static uint32_t opaque(double r, double g, double b)
{
    return 0xff000000u | (uint32_t)lround(r * 255) << 16 | (uint32_t)lround(g * 255) << 8 |
           (uint32_t)lround(b * 255);
}

/* Tables rebuilt per frame (a fraction of a millisecond) rather than kept in
 * a global: the layer has no state and may run on several threads. */
static void encoder_init(encoder *e, const painter *p)
{
    for (int i = 0; i < LUT_SIZE; i++)
        e->srgb[i] = (uint8_t)lround(255 * sk_linear_to_srgb((double)i / (LUT_SIZE - 1)));
    if (p->scene->value_kind != SK_VALUE_SCALAR)
        return;
    for (int i = 0; i < LUT_SIZE; i++) {
        sk_rgb c = sk_scalar_colour((double)i / (LUT_SIZE - 1), 0.0, 1.0);
        e->ramp[i] = opaque(c.r, c.g, c.b);
    }
}

typedef void (*row_encoder)(const encoder *e, const float *rgb, const float *max_weight, int count,
                            uint16_t *index, uint32_t *out);

/* Table indices first, in a loop of their own that gcc vectorises; then the
 * lookups. A sample no key reaches has max_weight 0 and stays transparent. */
static void encode_colour(const encoder *e, const float *rgb, const float *max_weight, int count,
                          uint16_t *index, uint32_t *out)
{
    for (int i = 0; i < 3 * count; i++)
        index[i] = lut_index(rgb[i]);
    for (int i = 0; i < count; i++) {
        uint32_t r = e->srgb[index[3 * i]], g = e->srgb[index[3 * i + 1]],
                 b = e->srgb[index[3 * i + 2]];
        out[i] = max_weight[i] > 0.0f ? 0xff000000u | r << 16 | g << 8 | b : 0u;
    }
}

static void encode_scalar(const encoder *e, const float *rgb, const float *max_weight, int count,
                          uint16_t *index, uint32_t *out)
{
    for (int i = 0; i < count; i++)
        index[i] = lut_index(rgb[3 * i]);
    for (int i = 0; i < count; i++)
        out[i] = max_weight[i] > 0.0f ? e->ramp[index[i]] : 0u;
}

static const row_encoder row_encoders[] = {
    [SK_VALUE_COLOUR] = encode_colour,
    [SK_VALUE_SCALAR] = encode_scalar,
};

/* ---- The image -------------------------------------------------------- */

/* The plot's pixels: whole pixels covering the plot rectangle. */
typedef struct field_image {
    cairo_surface_t *surface;
    int x0, y0, width, height; /* pixels of the frame */
} field_image;

/* Pixel centres in scene units, as sk_layout_to_px inverts them:
 * x = (px + 0.5 - origin_x) / scale, y = (origin_y - py - 0.5) / scale. */
static sk_field_grid strip_grid(const sk_layout *l, const field_image *img, int row, int rows)
{
    return (sk_field_grid){.width = img->width,
                           .height = rows,
                           .x0 = (img->x0 + 0.5 - l->origin_x) / l->scale,
                           .y0 = (l->origin_y - (img->y0 + row) - 0.5) / l->scale,
                           .dx = 1.0 / l->scale,
                           .dy = 1.0 / l->scale};
}

/* Evaluates and encodes the whole image a strip at a time; false when the
 * core could not get memory. */
static bool fill_image(const painter *p, const field_keys *keys, const field_image *img)
{
    size_t samples = (size_t)img->width * STRIP_ROWS;
    float *rgb = malloc(3 * samples * sizeof *rgb);
    float *max_weight = malloc(samples * sizeof *max_weight);
    uint16_t *index = malloc(3 * (size_t)img->width * sizeof *index);
    encoder *e = malloc(sizeof *e);
    bool ok = rgb && max_weight && index && e;
    if (ok)
        encoder_init(e, p);
    row_encoder encode = row_encoders[p->scene->value_kind];
    cairo_surface_flush(img->surface);
    unsigned char *data = cairo_image_surface_get_data(img->surface);
    int stride = cairo_image_surface_get_stride(img->surface);
    for (int row = 0; ok && row < img->height; row += STRIP_ROWS) {
        int rows = img->height - row < STRIP_ROWS ? img->height - row : STRIP_ROWS;
        sk_field_grid grid = strip_grid(p->layout, img, row, rows);
        ok = sk_field_eval(&p->frame->state->kernel, keys->at, keys->values, keys->n, &grid, 0,
                           rows, rgb, max_weight);
        for (int j = 0; ok && j < rows; j++)
            encode(e, rgb + 3 * (size_t)j * img->width, max_weight + (size_t)j * img->width,
                   img->width, index, (uint32_t *)(void *)(data + (size_t)(row + j) * stride));
    }
    cairo_surface_mark_dirty(img->surface);
    free(e);
    free(index);
    free(max_weight);
    free(rgb);
    return ok;
}

/* ---- The contour ------------------------------------------------------ */

/* How a kernel ranks keys, by sk_kernel_kind; topk ranks as its base. */
typedef enum score_family { BY_DISTANCE, BY_DOT, BY_COSINE } score_family;

static const score_family score_families[SK_KERNEL_COUNT] = {
    [SK_KERNEL_GAUSSIAN] = BY_DISTANCE,     [SK_KERNEL_DOT] = BY_DOT,
    [SK_KERNEL_COSINE] = BY_COSINE,         [SK_KERNEL_LAPLACIAN] = BY_DISTANCE,
    [SK_KERNEL_EPANECHNIKOV] = BY_DISTANCE, [SK_KERNEL_BOXCAR] = BY_DISTANCE,
    [SK_KERNEL_KNN] = BY_DISTANCE,          [SK_KERNEL_TOPK] = BY_DISTANCE,
};

/* A key's score up to a term shared by all keys: gx x + gy y + h at the
 * (unprojected) query (x, y). */
typedef struct affine {
    double gx, gy, h;
} affine;

static affine key_score(const sk_kernel *kernel, score_family family, sk_vec2 key)
{
    sk_vec2 k = sk_project_key(kernel, key);
    double len = hypot(k.x, k.y);
    if (family == BY_COSINE) /* cos(Aq, k) ranks as Aq . k / |k| (|Aq| is shared) */
        k = len > 0 ? (sk_vec2){k.x / len, k.y / len} : (sk_vec2){0, 0};
    double s = family == BY_DISTANCE ? 2.0 : 1.0; /* -|Aq - k|^2 = 2 Aq.k - |k|^2 - |Aq|^2 */
    double h = family == BY_DISTANCE ? -(k.x * k.x + k.y * k.y) : 0.0;
    sk_mat2 a = kernel->projected ? kernel->w_q : SK_MAT2_IDENTITY; /* Aq . k = q . A^T k */
    return (affine){s * (a.a * k.x + a.c * k.y), s * (a.b * k.x + a.d * k.y), h};
}

/* A convex polygon; edge e runs from point e to point e + 1 (cyclically)
 * and other[e] is the key whose half-plane made it, or -1 (the plot's edge). */
typedef struct polygon {
    sk_vec2 *at;
    int *other;
    int count, room; /* room: the arrays' length */
} polygon;

/* Appends a point; a convex polygon gains at most one per clip, so room only
 * runs out if rounding made one wildly non-convex: then points are dropped
 * (a wrong line on a degenerate cell rather than a write out of bounds). */
static void push(polygon *p, sk_vec2 at, int other)
{
    if (p->count == p->room)
        return;
    p->at[p->count] = at;
    p->other[p->count++] = other;
}

/* Sutherland–Hodgman against f(q) = g.q + h >= 0, keeping edge labels: the
 * new edge along f = 0 is labelled `label`, cut edges keep theirs. */
static void clip(const polygon *in, affine f, int label, polygon *out)
{
    out->count = 0;
    for (int e = 0; e < in->count; e++) {
        sk_vec2 a = in->at[e], b = in->at[(e + 1) % in->count];
        double fa = f.gx * a.x + f.gy * a.y + f.h, fb = f.gx * b.x + f.gy * b.y + f.h;
        if (fa >= 0)
            push(out, a, in->other[e]);
        if ((fa >= 0) != (fb >= 0)) {
            double t = fa / (fa - fb);
            push(out, (sk_vec2){a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)},
                 fa >= 0 ? label : in->other[e]);
        }
    }
}

/* Key i's cell, clipped to `bounds` (4 points) in *cell (buffers swapped with
 * *spare as it goes). Identical scores: the lower index wins, as in the core. */
static void make_cell(const affine *score, int n, int i, const sk_vec2 *bounds, polygon *cell,
                      polygon *spare)
{
    cell->count = 4;
    for (int e = 0; e < 4; e++) {
        cell->at[e] = bounds[e];
        cell->other[e] = -1;
    }
    for (int j = 0; j < n && cell->count > 0; j++) {
        if (j == i)
            continue;
        affine f = {score[i].gx - score[j].gx, score[i].gy - score[j].gy, score[i].h - score[j].h};
        if (f.gx == 0 && f.gy == 0) { /* parallel scores: all of the plane or none */
            if (f.h < 0 || (f.h == 0 && j < i))
                cell->count = 0;
            continue;
        }
        clip(cell, f, j, spare);
        polygon t = *cell;
        *cell = *spare;
        *spare = t;
    }
}

/* Appends the edges shared with higher-numbered keys to cairo's path, so each
 * boundary is stroked once (a doubled 35 % line would be 58 %). */
static void add_cell_edges(const painter *p, const polygon *cell, int i)
{
    for (int e = 0; e < cell->count; e++) {
        if (cell->other[e] <= i)
            continue;
        sk_vec2 a = sk_layout_to_px(p->layout, cell->at[e]);
        sk_vec2 b = sk_layout_to_px(p->layout, cell->at[(e + 1) % cell->count]);
        cairo_move_to(p->cr, a.x, a.y);
        cairo_line_to(p->cr, b.x, b.y);
    }
}

/* Knn and boxcar give every kept key the same weight, so no one key has the
 * largest (knn with k = 1 aside): their fields are piecewise constant and
 * show where the weight changes hands by themselves, and the nearest-key
 * cells would draw lines where nothing changes. */
static bool one_key_leads(const sk_kernel *k)
{
    return k->kind == SK_KERNEL_KNN ? k->k == 1 : k->kind != SK_KERNEL_BOXCAR;
}

static bool contour_wanted(const painter *p)
{
    const sk_rect *r = &p->layout->plot;
    double cells = r->w * r->h / (sk_u(p, CONTOUR_MIN_CELL) * sk_u(p, CONTOUR_MIN_CELL));
    return one_key_leads(&p->frame->state->kernel) && p->scene->key_count > 1 &&
           p->scene->key_count <= cells;
}

/* Builds the contour as cairo's current path (pixels); false without memory. */
static bool contour_path(const painter *p)
{
    const sk_kernel *kernel = &p->frame->state->kernel;
    sk_kernel_kind ranked = kernel->kind == SK_KERNEL_TOPK ? kernel->base : kernel->kind;
    score_family family = (unsigned)ranked < SK_KERNEL_COUNT ? score_families[ranked] : BY_DISTANCE;
    int n = p->scene->key_count;
    size_t room = (size_t)n + 4; /* a quadrilateral cut by n - 1 half-planes */
    affine *score = malloc((size_t)n * sizeof *score);
    sk_vec2 *at = malloc(2 * room * sizeof *at);
    int *other = malloc(2 * room * sizeof *other);
    bool ok = score && at && other;
    const sk_layout *l = p->layout;
    const sk_rect *r = &l->plot;
    double x0 = (r->x - l->origin_x) / l->scale, x1 = (r->x + r->w - l->origin_x) / l->scale;
    double y0 = (l->origin_y - r->y - r->h) / l->scale, y1 = (l->origin_y - r->y) / l->scale;
    const sk_vec2 bounds[4] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    for (int i = 0; ok && i < n; i++)
        score[i] = key_score(kernel, family, p->scene->keys[i].at);
    polygon cell = {at, other, 0, (int)room}, spare = {at + room, other + room, 0, (int)room};
    for (int i = 0; ok && i < n; i++) {
        make_cell(score, n, i, bounds, &cell, &spare);
        add_cell_edges(p, &cell, i);
    }
    free(other);
    free(at);
    free(score);
    return ok;
}

/* Strokes the contour into the image with ATOP, so it lands only where the
 * field is (not where a compact kernel reaches no key). */
static void paint_contour(const painter *p, const field_image *img)
{
    cairo_t *cr = cairo_create(img->surface);
    painter on_image = *p;
    on_image.cr = cr;
    cairo_translate(cr, -img->x0, -img->y0);
    if (contour_path(&on_image)) {
        cairo_set_operator(cr, CAIRO_OPERATOR_ATOP);
        cairo_set_line_width(cr, fmax(1.0, sk_u(p, CONTOUR_WIDTH)));
        sk_set_color(cr, p->pal->line, CONTOUR_ALPHA);
        cairo_stroke(cr);
    }
    cairo_destroy(cr);
}

/* ---- The layer -------------------------------------------------------- */

/* If memory for the keys or the strips cannot be had, the field is left out
 * (the frame is still a correct picture of everything else). A Cairo failure
 * is handed to the frame's context, which sk_draw_frame then reports. */
void sk_paint_field(painter *p)
{
    const sk_rect *r = &p->layout->plot;
    field_image img = {.x0 = (int)floor(r->x), .y0 = (int)floor(r->y)};
    img.width = (int)ceil(r->x + r->w) - img.x0;
    img.height = (int)ceil(r->y + r->h) - img.y0;
    if (img.width <= 0 || img.height <= 0)
        return;
    img.surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, img.width, img.height);
    field_keys keys = {0};
    bool ok = cairo_surface_status(img.surface) == CAIRO_STATUS_SUCCESS && keys_make(p, &keys) &&
              fill_image(p, &keys, &img);
    keys_free(&keys);
    if (ok && contour_wanted(p))
        paint_contour(p, &img);
    if (ok || cairo_surface_status(img.surface) != CAIRO_STATUS_SUCCESS) {
        cairo_save(p->cr);
        cairo_rectangle(p->cr, r->x, r->y, r->w, r->h);
        cairo_clip(p->cr);
        cairo_set_source_surface(p->cr, img.surface, img.x0, img.y0); /* an error sticks to cr */
        cairo_paint(p->cr);
        cairo_restore(p->cr);
    }
    cairo_surface_destroy(img.surface);
}
