/* The formulas and mapping layers: every formula SVG loads with librsvg, and
 * each layer draws inside its own box and nowhere else, at 854x480 and at
 * 320x180, for every kernel, both themes, colour and number scenes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <librsvg/rsvg.h>

#include "draw/draw.h"
#include "draw/painter.h"
#include "timeline/timeline.h"

#define FORMULAS_DIR SK_SOURCE_DIR "/assets/formulas"
#define MIN_INK 0.01      /* share of a box's pixels a layer must ink */
#define MIN_SVG_INK 0.005 /* share the SVGs alone must ink: the mapping's are small */
#define INK_LEVEL 24      /* a channel differing by more (of 255) from the card is ink */

/* ---- The assets ---------------------------------------------------------- */

static char *read_all(const char *path)
{
    gchar *text = NULL;
    GError *error = NULL;
    if (!g_file_get_contents(path, &text, NULL, &error)) {
        fail_msg("%s: %s", path, error->message);
        g_clear_error(&error);
    }
    return text;
}

static void check_svg(const char *path)
{
    GError *error = NULL;
    RsvgHandle *handle = rsvg_handle_new_from_file(path, &error);
    if (!handle) {
        fail_msg("%s: %s", path, error ? error->message : "librsvg refused it");
        g_clear_error(&error);
    }
    double w = 0, h = 0;
    assert_true(rsvg_handle_get_intrinsic_size_in_pixels(handle, &w, &h));
    if (!(w > 0 && h > 0))
        fail_msg("%s: intrinsic size %g x %g", path, w, h);
    g_object_unref(handle);

    /* The renderer recolours by replacing currentColor: a file without it
     * would stay black on the dark theme. */
    char *text = read_all(path);
    if (!strstr(text, "currentColor"))
        fail_msg("%s: no currentColor to recolour", path);
    g_free(text);
}

static void test_every_svg_loads(void **state)
{
    (void)state;
    DIR *dir = opendir(FORMULAS_DIR);
    assert_non_null(dir);
    int count = 0;
    bool nw = false, attention = false;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".svg") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", FORMULAS_DIR, e->d_name);
        check_svg(path);
        nw |= strcmp(e->d_name, "nadaraya_watson.svg") == 0;
        attention |= strcmp(e->d_name, "attention.svg") == 0;
        count++;
    }
    closedir(dir);
    assert_true(nw);
    assert_true(attention);
    assert_true(count >= 2);
}

/* ---- The layers ------------------------------------------------------------ */

static const char *const colour_scene =
    "video: {size: [854, 480], fps: 10, duration: 1%s}\n"
    "text: {title: formulas}\n"
    "view: {x: [-3, 3], y: [-2, 2]}\n"
    "attention: {kernel: gaussian, bandwidth: 1.2}\n"
    "keys:\n"
    "  - {at: [-2, 0], value: \"#e11d48\", label: cat}\n"
    "  - {at: [2, 0], value: \"#2563eb\", label: bus}\n"
    "  - {at: [0, 1.5], value: \"#22c55e\", label: sun}\n"
    "  - {at: [1, -1.5], value: \"#f5f5f4\", label: moon}\n"
    "query: {path: {points: [[0, 0.3], [1.5, -1], [-1.5, -1]]}}\n"
    "layers: [panel, formulas, mapping]\n";

static const char *const scalar_scene =
    "video: {size: [854, 480], fps: 10, duration: 1}\n"
    "view: {x: [-3, 3], y: [-2, 2]}\n"
    "attention: {kernel: laplacian, bandwidth: 0.8}\n"
    "keys:\n"
    "  - {at: [-2, 0], value: 0.3}\n"
    "  - {at: [2, 0], value: -1.25}\n"
    "  - {at: [0, 1.5], value: 12.5}\n"
    "query: {path: {points: [[0, 0.3], [1.5, -1], [-1.5, -1]]}}\n"
    "layers: [panel, formulas, mapping]\n";

/* A scene, its timeline and one frame's weights, as the renderer makes them. */
typedef struct fixture {
    sk_scene *scene;
    sk_timeline *timeline;
    sk_frame_state state;
    sk_frame frame;
    double weights[8], scratch[8];
    sk_vec2 keys[8];
} fixture;

static void fixture_load(fixture *f, const char *yaml)
{
    sk_error err;
    memset(f, 0, sizeof *f);
    if (sk_scene_load_string(yaml, "test_formulas.yaml", &f->scene, &err) != SK_OK)
        fail_msg("scene: %s", err.message);
    assert_true(f->scene->key_count <= 8);
    if (sk_timeline_new(f->scene, &f->timeline, &err) != SK_OK)
        fail_msg("timeline: %s", err.message);
    sk_timeline_state_at(f->timeline, 0, &f->state);
}

/* The frame's weights and output for the state's kernel (src/render/evaluate.c
 * does the same through its evaluator). */
static void fixture_evaluate(fixture *f)
{
    size_t n = (size_t)f->scene->key_count;
    sk_rgb colours[8];
    double scalars[8];
    for (size_t i = 0; i < n; i++) {
        f->keys[i] = f->scene->keys[i].at;
        colours[i] = f->scene->keys[i].value;
        scalars[i] = f->scene->keys[i].scalar;
    }
    f->frame.state = &f->state;
    f->frame.weights = f->weights;
    f->frame.has_output =
        sk_attention_weights(&f->state.kernel, f->state.query, f->keys, n, f->weights, f->scratch);
    f->frame.output = sk_blend_srgb(f->weights, colours, n);
    f->frame.scalar = sk_blend_scalar(f->weights, scalars, n);
}

static void fixture_free(fixture *f)
{
    sk_timeline_free(f->timeline);
    sk_scene_free(f->scene);
}

/* Draws the frame with only `layer` visible into a new width x height surface. */
static cairo_surface_t *draw_only(fixture *f, int layer, int width, int height, sk_layout *layout)
{
    for (int i = 0; i < SK_LAYER_COUNT; i++)
        f->state.opacity[i] = i == layer ? 1.0 : 0.0;
    sk_layout_make(width, height, f->scene, f->state.camera_center, f->state.camera_zoom, layout);
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(surface);
    sk_error err;
    if (sk_draw_frame(cr, layout, f->scene, f->timeline, &f->frame, &err) != SK_OK)
        fail_msg("draw: %s", err.message);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    assert_int_equal(cairo_surface_status(surface), CAIRO_STATUS_SUCCESS);
    return surface;
}

/* Whether pixel (x, y) lies wholly outside r: pixels the box's fractional
 * edge passes through may be touched by antialiasing. */
static bool outside(sk_rect r, int x, int y)
{
    return x + 1 <= r.x || x >= r.x + r.w || y + 1 <= r.y || y >= r.y + r.h;
}

static int compare_pixels(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The commonest pixel inside r: the card's fill, which the ink is not. */
static uint32_t card_colour(cairo_surface_t *s, sk_rect r)
{
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    size_t n = 0, cap = (size_t)(r.w + 2) * (size_t)(r.h + 2);
    uint32_t *pixels = malloc(cap * sizeof *pixels);
    assert_non_null(pixels);
    for (int y = (int)ceil(r.y); y + 1 <= r.y + r.h; y++)
        for (int x = (int)ceil(r.x); x + 1 <= r.x + r.w && n < cap; x++)
            memcpy(&pixels[n++], data + y * stride + 4 * x, 4);
    qsort(pixels, n, sizeof *pixels, compare_pixels);
    uint32_t best = n ? pixels[0] : 0;
    for (size_t i = 0, run = 0, longest = 0; i < n; i++) {
        run = i > 0 && pixels[i] == pixels[i - 1] ? run + 1 : 1;
        if (run > longest)
            longest = run, best = pixels[i];
    }
    free(pixels);
    return best;
}

/* Whether two ARGB32 pixels differ by more than antialiasing noise. */
static bool distinct(const unsigned char *a, uint32_t b)
{
    uint32_t pixel;
    memcpy(&pixel, a, 4);
    for (int shift = 0; shift < 32; shift += 8)
        if (abs((int)((pixel >> shift) & 0xff) - (int)((b >> shift) & 0xff)) > INK_LEVEL)
            return true;
    return false;
}

/* Compares a frame with one layer drawn against the bare background: no
 * pixel changed outside the layer's box, and inside it enough pixels that
 * stand out from the card's fill (the fill alone changes every pixel, so it
 * is not counted as ink: the formulas, words and numbers are). */
static double check_ink(cairo_surface_t *drawn, cairo_surface_t *bare, sk_rect box,
                        const char *what)
{
    int w = cairo_image_surface_get_width(drawn), h = cairo_image_surface_get_height(drawn);
    int stride = cairo_image_surface_get_stride(drawn);
    const unsigned char *a = cairo_image_surface_get_data(drawn);
    const unsigned char *b = cairo_image_surface_get_data(bare);
    double area = box.w * box.h;
    if (!(area > 0))
        fail_msg("%s at %dx%d: empty box", what, w, h);
    uint32_t card = card_colour(drawn, box);
    long inked = 0, strays = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const unsigned char *pixel = a + y * stride + 4 * x;
            if (outside(box, x, y))
                strays += memcmp(pixel, b + y * stride + 4 * x, 4) != 0;
            else
                inked += distinct(pixel, card);
        }
    if (strays > 0)
        fail_msg("%s at %dx%d: %ld pixels drawn outside its box", what, w, h, strays);
    if (inked < MIN_INK * area)
        fail_msg("%s at %dx%d: only %ld of %.0f pixels inked", what, w, h, inked, area);
    if (getenv("SK_TEST_VERBOSE"))
        print_message("%s at %dx%d: %.1f %% inked\n", what, w, h, 100.0 * inked / area);
    return inked / area;
}

/* Checks both layers at a size; ink (if not NULL) gets each one's share of
 * its box inked: formulas, then mapping. */
static void check_layers(fixture *f, int width, int height, const char *what, double ink[2])
{
    sk_layout layout;
    cairo_surface_t *bare = draw_only(f, -1, width, height, &layout);
    const int layers[2] = {SK_LAYER_FORMULAS, SK_LAYER_MAPPING};
    for (int i = 0; i < 2; i++) {
        cairo_surface_t *drawn = draw_only(f, layers[i], width, height, &layout);
        char label[128];
        snprintf(label, sizeof label, "%s (%s)", i == 0 ? "formulas" : "mapping", what);
        double share = check_ink(drawn, bare, i == 0 ? layout.formulas : layout.mapping, label);
        if (ink)
            ink[i] = share;
        cairo_surface_destroy(drawn);
    }
    cairo_surface_destroy(bare);
}

static void check_scene(const char *yaml, const char *what)
{
    fixture f;
    fixture_load(&f, yaml);
    fixture_evaluate(&f);
    check_layers(&f, 854, 480, what, NULL);
    check_layers(&f, 320, 180, what, NULL);
    fixture_free(&f);
}

static void test_colour_scene(void **state)
{
    (void)state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml, colour_scene, "");
    check_scene(yaml, "dark theme");
    snprintf(yaml, sizeof yaml, colour_scene, ", theme: light");
    check_scene(yaml, "light theme");
}

static void test_scalar_scene(void **state)
{
    (void)state;
    check_scene(scalar_scene, "numbers");
}

/* Each kernel has its own formula under Nadaraya–Watson. */
static void test_every_kernel(void **state)
{
    (void)state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml, colour_scene, "");
    fixture f;
    fixture_load(&f, yaml);
    for (int kind = 0; kind < SK_KERNEL_COUNT; kind++) {
        f.state.kernel = sk_kernel_default((sk_kernel_kind)kind);
        fixture_evaluate(&f);
        check_layers(&f, 854, 480, sk_kernel_name((sk_kernel_kind)kind), NULL);
    }
    fixture_free(&f);
}

/* A compact kernel that reaches no key: no output, and the layers still draw. */
static void test_no_output(void **state)
{
    (void)state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml, colour_scene, "");
    fixture f;
    fixture_load(&f, yaml);
    f.state.kernel = sk_kernel_default(SK_KERNEL_BOXCAR);
    f.state.kernel.bandwidth = 0.01;
    fixture_evaluate(&f);
    assert_false(f.frame.has_output);
    check_layers(&f, 854, 480, "no output", NULL);
    fixture_free(&f);
}

/* A box of height 0 (its layer not laid out) makes the painters draw
 * nothing: called directly, past sk_draw_frame's list of layers. */
static void test_empty_box(void **state)
{
    (void)state;
    char yaml[2048];
    snprintf(yaml, sizeof yaml, colour_scene, "");
    fixture f;
    fixture_load(&f, yaml);
    fixture_evaluate(&f);
    sk_layout layout;
    sk_layout_make(320, 180, f.scene, f.state.camera_center, f.state.camera_zoom, &layout);
    layout.formulas.h = layout.mapping.h = 0;
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 320, 180);
    cairo_t *cr = cairo_create(surface);
    palette pal = {{1, 1, 1}, {0.5, 0.5, 0.5}, {1, 1, 1}, {0, 0, 0}};
    painter p = {cr,  &layout, pango_cairo_create_layout(cr), f.scene, f.timeline, &f.frame, 0.0,
                 1.0, &pal};
    sk_paint_formulas(&p);
    sk_paint_mapping(&p);
    cairo_surface_flush(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    size_t bytes = (size_t)cairo_image_surface_get_stride(surface) * 180;
    for (size_t i = 0; i < bytes; i++)
        if (data[i] != 0)
            fail_msg("byte %zu drawn with an empty box", i);
    assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
    g_object_unref(p.text);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    fixture_free(&f);
}

/* ---- Missing assets, in a child process --------------------------------- */

/* The assets directory is found once per process, so the case where it holds
 * no usable formula runs in a fresh copy of this program: SK_ASSETS_DIR
 * names a directory whose nadaraya_watson.svg is not SVG and which has no
 * other formula. The child prints its layers' ink; see child_main. */
#define CHILD_FLAG "SK_TEST_FORMULAS_CHILD"
#define BROKEN_ASSETS SK_TEST_TMP "/formulas-broken"

static int child_main(void)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, colour_scene, "");
    fixture f;
    fixture_load(&f, yaml);
    fixture_evaluate(&f);
    double ink[2];
    check_layers(&f, 854, 480, "broken assets", ink);
    printf("%f %f\n", ink[0], ink[1]);
    fixture_free(&f);
    return 0;
}

static void write_text(const char *path, const char *text)
{
    GError *error = NULL;
    if (!g_file_set_contents(path, text, -1, &error)) {
        fail_msg("%s: %s", path, error->message);
        g_clear_error(&error);
    }
}

/* Without formulas the frame still renders, and the layers lose their ink:
 * so the SVGs are what the layers draw, not only words around them. */
static void test_missing_assets(void **state)
{
    (void)state;
    assert_int_equal(g_mkdir_with_parents(BROKEN_ASSETS "/formulas", 0755), 0);
    write_text(BROKEN_ASSETS "/formulas/nadaraya_watson.svg", "not an SVG\n");
    char self[4096], command[8400];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    assert_true(n > 0);
    self[n] = '\0';
    snprintf(command, sizeof command, "env -u SK_TEST_VERBOSE %s=1 SK_ASSETS_DIR='%s' '%s'",
             CHILD_FLAG, BROKEN_ASSETS, self);
    FILE *child = popen(command, "r");
    assert_non_null(child);
    double broken[2] = {-1, -1};
    int read = fscanf(child, "%lf %lf", &broken[0], &broken[1]);
    int status = pclose(child);
    assert_int_equal(read, 2);
    assert_int_equal(status, 0);

    char yaml[2048];
    snprintf(yaml, sizeof yaml, colour_scene, "");
    fixture f;
    fixture_load(&f, yaml);
    fixture_evaluate(&f);
    double whole[2];
    check_layers(&f, 854, 480, "assets", whole);
    fixture_free(&f);
    for (int i = 0; i < 2; i++)
        if (!(whole[i] - broken[i] > MIN_SVG_INK))
            fail_msg("%s: %.1f %% inked with formulas, %.1f %% without",
                     i == 0 ? "formulas" : "mapping", 100 * whole[i], 100 * broken[i]);
}

int main(void)
{
    if (getenv(CHILD_FLAG))
        return child_main();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_svg_loads), cmocka_unit_test(test_colour_scene),
        cmocka_unit_test(test_scalar_scene),    cmocka_unit_test(test_every_kernel),
        cmocka_unit_test(test_no_output),       cmocka_unit_test(test_empty_box),
        cmocka_unit_test(test_missing_assets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
