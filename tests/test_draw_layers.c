/* Tests of the drawing layers written in src/draw: the field and its
 * contour, captions, the query's trail, the grid's numbers and the panel's
 * choice of bars. Frames are drawn in-process into image surfaces and read
 * back pixel by pixel; expected values are worked out by hand in comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "draw/draw.h"
#include "draw/painter.h"
#include "render/render.h"

/* ---- Drawing a frame --------------------------------------------------- */

typedef struct drawn {
    sk_scene *scene;
    sk_layout layout;
    cairo_surface_t *surface;
} drawn;

typedef struct rgb8 {
    int r, g, b;
} rgb8;

/* Loads the scene text and draws its frame `frame` at the scene's size. */
static drawn draw_frame(const char *yaml, int64_t frame)
{
    drawn d = {0};
    sk_error err = {0};
    if (sk_scene_load_string(yaml, "test.yaml", &d.scene, &err) != SK_OK)
        fail_msg("scene: %s", err.message);
    sk_timeline *timeline = NULL;
    sk_evaluator *evaluator = NULL;
    assert_int_equal(sk_timeline_new(d.scene, &timeline, &err), SK_OK);
    assert_int_equal(sk_evaluator_new(d.scene, &evaluator, &err), SK_OK);
    sk_frame_state state;
    sk_frame f;
    sk_timeline_state_at(timeline, frame, &state);
    sk_evaluate(evaluator, &state, &f);
    int w = d.scene->width, h = d.scene->height;
    sk_layout_make(w, h, d.scene, state.camera_center, state.camera_zoom, &d.layout);
    d.surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h);
    assert_int_equal(cairo_surface_status(d.surface), CAIRO_STATUS_SUCCESS);
    cairo_t *cr = cairo_create(d.surface);
    if (sk_draw_frame(cr, &d.layout, d.scene, timeline, &f, &err) != SK_OK)
        fail_msg("draw: %s", err.message);
    cairo_destroy(cr);
    cairo_surface_flush(d.surface);
    sk_evaluator_free(evaluator);
    sk_timeline_free(timeline);
    return d;
}

static void drawn_free(drawn *d)
{
    cairo_surface_destroy(d->surface);
    sk_scene_free(d->scene);
}

/* The pixel at (x, y); the frames here are opaque, so premultiplication
 * changes nothing. */
static rgb8 pixel(const drawn *d, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data(d->surface);
    int stride = cairo_image_surface_get_stride(d->surface);
    uint32_t v = *(const uint32_t *)(const void *)(data + (size_t)y * stride + (size_t)x * 4);
    return (rgb8){(int)(v >> 16 & 0xff), (int)(v >> 8 & 0xff), (int)(v & 0xff)};
}

/* The pixel whose centre is nearest the scene point (x, y). */
static rgb8 pixel_at(const drawn *d, double x, double y)
{
    sk_vec2 px = sk_layout_to_px(&d->layout, (sk_vec2){x, y});
    return pixel(d, (int)floor(px.x), (int)floor(px.y));
}

static void assert_rgb_near(rgb8 actual, rgb8 expected, int tolerance, const char *where)
{
    if (abs(actual.r - expected.r) > tolerance || abs(actual.g - expected.g) > tolerance ||
        abs(actual.b - expected.b) > tolerance)
        fail_msg("%s: expected (%d, %d, %d) +-%d, found (%d, %d, %d)", where, expected.r,
                 expected.g, expected.b, tolerance, actual.r, actual.g, actual.b);
}

/* Pixels in [x0, x1) x [y0, y1) that differ from `background` by more than
 * `by` in some channel. */
static int ink(const drawn *d, double x0, double y0, double x1, double y1, rgb8 background, int by)
{
    int count = 0;
    for (int y = (int)ceil(y0); y < (int)floor(y1); y++)
        for (int x = (int)ceil(x0); x < (int)floor(x1); x++) {
            rgb8 c = pixel(d, x, y);
            count += abs(c.r - background.r) > by || abs(c.g - background.g) > by ||
                     abs(c.b - background.b) > by;
        }
    return count;
}

/* 640 x 360, 10 fps, 4 s; the view is 4 x 3 scene units, so the scale is
 * about 94 px per unit. %s: the rest of the scene. */
#define SCENE_HEAD                                                                                 \
    "video: {size: [640, 360], fps: 10, duration: 4, background: \"#102030\"}\n"                   \
    "view: {x: [-2, 2], y: [-1.5, 1.5]}\n"
#define BACKGROUND ((rgb8){0x10, 0x20, 0x30})

/* ---- The field ---------------------------------------------------------- */

/* One key takes every weight everywhere: the plot is its colour, exactly
 * (sRGB -> linear -> sRGB through the table is within a code), and there
 * is no contour with a single key. Outside the plot: the background. */
static void test_field_one_key_fills_the_plot(void **state)
{
    (void)state;
    drawn d = draw_frame(SCENE_HEAD "layers: [field]\n"
                                    "keys: [{at: [0.5, 0.2], value: \"#3366cc\"}]\n",
                         0);
    const sk_rect *p = &d.layout.plot;
    const double at[][2] = {{0.05, 0.05}, {0.95, 0.05}, {0.5, 0.5}, {0.05, 0.95}, {0.95, 0.95}};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
        assert_rgb_near(pixel(&d, (int)(p->x + at[i][0] * p->w), (int)(p->y + at[i][1] * p->h)),
                        (rgb8){0x33, 0x66, 0xcc}, 2, "inside the plot");
    assert_rgb_near(pixel(&d, 2, 2), BACKGROUND, 0, "outside the plot");
    drawn_free(&d);
}

#define TWO_KEYS                                                                                   \
    "keys:\n"                                                                                      \
    "  - {at: [-1, 0], value: \"#ff0000\"}\n"                                                      \
    "  - {at: [1, 0], value: \"#0000ff\"}\n"

/* Red at (-1, 0) and blue at (1, 0), Gaussian, sigma 2. On the bisector
 * x = 0 the weights are 1/2 each: linear red = 0.5 * lin(1) = 0.5, and
 * sRGB(0.5) = 1.055 * 0.5^(1/2.4) - 0.055 = 0.7354, code 187.5: (188, 0,
 * 188). The bisector itself carries the contour, so the blend is read 5 px
 * either side: x = 5/94 = 0.053, the logit difference is 4x / (2 sigma^2) =
 * 0.027, the weights 0.507 / 0.493, and the codes 188.6 / 186.6: still
 * 188 +-3. The contour (white at 35 % in the dark theme, 1 px at 360p) adds
 * green where the field has none: about 0.35 * 255 = 89 on the line, 0 off
 * it, on every row. */
static void test_field_two_keys_blend_and_contour(void **state)
{
    (void)state;
    drawn d = draw_frame(SCENE_HEAD "layers: [field]\n"
                                    "attention: {kernel: gaussian, bandwidth: 2}\n" TWO_KEYS,
                         0);
    int column = (int)floor(d.layout.origin_x); /* the pixel the line x = 0 crosses */
    const double rows[] = {0.0, 1.0, -1.2};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int y = (int)floor(sk_layout_to_px(&d.layout, (sk_vec2){0, rows[i]}).y);
        rgb8 left = pixel(&d, column - 5, y), right = pixel(&d, column + 5, y);
        rgb8 on = pixel(&d, column, y);
        assert_rgb_near(left, (rgb8){188, 0, 188}, 3, "left of the bisector");
        assert_rgb_near(right, (rgb8){188, 0, 188}, 3, "right of the bisector");
        if (!(on.g > left.g + 30 && on.g > right.g + 30))
            fail_msg("no contour on the bisector at y = %g: green %d beside %d and %d", rows[i],
                     on.g, left.g, right.g);
    }
    drawn_free(&d);
}

/* Boxcar, sigma 0.5: the point (0, 1.2) is 1.56 from either key, out of
 * reach, and stays background; the key's own spot is its colour. */
static void test_field_unreached_is_background(void **state)
{
    (void)state;
    drawn d = draw_frame(SCENE_HEAD "layers: [field]\n"
                                    "attention: {kernel: boxcar, bandwidth: 0.5}\n" TWO_KEYS,
                         0);
    assert_rgb_near(pixel_at(&d, 0.0, 1.2), BACKGROUND, 0, "out of reach");
    assert_rgb_near(pixel_at(&d, -1.0, 0.1), (rgb8){255, 0, 0}, 2, "red's reach");
    drawn_free(&d);
}

/* Numbers as values: one key is the middle of its own range (t = 0.5),
 * which is the ramp's middle stop (0.129, 0.569, 0.549): (33, 145, 140). */
static void test_field_scalar_uses_the_ramp(void **state)
{
    (void)state;
    drawn d = draw_frame(SCENE_HEAD "layers: [field]\n"
                                    "keys: [{at: [0, 0], value: 7}]\n",
                         0);
    assert_rgb_near(pixel_at(&d, 0.7, -0.6), (rgb8){33, 145, 140}, 2, "scalar field");
    drawn_free(&d);
}

/* ---- Captions ----------------------------------------------------------- */

#define CAPTION_SCENE                                                                              \
    SCENE_HEAD "layers: [captions]\n"                                                              \
               "keys: [{at: [0, 0], value: \"#ffffff\"}]\n"                                        \
               "text: {captions: [{start: 1, end: 2, text: \"Weights sum to one.\"}]}\n"

static int caption_ink(int64_t frame)
{
    drawn d = draw_frame(CAPTION_SCENE, frame);
    const sk_rect *band = &d.layout.captions;
    int count = ink(&d, band->x, band->y, band->x + band->w, band->y + band->h, BACKGROUND, 8);
    drawn_free(&d);
    return count;
}

/* Shown for start <= t < end: at 10 fps frame 15 is t = 1.5 (inside);
 * frames 5 (t = 0.5), 20 (t = 2.0, the end itself) and 25 are outside. */
static void test_caption_only_between_start_and_end(void **state)
{
    (void)state;
    assert_true(caption_ink(15) > 200);
    assert_int_equal(caption_ink(5), 0);
    assert_int_equal(caption_ink(20), 0);
    assert_int_equal(caption_ink(25), 0);
}

/* ---- The query's trail and the grid's numbers ------------------------------ */

/* An open straight path from (-1.5, 0) to (1.5, 0) over frames 0..39: at
 * frame f the query is at x = -1.5 + 3 f / 39. At frame 30 (x = 0.81) the
 * position of frame 25 (x = 0.42, 0.5 s ago, 36 px away: beyond the ring)
 * is under the trail; that of frame 10 (x = -0.73, 2 s ago) is beyond its
 * 1.5 s and stays background. At frame 0 there is no past at all. */
static void test_query_trail_reaches_back_1_5_s(void **state)
{
    (void)state;
    const char *scene =
        SCENE_HEAD "layers: [query]\n"
                   "attention: {kernel: gaussian, bandwidth: 0.2}\n" TWO_KEYS
                   "query: {path: {type: polyline, closed: false, points: [[-1.5, 0], [1.5, "
                   "0]]}}\n";
    drawn d = draw_frame(scene, 30);
    rgb8 recent = pixel_at(&d, -1.5 + 3.0 * 25 / 39, 0.0);
    if (!(recent.r > BACKGROUND.r + 20))
        fail_msg("no trail 0.5 s back: (%d, %d, %d)", recent.r, recent.g, recent.b);
    assert_rgb_near(pixel_at(&d, -1.5 + 3.0 * 10 / 39, 0.0), BACKGROUND, 0, "2 s back");
    drawn_free(&d);
    d = draw_frame(scene, 0);
    assert_rgb_near(pixel_at(&d, -1.5 + 3.0 * 5 / 39, 0.0), BACKGROUND, 0, "the future");
    drawn_free(&d);
}

/* The plot spans 383.5 px / 93.7 px per unit = 4.09 units across, so the
 * grid's step is nice_step(4.09, 12): 0.34 -> 0.2, and x = 1 has a line.
 * Its number "1.0" sits right of that line along the plot's bottom edge;
 * the same box halfway up the plot has nothing but faint lines. */
static void test_grid_numbers_along_the_bottom(void **state)
{
    (void)state;
    drawn d = draw_frame(SCENE_HEAD "layers: [grid]\n" TWO_KEYS, 0);
    double x = sk_layout_to_px(&d.layout, (sk_vec2){1.0, 0.0}).x, u = d.layout.unit;
    double bottom = d.layout.plot.y + d.layout.plot.h,
           middle = d.layout.plot.y + d.layout.plot.h / 2;
    assert_true(ink(&d, x + 2, bottom - 30 * u, x + 30 * u, bottom - 2, BACKGROUND, 40) > 5);
    assert_int_equal(ink(&d, x + 2, middle - 30 * u, x + 30 * u, middle, BACKGROUND, 40), 0);
    drawn_free(&d);
}

/* ---- The panel's bars ---------------------------------------------------- */

static void test_panel_bars_few_keep_scene_order(void **state)
{
    (void)state;
    const double w[5] = {0.1, 0.4, 0.05, 0.3, 0.15};
    int out[12];
    double others = -1;
    assert_int_equal(sk_panel_bars(w, 5, 12, false, out, &others), 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(out[i], i);
    assert_true(others == 0.0);
}

/* w_i = (i + 1) / 465 for 30 keys (1 + ... + 30 = 465): the 12 heaviest are
 * keys 29 down to 18; the other 18 weigh (1 + ... + 18) / 465 = 171 / 465.
 * Their bars read 0.06 (26/465 = 0.0559 .. 30/465 = 0.0645: keys 25-29),
 * 0.05 (21/465 = 0.0452 .. 25/465 = 0.0538: keys 20-24) and 0.04 (keys 18,
 * 19), and bars that read the same go in the scene's order. */
static void test_panel_bars_thirty_keys(void **state)
{
    (void)state;
    double w[30];
    for (int i = 0; i < 30; i++)
        w[i] = (i + 1) / 465.0;
    int out[12];
    double others;
    assert_int_equal(sk_panel_bars(w, 30, 12, false, out, &others), 12);
    const int want[12] = {25, 26, 27, 28, 29, 20, 21, 22, 23, 24, 18, 19};
    for (int i = 0; i < 12; i++)
        assert_int_equal(out[i], want[i]);
    assert_float_equal(others, 171.0 / 465.0, 1e-12);
}

/* One heavy key and thirteen that all read 0.00 (w_i = 0.0001 i): the
 * eleven heaviest of those are shown (keys 3 to 13), in the scene's order,
 * not by weights no one can see; keys 1 and 2 (0.0003) go to "others". */
static void test_panel_bars_that_read_the_same_keep_still(void **state)
{
    (void)state;
    double w[14] = {0.8};
    for (int i = 1; i < 14; i++)
        w[i] = 0.0001 * i;
    int out[12];
    double others;
    assert_int_equal(sk_panel_bars(w, 14, 12, true, out, &others), 12);
    assert_int_equal(out[0], 0);
    for (int i = 1; i < 12; i++)
        assert_int_equal(out[i], i + 2);
    assert_float_equal(others, 0.0003, 1e-12);
}

/* Equal weights (knn: 1/k each): the lower index first, as the kernels
 * break ties. 20 keys of 0.05: keys 0..11 shown, 8 * 0.05 = 0.4 left. */
static void test_panel_bars_ties_lower_index_first(void **state)
{
    (void)state;
    double w[20];
    for (int i = 0; i < 20; i++)
        w[i] = 0.05;
    int out[12];
    double others;
    assert_int_equal(sk_panel_bars(w, 20, 12, false, out, &others), 12);
    for (int i = 0; i < 12; i++)
        assert_int_equal(out[i], i);
    assert_float_equal(others, 0.4, 1e-12);
}

/* 100 000 keys, one with half the weight and the rest sharing the other
 * half: it leads, and the 99 988 not shown weigh 0.5 * 99988 / 99999. */
static void test_panel_bars_many_keys(void **state)
{
    (void)state;
    enum { N = 100000, HEAVY = 77777 };
    double *w = malloc(N * sizeof *w);
    assert_non_null(w);
    for (int i = 0; i < N; i++)
        w[i] = 0.5 / (N - 1);
    w[HEAVY] = 0.5;
    int out[12];
    double others;
    assert_int_equal(sk_panel_bars(w, N, 12, false, out, &others), 12);
    assert_int_equal(out[0], HEAVY);
    for (int i = 1; i < 12; i++)
        assert_int_equal(out[i], i - 1);
    assert_float_equal(others, 0.5 * 99988.0 / 99999.0, 1e-9);
    free(w);
}

/* Drawing the panel with 30 keys under knn (k = 4) goes through the same
 * path as the helper; the frame must come out without a Cairo error. */
static void test_panel_draws_thirty_keys(void **state)
{
    (void)state;
    drawn d = draw_frame(SCENE_HEAD "layers: [panel]\n"
                                    "attention: {kernel: knn, k: 4}\n"
                                    "keys: [{generate: {clusters: 5, per_cluster: 6, spread: "
                                    "0.3, seed: 7, x: [-1.5, 1.5], y: [-1, 1]}}]\n",
                         12);
    const sk_rect *panel = &d.layout.panel;
    assert_true(ink(&d, panel->x, panel->y, panel->x + panel->w, panel->y + panel->h, BACKGROUND,
                    40) > 100);
    drawn_free(&d);
}

/* attention.compare: the same frame with and without a compared kernel.
 * Main: gaussian with sigma 0.2 and the query on key a, so a takes ~1 and b
 * ~0; compared: knn with k = 2, 0.5 each. Every pixel that changes lies in
 * the panel, and some column of them is bar-tall: b's ghost bar is half the
 * bar axis high where its own bar is empty. */
static void test_compare_draws_ghost_bars(void **state)
{
    (void)state;
    const char *base = "video: {size: [640, 360], fps: 1, duration: 1}\n"
                       "layers: [panel]\n"
                       "keys: [{at: [0, 0], value: red, label: a}, {at: [3, 0], value: blue, "
                       "label: b}]\n"
                       "animate: {query.position: [{t: 0, value: [0, 0]}]}\n";
    char with[1024], without[1024];
    snprintf(without, sizeof without, "%sattention: {bandwidth: 0.2}\n", base);
    snprintf(with, sizeof with, "%sattention: {bandwidth: 0.2, compare: {kernel: knn, k: 2}}\n",
             base);
    drawn a = draw_frame(without, 0), b = draw_frame(with, 0);
    sk_rect panel = a.layout.panel;
    int changed = 0, tallest = 0;
    for (int x = 0; x < 640; x++) {
        int run = 0;
        for (int y = 0; y < 360; y++) {
            rgb8 p = pixel(&a, x, y), q = pixel(&b, x, y);
            bool differs = p.r != q.r || p.g != q.g || p.b != q.b;
            if (differs &&
                !(x >= panel.x && x < panel.x + panel.w && y >= panel.y && y < panel.y + panel.h))
                fail_msg("pixel (%d, %d) outside the panel changed", x, y);
            changed += differs;
            run = differs ? run + 1 : 0;
            tallest = run > tallest ? run : tallest;
        }
    }
    assert_true(changed > 100);
    if (!(tallest > 0.15 * panel.h))
        fail_msg("tallest changed column %d px, panel %g px high", tallest, panel.h);
    drawn_free(&a);
    drawn_free(&b);
}

/* The formulas card shows the biased dot product's own kernel formula
 * (assets/formulas/kernel_dot_bias.svg): with the bias the card changes, and
 * nothing outside it does. */
static void test_bias_changes_kernel_formula(void **state)
{
    (void)state;
    const char *base = "video: {size: [640, 360], fps: 1, duration: 1}\n"
                       "layers: [formulas]\n"
                       "keys: [{at: [0, 0], value: red}, {at: [3, 0], value: blue}]\n";
    char plain[512], biased[512];
    snprintf(plain, sizeof plain, "%sattention: {kernel: dot}\n", base);
    snprintf(biased, sizeof biased, "%sattention: {kernel: dot, bias: half_norm}\n", base);
    drawn a = draw_frame(plain, 0), b = draw_frame(biased, 0);
    sk_rect card = a.layout.formulas;
    int changed = 0;
    for (int y = 0; y < 360; y++)
        for (int x = 0; x < 640; x++) {
            rgb8 p = pixel(&a, x, y), q = pixel(&b, x, y);
            if (p.r == q.r && p.g == q.g && p.b == q.b)
                continue;
            if (!(x >= card.x && x < card.x + card.w && y >= card.y && y < card.y + card.h))
                fail_msg("pixel (%d, %d) outside the formulas card changed", x, y);
            changed++;
        }
    assert_true(changed > 50);
    /* A missing file would change the card too (its kernel line would go):
     * the formula must be there (test_formulas checks that it loads). */
    assert_int_equal(access(SK_SOURCE_DIR "/assets/formulas/kernel_dot_bias.svg", R_OK), 0);
    drawn_free(&a);
    drawn_free(&b);
}

/* ---- Title cards ---------------------------------------------------------- */

/* sk_fade: a smoothstep from 0 to 1 over fade_in after start, back over
 * fade_out before end; smoothstep(1/2) = 1/2, smoothstep(1/4) = 5/32. */
static void test_fade(void **state)
{
    (void)state;
    assert_float_equal(sk_fade(0.25, 0.1, 1.0, 0.3, 0.0), 0.5, 1e-12);
    assert_float_equal(sk_fade(0.175, 0.1, 1.0, 0.3, 0.3), 5.0 / 32.0, 1e-12);
    assert_float_equal(sk_fade(0.1, 0.1, 1.0, 0.3, 0.3), 0.0, 1e-12);
    assert_float_equal(sk_fade(0.1, 0.1, 1.0, 0.0, 0.3), 1.0, 1e-12);  /* no fade in */
    assert_float_equal(sk_fade(0.95, 0.1, 1.0, 0.3, 0.0), 1.0, 1e-12); /* no fade out */
    assert_float_equal(sk_fade(0.85, 0.1, 1.0, 0.3, 0.3), 0.5, 1e-12);
    assert_float_equal(sk_fade(1.0, 0.1, 1.0, 0.3, 0.3), 0.0, 1e-12); /* end excluded */
    assert_float_equal(sk_fade(0.05, 0.1, 1.0, 0.3, 0.3), 0.0, 1e-12);
}

#define RED_KEY "keys: [{at: [0, 0], value: \"#ff0000\"}]\n"

/* A card from 1 s to 3 s of a 4 s video fades over min(0.6, 2 / 3) = 0.6 s.
 * The red key at the plot's centre (left of the title, which is centred in
 * the frame) shows red before, the background at full strength, and at
 * t = 1.3 s and 2.7 s (half the fade: alpha 1/2) the mean of the two:
 * (0xff + 0x10) / 2 = 135.5, 0x20 / 2 = 16, 0x30 / 2 = 24. */
static void test_card_hides_the_scene_and_fades(void **state)
{
    (void)state;
    const char *scene = SCENE_HEAD "layers: [keys, cards]\n" RED_KEY
                                   "text: {cards: [{start: 1, end: 3, title: T}]}\n";
    const struct {
        int64_t frame;
        rgb8 expected;
        int tolerance;
    } cases[] = {{5, {255, 0, 0}, 2},
                 {20, BACKGROUND, 0},
                 {13, {135, 16, 24}, 3},
                 {27, {135, 16, 24}, 3},
                 {35, {255, 0, 0}, 2}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        drawn d = draw_frame(scene, cases[i].frame);
        char where[32];
        snprintf(where, sizeof where, "frame %d", (int)cases[i].frame);
        assert_rgb_near(pixel_at(&d, 0.0, 0.0), cases[i].expected, cases[i].tolerance, where);
        drawn_free(&d);
    }
}

/* A card that starts the video is there, whole, on the first frame; one
 * that ends it stays whole to the last (frame 39 of 40, t = 3.9 s). */
static void test_card_at_the_edges_does_not_fade(void **state)
{
    (void)state;
    drawn d = draw_frame(SCENE_HEAD "layers: [keys, cards]\n" RED_KEY
                                    "text: {cards: [{start: 0, end: 2, title: Open}]}\n",
                         0);
    assert_rgb_near(pixel_at(&d, 0.0, 0.0), BACKGROUND, 0, "first frame");
    drawn_free(&d);
    d = draw_frame(SCENE_HEAD "layers: [keys, cards]\n" RED_KEY
                              "text: {cards: [{start: 2, end: 4, title: Close}]}\n",
                   39);
    assert_rgb_near(pixel_at(&d, 0.0, 0.0), BACKGROUND, 0, "last frame");
    drawn_free(&d);
}

/* video.palette recolours the keys before anything is computed: with one
 * key (all the weight) the query's ring is filled with the palette's first
 * colour, #e69f00, not the scene's red. */
static void test_palette_recolours_the_blend(void **state)
{
    (void)state;
    drawn d = draw_frame("video: {size: [640, 360], fps: 10, duration: 4, background: "
                         "\"#102030\", palette: okabe-ito}\n"
                         "view: {x: [-2, 2], y: [-1.5, 1.5]}\n"
                         "layers: [query]\n" RED_KEY
                         "query: {path: {type: polyline, closed: false, points: [[0.5, "
                         "0], [0.6, 0]]}}\n",
                         0);
    assert_rgb_near(pixel_at(&d, 0.5, 0.0), (rgb8){0xe6, 0x9f, 0x00}, 2, "ring centre");
    drawn_free(&d);
}

/* ---- Legend and weight labels --------------------------------------------- */

/* A 200 x 100 plot at (0, 0), a 60 x 30 box inset 5: the corners' boxes are
 * x 5..65 or 135..195, y 5..35 or 65..95. */
static void test_legend_corner(void **state)
{
    (void)state;
    sk_rect plot = {0, 0, 200, 100};
    assert_int_equal(sk_legend_corner(plot, 60, 30, 5, NULL, 0), SK_CORNER_TOP_RIGHT);
    sk_vec2 top_right_key = {170, 20};
    sk_obstacles one = {&top_right_key, 1, 8};
    assert_int_equal(sk_legend_corner(plot, 60, 30, 5, &one, 1), SK_CORNER_TOP_LEFT);
    /* top-right: a key (8); top-left: 9 route points (9); bottom-right: a
     * key (8); bottom-left: 10 route points. Top-right and bottom-right tie
     * at 8, and top-right comes first. */
    sk_vec2 keys[] = {{170, 20}, {150, 80}, {180, 10}};
    sk_vec2 route[19];
    for (int i = 0; i < 19; i++)
        route[i] = i < 9 ? (sk_vec2){10 + i, 20} : (sk_vec2){10 + i, 80};
    sk_obstacles groups[] = {{keys, 2, 8}, {route, 19, 1}};
    assert_int_equal(sk_legend_corner(plot, 60, 30, 5, groups, 2), SK_CORNER_TOP_RIGHT);
    /* A third key in the top-right box tips it to bottom-right. */
    groups[0].count = 3;
    assert_int_equal(sk_legend_corner(plot, 60, 30, 5, groups, 2), SK_CORNER_BOTTOM_RIGHT);
    assert_int_equal(sk_legend_cost((sk_rect){135, 5, 60, 30}, groups, 2), 16);
    assert_int_equal(sk_legend_cost((sk_rect){5, 65, 60, 30}, groups, 2), 10);

    sk_rect box = sk_corner_box((sk_rect){10, 20, 200, 100}, SK_CORNER_BOTTOM_LEFT, 60, 30, 5);
    assert_float_equal(box.x, 15, 1e-12);
    assert_float_equal(box.y, 85, 1e-12); /* 20 + 100 - 5 - 30 */
    box = sk_corner_box((sk_rect){10, 20, 200, 100}, SK_CORNER_TOP_RIGHT, 60, 30, 5);
    assert_float_equal(box.x, 145, 1e-12); /* 10 + 200 - 5 - 60 */
    assert_float_equal(box.y, 25, 1e-12);
}

/* Keys only in the plot's upper right: the legend goes to the upper left,
 * and the upper right stays empty; legend.corner overrides the choice. */
static void test_legend_avoids_the_keys(void **state)
{
    (void)state;
    const char *keys = "keys: [{at: [1.5, 1.2], value: red, label: \"\"}, "
                       "{at: [1.8, 1.0], value: blue, label: \"\"}]\n"
                       "query: {path: {type: polyline, closed: false, points: [[1, -1], [1.5, "
                       "-1]]}}\n";
    char scene[1024];
    snprintf(scene, sizeof scene, "%s%s%s", SCENE_HEAD, "layers: [legend]\n", keys);
    drawn d = draw_frame(scene, 0);
    const sk_rect *p = &d.layout.plot;
    double qw = p->w / 4, qh = p->h / 4;
    assert_true(ink(&d, p->x, p->y, p->x + qw, p->y + qh, BACKGROUND, 20) > 100);
    assert_int_equal(ink(&d, p->x + p->w - qw, p->y, p->x + p->w, p->y + qh, BACKGROUND, 20), 0);
    drawn_free(&d);
    snprintf(scene, sizeof scene, "%s%s%s", SCENE_HEAD,
             "layers: [legend]\nlegend: {corner: bottom-right}\n", keys);
    d = draw_frame(scene, 0);
    assert_true(ink(&d, p->x + p->w - qw, p->y + p->h - qh, p->x + p->w, p->y + p->h, BACKGROUND,
                    20) > 100);
    assert_int_equal(ink(&d, p->x, p->y, p->x + qw, p->y + qh, BACKGROUND, 20), 0);
    drawn_free(&d);
}

/* Keys in both upper corners: the legend takes the lower right; with a
 * caption at the bottom it keeps off the captions' band (a caption would be
 * drawn over it) and hides a key instead, in the upper right. */
static void test_legend_keeps_off_the_captions(void **state)
{
    (void)state;
    const char *keys = "keys: [{at: [-1.8, 1.3], value: red, label: \"\"}, "
                       "{at: [1.8, 1.3], value: blue, label: \"\"}]\n"
                       "query: {path: {type: polyline, closed: false, points: [[-0.1, 0], [0.1, "
                       "0]]}}\n";
    char scene[1024];
    snprintf(scene, sizeof scene, "%slayers: [legend]\n%s", SCENE_HEAD, keys);
    drawn d = draw_frame(scene, 0);
    const sk_rect *p = &d.layout.plot;
    double qw = p->w / 4, qh = p->h / 4, right = p->x + p->w, bottom = p->y + p->h;
    assert_true(ink(&d, right - qw, bottom - qh, right, bottom, BACKGROUND, 20) > 100);
    drawn_free(&d);
    snprintf(scene, sizeof scene,
             "%slayers: [legend, captions]\ntext: {captions: [{start: 0, end: 4, text: hi}]}\n%s",
             SCENE_HEAD, keys);
    d = draw_frame(scene, 0);
    assert_int_equal(ink(&d, right - qw, bottom - qh, right, bottom, BACKGROUND, 20), 0);
    assert_true(ink(&d, right - qw, p->y, right, p->y + qh, BACKGROUND, 20) > 100);
    drawn_free(&d);
}

/* σ goes at the lower right of the bandwidth circle, or the lower left when
 * a weight label would meet it there. The query sits at (0, 0), σ = 0.6;
 * only the query layer is drawn, so σ is the only ink beside the ring. */
#define SIGMA_SCENE                                                                                \
    SCENE_HEAD "layers: [query]\nlabels: {weights: true}\n"                                        \
               "attention: {kernel: gaussian, bandwidth: 0.6}\n"                                   \
               "query: {path: {type: polyline, closed: false, points: [[0, 0], [0.01, 0]]}}\n"

/* Ink right of the anchor (side 1) or left of it (side -1), clear of the circle. */
static int sigma_ink(const drawn *d, double side)
{
    double u = d->layout.unit, r = 0.6 * d->layout.scale;
    sk_vec2 q = sk_layout_to_px(&d->layout, (sk_vec2){0, 0});
    double ax = q.x + side * r * M_SQRT1_2, ay = q.y + r * M_SQRT1_2;
    double x0 = side > 0 ? ax + 6 * u : ax - 24 * u;
    return ink(d, x0, ay + 6 * u, x0 + 18 * u, ay + 26 * u, BACKGROUND, 40);
}

static void test_sigma_keeps_off_weight_labels(void **state)
{
    (void)state;
    drawn d = draw_frame(SIGMA_SCENE "keys: [{at: [-1.5, 1], value: red}]\n", 0);
    assert_true(sigma_ink(&d, 1) > 2); /* σ is 8 px tall here: a few pixels of ink */
    assert_int_equal(sigma_ink(&d, -1), 0);
    /* A key 12 units right of and 10 above the right anchor: its weight
     * label (14 to 44 units under it, 28 each side) covers the anchor. */
    double u = d.layout.unit, r = 0.6 * d.layout.scale;
    sk_vec2 q = sk_layout_to_px(&d.layout, (sk_vec2){0, 0});
    double kx = q.x + r * M_SQRT1_2 + 12 * u, ky = q.y + r * M_SQRT1_2 - 10 * u;
    double sx = (kx - d.layout.origin_x) / d.layout.scale,
           sy = (d.layout.origin_y - ky) / d.layout.scale;
    drawn_free(&d);
    char scene[1024];
    snprintf(scene, sizeof scene, "%skeys: [{at: [%.6f, %.6f], value: red}]\n", SIGMA_SCENE, sx,
             sy);
    d = draw_frame(scene, 0);
    assert_int_equal(sigma_ink(&d, 1), 0);
    assert_true(sigma_ink(&d, -1) > 2);
    drawn_free(&d);
}

/* A key's disc where σ would go at the lower right (the keys layer is not
 * drawn, so σ is still the only ink there): σ goes to the lower left. */
static void test_sigma_keeps_off_key_discs(void **state)
{
    (void)state;
    drawn d = draw_frame(SIGMA_SCENE "keys: [{at: [-1.5, 1], value: red}]\n", 0);
    double u = d.layout.unit, r = 0.6 * d.layout.scale;
    sk_vec2 q = sk_layout_to_px(&d.layout, (sk_vec2){0, 0});
    /* the middle of the box sigma_ink looks at on the right */
    double kx = q.x + r * M_SQRT1_2 + 15 * u, ky = q.y + r * M_SQRT1_2 + 16 * u;
    double sx = (kx - d.layout.origin_x) / d.layout.scale,
           sy = (d.layout.origin_y - ky) / d.layout.scale;
    drawn_free(&d);
    char scene[1024];
    snprintf(scene, sizeof scene,
             SCENE_HEAD "layers: [query]\nattention: {kernel: gaussian, bandwidth: 0.6}\n"
                        "query: {path: {type: polyline, closed: false, points: [[0, 0], [0.01, "
                        "0]]}}\nkeys: [{at: [%.6f, %.6f], value: red, label: \"\"}]\n",
             sx, sy);
    d = draw_frame(scene, 0);
    assert_int_equal(sigma_ink(&d, 1), 0);
    assert_true(sigma_ink(&d, -1) > 2);
    drawn_free(&d);
}

/* The weight goes under the disc (radius 14 units = 5 px at 360 px tall),
 * centred: something is written in the 14 px wide strip from 2 to 12 px
 * below the disc with labels.weights, nothing without. */
static int under_the_key(const char *extra)
{
    char scene[512];
    snprintf(scene, sizeof scene, "%slayers: [keys]\n%s%s", SCENE_HEAD, RED_KEY, extra);
    drawn d = draw_frame(scene, 0);
    sk_vec2 k = sk_layout_to_px(&d.layout, (sk_vec2){0, 0});
    double r = 14 * d.layout.unit;
    int n = ink(&d, k.x - 7, k.y + r + 2, k.x + 7, k.y + r + 12, BACKGROUND, 40);
    drawn_free(&d);
    return n;
}

static void test_weight_label_under_the_key(void **state)
{
    (void)state;
    assert_true(under_the_key("labels: {weights: true}\n") > 10);
    assert_int_equal(under_the_key(""), 0);
}

/* Sorted: heaviest first, equal weights in the scene's order, nothing left over. */
static void test_panel_bars_by_weight(void **state)
{
    (void)state;
    const double w[5] = {0.2, 0.3, 0.05, 0.3, 0.15};
    int out[12];
    double others = -1;
    assert_int_equal(sk_panel_bars(w, 5, 12, true, out, &others), 5);
    const int expected[5] = {1, 3, 0, 4, 2};
    for (int i = 0; i < 5; i++)
        assert_int_equal(out[i], expected[i]);
    assert_float_equal(others, 0.0, 1e-12);
}

/* ---- The query's label ---------------------------------------------------- */

/* Ink of the query layer alone in a 40 px wide band just above (above =
 * true) or just below the query's ring, the query held at (0, 0). */
static int label_ink(const char *keys, bool above)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             SCENE_HEAD "layers: [query]\nkeys: %s\n"
                        "animate: {query.position: [{t: 0, value: [0, 0]}]}\n",
             keys);
    drawn d = draw_frame(yaml, 0);
    sk_vec2 q = sk_layout_to_px(&d.layout, (sk_vec2){0, 0});
    double reach = (30.0 + 6.0 + 1.0) * d.layout.unit; /* ring and its stroke */
    double y0 = above ? q.y - reach - 14.0 : q.y + reach;
    int count = ink(&d, q.x - 20, y0, q.x + 20, y0 + 14.0, BACKGROUND, 40);
    drawn_free(&d);
    return count;
}

/* The name sits above the ring unless a key's name is there: a key just
 * above and left of the query puts its name where "query" would go (the
 * keys layer is not drawn, so any ink is the query's label). */
static void test_query_label_avoids_key_names(void **state)
{
    (void)state;
    const char *far = "[{at: [1.8, -1.3], value: red, label: far}]";
    const char *near = "[{at: [1.8, -1.3], value: red, label: far}, "
                       "{at: [-0.1, 0.2], value: blue, label: neighbour}]";
    assert_true(label_ink(far, true) > 20);
    assert_true(label_ink(far, false) < 3);
    assert_true(label_ink(near, true) < 3);
    assert_true(label_ink(near, false) > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_one_key_fills_the_plot),
        cmocka_unit_test(test_field_two_keys_blend_and_contour),
        cmocka_unit_test(test_field_unreached_is_background),
        cmocka_unit_test(test_field_scalar_uses_the_ramp),
        cmocka_unit_test(test_caption_only_between_start_and_end),
        cmocka_unit_test(test_query_trail_reaches_back_1_5_s),
        cmocka_unit_test(test_grid_numbers_along_the_bottom),
        cmocka_unit_test(test_panel_bars_few_keep_scene_order),
        cmocka_unit_test(test_panel_bars_thirty_keys),
        cmocka_unit_test(test_panel_bars_that_read_the_same_keep_still),
        cmocka_unit_test(test_panel_bars_ties_lower_index_first),
        cmocka_unit_test(test_panel_bars_many_keys),
        cmocka_unit_test(test_panel_draws_thirty_keys),
        cmocka_unit_test(test_compare_draws_ghost_bars),
        cmocka_unit_test(test_bias_changes_kernel_formula),
        cmocka_unit_test(test_panel_bars_by_weight),
        cmocka_unit_test(test_fade),
        cmocka_unit_test(test_card_hides_the_scene_and_fades),
        cmocka_unit_test(test_card_at_the_edges_does_not_fade),
        cmocka_unit_test(test_legend_corner),
        cmocka_unit_test(test_legend_avoids_the_keys),
        cmocka_unit_test(test_legend_keeps_off_the_captions),
        cmocka_unit_test(test_weight_label_under_the_key),
        cmocka_unit_test(test_sigma_keeps_off_weight_labels),
        cmocka_unit_test(test_sigma_keeps_off_key_discs),
        cmocka_unit_test(test_palette_recolours_the_blend),
        cmocka_unit_test(test_query_label_avoids_key_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
