/* Unit tests of path.c: each path kind's geometry, the arc-length
 * reparametrisation (equal steps in s are equal distances), and the edges:
 * repeated points, zero length, clamping, paths with no geometry. Expected
 * values are worked by hand from the shapes, never read off the code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "timeline/path.h"

/* Steps in s for the constant-speed tests, and sub-chords per step when a
 * step's length is measured (enough that curvature barely shortens it). */
#define SPEED_STEPS 600
#define SUB_CHORDS 50

static sk_path points_path(sk_path_kind kind, sk_vec2 *points, int count, bool closed)
{
    return (sk_path){.kind = kind, .points = points, .point_count = count, .closed = closed};
}

static sk_path ellipse(double cx, double cy, double rx, double ry, double rotation, double start,
                       double end)
{
    return (sk_path){.kind = SK_PATH_ELLIPSE,
                     .center = {cx, cy},
                     .radius_x = rx,
                     .radius_y = ry,
                     .rotation = rotation,
                     .start_angle = start,
                     .end_angle = end};
}

static sk_path_table *must_table(const sk_path *path)
{
    sk_path_table *table = NULL;
    sk_error err = {0};
    sk_status status = sk_path_table_new(path, &table, &err);
    if (status != SK_OK)
        fail_msg("sk_path_table_new: %d %s", status, err.message);
    assert_non_null(table);
    return table;
}

static void assert_point(const sk_path_table *table, double s, double x, double y, double tolerance)
{
    sk_vec2 p = sk_path_table_point(table, s);
    if (!(fabs(p.x - x) <= tolerance && fabs(p.y - y) <= tolerance))
        fail_msg("at s = %g expected (%.12g, %.12g), got (%.12g, %.12g)", s, x, y, p.x, p.y);
}

static void assert_length(const sk_path_table *table, double want, double relative)
{
    double got = sk_path_table_length(table);
    if (!(fabs(got - want) <= relative * want))
        fail_msg("length %.12g, expected %.12g", got, want);
}

/* ---- polyline ----------------------------------------------------------- */

static void test_polyline_open(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {3, 0}, {3, 4}};
    sk_path path = points_path(SK_PATH_POLYLINE, pts, 3, false);
    sk_path_table *table = must_table(&path);
    assert_length(table, 7.0, 1e-12);
    assert_point(table, 0.0, 0, 0, 1e-12);
    assert_point(table, 2.0 / 7.0, 2, 0, 1e-9);
    assert_point(table, 3.0 / 7.0, 3, 0, 1e-9); /* the corner */
    assert_point(table, 0.5, 3, 0.5, 1e-9);     /* 3.5 of 7 along */
    assert_point(table, 1.0, 3, 4, 1e-12);
    sk_path_table_free(table);
}

static void test_polyline_closed_square(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {2, 0}, {2, 2}, {0, 2}};
    sk_path path = points_path(SK_PATH_POLYLINE, pts, 4, true);
    sk_path_table *table = must_table(&path);
    assert_length(table, 8.0, 1e-12);
    assert_point(table, 0.125, 1, 0, 1e-9);
    assert_point(table, 0.25, 2, 0, 1e-9);
    assert_point(table, 0.375, 2, 1, 1e-9);
    assert_point(table, 0.625, 1, 2, 1e-9);
    assert_point(table, 0.875, 0, 1, 1e-9); /* on the closing side */
    assert_point(table, 1.0, 0, 0, 1e-12);  /* and back at the start */
    sk_path_table_free(table);
}

/* ---- ellipse ------------------------------------------------------------ */

static void test_circle(void **state)
{
    (void)state;
    sk_path path = ellipse(1, 1, 2, 2, 0, 0, 360);
    sk_path_table *table = must_table(&path);
    assert_length(table, 4.0 * M_PI, 1e-6);
    assert_point(table, 0.0, 3, 1, 1e-12);
    assert_point(table, 0.25, 1, 3, 1e-9);
    assert_point(table, 0.5, -1, 1, 1e-9);
    assert_point(table, 0.75, 1, -1, 1e-9);
    assert_point(table, 1.0, 3, 1, 1e-9);
    /* Every point is on the circle itself, not on a chord between samples. */
    for (int i = 0; i <= 10000; i++) {
        sk_vec2 p = sk_path_table_point(table, i / 10000.0);
        double r = hypot(p.x - 1, p.y - 1);
        if (!(fabs(r - 2.0) <= 1e-12))
            fail_msg("at s = %g the point is %.17g from the centre", i / 10000.0, r);
    }
    sk_path_table_free(table);
}

static void test_ellipse_quarter_counter_clockwise(void **state)
{
    (void)state;
    sk_path path = ellipse(0, 0, 1, 1, 0, 0, 90);
    sk_path_table *table = must_table(&path);
    assert_length(table, M_PI / 2.0, 1e-6);
    assert_point(table, 0.0, 1, 0, 1e-12);
    assert_point(table, 0.5, M_SQRT1_2, M_SQRT1_2, 1e-9);
    assert_point(table, 1.0, 0, 1, 1e-12);
    sk_path_table_free(table);
}

/* end < start goes clockwise, the short way: through 45 degrees, not 225. */
static void test_ellipse_clockwise(void **state)
{
    (void)state;
    sk_path path = ellipse(0, 0, 1, 1, 0, 90, 0);
    sk_path_table *table = must_table(&path);
    assert_length(table, M_PI / 2.0, 1e-6);
    assert_point(table, 0.0, 0, 1, 1e-12);
    assert_point(table, 0.5, M_SQRT1_2, M_SQRT1_2, 1e-9);
    assert_point(table, 1.0, 1, 0, 1e-12);
    sk_path_table_free(table);

    sk_path below = ellipse(0, 0, 1, 1, 0, 0, -90);
    table = must_table(&below);
    assert_point(table, 0.5, M_SQRT1_2, -M_SQRT1_2, 1e-9);
    assert_point(table, 1.0, 0, -1, 1e-12);
    sk_path_table_free(table);
}

/* Rotation turns the ellipse counter-clockwise about its centre: the start
 * (rx, 0) goes to (0, rx), and the top (0, ry) to (-ry, 0). */
static void test_ellipse_rotation(void **state)
{
    (void)state;
    sk_path path = ellipse(5, -1, 3, 1, 90, 0, 90);
    sk_path_table *table = must_table(&path);
    assert_point(table, 0.0, 5, 2, 1e-12);
    assert_point(table, 1.0, 4, -1, 1e-12);
    sk_path_table_free(table);
}

/* Perimeter of an ellipse, integrating its speed by Simpson's rule, to check
 * the table's length where there is no closed form. */
static double ellipse_perimeter(double rx, double ry)
{
    const int n = 100000; /* even */
    double sum = 0.0;
    for (int i = 0; i <= n; i++) {
        double theta = 2.0 * M_PI * i / n;
        double speed = hypot(rx * sin(theta), ry * cos(theta));
        sum += speed * (i == 0 || i == n ? 1.0 : (i % 2 ? 4.0 : 2.0));
    }
    return sum * (2.0 * M_PI / n) / 3.0;
}

static void test_ellipse_length(void **state)
{
    (void)state;
    sk_path path = ellipse(0, 0, 5, 0.5, 30, -45, 315);
    sk_path_table *table = must_table(&path);
    assert_length(table, ellipse_perimeter(5, 0.5), 1e-6);
    sk_path_table_free(table);
}

/* ---- Bézier ------------------------------------------------------------- */

static void test_bezier_straight(void **state)
{
    (void)state;
    sk_vec2 even[] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
    sk_path path = points_path(SK_PATH_BEZIER, even, 4, false);
    sk_path_table *table = must_table(&path);
    assert_length(table, 3.0, 1e-9);
    assert_point(table, 0.5, 1.5, 0, 1e-9);
    sk_path_table_free(table);

    /* Controls bunched at the far end: the curve rushes out and crawls in,
     * but s is arc length, so s = 0.5 is still half way. */
    sk_vec2 uneven[] = {{0, 0}, {2.5, 0}, {2.8, 0}, {3, 0}};
    path = points_path(SK_PATH_BEZIER, uneven, 4, false);
    table = must_table(&path);
    assert_length(table, 3.0, 1e-9);
    assert_point(table, 0.5, 1.5, 0, 1e-6);
    assert_point(table, 0.1, 0.3, 0, 1e-6);
    sk_path_table_free(table);
}

/* A mirror-symmetric arch: half the length is at the apex, where
 * y = 3 (1/4)(1/2) 2 + 3 (1/2)(1/4) 2 = 1.5. */
static void test_bezier_arch(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {1, 2}, {3, 2}, {4, 0}};
    sk_path path = points_path(SK_PATH_BEZIER, pts, 4, false);
    sk_path_table *table = must_table(&path);
    assert_point(table, 0.0, 0, 0, 1e-12);
    assert_point(table, 0.5, 2, 1.5, 1e-6);
    assert_point(table, 1.0, 4, 0, 1e-12);
    sk_path_table_free(table);
}

/* Two segments, point-symmetric about the shared anchor (3, 0). */
static void test_bezier_chain(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {1, 1}, {2, 1}, {3, 0}, {4, -1}, {5, -1}, {6, 0}};
    sk_path path = points_path(SK_PATH_BEZIER, pts, 7, false);
    sk_path_table *table = must_table(&path);
    assert_point(table, 0.5, 3, 0, 1e-6);
    assert_point(table, 1.0, 6, 0, 1e-12);
    sk_vec2 a = sk_path_table_point(table, 0.2), b = sk_path_table_point(table, 0.8);
    assert_true(fabs(a.x + b.x - 6.0) < 1e-6 && fabs(a.y + b.y) < 1e-6);
    sk_path_table_free(table);
}

/* Closed: when the last anchor is the first, the chain closes by itself and
 * is as long as the open one; when it is not, a straight segment closes it. */
static void test_bezier_closed(void **state)
{
    (void)state;
    sk_vec2 loop[] = {{0, 0}, {2, -1}, {3, 1}, {2, 2}, {1, 3}, {-1, 1}, {0, 0}};
    sk_path open = points_path(SK_PATH_BEZIER, loop, 7, false);
    sk_path closed = points_path(SK_PATH_BEZIER, loop, 7, true);
    sk_path_table *a = must_table(&open), *b = must_table(&closed);
    assert_true(sk_path_table_length(a) == sk_path_table_length(b));
    assert_point(b, 1.0, 0, 0, 1e-12);
    sk_path_table_free(a);
    sk_path_table_free(b);

    sk_vec2 line[] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}};
    sk_path there_and_back = points_path(SK_PATH_BEZIER, line, 4, true);
    sk_path_table *table = must_table(&there_and_back);
    assert_length(table, 6.0, 1e-9);
    assert_point(table, 0.5, 3, 0, 1e-9);
    assert_point(table, 0.75, 1.5, 0, 1e-9);
    assert_point(table, 1.0, 0, 0, 1e-12);
    sk_path_table_free(table);
}

/* ---- spline ------------------------------------------------------------- */

/* Catmull–Rom interpolates: the curve passes through every control point. */
static void test_spline_interpolates_points(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {3, 1}, {4, 4}, {1, 5}, {-1, 2}};
    for (int closed = 0; closed <= 1; closed++) {
        sk_path path = points_path(SK_PATH_SPLINE, pts, 5, closed);
        sk_path_table *table = must_table(&path);
        for (int i = 0; i < 5; i++) {
            double best = INFINITY;
            for (int s = 0; s <= 20000; s++) {
                sk_vec2 p = sk_path_table_point(table, s / 20000.0);
                best = fmin(best, hypot(p.x - pts[i].x, p.y - pts[i].y));
            }
            if (best > 2e-3)
                fail_msg("the %s path misses control point %d by %g", closed ? "closed" : "open", i,
                         best);
        }
        assert_point(table, 0.0, 0, 0, 1e-12);
        sk_vec2 end = closed ? pts[0] : pts[4];
        assert_point(table, 1.0, end.x, end.y, 1e-9);
        sk_path_table_free(table);
    }
}

/* Two points: the mirrored end points make the spline the straight segment. */
static void test_spline_two_points_is_straight(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {10, 0}};
    sk_path path = points_path(SK_PATH_SPLINE, pts, 2, false);
    sk_path_table *table = must_table(&path);
    assert_length(table, 10.0, 1e-9);
    for (int i = 0; i <= 10; i++)
        assert_point(table, i / 10.0, i, 0, 1e-9);
    sk_path_table_free(table);
}

/* Centripetal, not uniform, Catmull–Rom. Points mirror-symmetric about x = 0,
 * so half the length is on the axis, at the middle of segment P1 P2. In
 * Hermite form that point is (P1 + P2) / 2 + (m1 - m2) / 8 with tangents
 *   m1 = (t2 - t1) ((P1 - P0) / (t1 - t0) - (P2 - P0) / (t2 - t0) + (P2 - P1) / (t2 - t1))
 * and m2 its mirror image. Knot steps are |P0 P1|^0.5 = 10^0.25 =: a and
 * |P1 P2|^0.5 = sqrt 2 =: b, so y = 3 b^2 / (4 a (a + b)) = 1.5 / (a (a + b))
 * = 0.2642...; uniform knots would give (3 + 3) / 16 = 0.375. */
static void test_spline_is_centripetal(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{-2, -3}, {-1, 0}, {1, 0}, {2, -3}};
    sk_path path = points_path(SK_PATH_SPLINE, pts, 4, false);
    sk_path_table *table = must_table(&path);
    double a = pow(10.0, 0.25), b = sqrt(2.0);
    assert_point(table, 0.5, 0.0, 1.5 / (a * (a + b)), 1e-6);
    sk_path_table_free(table);
}

/* ---- constant speed, every kind ---------------------------------------- */

/* Length between fractions a and b, summed over short chords so that
 * curvature does not shorten it. */
static double step_length(const sk_path_table *table, double a, double b)
{
    double length = 0.0;
    sk_vec2 previous = sk_path_table_point(table, a);
    for (int j = 1; j <= SUB_CHORDS; j++) {
        sk_vec2 p = sk_path_table_point(table, a + (b - a) * j / SUB_CHORDS);
        length += hypot(p.x - previous.x, p.y - previous.y);
        previous = p;
    }
    return length;
}

/* Every step is within 1 % of every other, and of length / steps. */
static void assert_constant_speed(const sk_path *path, const char *what)
{
    sk_path_table *table = must_table(path);
    double expected = sk_path_table_length(table) / SPEED_STEPS;
    double min = INFINITY, max = 0.0;
    for (int i = 0; i < SPEED_STEPS; i++) {
        double d = step_length(table, (double)i / SPEED_STEPS, (double)(i + 1) / SPEED_STEPS);
        min = fmin(min, d);
        max = fmax(max, d);
    }
    if (!(max <= min * 1.01 && min >= expected * 0.99 && max <= expected * 1.01))
        fail_msg("%s: steps vary from %g to %g, expected %g", what, min, max, expected);
    sk_path_table_free(table);
}

static void test_constant_speed_every_kind(void **state)
{
    (void)state;
    /* Segments of very different lengths, and a sharp turn near (8, 0). */
    sk_vec2 sharp[] = {{0, 0}, {8, 0}, {8.5, 1}, {4, 6}, {-1, 2}};
    sk_path spline_closed = points_path(SK_PATH_SPLINE, sharp, 5, true);
    sk_path spline_open = points_path(SK_PATH_SPLINE, sharp, 5, false);
    /* Sides from 0.3 to 10.2 long; corners no sharper than a right angle,
     * since a sub-chord across a corner cuts up to 0.6 % off a step. */
    sk_vec2 zigzag[] = {{0, 0}, {10, 0}, {10, 0.3}, {10.2, 4}, {0, 4}};
    sk_path polyline = points_path(SK_PATH_POLYLINE, zigzag, 5, true);
    sk_vec2 chain[] = {{0, 0}, {0, 5}, {1, 5}, {1, 0}, {1, -0.2}, {9, -0.2}, {9, 0}};
    sk_path bezier = points_path(SK_PATH_BEZIER, chain, 7, true);
    sk_vec2 bunched[] = {{0, 0}, {2.9, 0}, {2.95, 0}, {3, 0}};
    sk_path bezier_bunched = points_path(SK_PATH_BEZIER, bunched, 4, false);
    sk_path thin = ellipse(0, 0, 5, 0.2, 10, 0, 360);
    sk_path arc = ellipse(1, 2, 0.5, 3, -20, 200, -70);

    assert_constant_speed(&spline_closed, "closed spline");
    assert_constant_speed(&spline_open, "open spline");
    assert_constant_speed(&polyline, "polyline");
    assert_constant_speed(&bezier, "bezier chain");
    assert_constant_speed(&bezier_bunched, "bezier with bunched controls");
    assert_constant_speed(&thin, "thin ellipse");
    assert_constant_speed(&arc, "clockwise ellipse arc");
}

/* ---- edges -------------------------------------------------------------- */

static void assert_finite_everywhere(const sk_path *path, const char *what)
{
    sk_path_table *table = must_table(path);
    assert_true(isfinite(sk_path_table_length(table)));
    for (int i = 0; i <= 1000; i++) {
        sk_vec2 p = sk_path_table_point(table, i / 1000.0);
        if (!(isfinite(p.x) && isfinite(p.y)))
            fail_msg("%s: not finite at s = %g", what, i / 1000.0);
    }
    sk_path_table_free(table);
}

static void test_repeated_points_stay_finite(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{1, 1}, {1, 1}, {3, 2}, {3, 2}};
    for (int closed = 0; closed <= 1; closed++) {
        sk_path spline = points_path(SK_PATH_SPLINE, pts, 4, closed);
        sk_path polyline = points_path(SK_PATH_POLYLINE, pts, 4, closed);
        assert_finite_everywhere(&spline, "spline");
        assert_finite_everywhere(&polyline, "polyline");
    }
    sk_vec2 doubled[] = {{0, 0}, {0, 0}, {2, 2}, {2, 2}, {2, 2}, {2, 2}, {2, 2}};
    sk_path bezier = points_path(SK_PATH_BEZIER, doubled, 7, true);
    assert_finite_everywhere(&bezier, "bezier");
}

/* A path of zero length stays at its start for every s. */
static void test_zero_length_stays_at_start(void **state)
{
    (void)state;
    sk_vec2 same[] = {{2, 2}, {2, 2}, {2, 2}, {2, 2}};
    sk_path paths[] = {
        points_path(SK_PATH_SPLINE, same, 3, true),
        points_path(SK_PATH_SPLINE, same, 2, false),
        points_path(SK_PATH_POLYLINE, same, 3, true),
        points_path(SK_PATH_BEZIER, same, 4, false),
        ellipse(2, 2, 1, 1, 0, 30, 30), /* no sweep: the point at 30 degrees */
    };
    sk_vec2 start[] = {{2, 2}, {2, 2}, {2, 2}, {2, 2}, {2 + sqrt(3) / 2, 2.5}};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        sk_path_table *table = must_table(&paths[i]);
        assert_true(sk_path_table_length(table) == 0.0);
        for (int j = 0; j <= 4; j++)
            assert_point(table, j / 4.0, start[i].x, start[i].y, 1e-12);
        sk_path_table_free(table);
    }
}

/* s outside [0, 1] is clamped; NaN counts as the start. */
static void test_s_is_clamped(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {3, 0}, {3, 4}};
    sk_path path = points_path(SK_PATH_POLYLINE, pts, 3, false);
    sk_path_table *table = must_table(&path);
    assert_point(table, -0.5, 0, 0, 1e-12);
    assert_point(table, -INFINITY, 0, 0, 1e-12);
    assert_point(table, 1.5, 3, 4, 1e-12);
    assert_point(table, INFINITY, 3, 4, 1e-12);
    assert_point(table, NAN, 0, 0, 1e-12);
    sk_path_table_free(table);
}

static void assert_rejected(const sk_path *path, const char *what)
{
    static char sentinel;
    sk_path_table *table = (sk_path_table *)&sentinel; /* must be reset to NULL */
    sk_error err = {0};
    if (sk_path_table_new(path, &table, &err) != SK_EINPUT)
        fail_msg("%s was not rejected as input", what);
    assert_null(table);
    if (strlen(err.message) == 0)
        fail_msg("%s: no message", what);
}

static void test_bad_paths_rejected(void **state)
{
    (void)state;
    sk_vec2 pts[] = {{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}};
    sk_path keyframes = {.kind = SK_PATH_KEYFRAMES};
    sk_path unknown = {.kind = SK_PATH_KIND_COUNT};
    sk_path lonely = points_path(SK_PATH_POLYLINE, pts, 1, false);
    sk_path lonely_spline = points_path(SK_PATH_SPLINE, pts, 1, true);
    sk_path bezier5 = points_path(SK_PATH_BEZIER, pts, 5, false);
    sk_path bezier3 = points_path(SK_PATH_BEZIER, pts, 3, false);
    sk_path nan_ellipse = ellipse(0, 0, 1, 1, 0, 0, NAN);
    sk_path endless = ellipse(0, 0, 1, 1, 0, 0, 1e300);
    assert_rejected(&keyframes, "a keyframed path");
    assert_rejected(&unknown, "an unknown kind");
    assert_rejected(&lonely, "a one-point polyline");
    assert_rejected(&lonely_spline, "a one-point spline");
    assert_rejected(&bezier5, "a 5-point bezier");
    assert_rejected(&bezier3, "a 3-point bezier");
    assert_rejected(&nan_ellipse, "an ellipse with a NaN angle");
    assert_rejected(&endless, "an ellipse of 1e300 degrees");
    sk_error err = {0};
    sk_path_table *table = NULL;
    assert_int_equal(sk_path_table_new(&keyframes, &table, &err), SK_EINPUT);
    assert_non_null(strstr(err.message, "keyframe"));
}

static void test_free_null(void **state)
{
    (void)state;
    sk_path_table_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_polyline_open),
        cmocka_unit_test(test_polyline_closed_square),
        cmocka_unit_test(test_circle),
        cmocka_unit_test(test_ellipse_quarter_counter_clockwise),
        cmocka_unit_test(test_ellipse_clockwise),
        cmocka_unit_test(test_ellipse_rotation),
        cmocka_unit_test(test_ellipse_length),
        cmocka_unit_test(test_bezier_straight),
        cmocka_unit_test(test_bezier_arch),
        cmocka_unit_test(test_bezier_chain),
        cmocka_unit_test(test_bezier_closed),
        cmocka_unit_test(test_spline_interpolates_points),
        cmocka_unit_test(test_spline_two_points_is_straight),
        cmocka_unit_test(test_spline_is_centripetal),
        cmocka_unit_test(test_constant_speed_every_kind),
        cmocka_unit_test(test_repeated_points_stay_finite),
        cmocka_unit_test(test_zero_length_stays_at_start),
        cmocka_unit_test(test_s_is_clamped),
        cmocka_unit_test(test_bad_paths_rejected),
        cmocka_unit_test(test_free_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
