/* views.c — the arithmetic of the regression1d and matrix views (views.h). */
#include "views.h"

#include <math.h>

/* Frames sampled at most when finding the x range the query has covered. */
#define COVERED_SAMPLES 4096

int64_t sk_matrix_row_frame(int row, int rows, int64_t frame_count)
{
    if (rows <= 1 || frame_count <= 1)
        return 0;
    row = row < 0 ? 0 : (row >= rows ? rows - 1 : row);
    return llround((double)row * (double)(frame_count - 1) / (double)(rows - 1));
}

int sk_matrix_current_row(int64_t frame, int rows, int64_t frame_count)
{
    int row = 0;
    while (row + 1 < rows && sk_matrix_row_frame(row + 1, rows, frame_count) <= frame)
        row++;
    return row;
}

bool sk_regression_estimate(const sk_kernel *kernel, const sk_vec2 *keys, const double *ys,
                            size_t n, double x, double *weights, double *scratch, double *out)
{
    if (!sk_attention_weights(kernel, (sk_vec2){x, 0.0}, keys, n, weights, scratch))
        return false;
    *out = sk_blend_scalar(weights, ys, n);
    return true;
}

void sk_regression_covered(const sk_timeline *timeline, int64_t frame, double *x0, double *x1)
{
    sk_frame_state state;
    sk_timeline_state_at(timeline, frame, &state);
    *x0 = *x1 = state.query.x;
    int64_t step = frame / COVERED_SAMPLES + 1;
    for (int64_t f = 0; f < frame; f += step) {
        sk_timeline_state_at(timeline, f, &state);
        *x0 = fmin(*x0, state.query.x);
        *x1 = fmax(*x1, state.query.x);
    }
}
