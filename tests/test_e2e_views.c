/* End-to-end tests of the regression1d and matrix views: the real binary
 * renders stills and exports numbers, and the tests read them back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cairo.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define REGRESSION "scenes/regression1d.yaml"
#define SAMPLES_CSV "scenes/data/noisy-sin.csv"
#define SAMPLES_MAX 64
#define FIELDS_MAX 128

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
}

static void run_ok(const char *const args[])
{
    run_result r = run_softknn(args);
    if (r.exit_code != 0)
        fail_msg("softknn exited %d: %s", r.exit_code, r.err);
    run_result_free(&r);
}

static int split(char *line, char *fields[FIELDS_MAX])
{
    int n = 0;
    for (char *save = NULL, *f = strtok_r(line, ",", &save); f && n < FIELDS_MAX;
         f = strtok_r(NULL, ",", &save))
        fields[n++] = f;
    return n;
}

/* The samples straight from the CSV (x, y, value), as a reader would. */
static int read_samples(double xs[SAMPLES_MAX], double ys[SAMPLES_MAX])
{
    char *text = read_file(SAMPLES_CSV, NULL);
    assert_non_null(text);
    int n = 0;
    char *save = NULL;
    strtok_r(text, "\n", &save); /* the header */
    for (char *line; (line = strtok_r(NULL, "\n", &save)) && n < SAMPLES_MAX; n++) {
        char *fields[FIELDS_MAX];
        assert_int_equal(split(line, fields), 3);
        xs[n] = strtod(fields[0], NULL);
        ys[n] = strtod(fields[2], NULL);
    }
    free(text);
    return n;
}

/* The regression scene's weights as CSV, every `every` frames, via the
 * binary: the file's text, to free. */
static char *export_weights(const char *path, const char *every)
{
    run_ok((const char *const[]){"weights", REGRESSION, "--every", every, "-o", path, "-y", NULL});
    char *text = read_file(path, NULL);
    assert_non_null(text);
    return text;
}

/* Every exported frame of the regression scene: the query is on the x axis,
 * and its output is the Nadaraya–Watson estimate recomputed here from the CSV
 * with the frame's bandwidth: sum w_i y_i, w_i proportional to
 * exp(-(x - x_i)^2 / (2 sigma^2)). */
static void test_regression_output_is_nadaraya_watson(void **state)
{
    (void)state;
    double xs[SAMPLES_MAX], ys[SAMPLES_MAX];
    int n = read_samples(xs, ys);
    assert_int_equal(n, 40);
    char *text = export_weights(SK_TEST_TMP "/regression1d_weights.csv", "37");
    char *save = NULL;
    int records = 0;
    strtok_r(text, "\n", &save);
    for (char *line; (line = strtok_r(NULL, "\n", &save)); records++) {
        char *f[FIELDS_MAX];
        int count = split(line, f);
        double x = strtod(f[2], NULL), y = strtod(f[3], NULL), sigma = strtod(f[7], NULL);
        assert_true(y == 0.0);
        double num = 0.0, den = 0.0, nearest = INFINITY;
        for (int i = 0; i < n; i++)
            nearest = fmin(nearest, (x - xs[i]) * (x - xs[i]));
        for (int i = 0; i < n; i++) { /* scaled by the nearest term, so none underflows */
            double k = exp(-((x - xs[i]) * (x - xs[i]) - nearest) / (2 * sigma * sigma));
            num += k * ys[i];
            den += k;
        }
        /* output is the second to last column (entropy is the last). */
        double output = strtod(f[count - 2], NULL);
        if (!(fabs(output - num / den) <= 1e-9))
            fail_msg("frame %s at x = %g, sigma = %g: output %.12g, expected %.12g", f[0], x, sigma,
                     output, num / den);
    }
    assert_int_equal(records, (720 + 36) / 37);
    free(text);
}

/* Pixels as 0-255 RGB; the PNG is opaque. */
static void rgb_at(cairo_surface_t *s, int x, int y, int out[3])
{
    const unsigned char *data = cairo_image_surface_get_data(s);
    uint32_t p =
        *(const uint32_t *)(const void *)(data + (size_t)y * cairo_image_surface_get_stride(s) +
                                          (size_t)x * 4);
    out[0] = (int)(p >> 16 & 0xff);
    out[1] = (int)(p >> 8 & 0xff);
    out[2] = (int)(p & 0xff);
}

static bool near_colour(const int c[3], int r, int g, int b, int tolerance)
{
    return abs(c[0] - r) <= tolerance && abs(c[1] - g) <= tolerance && abs(c[2] - b) <= tolerance;
}

/* The pixels of one colour (within 12 levels) in a still. */
static long count_colour(const char *png, int r, int g, int b)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    long count = 0;
    for (int y = 0; y < cairo_image_surface_get_height(s); y++)
        for (int x = 0; x < cairo_image_surface_get_width(s); x++) {
            int c[3];
            rgb_at(s, x, y, c);
            count += near_colour(c, r, g, b, 12);
        }
    cairo_surface_destroy(s);
    return count;
}

/* The estimate and the weight bars are amber (#f59e0b): the layers that draw
 * them (query, links) put it in the frame; the others (grid, path, keys,
 * title) never do. */
static void test_regression_layers(void **state)
{
    (void)state;
    const char *scene = SK_TEST_TMP "/regression_layers.yaml";
    const char *png = SK_TEST_TMP "/regression_layers.png";
    char text[512];
    for (int with_estimate = 0; with_estimate < 2; with_estimate++) {
        snprintf(text, sizeof text,
                 "include: %s/" REGRESSION "\nlayers: [grid, path, keys, title%s]\n", SK_SOURCE_DIR,
                 with_estimate ? ", links, query" : "");
        write_text(scene, text);
        run_ok((const char *const[]){"still", scene, "--at", "6", "--size", "854x480", "-o", png,
                                     "-y", NULL});
        long amber = count_colour(png, 0xf5, 0x9e, 0x0b);
        if (with_estimate)
            assert_true(amber > 500); /* a trace across the plot, bars, the disc */
        else
            assert_int_equal(amber, 0);
    }
}

/* A bright cell of the heatmap, found in a still. */
typedef struct blob {
    long count;
    double x, y; /* centroid, pixels */
} blob;

/* Centroids of the pixels of #fde725 that are the centres of 15x15 blocks of
 * it (cells, not the colour bar's top, 10 pixels wide at 480p), one blob per
 * run of such columns (cells in different columns are apart by a block's
 * side). Returns the number of blobs; fails the test beyond 2. */
#define BLOCK 7 /* half the block's side, pixels */

static int bright_cells(const char *png, blob out[2])
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    char *bright = calloc((size_t)w * h, 1), *centre = calloc((size_t)w * h, 1);
    int *run_of_column = calloc((size_t)w, sizeof *run_of_column);
    assert_true(bright && centre && run_of_column);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int c[3];
            rgb_at(s, x, y, c);
            bright[(size_t)y * w + x] = near_colour(c, 0xfd, 0xe7, 0x25, 12);
        }
    for (int y = BLOCK; y < h - BLOCK; y++)
        for (int x = BLOCK; x < w - BLOCK; x++) {
            bool block = true;
            for (int dy = -BLOCK; dy <= BLOCK && block; dy++)
                for (int dx = -BLOCK; dx <= BLOCK && block; dx++)
                    block = bright[(size_t)(y + dy) * w + x + dx];
            centre[(size_t)y * w + x] = block;
            run_of_column[x] |= block;
        }
    int runs = 0;
    for (int x = 0; x < w; x++) { /* column flags -> 1-based run numbers */
        if (run_of_column[x])
            run_of_column[x] = x > 0 && run_of_column[x - 1] ? run_of_column[x - 1] : ++runs;
    }
    assert_true(runs <= 2);
    memset(out, 0, 2 * sizeof *out);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!centre[(size_t)y * w + x])
                continue;
            blob *b = &out[run_of_column[x] - 1];
            b->x += x;
            b->y += y;
            b->count++;
        }
    for (int i = 0; i < runs; i++) {
        out[i].x /= out[i].count;
        out[i].y /= out[i].count;
    }
    free(run_of_column);
    free(centre);
    free(bright);
    cairo_surface_destroy(s);
    return runs;
}

/* The weights export says where the frame draws the query: in the
 * regression1d view, the estimate's disc, which a still of the same moment
 * shows in amber (#f59e0b) at that pixel, wherever the query has gone. */
static void test_regression_query_pixel_is_the_estimate(void **state)
{
    (void)state;
    char *text = export_weights(SK_TEST_TMP "/regression1d_px.csv", "150");
    char *save = NULL;
    int checked = 0;
    strtok_r(text, "\n", &save); /* the header */
    for (char *line; (line = strtok_r(NULL, "\n", &save)); checked++) {
        char *f[FIELDS_MAX];
        split(line, f);
        const char *t = f[1];
        double px = strtod(f[4], NULL), py = strtod(f[5], NULL);
        const char *png = SK_TEST_TMP "/regression1d_px.png";
        run_ok((const char *const[]){"still", REGRESSION, "--at", t, "-o", png, "-y", NULL});
        cairo_surface_t *s = cairo_image_surface_create_from_png(png);
        assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
        assert_true(px >= 0 && px < cairo_image_surface_get_width(s));
        assert_true(py >= 0 && py < cairo_image_surface_get_height(s));
        int c[3];
        rgb_at(s, (int)px, (int)py, c);
        if (!near_colour(c, 0xf5, 0x9e, 0x0b, 12))
            fail_msg("t = %s: (%g, %g) is #%02x%02x%02x, not the estimate's amber", t, px, py, c[0],
                     c[1], c[2]);
        cairo_surface_destroy(s);
    }
    assert_int_equal(checked, (720 + 149) / 150);
    free(text);
}

/* Two keys far apart and a query that sits on the first for half the video
 * and on the second for the rest, with a small sigma: the weights are one-hot.
 * With two rows (frames 0 and 11 of 12) the heatmap has a bright cell in row
 * 0, column 0 from the start, and one in row 1, column 1 at the end, to the
 * right of and below the first. Bright is viridis' top, #fde725. */
static void test_matrix_rows_fill(void **state)
{
    (void)state;
    const char *scene = SK_TEST_TMP "/matrix_rows.yaml";
    const char *png = SK_TEST_TMP "/matrix_rows.png";
    write_text(scene,
               "video: {fps: 12, duration: 1}\n"
               "view: {kind: matrix, rows: 2, x: [-4, 4], y: [-3, 3]}\n"
               "attention: {kernel: gaussian, bandwidth: 0.3}\n"
               "keys: [{at: [-2, 0], value: red, label: a}, {at: [2, 0], value: blue, label: b}]\n"
               "query:\n"
               "  path:\n"
               "    type: keyframes\n"
               "    keyframes: [{t: 0, value: [-2, 0], hold: true}, {t: 0.5, value: [2, 0]}]\n"
               "layers: [keys, panel]\n");
    blob cells[2];
    run_ok((const char *const[]){"still", scene, "--at", "0", "--size", "854x480", "-o", png, "-y",
                                 NULL});
    assert_int_equal(bright_cells(png, cells), 1); /* row 1 is still to come */
    run_ok((const char *const[]){"still", scene, "--at", "0.92", "--size", "854x480", "-o", png,
                                 "-y", NULL});
    assert_int_equal(bright_cells(png, cells), 2);
    assert_true(cells[1].x - cells[0].x > 40); /* column b right of column a */
    assert_true(cells[1].y - cells[0].y > 20); /* row 1 below row 0 */
    assert_true(cells[0].x > 854 * 0.5);       /* in the panel, not the plane's keys */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regression_output_is_nadaraya_watson),
        cmocka_unit_test(test_regression_query_pixel_is_the_estimate),
        cmocka_unit_test(test_regression_layers),
        cmocka_unit_test(test_matrix_rows_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
