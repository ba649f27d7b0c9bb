/* views.h — the pure arithmetic behind the regression1d and matrix views,
 * apart from their drawing so that tests can check it by hand. */
#ifndef SK_DRAW_VIEWS_H
#define SK_DRAW_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/core.h"
#include "../timeline/timeline.h"

/* The frame of row `row` (0-based) of a matrix of `rows` rows spread evenly
 * over frame_count frames: the first row at frame 0, the last at the last
 * frame, the others rounded to the nearest frame between them. One row is
 * frame 0. */
int64_t sk_matrix_row_frame(int row, int rows, int64_t frame_count);

/* The row whose frame is the latest at or before `frame`: the query's
 * current row (rows after it are still to come). */
int sk_matrix_current_row(int64_t frame, int rows, int64_t frame_count);

/* The Nadaraya–Watson estimate at x of samples at xs (on the x axis) with
 * values ys: the kernel's weights of the query (x, 0) over the keys
 * (xs[i], 0), from sk_attention_weights, times ys. keys must hold the n
 * samples as points (x, 0); weights n doubles; scratch n doubles (knn,
 * topk). Returns false when a compact kernel reaches no sample (then *out is
 * left alone). */
bool sk_regression_estimate(const sk_kernel *kernel, const sk_vec2 *keys, const double *ys,
                            size_t n, double x, double *weights, double *scratch, double *out);

/* The smallest and largest x the query has reached from frame 0 up to and
 * including `frame`, every frame sampled (at most ~4096 evenly spaced ones). */
void sk_regression_covered(const sk_timeline *timeline, int64_t frame, double *x0, double *x1);

#endif
