/* Unit tests of the regression1d and matrix views' arithmetic (views.h) and
 * of what the scene loader and the timeline do for them. Expected values are
 * worked out by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "draw/views.h"
#include "scene/scene.h"
#include "timeline/timeline.h"

static sk_scene *must_load(const char *text)
{
    sk_scene *scene = NULL;
    sk_error err = {0};
    if (sk_scene_load_string(text, "views.yaml", &scene, &err) != SK_OK)
        fail_msg("%s", err.message);
    return scene;
}

static sk_timeline *must_timeline(const sk_scene *scene)
{
    sk_timeline *tl = NULL;
    sk_error err = {0};
    assert_int_equal(sk_timeline_new(scene, &tl, &err), SK_OK);
    return tl;
}

static void assert_close(double actual, double expected, double tolerance)
{
    if (!(fabs(actual - expected) <= tolerance))
        fail_msg("expected %.12g, got %.12g", expected, actual);
}

/* 5 rows over 101 frames: every 25 frames, the first and the last included. */
static void test_row_frames_span_the_video(void **state)
{
    (void)state;
    const int64_t expected[] = {0, 25, 50, 75, 100};
    for (int r = 0; r < 5; r++)
        assert_int_equal(sk_matrix_row_frame(r, 5, 101), expected[r]);
    /* 3 rows over 4 frames: 0, round(1.5) = 2, 3. */
    assert_int_equal(sk_matrix_row_frame(1, 3, 4), 2);
    assert_int_equal(sk_matrix_row_frame(2, 3, 4), 3);
    /* One row, or one frame: frame 0. */
    assert_int_equal(sk_matrix_row_frame(0, 1, 600), 0);
    assert_int_equal(sk_matrix_row_frame(3, 8, 1), 0);
}

/* The current row is the latest whose frame has come. */
static void test_current_row_is_latest_reached(void **state)
{
    (void)state;
    assert_int_equal(sk_matrix_current_row(0, 5, 101), 0);
    assert_int_equal(sk_matrix_current_row(24, 5, 101), 0);
    assert_int_equal(sk_matrix_current_row(25, 5, 101), 1);
    assert_int_equal(sk_matrix_current_row(99, 5, 101), 3);
    assert_int_equal(sk_matrix_current_row(100, 5, 101), 4);
    assert_int_equal(sk_matrix_current_row(50, 1, 101), 0);
}

/* Gaussian, sigma = 1, samples (0, 1), (1, 2), (3, 4), query x = 1:
 * kernel values e^-0.5, e^0, e^-2 = 0.6065307, 1, 0.1353353; their sum
 * 1.7418660; the estimate (0.6065307 + 2 + 0.5413411) / 1.7418660 =
 * 3.1478718 / 1.7418660 = 1.8071837. */
static void test_estimate_by_hand(void **state)
{
    (void)state;
    sk_kernel k = sk_kernel_default(SK_KERNEL_GAUSSIAN);
    sk_vec2 keys[] = {{0, 0}, {1, 0}, {3, 0}};
    double ys[] = {1, 2, 4}, w[3], scratch[3], y = NAN;
    assert_true(sk_regression_estimate(&k, keys, ys, 3, 1.0, w, scratch, &y));
    assert_close(y, 1.8071837, 1e-6);
    assert_close(w[1], 1.0 / 1.7418660, 1e-6);
    /* Laplacian, sigma = 2, at x = 2: e^-1, e^-0.5, e^-0.5 = 0.3678794,
     * 0.6065307, 0.6065307 (sum 1.5809408); the estimate
     * (0.3678794 + 1.2130613 + 2.4261226) / 1.5809408 = 4.0070633 / 1.5809408
     * = 2.5346069. */
    k = sk_kernel_default(SK_KERNEL_LAPLACIAN);
    k.bandwidth = 2.0;
    assert_true(sk_regression_estimate(&k, keys, ys, 3, 2.0, w, scratch, &y));
    assert_close(y, 2.5346069, 1e-6);
}

/* A boxcar of half-width 0.5 reaches no sample at x = 10: no estimate, and
 * the output is left alone; at x = 0.8 it reaches only the sample at 1. */
static void test_estimate_out_of_reach(void **state)
{
    (void)state;
    sk_kernel k = sk_kernel_default(SK_KERNEL_BOXCAR);
    k.bandwidth = 0.5;
    sk_vec2 keys[] = {{0, 0}, {1, 0}, {3, 0}};
    double ys[] = {1, 2, 4}, w[3], scratch[3], y = -7.0;
    assert_false(sk_regression_estimate(&k, keys, ys, 3, 10.0, w, scratch, &y));
    assert_true(y == -7.0);
    assert_true(sk_regression_estimate(&k, keys, ys, 3, 0.8, w, scratch, &y));
    assert_close(y, 2.0, 1e-12);
}

static const char regression_scene[] = "video: {fps: 10, duration: 2}\n"
                                       "view: {kind: regression1d, curve: [[-2, 1], [5, 1]]}\n"
                                       "keys:\n"
                                       "  - {at: [-1, 0], value: 0}\n"
                                       "  - {at: [2, 0], value: 3}\n"
                                       "  - {at: [4, 0], value: -2}\n";

/* Without a route the query sweeps the keys' x range, -1 to 4, on the axis;
 * the view covers the samples (x, value) and the curve: x -2..5 and values
 * -2..3, each padded by 15 % of its span (1.05 and 0.75). */
static void test_regression_defaults(void **state)
{
    (void)state;
    sk_scene *s = must_load(regression_scene);
    assert_int_equal(s->view_kind, SK_VIEW_REGRESSION1D);
    assert_int_equal(s->curve_count, 2);
    assert_int_equal(s->query_path.kind, SK_PATH_POLYLINE);
    assert_false(s->query_path.closed);
    assert_int_equal(s->query_path.point_count, 2);
    assert_close(s->query_path.points[0].x, -1, 0);
    assert_close(s->query_path.points[1].x, 4, 0);
    assert_close(s->view_min.x, -3.05, 1e-12);
    assert_close(s->view_max.x, 6.05, 1e-12);
    assert_close(s->view_min.y, -2.75, 1e-12);
    assert_close(s->view_max.y, 3.75, 1e-12);
    sk_scene_free(s);
}

/* The query moves along x only: a route off the axis keeps its x, and its y
 * becomes 0. A closed triangle (0,0) (4,3) (4,0) of perimeter 12, 12 frames:
 * frame 3 is 3 units along, at (2.4, 1.8) on the plane and (2.4, 0) here. */
static void test_regression_query_on_axis(void **state)
{
    (void)state;
    sk_scene *s = must_load("video: {fps: 12, duration: 1}\n"
                            "view: {kind: regression1d}\n"
                            "keys: [{at: [0, 0], value: 1}, {at: [4, 0], value: 2}]\n"
                            "query: {path: {type: polyline, points: [[0, 0], [4, 3], [4, 0]]}}\n");
    sk_timeline *tl = must_timeline(s);
    sk_frame_state st;
    sk_timeline_state_at(tl, 3, &st);
    assert_close(st.query.x, 2.4, 1e-9);
    assert_true(st.query.y == 0.0);
    sk_timeline_free(tl);
    sk_scene_free(s);
}

/* Keyframes x: 1 at t = 0, 5 at t = 1, 2 at t = 2 (linear), 10 fps. By
 * frame 5 (t = 0.5, x = 3) the query has covered 1..3; by frame 15
 * (t = 1.5, x = 3.5) it has turned back at 5: 1..5. */
static void test_covered_range(void **state)
{
    (void)state;
    sk_scene *s = must_load("video: {fps: 10, duration: 2.1}\n"
                            "view: {kind: regression1d}\n"
                            "keys: [{at: [0, 0], value: 1}, {at: [6, 0], value: 2}]\n"
                            "query:\n"
                            "  path:\n"
                            "    type: keyframes\n"
                            "    keyframes: [{t: 0, value: [1, 0]}, {t: 1, value: [5, 0]},\n"
                            "                {t: 2, value: [2, 0]}]\n");
    sk_timeline *tl = must_timeline(s);
    double x0, x1;
    sk_regression_covered(tl, 0, &x0, &x1);
    assert_close(x0, 1, 1e-9);
    assert_close(x1, 1, 1e-9);
    sk_regression_covered(tl, 5, &x0, &x1);
    assert_close(x0, 1, 1e-9);
    assert_close(x1, 3, 1e-9);
    sk_regression_covered(tl, 15, &x0, &x1);
    assert_close(x0, 1, 1e-9);
    assert_close(x1, 5, 1e-9);
    sk_timeline_free(tl);
    sk_scene_free(s);
}

/* matrix: 16 rows unless given; the plane's view is untouched. */
static void test_matrix_rows(void **state)
{
    (void)state;
    sk_scene *s = must_load("view: {kind: matrix}\nkeys: [{at: [0, 0], value: red}]\n");
    assert_int_equal(s->view_kind, SK_VIEW_MATRIX);
    assert_int_equal(s->matrix_rows, 16);
    sk_scene_free(s);
    s = must_load("view: {kind: matrix, rows: 24}\nkeys: [{at: [0, 0], value: red}]\n");
    assert_int_equal(s->matrix_rows, 24);
    sk_scene_free(s);
    s = must_load("keys: [{at: [0, 0], value: red}]\n");
    assert_int_equal(s->view_kind, SK_VIEW_PLANE);
    assert_string_equal(sk_view_kind_name(SK_VIEW_REGRESSION1D), "regression1d");
    assert_null(sk_view_kind_name(SK_VIEW_KIND_COUNT));
    sk_scene_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_frames_span_the_video),
        cmocka_unit_test(test_current_row_is_latest_reached),
        cmocka_unit_test(test_estimate_by_hand),
        cmocka_unit_test(test_estimate_out_of_reach),
        cmocka_unit_test(test_regression_defaults),
        cmocka_unit_test(test_regression_query_on_axis),
        cmocka_unit_test(test_covered_range),
        cmocka_unit_test(test_matrix_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
