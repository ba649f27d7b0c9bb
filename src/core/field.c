/* field.c — the estimator on a pixel grid.
 *
 * The fast path works on blocks of samples of one row. Keys are the outer
 * loop and samples the inner one, so every inner loop is a plain elementwise
 * loop over arrays that gcc vectorises. Softmax kernels take two passes over
 * the keys: the largest score of each sample, then the sum of exp(logit -
 * largest) into four float accumulators (weight sum and three channels).
 *
 * Scores and their difference from the largest stay in double: with a small
 * bandwidth the logit is a large score over a tiny scale (sigma = 1e-3 and
 * coordinates of 100 give logits near 1e10), and only the difference of two
 * scores carries information, which float could not resolve. What leaves
 * double is the logit difference clamped to [EXP_FLOOR, 0]; from there on
 * single precision is enough for 1e-5 (measured: under 1e-6 against the
 * reference, see tests/test_field.c).
 */
#include "core.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One clone per x86-64 level, picked at load time by a glibc ifunc: v3 has
 * AVX2 and FMA, v4 AVX-512. Other compilers and targets get one version. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define FIELD_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define FIELD_CLONES
#endif

#if defined(__GNUC__)
#define FIELD_INLINE static inline __attribute__((always_inline))
#else
#define FIELD_INLINE static inline
#endif

/* Samples per block: its arrays (3 double + 6 float each) fill 12 KiB, so
 * they stay in L1 while every key sweeps over them. (128 to 1024 measured
 * within 3% of each other: the loops are bound by arithmetic.) */
#define FIELD_BLOCK 256

/* Logit differences at or below this give a term of exactly 0 (it would be
 * under 1.6e-38 of the largest term, which is 1). Above it, 2^n in
 * exp_nonpositive has n >= -126 and stays a normal float (FLT_MIN = 2^-126),
 * and a term has no denormal product with a colour worth speaking of. */
#define EXP_FLOOR (-87.0)

/* ---- exp on [EXP_FLOOR, 0] in float, written for the vectoriser ------ */

/* log2(e), for n = round(x / ln 2). */
#define EXP_LOG2E 1.44269504088896341f
/* 1.5 * 2^23: adding it to |y| < 2^22 leaves round(y) in the low mantissa
 * bits (round to nearest even), and subtracting it again gives round(y) as a
 * float. The bits of the sum are those of 1.5 * 2^23 plus round(y), so the
 * sum's bits shifted left by 23 are round(y) << 23. Needs round-to-nearest
 * and no reassociation: never -ffast-math on this file. */
#define EXP_ROUND_MAGIC 12582912.0f
/* ln 2 split in two (Cody–Waite): LN2_HI has 9 significant bits, so n *
 * LN2_HI is exact for |n| <= 2^15 and x - n * LN2_HI has no rounding error
 * (Sterbenz); LN2_LO carries the rest of ln 2. */
#define EXP_LN2_HI 0.693359375f
#define EXP_LN2_LO (-2.12194440e-4f)
/* e^r on |r| <= ln(2)/2: the degree-6 polynomial interpolating e^r at the
 * Chebyshev nodes of that interval (near-minimax). Its own relative error is
 * 2.5e-9; in float, with the rounding of Horner's steps, the whole function
 * is within 1.37 ulp (1.2e-7 relative) of exp on every float in
 * [EXP_FLOOR, 0], and within 1.08 ulp where FMA contracts the steps (both
 * measured exhaustively). c0 = c1 = 1 in float, so exp_nonpositive(0) = 1
 * exactly: the largest term of every softmax is exactly 1. */
#define EXP_C2 0.500000004711778f
#define EXP_C3 0.166664155146536f
#define EXP_C4 0.0416663528966969f
#define EXP_C5 0.00837512639813225f
#define EXP_C6 0.00139411084388050f

/* e^x for x in [EXP_FLOOR, 0]; callers clamp (and discard the result at
 * EXP_FLOOR: below it, n would leave the normal range). */
FIELD_INLINE float exp_nonpositive(float x)
{
    float shifted = x * EXP_LOG2E + EXP_ROUND_MAGIC;
    float n = shifted - EXP_ROUND_MAGIC;
    float r = x - n * EXP_LN2_HI;
    r = r - n * EXP_LN2_LO;
    float p = EXP_C6;
    p = p * r + EXP_C5;
    p = p * r + EXP_C4;
    p = p * r + EXP_C3;
    p = p * r + EXP_C2;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    /* Multiply by 2^n by adding n to the exponent field; n is in [-126, 0]
     * and p in [0.7, 1.42], so the result is a normal float. Unsigned
     * arithmetic wraps, which is the two's-complement addition wanted. */
    uint32_t bits, n_bits;
    memcpy(&bits, &p, sizeof bits);
    memcpy(&n_bits, &shifted, sizeof n_bits);
    bits += n_bits << 23;
    memcpy(&p, &bits, sizeof p);
    return p;
}

/* ---- The plan: per-key tables, made once per call -------------------- */

typedef struct field_plan {
    const sk_kernel *kernel;
    const sk_vec2 *keys;
    size_t n;
    bool unit;                 /* cosine: queries and keys are scaled to unit length */
    bool compact;              /* epanechnikov, boxcar: samples at an edge are redone */
    double inv_scale;          /* softmax: 1 / scale, finite */
    double *kx, *ky;           /* projected keys (unit directions for cosine) */
    float *kr, *kg, *kb;       /* their values in linear light */
    double *linear;            /* the same in double, 3 per key, for the reference */
    double *weights, *scratch; /* n each, for the reference */
} field_plan;

/* Per-block arrays, one entry per sample, allocated 64-byte aligned. */
typedef struct field_block {
    double qx[FIELD_BLOCK], qy[FIELD_BLOCK]; /* projected query (cosine: unit) */
    double top[FIELD_BLOCK];                 /* softmax: largest score */
    float sum[FIELD_BLOCK], r[FIELD_BLOCK], g[FIELD_BLOCK], b[FIELD_BLOCK];
    float peak[FIELD_BLOCK]; /* compact: largest kernel value */
    float edge[FIELD_BLOCK]; /* compact: 1 where some key is at the edge of reach */
} field_block;

/* aligned_alloc wants a size that is a multiple of the alignment. */
_Static_assert(sizeof(field_block) % 64 == 0, "FIELD_BLOCK must be a multiple of 16");

/* A scale that is not finite and positive would make inf or NaN logits; the
 * clamps in the exp pass turn those into a uniform or one-hot softmax, and
 * these bounds keep 0 * inv_scale at 0 for the largest score. */
static double finite_inverse(double scale)
{
    double inv = 1.0 / scale;
    return inv < 1e300 ? inv : 1e300; /* NaN (scale NaN) also gives 1e300 */
}

static double softmax_scale(const sk_kernel *kernel)
{
    switch (kernel->kind) {
    case SK_KERNEL_GAUSSIAN: return 2.0 * kernel->bandwidth * kernel->bandwidth;
    case SK_KERNEL_LAPLACIAN: return kernel->bandwidth;
    case SK_KERNEL_DOT: return sqrt(2.0) * kernel->temperature;
    default: return kernel->temperature;
    }
}

/* (x, y) scaled to length 1, or (0, 0) when it has no direction, as
 * sk_attention_weights's cosine does: divided by the larger coordinate first,
 * so that squaring can neither overflow nor underflow (the length is then in
 * [1, sqrt 2]). sqrt rather than hypot, so that the loop over samples
 * vectorises; the two differ by at most an ulp. */
FIELD_INLINE sk_vec2 direction(double x, double y)
{
    double ax = fabs(x), ay = fabs(y);
    double m = ax > ay ? ax : ay;
    if (!(m > 0.0)) /* the zero vector (or NaN) */
        return (sk_vec2){0.0, 0.0};
    x /= m;
    y /= m;
    double len = sqrt(x * x + y * y);
    return (sk_vec2){x / len, y / len};
}

static void plan_free(field_plan *plan)
{
    free(plan->scratch);
    free(plan->weights);
    free(plan->linear);
    free(plan->kx);
    free(plan->ky);
    free(plan->kr);
    free(plan->kg);
    free(plan->kb);
}

static bool plan_init(field_plan *plan, const sk_kernel *kernel, const sk_vec2 *keys,
                      const sk_rgb *values, size_t n)
{
    if (n > SIZE_MAX / (3 * sizeof(double)))
        return false; /* the tables' sizes would not fit in a size_t */
    *plan = (field_plan){.kernel = kernel,
                         .keys = keys,
                         .n = n,
                         .unit = kernel->kind == SK_KERNEL_COSINE,
                         .compact = !sk_kernel_is_softmax(kernel->kind),
                         .inv_scale = finite_inverse(softmax_scale(kernel))};
    plan->kx = malloc(n * sizeof *plan->kx);
    plan->ky = malloc(n * sizeof *plan->ky);
    plan->kr = malloc(n * sizeof *plan->kr);
    plan->kg = malloc(n * sizeof *plan->kg);
    plan->kb = malloc(n * sizeof *plan->kb);
    plan->linear = malloc(3 * n * sizeof *plan->linear);
    plan->weights = malloc(n * sizeof *plan->weights);
    plan->scratch = malloc(n * sizeof *plan->scratch);
    if (!plan->kx || !plan->ky || !plan->kr || !plan->kg || !plan->kb || !plan->linear ||
        !plan->weights || !plan->scratch) {
        plan_free(plan);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        sk_vec2 k = sk_project_key(kernel, keys[i]);
        if (plan->unit)
            k = direction(k.x, k.y);
        plan->kx[i] = k.x;
        plan->ky[i] = k.y;
        plan->linear[3 * i + 0] = sk_srgb_to_linear(values[i].r);
        plan->linear[3 * i + 1] = sk_srgb_to_linear(values[i].g);
        plan->linear[3 * i + 2] = sk_srgb_to_linear(values[i].b);
        plan->kr[i] = (float)plan->linear[3 * i + 0];
        plan->kg[i] = (float)plan->linear[3 * i + 1];
        plan->kb[i] = (float)plan->linear[3 * i + 2];
    }
    return true;
}

/* The scene point of sample (i, j), for both paths alike. */
static sk_vec2 grid_point(const sk_field_grid *grid, int i, int j)
{
    return (sk_vec2){grid->x0 + i * grid->dx, grid->y0 - j * grid->dy};
}

/* Scene points of samples [i0, i0 + count) of row j, projected as
 * sk_project_query does (inline, since this runs once per sample). */
static void block_fill(const field_plan *plan, const sk_field_grid *grid, int j, int i0, int count,
                       field_block *b)
{
    const bool projected = plan->kernel->projected;
    const sk_mat2 m = plan->kernel->w_q;
    for (int i = 0; i < count; i++) {
        sk_vec2 q = grid_point(grid, i0 + i, j);
        b->qx[i] = projected ? m.a * q.x + m.b * q.y : q.x;
        b->qy[i] = projected ? m.c * q.x + m.d * q.y : q.y;
    }
    if (!plan->unit)
        return;
    for (int i = 0; i < count; i++) {
        sk_vec2 u = direction(b->qx[i], b->qy[i]);
        b->qx[i] = u.x;
        b->qy[i] = u.y;
    }
}

/* ---- Softmax kernels ------------------------------------------------- */

/* The score of one query against one key; kind is a constant at every call
 * site, so each loop gets one branch-free body. Cosine is the dot product of
 * unit vectors. */
FIELD_INLINE double score_of(sk_kernel_kind kind, double qx, double qy, double kx, double ky)
{
    double dx = qx - kx, dy = qy - ky;
    switch (kind) {
    case SK_KERNEL_GAUSSIAN: return -(dx * dx + dy * dy);
    case SK_KERNEL_LAPLACIAN: return -sqrt(dx * dx + dy * dy);
    default: return qx * kx + qy * ky;
    }
}

/* Pass 1: each sample's largest score. NaN scores never win (the comparison
 * is false), like sk_softmax_scaled's -infinity. */
FIELD_INLINE void top_pass(sk_kernel_kind kind, const field_plan *plan, field_block *restrict b,
                           int count)
{
    for (int i = 0; i < count; i++)
        b->top[i] = -INFINITY;
    for (size_t k = 0; k < plan->n; k++) {
        const double kx = plan->kx[k], ky = plan->ky[k];
        for (int i = 0; i < count; i++) {
            double s = score_of(kind, b->qx[i], b->qy[i], kx, ky);
            b->top[i] = s > b->top[i] ? s : b->top[i];
        }
    }
}

/* The logit minus the largest, clamped to [EXP_FLOOR, 0]. The key with the
 * largest score gives exactly 0 (the same arithmetic as in pass 1). A NaN
 * difference (+inf - +inf, or -inf - -inf when every score is -inf) counts
 * as a tie with the largest, as sk_softmax_scaled shares the weight then. */
FIELD_INLINE float clamped_logit(double score, double top, double inv_scale)
{
    double z = (score - top) * inv_scale;
    z = z < 0.0 ? z : 0.0;
    z = z > EXP_FLOOR ? z : EXP_FLOOR;
    return (float)z;
}

/* Pass 2: sums of the exp terms and of the terms times each channel. */
FIELD_INLINE void exp_pass(sk_kernel_kind kind, const field_plan *plan, field_block *restrict b,
                           int count)
{
    for (int i = 0; i < count; i++)
        b->sum[i] = b->r[i] = b->g[i] = b->b[i] = 0.0f;
    const double inv_scale = plan->inv_scale;
    for (size_t k = 0; k < plan->n; k++) {
        const double kx = plan->kx[k], ky = plan->ky[k];
        const float kr = plan->kr[k], kg = plan->kg[k], kb = plan->kb[k];
        for (int i = 0; i < count; i++) {
            double s = score_of(kind, b->qx[i], b->qy[i], kx, ky);
            float z = clamped_logit(s, b->top[i], inv_scale);
            float e = z > (float)EXP_FLOOR ? exp_nonpositive(z) : 0.0f;
            b->sum[i] += e;
            b->r[i] += e * kr;
            b->g[i] += e * kg;
            b->b[i] += e * kb;
        }
    }
}

/* Weighted sums over the weight sum, interleaved into rgb. The largest term
 * is exactly exp(0) = 1, so the largest weight is 1 / sum, and sum >= 1. */
FIELD_INLINE void softmax_finish(const field_block *restrict b, int count, float *restrict rgb,
                                 float *restrict max_weight)
{
    for (int i = 0; i < count; i++) {
        float inv = 1.0f / b->sum[i];
        rgb[3 * i + 0] = b->r[i] * inv;
        rgb[3 * i + 1] = b->g[i] * inv;
        rgb[3 * i + 2] = b->b[i] * inv;
    }
    if (!max_weight)
        return;
    for (int i = 0; i < count; i++)
        max_weight[i] = 1.0f / b->sum[i];
}

FIELD_INLINE void softmax_block(sk_kernel_kind kind, const field_plan *plan, field_block *b,
                                int count, float *rgb, float *max_weight)
{
    top_pass(kind, plan, b, count);
    exp_pass(kind, plan, b, count);
    softmax_finish(b, count, rgb, max_weight);
}

/* ---- Compact kernels: one pass, no exp ------------------------------- */

/* Within this relative distance of the edge of reach, sqrt here and hypot in
 * sk_attention_weights can disagree on whether a key is reached (boxcar), or
 * on a kernel value that is all rounding error (epanechnikov, ~1e-16 / K):
 * such samples are redone by the reference. Outside it, K >= 2e-6 and its
 * relative error from that ulp is below 1e-10. */
#define COMPACT_EDGE 1e-6

/* The kernel value (epanechnikov (1 - r)(1 + r), boxcar 1; 0 beyond r = 1)
 * at r = |q - k| / sigma, as sk_attention_weights computes it; *edge is set
 * to 1 when the key is at the edge of reach. */
FIELD_INLINE float compact_of(sk_kernel_kind kind, double r, float *edge)
{
    double off = r - 1.0;
    *edge = (off < COMPACT_EDGE && off > -COMPACT_EDGE) ? 1.0f : *edge;
    double v = kind == SK_KERNEL_BOXCAR ? 1.0 : (1.0 - r) * (1.0 + r);
    return r < 1.0 ? (float)v : 0.0f;
}

FIELD_INLINE void compact_pass(sk_kernel_kind kind, const field_plan *plan, field_block *restrict b,
                               int count)
{
    for (int i = 0; i < count; i++)
        b->sum[i] = b->r[i] = b->g[i] = b->b[i] = b->peak[i] = b->edge[i] = 0.0f;
    const double sigma = plan->kernel->bandwidth;
    for (size_t k = 0; k < plan->n; k++) {
        const double kx = plan->kx[k], ky = plan->ky[k];
        const float kr = plan->kr[k], kg = plan->kg[k], kb = plan->kb[k];
        for (int i = 0; i < count; i++) {
            double dx = b->qx[i] - kx, dy = b->qy[i] - ky;
            float v = compact_of(kind, sqrt(dx * dx + dy * dy) / sigma, &b->edge[i]);
            b->sum[i] += v;
            b->r[i] += v * kr;
            b->g[i] += v * kg;
            b->b[i] += v * kb;
            b->peak[i] = v > b->peak[i] ? v : b->peak[i];
        }
    }
}

/* Sums over the weight sum; where no key is within reach the sum is 0 and so
 * is every output (no 0 / 0). */
FIELD_INLINE void compact_finish(const field_block *restrict b, int count, float *restrict rgb,
                                 float *restrict max_weight)
{
    for (int i = 0; i < count; i++) {
        float inv = b->sum[i] > 0.0f ? 1.0f / b->sum[i] : 0.0f;
        rgb[3 * i + 0] = b->r[i] * inv;
        rgb[3 * i + 1] = b->g[i] * inv;
        rgb[3 * i + 2] = b->b[i] * inv;
    }
    if (!max_weight)
        return;
    for (int i = 0; i < count; i++)
        max_weight[i] = b->sum[i] > 0.0f ? b->peak[i] / b->sum[i] : 0.0f;
}

FIELD_INLINE void compact_block(sk_kernel_kind kind, const field_plan *plan, field_block *b,
                                int count, float *rgb, float *max_weight)
{
    compact_pass(kind, plan, b, count);
    compact_finish(b, count, rgb, max_weight);
}

/* ---- One clone set per kernel, in a table ---------------------------- */

typedef void (*block_fn)(const field_plan *plan, field_block *b, int count, float *rgb,
                         float *max_weight);

FIELD_CLONES static void block_gaussian(const field_plan *plan, field_block *b, int count,
                                        float *rgb, float *max_weight)
{
    softmax_block(SK_KERNEL_GAUSSIAN, plan, b, count, rgb, max_weight);
}

FIELD_CLONES static void block_laplacian(const field_plan *plan, field_block *b, int count,
                                         float *rgb, float *max_weight)
{
    softmax_block(SK_KERNEL_LAPLACIAN, plan, b, count, rgb, max_weight);
}

/* Dot, and cosine (the dot product of the unit vectors block_fill made). */
FIELD_CLONES static void block_dot(const field_plan *plan, field_block *b, int count, float *rgb,
                                   float *max_weight)
{
    softmax_block(SK_KERNEL_DOT, plan, b, count, rgb, max_weight);
}

FIELD_CLONES static void block_epanechnikov(const field_plan *plan, field_block *b, int count,
                                            float *rgb, float *max_weight)
{
    compact_block(SK_KERNEL_EPANECHNIKOV, plan, b, count, rgb, max_weight);
}

FIELD_CLONES static void block_boxcar(const field_plan *plan, field_block *b, int count, float *rgb,
                                      float *max_weight)
{
    compact_block(SK_KERNEL_BOXCAR, plan, b, count, rgb, max_weight);
}

/* NULL: the kernel takes the scalar path (sk_field_eval_reference). */
static const block_fn block_table[SK_KERNEL_COUNT] = {
    [SK_KERNEL_GAUSSIAN] = block_gaussian,
    [SK_KERNEL_DOT] = block_dot,
    [SK_KERNEL_COSINE] = block_dot,
    [SK_KERNEL_LAPLACIAN] = block_laplacian,
    [SK_KERNEL_EPANECHNIKOV] = block_epanechnikov,
    [SK_KERNEL_BOXCAR] = block_boxcar,
};

/* ---- Driving the blocks, and the reference ---------------------------- */

/* Clamps [row_begin, row_end) to the grid; false when nothing is left. */
static bool clamp_rows(const sk_field_grid *grid, int *row_begin, int *row_end)
{
    if (*row_begin < 0)
        *row_begin = 0;
    if (*row_end > grid->height)
        *row_end = grid->height;
    return grid->width > 0 && *row_begin < *row_end;
}

/* Zero output for every sample of the rows: there are no keys. */
static void zero_rows(const sk_field_grid *grid, int row_begin, int row_end, float *rgb,
                      float *max_weight)
{
    size_t first = (size_t)row_begin * (size_t)grid->width;
    size_t count = (size_t)(row_end - row_begin) * (size_t)grid->width;
    memset(rgb + 3 * first, 0, 3 * count * sizeof *rgb);
    if (max_weight)
        memset(max_weight + first, 0, count * sizeof *max_weight);
}

/* One sample the reference's way: weights in double, then the blend. */
static void reference_sample(const sk_kernel *kernel, sk_vec2 q, const sk_vec2 *keys,
                             const double *linear, size_t n, double *weights, double *scratch,
                             float *rgb, float *max_weight)
{
    double r = 0.0, g = 0.0, b = 0.0, top = 0.0;
    if (n > 0 && sk_attention_weights(kernel, q, keys, n, weights, scratch)) {
        for (size_t i = 0; i < n; i++) {
            r += weights[i] * linear[3 * i + 0];
            g += weights[i] * linear[3 * i + 1];
            b += weights[i] * linear[3 * i + 2];
            top = weights[i] > top ? weights[i] : top;
        }
    }
    rgb[0] = (float)r;
    rgb[1] = (float)g;
    rgb[2] = (float)b;
    if (max_weight)
        *max_weight = (float)top;
}

/* Samples of a compact kernel at the edge of some key's reach, redone. */
static void redo_edges(const field_plan *plan, const field_block *b, const sk_field_grid *grid,
                       int j, int i0, int count, float *rgb, float *max_weight)
{
    for (int i = 0; i < count; i++) {
        if (!(b->edge[i] > 0.0f))
            continue;
        sk_vec2 q = grid_point(grid, i0 + i, j);
        reference_sample(plan->kernel, q, plan->keys, plan->linear, plan->n, plan->weights,
                         plan->scratch, rgb + 3 * i, max_weight ? max_weight + i : NULL);
    }
}

static void eval_rows(const field_plan *plan, block_fn fn, field_block *block,
                      const sk_field_grid *grid, int row_begin, int row_end, float *rgb,
                      float *max_weight)
{
    for (int j = row_begin; j < row_end; j++) {
        for (int i0 = 0; i0 < grid->width; i0 += FIELD_BLOCK) {
            int count = grid->width - i0 < FIELD_BLOCK ? grid->width - i0 : FIELD_BLOCK;
            size_t at = (size_t)j * (size_t)grid->width + (size_t)i0;
            float *mw = max_weight ? max_weight + at : NULL;
            block_fill(plan, grid, j, i0, count, block);
            fn(plan, block, count, rgb + 3 * at, mw);
            if (plan->compact)
                redo_edges(plan, block, grid, j, i0, count, rgb + 3 * at, mw);
        }
    }
}

bool sk_field_eval(const sk_kernel *kernel, const sk_vec2 *keys, const sk_rgb *values, size_t n,
                   const sk_field_grid *grid, int row_begin, int row_end, float *rgb,
                   float *max_weight)
{
    block_fn fn = (unsigned)kernel->kind < SK_KERNEL_COUNT ? block_table[kernel->kind] : NULL;
    /* The key bias (a per-key constant the blocks do not carry) takes the
     * scalar path too: it is for the equivalence scene, not for speed. */
    bool biased = kernel->kind == SK_KERNEL_DOT && kernel->key_bias;
    if (!fn || biased)
        return sk_field_eval_reference(kernel, keys, values, n, grid, row_begin, row_end, rgb,
                                       max_weight);
    if (!clamp_rows(grid, &row_begin, &row_end))
        return true;
    if (n == 0) {
        zero_rows(grid, row_begin, row_end, rgb, max_weight);
        return true;
    }
    field_plan plan;
    if (!plan_init(&plan, kernel, keys, values, n))
        return false;
    field_block *block = aligned_alloc(64, sizeof *block);
    if (block)
        eval_rows(&plan, fn, block, grid, row_begin, row_end, rgb, max_weight);
    free(block);
    plan_free(&plan);
    return block != NULL;
}

bool sk_field_eval_reference(const sk_kernel *kernel, const sk_vec2 *keys, const sk_rgb *values,
                             size_t n, const sk_field_grid *grid, int row_begin, int row_end,
                             float *rgb, float *max_weight)
{
    if (!clamp_rows(grid, &row_begin, &row_end))
        return true;
    if (n > SIZE_MAX / (3 * sizeof(double)))
        return false;             /* the tables' sizes would not fit in a size_t */
    size_t count = n > 0 ? n : 1; /* malloc(0) may return NULL */
    double *weights = malloc(count * sizeof *weights);
    double *scratch = malloc(count * sizeof *scratch);
    double *linear = malloc(3 * count * sizeof *linear);
    bool ok = weights && scratch && linear;
    for (size_t i = 0; ok && i < n; i++) {
        linear[3 * i + 0] = sk_srgb_to_linear(values[i].r);
        linear[3 * i + 1] = sk_srgb_to_linear(values[i].g);
        linear[3 * i + 2] = sk_srgb_to_linear(values[i].b);
    }
    for (int j = row_begin; ok && j < row_end; j++) {
        for (int i = 0; i < grid->width; i++) {
            size_t at = (size_t)j * (size_t)grid->width + (size_t)i;
            reference_sample(kernel, grid_point(grid, i, j), keys, linear, n, weights, scratch,
                             rgb + 3 * at, max_weight ? max_weight + at : NULL);
        }
    }
    free(linear);
    free(scratch);
    free(weights);
    return ok;
}
