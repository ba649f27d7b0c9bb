/* Golden images, in the manner of cairo's test suite: each case is a small
 * scene (tests/golden/scenes/<name>.yaml) drawn in-process at 320x180 and
 * compared with its reference, tests/golden/<name>.png.
 *
 * Tolerance: a pixel "differs" when any channel (R, G, B or A, 0-255) is
 * more than GOLDEN_CHANNEL_TOLERANCE away from the reference's; a case fails
 * when more than GOLDEN_PIXEL_SHARE of its pixels differ, or when the sizes
 * differ, or when the reference is missing. Rounding in a new Cairo or
 * FreeType moves edges by a level or two; a layer drawn wrongly moves far
 * more than 1 % of the frame, or a few pixels by far more than 8.
 *
 * On failure, beside the reference: <name>.actual.png (what was drawn) and
 * <name>.diff.png (red where a pixel differs, the reference in faded grey
 * elsewhere). With SK_GOLDEN_UPDATE=1 in the environment every reference is
 * rewritten from what is drawn instead (see tests/golden/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frame.h"

#define GOLDEN_DIR SK_SOURCE_DIR "/tests/golden"
#define GOLDEN_WIDTH 320           /* pixels: the scenes' video.size */
#define GOLDEN_HEIGHT 180          /* pixels */
#define GOLDEN_FRAME 3             /* of 12: t = 0.25 s, the query a little way along its route */
#define GOLDEN_CHANNEL_TOLERANCE 8 /* levels of 255 */
#define GOLDEN_PIXEL_SHARE 0.01    /* of the frame's pixels */

/* Faded grey of the diff image: the reference's luma mapped into
 * [DIFF_GREY_LO, DIFF_GREY_LO + DIFF_GREY_SPAN], so red stands out. */
#define DIFF_GREY_LO 48
#define DIFF_GREY_SPAN 96

/* One case per layer (the scene lists only it), and two frames of many layers. */
static const char *const cases[] = {
    "field",    "grid",    "path",  "links",    "keys",     "query",      "panel",
    "formulas", "mapping", "title", "captions", "defaults", "everything", "regression1d", "matrix",
};

static bool updating(void)
{
    const char *v = getenv("SK_GOLDEN_UPDATE");
    return v && strcmp(v, "1") == 0;
}

static void golden_path(char *out, size_t size, const char *name, const char *suffix)
{
    snprintf(out, size, "%s/%s%s", GOLDEN_DIR, name, suffix);
}

static void write_png(cairo_surface_t *surface, const char *path)
{
    cairo_status_t status = cairo_surface_write_to_png(surface, path);
    if (status != CAIRO_STATUS_SUCCESS)
        fail_msg("cannot write %s: %s", path, cairo_status_to_string(status));
}

static int channel_distance(const int a[4], const int b[4])
{
    int worst = 0;
    for (int c = 0; c < 4; c++) {
        int d = abs(a[c] - b[c]);
        worst = d > worst ? d : worst;
    }
    return worst;
}

/* Counts the pixels over tolerance and paints the diff image. */
static long compare(cairo_surface_t *actual, cairo_surface_t *expected, cairo_surface_t *diff,
                    int *worst)
{
    long over = 0;
    int w = cairo_image_surface_get_width(actual), h = cairo_image_surface_get_height(actual);
    unsigned char *out = cairo_image_surface_get_data(diff);
    int stride = cairo_image_surface_get_stride(diff);
    cairo_surface_flush(diff);
    *worst = 0;
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            int a[4], e[4];
            pixel_at(actual, x, y, a);
            pixel_at(expected, x, y, e);
            int d = channel_distance(a, e);
            *worst = d > *worst ? d : *worst;
            uint32_t colour;
            if (d > GOLDEN_CHANNEL_TOLERANCE) {
                over++;
                colour = 0xffff0000u;
            } else {
                uint32_t grey =
                    DIFF_GREY_LO +
                    (uint32_t)((e[0] * 54 + e[1] * 183 + e[2] * 19) / 256) * DIFF_GREY_SPAN / 255;
                colour = 0xff000000u | grey << 16 | grey << 8 | grey;
            }
            *(uint32_t *)(void *)(out + (size_t)y * stride + (size_t)x * 4) = colour;
        }
    }
    cairo_surface_mark_dirty(diff);
    return over;
}

static void remove_leftovers(const char *name)
{
    char path[1024];
    golden_path(path, sizeof path, name, ".actual.png");
    unlink(path);
    golden_path(path, sizeof path, name, ".diff.png");
    unlink(path);
}

static void check_case(const char *name)
{
    char scene_path[1024], reference[1024], actual_path[1024], diff_path[1024];
    snprintf(scene_path, sizeof scene_path, "%s/scenes/%s.yaml", GOLDEN_DIR, name);
    golden_path(reference, sizeof reference, name, ".png");
    golden_path(actual_path, sizeof actual_path, name, ".actual.png");
    golden_path(diff_path, sizeof diff_path, name, ".diff.png");

    sk_scene *scene = NULL;
    sk_error err = {0};
    if (sk_scene_load(scene_path, &scene, &err) != SK_OK)
        fail_msg("%s", err.message);
    assert_int_equal(scene->width, GOLDEN_WIDTH);
    assert_int_equal(scene->height, GOLDEN_HEIGHT);
    cairo_surface_t *actual = render_frame(scene, GOLDEN_FRAME, NULL);
    sk_scene_free(scene);
    remove_leftovers(name);

    if (updating()) {
        write_png(actual, reference);
        print_message("updated %s\n", reference);
        cairo_surface_destroy(actual);
        return;
    }

    cairo_surface_t *expected = cairo_image_surface_create_from_png(reference);
    cairo_status_t status = cairo_surface_status(expected);
    if (status != CAIRO_STATUS_SUCCESS) {
        write_png(actual, actual_path);
        cairo_surface_destroy(expected);
        cairo_surface_destroy(actual);
        fail_msg("%s: cannot read the reference (%s); drew %s. If the layer is new, "
                 "make references with SK_GOLDEN_UPDATE=1 (tests/golden/README.md)",
                 reference, cairo_status_to_string(status), actual_path);
    }
    int ew = cairo_image_surface_get_width(expected), eh = cairo_image_surface_get_height(expected);
    if (ew != GOLDEN_WIDTH || eh != GOLDEN_HEIGHT) {
        write_png(actual, actual_path);
        cairo_surface_destroy(expected);
        cairo_surface_destroy(actual);
        fail_msg("%s is %dx%d, the frame %dx%d; drew %s", reference, ew, eh, GOLDEN_WIDTH,
                 GOLDEN_HEIGHT, actual_path);
    }

    cairo_surface_t *diff =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, GOLDEN_WIDTH, GOLDEN_HEIGHT);
    int worst;
    long over = compare(actual, expected, diff, &worst);
    long allowed = (long)(GOLDEN_PIXEL_SHARE * GOLDEN_WIDTH * GOLDEN_HEIGHT);
    if (over > allowed) {
        write_png(actual, actual_path);
        write_png(diff, diff_path);
    }
    cairo_surface_destroy(diff);
    cairo_surface_destroy(expected);
    cairo_surface_destroy(actual);
    if (over > allowed)
        fail_msg("%s: %ld pixels differ by more than %d/255 (at most %ld may), the worst by "
                 "%d; see %s and %s",
                 name, over, GOLDEN_CHANNEL_TOLERANCE, allowed, worst, actual_path, diff_path);
}

static void test_case(void **state)
{
    check_case(*state);
}

int main(void)
{
    enum { CASE_COUNT = sizeof cases / sizeof cases[0] };
    struct CMUnitTest tests[CASE_COUNT];
    for (int i = 0; i < CASE_COUNT; i++)
        tests[i] = (struct CMUnitTest){cases[i], test_case, NULL, NULL, (void *)cases[i]};
    return cmocka_run_group_tests_name("golden", tests, NULL, NULL);
}
