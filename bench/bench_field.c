/* bench_field — milliseconds per 1920x1080 frame of the field, vectorised
 * (sk_field_eval) against the scalar double reference
 * (sk_field_eval_reference), gaussian with 16 and 256 keys, on 1 and 2
 * threads (rows split in halves). Prints figures only; asserts nothing.
 *
 * The reference is slow: where timing the whole frame would take long, it
 * times a band of rows and scales up to the frame, and says so. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/core.h"

#define WIDTH 1920
#define HEIGHT 1080
#define RUNS 5           /* best of */
#define REFERENCE_RUNS 2 /* best of, for the (slow) reference */
#define MAX_THREADS 2
/* Reference timing budget: rows timed = this many sample-key pairs / keys per
 * row, so that one reference run takes a second or so. */
#define REFERENCE_PAIRS 40000000.0

typedef bool (*field_fn)(const sk_kernel *, const sk_vec2 *, const sk_rgb *, size_t,
                         const sk_field_grid *, int, int, float *, float *);

typedef struct job {
    field_fn fn;
    const sk_kernel *kernel;
    const sk_vec2 *keys;
    const sk_rgb *values;
    size_t n;
    const sk_field_grid *grid;
    int row_begin, row_end;
    float *rgb, *max_weight;
    bool ok;
} job;

static void *run_job(void *arg)
{
    job *j = arg;
    j->ok = j->fn(j->kernel, j->keys, j->values, j->n, j->grid, j->row_begin, j->row_end, j->rgb,
                  j->max_weight);
    return NULL;
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Seconds for rows [0, rows) split across `threads` threads; -1 on failure. */
static double time_rows(job base, int rows, int threads)
{
    job jobs[MAX_THREADS];
    pthread_t ids[MAX_THREADS];
    double start = now_seconds();
    for (int t = 0; t < threads; t++) {
        jobs[t] = base;
        jobs[t].row_begin = rows * t / threads;
        jobs[t].row_end = rows * (t + 1) / threads;
        if (t > 0 && pthread_create(&ids[t], NULL, run_job, &jobs[t]) != 0)
            return -1.0;
    }
    run_job(&jobs[0]);
    for (int t = 1; t < threads; t++)
        pthread_join(ids[t], NULL);
    double elapsed = now_seconds() - start;
    for (int t = 0; t < threads; t++)
        if (!jobs[t].ok)
            return -1.0;
    return elapsed;
}

/* Best of `runs`, in milliseconds per whole frame. */
static double ms_per_frame(job base, int rows, int threads, int runs)
{
    double best = INFINITY;
    for (int r = 0; r < runs; r++) {
        double s = time_rows(base, rows, threads);
        if (s < 0.0)
            return NAN;
        best = fmin(best, s);
    }
    return 1e3 * best * HEIGHT / rows;
}

/* Largest difference between the two paths over rows [0, rows). */
static double max_difference(const float *a, const float *b, int rows)
{
    double worst = 0.0;
    for (size_t i = 0; i < (size_t)rows * WIDTH * 3; i++)
        worst = fmax(worst, fabs((double)a[i] - b[i]));
    return worst;
}

static uint64_t next_random(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005u + 1442695040888963407u;
    return *seed >> 11;
}

static double uniform(uint64_t *seed, double lo, double hi)
{
    return lo + (hi - lo) * (double)next_random(seed) * 0x1.0p-53;
}

static int bench_keys(size_t n, float *fast, float *reference, float *max_weight)
{
    uint64_t seed = n;
    sk_vec2 *keys = malloc(n * sizeof *keys);
    sk_rgb *values = malloc(n * sizeof *values);
    if (!keys || !values) {
        free(keys);
        free(values);
        return 1;
    }
    for (size_t i = 0; i < n; i++) {
        keys[i] = (sk_vec2){uniform(&seed, -8, 8), uniform(&seed, -4.5, 4.5)};
        values[i] = (sk_rgb){uniform(&seed, 0, 1), uniform(&seed, 0, 1), uniform(&seed, 0, 1)};
    }
    /* A 16:9 view of [-8, 8] x [-4.5, 4.5], one sample per pixel centre. */
    const sk_field_grid grid = {WIDTH,        HEIGHT,      -8.0 + 8.0 / WIDTH, 4.5 - 4.5 / HEIGHT,
                                16.0 / WIDTH, 9.0 / HEIGHT};
    sk_kernel kernel = sk_kernel_default(SK_KERNEL_GAUSSIAN);
    kernel.bandwidth = 1.0;
    job base = {sk_field_eval, &kernel, keys, values, n, &grid, 0, 0, fast, max_weight, false};
    job ref = base;
    ref.fn = sk_field_eval_reference;
    ref.rgb = reference;
    int ref_rows = (int)fmin(HEIGHT, REFERENCE_PAIRS / ((double)WIDTH * (double)n));

    for (int threads = 1; threads <= MAX_THREADS; threads++)
        printf("%5zu  %-22s %7d  %10.2f\n", n, "vectorised (float)", threads,
               ms_per_frame(base, HEIGHT, threads, RUNS));
    for (int threads = 1; threads <= MAX_THREADS; threads++) {
        double ms = ms_per_frame(ref, ref_rows, threads, REFERENCE_RUNS);
        if (ref_rows < HEIGHT)
            printf("%5zu  %-22s %7d  %10.1f  (%d of %d rows timed, scaled to the frame)\n", n,
                   "reference (double)", threads, ms, ref_rows, HEIGHT);
        else
            printf("%5zu  %-22s %7d  %10.1f\n", n, "reference (double)", threads, ms);
    }
    printf("%5zu  max |vectorised - reference| over the rows both ran: %.3g\n", n,
           max_difference(fast, reference, ref_rows));
    free(keys);
    free(values);
    return 0;
}

int main(void)
{
    size_t samples = (size_t)WIDTH * HEIGHT;
    float *fast = malloc(3 * samples * sizeof *fast);
    float *reference = malloc(3 * samples * sizeof *reference);
    float *max_weight = malloc(samples * sizeof *max_weight);
    int status = 1;
    if (fast && reference && max_weight) {
        printf("bench_field: %dx%d samples, gaussian sigma 1, keys uniform in the view;\n"
               "ms per frame, best of %d runs (reference: best of %d)\n",
               WIDTH, HEIGHT, RUNS, REFERENCE_RUNS);
#if defined(__GNUC__) && defined(__x86_64__)
        printf("cpu: avx2 %s, fma %s, avx512f %s\n", __builtin_cpu_supports("avx2") ? "yes" : "no",
               __builtin_cpu_supports("fma") ? "yes" : "no",
               __builtin_cpu_supports("avx512f") ? "yes" : "no");
#endif
        printf("%5s  %-22s %7s  %10s\n", "keys", "path", "threads", "ms/frame");
        status = bench_keys(16, fast, reference, max_weight) ||
                 bench_keys(256, fast, reference, max_weight);
    }
    free(fast);
    free(reference);
    free(max_weight);
    return status;
}
