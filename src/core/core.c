#include "core.h"

#include <math.h>
#include <string.h>

/* The dimension d of the query and key vectors in the 2-D scenes. */
#define SK_DIMENSION 2.0

/* How a kernel turns a query and its keys into weights, in two stages: every
 * key gets a per-key number from `score` (after the projections), written
 * into the weights array, and `finish` turns those numbers into the weights
 * in place. Adding a kernel is one row of kernel_table. */
typedef struct kernel_row kernel_row;
struct kernel_row {
    const char *name;
    unsigned uses; /* SK_USES_* */
    /* softmax kernels: the logit's numerator; compact kernels: the kernel
     * value K >= 0; knn: minus the squared distance (larger = nearer). */
    double (*score)(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel);
    /* softmax kernels: the logit's denominator, > 0; NULL for the others. */
    double (*scale)(const sk_kernel *kernel);
    bool (*finish)(const kernel_row *row, const sk_kernel *kernel, double *w, size_t n,
                   double *scratch);
};

sk_vec2 sk_mat2_apply(sk_mat2 m, sk_vec2 v)
{
    return (sk_vec2){m.a * v.x + m.b * v.y, m.c * v.x + m.d * v.y};
}

/* ---- Scores ------------------------------------------------------------ */

/* Squared distance rather than hypot: exact for small integer coordinates,
 * so keys that are geometrically tied really tie (which knn's tie rule and
 * the closed-form tests rely on). Up to 8e12 for coordinates of 1e6. */
static double score_neg_sq_distance(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel)
{
    (void)kernel;
    double dx = q.x - k.x, dy = q.y - k.y;
    return -(dx * dx + dy * dy);
}

/* hypot: no intermediate overflow or underflow of dx^2 + dy^2. */
static double distance(sk_vec2 q, sk_vec2 k)
{
    return hypot(q.x - k.x, q.y - k.y);
}

static double score_neg_distance(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel)
{
    (void)kernel;
    return -distance(q, k);
}

/* With the key bias, minus half the key's squared norm: what turns the dot
 * product into the Gaussian's -|q-k|^2/2 up to a per-query constant. */
static double score_dot(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel)
{
    double bias = kernel->key_bias ? 0.5 * (k.x * k.x + k.y * k.y) : 0.0;
    return q.x * k.x + q.y * k.y - bias;
}

/* The unit vector along v, or (0, 0) for the zero vector. Dividing by the
 * larger coordinate first keeps hypot's arguments in [-1, 1], so no
 * coordinate magnitude can overflow or underflow the length. */
static sk_vec2 direction(sk_vec2 v)
{
    double m = fmax(fabs(v.x), fabs(v.y));
    if (!(m > 0.0))
        return (sk_vec2){0.0, 0.0};
    double x = v.x / m, y = v.y / m, len = hypot(x, y);
    return (sk_vec2){x / len, y / len};
}

/* cos(q, k) = q.k / (|q||k|), computed as the dot product of the two unit
 * vectors. A zero vector has no direction; its cosine with anything is
 * defined as 0 (as if orthogonal), a neutral finite logit instead of the
 * 0/0 = NaN of the formula. Clamped because rounding can leave |cos| a hair
 * above 1. */
static double score_cosine(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel)
{
    (void)kernel;
    sk_vec2 a = direction(q), b = direction(k);
    return fmin(1.0, fmax(-1.0, a.x * b.x + a.y * b.y));
}

/* max(0, 1 - r^2) with r = |q-k| / sigma, written (1 - r)(1 + r) to keep its
 * precision near the edge. A tiny sigma can make r (or r^2) inf: that is out
 * of reach, K = 0. NaN compares false and lands on 0 too. */
static double score_epanechnikov(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel)
{
    double r = distance(q, k) / kernel->bandwidth;
    return r < 1.0 ? (1.0 - r) * (1.0 + r) : 0.0;
}

/* The boundary is inside: |q-k| == sigma counts. Compared without dividing,
 * so no rounding of d / sigma can move a key across it. */
static double score_boxcar(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel)
{
    return distance(q, k) <= kernel->bandwidth ? 1.0 : 0.0;
}

static double scale_gaussian(const sk_kernel *kernel)
{
    return 2.0 * kernel->bandwidth * kernel->bandwidth;
}

static double scale_bandwidth(const sk_kernel *kernel)
{
    return kernel->bandwidth;
}

/* With the key bias T alone, so that T = sigma^2 gives the Gaussian exactly. */
static double scale_dot(const sk_kernel *kernel)
{
    return kernel->key_bias ? kernel->temperature : sqrt(SK_DIMENSION) * kernel->temperature;
}

static double scale_temperature(const sk_kernel *kernel)
{
    return kernel->temperature;
}

/* topk scores and scales exactly as its base does (defined after the table). */
static double score_base(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel);
static double scale_base(const sk_kernel *kernel);

/* ---- Finishing: per-key numbers -> weights ----------------------------- */

/* "No output": every weight 0. */
static bool no_output(double *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        w[i] = 0.0;
    return false;
}

static bool finish_softmax(const kernel_row *row, const sk_kernel *kernel, double *w, size_t n,
                           double *scratch)
{
    (void)scratch;
    sk_softmax_scaled(w, n, row->scale(kernel), w);
    return n > 0;
}

/* K_i / sum K. K <= 1, so the sum is at most n and cannot overflow; a sum of 0
 * means no key is within reach. */
static bool finish_normalise(const kernel_row *row, const sk_kernel *kernel, double *w, size_t n,
                             double *scratch)
{
    (void)row, (void)kernel, (void)scratch;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    if (!(sum > 0.0))
        return no_output(w, n);
    for (size_t i = 0; i < n; i++)
        w[i] /= sum;
    return true;
}

static void swap(double *a, size_t i, size_t j)
{
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static double median3(double a, double b, double c)
{
    return fmax(fmin(a, b), fmin(fmax(a, b), c));
}

/* The value of rank `rank` (0 = smallest) among a[0..n), reordering a.
 * Quickselect, O(n) on average, with a median-of-three pivot and a three-way
 * partition: keys on a grid give long runs of equal distances, which a
 * two-way partition would turn quadratic. a must hold no NaN. */
static double select_rank(double *a, size_t n, size_t rank)
{
    size_t lo = 0, hi = n; /* the answer lies in a[lo..hi) */
    for (;;) {
        double pivot = median3(a[lo], a[lo + (hi - lo) / 2], a[hi - 1]);
        size_t lt = lo, i = lo, gt = hi; /* < pivot: [lo, lt); == : [lt, gt) */
        while (i < gt) {
            if (a[i] < pivot)
                swap(a, lt++, i++);
            else if (a[i] > pivot)
                swap(a, i, --gt);
            else
                i++;
        }
        if (rank < lt)
            hi = lt;
        else if (rank >= gt)
            lo = gt;
        else
            return pivot; /* the pivot is an element, so [lt, gt) is never empty */
    }
}

/* Which keys a selection kernel keeps: the k largest scores, and at the
 * threshold (the k-th largest) the first ties_left of the keys that equal it
 * in index order, so the lower index wins and exactly k are kept. */
typedef struct keep_rule {
    double threshold;
    size_t ties_left;
} keep_rule;

/* Keys kept by knn and topk: k clamped to [1, n] (k > n means all keys). */
static size_t kept_count(const sk_kernel *kernel, size_t n)
{
    size_t k = kernel->k < 1 ? 1 : (size_t)kernel->k;
    return k < n ? k : n;
}

/* Turns NaN scores into -inf (the least) so that they order, then finds the
 * threshold with a selection over a copy in scratch. Keeping all n needs no
 * selection and leaves scratch untouched. */
static keep_rule keep_rule_make(double *scores, size_t n, size_t k, double *scratch)
{
    for (size_t i = 0; i < n; i++)
        if (isnan(scores[i]))
            scores[i] = -INFINITY;
    if (k >= n)
        return (keep_rule){-INFINITY, n};
    memcpy(scratch, scores, n * sizeof *scratch);
    keep_rule rule = {select_rank(scratch, n, n - k), k};
    for (size_t i = 0; i < n; i++)
        rule.ties_left -= scores[i] > rule.threshold; /* fewer than k are above it */
    return rule;
}

/* Call once per key, in index order. */
static bool keep_rule_take(keep_rule *rule, double score)
{
    if (score > rule->threshold)
        return true;
    if (score == rule->threshold && rule->ties_left > 0) {
        rule->ties_left--;
        return true;
    }
    return false;
}

static bool finish_knn(const kernel_row *row, const sk_kernel *kernel, double *w, size_t n,
                       double *scratch)
{
    (void)row;
    if (n == 0)
        return false;
    size_t k = kept_count(kernel, n);
    keep_rule rule = keep_rule_make(w, n, k, scratch);
    for (size_t i = 0; i < n; i++)
        w[i] = keep_rule_take(&rule, w[i]) ? 1.0 / (double)k : 0.0;
    return true;
}

/* The kept scores are packed into scratch and softmaxed there, so that the
 * others take no part at all (not even in the all -inf uniform case), then
 * scattered back by replaying the same rule. */
static bool finish_topk(const kernel_row *row, const sk_kernel *kernel, double *w, size_t n,
                        double *scratch)
{
    if (n == 0)
        return false;
    size_t k = kept_count(kernel, n), packed = 0;
    keep_rule rule = keep_rule_make(w, n, k, scratch), replay = rule;
    for (size_t i = 0; i < n; i++)
        if (keep_rule_take(&rule, w[i]))
            scratch[packed++] = w[i];
    sk_softmax_scaled(scratch, k, row->scale(kernel), scratch);
    packed = 0;
    for (size_t i = 0; i < n; i++)
        w[i] = keep_rule_take(&replay, w[i]) ? scratch[packed++] : 0.0;
    return true;
}

/* ---- The table --------------------------------------------------------- */

static const kernel_row kernel_table[SK_KERNEL_COUNT] = {
    [SK_KERNEL_GAUSSIAN] = {"gaussian", SK_USES_BANDWIDTH, score_neg_sq_distance, scale_gaussian,
                            finish_softmax},
    [SK_KERNEL_DOT] = {"dot", SK_USES_TEMPERATURE | SK_USES_BIAS, score_dot, scale_dot,
                       finish_softmax},
    [SK_KERNEL_COSINE] = {"cosine", SK_USES_TEMPERATURE, score_cosine, scale_temperature,
                          finish_softmax},
    [SK_KERNEL_LAPLACIAN] = {"laplacian", SK_USES_BANDWIDTH, score_neg_distance, scale_bandwidth,
                             finish_softmax},
    [SK_KERNEL_EPANECHNIKOV] = {"epanechnikov", SK_USES_BANDWIDTH, score_epanechnikov, NULL,
                                finish_normalise},
    [SK_KERNEL_BOXCAR] = {"boxcar", SK_USES_BANDWIDTH, score_boxcar, NULL, finish_normalise},
    [SK_KERNEL_KNN] = {"knn", SK_USES_K, score_neg_sq_distance, NULL, finish_knn},
    [SK_KERNEL_TOPK] = {"topk", SK_USES_K | SK_USES_BASE, score_base, scale_base, finish_topk},
};

static bool kind_valid(sk_kernel_kind kind)
{
    return (unsigned)kind < SK_KERNEL_COUNT;
}

bool sk_kernel_is_softmax(sk_kernel_kind kind)
{
    return kind_valid(kind) && kernel_table[kind].finish == finish_softmax;
}

/* topk's base row. A base that is not a softmax kernel breaks the contract
 * (the scene loader rejects it); falling back to the default base, gaussian,
 * keeps the weights defined and rules out topk recursing into itself. */
static const kernel_row *base_row(const sk_kernel *kernel)
{
    sk_kernel_kind base = sk_kernel_is_softmax(kernel->base) ? kernel->base : SK_KERNEL_GAUSSIAN;
    return &kernel_table[base];
}

static double score_base(sk_vec2 q, sk_vec2 k, const sk_kernel *kernel)
{
    return base_row(kernel)->score(q, k, kernel);
}

static double scale_base(const sk_kernel *kernel)
{
    return base_row(kernel)->scale(kernel);
}

unsigned sk_kernel_parameters(const sk_kernel *kernel)
{
    unsigned uses = sk_kernel_uses(kernel->kind);
    return uses & SK_USES_BASE ? uses | sk_kernel_uses(kernel->base) : uses;
}

sk_vec2 sk_project_query(const sk_kernel *kernel, sk_vec2 q)
{
    return kernel->projected ? sk_mat2_apply(kernel->w_q, q) : q;
}

sk_vec2 sk_project_key(const sk_kernel *kernel, sk_vec2 k)
{
    return kernel->projected ? sk_mat2_apply(kernel->w_k, k) : k;
}

sk_kernel sk_kernel_default(sk_kernel_kind kind)
{
    return (sk_kernel){
        kind, 1.0, 1.0, 1, SK_KERNEL_GAUSSIAN, false, false, SK_MAT2_IDENTITY, SK_MAT2_IDENTITY};
}

const char *sk_kernel_name(sk_kernel_kind kind)
{
    return kind_valid(kind) ? kernel_table[kind].name : NULL;
}

bool sk_kernel_from_name(const char *name, sk_kernel_kind *kind)
{
    for (int i = 0; name && i < SK_KERNEL_COUNT; i++) {
        if (strcmp(name, kernel_table[i].name) == 0) {
            *kind = (sk_kernel_kind)i;
            return true;
        }
    }
    return false;
}

unsigned sk_kernel_uses(sk_kernel_kind kind)
{
    return kind_valid(kind) ? kernel_table[kind].uses : 0;
}

/* ---- Weights ----------------------------------------------------------- */

void sk_softmax_scaled(const double *scores, size_t n, double scale, double *weights)
{
    if (n == 0)
        return;
    double max = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (scores[i] > max) /* false for NaN, so NaN counts as -inf */
            max = scores[i];

    /* Degenerate cases where (s - max) would be inf - inf: share equally among
     * the +inf scores, or among all when every score is -inf. */
    if (isinf(max)) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            count += (max < 0 || scores[i] == max);
        for (size_t i = 0; i < n; i++)
            weights[i] = (max < 0 || scores[i] == max) ? 1.0 / (double)count : 0.0;
        return;
    }

    /* (s - max) <= 0 before dividing: exp never overflows, and the largest
     * term is exactly exp(0) = 1, so the sum is in [1, n]. A zero difference
     * stays 0 even when scale underflowed to 0 (0/0 would be NaN). */
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        double diff = scores[i] > -INFINITY ? scores[i] - max : -INFINITY;
        double z = diff == 0.0 ? 0.0 : diff / scale;
        weights[i] = exp(z);
        sum += weights[i];
    }
    for (size_t i = 0; i < n; i++)
        weights[i] /= sum;
}

/* n == 0 returns false: there is nothing to blend, the weights sum to 0. */
bool sk_attention_weights(const sk_kernel *kernel, sk_vec2 q, const sk_vec2 *keys, size_t n,
                          double *weights, double *scratch)
{
    if (!kind_valid(kernel->kind))
        return no_output(weights, n);
    const kernel_row *row = &kernel_table[kernel->kind];
    sk_vec2 projected = sk_project_query(kernel, q);
    for (size_t i = 0; i < n; i++)
        weights[i] = row->score(projected, sk_project_key(kernel, keys[i]), kernel);
    return row->finish(row, kernel, weights, n, scratch);
}

/* ---- Colour and statistics --------------------------------------------- */

double sk_srgb_to_linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double sk_linear_to_srgb(double c)
{
    if (c <= 0.0)
        return 0.0;
    if (c >= 1.0)
        return 1.0;
    return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1.0 / 2.4) - 0.055;
}

sk_rgb sk_blend_srgb(const double *weights, const sk_rgb *values, size_t n)
{
    double r = 0.0, g = 0.0, b = 0.0;
    for (size_t i = 0; i < n; i++) {
        r += weights[i] * sk_srgb_to_linear(values[i].r);
        g += weights[i] * sk_srgb_to_linear(values[i].g);
        b += weights[i] * sk_srgb_to_linear(values[i].b);
    }
    return (sk_rgb){sk_linear_to_srgb(r), sk_linear_to_srgb(g), sk_linear_to_srgb(b)};
}

double sk_blend_scalar(const double *weights, const double *values, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += weights[i] * values[i];
    return sum;
}

/* Starts from +0 and subtracts, so a one-hot distribution gives +0, not -0. */
double sk_entropy(const double *weights, size_t n)
{
    double h = 0.0;
    for (size_t i = 0; i < n; i++)
        if (weights[i] > 0.0)
            h -= weights[i] * log(weights[i]);
    return h;
}
