/* core.h — the mathematics of attention as soft k-nearest-neighbours.
 *
 * Pure functions over plain arrays: libc and libm only, no I/O, no global
 * state, safe to call from any number of threads at once.
 *
 * Kernels turn a query q and keys k_i into weights w_i >= 0 that sum to 1.
 * Softmax kernels write each logit as score_i / scale with scale > 0, and the
 * softmax subtracts the largest score *before* dividing, so neither tiny
 * bandwidths/temperatures nor huge distances can make inf - inf:
 *   gaussian (Nadaraya–Watson): score = -|q-k|^2,   scale = 2 sigma^2
 *   laplacian:                  score = -|q-k|,     scale = sigma
 *   dot (scaled dot product):   score = q.k,        scale = sqrt(d) T   (d = 2)
 *     with key_bias:            score = q.k - |k|^2/2, scale = T  (no sqrt(d)): the same
 *                               weights as gaussian with sigma^2 = T, since
 *                               -|q-k|^2/2 = q.k - |k|^2/2 - |q|^2/2 and the last
 *                               term is the same for every key
 *   cosine:                     score = cos(q, k),  scale = T
 * Compact kernels normalise a kernel value that is exactly 0 beyond sigma:
 *   epanechnikov: max(0, 1 - |q-k|^2 / sigma^2)    boxcar: 1 where |q-k| <= sigma
 * When no key is within reach every weight is 0 and there is no output.
 * Selection kernels:
 *   knn:  1/k on the k nearest keys (ties: the lower key index wins)
 *   topk: the softmax of `base` restricted to its k largest logits (ties: the
 *         lower index wins), 0 elsewhere.
 * Projections W_Q and W_K (2x2) map the query and the keys before any of this.
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

/* A 2x2 matrix, row-major: (x, y) -> (a x + b y, c x + d y). */
typedef struct sk_mat2 {
    double a, b, c, d;
} sk_mat2;

#define SK_MAT2_IDENTITY ((sk_mat2){1.0, 0.0, 0.0, 1.0})

sk_vec2 sk_mat2_apply(sk_mat2 m, sk_vec2 v);

typedef enum sk_kernel_kind {
    SK_KERNEL_GAUSSIAN,
    SK_KERNEL_DOT,
    SK_KERNEL_COSINE,
    SK_KERNEL_LAPLACIAN,
    SK_KERNEL_EPANECHNIKOV,
    SK_KERNEL_BOXCAR,
    SK_KERNEL_KNN,
    SK_KERNEL_TOPK,
    SK_KERNEL_COUNT
} sk_kernel_kind;

/* Which parameters a kernel reads, for validation and for printing. */
enum {
    SK_USES_BANDWIDTH = 1 << 0,   /* sigma */
    SK_USES_TEMPERATURE = 1 << 1, /* T */
    SK_USES_K = 1 << 2,           /* k */
    SK_USES_BASE = 1 << 3,        /* base kernel (topk) */
    SK_USES_BIAS = 1 << 4,        /* key_bias (dot) */
};

typedef struct sk_kernel {
    sk_kernel_kind kind;
    double bandwidth;    /* sigma, scene units, > 0 */
    double temperature;  /* T, > 0 */
    int k;               /* knn, topk: keys kept, >= 1 (more than n means all) */
    sk_kernel_kind base; /* topk: a softmax kernel (gaussian, dot, cosine, laplacian) */
    bool key_bias;       /* dot: subtract |k|^2 / 2 from each logit (scene: bias: half_norm) */
    bool projected;      /* false: w_q and w_k are ignored, so a zeroed kernel has none */
    sk_mat2 w_q, w_k;    /* projections of query and keys, when projected */
} sk_kernel;

/* The query and a key as the kernel compares them: W_Q q and W_K k when the
 * kernel is projected, unchanged otherwise. */
sk_vec2 sk_project_query(const sk_kernel *kernel, sk_vec2 q);
sk_vec2 sk_project_key(const sk_kernel *kernel, sk_vec2 k);

/* A kernel with every parameter at its default: bandwidth 1, temperature 1,
 * k 1, base gaussian, no key bias, identity projections. */
sk_kernel sk_kernel_default(sk_kernel_kind kind);

/* The kernel's name as written in scene files ("gaussian"), or NULL. */
const char *sk_kernel_name(sk_kernel_kind kind);

/* Looks a scene-file name up; returns false when there is no such kernel. */
bool sk_kernel_from_name(const char *name, sk_kernel_kind *kind);

/* SK_USES_* flags of a kernel kind (0 for an unknown kind). For topk these
 * are only K | BASE: combine them with the flags of its base. */
unsigned sk_kernel_uses(sk_kernel_kind kind);

/* Every parameter this kernel reads: its own SK_USES_* flags, and for topk
 * those of its base too. */
unsigned sk_kernel_parameters(const sk_kernel *kernel);

/* Whether a kernel is a softmax of logits (gaussian, dot, cosine, laplacian):
 * those may serve as topk's base, and never leave every weight at 0. */
bool sk_kernel_is_softmax(sk_kernel_kind kind);

/* Numerically stable softmax of score_i / scale into weights (n entries;
 * scores and weights may be the same array). scale > 0. Scores that are NaN
 * count as -infinity. When every score is -infinity the weights are uniform;
 * when some are +infinity those share the weight equally. Never NaN. */
void sk_softmax_scaled(const double *scores, size_t n, double scale, double *weights);

/* Attention weights of query q over n keys, written to weights[0..n).
 * scratch must hold n doubles for knn and topk (workspace for selection and
 * topk's softmax; may alias nothing else) and may be NULL for the others.
 * Returns true when the weights sum to 1, false when no key is within reach
 * of a compact kernel or n == 0 (then every weight is 0: "no output").
 * A topk whose base is not a softmax kernel falls back to gaussian.
 * Never NaN for finite inputs, any positive parameters. */
bool sk_attention_weights(const sk_kernel *kernel, sk_vec2 q, const sk_vec2 *keys, size_t n,
                          double *weights, double *scratch);

/* sRGB transfer function, per channel, on [0, 1] (IEC 61966-2-1). */
double sk_srgb_to_linear(double c);
double sk_linear_to_srgb(double c);

/* Sum of w_i * value_i, blended in linear light; values and result sRGB-encoded.
 * Linear light because the values stand for light: a 50/50 mix of red and green
 * should look like both at half power (a bright yellow), not the dark olive that
 * averaging sRGB codes gives, which would make the blend look like lost signal. */
sk_rgb sk_blend_srgb(const double *weights, const sk_rgb *values, size_t n);

/* Sum of w_i * y_i for scalar values (1-D regression scenes). */
double sk_blend_scalar(const double *weights, const double *values, size_t n);

/* Shannon entropy of the weights in nats, -sum w ln w (0 ln 0 = 0): 0 when one
 * key takes everything, ln n when all are equal. */
double sk_entropy(const double *weights, size_t n);

/* ---- Easings: progress in [0, 1] -> eased progress --------------------- */

typedef enum sk_ease_kind {
    SK_EASE_LINEAR,
    SK_EASE_IN_SINE,
    SK_EASE_OUT_SINE,
    SK_EASE_IN_OUT_SINE,
    SK_EASE_IN_QUAD,
    SK_EASE_OUT_QUAD,
    SK_EASE_IN_OUT_QUAD,
    SK_EASE_IN_CUBIC,
    SK_EASE_OUT_CUBIC,
    SK_EASE_IN_OUT_CUBIC,
    SK_EASE_IN_QUART,
    SK_EASE_OUT_QUART,
    SK_EASE_IN_OUT_QUART,
    SK_EASE_IN_QUINT,
    SK_EASE_OUT_QUINT,
    SK_EASE_IN_OUT_QUINT,
    SK_EASE_IN_EXPO,
    SK_EASE_OUT_EXPO,
    SK_EASE_IN_OUT_EXPO,
    SK_EASE_IN_CIRC,
    SK_EASE_OUT_CIRC,
    SK_EASE_IN_OUT_CIRC,
    SK_EASE_IN_BACK,
    SK_EASE_OUT_BACK,
    SK_EASE_IN_OUT_BACK,
    SK_EASE_CUBIC_BEZIER, /* CSS cubic-bezier(x1, y1, x2, y2) */
    SK_EASE_COUNT
} sk_ease_kind;

typedef struct sk_ease {
    sk_ease_kind kind;
    double x1, y1, x2, y2; /* SK_EASE_CUBIC_BEZIER only; x1, x2 in [0, 1] */
} sk_ease;

/* Scene-file names: "linear", "easeInSine" ... "easeInOutBack" (Penner's);
 * "cubicBezier" for SK_EASE_CUBIC_BEZIER (its four numbers are given apart). */
const char *sk_ease_name(sk_ease_kind kind);
bool sk_ease_from_name(const char *name, sk_ease_kind *kind);

/* The eased value of t; t is clamped to [0, 1]; f(0) = 0 and f(1) = 1 exactly.
 * Back easings overshoot outside [0, 1] in between, by design. */
double sk_ease_apply(const sk_ease *ease, double t);

/* ---- The field: the estimator on a pixel grid -------------------------- */

/* A grid of width x height samples; sample (i, j) is at scene point
 * (x0 + i * dx, y0 - j * dy): rows go downwards like pixels. */
typedef struct sk_field_grid {
    int width, height;
    double x0, y0, dx, dy;
} sk_field_grid;

/* Evaluates the estimator at every sample of the grid, in single precision:
 * rgb (3 floats per sample, linear light) gets the blended value and
 * max_weight (1 float per sample, may be NULL) the largest weight there.
 * Both index the whole grid (row j starts at sample j * width) and only rows
 * [row_begin, row_end) are written (clamped to the grid), so threads can
 * share one frame's buffers. Where a compact kernel reaches no key, or when
 * n == 0, rgb is 0 and max_weight 0. values are sRGB like everywhere else
 * (converted to linear once). Softmax and compact kernels take the
 * vectorised path (error <= 1e-5 against the reference, tested); knn and
 * topk the scalar one. Coordinates up to ~1e150 (beyond, sqrt(dx^2 + dy^2)
 * overflows where the reference's hypot does not; the output stays finite).
 * Returns false if memory for the per-key tables could not be had, or n is
 * so large their sizes would overflow. */
bool sk_field_eval(const sk_kernel *kernel, const sk_vec2 *keys, const sk_rgb *values, size_t n,
                   const sk_field_grid *grid, int row_begin, int row_end, float *rgb,
                   float *max_weight);

/* The same in double precision with sk_attention_weights, one sample at a
 * time: the reference the fast path is tested and benchmarked against. */
bool sk_field_eval_reference(const sk_kernel *kernel, const sk_vec2 *keys, const sk_rgb *values,
                             size_t n, const sk_field_grid *grid, int row_begin, int row_end,
                             float *rgb, float *max_weight);

/* ---- steady choices --------------------------------------------------------
 * Which of `options` places (1..SK_STEADY_MAX_OPTIONS) something takes in
 * each of `frames` frames, when each frame alone would pick the cheapest
 * (cost[f * options + o] >= 0, e.g. how much a label covers there): a label
 * that hops to wherever is free this very frame flickers. Minimises
 *   sum over frames of cost[f][choice[f]] + switch_cost * (switches)
 * subject to every run of one choice lasting at least min_run frames, the
 * first and the last included (when frames < min_run: one choice, the
 * cheapest in total). Ties go to the lower option, and to staying. Costs
 * above SK_STEADY_BLOCKED (or not finite) count as SK_STEADY_BLOCKED: a
 * place to avoid at almost any price, which still leaves sums exact enough
 * to compare. Returns false if memory for the backtracking could not be had
 * (choice is then untouched). */
#define SK_STEADY_MAX_OPTIONS 32
#define SK_STEADY_BLOCKED 1e9
bool sk_steady_choices(const double *cost, size_t frames, int options, int min_run,
                       double switch_cost, unsigned char *choice);

#endif
