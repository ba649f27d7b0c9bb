/* draw.c — a frame as a stack of layers, each with its opacity. */
#include <math.h>
#include <string.h>

#include "painter.h"

typedef void (*layer_painter)(painter *p);

/* Drawing order is the order of sk_layer_kind. */
static const layer_painter layer_painters[SK_LAYER_COUNT] = {
    [SK_LAYER_FIELD] = sk_paint_field,       [SK_LAYER_GRID] = sk_paint_grid,
    [SK_LAYER_PATH] = sk_paint_path,         [SK_LAYER_LINKS] = sk_paint_links,
    [SK_LAYER_KEYS] = sk_paint_keys,         [SK_LAYER_QUERY] = sk_paint_query,
    [SK_LAYER_PANEL] = sk_paint_panel,       [SK_LAYER_FORMULAS] = sk_paint_formulas,
    [SK_LAYER_MAPPING] = sk_paint_mapping,   [SK_LAYER_TITLE] = sk_paint_title,
    [SK_LAYER_CAPTIONS] = sk_paint_captions, [SK_LAYER_CARDS] = sk_paint_cards,
    [SK_LAYER_LEGEND] = sk_paint_legend,
};

static void paint_nothing(painter *p)
{
    (void)p;
}

/* What a view draws its own way for a layer; the others are the plane's. */
static const layer_painter regression_painters[SK_LAYER_COUNT] = {
    [SK_LAYER_FIELD] = paint_nothing, /* no plane to fill */
    [SK_LAYER_GRID] = sk_paint_regression_axes,
    [SK_LAYER_PATH] = sk_paint_regression_curve,
    [SK_LAYER_LINKS] = sk_paint_regression_bars,
    [SK_LAYER_KEYS] = sk_paint_regression_samples,
    [SK_LAYER_QUERY] = sk_paint_regression_query,
};
static const layer_painter matrix_painters[SK_LAYER_COUNT] = {
    [SK_LAYER_PANEL] = sk_paint_matrix,
};
static const layer_painter *const view_painters[SK_VIEW_KIND_COUNT] = {
    [SK_VIEW_REGRESSION1D] = regression_painters,
    [SK_VIEW_MATRIX] = matrix_painters,
};

static layer_painter painter_of(const sk_scene *scene, int layer)
{
    const layer_painter *view = view_painters[scene->view_kind];
    return view && view[layer] ? view[layer] : layer_painters[layer];
}

static const palette palettes[SK_THEME_COUNT] = {
    [SK_THEME_DARK] = {.text = {0.886, 0.910, 0.941},  /* #e2e8f0 */
                       .muted = {0.580, 0.639, 0.722}, /* #94a3b8 */
                       .line = {1.0, 1.0, 1.0},
                       .halo = {0.04, 0.05, 0.09}},
    [SK_THEME_LIGHT] = {.text = {0.059, 0.090, 0.165},  /* #0f172a */
                        .muted = {0.278, 0.333, 0.412}, /* #475569 */
                        .line = {0.0, 0.0, 0.0},
                        .halo = {1.0, 1.0, 1.0}},
};

/* Stops of the scalar ramp (viridis at 0, 1/4, 1/2, 3/4, 1), sRGB. */
static const sk_rgb ramp[] = {{0.267, 0.005, 0.329},
                              {0.231, 0.322, 0.545},
                              {0.129, 0.569, 0.549},
                              {0.369, 0.788, 0.384},
                              {0.993, 0.906, 0.144}};

sk_rgb sk_scalar_colour(double value, double lo, double hi)
{
    double t = hi > lo ? (value - lo) / (hi - lo) : 0.5;
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    double x = t * 4.0;
    int i = x >= 4.0 ? 3 : (int)x;
    double f = x - i;
    return (sk_rgb){ramp[i].r + f * (ramp[i + 1].r - ramp[i].r),
                    ramp[i].g + f * (ramp[i + 1].g - ramp[i].g),
                    ramp[i].b + f * (ramp[i + 1].b - ramp[i].b)};
}

sk_rgb sk_key_colour(const painter *p, int i)
{
    const sk_key *key = &p->scene->keys[i];
    if (p->scene->value_kind == SK_VALUE_SCALAR)
        return sk_scalar_colour(key->scalar, p->scalar_lo, p->scalar_hi);
    return key->value;
}

sk_rgb sk_output_colour(const painter *p)
{
    if (p->scene->value_kind == SK_VALUE_SCALAR)
        return sk_scalar_colour(p->frame->scalar, p->scalar_lo, p->scalar_hi);
    return p->frame->output;
}

static void scalar_range(const sk_scene *scene, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int i = 0; i < scene->key_count; i++) {
        *lo = fmin(*lo, scene->keys[i].scalar);
        *hi = fmax(*hi, scene->keys[i].scalar);
    }
}

sk_vec2 sk_query_pixel(const sk_layout *layout, const sk_scene *scene, const sk_frame *frame)
{
    if (scene->view_kind == SK_VIEW_REGRESSION1D)
        return sk_regression_query_pixel(layout, scene, frame);
    return sk_layout_to_px(layout, frame->state->query);
}

/* A layer below full opacity is drawn into a group and painted with alpha, so
 * its own overlaps do not show through each other. */
static void paint_layer(painter *p, int layer, double opacity)
{
    if (opacity <= 0.0)
        return;
    if (opacity >= 1.0) {
        painter_of(p->scene, layer)(p);
        return;
    }
    cairo_push_group(p->cr);
    painter_of(p->scene, layer)(p);
    cairo_pop_group_to_source(p->cr);
    cairo_paint_with_alpha(p->cr, opacity);
}

/* Grey antialiasing, no hinting, unhinted metrics: glyphs drawn where they
 * fall whatever the machine's fontconfig prefers, so a frame is the same on
 * every machine (golden images) and text does not jitter as it moves. */
static void pin_font_options(cairo_t *cr)
{
    cairo_font_options_t *options = cairo_font_options_create();
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, options);
    cairo_font_options_destroy(options);
}

/* A painter for the frame, with the font options pinned on a saved cr;
 * painter_close restores it. */
static painter painter_open(cairo_t *cr, const sk_layout *layout, const sk_scene *scene,
                            const sk_timeline *timeline, const sk_frame *frame)
{
    cairo_save(cr);
    pin_font_options(cr); /* before the Pango layout, which takes them from cr */
    painter p = {cr,  layout, pango_cairo_create_layout(cr), scene, timeline, frame,
                 0.0, 0.0,    &palettes[scene->theme]};
    if (scene->value_kind == SK_VALUE_SCALAR)
        scalar_range(scene, &p.scalar_lo, &p.scalar_hi);
    return p;
}

static void painter_close(painter *p)
{
    cairo_restore(p->cr);
    g_object_unref(p->text);
}

/* Whether the frame has the plane's query ring, which labels move round:
 * not without the query layer, nor in a view that draws its query its own
 * way. */
static bool has_ring(const sk_scene *scene)
{
    return sk_scene_draws(scene, SK_LAYER_QUERY) &&
           painter_of(scene, SK_LAYER_QUERY) == sk_paint_query;
}

void sk_label_costs_of(cairo_t *cr, const sk_layout *layout, const sk_scene *scene,
                       const sk_timeline *timeline, const sk_frame *frame, sk_label_costs *out)
{
    memset(out, 0, sizeof *out);
    if (!has_ring(scene))
        return;
    painter p = painter_open(cr, layout, scene, timeline, frame);
    sk_label_covers(&p, out);
    painter_close(&p);
}

void sk_key_name_costs(cairo_t *cr, const sk_layout *layout, const sk_scene *scene,
                       const sk_timeline *timeline, const sk_frame *frame, const bool *which,
                       bool *meets, double *area, double *cost)
{
    if (!has_ring(scene)) {
        for (int i = 0; i < scene->key_count; i++) {
            meets[i] = false;
            area[i] = 0.0;
            if (which && which[i])
                memset(cost + (size_t)i * SK_KEY_NAME_PLACES, 0, SK_KEY_NAME_PLACES * sizeof *cost);
        }
        return;
    }
    painter p = painter_open(cr, layout, scene, timeline, frame);
    sk_key_name_covers(&p, which, meets, area, cost);
    painter_close(&p);
}

sk_status sk_draw_frame(cairo_t *cr, const sk_layout *layout, const sk_scene *scene,
                        const sk_timeline *timeline, const sk_frame *frame, sk_error *err)
{
    painter p = painter_open(cr, layout, scene, timeline, frame);
    /* SOURCE, not OVER: the surface is reused, and a translucent background
     * must replace the previous frame rather than blend with it. */
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    sk_set_color(cr, scene->background, scene->background_alpha);
    cairo_paint(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_OVER);
    /* A card over the whole frame hides every layer listed before it. */
    int first = 0;
    for (int i = 0; i < scene->layer_count; i++)
        if (scene->layer_order[i] == SK_LAYER_CARDS && sk_cards_cover(scene, frame->state))
            first = i;
    for (int i = first; i < scene->layer_count; i++)
        paint_layer(&p, scene->layer_order[i], frame->state->opacity[scene->layer_order[i]]);
    painter_close(&p);

    cairo_status_t status = cairo_status(cr);
    if (status != CAIRO_STATUS_SUCCESS)
        return sk_error_set(err, SK_ERUNTIME, "drawing frame %lld failed: %s",
                            (long long)frame->state->frame, cairo_status_to_string(status));
    return SK_OK;
}
