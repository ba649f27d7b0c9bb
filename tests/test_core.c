/* Unit tests of the compute core against values worked out by hand. Each
 * expected number is derived in the comment above it, not taken from the code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "core/core.h"

static const sk_kernel GAUSS_1 = {SK_KERNEL_GAUSSIAN, 1.0, 1.0};
static const sk_kernel DOT_1 = {SK_KERNEL_DOT, 1.0, 1.0};

static void assert_close(double actual, double expected, double tolerance)
{
    if (!(fabs(actual - expected) <= tolerance))
        fail_msg("expected %.17g, got %.17g (tolerance %g)", expected, actual, tolerance);
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

/* Two keys at the same distance from the query get half the weight each,
 * whatever the kernel: their logits are equal. */
static void test_equal_distance_splits_evenly(void **state)
{
    (void)state;
    sk_vec2 keys[] = {{1, 0}, {-1, 0}};
    double w[2];
    sk_attention_weights(&GAUSS_1, (sk_vec2){0, 0}, keys, 2, w);
    assert_close(w[0], 0.5, 1e-15);
    assert_close(w[1], 0.5, 1e-15);
    /* q = (0, 1) is orthogonal to both keys: q.k = 0 for each. */
    sk_attention_weights(&DOT_1, (sk_vec2){0, 1}, keys, 2, w);
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
    sk_attention_weights(&GAUSS_1, (sk_vec2){0, 0}, keys, 2, w);
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
    sk_attention_weights(&GAUSS_1, (sk_vec2){0, 0}, keys, 2, w);
    assert_close(w[0], 0.8175744761936437, 1e-15);
    assert_close(w[1], 1.0 - 0.8175744761936437, 1e-15);
}

/* Gaussian, sigma = 0.5 (2 sigma^2 = 0.5), q = 0, squared distances 1, 4, 2:
 * logits -2, -8, -4; relative to the max 0, -6, -2; so
 * w = (1, e^-6, e^-2) / (1 + e^-6 + e^-2) = 0.87887824, 0.00217852, 0.11894324. */
static void test_gaussian_three_keys(void **state)
{
    (void)state;
    sk_kernel k = {SK_KERNEL_GAUSSIAN, 0.5, 1.0};
    sk_vec2 keys[] = {{1, 0}, {0, 2}, {-1, -1}};
    double w[3];
    sk_attention_weights(&k, (sk_vec2){0, 0}, keys, 3, w);
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
    sk_attention_weights(&DOT_1, (sk_vec2){1, 0}, keys, 2, w);
    assert_close(w[0], 0.6697615493266569, 1e-15);
    assert_close(w[1], 1.0 - 0.6697615493266569, 1e-15);
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
    for (size_t s = 0; s < sizeof sigmas / sizeof *sigmas; s++) {
        for (size_t q = 0; q < 4; q++) {
            sk_kernel k = {SK_KERNEL_GAUSSIAN, sigmas[s], 1.0};
            sk_attention_weights(&k, queries[q], keys, 4, w);
            assert_weights_valid(w, 4);
            k = (sk_kernel){SK_KERNEL_DOT, 1.0, sigmas[s]};
            sk_attention_weights(&k, queries[q], keys, 4, w);
            assert_weights_valid(w, 4);
        }
    }
    sk_kernel narrow = {SK_KERNEL_GAUSSIAN, 1e-6, 1.0};
    sk_attention_weights(&narrow, (sk_vec2){2.1, 3}, keys, 4, w); /* nearest: keys[1] */
    assert_close(w[1], 1.0, 1e-15);
    sk_kernel wide = {SK_KERNEL_GAUSSIAN, 1e6, 1.0};
    sk_vec2 near[] = {{0, 0}, {1, 0}, {0, 1}, {5, 5}};
    sk_attention_weights(&wide, (sk_vec2){0, 0}, near, 4, w);
    for (int i = 0; i < 4; i++)
        assert_close(w[i], 0.25, 1e-10);
}

/* Keys exactly tied for nearest split the weight equally as sigma -> 0. */
static void test_tiny_bandwidth_ties_split(void **state)
{
    (void)state;
    sk_kernel k = {SK_KERNEL_GAUSSIAN, 1e-6, 1.0};
    sk_vec2 keys[] = {{1, 0}, {0, 1}, {3, 3}};
    double w[3];
    sk_attention_weights(&k, (sk_vec2){0, 0}, keys, 3, w);
    assert_close(w[0], 0.5, 1e-15);
    assert_close(w[1], 0.5, 1e-15);
    assert_close(w[2], 0.0, 1e-300);
}

/* Weights sum to 1 within 1e-12 over many pseudo-random configurations. */
static void test_weights_sum_to_one(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ull; /* xorshift64: deterministic, any machine */
    sk_vec2 keys[64];
    double w[64];
    for (int round = 0; round < 2000; round++) {
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
        sk_kernel k = {round % 2 ? SK_KERNEL_DOT : SK_KERNEL_GAUSSIAN, spread * 0.3, spread};
        sk_attention_weights(&k, q, keys, n, w);
        assert_weights_valid(w, n);
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

static void test_kernel_names(void **state)
{
    (void)state;
    sk_kernel_kind kind;
    assert_true(sk_kernel_from_name("gaussian", &kind));
    assert_int_equal(kind, SK_KERNEL_GAUSSIAN);
    assert_true(sk_kernel_from_name("dot", &kind));
    assert_int_equal(kind, SK_KERNEL_DOT);
    assert_false(sk_kernel_from_name("Gaussian", &kind));
    assert_false(sk_kernel_from_name("", &kind));
    assert_string_equal(sk_kernel_name(SK_KERNEL_DOT), "dot");
    assert_null(sk_kernel_name(SK_KERNEL_COUNT));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_equal_distance_splits_evenly),
        cmocka_unit_test(test_far_key_gets_almost_nothing),
        cmocka_unit_test(test_gaussian_two_key_closed_form),
        cmocka_unit_test(test_gaussian_three_keys),
        cmocka_unit_test(test_dot_two_key_closed_form),
        cmocka_unit_test(test_extreme_bandwidths_no_nan),
        cmocka_unit_test(test_tiny_bandwidth_ties_split),
        cmocka_unit_test(test_weights_sum_to_one),
        cmocka_unit_test(test_softmax_degenerate_scores),
        cmocka_unit_test(test_srgb_transfer),
        cmocka_unit_test(test_blend_in_linear_light),
        cmocka_unit_test(test_kernel_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
