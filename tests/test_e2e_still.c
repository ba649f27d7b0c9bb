/* End-to-end: `softknn still` on tests/scenes/tiny.yaml (320x180, 12 fps,
 * 12 frames). PNGs are read back with Cairo's own PNG reader; SVG and PDF
 * are inspected as text and bytes: what they must contain for shapes to
 * stay shapes and text to stay text, and the one bitmap allowed (the field
 * layer's image of the plot). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cairo.h>
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "draw/draw.h"
#include "support.h"

#define TINY "tests/scenes/tiny.yaml"
#define OUT_DIR SK_TEST_TMP "/still"
#define WIDTH 320
#define HEIGHT 180

/* layers: [field, ...]: the field under the usual layers. */
static const char field_scene[] = "video: {size: [320, 180], fps: 12, duration: 1}\n"
                                  "view: {x: [-3, 3], y: [-2, 2]}\n"
                                  "attention: {kernel: gaussian, bandwidth: 1.2}\n"
                                  "keys:\n"
                                  "  - {at: [-2, 0], value: \"#e11d48\", label: a}\n"
                                  "  - {at: [2, 0], value: \"#2563eb\", label: b}\n"
                                  "  - {at: [0, 1.5], value: \"#22c55e\", label: c}\n"
                                  "layers: [field, grid, links, keys, query, panel, title]\n";

static int setup(void **state)
{
    (void)state;
    remove_dir_tree(OUT_DIR);
    return mkdir(OUT_DIR, 0777);
}

static void still_ok(const char *const args[])
{
    run_result r = run_softknn(args);
    int code = r.exit_code;
    if (code != 0)
        print_error("softknn exited %d: %s\n", code, r.err);
    run_result_free(&r); /* before failing: fail() does not return */
    assert_int_equal(code, 0);
}

/* Runs softknn expecting exit status code and a message containing text. */
static void still_fails(const char *const args[], int code, const char *text)
{
    run_result r = run_softknn(args);
    bool ok = r.exit_code == code && strstr(r.err, text);
    if (!ok)
        print_error("expected exit %d and '%s'; softknn exited %d: %s\n", code, text, r.exit_code,
                    r.err);
    run_result_free(&r);
    assert_true(ok);
}

/* The first occurrence of needle in data[0..size) (binary-safe). */
static const char *find_bytes(const char *data, size_t size, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, needle, n) == 0)
            return data + i;
    return NULL;
}

static int count_text(const char *text, const char *needle)
{
    int count = 0;
    for (const char *at = strstr(text, needle); at; at = strstr(at + 1, needle))
        count++;
    return count;
}

/* No temporary file may be left beside the outputs. */
static void assert_no_part_files(void)
{
    DIR *dir = opendir(OUT_DIR);
    assert_non_null(dir);
    for (struct dirent *e; (e = readdir(dir));) {
        size_t n = strlen(e->d_name);
        if (n >= 5 && strcmp(e->d_name + n - 5, ".part") == 0)
            fail_msg("left behind: %s/%s", OUT_DIR, e->d_name);
    }
    closedir(dir);
}

static void assert_png_size(const char *path, int width, int height)
{
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS)
        fail_msg("%s: %s", path, cairo_status_to_string(cairo_surface_status(png)));
    assert_int_equal(cairo_image_surface_get_width(png), width);
    assert_int_equal(cairo_image_surface_get_height(png), height);
    cairo_surface_destroy(png);
}

static void test_png(void **state)
{
    (void)state;
    still_ok((const char *const[]){"still", TINY, "--at", "0.5", "-o", OUT_DIR "/f.png", "--quiet",
                                   NULL});
    assert_png_size(OUT_DIR "/f.png", WIDTH, HEIGHT);
    still_ok((const char *const[]){"still", TINY, "--at", "250ms", "--size", "256x144", "-o",
                                   OUT_DIR "/small.PNG", "--quiet", NULL});
    assert_png_size(OUT_DIR "/small.PNG", 256, 144);
    assert_no_part_files();
}

static void test_svg_is_vector(void **state)
{
    (void)state;
    const char *out = OUT_DIR "/f.svg";
    still_ok((const char *const[]){"still", TINY, "--at", "0:00.5", "-o", out, "--quiet", NULL});
    char *svg = read_file(out, NULL);
    assert_non_null(svg);
    assert_true(strncmp(svg, "<?xml", 5) == 0 || strncmp(svg, "<svg", 4) == 0);
    assert_non_null(strstr(svg, "width=\"320")); /* one unit per pixel */
    assert_non_null(strstr(svg, "height=\"180"));
    assert_non_null(strstr(svg, "<path"));
    /* Text as glyphs placed by <use>, not as pixels. */
    assert_non_null(strstr(svg, "<symbol"));
    assert_non_null(strstr(svg, "<use"));
    assert_non_null(strstr(svg, "</svg>"));
    const char *image = strstr(svg, "<image");
    char what[96] = "";
    if (image)
        snprintf(what, sizeof what, "%.*s", (int)strcspn(image, "x>"), image);
    free(svg);
    /* Cairo rasterises what SVG 1.1 cannot express (an operator other than
     * OVER on something already drawn, as in a group painted with SOURCE). */
    if (what[0])
        fail_msg("%s holds a bitmap (%s...), though tiny.yaml has no field layer: Cairo "
                 "fell back to pixels for something drawn",
                 out, what);
}

/* The attribute name="..." of the element at element, as a number. */
static double attribute(const char *element, const char *name)
{
    char key[32];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *end = strchr(element, '>');
    const char *at = strstr(element, key);
    if (!at || (end && at > end))
        fail_msg("no %s in %.120s", name, element);
    return strtod(at + strlen(key), NULL);
}

static void test_svg_field_is_one_plot_sized_image(void **state)
{
    (void)state;
    const char *scene = OUT_DIR "/field.yaml", *out = OUT_DIR "/field.svg";
    FILE *f = fopen(scene, "w");
    assert_non_null(f);
    fputs(field_scene, f);
    assert_int_equal(fclose(f), 0);
    still_ok((const char *const[]){"still", scene, "--at", "0", "-o", out, "--quiet", NULL});
    char *svg = read_file(out, NULL);
    assert_non_null(svg);
    int images = count_text(svg, "<image");
    if (images > 1)
        fail_msg("%s holds %d bitmaps; only the field may be one", out, images);
    if (images == 1) { /* the plot's size comes from the layout the frame was drawn with */
        sk_scene *loaded = NULL;
        sk_error err = {0};
        assert_int_equal(sk_scene_load(scene, &loaded, &err), SK_OK);
        sk_layout layout;
        sk_layout_make(WIDTH, HEIGHT, loaded, loaded->camera_center, loaded->camera_zoom, &layout);
        sk_scene_free(loaded);
        const char *image = strstr(svg, "<image");
        double w = attribute(image, "width"), h = attribute(image, "height");
        if (fabs(w - layout.plot.w) > 2 || fabs(h - layout.plot.h) > 2)
            fail_msg("the field's bitmap is %gx%g, the plot %.1fx%.1f (the frame %dx%d)", w, h,
                     layout.plot.w, layout.plot.h, WIDTH, HEIGHT);
    }
    free(svg);
}

static void test_pdf_keeps_text(void **state)
{
    (void)state;
    const char *out = OUT_DIR "/f.pdf";
    still_ok((const char *const[]){"still", TINY, "--at", "0.5s", "-o", out, "--quiet", NULL});
    size_t size;
    char *pdf = read_file(out, &size);
    assert_non_null(pdf);
    assert_true(size > 16);
    assert_memory_equal(pdf, "%PDF-", 5);
    size_t tail = size < 32 ? size : 32;
    assert_non_null(find_bytes(pdf + size - tail, tail, "%%EOF"));
    assert_non_null(find_bytes(pdf, size, "/MediaBox [ 0 0 320 180 ]")); /* points = pixels */
    /* Text is text: a font, its program embedded, and a map back to Unicode. */
    if (!find_bytes(pdf, size, "/Font") || !find_bytes(pdf, size, "/FontFile"))
        fail_msg("%s has no embedded font: its text was drawn as shapes or pixels", out);
    assert_non_null(find_bytes(pdf, size, "/ToUnicode"));
    bool image = find_bytes(pdf, size, "/Subtype /Image") != NULL;
    free(pdf);
    if (image)
        fail_msg("%s holds a bitmap, though tiny.yaml has no field layer: Cairo fell back to "
                 "pixels for something drawn (pdfimages -list shows it)",
                 out);
}

/* --at past the end draws the last frame: the same bytes as asking for it. */
static void test_at_beyond_end_clamps(void **state)
{
    (void)state;
    run_result r = run_softknn(
        (const char *const[]){"still", TINY, "--at", "1:40", "-o", OUT_DIR "/late.png", NULL});
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "frame 11 of 12"));
    run_result_free(&r);
    still_ok((const char *const[]){"still", TINY, "--at", "0.92", "-o", OUT_DIR "/last.png",
                                   "--quiet", NULL}); /* round(0.92 x 12) = 11 */
    size_t n1, n2;
    char *late = read_file(OUT_DIR "/late.png", &n1), *last = read_file(OUT_DIR "/last.png", &n2);
    assert_non_null(late);
    assert_non_null(last);
    assert_int_equal(n1, n2);
    assert_memory_equal(late, last, n1);
    free(late);
    free(last);
}

static void test_existing_output_is_kept(void **state)
{
    (void)state;
    const char *out = OUT_DIR "/kept.png";
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    fputs("keep me", f);
    assert_int_equal(fclose(f), 0);
    still_fails((const char *const[]){"still", TINY, "--at", "0", "-o", out, NULL}, 2,
                "use -y to overwrite");
    char *text = read_file(out, NULL);
    assert_string_equal(text, "keep me");
    free(text);
    still_ok((const char *const[]){"still", TINY, "--at", "0", "-o", out, "-y", "--quiet", NULL});
    assert_png_size(out, WIDTH, HEIGHT);
    assert_no_part_files();
}

static void test_bad_input(void **state)
{
    (void)state;
    still_fails((const char *const[]){"still", TINY, "--at", "0", "-o", OUT_DIR "/f.jpg", NULL}, 2,
                ".png, .svg or .pdf");
    assert_int_not_equal(access(OUT_DIR "/f.jpg", F_OK), 0);
    still_fails((const char *const[]){"still", TINY, "--at", "0", "-o", OUT_DIR "/png", NULL}, 2,
                ".png, .svg or .pdf");
    still_fails((const char *const[]){"still", TINY, "--at", "soon", "-o", OUT_DIR "/g.png", NULL},
                2, "--at");
    still_fails((const char *const[]){"still", TINY, "--at", "-1", "-o", OUT_DIR "/g.png", NULL}, 2,
                "--at");
    still_fails((const char *const[]){"still", TINY, "-o", OUT_DIR "/g.png", NULL}, 2, "--at");
    still_fails((const char *const[]){"still", TINY, "--at", "0", NULL}, 2, "-o");
    still_fails((const char *const[]){"still", "tests/scenes/missing.yaml", "--at", "0", "-o",
                                      OUT_DIR "/g.png", NULL},
                2, "missing.yaml");
    assert_int_not_equal(access(OUT_DIR "/g.png", F_OK), 0);
    assert_no_part_files();
}

/* A directory that cannot be made is a runtime failure (exit 1), not bad input. */
static void test_unwritable_output(void **state)
{
    (void)state;
    FILE *f = fopen(OUT_DIR "/plain", "w");
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    still_fails(
        (const char *const[]){"still", TINY, "--at", "0", "-o", OUT_DIR "/plain/f.pdf", NULL}, 1,
        "plain");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_svg_is_vector),
        cmocka_unit_test(test_svg_field_is_one_plot_sized_image),
        cmocka_unit_test(test_pdf_keeps_text),
        cmocka_unit_test(test_at_beyond_end_clamps),
        cmocka_unit_test(test_existing_output_is_kept),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_unwritable_output),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
