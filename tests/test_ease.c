/* Unit tests of the easings: hand-worked values, Penner's closed forms as
 * printed on easings.net (written out independently of ease.c's shapes), the
 * symmetries, exact ends, monotonicity, cubic-bezier and the name table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "core/core.h"

#define C1 1.70158
#define C2 (C1 * 1.525)
#define C3 (C1 + 1.0)

/* Samples of t in [0, 1] for the sweeping tests. */
#define STEPS 1000

static double ease(sk_ease_kind kind, double t)
{
    sk_ease e = {kind, 0.0, 0.0, 1.0, 1.0};
    return sk_ease_apply(&e, t);
}

static double bezier(double x1, double y1, double x2, double y2, double t)
{
    sk_ease e = {SK_EASE_CUBIC_BEZIER, x1, y1, x2, y2};
    return sk_ease_apply(&e, t);
}

static void assert_close(double got, double want, double tolerance, const char *what)
{
    if (!(fabs(got - want) <= tolerance))
        fail_msg("%s: expected %.17g, got %.17g", what, want, got);
}

/* ---- hand-worked values ------------------------------------------------ */

typedef struct hand_case {
    sk_ease_kind kind;
    double t, want;
} hand_case;

static void test_hand_values(void **state)
{
    (void)state;
    const hand_case cases[] = {
        {SK_EASE_IN_OUT_CUBIC, 0.25, 0.0625}, /* 4 t^3 */
        {SK_EASE_LINEAR, 0.3, 0.3},
        {SK_EASE_IN_QUAD, 0.5, 0.25},
        {SK_EASE_OUT_QUAD, 0.5, 0.75},
        {SK_EASE_IN_OUT_QUAD, 0.25, 0.125}, /* 2 t^2 */
        {SK_EASE_OUT_CUBIC, 0.5, 0.875},    /* 1 - 0.5^3 */
        {SK_EASE_IN_QUART, 0.5, 0.0625},
        {SK_EASE_IN_OUT_QUART, 0.25, 0.03125}, /* 8 t^4 */
        {SK_EASE_IN_QUINT, 0.5, 0.03125},
        {SK_EASE_IN_OUT_QUINT, 0.25, 0.015625},       /* 16 t^5 */
        {SK_EASE_IN_SINE, 0.5, 0.29289321881345248},  /* 1 - cos(pi/4) = 1 - sqrt(2)/2 */
        {SK_EASE_OUT_SINE, 0.5, 0.70710678118654752}, /* sin(pi/4) */
        {SK_EASE_IN_OUT_SINE, 0.5, 0.5},
        {SK_EASE_IN_EXPO, 0.5, 0.03125},                   /* 2^(5 - 10) */
        {SK_EASE_OUT_EXPO, 0.5, 0.96875},                  /* 1 - 2^-5 */
        {SK_EASE_IN_OUT_EXPO, 0.25, 0.015625},             /* 2^(5 - 10) / 2 */
        {SK_EASE_IN_CIRC, 0.6, 0.2},                       /* 1 - sqrt(1 - 0.36) */
        {SK_EASE_OUT_CIRC, 0.6, 0.91651513899116799},      /* sqrt(1 - 0.16) */
        {SK_EASE_IN_OUT_CIRC, 0.25, 0.066987298107780677}, /* (1 - sqrt(0.75)) / 2 */
        /* c3 / 8 - c1 / 4 = 0.3376975 - 0.425395 */
        {SK_EASE_IN_BACK, 0.5, -0.0876975},
        {SK_EASE_OUT_BACK, 0.5, 1.0876975},
        /* (2t)^2 ((c2 + 1) 2t - c2) / 2 at 2t = 1/2: (1 - c2) / 16, c2 = 2.5949095 */
        {SK_EASE_IN_OUT_BACK, 0.25, -0.09968184375},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_close(ease(cases[i].kind, cases[i].t), cases[i].want, 1e-15,
                     sk_ease_name(cases[i].kind));
}

/* ---- Penner's formulas, as easings.net prints them --------------------- */

static double in_sine(double x)
{
    return 1 - cos((x * M_PI) / 2);
}
static double out_sine(double x)
{
    return sin((x * M_PI) / 2);
}
static double in_out_sine(double x)
{
    return -(cos(M_PI * x) - 1) / 2;
}
static double in_quad(double x)
{
    return x * x;
}
static double out_quad(double x)
{
    return 1 - (1 - x) * (1 - x);
}
static double in_out_quad(double x)
{
    return x < 0.5 ? 2 * x * x : 1 - pow(-2 * x + 2, 2) / 2;
}
static double in_cubic(double x)
{
    return x * x * x;
}
static double out_cubic(double x)
{
    return 1 - pow(1 - x, 3);
}
static double in_out_cubic(double x)
{
    return x < 0.5 ? 4 * x * x * x : 1 - pow(-2 * x + 2, 3) / 2;
}
static double in_quart(double x)
{
    return x * x * x * x;
}
static double out_quart(double x)
{
    return 1 - pow(1 - x, 4);
}
static double in_out_quart(double x)
{
    return x < 0.5 ? 8 * x * x * x * x : 1 - pow(-2 * x + 2, 4) / 2;
}
static double in_quint(double x)
{
    return x * x * x * x * x;
}
static double out_quint(double x)
{
    return 1 - pow(1 - x, 5);
}
static double in_out_quint(double x)
{
    return x < 0.5 ? 16 * x * x * x * x * x : 1 - pow(-2 * x + 2, 5) / 2;
}
static double in_expo(double x)
{
    return x == 0 ? 0 : pow(2, 10 * x - 10);
}
static double out_expo(double x)
{
    return x == 1 ? 1 : 1 - pow(2, -10 * x);
}
static double in_out_expo(double x)
{
    if (x == 0 || x == 1)
        return x;
    return x < 0.5 ? pow(2, 20 * x - 10) / 2 : (2 - pow(2, -20 * x + 10)) / 2;
}
static double in_circ(double x)
{
    return 1 - sqrt(1 - pow(x, 2));
}
static double out_circ(double x)
{
    return sqrt(1 - pow(x - 1, 2));
}
static double in_out_circ(double x)
{
    return x < 0.5 ? (1 - sqrt(1 - pow(2 * x, 2))) / 2 : (sqrt(1 - pow(-2 * x + 2, 2)) + 1) / 2;
}
static double in_back(double x)
{
    return C3 * x * x * x - C1 * x * x;
}
static double out_back(double x)
{
    return 1 + C3 * pow(x - 1, 3) + C1 * pow(x - 1, 2);
}
static double in_out_back(double x)
{
    return x < 0.5 ? (pow(2 * x, 2) * ((C2 + 1) * 2 * x - C2)) / 2
                   : (pow(2 * x - 2, 2) * ((C2 + 1) * (x * 2 - 2) + C2) + 2) / 2;
}
static double linear(double x)
{
    return x;
}

typedef struct penner_row {
    sk_ease_kind kind;
    double (*formula)(double);
} penner_row;

static const penner_row penner[] = {
    {SK_EASE_LINEAR, linear},
    {SK_EASE_IN_SINE, in_sine},
    {SK_EASE_OUT_SINE, out_sine},
    {SK_EASE_IN_OUT_SINE, in_out_sine},
    {SK_EASE_IN_QUAD, in_quad},
    {SK_EASE_OUT_QUAD, out_quad},
    {SK_EASE_IN_OUT_QUAD, in_out_quad},
    {SK_EASE_IN_CUBIC, in_cubic},
    {SK_EASE_OUT_CUBIC, out_cubic},
    {SK_EASE_IN_OUT_CUBIC, in_out_cubic},
    {SK_EASE_IN_QUART, in_quart},
    {SK_EASE_OUT_QUART, out_quart},
    {SK_EASE_IN_OUT_QUART, in_out_quart},
    {SK_EASE_IN_QUINT, in_quint},
    {SK_EASE_OUT_QUINT, out_quint},
    {SK_EASE_IN_OUT_QUINT, in_out_quint},
    {SK_EASE_IN_EXPO, in_expo},
    {SK_EASE_OUT_EXPO, out_expo},
    {SK_EASE_IN_OUT_EXPO, in_out_expo},
    {SK_EASE_IN_CIRC, in_circ},
    {SK_EASE_OUT_CIRC, out_circ},
    {SK_EASE_IN_OUT_CIRC, in_out_circ},
    {SK_EASE_IN_BACK, in_back},
    {SK_EASE_OUT_BACK, out_back},
    {SK_EASE_IN_OUT_BACK, in_out_back},
};

/* Every Penner kind agrees with its printed formula across (0, 1). */
static void test_penner_formulas(void **state)
{
    (void)state;
    assert_int_equal(sizeof penner / sizeof penner[0], SK_EASE_CUBIC_BEZIER);
    for (size_t i = 0; i < sizeof penner / sizeof penner[0]; i++)
        for (int j = 1; j < STEPS; j++) {
            double t = (double)j / STEPS;
            assert_close(ease(penner[i].kind, t), penner[i].formula(t), 1e-12,
                         sk_ease_name(penner[i].kind));
        }
}

/* ---- symmetries and ends ---------------------------------------------- */

/* The in kinds; out and in-out follow each in the enum. */
static const sk_ease_kind in_kinds[] = {
    SK_EASE_IN_SINE,  SK_EASE_IN_QUAD, SK_EASE_IN_CUBIC, SK_EASE_IN_QUART,
    SK_EASE_IN_QUINT, SK_EASE_IN_EXPO, SK_EASE_IN_CIRC,  SK_EASE_IN_BACK,
};

static void test_out_mirrors_in(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof in_kinds / sizeof in_kinds[0]; i++) {
        sk_ease_kind in = in_kinds[i], out = in + 1;
        for (int j = 0; j <= STEPS; j++) {
            double t = (double)j / STEPS;
            assert_close(ease(out, t), 1.0 - ease(in, 1.0 - t), 1e-14, sk_ease_name(out));
        }
    }
}

static void test_in_out_is_point_symmetric(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof in_kinds / sizeof in_kinds[0]; i++) {
        sk_ease_kind in_out = in_kinds[i] + 2;
        assert_close(ease(in_out, 0.5), 0.5, 1e-15, sk_ease_name(in_out));
        for (int j = 0; j <= STEPS; j++) {
            double t = (double)j / STEPS;
            assert_close(ease(in_out, t), 1.0 - ease(in_out, 1.0 - t), 1e-14, sk_ease_name(in_out));
        }
    }
}

/* f(0) = 0 and f(1) = 1 exactly (==, not nearly), and t is clamped. */
static void test_ends_exact_and_clamped(void **state)
{
    (void)state;
    for (int k = 0; k < SK_EASE_COUNT; k++) {
        const char *name = sk_ease_name((sk_ease_kind)k);
        if (ease((sk_ease_kind)k, 0.0) != 0.0 || ease((sk_ease_kind)k, 1.0) != 1.0)
            fail_msg("%s misses an end", name);
        if (ease((sk_ease_kind)k, -3.0) != 0.0 || ease((sk_ease_kind)k, 7.0) != 1.0)
            fail_msg("%s does not clamp t", name);
        if (ease((sk_ease_kind)k, -INFINITY) != 0.0 || ease((sk_ease_kind)k, INFINITY) != 1.0)
            fail_msg("%s does not clamp infinite t", name);
        if (isnan(ease((sk_ease_kind)k, NAN)))
            fail_msg("%s turns NaN into NaN", name);
    }
    assert_true(bezier(0.9, -2.0, 0.1, 3.0, 0.0) == 0.0);
    assert_true(bezier(0.9, -2.0, 0.1, 3.0, 1.0) == 1.0);
}

static void test_monotonic_except_back(void **state)
{
    (void)state;
    for (int k = 0; k < SK_EASE_COUNT; k++) {
        if (k == SK_EASE_IN_BACK || k == SK_EASE_OUT_BACK || k == SK_EASE_IN_OUT_BACK)
            continue;
        double previous = ease((sk_ease_kind)k, 0.0);
        for (int j = 1; j <= STEPS; j++) {
            double f = ease((sk_ease_kind)k, (double)j / STEPS);
            if (f < previous)
                fail_msg("%s decreases at t = %g", sk_ease_name((sk_ease_kind)k),
                         (double)j / STEPS);
            previous = f;
        }
    }
}

/* Back is the one family that leaves [0, 1] on purpose. */
static void test_back_overshoots(void **state)
{
    (void)state;
    double lowest = 0.0, highest = 1.0;
    for (int j = 0; j <= STEPS; j++) {
        double t = (double)j / STEPS;
        lowest = fmin(lowest, fmin(ease(SK_EASE_IN_BACK, t), ease(SK_EASE_IN_OUT_BACK, t)));
        highest = fmax(highest, fmax(ease(SK_EASE_OUT_BACK, t), ease(SK_EASE_IN_OUT_BACK, t)));
    }
    assert_true(lowest < -0.05);
    assert_true(highest > 1.05);
}

/* ---- cubic-bezier ------------------------------------------------------- */

/* x1 = y1 and x2 = y2 put y(s) = x(s): the identity, whatever the controls. */
static void test_bezier_identity(void **state)
{
    (void)state;
    const double controls[][2] = {{0.0, 1.0}, {0.25, 0.75}, {1.0, 0.0}, {0.0, 0.0}, {1.0, 1.0}};
    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
        double a = controls[i][0], b = controls[i][1];
        for (int j = 0; j <= STEPS; j++) {
            double t = (double)j / STEPS;
            assert_close(bezier(a, a, b, b, t), t, 1e-9, "identity bezier");
        }
    }
}

/* CSS ease-in-out, (0.42, 0, 0.58, 1), is point-symmetric like Penner's. */
static void test_bezier_ease_in_out_symmetric(void **state)
{
    (void)state;
    assert_close(bezier(0.42, 0.0, 0.58, 1.0, 0.5), 0.5, 1e-12, "bezier(0.5)");
    for (int j = 0; j <= STEPS; j++) {
        double t = (double)j / STEPS;
        double f = bezier(0.42, 0.0, 0.58, 1.0, t);
        assert_close(bezier(0.42, 0.0, 0.58, 1.0, 1.0 - t), 1.0 - f, 1e-9, "bezier symmetry");
    }
}

/* One coordinate of the Bézier curve, in Bernstein form (unlike ease.c's
 * Horner form), for an independent reference. */
static double bernstein(double a, double b, double s)
{
    double r = 1.0 - s;
    return 3.0 * a * r * r * s + 3.0 * b * r * s * s + s * s * s;
}

/* The s in [0, 1] where x = bernstein(x1, x2, s) crosses target, by plain
 * bisection: slow, but obviously right for monotonic x. */
static double bisect_x(double x1, double x2, double target)
{
    double lo = 0.0, hi = 1.0;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (bernstein(x1, x2, mid) < target)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Where x is flat (x' = 0 inside the curve) no solver can pin s down from t
 * in doubles, so y(t) is only defined up to the s whose x is within
 * X_TOLERANCE of t: the answer must lie between y at the two ends of that
 * run of s. Elsewhere the run is tiny and so is the allowed range. */
#define X_TOLERANCE 1e-12

static void assert_bezier_solves(const double c[4], double t)
{
    double got = bezier(c[0], c[1], c[2], c[3], t);
    double ya = bernstein(c[1], c[3], bisect_x(c[0], c[2], t - X_TOLERANCE));
    double yb = bernstein(c[1], c[3], bisect_x(c[0], c[2], t + X_TOLERANCE));
    double lo = fmin(ya, yb) - 1e-12, hi = fmax(ya, yb) + 1e-12;
    if (!(got >= lo && got <= hi))
        fail_msg("cubicBezier(%g, %g, %g, %g) at %g: expected %.15g .. %.15g, got %.15g", c[0],
                 c[1], c[2], c[3], t, lo, hi, got);
}

/* Including controls where x'(s) vanishes (x1 = 0 at the start, x2 = 1 at
 * the end, both at once, or in the middle) or y leaves [0, 1]: Newton alone
 * would stall or leave [0, 1]. */
static void test_bezier_matches_bisection(void **state)
{
    (void)state;
    const double controls[][4] = {
        {0.25, 0.1, 0.25, 1.0}, /* CSS "ease" */
        {0.0, 1.0, 1.0, 0.0},       {0.0, 0.0, 0.0, 1.0}, {1.0, 0.0, 1.0, 1.0},
        {0.68, -0.55, 0.265, 1.55}, {0.5, 0.5, 0.5, 0.5}, {0.0, -1.0, 1.0, 2.0},
        {1.0, 0.0, 0.0, 1.0}, /* x'(1/2) = 0 */
    };
    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++)
        for (int j = 1; j < STEPS; j++)
            assert_bezier_solves(controls[i], (double)j / STEPS);
}

/* ---- names -------------------------------------------------------------- */

/* The scene-file names, in enum order: what users write, so pinned here. */
static const char *const names[SK_EASE_COUNT] = {
    "linear",         "easeInSine",    "easeOutSine",    "easeInOutSine", "easeInQuad",
    "easeOutQuad",    "easeInOutQuad", "easeInCubic",    "easeOutCubic",  "easeInOutCubic",
    "easeInQuart",    "easeOutQuart",  "easeInOutQuart", "easeInQuint",   "easeOutQuint",
    "easeInOutQuint", "easeInExpo",    "easeOutExpo",    "easeInOutExpo", "easeInCirc",
    "easeOutCirc",    "easeInOutCirc", "easeInBack",     "easeOutBack",   "easeInOutBack",
    "cubicBezier",
};

static void test_names_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < SK_EASE_COUNT; k++) {
        assert_non_null(names[k]);
        assert_string_equal(sk_ease_name((sk_ease_kind)k), names[k]);
    }
    for (int k = 0; k < SK_EASE_COUNT; k++) {
        const char *name = sk_ease_name((sk_ease_kind)k);
        assert_non_null(name);
        sk_ease_kind back = SK_EASE_COUNT;
        assert_true(sk_ease_from_name(name, &back));
        assert_int_equal(back, k);
    }
    assert_null(sk_ease_name(SK_EASE_COUNT));
    assert_null(sk_ease_name((sk_ease_kind)-1));
}

static void test_unknown_names_rejected(void **state)
{
    (void)state;
    const char *bad[] = {"",     "easeinquad", "EaseInQuad",   "easeInQuad ", "cubic-bezier",
                         "ease", "easeInOut",  "easeInBounce", "linear\n",    "cubicBezier()"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        sk_ease_kind kind = SK_EASE_IN_QUAD;
        if (sk_ease_from_name(bad[i], &kind))
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_int_equal(kind, SK_EASE_IN_QUAD); /* untouched on failure */
    }
    sk_ease_kind kind;
    assert_false(sk_ease_from_name(NULL, &kind));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_values),
        cmocka_unit_test(test_penner_formulas),
        cmocka_unit_test(test_out_mirrors_in),
        cmocka_unit_test(test_in_out_is_point_symmetric),
        cmocka_unit_test(test_ends_exact_and_clamped),
        cmocka_unit_test(test_monotonic_except_back),
        cmocka_unit_test(test_back_overshoots),
        cmocka_unit_test(test_bezier_identity),
        cmocka_unit_test(test_bezier_ease_in_out_symmetric),
        cmocka_unit_test(test_bezier_matches_bisection),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_unknown_names_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
