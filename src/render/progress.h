/* progress.h — the render's progress on stderr.
 *
 * On a terminal: one line redrawn in place (\r) at most ten times a second,
 * "frame N/TOTAL [bar] P%  F fps  ETA S s"; the rest of the old line is
 * cleared with ESC[K, or with spaces when NO_COLOR is set (no escape codes
 * at all then). Not a terminal (a log, a pipe, a batch job): no \r and no
 * escape codes, just a plain line every ten seconds so long jobs show they
 * are alive. Quiet: nothing. Single-threaded: call from one thread.
 */
#ifndef SK_PROGRESS_H
#define SK_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum sk_progress_mode {
    SK_PROGRESS_OFF,
    SK_PROGRESS_LINES, /* plain, occasional lines */
    SK_PROGRESS_BAR,   /* redrawn in place */
} sk_progress_mode;

typedef struct sk_progress {
    FILE *out;
    sk_progress_mode mode;
    bool escapes;      /* ESC[K allowed (a terminal without NO_COLOR) */
    int64_t total;     /* frames to do */
    double started;    /* monotonic seconds */
    double last_shown; /* when the line was last printed */
    bool shown;        /* a bar is on screen and needs its newline */
} sk_progress;

/* Seconds on a monotonic clock. */
double sk_progress_now(void);

/* Chooses the mode for stderr (quiet, isatty, NO_COLOR) and starts the clock. */
void sk_progress_start(sk_progress *p, int64_t total, bool quiet);

/* done frames of total are finished; prints if it is time to. */
void sk_progress_update(sk_progress *p, int64_t done);

/* Ends the bar's line, if one is on screen. */
void sk_progress_end(sk_progress *p);

#endif
