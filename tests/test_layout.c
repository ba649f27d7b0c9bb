/* Tests of sk_layout_make over frame shapes: landscape, small landscape,
 * portrait and square. Properties worked out from the frame, not from the
 * layout's constants: every box inside the frame, no two boxes overlapping,
 * the plot above the panel in portrait and square frames, and at 854x480
 * the formulas and mapping boxes large enough for their text at 10 px. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>

#include "draw/draw.h"

/* Every box the frame is split into, with a panel, formulas and mapping. */
static const char both_boxes[] = "keys: [{at: [0, 0], value: red}, {at: [2, 1], value: blue}]\n"
                                 "view: {x: [-4, 4], y: [-3, 3]}\n"
                                 "layers: [grid, keys, panel, formulas, mapping, title]\n";

static sk_scene *load(const char *yaml)
{
    sk_scene *s = NULL;
    sk_error err = {0};
    if (sk_scene_load_string(yaml, "layout.yaml", &s, &err) != SK_OK)
        fail_msg("%s", err.message);
    return s;
}

static sk_layout make(const sk_scene *s, int w, int h)
{
    sk_layout l;
    sk_layout_make(w, h, s, s->camera_center, s->camera_zoom, &l);
    return l;
}

static void assert_inside(sk_rect r, int w, int h, const char *what, int fw, int fh)
{
    if (!(r.x >= 0 && r.y >= 0 && r.x + r.w <= w + 1e-9 && r.y + r.h <= h + 1e-9 && r.w > 0 &&
          r.h > 0))
        fail_msg("%dx%d: %s (%.1f, %.1f, %.1f x %.1f) is empty or outside the frame", fw, fh, what,
                 r.x, r.y, r.w, r.h);
}

static bool overlap(sk_rect a, sk_rect b)
{
    return a.x < b.x + b.w - 1e-9 && b.x < a.x + a.w - 1e-9 && a.y < b.y + b.h - 1e-9 &&
           b.y < a.y + a.h - 1e-9;
}

static const int sizes[][2] = {{1920, 1080}, {854, 480},  {1280, 720},  {3840, 2160},
                               {1080, 1920}, {720, 1280}, {1080, 1080}, {180, 320}};

static void test_boxes_inside_and_apart(void **state)
{
    (void)state;
    sk_scene *s = load(both_boxes);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int w = sizes[i][0], h = sizes[i][1];
        sk_layout l = make(s, w, h);
        const sk_rect boxes[] = {l.title, l.plot, l.panel, l.formulas, l.mapping};
        const char *names[] = {"title", "plot", "panel", "formulas", "mapping"};
        for (int a = 0; a < 5; a++) {
            assert_inside(boxes[a], w, h, names[a], w, h);
            for (int b = a + 1; b < 5; b++)
                if (overlap(boxes[a], boxes[b]))
                    fail_msg("%dx%d: %s and %s overlap", w, h, names[a], names[b]);
        }
    }
    sk_scene_free(s);
}

/* Portrait and square: the plot spans the frame's width (less margins
 * under 5 % each side) and everything else is below it. */
static void test_portrait_plot_on_top(void **state)
{
    (void)state;
    sk_scene *s = load(both_boxes);
    const int portrait[][2] = {{1080, 1920}, {720, 1280}, {1080, 1080}};
    for (size_t i = 0; i < sizeof portrait / sizeof portrait[0]; i++) {
        int w = portrait[i][0], h = portrait[i][1];
        assert_true(sk_layout_is_stacked(w, h));
        sk_layout l = make(s, w, h);
        assert_true(l.plot.w > 0.9 * w);
        double bottom = l.plot.y + l.plot.h;
        assert_true(l.panel.y >= bottom && l.formulas.y >= bottom && l.mapping.y >= bottom);
    }
    assert_false(sk_layout_is_stacked(1920, 1080));
    assert_false(sk_layout_is_stacked(854, 480));
    sk_scene_free(s);
}

/* A portrait frame's text is as large as the landscape frame's with the
 * same short side: 1080x1920 and 1920x1080 have the same unit. */
static void test_portrait_unit_from_the_short_side(void **state)
{
    (void)state;
    sk_scene *s = load(both_boxes);
    assert_float_equal(make(s, 1080, 1920).unit, make(s, 1920, 1080).unit, 1e-12);
    sk_scene_free(s);
}

/* At 854x480 the mapping table (a header and six rows of 22-unit text,
 * 1.5 em each: 7 x 1.5 x 22 x 0.48 = 111 px, plus padding) and the
 * formulas need a box at least 120 px tall and 380 px wide to keep 10 px
 * text; stacked under the panel in a 290 px column they would not. */
static void test_small_frame_gives_the_boxes_room(void **state)
{
    (void)state;
    sk_scene *s = load(both_boxes);
    sk_layout l = make(s, 854, 480);
    assert_true(l.mapping.h >= 120 && l.mapping.w >= 380);
    assert_true(l.formulas.h >= 120 && l.formulas.w >= 380);
    sk_scene_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boxes_inside_and_apart),
        cmocka_unit_test(test_portrait_plot_on_top),
        cmocka_unit_test(test_portrait_unit_from_the_short_side),
        cmocka_unit_test(test_small_frame_gives_the_boxes_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
