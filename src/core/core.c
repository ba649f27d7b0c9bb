#include "core.h"

#include <math.h>
#include <string.h>

/* The dimension d of the query and key vectors in the 2-D scenes. */
#define SK_DIMENSION 2.0

/* One row per kernel: its scene-file name and how it scores a key. */
typedef struct kernel_row {
    const char *name;
    double (*score)(sk_vec2 q, sk_vec2 k);
    double (*scale)(const sk_kernel *kernel);
} kernel_row;

static double score_gaussian(sk_vec2 q, sk_vec2 k)
{
    double dx = q.x - k.x, dy = q.y - k.y;
    return -(dx * dx + dy * dy);
}

static double scale_gaussian(const sk_kernel *kernel)
{
    return 2.0 * kernel->bandwidth * kernel->bandwidth;
}

static double score_dot(sk_vec2 q, sk_vec2 k)
{
    return q.x * k.x + q.y * k.y;
}

static double scale_dot(const sk_kernel *kernel)
{
    return sqrt(SK_DIMENSION) * kernel->temperature;
}

static const kernel_row kernel_table[SK_KERNEL_COUNT] = {
    [SK_KERNEL_GAUSSIAN] = {"gaussian", score_gaussian, scale_gaussian},
    [SK_KERNEL_DOT] = {"dot", score_dot, scale_dot},
};

const char *sk_kernel_name(sk_kernel_kind kind)
{
    if ((unsigned)kind >= SK_KERNEL_COUNT)
        return NULL;
    return kernel_table[kind].name;
}

bool sk_kernel_from_name(const char *name, sk_kernel_kind *kind)
{
    for (int i = 0; i < SK_KERNEL_COUNT; i++) {
        if (strcmp(name, kernel_table[i].name) == 0) {
            *kind = (sk_kernel_kind)i;
            return true;
        }
    }
    return false;
}

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

void sk_attention_weights(const sk_kernel *kernel, sk_vec2 q, const sk_vec2 *keys, size_t n,
                          double *weights)
{
    const kernel_row *row = &kernel_table[kernel->kind];
    for (size_t i = 0; i < n; i++)
        weights[i] = row->score(q, keys[i]);
    sk_softmax_scaled(weights, n, row->scale(kernel), weights);
}

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
