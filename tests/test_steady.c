/* Unit tests of sk_steady_choices: small cases worked out by hand, and
 * random ones checked against an exhaustive search over every sequence of
 * choices (an independent way to the same optimum). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define MAX_FRAMES 16

static void assert_choices(const unsigned char *got, const unsigned char *want, size_t frames)
{
    for (size_t f = 0; f < frames; f++)
        if (got[f] != want[f])
            fail_msg("frame %zu: expected option %d, got %d", f, want[f], got[f]);
}

/* The shortest run of one choice in a sequence. */
static size_t shortest_run(const unsigned char *choice, size_t frames)
{
    size_t shortest = frames, run = 1;
    for (size_t f = 1; f <= frames; f++) {
        if (f < frames && choice[f] == choice[f - 1]) {
            run++;
            continue;
        }
        if (run < shortest)
            shortest = run;
        run = 1;
    }
    return shortest;
}

static double total_cost(const double *cost, const unsigned char *choice, size_t frames,
                         int options, double switch_cost)
{
    double total = 0.0;
    for (size_t f = 0; f < frames; f++) {
        double c = cost[f * (size_t)options + choice[f]];
        total += isfinite(c) ? c : SK_STEADY_BLOCKED;
        if (f > 0 && choice[f] != choice[f - 1])
            total += switch_cost;
    }
    return total;
}

/* Nothing is covered anywhere: the first option, throughout. */
static void test_free_everywhere_keeps_the_first(void **state)
{
    (void)state;
    double cost[10 * 4] = {0};
    unsigned char got[10], want[10] = {0};
    memset(got, 9, sizeof got);
    assert_true(sk_steady_choices(cost, 10, 4, 3, 1.0, got));
    assert_choices(got, want, 10);
}

/* Option 0 is covered (4) in frame 4 only; option 1 costs 1 in every frame.
 * Frame by frame that is a one-frame hop to option 1. Held for the minimum
 * 3 frames it would cost 3 + two switches of 1 = 5 > 4: stay. */
static void test_a_blip_is_sat_out(void **state)
{
    (void)state;
    double cost[10 * 2];
    for (int f = 0; f < 10; f++) {
        cost[2 * f] = f == 4 ? 4.0 : 0.0;
        cost[2 * f + 1] = 1.0;
    }
    unsigned char got[10], want[10] = {0};
    assert_true(sk_steady_choices(cost, 10, 2, 3, 1.0, got));
    assert_choices(got, want, 10);
}

/* Option 0 costs 10 in frames 3..8: moving to option 1 (cost 1) for those
 * six frames costs 6 + 2 x 2 = 10, staying 60. */
static void test_a_lasting_cover_is_left(void **state)
{
    (void)state;
    double cost[12 * 2];
    for (int f = 0; f < 12; f++) {
        cost[2 * f] = f >= 3 && f <= 8 ? 10.0 : 0.0;
        cost[2 * f + 1] = 1.0;
    }
    unsigned char got[12];
    const unsigned char want[12] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0};
    assert_true(sk_steady_choices(cost, 12, 2, 3, 2.0, got));
    assert_choices(got, want, 12);
}

/* Option 0 costs 10 in frames 0 and 1 only, option 1 costs 1 throughout.
 * The first run must last 3 frames too: 1, 1, 1 then 0 (3 + 0.5), not
 * 1, 1 then 0 (a run of 2), nor 0 throughout (20), nor 1 throughout (8). */
static void test_the_first_run_is_full_too(void **state)
{
    (void)state;
    double cost[8 * 2];
    for (int f = 0; f < 8; f++) {
        cost[2 * f] = f < 2 ? 10.0 : 0.0;
        cost[2 * f + 1] = 1.0;
    }
    unsigned char got[8];
    const unsigned char want[8] = {1, 1, 1, 0, 0, 0, 0, 0};
    assert_true(sk_steady_choices(cost, 8, 2, 3, 0.5, got));
    assert_choices(got, want, 8);
}

/* The same at the end: option 0 costs 10 in the last two frames. */
static void test_the_last_run_is_full_too(void **state)
{
    (void)state;
    double cost[8 * 2];
    for (int f = 0; f < 8; f++) {
        cost[2 * f] = f >= 6 ? 10.0 : 0.0;
        cost[2 * f + 1] = 1.0;
    }
    unsigned char got[8];
    const unsigned char want[8] = {0, 0, 0, 0, 0, 1, 1, 1};
    assert_true(sk_steady_choices(cost, 8, 2, 3, 0.5, got));
    assert_choices(got, want, 8);
}

/* Fewer frames than a run: one option, the cheaper in total (3 vs 2). */
static void test_short_timelines_take_one_option(void **state)
{
    (void)state;
    const double cost[2 * 2] = {3.0, 1.0, 0.0, 1.0};
    unsigned char got[2];
    const unsigned char want[2] = {1, 1};
    assert_true(sk_steady_choices(cost, 2, 2, 5, 1.0, got));
    assert_choices(got, want, 2);
}

/* With runs of 1 and free switches it is the frame-by-frame cheapest, ties
 * to the lower option. */
static void test_min_run_one_is_frame_by_frame(void **state)
{
    (void)state;
    const double cost[5 * 3] = {2, 1, 3, 0, 1, 1, 5, 4, 1, 1, 1, 0, 7, 7, 9};
    unsigned char got[5];
    const unsigned char want[5] = {1, 0, 2, 2, 0};
    assert_true(sk_steady_choices(cost, 5, 3, 1, 0.0, got));
    assert_choices(got, want, 5);
}

/* An infinite cost is a blocked place: frame 2 must not be on option 0, so
 * option 1 (cost 1) covers it for 2 frames, 1-2 or 2-3 (2 + 2 x 0.1). */
static void test_blocked_places_are_avoided(void **state)
{
    (void)state;
    double cost[6 * 2];
    for (int f = 0; f < 6; f++) {
        cost[2 * f] = f == 2 ? INFINITY : 0.0;
        cost[2 * f + 1] = 1.0;
    }
    unsigned char got[6];
    assert_true(sk_steady_choices(cost, 6, 2, 2, 0.1, got));
    assert_int_equal(got[2], 1);
    assert_true(shortest_run(got, 6) >= 2);
    assert_true(fabs(total_cost(cost, got, 6, 2, 0.1) - 2.2) < 1e-12);
}

/* The best total over every sequence whose runs last min_run frames or
 * more, by trying them all (options^frames of them). */
static double brute_force_best(const double *cost, size_t frames, int options, int min_run,
                               double switch_cost)
{
    unsigned char seq[MAX_FRAMES] = {0};
    double best = INFINITY;
    for (;;) {
        if (frames < (size_t)min_run || shortest_run(seq, frames) >= (size_t)min_run) {
            double total = total_cost(cost, seq, frames, options, switch_cost);
            bool one = frames >= (size_t)min_run || shortest_run(seq, frames) == frames;
            if (one && total < best)
                best = total;
        }
        size_t f = 0;
        while (f < frames && ++seq[f] == options)
            seq[f++] = 0;
        if (f == frames)
            return best;
    }
}

/* Random small cases: the choices keep every run at min_run or longer and
 * cost exactly what the exhaustive search finds best. */
static void test_matches_exhaustive_search(void **state)
{
    (void)state;
    srand(20261128);
    for (int trial = 0; trial < 300; trial++) {
        size_t frames = 1 + (size_t)(rand() % 9);
        int options = 1 + rand() % 3;
        int min_run = 1 + rand() % 4;
        double switch_cost = (rand() % 4) * 0.5;
        double cost[MAX_FRAMES * 3];
        for (size_t i = 0; i < frames * (size_t)options; i++)
            cost[i] = (rand() % 8) * 0.25; /* exact in binary: sums compare exactly */
        unsigned char got[MAX_FRAMES];
        assert_true(sk_steady_choices(cost, frames, options, min_run, switch_cost, got));
        for (size_t f = 0; f < frames; f++)
            assert_true(got[f] < options);
        if (frames >= (size_t)min_run)
            assert_true(shortest_run(got, frames) >= (size_t)min_run);
        else
            assert_int_equal(shortest_run(got, frames), frames);
        double want = brute_force_best(cost, frames, options, min_run, switch_cost);
        double have = total_cost(cost, got, frames, options, switch_cost);
        if (fabs(have - want) > 1e-9)
            fail_msg("trial %d (%zu frames, %d options, runs >= %d, switch %g): cost %g, best %g",
                     trial, frames, options, min_run, switch_cost, have, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_everywhere_keeps_the_first),
        cmocka_unit_test(test_a_blip_is_sat_out),
        cmocka_unit_test(test_a_lasting_cover_is_left),
        cmocka_unit_test(test_the_first_run_is_full_too),
        cmocka_unit_test(test_the_last_run_is_full_too),
        cmocka_unit_test(test_short_timelines_take_one_option),
        cmocka_unit_test(test_min_run_one_is_frame_by_frame),
        cmocka_unit_test(test_blocked_places_are_avoided),
        cmocka_unit_test(test_matches_exhaustive_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
