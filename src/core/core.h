/* core.h — the mathematics of attention as soft k-nearest-neighbours.
 *
 * Pure functions over plain arrays: libc and libm only, no I/O, no global
 * state, safe to call from any number of threads at once.
 *
 * Kernels turn a query q and keys k_i into weights w_i that are >= 0 and sum
 * to 1 (a softmax of logits). Every logit is written as score_i / scale with
 * scale > 0, and the softmax subtracts the largest score *before* dividing, so
 * neither tiny bandwidths/temperatures nor huge distances can make inf - inf:
 *   gaussian (Nadaraya–Watson): score = -|q-k|^2,  scale = 2 sigma^2
 *   dot (scaled dot product):    score = q.k,       scale = sqrt(d) T   (d = 2)
 */
#ifndef SK_CORE_H
#define SK_CORE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sk_vec2 {
    double x, y;
} sk_vec2;

/* A colour with channels in [0, 1]; whether the channels are sRGB-encoded or
 * linear light is said wherever one is stored or returned. */
typedef struct sk_rgb {
    double r, g, b;
} sk_rgb;

typedef enum sk_kernel_kind { SK_KERNEL_GAUSSIAN, SK_KERNEL_DOT, SK_KERNEL_COUNT } sk_kernel_kind;

typedef struct sk_kernel {
    sk_kernel_kind kind;
    double bandwidth;   /* sigma, in scene units; used by gaussian; > 0 */
    double temperature; /* T, dimensionless; used by dot; > 0 */
} sk_kernel;

/* The kernel's name as written in scene files ("gaussian"), or NULL. */
const char *sk_kernel_name(sk_kernel_kind kind);

/* Looks a scene-file name up; returns false when there is no such kernel. */
bool sk_kernel_from_name(const char *name, sk_kernel_kind *kind);

/* Numerically stable softmax of score_i / scale into weights (n entries;
 * scores and weights may be the same array). scale > 0. Scores that are NaN
 * count as -infinity. When every score is -infinity the weights are uniform;
 * when some are +infinity those share the weight equally. Never NaN. */
void sk_softmax_scaled(const double *scores, size_t n, double scale, double *weights);

/* Attention weights of query q over n keys, written to weights[0..n).
 * n may be 0 (nothing is written). Never NaN, for any finite parameters. */
void sk_attention_weights(const sk_kernel *kernel, sk_vec2 q, const sk_vec2 *keys, size_t n,
                          double *weights);

/* sRGB transfer function, per channel, on [0, 1] (IEC 61966-2-1). */
double sk_srgb_to_linear(double c);
double sk_linear_to_srgb(double c);

/* Sum of w_i * value_i, blended in linear light; values and result sRGB-encoded.
 * Linear light because the values stand for light: a 50/50 mix of red and green
 * should look like both at half power (a bright yellow), not the dark olive that
 * averaging sRGB codes gives, which would make the blend look like lost signal. */
sk_rgb sk_blend_srgb(const double *weights, const sk_rgb *values, size_t n);

#endif
