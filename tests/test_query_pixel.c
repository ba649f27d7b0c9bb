/* The query ring's centre pixel, for every kernel: a frame drawn in-process
 * (as `softknn render` draws it) must show there the blend of the keys'
 * colours under that kernel's weights. The weights and the linear-light
 * blend are written out here from the formulas in docs/scene-format.md,
 * not taken from the core, so that this test checks the core, the
 * timeline and the drawing together against an independent account.
 *
 * Every scene has the same four keys and puts the query at Q at frame 0
 * (the first point of an open route). Distances from Q = (0.4, 0.3):
 * a 2.419, b 1.612, c 1.265, d 1.703; dot products q.k: a -0.80, b 0.95,
 * c 0.45, d -0.22. So sigma 1.65 reaches b and c but not a or d, and
 * k = 2 keeps b and c for knn and for topk over dot. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "frame.h"

#define KEY_COUNT 4
#define TOLERANCE 3.0 /* levels of 255, per channel */
#define QX 0.4
#define QY 0.3

static const double key_at[KEY_COUNT][2] = {{-2, 0}, {2, 0.5}, {0, 1.5}, {0.5, -1.4}};
static const unsigned key_rgb[KEY_COUNT] = {0xe11d48, 0x2563eb, 0x22c55e, 0xf59e0b};

static double distance(int i)
{
    return hypot(QX - key_at[i][0], QY - key_at[i][1]);
}

static double dot(int i)
{
    return QX * key_at[i][0] + QY * key_at[i][1];
}

/* Weights before normalising, one formula per kernel. */
typedef void (*kernel_formula)(double w[KEY_COUNT]);

static void gaussian(double w[KEY_COUNT]) /* sigma 1.2 */
{
    for (int i = 0; i < KEY_COUNT; i++)
        w[i] = exp(-distance(i) * distance(i) / (2 * 1.2 * 1.2));
}

static void dot_product(double w[KEY_COUNT]) /* T 0.5, d = 2 */
{
    for (int i = 0; i < KEY_COUNT; i++)
        w[i] = exp(dot(i) / (sqrt(2.0) * 0.5));
}

static void cosine(double w[KEY_COUNT]) /* T 0.3 */
{
    for (int i = 0; i < KEY_COUNT; i++)
        w[i] = exp(dot(i) / (hypot(QX, QY) * hypot(key_at[i][0], key_at[i][1])) / 0.3);
}

static void laplacian(double w[KEY_COUNT]) /* sigma 0.8 */
{
    for (int i = 0; i < KEY_COUNT; i++)
        w[i] = exp(-distance(i) / 0.8);
}

static void epanechnikov(double w[KEY_COUNT]) /* sigma 1.65 */
{
    for (int i = 0; i < KEY_COUNT; i++)
        w[i] = fmax(0.0, 1.0 - distance(i) * distance(i) / (1.65 * 1.65));
}

static void boxcar(double w[KEY_COUNT]) /* sigma 1.65 */
{
    for (int i = 0; i < KEY_COUNT; i++)
        w[i] = distance(i) <= 1.65 ? 1.0 : 0.0;
}

static void knn(double w[KEY_COUNT]) /* k 2: the two nearest are b and c */
{
    const double nearest[KEY_COUNT] = {0, 1, 1, 0};
    memcpy(w, nearest, sizeof nearest);
}

static void topk_dot(double w[KEY_COUNT]) /* k 2 over dot, T 0.8: the two largest are b and c */
{
    for (int i = 0; i < KEY_COUNT; i++)
        w[i] = (i == 1 || i == 2) ? exp(dot(i) / (sqrt(2.0) * 0.8)) : 0.0;
}

typedef struct kernel_case {
    const char *attention; /* the scene's attention mapping */
    kernel_formula weights;
} kernel_case;

static const kernel_case kernel_cases[] = {
    {"{kernel: gaussian, bandwidth: 1.2}", gaussian},
    {"{kernel: dot, temperature: 0.5}", dot_product},
    {"{kernel: cosine, temperature: 0.3}", cosine},
    {"{kernel: laplacian, bandwidth: 0.8}", laplacian},
    {"{kernel: epanechnikov, bandwidth: 1.65}", epanechnikov},
    {"{kernel: boxcar, bandwidth: 1.65}", boxcar},
    {"{kernel: knn, k: 2}", knn},
    {"{kernel: topk, k: 2, base: dot, temperature: 0.8}", topk_dot},
};

static const char scene_template[] =
    "video: {size: [320, 180], fps: 12, duration: 1, background: \"#0f172a\"}\n"
    "view: {x: [-3, 3], y: [-2, 2]}\n"
    "attention: %s\n"
    "keys:\n"
    "  - {at: [-2, 0], value: \"#e11d48\", label: a}\n"
    "  - {at: [2, 0.5], value: \"#2563eb\", label: b}\n"
    "  - {at: [0, 1.5], value: \"#22c55e\", label: c}\n"
    "  - {at: [0.5, -1.4], value: \"#f59e0b\", label: d}\n"
    "query: {path: {type: polyline, closed: false, points: [[0.4, 0.3], [1.5, -1]]}}\n";

static double to_linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double to_srgb(double c)
{
    return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
}

/* The blend of the keys' colours under w (normalised here), 0-255 sRGB. */
static void expected_colour(const double w[KEY_COUNT], double out[3])
{
    double sum = 0.0;
    for (int i = 0; i < KEY_COUNT; i++)
        sum += w[i];
    assert_true(sum > 0.0);
    for (int ch = 0; ch < 3; ch++) {
        double linear = 0.0;
        for (int i = 0; i < KEY_COUNT; i++) {
            double code = (key_rgb[i] >> (16 - 8 * ch) & 0xff) / 255.0;
            linear += w[i] / sum * to_linear(code);
        }
        out[ch] = 255.0 * to_srgb(linear);
    }
}

static void test_kernel(void **state)
{
    const kernel_case *kc = *state;
    char text[2048], name[128];
    snprintf(text, sizeof text, scene_template, kc->attention);
    snprintf(name, sizeof name, "attention: %s", kc->attention);
    sk_scene *scene = NULL;
    sk_error err = {0};
    if (sk_scene_load_string(text, name, &scene, &err) != SK_OK)
        fail_msg("%s", err.message);
    sk_layout layout;
    cairo_surface_t *image = render_frame(scene, 0, &layout);
    sk_scene_free(scene);

    sk_vec2 centre = sk_layout_to_px(&layout, (sk_vec2){QX, QY});
    int px[4];
    pixel_at(image, (int)floor(centre.x), (int)floor(centre.y), px);
    cairo_surface_destroy(image);

    double w[KEY_COUNT], expected[3];
    kc->weights(w);
    expected_colour(w, expected);
    for (int ch = 0; ch < 3; ch++)
        if (fabs(px[ch] - expected[ch]) > TOLERANCE)
            fail_msg(
                "%s: channel %d at (%.1f, %.1f): expected %.1f, found %d (pixel #%02x%02x%02x)",
                kc->attention, ch, centre.x, centre.y, expected[ch], px[ch], px[0], px[1], px[2]);
    assert_int_equal(px[3], 255);
}

int main(void)
{
    enum { CASE_COUNT = sizeof kernel_cases / sizeof kernel_cases[0] };
    _Static_assert((int)CASE_COUNT == (int)SK_KERNEL_COUNT, "one row per kernel");
    static char names[CASE_COUNT][64];
    struct CMUnitTest tests[CASE_COUNT];
    for (int i = 0; i < CASE_COUNT; i++) {
        /* "{kernel: gaussian, ..." -> "gaussian" */
        const char *kind = kernel_cases[i].attention + strlen("{kernel: ");
        snprintf(names[i], sizeof names[i], "%.*s", (int)strcspn(kind, ",}"), kind);
        tests[i] = (struct CMUnitTest){names[i], test_kernel, NULL, NULL, (void *)&kernel_cases[i]};
    }
    return cmocka_run_group_tests_name("query pixel", tests, NULL, NULL);
}
