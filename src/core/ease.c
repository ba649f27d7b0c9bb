/* ease.c — easing curves: one table row per sk_ease_kind.
 *
 * Every Penner easing is written once as its "in" curve f, with f(0) = 0 and
 * f(1) = 1; the row's shape derives the rest, exactly as Penner's formulas do:
 *   in:     f(t)
 *   out:    1 - f(1 - t)
 *   in-out: f(2t) / 2 for t < 1/2, else 1 - f(2 - 2t) / 2
 * so the symmetries out(t) = 1 - in(1 - t) and inOut(t) = 1 - inOut(1 - t)
 * hold by construction. easeInOutBack is the one Penner curve whose halves use
 * a different overshoot (c2) than easeInBack (c1), so it has its own "in" row.
 */
#include "core.h"

#include <math.h>
#include <string.h>

/* Penner's overshoot constants for the Back easings (dimensionless). c1 makes
 * easeInBack dip about 10 % below 0; c2 = c1 * 1.525 is his in-out variant. */
#define BACK_C1 1.70158
#define BACK_C2 (BACK_C1 * 1.525)

/* Steepness of the Expo easings, 2^(10 (t - 1)): f(0) would be 2^-10, so
 * Penner writes in an exact 0; sk_ease_apply returns both ends itself, which
 * covers that for every kind. */
#define EXPO_STEEPNESS 10.0

/* Cubic-bezier solver: stop when x(s) is within this of t (x is in [0, 1]),
 * or after this many safeguarded Newton steps (each at worst a bisection, so
 * 100 halve the bracket far below double resolution). */
#define BEZIER_X_TOLERANCE 1e-14
#define BEZIER_MAX_STEPS 100

typedef enum ease_shape { SHAPE_IN, SHAPE_OUT, SHAPE_IN_OUT } ease_shape;

typedef double (*ease_curve)(const sk_ease *ease, double t);

typedef struct ease_row {
    const char *name;
    ease_curve curve; /* the "in" curve, f(0) = 0, f(1) = 1 */
    ease_shape shape;
} ease_row;

static double ease_linear(const sk_ease *ease, double t)
{
    (void)ease;
    return t;
}

static double ease_sine(const sk_ease *ease, double t)
{
    (void)ease;
    return 1.0 - cos(t * M_PI / 2.0);
}

static double ease_quad(const sk_ease *ease, double t)
{
    (void)ease;
    return t * t;
}

static double ease_cubic(const sk_ease *ease, double t)
{
    (void)ease;
    return t * t * t;
}

static double ease_quart(const sk_ease *ease, double t)
{
    (void)ease;
    return t * t * t * t;
}

static double ease_quint(const sk_ease *ease, double t)
{
    (void)ease;
    return t * t * t * t * t;
}

static double ease_expo(const sk_ease *ease, double t)
{
    (void)ease;
    return pow(2.0, EXPO_STEEPNESS * (t - 1.0));
}

static double ease_circ(const sk_ease *ease, double t)
{
    (void)ease;
    return 1.0 - sqrt(1.0 - t * t);
}

/* (c + 1) t^3 - c t^2: ends at 1 with slope 3 + c, dips below 0 before. */
static double back_with(double c, double t)
{
    return (c + 1.0) * t * t * t - c * t * t;
}

static double ease_back(const sk_ease *ease, double t)
{
    (void)ease;
    return back_with(BACK_C1, t);
}

static double ease_back_in_out(const sk_ease *ease, double t)
{
    (void)ease;
    return back_with(BACK_C2, t);
}

/* One coordinate of the CSS cubic Bézier from 0 to 1 with inner control
 * values a and b, at parameter s: 3a(1-s)^2 s + 3b(1-s)s^2 + s^3, in Horner
 * form, and its derivative in s. */
static double bezier_coord(double a, double b, double s)
{
    return ((1.0 - 3.0 * b + 3.0 * a) * s + (3.0 * b - 6.0 * a)) * s * s + 3.0 * a * s;
}

static double bezier_slope(double a, double b, double s)
{
    return (3.0 * (1.0 - 3.0 * b + 3.0 * a) * s + 2.0 * (3.0 * b - 6.0 * a)) * s + 3.0 * a;
}

/* The s in [0, 1] with x(s) = t. Newton converges fast where x is steep, but
 * x' may vanish (x1 = 0 at s = 0, for one) and Newton may overshoot, so every
 * step keeps a bracket [lo, hi] with x(lo) <= t <= x(hi) and bisects whenever
 * Newton would leave it. Since x(0) = 0 <= t <= 1 = x(1) the bracket always
 * holds a root, even for x1, x2 outside [0, 1] where x need not be monotonic. */
static double bezier_solve_x(double x1, double x2, double t)
{
    double lo = 0.0, hi = 1.0, s = t;
    for (int step = 0; step < BEZIER_MAX_STEPS; step++) {
        double err = bezier_coord(x1, x2, s) - t;
        if (fabs(err) <= BEZIER_X_TOLERANCE)
            break;
        if (err < 0.0)
            lo = s;
        else
            hi = s;
        double mid = 0.5 * (lo + hi), slope = bezier_slope(x1, x2, s);
        double next = slope > 0.0 ? s - err / slope : mid;
        s = (next > lo && next < hi) ? next : mid;
    }
    return s;
}

static double ease_cubic_bezier(const sk_ease *ease, double t)
{
    return bezier_coord(ease->y1, ease->y2, bezier_solve_x(ease->x1, ease->x2, t));
}

static const ease_row ease_table[SK_EASE_COUNT] = {
    [SK_EASE_LINEAR] = {"linear", ease_linear, SHAPE_IN},
    [SK_EASE_IN_SINE] = {"easeInSine", ease_sine, SHAPE_IN},
    [SK_EASE_OUT_SINE] = {"easeOutSine", ease_sine, SHAPE_OUT},
    [SK_EASE_IN_OUT_SINE] = {"easeInOutSine", ease_sine, SHAPE_IN_OUT},
    [SK_EASE_IN_QUAD] = {"easeInQuad", ease_quad, SHAPE_IN},
    [SK_EASE_OUT_QUAD] = {"easeOutQuad", ease_quad, SHAPE_OUT},
    [SK_EASE_IN_OUT_QUAD] = {"easeInOutQuad", ease_quad, SHAPE_IN_OUT},
    [SK_EASE_IN_CUBIC] = {"easeInCubic", ease_cubic, SHAPE_IN},
    [SK_EASE_OUT_CUBIC] = {"easeOutCubic", ease_cubic, SHAPE_OUT},
    [SK_EASE_IN_OUT_CUBIC] = {"easeInOutCubic", ease_cubic, SHAPE_IN_OUT},
    [SK_EASE_IN_QUART] = {"easeInQuart", ease_quart, SHAPE_IN},
    [SK_EASE_OUT_QUART] = {"easeOutQuart", ease_quart, SHAPE_OUT},
    [SK_EASE_IN_OUT_QUART] = {"easeInOutQuart", ease_quart, SHAPE_IN_OUT},
    [SK_EASE_IN_QUINT] = {"easeInQuint", ease_quint, SHAPE_IN},
    [SK_EASE_OUT_QUINT] = {"easeOutQuint", ease_quint, SHAPE_OUT},
    [SK_EASE_IN_OUT_QUINT] = {"easeInOutQuint", ease_quint, SHAPE_IN_OUT},
    [SK_EASE_IN_EXPO] = {"easeInExpo", ease_expo, SHAPE_IN},
    [SK_EASE_OUT_EXPO] = {"easeOutExpo", ease_expo, SHAPE_OUT},
    [SK_EASE_IN_OUT_EXPO] = {"easeInOutExpo", ease_expo, SHAPE_IN_OUT},
    [SK_EASE_IN_CIRC] = {"easeInCirc", ease_circ, SHAPE_IN},
    [SK_EASE_OUT_CIRC] = {"easeOutCirc", ease_circ, SHAPE_OUT},
    [SK_EASE_IN_OUT_CIRC] = {"easeInOutCirc", ease_circ, SHAPE_IN_OUT},
    [SK_EASE_IN_BACK] = {"easeInBack", ease_back, SHAPE_IN},
    [SK_EASE_OUT_BACK] = {"easeOutBack", ease_back, SHAPE_OUT},
    [SK_EASE_IN_OUT_BACK] = {"easeInOutBack", ease_back_in_out, SHAPE_IN_OUT},
    [SK_EASE_CUBIC_BEZIER] = {"cubicBezier", ease_cubic_bezier, SHAPE_IN},
};

const char *sk_ease_name(sk_ease_kind kind)
{
    if ((unsigned)kind >= SK_EASE_COUNT)
        return NULL;
    return ease_table[kind].name;
}

bool sk_ease_from_name(const char *name, sk_ease_kind *kind)
{
    if (!name)
        return false;
    for (int i = 0; i < SK_EASE_COUNT; i++) {
        if (strcmp(name, ease_table[i].name) == 0) {
            *kind = (sk_ease_kind)i;
            return true;
        }
    }
    return false;
}

static double apply_shape(const ease_row *row, const sk_ease *ease, double t)
{
    switch (row->shape) {
    case SHAPE_IN: return row->curve(ease, t);
    case SHAPE_OUT: return 1.0 - row->curve(ease, 1.0 - t);
    case SHAPE_IN_OUT:
        return t < 0.5 ? 0.5 * row->curve(ease, 2.0 * t)
                       : 1.0 - 0.5 * row->curve(ease, 2.0 - 2.0 * t);
    }
    return t;
}

double sk_ease_apply(const sk_ease *ease, double t)
{
    /* The ends are returned, not computed: cos(pi/2) and friends are not
     * exactly 0, and an animation must land exactly on its keyframes. NaN
     * fails both tests and counts as the start. */
    if (!(t > 0.0))
        return 0.0;
    if (t >= 1.0)
        return 1.0;
    if ((unsigned)ease->kind >= SK_EASE_COUNT) /* not a kind: no easing */
        return t;
    return apply_shape(&ease_table[ease->kind], ease, t);
}
