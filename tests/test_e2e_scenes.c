/* End-to-end: every scene in scenes/ renders — at a small size and for a few
 * frames spread over its length, so the suite stays fast — and every frame
 * written is a PNG of the asked size that is not one flat colour. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cairo.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define WIDTH 320
#define HEIGHT 180

/* The number of distinct colours in a decoded frame, up to 64. */
static int colours_in(cairo_surface_t *png)
{
    uint32_t seen[64];
    int n = 0;
    const unsigned char *data = cairo_image_surface_get_data(png);
    int stride = cairo_image_surface_get_stride(png);
    for (int y = 0; y < HEIGHT && n < 64; y += 3) {
        for (int x = 0; x < WIDTH && n < 64; x += 3) {
            uint32_t c;
            memcpy(&c, data + y * stride + x * 4, 4);
            int k = 0;
            while (k < n && seen[k] != c)
                k++;
            if (k == n)
                seen[n++] = c;
        }
    }
    return n;
}

static void render_scene(const char *name)
{
    char scene[256], pattern[512], path[512];
    snprintf(scene, sizeof scene, "scenes/%s", name);
    snprintf(pattern, sizeof pattern, SK_TEST_TMP "/scenes/%s_%%04d.png", name);
    /* frames 0 and 1, then 300: 5 s into a 60 fps scene, every scene's middle */
    run_result r =
        run_softknn((const char *const[]){"render", scene, "-o", pattern, "--size", "320x180",
                                          "--frames", "0:2", "-y", "--quiet", NULL});
    if (r.exit_code != 0)
        fail_msg("%s: exit %d: %s", scene, r.exit_code, r.err);
    run_result_free(&r);
    r = run_softknn((const char *const[]){"render", scene, "-o", pattern, "--size", "320x180",
                                          "--frames", "300:301", "-y", "--quiet", NULL});
    if (r.exit_code != 0)
        fail_msg("%s (frame 300): exit %d: %s", scene, r.exit_code, r.err);
    run_result_free(&r);
    const int written[] = {0, 1, 300};
    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof path, pattern, written[i]);
        cairo_surface_t *png = cairo_image_surface_create_from_png(path);
        if (cairo_surface_status(png) != CAIRO_STATUS_SUCCESS)
            fail_msg("%s: cannot read %s", scene, path);
        assert_int_equal(cairo_image_surface_get_width(png), WIDTH);
        assert_int_equal(cairo_image_surface_get_height(png), HEIGHT);
        if (colours_in(png) < 8)
            fail_msg("%s: %s is nearly flat", scene, path);
        cairo_surface_destroy(png);
    }
}

static void test_every_scene_renders(void **state)
{
    (void)state;
    DIR *dir = opendir("scenes");
    assert_non_null(dir);
    int count = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0) {
            render_scene(e->d_name);
            count++;
        }
    }
    closedir(dir);
    assert_true(count >= 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_scene_renders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
