/* Unit tests of the timeline: where the query is at each frame. Scenes are
 * built in memory so these tests do not depend on the scene loader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "timeline/timeline.h"

static sk_scene make_scene(sk_vec2 *points, int count, int closed, int fps, double duration)
{
    sk_scene s = {0};
    s.fps = fps;
    s.duration = duration;
    s.kernel = sk_kernel_default(SK_KERNEL_GAUSSIAN);
    s.kernel.bandwidth = 0.7;
    s.query_path =
        (sk_path){.kind = SK_PATH_SPLINE, .points = points, .point_count = count, .closed = closed};
    s.query_ease = (sk_ease){.kind = SK_EASE_LINEAR};
    s.camera_zoom = 1.0;
    for (int i = 0; i < SK_LAYER_COUNT; i++)
        s.layer_opacity[i] = 1.0;
    return s;
}

static sk_timeline *must_timeline(const sk_scene *scene)
{
    sk_timeline *tl = NULL;
    sk_error err = {0};
    assert_int_equal(sk_timeline_new(scene, &tl, &err), SK_OK);
    assert_non_null(tl);
    return tl;
}

static void assert_near(sk_vec2 p, double x, double y, double tolerance)
{
    if (!(fabs(p.x - x) <= tolerance && fabs(p.y - y) <= tolerance))
        fail_msg("expected (%.12g, %.12g), got (%.12g, %.12g)", x, y, p.x, p.y);
}

/* A two-point open path is a straight segment travelled at constant speed:
 * at frame f of N the query is at f/(N-1) of the way. */
static void test_open_segment_is_linear(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {10, 0}};
    sk_scene scene = make_scene(pts, 2, 0, 10, 1.1); /* 11 frames */
    sk_timeline *tl = must_timeline(&scene);
    assert_int_equal(sk_timeline_frame_count(tl), 11);
    sk_frame_state st;
    for (int f = 0; f < 11; f++) {
        sk_timeline_state_at(tl, f, &st);
        assert_near(st.query, f * 1.0, 0.0, 1e-9);
        assert_true(fabs(st.time - f / 10.0) < 1e-12);
    }
    sk_timeline_free(tl);
}

/* A closed loop starts at its first control point, and the frame after the
 * last would be the start again: frame f is at progress f/N. */
static void test_closed_loop_starts_at_first_point(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{-2, -1}, {2, -1}, {2, 1}, {-2, 1}};
    sk_scene scene = make_scene(pts, 4, 1, 30, 2.0);
    sk_timeline *tl = must_timeline(&scene);
    sk_frame_state st;
    sk_timeline_state_at(tl, 0, &st);
    assert_near(st.query, -2, -1, 1e-12);
    assert_true(st.progress == 0.0);
    sk_timeline_state_at(tl, 30, &st);
    assert_true(fabs(st.progress - 0.5) < 1e-12);
    assert_near(sk_timeline_path_point(tl, 1.0), -2, -1, 1e-9); /* the loop closes */
    sk_timeline_free(tl);
}

/* The curve passes through every control point (Catmull–Rom interpolates). */
static void test_spline_interpolates_points(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {3, 1}, {4, 4}, {1, 5}, {-1, 2}};
    sk_scene scene = make_scene(pts, 5, 1, 60, 10);
    sk_timeline *tl = must_timeline(&scene);
    for (int i = 0; i < 5; i++) {
        double best = INFINITY;
        for (int s = 0; s <= 20000; s++) {
            sk_vec2 p = sk_timeline_path_point(tl, s / 20000.0);
            best = fmin(best, hypot(p.x - pts[i].x, p.y - pts[i].y));
        }
        if (best > 2e-3)
            fail_msg("the path misses control point %d by %g", i, best);
    }
    sk_timeline_free(tl);
}

/* Length of the path between progress a and b, summed over many short
 * chords so that curvature does not shorten it. */
static double path_length(const sk_timeline *tl, double a, double b)
{
    double length = 0.0;
    sk_vec2 prev = sk_timeline_path_point(tl, a);
    for (int j = 1; j <= 50; j++) {
        sk_vec2 p = sk_timeline_path_point(tl, a + (b - a) * j / 50.0);
        length += hypot(p.x - prev.x, p.y - prev.y);
        prev = p;
    }
    return length;
}

/* Equal time steps cover equal distances along the path (within 1%), even
 * though the segments between control points differ a lot in length and the
 * path turns sharply near (8, 0). */
static void test_constant_speed(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {8, 0}, {8.5, 1}, {4, 6}, {-1, 2}};
    sk_scene scene = make_scene(pts, 5, 1, 60, 10);
    sk_timeline *tl = must_timeline(&scene);
    int64_t n = sk_timeline_frame_count(tl);
    double min = INFINITY, max = 0.0;
    sk_frame_state a, b;
    sk_timeline_state_at(tl, 0, &a);
    for (int64_t f = 1; f < n; f++) {
        sk_timeline_state_at(tl, f, &b);
        double d = path_length(tl, a.progress, b.progress);
        min = fmin(min, d);
        max = fmax(max, d);
        a = b;
    }
    if (!(max <= min * 1.01))
        fail_msg("step lengths vary from %g to %g", min, max);
    sk_timeline_free(tl);
}

/* Repeated control points must not divide by zero. */
static void test_repeated_points_stay_finite(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{1, 1}, {1, 1}, {3, 2}, {3, 2}};
    sk_scene scene = make_scene(pts, 4, 1, 24, 1);
    sk_timeline *tl = must_timeline(&scene);
    sk_frame_state st;
    for (int f = 0; f < 24; f++) {
        sk_timeline_state_at(tl, f, &st);
        assert_true(isfinite(st.query.x) && isfinite(st.query.y));
    }
    sk_vec2 same[] = {{2, 2}, {2, 2}, {2, 2}};
    sk_scene still = make_scene(same, 3, 1, 24, 1);
    sk_timeline *tl2 = must_timeline(&still);
    sk_timeline_state_at(tl2, 5, &st);
    assert_near(st.query, 2, 2, 1e-9);
    sk_timeline_free(tl2);
    sk_timeline_free(tl);
}

/* Frames outside the scene clamp to its ends; the kernel comes from the scene. */
static void test_clamping_and_kernel(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {1, 0}};
    sk_scene scene = make_scene(pts, 2, 0, 10, 1);
    sk_timeline *tl = must_timeline(&scene);
    sk_frame_state st;
    sk_timeline_state_at(tl, -5, &st);
    assert_int_equal(st.frame, 0);
    sk_timeline_state_at(tl, 1000, &st);
    assert_int_equal(st.frame, 9);
    assert_near(st.query, 1, 0, 1e-12);
    assert_int_equal(st.kernel.kind, SK_KERNEL_GAUSSIAN);
    assert_true(st.kernel.bandwidth == 0.7);
    sk_timeline_free(tl);
    sk_timeline_free(NULL);
}

static sk_keyframe key1(double t, double v)
{
    return (sk_keyframe){.t = t, .value = {v, 0}, .ease = {.kind = SK_EASE_LINEAR}};
}

/* Between keyframes the value moves linearly (or as eased); outside them it is
 * clamped; a held keyframe keeps its value until the next one. */
static void test_track_eval(void **state)
{
    (void)state;
    sk_keyframe keys[] = {key1(1, 10), key1(3, 20), key1(4, 0)};
    keys[1].hold = true;
    sk_track track = {keys, 3, 1};
    double v[2];
    sk_track_eval(&track, 0.0, v);
    assert_true(v[0] == 10);
    sk_track_eval(&track, 2.0, v); /* halfway from 10 to 20 */
    assert_true(fabs(v[0] - 15) < 1e-12);
    sk_track_eval(&track, 3.9, v); /* held at 20 until t = 4 */
    assert_true(v[0] == 20);
    sk_track_eval(&track, 4.0, v);
    assert_true(v[0] == 0);
    sk_track_eval(&track, 99.0, v);
    assert_true(v[0] == 0);
    /* easeInQuad at half time: 10 + 0.25 * (20 - 10) = 12.5 */
    keys[0].ease = (sk_ease){.kind = SK_EASE_IN_QUAD};
    sk_track_eval(&track, 2.0, v);
    assert_true(fabs(v[0] - 12.5) < 1e-12);
}

/* The query's easing reshapes progress along the path: easeInQuad at half
 * time has covered a quarter of a straight 10-unit segment. */
static void test_query_easing(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {10, 0}};
    sk_scene scene = make_scene(pts, 2, 0, 10, 1.1); /* 11 frames: frame 5 is half */
    scene.query_ease = (sk_ease){.kind = SK_EASE_IN_QUAD};
    sk_timeline *tl = must_timeline(&scene);
    sk_frame_state st;
    sk_timeline_state_at(tl, 5, &st);
    assert_near(st.query, 2.5, 0, 1e-9);
    sk_timeline_free(tl);
}

/* animate: the bandwidth from 0.5 at t = 0 to 2.5 at t = 1, k from 1 to 4,
 * a layer fading in, and a keyframed query position. */
static void test_animated_properties(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {10, 0}};
    sk_scene scene = make_scene(pts, 2, 0, 10, 2.0);
    sk_keyframe bw[] = {key1(0, 0.5), key1(1, 2.5)};
    sk_keyframe k[] = {key1(0, 1), key1(1, 4)};
    sk_keyframe fade[] = {key1(0, -1), key1(1, 3)}; /* clamped to [0, 1] */
    sk_keyframe where[] = {{.t = 0, .value = {1, 2}}, {.t = 2, .value = {5, -2}}};
    sk_animation anims[] = {
        {SK_TARGET_BANDWIDTH, SK_LAYER_GRID, {bw, 2, 1}},
        {SK_TARGET_K, SK_LAYER_GRID, {k, 2, 1}},
        {SK_TARGET_LAYER_OPACITY, SK_LAYER_LINKS, {fade, 2, 1}},
    };
    scene.animations = anims;
    scene.animation_count = 3;
    scene.query_path = (sk_path){.kind = SK_PATH_KEYFRAMES, .track = {where, 2, 2}};
    sk_timeline *tl = must_timeline(&scene);
    sk_frame_state st;
    sk_timeline_state_at(tl, 5, &st); /* t = 0.5 */
    assert_true(fabs(st.kernel.bandwidth - 1.5) < 1e-12);
    assert_int_equal(st.kernel.k, 3);                            /* 2.5 rounds away from zero */
    assert_true(fabs(st.opacity[SK_LAYER_LINKS] - 1.0) < 1e-12); /* -1 + 4 * 0.5 = 1 */
    assert_true(st.opacity[SK_LAYER_KEYS] == 1.0);
    assert_near(st.query, 2, 1, 1e-12); /* a quarter of the way from (1, 2) to (5, -2) */
    sk_timeline_state_at(tl, 1, &st);   /* t = 0.1: opacity -1 + 0.4 clamps to 0 */
    assert_true(st.opacity[SK_LAYER_LINKS] == 0.0);
    assert_near(sk_timeline_path_point(tl, 1.0), 5, -2, 1e-12);
    sk_timeline_free(tl);
}

/* animate.attention.kernel: a step track. fps 10, keyframes gaussian at 0,
 * laplacian at 1 s, knn at 2 s: frame 9 (0.9 s) is still gaussian, frame 10
 * laplacian, 19 laplacian, 20 and after knn; the bandwidth keeps animating
 * underneath (0.5 -> 1.5 over 0..2 s, so 1.0 at frame 10). */
static void test_kernel_track_steps(void **state)
{
    (void)state;
    const char *text = "video: {fps: 10, duration: 3}\n"
                       "attention: {bandwidth: 0.5, k: 2}\n"
                       "keys: [{at: [0, 0], value: red}, {at: [1, 0], value: blue}]\n"
                       "animate:\n"
                       "  attention.kernel: [{t: 0, value: gaussian}, {t: 1, value: laplacian},"
                       " {t: 2, value: knn}]\n"
                       "  attention.bandwidth: [{t: 0, value: 0.5}, {t: 2, value: 1.5}]\n";
    sk_scene *scene = NULL;
    sk_error err = {0};
    if (sk_scene_load_string(text, "track.yaml", &scene, &err) != SK_OK)
        fail_msg("%s", err.message);
    sk_timeline *tl = must_timeline(scene);
    const struct {
        int64_t frame;
        sk_kernel_kind kind;
    } expect[] = {{0, SK_KERNEL_GAUSSIAN},   {9, SK_KERNEL_GAUSSIAN}, {10, SK_KERNEL_LAPLACIAN},
                  {19, SK_KERNEL_LAPLACIAN}, {20, SK_KERNEL_KNN},     {29, SK_KERNEL_KNN}};
    sk_frame_state st;
    for (size_t i = 0; i < sizeof expect / sizeof *expect; i++) {
        sk_timeline_state_at(tl, expect[i].frame, &st);
        if (st.kernel.kind != expect[i].kind)
            fail_msg("frame %lld: kernel %s, expected %s", (long long)expect[i].frame,
                     sk_kernel_name(st.kernel.kind), sk_kernel_name(expect[i].kind));
    }
    sk_timeline_state_at(tl, 10, &st);
    assert_true(fabs(st.kernel.bandwidth - 1.0) < 1e-12);
    assert_int_equal(st.kernel.k, 2);
    sk_timeline_free(tl);
    sk_scene_free(scene);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_segment_is_linear),
        cmocka_unit_test(test_closed_loop_starts_at_first_point),
        cmocka_unit_test(test_spline_interpolates_points),
        cmocka_unit_test(test_constant_speed),
        cmocka_unit_test(test_repeated_points_stay_finite),
        cmocka_unit_test(test_clamping_and_kernel),
        cmocka_unit_test(test_track_eval),
        cmocka_unit_test(test_query_easing),
        cmocka_unit_test(test_animated_properties),
        cmocka_unit_test(test_kernel_track_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
