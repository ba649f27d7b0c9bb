/* path.c — query paths as chains of segments, travelled at constant speed.
 *
 * Each geometric kind is one row of `geometry_table`: how many segments the
 * path has and the point of segment k at local parameter u in [0, 1]. The
 * chain is continuous (segment k at u = 1 is segment k + 1 at u = 0), so one
 * generic arc-length table serves every kind: samples of (segment, u) with the
 * length from the start to each, searched by bisection.
 *
 * Closed Bézier chains: the header says the last anchor joins the first. When
 * the last anchor equals the first exactly the chain already closes and
 * nothing is added; otherwise a straight segment from the last anchor back to
 * the first closes it, so s = 1 is always the start again.
 */
#include "path.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Fewest samples per segment. Between samples the parameter u is interpolated
 * linearly, but the curve's speed varies within a sample near tight turns: 64
 * samples let equal steps in s differ by 2.8 % on test_timeline's sharp
 * spline, 1024 keep them well under 1 %. */
#define MIN_SAMPLES_PER_SEGMENT 1024

/* Samples shared out over the whole path in proportion to each segment's
 * estimated length, so one long segment among many short ones gets samples as
 * dense (in scene units) as the rest, and accuracy does not depend on how the
 * points happen to be spaced. */
#define SAMPLES_PER_PATH 16384

/* Chords per segment for the length estimate that shares those samples out. */
#define ESTIMATE_CHORDS 16

/* Knot spacing below this (scene units^0.5) is treated as this, so repeated
 * control points do not divide by zero. */
#define MIN_KNOT_STEP 1e-9

/* An ellipse arc is cut into segments of at most this sweep (degrees), so a
 * full loop is 8 segments and each gets its own share of samples. */
#define ELLIPSE_SEGMENT_DEGREES 45.0

/* Sweeps beyond this many turns are refused: they would only repeat the loop,
 * and bounding them keeps the segment count an int. */
#define ELLIPSE_MAX_TURNS 64.0

#define DEGREES_TO_RADIANS (M_PI / 180.0)

/* One row per geometric path kind. check returns NULL when the path can be
 * built, else what is wrong with it (for the message). */
typedef struct path_geometry {
    const char *name;
    const char *(*check)(const sk_path *path);
    int (*segment_count)(const sk_path *path);
    sk_vec2 (*point)(const sk_path *path, int segment, double u);
} path_geometry;

/* A point of the arc-length table: the curve at (segment, u), arc scene units
 * from the start. A segment's samples run u = 1/n .. 1; the very first sample
 * is (0, 0). */
typedef struct path_sample {
    double arc;
    double u;
    int segment;
} path_sample;

struct sk_path_table {
    const sk_path *path;
    const path_geometry *geometry;
    int segment_count;
    size_t sample_count;
    path_sample *samples;
};

/* a + w (b - a), computed from whichever end is nearer: exact at w = 0 and
 * w = 1 (a chain's joints and a closed path's return are the stored points
 * themselves), and exactly a when a == b (coincident points make a path of
 * length 0, not of rounding noise). w outside [0, 1] extrapolates. */
static double mix(double a, double b, double w)
{
    return w < 0.5 ? a + w * (b - a) : b - (1.0 - w) * (b - a);
}

static sk_vec2 lerp(sk_vec2 a, sk_vec2 b, double u)
{
    return (sk_vec2){mix(a.x, b.x, u), mix(a.y, b.y, u)};
}

static double distance(sk_vec2 a, sk_vec2 b)
{
    return hypot(b.x - a.x, b.y - a.y);
}

/* ---- spline and polyline: one segment per pair of consecutive points ---- */

static const char *check_points(const sk_path *path)
{
    return path->points && path->point_count >= 2 ? NULL : "needs at least 2 points";
}

static int count_between_points(const sk_path *path)
{
    return path->closed ? path->point_count : path->point_count - 1;
}

static sk_vec2 polyline_point(const sk_path *path, int segment, double u)
{
    int next = segment + 1 < path->point_count ? segment + 1 : 0; /* closing segment */
    return lerp(path->points[segment], path->points[next], u);
}

/* Control point i of a spline, wrapping for closed paths and mirroring the end
 * points of open ones (so the curve leaves and arrives in the chord's direction). */
static sk_vec2 control_point(const sk_path *path, int i)
{
    int n = path->point_count;
    if (path->closed)
        return path->points[((i % n) + n) % n];
    if (i < 0)
        return (sk_vec2){2 * path->points[0].x - path->points[1].x,
                         2 * path->points[0].y - path->points[1].y};
    if (i >= n)
        return (sk_vec2){2 * path->points[n - 1].x - path->points[n - 2].x,
                         2 * path->points[n - 1].y - path->points[n - 2].y};
    return path->points[i];
}

static double knot_step(sk_vec2 a, sk_vec2 b)
{
    double d = sqrt(distance(a, b)); /* centripetal: |ab|^0.5 */
    return d > MIN_KNOT_STEP ? d : MIN_KNOT_STEP;
}

static sk_vec2 lerp_knots(sk_vec2 a, sk_vec2 b, double ta, double tb, double t)
{
    return lerp(a, b, (t - ta) / (tb - ta));
}

/* Centripetal Catmull–Rom (Barry–Goldman pyramid) from control point segment
 * to segment + 1. Centripetal knots never form cusps or self-loops inside a
 * segment. */
static sk_vec2 spline_point(const sk_path *path, int segment, double u)
{
    sk_vec2 p0 = control_point(path, segment - 1), p1 = control_point(path, segment);
    sk_vec2 p2 = control_point(path, segment + 1), p3 = control_point(path, segment + 2);
    double t0 = 0.0, t1 = t0 + knot_step(p0, p1);
    double t2 = t1 + knot_step(p1, p2), t3 = t2 + knot_step(p2, p3);
    double t = t1 + u * (t2 - t1);
    sk_vec2 a1 = lerp_knots(p0, p1, t0, t1, t);
    sk_vec2 a2 = lerp_knots(p1, p2, t1, t2, t);
    sk_vec2 a3 = lerp_knots(p2, p3, t2, t3, t);
    sk_vec2 b1 = lerp_knots(a1, a2, t0, t2, t);
    sk_vec2 b2 = lerp_knots(a2, a3, t1, t3, t);
    return lerp_knots(b1, b2, t1, t2, t);
}

/* ---- Bézier chain: A0 C C A1 C C A2 ... -------------------------------- */

static const char *check_bezier(const sk_path *path)
{
    bool ok = path->points && path->point_count >= 4 && (path->point_count - 1) % 3 == 0;
    return ok ? NULL : "needs 3m + 1 points (anchor, control, control, anchor, ...), m >= 1";
}

static bool bezier_needs_closing(const sk_path *path)
{
    sk_vec2 first = path->points[0], last = path->points[path->point_count - 1];
    return path->closed && (first.x != last.x || first.y != last.y);
}

static int bezier_count(const sk_path *path)
{
    return (path->point_count - 1) / 3 + (bezier_needs_closing(path) ? 1 : 0);
}

static sk_vec2 bezier_point(const sk_path *path, int segment, double u)
{
    const sk_vec2 *p = path->points + 3 * segment;
    if (3 * segment + 3 >= path->point_count) /* the straight closing segment */
        return lerp(p[0], path->points[0], u);
    /* de Casteljau: stable, and exact at u = 0 and u = 1 through lerp. */
    sk_vec2 a = lerp(p[0], p[1], u), b = lerp(p[1], p[2], u), c = lerp(p[2], p[3], u);
    return lerp(lerp(a, b, u), lerp(b, c, u), u);
}

/* ---- ellipse arc -------------------------------------------------------- */

static const char *check_ellipse(const sk_path *path)
{
    bool finite = isfinite(path->center.x) && isfinite(path->center.y) &&
                  isfinite(path->radius_x) && isfinite(path->radius_y) &&
                  isfinite(path->rotation) && isfinite(path->start_angle) &&
                  isfinite(path->end_angle);
    if (!finite)
        return "centre, radii and angles must be finite";
    if (fabs(path->end_angle - path->start_angle) > 360.0 * ELLIPSE_MAX_TURNS)
        return "sweeps too many turns from start_angle to end_angle";
    return NULL;
}

static int ellipse_count(const sk_path *path)
{
    double sweep = fabs(path->end_angle - path->start_angle);
    int count = (int)ceil(sweep / ELLIPSE_SEGMENT_DEGREES);
    return count > 0 ? count : 1; /* a zero sweep is one segment of length 0 */
}

/* centre + R(rotation) (rx cos theta, ry sin theta); theta runs from start to
 * end angle, counter-clockwise when end > start. */
static sk_vec2 ellipse_point(const sk_path *path, int segment, double u)
{
    double fraction = (segment + u) / ellipse_count(path);
    double theta =
        (path->start_angle + fraction * (path->end_angle - path->start_angle)) * DEGREES_TO_RADIANS;
    double x = path->radius_x * cos(theta), y = path->radius_y * sin(theta);
    double c = cos(path->rotation * DEGREES_TO_RADIANS),
           s = sin(path->rotation * DEGREES_TO_RADIANS);
    return (sk_vec2){path->center.x + c * x - s * y, path->center.y + s * x + c * y};
}

static const path_geometry geometry_table[SK_PATH_KIND_COUNT] = {
    [SK_PATH_SPLINE] = {"spline", check_points, count_between_points, spline_point},
    [SK_PATH_POLYLINE] = {"polyline", check_points, count_between_points, polyline_point},
    [SK_PATH_BEZIER] = {"bezier", check_bezier, bezier_count, bezier_point},
    [SK_PATH_ELLIPSE] = {"ellipse", check_ellipse, ellipse_count, ellipse_point},
    /* SK_PATH_KEYFRAMES: no geometry, evaluated in time by track.c */
};

/* ---- the arc-length table ---------------------------------------------- */

static double estimate_length(const sk_path_table *table, int segment)
{
    double length = 0.0;
    sk_vec2 previous = table->geometry->point(table->path, segment, 0.0);
    for (int i = 1; i <= ESTIMATE_CHORDS; i++) {
        sk_vec2 p = table->geometry->point(table->path, segment, (double)i / ESTIMATE_CHORDS);
        length += distance(previous, p);
        previous = p;
    }
    return length;
}

/* Samples for one segment: the minimum, or its share of SAMPLES_PER_PATH. */
static size_t segment_samples(const sk_path_table *table, int segment, double estimated_total)
{
    if (!(estimated_total > 0.0))
        return MIN_SAMPLES_PER_SEGMENT;
    double share = ceil(estimate_length(table, segment) / estimated_total * SAMPLES_PER_PATH);
    return share > MIN_SAMPLES_PER_SEGMENT ? (size_t)share : MIN_SAMPLES_PER_SEGMENT;
}

/* Samples in the table: the first, (0, 0), and each segment's. */
static size_t count_samples(const sk_path_table *table, double estimated_total)
{
    size_t count = 1;
    for (int k = 0; k < table->segment_count; k++)
        count += segment_samples(table, k, estimated_total);
    return count;
}

/* Fills the table with what count_samples counted (the same deterministic
 * segment_samples decides both, so they agree). */
static void fill_samples(const sk_path_table *table, double estimated_total, path_sample *samples)
{
    size_t i = 0;
    sk_vec2 previous = table->geometry->point(table->path, 0, 0.0);
    samples[0] = (path_sample){0.0, 0.0, 0};
    for (int k = 0; k < table->segment_count; k++) {
        size_t n = segment_samples(table, k, estimated_total);
        for (size_t j = 1; j <= n; j++, i++) {
            double u = (double)j / (double)n;
            sk_vec2 p = table->geometry->point(table->path, k, u);
            samples[i + 1] = (path_sample){samples[i].arc + distance(previous, p), u, k};
            previous = p;
        }
    }
}

static sk_status build_samples(sk_path_table *table, sk_error *err)
{
    double estimated_total = 0.0;
    for (int k = 0; k < table->segment_count; k++)
        estimated_total += estimate_length(table, k);
    size_t count = count_samples(table, estimated_total);
    if (count > SIZE_MAX / sizeof *table->samples)
        return sk_error_nomem(err);
    table->samples = malloc(count * sizeof *table->samples);
    if (!table->samples)
        return sk_error_nomem(err);
    table->sample_count = count;
    fill_samples(table, estimated_total, table->samples);
    return SK_OK;
}

static const path_geometry *geometry_of(sk_path_kind kind)
{
    if ((unsigned)kind >= SK_PATH_KIND_COUNT || !geometry_table[kind].point)
        return NULL;
    return &geometry_table[kind];
}

sk_status sk_path_table_new(const sk_path *path, sk_path_table **out, sk_error *err)
{
    *out = NULL;
    const path_geometry *geometry = geometry_of(path->kind);
    if (!geometry)
        return sk_error_set(err, SK_EINPUT,
                            "path kind %d has no geometry to measure (a keyframed path is "
                            "evaluated in time, not by arc length)",
                            (int)path->kind);
    const char *problem = geometry->check(path);
    if (problem)
        return sk_error_set(err, SK_EINPUT, "%s path %s", geometry->name, problem);
    sk_path_table *table = calloc(1, sizeof *table);
    if (!table)
        return sk_error_nomem(err);
    *table = (sk_path_table){path, geometry, geometry->segment_count(path), 0, NULL};
    sk_status status = build_samples(table, err);
    if (status != SK_OK) {
        sk_path_table_free(table);
        return status;
    }
    *out = table;
    return SK_OK;
}

void sk_path_table_free(sk_path_table *table)
{
    if (!table)
        return;
    free(table->samples);
    free(table);
}

double sk_path_table_length(const sk_path_table *table)
{
    return table->samples[table->sample_count - 1].arc;
}

/* The last sample whose arc is <= target, below the final sample, so that it
 * and the next one bracket target. */
static size_t find_sample(const sk_path_table *table, double target)
{
    size_t lo = 0, hi = table->sample_count - 1;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (table->samples[mid].arc <= target)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

sk_vec2 sk_path_table_point(const sk_path_table *table, double s)
{
    s = s > 0.0 ? (s < 1.0 ? s : 1.0) : 0.0; /* NaN counts as 0 */
    double total = sk_path_table_length(table);
    if (!(total > 0.0)) /* every point in one place */
        return table->geometry->point(table->path, 0, 0.0);
    double target = s * total;
    size_t lo = find_sample(table, target);
    const path_sample *a = &table->samples[lo], *b = &table->samples[lo + 1];
    double span = b->arc - a->arc;
    double f = span > 0.0 ? fmin((target - a->arc) / span, 1.0) : 0.0;
    /* a ends the previous segment (u = 1) exactly where b's begins (u = 0). */
    double u0 = a->segment == b->segment ? a->u : 0.0;
    /* Evaluate the curve itself, so the point is on it, not on a chord. */
    return table->geometry->point(table->path, b->segment, u0 + f * (b->u - u0));
}
