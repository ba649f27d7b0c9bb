/* Unit tests of the compute core against values worked out by hand. Each
 * expected number is derived in the comment above it, not taken from the code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "core/core.h"

#define COUNT_OF(a) (sizeof(a) / sizeof *(a))

/* 1 / (1 + e^-1.5): two gaussian keys (sigma 1) at distances 1 and 2, logits
 * -1/2 and -2. Several tests reduce to this two-key case. */
#define W_ONE_AND_TWO 0.8175744761936437

static const sk_kernel_kind SOFTMAX_KINDS[] = {SK_KERNEL_GAUSSIAN, SK_KERNEL_DOT, SK_KERNEL_COSINE,
                                               SK_KERNEL_LAPLACIAN};

static sk_kernel make(sk_kernel_kind kind, double sigma, double temperature)
{
    sk_kernel k = sk_kernel_default(kind);
    k.bandwidth = sigma;
    k.temperature = temperature;
    return k;
}

static sk_kernel make_k(sk_kernel_kind kind, int keep, sk_kernel_kind base)
{
    sk_kernel k = sk_kernel_default(kind);
    k.k = keep;
    k.base = base;
    return k;
}

/* sk_attention_weights with a scratch of exactly n doubles on the heap, so
 * that ASan reports any read or write past it. */
static bool weigh(const sk_kernel *kernel, sk_vec2 q, const sk_vec2 *keys, size_t n, double *w)
{
    double *scratch = malloc((n ? n : 1) * sizeof *scratch);
    assert_non_null(scratch);
    bool ok = sk_attention_weights(kernel, q, keys, n, w, scratch);
    free(scratch);
    return ok;
}

static void assert_close(double actual, double expected, double tolerance)
{
    if (!(fabs(actual - expected) <= tolerance))
        fail_msg("expected %.17g, got %.17g (tolerance %g)", expected, actual, tolerance);
}

static void assert_all_close(const double *actual, const double *expected, size_t n,
                             double tolerance)
{
    for (size_t i = 0; i < n; i++)
        if (!(fabs(actual[i] - expected[i]) <= tolerance))
            fail_msg("weight %zu: expected %.17g, got %.17g (tolerance %g)", i, expected[i],
                     actual[i], tolerance);
}

static void assert_weights_valid(const double *w, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(w[i]) || w[i] < 0.0)
            fail_msg("weight %zu is %g", i, w[i]);
        sum += w[i];
    }
    assert_close(sum, 1.0, 1e-12);
}

static void assert_all_zero(const double *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (w[i] != 0.0)
            fail_msg("weight %zu is %g, expected 0", i, w[i]);
}

/* Two keys at the same distance from the query get half the weight each,
 * whatever the kernel: their logits are equal. */
static void test_equal_distance_splits_evenly(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {-1, 0}};
    double w[2];
    sk_kernel gauss = make(SK_KERNEL_GAUSSIAN, 1.0, 1.0), dot = make(SK_KERNEL_DOT, 1.0, 1.0);
    assert_true(weigh(&gauss, (sk_vec2){0, 0}, keys, 2, w));
    assert_close(w[0], 0.5, 1e-15);
    assert_close(w[1], 0.5, 1e-15);
    /* q = (0, 1) is orthogonal to both keys: q.k = 0 for each. */
    assert_true(weigh(&dot, (sk_vec2){0, 1}, keys, 2, w));
    assert_close(w[0], 0.5, 1e-15);
    assert_close(w[1], 0.5, 1e-15);
}

/* A key 10 sigma away against one under the query: w = e^-50 / (1 + e^-50),
 * about 1.9e-22, far below 1e-6. */
static void test_far_key_gets_almost_nothing(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{0, 0}, {10, 0}};
    double w[2];
    sk_kernel gauss = make(SK_KERNEL_GAUSSIAN, 1.0, 1.0);
    weigh(&gauss, (sk_vec2){0, 0}, keys, 2, w);
    assert_true(w[1] < 1e-6);
    assert_close(w[1], exp(-50.0), 1e-30);
    assert_weights_valid(w, 2);
}

/* Gaussian, sigma = 1, q = 0, keys at distance 1 and 2: logits -1/2 and -2,
 * so w1 = 1 / (1 + e^-1.5) = 0.8175744761936437. */
static void test_gaussian_two_key_closed_form(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {2, 0}};
    double w[2];
    sk_kernel gauss = make(SK_KERNEL_GAUSSIAN, 1.0, 1.0);
    assert_true(weigh(&gauss, (sk_vec2){0, 0}, keys, 2, w));
    assert_close(w[0], W_ONE_AND_TWO, 1e-15);
    assert_close(w[1], 1.0 - W_ONE_AND_TWO, 1e-15);
}

/* Gaussian, sigma = 0.5 (2 sigma^2 = 0.5), q = 0, squared distances 1, 4, 2:
 * logits -2, -8, -4; relative to the max 0, -6, -2; so
 * w = (1, e^-6, e^-2) / (1 + e^-6 + e^-2) = 0.87887824, 0.00217852, 0.11894324. */
static void test_gaussian_three_keys(void **state)
{
    (void)state;
    sk_kernel k = make(SK_KERNEL_GAUSSIAN, 0.5, 1.0);
    sk_vec2 keys[] = {{1, 0}, {0, 2}, {-1, -1}};
    double w[3];
    weigh(&k, (sk_vec2){0, 0}, keys, 3, w);
    assert_close(w[0], 0.8788782427321509, 1e-12);
    assert_close(w[1], 0.002178521357197023, 1e-12);
    assert_close(w[2], 0.11894323591065209, 1e-12);
}

/* Dot product, d = 2, T = 1, q = (1, 0), keys (1, 0) and (0, 1): logits
 * 1/sqrt(2) and 0, so w1 = 1 / (1 + e^(-1/sqrt 2)) = 0.6697615493266569. */
static void test_dot_two_key_closed_form(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {0, 1}};
    double w[2];
    sk_kernel dot = make(SK_KERNEL_DOT, 1.0, 1.0);
    assert_true(weigh(&dot, (sk_vec2){1, 0}, keys, 2, w));
    assert_close(w[0], 0.6697615493266569, 1e-15);
    assert_close(w[1], 1.0 - 0.6697615493266569, 1e-15);
}

/* Laplacian, sigma = 1, q = 0, keys at distance 1 and 3: logits -1 and -3,
 * so w1 = 1 / (1 + e^-2) = 0.8807970779778823. */
static void test_laplacian_two_key_closed_form(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {0, -3}};
    double w[2];
    sk_kernel k = make(SK_KERNEL_LAPLACIAN, 1.0, 1.0);
    assert_true(weigh(&k, (sk_vec2){0, 0}, keys, 2, w));
    assert_close(w[0], 0.8807970779778823, 1e-15);
    assert_close(w[1], 1.0 - 0.8807970779778823, 1e-15);
}

/* Cosine, T = 1, q = (1, 0), keys (2, 0) and (0, 5): cosines 1 and 0, so
 * w1 = e / (1 + e) = 0.7310585786300049, whatever the lengths (also at 1e6).
 * A zero vector's cosine is defined as 0: q = 0 makes both logits 0 (1/2
 * each), and a zero key scores like an orthogonal one. */
static void test_cosine_two_key_closed_form(void **state)
{
    (void)state;
    double w[2];
    sk_kernel k = make(SK_KERNEL_COSINE, 1.0, 1.0);
    sk_vec2 keys[] = {{2, 0}, {0, 5}};
    assert_true(weigh(&k, (sk_vec2){1, 0}, keys, 2, w));
    assert_close(w[0], 0.7310585786300049, 1e-15);
    assert_close(w[1], 1.0 - 0.7310585786300049, 1e-15);
    sk_vec2 far[] = {{2e6, 0}, {0, -1e6}};
    assert_true(weigh(&k, (sk_vec2){1e6, 0}, far, 2, w));
    assert_close(w[0], 0.7310585786300049, 1e-15);
    assert_true(weigh(&k, (sk_vec2){0, 0}, keys, 2, w));
    assert_close(w[0], 0.5, 0);
    assert_close(w[1], 0.5, 0);
    sk_vec2 zero_and_orthogonal[] = {{0, 0}, {0, 3}};
    assert_true(weigh(&k, (sk_vec2){1, 0}, zero_and_orthogonal, 2, w));
    assert_close(w[0], 0.5, 0);
    assert_close(w[1], 0.5, 0);
}

/* Epanechnikov, sigma = 2, q = 0: distances 1 and sqrt 2 give K = 1 - 1/4 =
 * 0.75 and 1 - 2/4 = 0.5, so w = 0.75/1.25 = 0.6 and 0.4; a key beyond sigma
 * (distance 3) and one exactly on it (distance 2, K = 1 - 1 = 0) get 0. */
static void test_epanechnikov_two_key_closed_form(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {1, 1}, {3, 0}, {0, -2}};
    double w[4];
    sk_kernel k = make(SK_KERNEL_EPANECHNIKOV, 2.0, 1.0);
    assert_true(weigh(&k, (sk_vec2){0, 0}, keys, 4, w));
    assert_all_close(w, (double[]){0.6, 0.4, 0.0, 0.0}, 4, 1e-12);
}

/* Boxcar, sigma = 1, q = 0: distance 0.5 and exactly 1 (the boundary is
 * inside) count 1 each, so 1/2 each; 1.5 and sqrt(1.125) = 1.06 are outside. */
static void test_boxcar_includes_boundary(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{0.5, 0}, {0, -1}, {1.5, 0}, {0.75, 0.75}};
    double w[4];
    sk_kernel k = make(SK_KERNEL_BOXCAR, 1.0, 1.0);
    assert_true(weigh(&k, (sk_vec2){0, 0}, keys, 4, w));
    assert_all_close(w, (double[]){0.5, 0.5, 0.0, 0.0}, 4, 0);
    /* sigma = 1e-6: only the key under the query is in reach. */
    k.bandwidth = 1e-6;
    assert_true(weigh(&k, (sk_vec2){0.5, 0}, keys, 4, w));
    assert_all_close(w, (double[]){1.0, 0.0, 0.0, 0.0}, 4, 0);
}

/* Compact kernels with no key within sigma: false and every weight 0 (the
 * stale values written first must be overwritten). A key exactly at sigma has
 * K = 0 for epanechnikov. Bandwidths so small that |q-k| / sigma is inf give
 * no reach either, never NaN. No keys at all: false for every kernel. */
static void test_compact_no_key_in_reach(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {2, 0}, {1e6, -1e6}};
    double w[3] = {7, 7, 7};
    sk_kernel epa = make(SK_KERNEL_EPANECHNIKOV, 1.0, 1.0);
    assert_false(weigh(&epa, (sk_vec2){0, 0}, keys, 3, w));
    assert_all_zero(w, 3);
    const double tiny[] = {1e-6, 1e-300, 4.9e-324};
    for (size_t s = 0; s < COUNT_OF(tiny); s++) {
        for (int kind = SK_KERNEL_EPANECHNIKOV; kind <= SK_KERNEL_BOXCAR; kind++) {
            sk_kernel k = make((sk_kernel_kind)kind, tiny[s], 1.0);
            w[0] = w[1] = w[2] = 7;
            assert_false(weigh(&k, (sk_vec2){-1e6, 1e6}, keys, 3, w));
            assert_all_zero(w, 3);
        }
    }
    for (int kind = 0; kind < SK_KERNEL_COUNT; kind++) {
        sk_kernel k = sk_kernel_default((sk_kernel_kind)kind);
        assert_false(weigh(&k, (sk_vec2){0, 0}, keys, 0, w));
    }
}

/* knn, k = 2, q = 0. Squared distances 9, 1, 4, 4: the nearest is key 1, and
 * keys 2 and 3 tie for second place; the lower index (2) wins: 0, 1/2, 1/2, 0.
 * With the tie's lower index first (4, 50, 1, 4): 1/2, 0, 1/2, 0. Four keys at
 * distance 1: k = 1 takes key 0, k = 3 keys 0..2. */
static void test_knn_tie_at_threshold(void **state)
{
    (void)state;
    double w[4];
    sk_kernel k = make_k(SK_KERNEL_KNN, 2, SK_KERNEL_GAUSSIAN);
    sk_vec2 a[] = {{3, 0}, {0, 1}, {2, 0}, {0, -2}};
    assert_true(weigh(&k, (sk_vec2){0, 0}, a, 4, w));
    assert_all_close(w, (double[]){0, 0.5, 0.5, 0}, 4, 0);
    sk_vec2 b[] = {{0, 2}, {5, 5}, {1, 0}, {-2, 0}};
    assert_true(weigh(&k, (sk_vec2){0, 0}, b, 4, w));
    assert_all_close(w, (double[]){0.5, 0, 0.5, 0}, 4, 0);
    sk_vec2 ring[] = {{1, 0}, {0, 1}, {-1, 0}, {0, -1}};
    k.k = 1;
    assert_true(weigh(&k, (sk_vec2){0, 0}, ring, 4, w));
    assert_all_close(w, (double[]){1, 0, 0, 0}, 4, 0);
    k.k = 3;
    assert_true(weigh(&k, (sk_vec2){0, 0}, ring, 4, w));
    assert_all_close(w, (double[]){1.0 / 3, 1.0 / 3, 1.0 / 3, 0}, 4, 1e-16);
}

/* k >= n keeps every key: 1/n each (n = 3). */
static void test_knn_k_beyond_n(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{100, 0}, {0, 1}, {-5, 5}};
    double w[3];
    for (int keep = 3; keep <= 5; keep++) {
        sk_kernel k = make_k(SK_KERNEL_KNN, keep, SK_KERNEL_GAUSSIAN);
        assert_true(weigh(&k, (sk_vec2){0, 0}, keys, 3, w));
        assert_all_close(w, (double[]){1.0 / 3, 1.0 / 3, 1.0 / 3}, 3, 1e-16);
    }
}

/* knn against its definition on a 15 x 15 integer grid of keys (many exact
 * ties), stored in a scrambled order: key i has rank #{j : d_j < d_i} +
 * #{j < i : d_j == d_i} and is kept iff its rank is below k. Checked by
 * counting, O(n^2), for queries on and between grid points. */
#define GRID_SIDE 15
#define GRID_N (GRID_SIDE * GRID_SIDE)

static double sq_dist(sk_vec2 a, sk_vec2 b)
{
    return (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y);
}

static void test_knn_matches_rank_definition(void **state)
{
    (void)state;
    sk_vec2 keys[GRID_N];
    double w[GRID_N];
    for (size_t i = 0; i < GRID_N; i++) {
        size_t cell = (i * 7) % GRID_N; /* 7 is coprime to 225: a permutation */
        keys[i] = (sk_vec2){(double)(cell % GRID_SIDE) - 7, (double)(cell / GRID_SIDE) - 7};
    }
    const sk_vec2 queries[] = {{0, 0}, {0.5, 0.5}, {-7, 7}, {3, -2.5}, {100, 0}};
    const int ks[] = {1, 2, 3, 4, 5, 8, 13, 50, 112, 224, 225, 300};
    for (size_t qi = 0; qi < COUNT_OF(queries); qi++) {
        for (size_t ki = 0; ki < COUNT_OF(ks); ki++) {
            sk_kernel k = make_k(SK_KERNEL_KNN, ks[ki], SK_KERNEL_GAUSSIAN);
            assert_true(weigh(&k, queries[qi], keys, GRID_N, w));
            size_t kept = ks[ki] < GRID_N ? (size_t)ks[ki] : GRID_N;
            for (size_t i = 0; i < GRID_N; i++) {
                double di = sq_dist(queries[qi], keys[i]);
                size_t rank = 0;
                for (size_t j = 0; j < GRID_N; j++) {
                    double dj = sq_dist(queries[qi], keys[j]);
                    rank += dj < di || (dj == di && j < i);
                }
                assert_close(w[i], rank < kept ? 1.0 / (double)kept : 0.0, 0);
            }
        }
    }
}

/* topk, k = 2, gaussian sigma = 1, q = 0, keys at distance 3, 1, 2: logits
 * -4.5, -0.5, -2; the two largest are keys 1 and 2, renormalised as a
 * two-key softmax: w = 0, 1/(1 + e^-1.5), e^-1.5/(1 + e^-1.5). With keys at
 * distance 1, 2, 2 the tie at the threshold goes to key 1 (lower index). */
static void test_topk_gaussian_renormalised(void **state)
{
    (void)state;
    double w[3];
    sk_kernel k = make_k(SK_KERNEL_TOPK, 2, SK_KERNEL_GAUSSIAN);
    sk_vec2 keys[] = {{0, 3}, {1, 0}, {0, 2}};
    assert_true(weigh(&k, (sk_vec2){0, 0}, keys, 3, w));
    assert_all_close(w, (double[]){0, W_ONE_AND_TWO, 1.0 - W_ONE_AND_TWO}, 3, 1e-15);
    sk_vec2 tied[] = {{1, 0}, {0, 2}, {-2, 0}};
    assert_true(weigh(&k, (sk_vec2){0, 0}, tied, 3, w));
    assert_all_close(w, (double[]){W_ONE_AND_TWO, 1.0 - W_ONE_AND_TWO, 0}, 3, 1e-15);
}

/* topk, k = 1: all weight on the base's largest logit. q = (1, 0), keys
 * (-1, 0), (0.9, 0), (5, 0): squared distances 4, 0.01, 16 (gaussian and
 * laplacian pick key 1); dot products -1, 0.9, 5 (dot picks key 2); cosines
 * -1, 1, 1 (cosine: keys 1 and 2 tie, the lower index, 1, wins). */
static void test_topk_one_is_argmax_of_base(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{-1, 0}, {0.9, 0}, {5, 0}};
    const size_t winner[] = {1, 2, 1, 1}; /* in SOFTMAX_KINDS order */
    double w[3];
    for (size_t b = 0; b < COUNT_OF(SOFTMAX_KINDS); b++) {
        sk_kernel k = make_k(SK_KERNEL_TOPK, 1, SOFTMAX_KINDS[b]);
        assert_true(weigh(&k, (sk_vec2){1, 0}, keys, 3, w));
        for (size_t i = 0; i < 3; i++)
            assert_close(w[i], i == winner[b] ? 1.0 : 0.0, 0);
    }
}

/* topk with k >= n keeps every logit: exactly its base's softmax. */
static void test_topk_k_beyond_n_equals_base(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{-1, 0.5}, {0.9, 2}, {5, -3}, {0.25, 0.25}};
    double w[4], base[4];
    for (size_t b = 0; b < COUNT_OF(SOFTMAX_KINDS); b++) {
        sk_kernel k = make_k(SK_KERNEL_TOPK, 9, SOFTMAX_KINDS[b]);
        k.bandwidth = k.temperature = 1.7;
        sk_kernel plain = make(SOFTMAX_KINDS[b], 1.7, 1.7);
        assert_true(weigh(&k, (sk_vec2){1, 0.3}, keys, 4, w));
        assert_true(weigh(&plain, (sk_vec2){1, 0.3}, keys, 4, base));
        assert_all_close(w, base, 4, 1e-15);
    }
}

/* Every softmax kernel at sigma = T = 1e-6 puts all weight on its best key
 * (the 1-NN value), split equally between exact ties. Keys below: gaussian and
 * laplacian, q = 0: distances 1, 1, 3 sqrt 2; dot, q = (1, 1): products 2, 2, 1;
 * cosine, q = (1, 0): cosines 1, 1, 1/sqrt 2. So w = 1/2, 1/2, 0 for each and
 * the blended value of (2, 4, 100) is the 1-NN value (2 + 4) / 2 = 3. */
static void test_cold_limit_is_nearest_neighbour(void **state)
{
    (void)state;
    const sk_vec2 keys[][3] = {
        {{1, 0}, {0, 1}, {3, 3}},   /* gaussian */
        {{2, 0}, {0, 2}, {1, 0}},   /* dot */
        {{3, 0}, {0.5, 0}, {1, 1}}, /* cosine */
        {{1, 0}, {0, 1}, {3, 3}},   /* laplacian */
    };
    const sk_vec2 queries[] = {{0, 0}, {1, 1}, {1, 0}, {0, 0}};
    const double values[] = {2, 4, 100};
    double w[3];
    for (size_t b = 0; b < COUNT_OF(SOFTMAX_KINDS); b++) {
        sk_kernel k = make(SOFTMAX_KINDS[b], 1e-6, 1e-6);
        assert_true(weigh(&k, queries[b], keys[b], 3, w));
        assert_all_close(w, (double[]){0.5, 0.5, 0}, 3, 1e-15);
        assert_close(sk_blend_scalar(w, values, 3), 3.0, 1e-14);
    }
}

/* Tiny bandwidth: all weight on the nearest key (1-NN). Huge bandwidth: every
 * key weighs 1/n (the plain mean). Neither may produce NaN, even far out. */
static void test_extreme_bandwidths_no_nan(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1e6, -1e6}, {2, 3}, {-1e6, 1e6}, {2.5, 3}};
    const double sigmas[] = {1e-300, 1e-6, 1e-3, 1.0, 1e3, 1e6, 1e300};
    const sk_vec2 queries[] = {{0, 0}, {1e6, 1e6}, {-1e6, -1e6}, {2.1, 3}};
    double w[4];
    for (size_t s = 0; s < COUNT_OF(sigmas); s++) {
        for (size_t q = 0; q < 4; q++) {
            sk_kernel k = make(SK_KERNEL_GAUSSIAN, sigmas[s], 1.0);
            weigh(&k, queries[q], keys, 4, w);
            assert_weights_valid(w, 4);
            k = make(SK_KERNEL_DOT, 1.0, sigmas[s]);
            weigh(&k, queries[q], keys, 4, w);
            assert_weights_valid(w, 4);
        }
    }
    sk_kernel narrow = make(SK_KERNEL_GAUSSIAN, 1e-6, 1.0);
    weigh(&narrow, (sk_vec2){2.1, 3}, keys, 4, w); /* nearest: keys[1] */
    assert_close(w[1], 1.0, 1e-15);
    sk_kernel wide = make(SK_KERNEL_GAUSSIAN, 1e6, 1.0);
    sk_vec2 near[] = {{0, 0}, {1, 0}, {0, 1}, {5, 5}};
    weigh(&wide, (sk_vec2){0, 0}, near, 4, w);
    for (int i = 0; i < 4; i++)
        assert_close(w[i], 0.25, 1e-10);
}

/* sigma = T = 1e12 against logits of a few units: every logit difference is
 * below 1e-11, so each of the 4 keys weighs 1/4 and the blend of (1, 2, 3, 10)
 * is the plain mean 4, for every softmax kernel. */
static void test_hot_limit_is_plain_mean(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{0, 0}, {1, 0}, {0, -2}, {3, 1}};
    const double values[] = {1, 2, 3, 10};
    double w[4];
    for (size_t b = 0; b < COUNT_OF(SOFTMAX_KINDS); b++) {
        sk_kernel k = make(SOFTMAX_KINDS[b], 1e12, 1e12);
        assert_true(weigh(&k, (sk_vec2){0.5, 1}, keys, 4, w));
        assert_all_close(w, (double[]){0.25, 0.25, 0.25, 0.25}, 4, 1e-11);
        assert_close(sk_blend_scalar(w, values, 4), 4.0, 1e-10);
    }
}

/* |q-k|^2 = |q|^2 + |k|^2 - 2 q.k, and |q|^2 is the same for every key, so it
 * cancels in the softmax: the gaussian's logits -|q-k|^2 / (2 sigma^2) give
 * the same weights as (q.k - |k|^2 / 2) / sigma^2, a dot-product softmax with
 * the bias -|k|^2 / 2 on each logit. Built here with sk_softmax_scaled. */
static void test_gaussian_is_biased_dot(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0.5}, {-0.7, 2}, {0.3, -1.1}, {2.5, 2.5}, {0, 0}};
    const sk_vec2 queries[] = {{0, 0}, {1, 1}, {-0.4, 0.9}, {3, -2}};
    const double sigmas[] = {0.5, 1.0, 2.5};
    double w[5], biased[5];
    for (size_t s = 0; s < COUNT_OF(sigmas); s++) {
        for (size_t q = 0; q < COUNT_OF(queries); q++) {
            for (size_t i = 0; i < 5; i++) {
                sk_vec2 k = keys[i], p = queries[q];
                biased[i] = p.x * k.x + p.y * k.y - (k.x * k.x + k.y * k.y) / 2.0;
            }
            sk_softmax_scaled(biased, 5, sigmas[s] * sigmas[s], biased);
            sk_kernel g = make(SK_KERNEL_GAUSSIAN, sigmas[s], 1.0);
            assert_true(weigh(&g, queries[q], keys, 5, w));
            assert_all_close(w, biased, 5, 1e-12);
        }
    }
}

/* Dot with the key bias, T = 2, q = (1, 0), keys (1, 0) and (0, 1): logits
 * (q.k - |k|^2/2) / T = (1 - 1/2) / 2 = 0.25 and (0 - 1/2) / 2 = -0.25 (no
 * sqrt(d) with the bias), so w0 = 1 / (1 + e^-0.5) = 0.6224593312018546. */
static void test_dot_bias_two_key_closed_form(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {0, 1}};
    double w[2];
    sk_kernel dot = make(SK_KERNEL_DOT, 1.0, 2.0);
    dot.key_bias = true;
    assert_true(weigh(&dot, (sk_vec2){1, 0}, keys, 2, w));
    assert_close(w[0], 0.6224593312018546, 1e-15);
    assert_close(w[1], 1.0 - 0.6224593312018546, 1e-15);
    /* q = (1, 0), keys (2, 0) and (0, 0), both at distance 1: logits
     * 2 - 2 = 0 and 0 - 0 = 0, an even split, where the plain dot product
     * (2/sqrt 2 against 0) would favour the longer key. */
    sk_vec2 apart[] = {{2, 0}, {0, 0}};
    assert_true(weigh(&dot, (sk_vec2){1, 0}, apart, 2, w));
    assert_close(w[0], 0.5, 1e-15);
    dot.key_bias = false;
    assert_true(weigh(&dot, (sk_vec2){1, 0}, apart, 2, w));
    assert_true(w[0] > 0.6);
}

/* A small LCG of our own, so the "random" cases are the same everywhere. */
static double lcg_uniform(uint64_t *s, double lo, double hi)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo + (hi - lo) * (double)(*s >> 11) / 9007199254740992.0;
}

/* The equivalence scenes/equivalence.yaml shows: by hand,
 *   -|q-k|^2 / 2 = q.k - |k|^2/2 - |q|^2/2,
 * and -|q|^2/2 is the same for every key, so softmax((q.k - |k|^2/2) / sigma^2)
 * = softmax(-|q-k|^2 / (2 sigma^2)). The expected weights are computed here
 * from the Gaussian's own formula (max-subtracted), and both kernels must
 * match them, and so each other, to 1e-12 over 2000 random queries. */
static void test_gaussian_equals_dot_with_bias(void **state)
{
    (void)state;
    enum { N = 8, QUERIES = 2000 };
    uint64_t seed = 12345;
    sk_vec2 keys[N];
    for (int i = 0; i < N; i++)
        keys[i] = (sk_vec2){lcg_uniform(&seed, -4, 4), lcg_uniform(&seed, -4, 4)};
    const double sigmas[] = {0.5, 0.9, 1.0, 2.0};
    for (int qi = 0; qi < QUERIES; qi++) {
        sk_vec2 q = {lcg_uniform(&seed, -5, 5), lcg_uniform(&seed, -5, 5)};
        double sigma = sigmas[qi % COUNT_OF(sigmas)];
        double expected[N], d2[N], nearest = INFINITY, sum = 0.0;
        for (int i = 0; i < N; i++) {
            d2[i] = (q.x - keys[i].x) * (q.x - keys[i].x) + (q.y - keys[i].y) * (q.y - keys[i].y);
            nearest = fmin(nearest, d2[i]);
        }
        for (int i = 0; i < N; i++)
            sum += expected[i] = exp(-(d2[i] - nearest) / (2 * sigma * sigma));
        for (int i = 0; i < N; i++)
            expected[i] /= sum;
        double gw[N], dw[N];
        sk_kernel g = make(SK_KERNEL_GAUSSIAN, sigma, 1.0);
        sk_kernel dot = make(SK_KERNEL_DOT, 1.0, sigma * sigma);
        dot.key_bias = true;
        assert_true(weigh(&g, q, keys, N, gw));
        assert_true(weigh(&dot, q, keys, N, dw));
        assert_all_close(gw, expected, N, 1e-12);
        assert_all_close(dw, expected, N, 1e-12);
        assert_all_close(dw, gw, N, 1e-12);
    }
}

/* q = (3, 0), keys (0, 2.5) and (2, 0). Without projection the squared
 * distances are 9 + 6.25 = 15.25 and 1: key 1 is nearest. W_K swapping the
 * axes maps the keys to (2.5, 0) and (0, 2): squared distances 0.25 and 13,
 * so key 0 is. Gaussian sigma 1 under the swap: logits -0.125 and -6.5,
 * w0 = 1 / (1 + e^-6.375) = 0.9982992775885648. */
static void test_projection_swap_changes_nearest(void **state)
{
    (void)state;
    const sk_mat2 swap = {0, 1, 1, 0};
    sk_vec2 keys[] = {{0, 2.5}, {2, 0}};
    double w[2];
    sk_kernel knn = make_k(SK_KERNEL_KNN, 1, SK_KERNEL_GAUSSIAN);
    assert_true(weigh(&knn, (sk_vec2){3, 0}, keys, 2, w));
    assert_all_close(w, (double[]){0, 1}, 2, 0);
    knn.projected = true;
    knn.w_k = swap;
    assert_true(weigh(&knn, (sk_vec2){3, 0}, keys, 2, w));
    assert_all_close(w, (double[]){1, 0}, 2, 0);
    sk_kernel gauss = make(SK_KERNEL_GAUSSIAN, 1.0, 1.0);
    gauss.projected = true;
    gauss.w_k = swap;
    assert_true(weigh(&gauss, (sk_vec2){3, 0}, keys, 2, w));
    assert_close(w[0], 0.9982992775885648, 1e-15);
}

/* Projections apply only when the kernel says so: a zeroed kernel (whose
 * matrices are all 0) compares q and k as they are. */
static void test_projection_flag(void **state)
{
    (void)state;
    sk_kernel k = {.kind = SK_KERNEL_GAUSSIAN, .bandwidth = 1.0};
    sk_vec2 keys[] = {{1, 0}, {2, 0}};
    double w[2];
    assert_true(weigh(&k, (sk_vec2){0, 0}, keys, 2, w));
    assert_close(w[0], W_ONE_AND_TWO, 1e-15);
    k.projected = true; /* now W_Q = W_K = 0: every key at the origin, equal weights */
    assert_true(weigh(&k, (sk_vec2){0, 0}, keys, 2, w));
    assert_close(w[0], 0.5, 1e-15);
}

/* W_Q = 2 I moves q = (1.5, 0) to (3, 0): of keys (1, 0) and (3, 0), the
 * nearest changes from key 0 (distance 0.5 vs 1.5) to key 1 (2 vs 0). */
static void test_projection_of_query(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {3, 0}};
    double w[2];
    sk_kernel knn = make_k(SK_KERNEL_KNN, 1, SK_KERNEL_GAUSSIAN);
    assert_true(weigh(&knn, (sk_vec2){1.5, 0}, keys, 2, w));
    assert_all_close(w, (double[]){1, 0}, 2, 0);
    knn.projected = true;
    knn.w_q = (sk_mat2){2, 0, 0, 2};
    assert_true(weigh(&knn, (sk_vec2){1.5, 0}, keys, 2, w));
    assert_all_close(w, (double[]){0, 1}, 2, 0);
}

/* W_Q = 0 maps every query to the origin, so each gaussian score is
 * -|W_K k|^2 and the weights do not depend on q: for keys (1, 0) and (2, 0)
 * they are the two-key closed form 1/(1 + e^-1.5) for any query. Cosine with
 * W_Q = 0 sees a zero query: every cosine 0, uniform weights. */
static void test_singular_query_projection(void **state)
{
    (void)state;
    const sk_mat2 zero = {0, 0, 0, 0};
    sk_vec2 keys[] = {{1, 0}, {2, 0}};
    const sk_vec2 queries[] = {{0, 0}, {5, -7}, {1e6, 1e6}, {2, 0}};
    double w[2];
    sk_kernel gauss = make(SK_KERNEL_GAUSSIAN, 1.0, 1.0), cosine = make(SK_KERNEL_COSINE, 1, 1);
    gauss.projected = cosine.projected = true;
    gauss.w_q = cosine.w_q = zero;
    for (size_t q = 0; q < COUNT_OF(queries); q++) {
        assert_true(weigh(&gauss, queries[q], keys, 2, w));
        assert_all_close(w, (double[]){W_ONE_AND_TWO, 1.0 - W_ONE_AND_TWO}, 2, 1e-15);
        assert_true(weigh(&cosine, queries[q], keys, 2, w));
        assert_all_close(w, (double[]){0.5, 0.5}, 2, 0);
    }
}

/* (a x + b y, c x + d y): [[1, 2], [3, 4]] (5, 6) = (17, 39). */
static void test_mat2_apply(void **state)
{
    (void)state;
    sk_vec2 v = sk_mat2_apply((sk_mat2){1, 2, 3, 4}, (sk_vec2){5, 6});
    assert_close(v.x, 17, 0);
    assert_close(v.y, 39, 0);
    v = sk_mat2_apply(SK_MAT2_IDENTITY, (sk_vec2){-0.5, 1e6});
    assert_close(v.x, -0.5, 0);
    assert_close(v.y, 1e6, 0);
}

/* Every kernel (topk over each base), sigma and T across [1e-6, 1e6],
 * coordinates up to +-1e6, with and without a projection: finite weights
 * summing to 1 when true is returned (always for softmax and selection
 * kernels), all 0 when false. */
static void check_no_nan(const sk_kernel *k, const sk_vec2 *keys, size_t n, sk_vec2 q)
{
    double w[6];
    bool ok = weigh(k, q, keys, n, w);
    if (k->kind != SK_KERNEL_EPANECHNIKOV && k->kind != SK_KERNEL_BOXCAR)
        assert_true(ok);
    if (ok)
        assert_weights_valid(w, n);
    else
        assert_all_zero(w, n);
}

static void test_no_nan_any_kernel(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1e6, -1e6}, {2, 3}, {-1e6, 1e6}, {2.5, 3}, {0, 0}, {-1e6, -1e6}};
    const sk_vec2 queries[] = {{0, 0}, {1e6, 1e6}, {-1e6, -1e6}, {2.1, 3}, {1e6, -1e6}};
    const double params[] = {1e-6, 1e-3, 1.0, 1e3, 1e6};
    const sk_mat2 projections[] = {SK_MAT2_IDENTITY, {0.5, -1, 1, 0.5}, {0, 0, 0, 0}};
    for (int kind = 0; kind < SK_KERNEL_COUNT + 3; kind++) {
        /* kinds past TOPK: topk again over the other three bases */
        sk_kernel k = make_k(kind < SK_KERNEL_COUNT ? (sk_kernel_kind)kind : SK_KERNEL_TOPK, 2,
                             kind < SK_KERNEL_COUNT ? SK_KERNEL_GAUSSIAN
                                                    : SOFTMAX_KINDS[kind - SK_KERNEL_COUNT + 1]);
        for (size_t p = 0; p < COUNT_OF(params); p++) {
            for (size_t m = 0; m < COUNT_OF(projections); m++) {
                k.bandwidth = k.temperature = params[p];
                k.projected = true;
                k.w_q = k.w_k = projections[m];
                for (size_t q = 0; q < COUNT_OF(queries); q++)
                    check_no_nan(&k, keys, COUNT_OF(keys), queries[q]);
            }
        }
    }
}

/* Keys exactly tied for nearest split the weight equally as sigma -> 0. */
static void test_tiny_bandwidth_ties_split(void **state)
{
    (void)state;
    sk_kernel k = make(SK_KERNEL_GAUSSIAN, 1e-6, 1.0);
    sk_vec2 keys[] = {{1, 0}, {0, 1}, {3, 3}};
    double w[3];
    weigh(&k, (sk_vec2){0, 0}, keys, 3, w);
    assert_close(w[0], 0.5, 1e-15);
    assert_close(w[1], 0.5, 1e-15);
    assert_close(w[2], 0.0, 1e-300);
}

/* Weights sum to 1 within 1e-12 over many pseudo-random configurations, for
 * every kernel (compact ones may also find no key: then all 0). */
static void test_weights_sum_to_one(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ull; /* xorshift64: deterministic, any machine */
    sk_vec2 keys[64];
    double w[64];
    for (int round = 0; round < 4000; round++) {
        size_t n = 1 + round % 64;
        double spread = pow(10.0, (round % 13) - 6.0);
        double uniform[130];
        for (size_t i = 0; i < 2 * n + 2; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            uniform[i] = (double)(x >> 11) / 9007199254740992.0 * 2.0 - 1.0;
        }
        for (size_t i = 0; i < n; i++)
            keys[i] = (sk_vec2){uniform[2 * i] * spread, uniform[2 * i + 1] * spread};
        sk_vec2 q = {uniform[2 * n] * spread, uniform[2 * n + 1] * spread};
        sk_kernel k = make_k((sk_kernel_kind)(round % SK_KERNEL_COUNT), 1 + round % 7,
                             SOFTMAX_KINDS[round % 4]);
        k.bandwidth = spread * 0.3;
        k.temperature = spread;
        if (weigh(&k, q, keys, n, w))
            assert_weights_valid(w, n);
        else
            assert_all_zero(w, n);
    }
}

static void test_softmax_degenerate_scores(void **state)
{
    (void)state;
    double w[3];
    const double all_neg_inf[] = {-INFINITY, -INFINITY, -INFINITY};
    sk_softmax_scaled(all_neg_inf, 3, 1.0, w);
    for (int i = 0; i < 3; i++)
        assert_close(w[i], 1.0 / 3.0, 1e-15);
    const double two_pos_inf[] = {INFINITY, 0.0, INFINITY};
    sk_softmax_scaled(two_pos_inf, 3, 1.0, w);
    assert_close(w[0], 0.5, 0);
    assert_close(w[1], 0.0, 0);
    assert_close(w[2], 0.5, 0);
    const double with_nan[] = {NAN, 1.0, 1.0};
    sk_softmax_scaled(with_nan, 3, 1.0, w);
    assert_close(w[0], 0.0, 0);
    assert_close(w[1], 0.5, 1e-15);
    /* scores 0 and ln 3 at scale 1: weights 1/4 and 3/4. */
    const double plain[] = {0.0, log(3.0)};
    sk_softmax_scaled(plain, 2, 1.0, w);
    assert_close(w[0], 0.25, 1e-15);
    assert_close(w[1], 0.75, 1e-15);
}

/* IEC 61966-2-1: ((0.5 + 0.055) / 1.055)^2.4 = 0.21404114048223255, and back. */
static void test_srgb_transfer(void **state)
{
    (void)state;
    assert_close(sk_srgb_to_linear(0.5), 0.21404114048223255, 1e-15);
    assert_close(sk_linear_to_srgb(0.21404114048223255), 0.5, 1e-12);
    assert_close(sk_srgb_to_linear(0.04), 0.04 / 12.92, 1e-15);
    assert_close(sk_linear_to_srgb(0.0), 0.0, 0);
    assert_close(sk_linear_to_srgb(1.0), 1.0, 1e-15);
}

/* Half red, half green in linear light: (0.5, 0.5, 0) linear, which is
 * 1.055 * 0.5^(1/2.4) - 0.055 = 0.7353569830524495 in sRGB (188/255), not the
 * 0.5 (128/255) that averaging sRGB codes would give. */
static void test_blend_in_linear_light(void **state)
{
    (void)state;
    const sk_rgb values[] = {{1, 0, 0}, {0, 1, 0}};
    const double w[] = {0.5, 0.5};
    sk_rgb out = sk_blend_srgb(w, values, 2);
    assert_close(out.r, 0.7353569830524495, 1e-12);
    assert_close(out.g, 0.7353569830524495, 1e-12);
    assert_close(out.b, 0.0, 0);
    const double one_hot[] = {0.0, 1.0};
    out = sk_blend_srgb(one_hot, values, 2);
    assert_close(out.r, 0.0, 1e-15);
    assert_close(out.g, 1.0, 1e-12);
}

/* 0.25 * 4 + 0.75 * 8 = 7; nothing to blend gives 0. */
static void test_blend_scalar(void **state)
{
    (void)state;
    assert_close(sk_blend_scalar((double[]){0.25, 0.75}, (double[]){4, 8}, 2), 7.0, 0);
    assert_close(sk_blend_scalar((double[]){1.0, 0.0}, (double[]){-3, 1e300}, 2), -3.0, 0);
    assert_close(sk_blend_scalar(NULL, NULL, 0), 0.0, 0);
}

/* Uniform over 4: -4 (1/4) ln(1/4) = ln 4 = 1.3862943611198906. One-hot: +0.
 * (1/4, 3/4): -(1/4 ln 1/4 + 3/4 ln 3/4) = 0.5623351446188083. */
static void test_entropy(void **state)
{
    (void)state;
    assert_close(sk_entropy((double[]){0.25, 0.25, 0.25, 0.25}, 4), 1.3862943611198906, 1e-15);
    double one_hot = sk_entropy((double[]){0, 1, 0}, 3);
    assert_close(one_hot, 0.0, 0);
    assert_false(signbit(one_hot));
    assert_close(sk_entropy((double[]){0.25, 0.75}, 2), 0.5623351446188083, 1e-15);
    assert_close(sk_entropy(NULL, 0), 0.0, 0);
}

static const char *const KERNEL_NAMES[SK_KERNEL_COUNT] = {
    "gaussian", "dot", "cosine", "laplacian", "epanechnikov", "boxcar", "knn", "topk",
};

static void test_kernel_names(void **state)
{
    (void)state;
    sk_kernel_kind kind;
    for (int i = 0; i < SK_KERNEL_COUNT; i++) {
        assert_string_equal(sk_kernel_name((sk_kernel_kind)i), KERNEL_NAMES[i]);
        assert_true(sk_kernel_from_name(KERNEL_NAMES[i], &kind));
        assert_int_equal(kind, i);
    }
    assert_false(sk_kernel_from_name("Gaussian", &kind));
    assert_false(sk_kernel_from_name("", &kind));
    assert_false(sk_kernel_from_name("top", &kind));
    assert_null(sk_kernel_name(SK_KERNEL_COUNT));
}

static void test_kernel_uses_flags(void **state)
{
    (void)state;
    const unsigned expected[SK_KERNEL_COUNT] = {
        [SK_KERNEL_GAUSSIAN] = SK_USES_BANDWIDTH,
        [SK_KERNEL_DOT] = SK_USES_TEMPERATURE | SK_USES_BIAS,
        [SK_KERNEL_COSINE] = SK_USES_TEMPERATURE,
        [SK_KERNEL_LAPLACIAN] = SK_USES_BANDWIDTH,
        [SK_KERNEL_EPANECHNIKOV] = SK_USES_BANDWIDTH,
        [SK_KERNEL_BOXCAR] = SK_USES_BANDWIDTH,
        [SK_KERNEL_KNN] = SK_USES_K,
        [SK_KERNEL_TOPK] = SK_USES_K | SK_USES_BASE,
    };
    for (int i = 0; i < SK_KERNEL_COUNT; i++) {
        assert_int_equal(sk_kernel_uses((sk_kernel_kind)i), expected[i]);
        assert_int_equal(sk_kernel_is_softmax((sk_kernel_kind)i), i <= SK_KERNEL_LAPLACIAN);
    }
    assert_int_equal(sk_kernel_uses(SK_KERNEL_COUNT), 0);
    assert_false(sk_kernel_is_softmax(SK_KERNEL_COUNT));
}

static void test_kernel_default(void **state)
{
    (void)state;
    sk_kernel k = sk_kernel_default(SK_KERNEL_TOPK);
    assert_int_equal(k.kind, SK_KERNEL_TOPK);
    assert_close(k.bandwidth, 1.0, 0);
    assert_close(k.temperature, 1.0, 0);
    assert_int_equal(k.k, 1);
    assert_int_equal(k.base, SK_KERNEL_GAUSSIAN);
    const double identity[4] = {1, 0, 0, 1};
    assert_all_close((double[]){k.w_q.a, k.w_q.b, k.w_q.c, k.w_q.d}, identity, 4, 0);
    assert_all_close((double[]){k.w_k.a, k.w_k.b, k.w_k.c, k.w_k.d}, identity, 4, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_distance_splits_evenly),
        cmocka_unit_test(test_far_key_gets_almost_nothing),
        cmocka_unit_test(test_gaussian_two_key_closed_form),
        cmocka_unit_test(test_gaussian_three_keys),
        cmocka_unit_test(test_dot_two_key_closed_form),
        cmocka_unit_test(test_dot_bias_two_key_closed_form),
        cmocka_unit_test(test_gaussian_equals_dot_with_bias),
        cmocka_unit_test(test_laplacian_two_key_closed_form),
        cmocka_unit_test(test_cosine_two_key_closed_form),
        cmocka_unit_test(test_epanechnikov_two_key_closed_form),
        cmocka_unit_test(test_boxcar_includes_boundary),
        cmocka_unit_test(test_compact_no_key_in_reach),
        cmocka_unit_test(test_knn_tie_at_threshold),
        cmocka_unit_test(test_knn_k_beyond_n),
        cmocka_unit_test(test_knn_matches_rank_definition),
        cmocka_unit_test(test_topk_gaussian_renormalised),
        cmocka_unit_test(test_topk_one_is_argmax_of_base),
        cmocka_unit_test(test_topk_k_beyond_n_equals_base),
        cmocka_unit_test(test_cold_limit_is_nearest_neighbour),
        cmocka_unit_test(test_extreme_bandwidths_no_nan),
        cmocka_unit_test(test_hot_limit_is_plain_mean),
        cmocka_unit_test(test_gaussian_is_biased_dot),
        cmocka_unit_test(test_projection_swap_changes_nearest),
        cmocka_unit_test(test_projection_of_query),
        cmocka_unit_test(test_projection_flag),
        cmocka_unit_test(test_singular_query_projection),
        cmocka_unit_test(test_mat2_apply),
        cmocka_unit_test(test_no_nan_any_kernel),
        cmocka_unit_test(test_tiny_bandwidth_ties_split),
        cmocka_unit_test(test_weights_sum_to_one),
        cmocka_unit_test(test_softmax_degenerate_scores),
        cmocka_unit_test(test_srgb_transfer),
        cmocka_unit_test(test_blend_in_linear_light),
        cmocka_unit_test(test_blend_scalar),
        cmocka_unit_test(test_entropy),
        cmocka_unit_test(test_kernel_names),
        cmocka_unit_test(test_kernel_uses_flags),
        cmocka_unit_test(test_kernel_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
