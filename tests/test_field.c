/* Tests of the field: values worked out by hand, then the fast path against
 * the double-precision reference over grids, parameters and extremes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "core/core.h"

#define COUNT_OF(a) (sizeof(a) / sizeof *(a))

/* The accuracy the issue asks of the fast path: absolute, per channel and
 * for max_weight. */
#define FIELD_TOLERANCE 1e-5

static const sk_kernel_kind SOFTMAX_KINDS[] = {SK_KERNEL_GAUSSIAN, SK_KERNEL_DOT, SK_KERNEL_COSINE,
                                               SK_KERNEL_LAPLACIAN};
static const sk_kernel_kind ALL_KINDS[] = {
    SK_KERNEL_GAUSSIAN,     SK_KERNEL_DOT,    SK_KERNEL_COSINE, SK_KERNEL_LAPLACIAN,
    SK_KERNEL_EPANECHNIKOV, SK_KERNEL_BOXCAR, SK_KERNEL_KNN,    SK_KERNEL_TOPK};

static const sk_rgb RED = {1.0, 0.0, 0.0};
static const sk_rgb BLUE = {0.0, 0.0, 1.0};

/* sigma and T set together: each kernel reads the one it uses. */
static sk_kernel make(sk_kernel_kind kind, double scale)
{
    sk_kernel k = sk_kernel_default(kind);
    k.bandwidth = scale;
    k.temperature = scale;
    k.k = 3;
    return k;
}

/* Output buffers for a whole grid, on the heap so ASan sees overruns. */
typedef struct field_out {
    float *rgb, *max_weight;
} field_out;

static field_out out_alloc(const sk_field_grid *grid)
{
    size_t n = (size_t)grid->width * (size_t)grid->height;
    field_out out = {malloc(3 * n * sizeof(float)), malloc(n * sizeof(float))};
    assert_non_null(out.rgb);
    assert_non_null(out.max_weight);
    for (size_t i = 0; i < 3 * n; i++)
        out.rgb[i] = NAN; /* so that a sample left unwritten shows */
    for (size_t i = 0; i < n; i++)
        out.max_weight[i] = NAN;
    return out;
}

static void out_free(field_out *out)
{
    free(out->rgb);
    free(out->max_weight);
}

static void eval_fast(const sk_kernel *kernel, const sk_vec2 *keys, const sk_rgb *values, size_t n,
                      const sk_field_grid *grid, field_out *out)
{
    assert_true(
        sk_field_eval(kernel, keys, values, n, grid, 0, grid->height, out->rgb, out->max_weight));
}

static void eval_reference(const sk_kernel *kernel, const sk_vec2 *keys, const sk_rgb *values,
                           size_t n, const sk_field_grid *grid, field_out *out)
{
    assert_true(sk_field_eval_reference(kernel, keys, values, n, grid, 0, grid->height, out->rgb,
                                        out->max_weight));
}

/* |actual - expected| <= tolerance, and never NaN (cmocka's
 * assert_float_equal lets a NaN through). */
static void assert_close(double actual, double expected, double tolerance)
{
    if (!(fabs(actual - expected) <= tolerance))
        fail_msg("expected %.9g, got %.9g (tolerance %g)", expected, actual, tolerance);
}

/* ---- Values worked out by hand ----------------------------------------- */

/* One key takes every weight: each sample is that key's colour in linear
 * light with max_weight 1. Exactly so for softmax kernels (the one term is
 * exp(0) = 1) and the scalar path; compact kernels blend K c / K in float,
 * which can be 1 ulp off c. */
static void test_one_key_is_its_colour(void **state)
{
    (void)state;
    const sk_vec2 key = {0.3, -0.2};
    const sk_rgb value = {0.2, 0.5, 0.9};
    const float linear[3] = {(float)sk_srgb_to_linear(0.2), (float)sk_srgb_to_linear(0.5),
                             (float)sk_srgb_to_linear(0.9)};
    const sk_field_grid grid = {37, 11, -2.0, 1.0, 0.11, 0.2};
    for (size_t k = 0; k < COUNT_OF(ALL_KINDS); k++) {
        sk_kernel kernel = make(ALL_KINDS[k], 10.0); /* reaches the whole grid */
        field_out out = out_alloc(&grid);
        eval_fast(&kernel, &key, &value, 1, &grid, &out);
        bool compact = ALL_KINDS[k] == SK_KERNEL_EPANECHNIKOV || ALL_KINDS[k] == SK_KERNEL_BOXCAR;
        for (int i = 0; i < grid.width * grid.height; i++) {
            for (int c = 0; c < 3; c++) {
                if (compact)
                    assert_close(out.rgb[3 * i + c], linear[c], 1e-7);
                else
                    assert_true(out.rgb[3 * i + c] == linear[c]);
            }
            assert_true(out.max_weight[i] == 1.0f);
        }
        out_free(&out);
    }
}

/* Red at (-1, 0) and blue at (1, 0), gaussian sigma 1: at the midpoint both
 * are at distance 1, so the logits tie and the weights are 1/2 each. Red and
 * blue are 0 and 1 in sRGB and in linear light alike, so the blend is
 * (0.5, 0, 0.5) exactly and max_weight 0.5. */
static void test_two_keys_midpoint(void **state)
{
    (void)state;
    const sk_vec2 keys[] = {{-1.0, 0.0}, {1.0, 0.0}};
    const sk_rgb values[] = {RED, BLUE};
    const sk_field_grid grid = {3, 1, -1.0, 0.0, 1.0, 1.0}; /* x = -1, 0, 1 */
    sk_kernel kernel = make(SK_KERNEL_GAUSSIAN, 1.0);
    field_out out = out_alloc(&grid);
    eval_fast(&kernel, keys, values, 2, &grid, &out);
    assert_true(out.rgb[3] == 0.5f && out.rgb[4] == 0.0f && out.rgb[5] == 0.5f);
    assert_true(out.max_weight[1] == 0.5f);
    /* On red's key: logits 0 and -4 / 2 = -2, so red has 1 / (1 + e^-2). */
    const double red = 1.0 / (1.0 + exp(-2.0));
    assert_close(out.rgb[0], red, 1e-6);
    assert_close(out.rgb[2], 1.0 - red, 1e-6);
    assert_close(out.max_weight[0], red, 1e-6);
    assert_close(out.rgb[6], 1.0 - red, 1e-6); /* on blue's key: mirrored */
    out_free(&out);
}

/* Two keys on the same spot tie for every query and every softmax kernel. */
static void test_coincident_keys_share(void **state)
{
    (void)state;
    const sk_vec2 keys[] = {{0.5, 0.5}, {0.5, 0.5}};
    const sk_rgb values[] = {RED, BLUE};
    const sk_field_grid grid = {19, 7, -3.0, 3.0, 0.33, 0.9};
    for (size_t k = 0; k < COUNT_OF(SOFTMAX_KINDS); k++) {
        sk_kernel kernel = make(SOFTMAX_KINDS[k], 0.01);
        field_out out = out_alloc(&grid);
        eval_fast(&kernel, keys, values, 2, &grid, &out);
        for (int i = 0; i < grid.width * grid.height; i++) {
            assert_true(out.rgb[3 * i] == 0.5f && out.rgb[3 * i + 2] == 0.5f);
            assert_true(out.max_weight[i] == 0.5f);
        }
        out_free(&out);
    }
}

/* Sample (i, j) is at (x0 + i dx, y0 - j dy): with red at (0, 1), blue at
 * (0, -1) and a narrow gaussian, row 0 (y = 1) is red and row 2 (y = -1)
 * blue; row 1 is on the tie line. */
static void test_rows_go_down(void **state)
{
    (void)state;
    const sk_vec2 keys[] = {{0.0, 1.0}, {0.0, -1.0}};
    const sk_rgb values[] = {RED, BLUE};
    const sk_field_grid grid = {1, 3, 0.0, 1.0, 1.0, 1.0};
    sk_kernel kernel = make(SK_KERNEL_GAUSSIAN, 0.1);
    field_out out = out_alloc(&grid);
    eval_fast(&kernel, keys, values, 2, &grid, &out);
    assert_true(out.rgb[0] == 1.0f && out.rgb[2] == 0.0f);
    assert_true(out.rgb[3] == 0.5f && out.rgb[5] == 0.5f);
    assert_true(out.rgb[6] == 0.0f && out.rgb[8] == 1.0f);
    out_free(&out);
}

/* Boxcar sigma 1 with one key at the origin: samples at distance <= 1 get
 * its colour, the others no output (0 and max_weight 0). The grid runs
 * -2 .. 2 in steps of 0.5, so (1, 0) and (0, -1) are exactly on the edge
 * (inside) and (0.5, 1) at distance 1.118 outside. */
static void test_compact_no_reach_is_zero(void **state)
{
    (void)state;
    const sk_vec2 key = {0.0, 0.0};
    const sk_rgb value = {1.0, 1.0, 1.0};
    const sk_field_grid grid = {9, 9, -2.0, 2.0, 0.5, 0.5};
    sk_kernel kernel = make(SK_KERNEL_BOXCAR, 1.0);
    field_out out = out_alloc(&grid);
    eval_fast(&kernel, &key, &value, 1, &grid, &out);
    for (int j = 0; j < grid.height; j++) {
        for (int i = 0; i < grid.width; i++) {
            double x = -2.0 + 0.5 * i, y = 2.0 - 0.5 * j;
            float expected = x * x + y * y <= 1.0 ? 1.0f : 0.0f;
            int at = j * grid.width + i;
            assert_true(out.rgb[3 * at] == expected && out.rgb[3 * at + 1] == expected);
            assert_true(out.max_weight[at] == expected);
        }
    }
    out_free(&out);
}

/* No keys: nothing to blend anywhere. */
static void test_no_keys_is_zero(void **state)
{
    (void)state;
    const sk_field_grid grid = {5, 4, 0.0, 0.0, 1.0, 1.0};
    for (size_t k = 0; k < COUNT_OF(ALL_KINDS); k++) {
        sk_kernel kernel = make(ALL_KINDS[k], 1.0);
        field_out out = out_alloc(&grid);
        eval_fast(&kernel, NULL, NULL, 0, &grid, &out);
        for (int i = 0; i < 3 * grid.width * grid.height; i++)
            assert_true(out.rgb[i] == 0.0f);
        for (int i = 0; i < grid.width * grid.height; i++)
            assert_true(out.max_weight[i] == 0.0f);
        out_free(&out);
    }
}

/* ---- Random scenes ----------------------------------------------------- */

/* A small fixed-seed generator (splitmix64): the same scenes on every run. */
static uint64_t next_random(uint64_t *seed)
{
    uint64_t z = (*seed += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static double uniform(uint64_t *seed, double lo, double hi)
{
    return lo + (hi - lo) * (double)(next_random(seed) >> 11) * 0x1.0p-53;
}

typedef struct scene {
    size_t n;
    sk_vec2 *keys;
    sk_rgb *values;
    sk_field_grid grid;
} scene;

/* n keys in [-extent, extent]^2 and a grid over the same square. */
static scene scene_random(uint64_t *seed, size_t n, double extent, int width, int height)
{
    scene s = {n, malloc(n * sizeof(sk_vec2)), malloc(n * sizeof(sk_rgb)), {0}};
    assert_non_null(s.keys);
    assert_non_null(s.values);
    for (size_t i = 0; i < n; i++) {
        s.keys[i] = (sk_vec2){uniform(seed, -extent, extent), uniform(seed, -extent, extent)};
        s.values[i] = (sk_rgb){uniform(seed, 0, 1), uniform(seed, 0, 1), uniform(seed, 0, 1)};
    }
    s.grid = (sk_field_grid){
        width, height, -extent, extent, 2.0 * extent / (width - 1), 2.0 * extent / (height - 1)};
    return s;
}

static void scene_free(scene *s)
{
    free(s->keys);
    free(s->values);
}

/* A random projection with entries in [-2, 2], for half of the cases. */
static sk_mat2 random_projection(uint64_t *seed)
{
    return (sk_mat2){uniform(seed, -2, 2), uniform(seed, -2, 2), uniform(seed, -2, 2),
                     uniform(seed, -2, 2)};
}

/* Whether the sample is worth comparing; NULL compares every sample. */
typedef bool (*sample_filter)(const sk_kernel *kernel, const scene *s, int i, int j);

/* Largest absolute difference between the fast path and the reference over
 * the samples the filter keeps, channels and max_weight alike. */
static double field_error(const sk_kernel *kernel, const scene *s, sample_filter keep)
{
    field_out fast = out_alloc(&s->grid), ref = out_alloc(&s->grid);
    eval_fast(kernel, s->keys, s->values, s->n, &s->grid, &fast);
    eval_reference(kernel, s->keys, s->values, s->n, &s->grid, &ref);
    double worst = 0.0;
    for (int j = 0; j < s->grid.height; j++) {
        for (int i = 0; i < s->grid.width; i++) {
            if (keep && !keep(kernel, s, i, j))
                continue;
            int at = j * s->grid.width + i;
            for (int c = 0; c < 3; c++)
                worst = fmax(worst, fabs((double)fast.rgb[3 * at + c] - ref.rgb[3 * at + c]));
            worst = fmax(worst, fabs((double)fast.max_weight[at] - ref.max_weight[at]));
            if (!(worst <= FIELD_TOLERANCE)) /* also catches NaN */
                fail_msg("kind %d scale %g n %zu: sample (%d, %d) off by %g", (int)kernel->kind,
                         kernel->bandwidth, s->n, i, j, worst);
        }
    }
    out_free(&fast);
    out_free(&ref);
    return worst;
}

/* Each softmax kernel against the reference: sigma or T from 1e-3 to 1e3,
 * coordinates up to 1 and up to 100, 1 to 256 keys, with and without
 * projections. Prints the largest error seen per kernel. */
static void test_softmax_matches_reference(void **state)
{
    (void)state;
    static const double scales[] = {1e-3, 1e-2, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0, 1e3};
    static const double extents[] = {1.0, 100.0};
    static const size_t counts[] = {1, 2, 7, 33, 256};
    uint64_t seed = 1;
    for (size_t k = 0; k < COUNT_OF(SOFTMAX_KINDS); k++) {
        double worst = 0.0;
        for (size_t a = 0; a < COUNT_OF(scales); a++) {
            for (size_t e = 0; e < COUNT_OF(extents); e++) {
                for (size_t c = 0; c < COUNT_OF(counts); c++) {
                    scene s = scene_random(&seed, counts[c], extents[e], 41, 23);
                    sk_kernel kernel = make(SOFTMAX_KINDS[k], scales[a]);
                    if (c % 2 == 1) {
                        kernel.projected = true;
                        kernel.w_q = random_projection(&seed);
                        kernel.w_k = random_projection(&seed);
                    }
                    worst = fmax(worst, field_error(&kernel, &s, NULL));
                    scene_free(&s);
                }
            }
        }
        print_message("%-10s max abs error %.3g\n", sk_kernel_name(SOFTMAX_KINDS[k]), worst);
    }
}

/* Compact kernels (vectorised too) and knn, topk (the scalar path) against
 * the reference, including grids that put samples exactly on the edge. */
static void test_other_kernels_match_reference(void **state)
{
    (void)state;
    static const sk_kernel_kind kinds[] = {SK_KERNEL_EPANECHNIKOV, SK_KERNEL_BOXCAR, SK_KERNEL_KNN,
                                           SK_KERNEL_TOPK};
    static const double scales[] = {1e-3, 0.1, 1.0, 10.0, 100.0, 1e3};
    uint64_t seed = 2;
    for (size_t k = 0; k < COUNT_OF(kinds); k++) {
        double worst = 0.0;
        for (size_t a = 0; a < COUNT_OF(scales); a++) {
            scene s = scene_random(&seed, 17, a % 2 ? 100.0 : 10.0, 33, 21);
            sk_kernel kernel = make(kinds[k], scales[a]);
            worst = fmax(worst, field_error(&kernel, &s, NULL));
            scene_free(&s);
        }
        /* Keys on grid points, sigma a grid step: many samples on the edge. */
        scene s = scene_random(&seed, 9, 2.0, 41, 41);
        for (size_t i = 0; i < s.n; i++)
            s.keys[i] = (sk_vec2){-2.0 + 0.1 * (double)(4 * i), 2.0 - 0.1 * (double)(3 * i)};
        sk_kernel kernel = make(kinds[k], 0.5);
        worst = fmax(worst, field_error(&kernel, &s, NULL));
        scene_free(&s);
        print_message("%-12s max abs error %.3g\n", sk_kernel_name(kinds[k]), worst);
    }
}

/* Largest and second largest score of the sample, in double, the way
 * core.h defines the scores (without projections: the caller uses none). */
static void top_two_scores(const sk_kernel *kernel, const scene *s, int i, int j, double *first,
                           double *second)
{
    sk_vec2 q = {s->grid.x0 + i * s->grid.dx, s->grid.y0 - j * s->grid.dy};
    *first = *second = -INFINITY;
    for (size_t k = 0; k < s->n; k++) {
        sk_vec2 d = {q.x - s->keys[k].x, q.y - s->keys[k].y};
        double dot = q.x * s->keys[k].x + q.y * s->keys[k].y;
        double score = -hypot(d.x, d.y); /* gaussian and laplacian: -distance */
        if (kernel->kind == SK_KERNEL_DOT)
            score = dot;
        else if (kernel->kind == SK_KERNEL_COSINE)
            score = dot / (hypot(q.x, q.y) * hypot(s->keys[k].x, s->keys[k].y));
        if (score > *first) {
            *second = *first;
            *first = score;
        } else if (score > *second) {
            *second = score;
        }
    }
}

/* Voronoi limit: keep samples whose two nearest keys are more than 1e-3
 * apart in relative distance (or score), away from the cell boundaries. */
static bool off_boundary(const sk_kernel *kernel, const scene *s, int i, int j)
{
    double first, second;
    top_two_scores(kernel, s, i, j, &first, &second);
    return first - second > 1e-3 * fmax(fabs(first), fabs(second));
}

/* sigma = T = 1e-6: every sample off a boundary takes its winner's colour. */
static void test_voronoi_limit(void **state)
{
    (void)state;
    uint64_t seed = 3;
    for (size_t k = 0; k < COUNT_OF(SOFTMAX_KINDS); k++) {
        for (int e = 0; e < 2; e++) {
            scene s = scene_random(&seed, 12, e ? 100.0 : 1.0, 97, 61);
            sk_kernel kernel = make(SOFTMAX_KINDS[k], 1e-6);
            field_error(&kernel, &s, off_boundary);
            scene_free(&s);
        }
    }
}

/* Every output of both paths finite and in range: rgb and max_weight in
 * [0, 1] up to float rounding (a NaN fails the comparisons). */
static void assert_output_in_range(const field_out *out, const sk_field_grid *grid)
{
    const float top = 1.0f + 1e-6f;
    for (int i = 0; i < grid->width * grid->height; i++) {
        for (int c = 0; c < 3; c++)
            assert_true(out->rgb[3 * i + c] >= 0.0f && out->rgb[3 * i + c] <= top);
        assert_true(out->max_weight[i] >= 0.0f && out->max_weight[i] <= top);
    }
}

/* Every kernel at sigma, T in 1e-6 .. 1e6 (and far beyond, where 2 sigma^2
 * underflows to 0 or overflows to inf) and coordinates up to 1e6. */
static void test_extremes_stay_finite(void **state)
{
    (void)state;
    static const double scales[] = {1e-300, 1e-6, 1e-3, 1.0, 1e3, 1e6, 1e300};
    static const double extents[] = {1e-3, 1.0, 1e6};
    uint64_t seed = 4;
    for (size_t k = 0; k < COUNT_OF(ALL_KINDS); k++) {
        for (size_t a = 0; a < COUNT_OF(scales); a++) {
            for (size_t e = 0; e < COUNT_OF(extents); e++) {
                scene s = scene_random(&seed, 1 + a + e * 7, extents[e], 29, 13);
                sk_kernel kernel = make(ALL_KINDS[k], scales[a]);
                field_out fast = out_alloc(&s.grid), ref = out_alloc(&s.grid);
                eval_fast(&kernel, s.keys, s.values, s.n, &s.grid, &fast);
                eval_reference(&kernel, s.keys, s.values, s.n, &s.grid, &ref);
                assert_output_in_range(&fast, &s.grid);
                assert_output_in_range(&ref, &s.grid);
                out_free(&fast);
                out_free(&ref);
                scene_free(&s);
            }
        }
    }
}

/* Finite inputs whose scores overflow: gaussian keys 1e200 away give
 * -|q-k|^2 = -inf for every key, which sk_softmax_scaled weighs uniformly;
 * dot products of 1e200 coordinates give +inf and -inf, and the +inf keys
 * share the weight. The fast path follows the reference in both. */
static void test_overflowing_scores(void **state)
{
    (void)state;
    const sk_vec2 keys[] = {{1e200, 0.0}, {-1e200, 0.0}, {0.0, 1e200}, {1e200, 1.0}};
    const sk_rgb values[] = {RED, BLUE, {0.0, 1.0, 0.0}, {0.5, 0.5, 0.5}};
    const sk_field_grid grid = {3, 2, -1.0, 1.0, 1.0, 2.0};
    const sk_kernel_kind kinds[] = {SK_KERNEL_GAUSSIAN, SK_KERNEL_DOT};
    for (size_t k = 0; k < COUNT_OF(kinds); k++) {
        sk_kernel kernel = make(kinds[k], 1.0);
        field_out fast = out_alloc(&grid), ref = out_alloc(&grid);
        eval_fast(&kernel, keys, values, 4, &grid, &fast);
        eval_reference(&kernel, keys, values, 4, &grid, &ref);
        for (int i = 0; i < 3 * grid.width * grid.height; i++)
            assert_close(fast.rgb[i], ref.rgb[i], FIELD_TOLERANCE);
        for (int i = 0; i < grid.width * grid.height; i++)
            assert_close(fast.max_weight[i], ref.max_weight[i], FIELD_TOLERANCE);
        out_free(&fast);
        out_free(&ref);
    }
}

/* Rows evaluated in three calls, in any order, equal one call bit for bit;
 * max_weight may be NULL; rows outside the grid are ignored. */
static void test_row_split_is_the_same(void **state)
{
    (void)state;
    uint64_t seed = 5;
    for (size_t k = 0; k < COUNT_OF(ALL_KINDS); k++) {
        scene s = scene_random(&seed, 20, 5.0, 300, 17); /* wider than a block */
        sk_kernel kernel = make(ALL_KINDS[k], 1.5);
        field_out whole = out_alloc(&s.grid), split = out_alloc(&s.grid);
        eval_fast(&kernel, s.keys, s.values, s.n, &s.grid, &whole);
        const int cuts[][2] = {{9, 40}, {-3, 4}, {4, 9}};
        for (size_t c = 0; c < COUNT_OF(cuts); c++)
            assert_true(sk_field_eval(&kernel, s.keys, s.values, s.n, &s.grid, cuts[c][0],
                                      cuts[c][1], split.rgb, c == 1 ? NULL : split.max_weight));
        /* Rows 0..3 went without max_weight: fill those in separately. */
        assert_true(sk_field_eval(&kernel, s.keys, s.values, s.n, &s.grid, 0, 4, split.rgb,
                                  split.max_weight));
        size_t samples = (size_t)s.grid.width * (size_t)s.grid.height;
        assert_memory_equal(whole.rgb, split.rgb, 3 * samples * sizeof(float));
        assert_memory_equal(whole.max_weight, split.max_weight, samples * sizeof(float));
        out_free(&whole);
        out_free(&split);
        scene_free(&s);
    }
}

/* Key tables whose size would overflow are refused, not allocated short. */
/* The field of the dot kernel with the key bias at T = sigma^2 is the
 * Gaussian's field (the identity of test_core's gaussian = dot + bias): the
 * biased kernel must not take the vectorised dot path, which has no bias. */
static void test_biased_dot_field_is_gaussian(void **state)
{
    (void)state;
    uint64_t seed = 7;
    scene s = scene_random(&seed, 6, 3.0, 48, 40);
    sk_kernel gaussian = make(SK_KERNEL_GAUSSIAN, 0.8), dot = make(SK_KERNEL_DOT, 0.64);
    dot.key_bias = true;
    field_out g = out_alloc(&s.grid), d = out_alloc(&s.grid);
    eval_fast(&gaussian, s.keys, s.values, s.n, &s.grid, &g);
    eval_fast(&dot, s.keys, s.values, s.n, &s.grid, &d);
    size_t samples = (size_t)s.grid.width * (size_t)s.grid.height;
    for (size_t i = 0; i < samples; i++) {
        for (int c = 0; c < 3; c++)
            assert_close(d.rgb[3 * i + c], g.rgb[3 * i + c], FIELD_TOLERANCE);
        assert_close(d.max_weight[i], g.max_weight[i], FIELD_TOLERANCE);
    }
    out_free(&g);
    out_free(&d);
    scene_free(&s);
}

static void test_too_many_keys_fails(void **state)
{
    (void)state;
    const sk_field_grid grid = {2, 2, 0.0, 0.0, 1.0, 1.0};
    float rgb[12], max_weight[4];
    const sk_vec2 key = {0, 0};
    const sk_rgb value = {0, 0, 0};
    size_t n = SIZE_MAX / 8; /* never read: the sizes are checked first */
    sk_kernel kernel = make(SK_KERNEL_GAUSSIAN, 1.0);
    assert_false(sk_field_eval(&kernel, &key, &value, n, &grid, 0, 2, rgb, max_weight));
    assert_false(sk_field_eval_reference(&kernel, &key, &value, n, &grid, 0, 2, rgb, max_weight));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_key_is_its_colour),
        cmocka_unit_test(test_two_keys_midpoint),
        cmocka_unit_test(test_coincident_keys_share),
        cmocka_unit_test(test_rows_go_down),
        cmocka_unit_test(test_compact_no_reach_is_zero),
        cmocka_unit_test(test_no_keys_is_zero),
        cmocka_unit_test(test_softmax_matches_reference),
        cmocka_unit_test(test_biased_dot_field_is_gaussian),
        cmocka_unit_test(test_other_kernels_match_reference),
        cmocka_unit_test(test_voronoi_limit),
        cmocka_unit_test(test_extremes_stay_finite),
        cmocka_unit_test(test_overflowing_scores),
        cmocka_unit_test(test_row_split_is_the_same),
        cmocka_unit_test(test_too_many_keys_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
