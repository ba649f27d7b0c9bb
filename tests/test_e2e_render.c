/* End-to-end: run the real softknn binary on tests/scenes/tiny.yaml and
 * inspect what it wrote — the MP4 through ffprobe and its bytes, the PNGs
 * through Cairo's own PNG reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw/draw.h"
#include "frame.h"
#include "support.h"

#define TINY "tests/scenes/tiny.yaml"
#define TINY_FRAMES 12

/* The order of the top-level MP4 boxes, read from the file's bytes. */
static int box_offset(const unsigned char *data, size_t size, const char *type)
{
    size_t at = 0;
    while (at + 8 <= size) {
        uint64_t box =
            (uint64_t)data[at] << 24 | data[at + 1] << 16 | data[at + 2] << 8 | data[at + 3];
        if (memcmp(data + at + 4, type, 4) == 0)
            return (int)at;
        if (box == 1 && at + 16 <= size) {
            box = 0;
            for (int i = 0; i < 8; i++)
                box = box << 8 | data[at + 8 + i];
        }
        if (box < 8)
            return -1;
        at += box;
    }
    return -1;
}

static void test_mp4_stream_properties(void **state)
{
    (void)state;
    const char *out = SK_TEST_TMP "/tiny.mp4";
    run_softknn_ok((const char *const[]){"render", TINY, "-o", out, "-y", "--quiet", NULL});
    run_result probe = run_program((const char *const[]){
        "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
        "stream=codec_name,pix_fmt,width,height,avg_frame_rate,nb_read_frames,color_space,"
        "color_transfer,color_primaries,color_range",
        "-of", "default=nw=1", out, NULL});
    assert_int_equal(probe.exit_code, 0);
    expect_probe_value(probe.out, "codec_name", "h264");
    expect_probe_value(probe.out, "pix_fmt", "yuv420p");
    expect_probe_value(probe.out, "width", "320");
    expect_probe_value(probe.out, "height", "180");
    expect_probe_value(probe.out, "avg_frame_rate", "12/1");
    expect_probe_value(probe.out, "nb_read_frames", "12");
    expect_probe_value(probe.out, "color_space", "bt709");
    expect_probe_value(probe.out, "color_transfer", "bt709");
    expect_probe_value(probe.out, "color_primaries", "bt709");
    expect_probe_value(probe.out, "color_range", "tv");
    run_result_free(&probe);

    size_t size;
    unsigned char *bytes = (unsigned char *)read_file(out, &size);
    assert_non_null(bytes);
    int moov = box_offset(bytes, size, "moov"), mdat = box_offset(bytes, size, "mdat");
    free(bytes);
    assert_true(moov > 0 && mdat > 0);
    assert_true(moov < mdat); /* +faststart */
}

/* Gaussian weights and the linear-light blend, written out here from the
 * formulas rather than taken from the core. */
static double to_linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double to_srgb(double c)
{
    return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
}

static void expected_query_colour(double out[3])
{
    /* tiny.yaml: sigma 1.2; keys a (-2, 0) #e11d48, b (2, 0) #2563eb, c (0, 1.5)
     * #22c55e; at frame 0 the query is at (0, 0.3). */
    const double keys[3][2] = {{-2, 0}, {2, 0}, {0, 1.5}};
    const double rgb[3][3] = {{0xe1, 0x1d, 0x48}, {0x25, 0x63, 0xeb}, {0x22, 0xc5, 0x5e}};
    const double sigma = 1.2, qx = 0.0, qy = 0.3;
    double w[3], sum = 0.0;
    for (int i = 0; i < 3; i++) {
        double d2 = pow(qx - keys[i][0], 2) + pow(qy - keys[i][1], 2);
        w[i] = exp(-d2 / (2 * sigma * sigma));
        sum += w[i];
    }
    for (int ch = 0; ch < 3; ch++) {
        double linear = 0.0;
        for (int i = 0; i < 3; i++)
            linear += w[i] / sum * to_linear(rgb[i][ch] / 255.0);
        out[ch] = 255.0 * to_srgb(linear);
    }
}

static void test_png_query_pixel_is_the_blend(void **state)
{
    (void)state;
    const char *pattern = SK_TEST_TMP "/tiny_png/f_%03d.png";
    remove_dir_tree(SK_TEST_TMP "/tiny_png");
    run_softknn_ok((const char *const[]){"render", TINY, "-o", pattern, "-y", "--quiet", NULL});
    char path[512];
    for (int f = 0; f < TINY_FRAMES; f++) {
        snprintf(path, sizeof path, pattern, f);
        assert_int_equal(access(path, F_OK), 0);
    }
    snprintf(path, sizeof path, pattern, TINY_FRAMES);
    assert_int_not_equal(access(path, F_OK), 0);

    snprintf(path, sizeof path, pattern, 0);
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(png), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(png), 320);
    assert_int_equal(cairo_image_surface_get_height(png), 180);

    sk_vec2 centre = scene_point_px(TINY, 320, 180, (sk_vec2){0.0, 0.3});

    const unsigned char *data = cairo_image_surface_get_data(png);
    int stride = cairo_image_surface_get_stride(png);
    const unsigned char *px = data + (int)floor(centre.y) * stride + (int)floor(centre.x) * 4;
    double expected[3];
    expected_query_colour(expected);
    double actual[3] = {px[2], px[1], px[0]}; /* ARGB32 little-endian: B, G, R, A */
    for (int ch = 0; ch < 3; ch++)
        if (fabs(actual[ch] - expected[ch]) > 3.0)
            fail_msg("channel %d at (%.1f, %.1f): expected %.1f, found %.0f", ch, centre.x,
                     centre.y, expected[ch], actual[ch]);
    cairo_surface_destroy(png);
}

/* --frames A:B renders A up to but not including B, numbered as in the scene. */
static void test_frame_range(void **state)
{
    (void)state;
    const char *pattern = SK_TEST_TMP "/tiny_range/r_%02d.png";
    remove_dir_tree(SK_TEST_TMP "/tiny_range");
    run_softknn_ok((const char *const[]){"render", TINY, "-o", pattern, "--frames", "3:6", "-y",
                                         "--quiet", NULL});
    char path[512];
    for (int f = 0; f < TINY_FRAMES; f++) {
        snprintf(path, sizeof path, pattern, f);
        assert_int_equal(access(path, F_OK) == 0, f >= 3 && f < 6);
    }
}

/* --size and --fps override the scene; the duration stays, so frames follow. */
static void test_size_and_fps_override(void **state)
{
    (void)state;
    const char *out = SK_TEST_TMP "/tiny_override.mp4";
    run_softknn_ok((const char *const[]){"render", TINY, "-o", out, "--size", "256x144", "--fps",
                                         "6", "-y", "--quiet", NULL});
    run_result probe = run_program((const char *const[]){
        "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
        "stream=width,height,avg_frame_rate,nb_read_frames", "-of", "default=nw=1", out, NULL});
    assert_int_equal(probe.exit_code, 0);
    expect_probe_value(probe.out, "width", "256");
    expect_probe_value(probe.out, "height", "144");
    expect_probe_value(probe.out, "avg_frame_rate", "6/1");
    expect_probe_value(probe.out, "nb_read_frames", "6");
    run_result_free(&probe);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mp4_stream_properties),
        cmocka_unit_test(test_png_query_pixel_is_the_blend),
        cmocka_unit_test(test_frame_range),
        cmocka_unit_test(test_size_and_fps_override),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
