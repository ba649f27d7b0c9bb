/* steady.c — a choice per frame that holds still (see core.h): a Viterbi
 * pass over (option, run length) states.
 *
 * A state is an option and how long it has been held, r = 1 .. min_run,
 * where r = min_run means "long enough to leave". From frame to frame a
 * state either stays (r grows, capped) or, once long enough, switches to
 * another option at r = 1. Only two kinds of state have more than one
 * possible predecessor, so only they are remembered per frame: which option
 * came before a switch (r = 1), and whether a full run was already full the
 * frame before (r = min_run). */
#include "core.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double clamped(double cost)
{
    return cost >= 0.0 && cost < SK_STEADY_BLOCKED ? cost : SK_STEADY_BLOCKED;
}

/* One option for every frame: the cheapest in total. */
static void choose_one(const double *cost, size_t frames, int options, unsigned char *choice)
{
    int best = 0;
    double least = INFINITY;
    for (int o = 0; o < options; o++) {
        double total = 0.0;
        for (size_t f = 0; f < frames; f++)
            total += clamped(cost[f * (size_t)options + (size_t)o]);
        if (total < least) {
            least = total;
            best = o;
        }
    }
    memset(choice, best, frames);
}

bool sk_steady_choices(const double *cost, size_t frames, int options, int min_run,
                       double switch_cost, unsigned char *choice)
{
    if (frames == 0 || options < 1)
        return true;
    if (options > SK_STEADY_MAX_OPTIONS)
        options = SK_STEADY_MAX_OPTIONS;
    size_t full = min_run < 1 ? 1 : (size_t)min_run; /* r = full: may switch */
    if (options == 1 || frames < full) {
        choose_one(cost, frames, options, choice);
        return true;
    }
    size_t n = (size_t)options, states = n * full;
    double *table = malloc(2 * states * sizeof *table); /* this frame's and the next's */
    unsigned char *came_from = malloc(frames * n);      /* option before a switch into o */
    unsigned char *was_full = malloc(frames * n);       /* o held full the frame before */
    if (!table || !came_from || !was_full) {
        free(table);
        free(came_from);
        free(was_full);
        return false;
    }
    double *now = table, *next = table + states;
#define AT(v, o, r) (v)[(size_t)(o)*full + (r)-1]
    for (size_t i = 0; i < states; i++)
        now[i] = INFINITY;
    for (size_t o = 0; o < n; o++)
        AT(now, o, 1) = clamped(cost[o]);
    for (size_t f = 1; f < frames; f++) {
        for (size_t o = 0; o < n; o++) {
            double here = clamped(cost[f * n + o]);
            /* Into r = 1: a switch from another option's full run (with
             * min_run 1, staying also lands here, and wins ties). */
            double enter = full == 1 ? AT(now, o, 1) : INFINITY;
            unsigned char from = (unsigned char)o;
            for (size_t p = 0; p < n; p++)
                if (p != o && AT(now, p, full) + switch_cost < enter) {
                    enter = AT(now, p, full) + switch_cost;
                    from = (unsigned char)p;
                }
            came_from[f * n + o] = from;
            if (full == 1) {
                AT(next, o, 1) = enter + here;
                continue;
            }
            AT(next, o, 1) = enter + here;
            for (size_t r = 2; r < full; r++)
                AT(next, o, r) = AT(now, o, r - 1) + here;
            bool stayed = AT(now, o, full) <= AT(now, o, full - 1);
            was_full[f * n + o] = stayed;
            AT(next, o, full) = (stayed ? AT(now, o, full) : AT(now, o, full - 1)) + here;
        }
        double *swap = now;
        now = next;
        next = swap;
    }
    /* The last run must be full too; the cheapest such end, then back. */
    size_t o = 0;
    for (size_t p = 1; p < n; p++)
        if (AT(now, p, full) < AT(now, o, full))
            o = p;
    size_t r = full;
    for (size_t f = frames; f-- > 0;) {
        choice[f] = (unsigned char)o;
        if (f == 0)
            break;
        if (r == 1) { /* entered by a switch (or, with min_run 1, by staying) */
            o = came_from[f * n + o];
            r = full;
        } else if (r < full) {
            r--;
        } else if (!was_full[f * n + o]) {
            r = full - 1;
        }
    }
#undef AT
    free(table);
    free(came_from);
    free(was_full);
    return true;
}
