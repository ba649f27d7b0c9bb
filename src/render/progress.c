/* progress.c — see progress.h. */
#include "progress.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define BAR_REDRAW_SECONDS 0.1 /* at most ten redraws a second */
#define LINE_SECONDS 10.0      /* a plain line this often when not a terminal */
#define BAR_CELLS 30
#define LINE_BYTES 160

double sk_progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void sk_progress_start(sk_progress *p, int64_t total, bool quiet)
{
    const char *no_color = getenv("NO_COLOR");
    bool tty = isatty(fileno(stderr));
    *p = (sk_progress){.out = stderr, .total = total > 0 ? total : 1};
    p->mode = quiet ? SK_PROGRESS_OFF : tty ? SK_PROGRESS_BAR : SK_PROGRESS_LINES;
    /* https://no-color.org: set and not empty */
    p->escapes = tty && !(no_color && *no_color);
    p->started = p->last_shown = sk_progress_now();
}

/* "frame N/T [####......]  P%  F fps  ETA S s" into line. */
static void format_line(const sk_progress *p, int64_t done, double now, char *line, size_t size)
{
    double elapsed = now - p->started;
    double fps = elapsed > 0 ? (double)done / elapsed : 0.0;
    double eta = fps > 0 ? (double)(p->total - done) / fps : 0.0;
    int filled = (int)(BAR_CELLS * done / p->total);
    char bar[BAR_CELLS + 1];
    for (int i = 0; i < BAR_CELLS; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[BAR_CELLS] = '\0';
    char left[32]; /* seconds, or h:mm:ss once it is a long wait */
    long s = lround(eta);
    if (s < 60)
        snprintf(left, sizeof left, "%ld s", s);
    else
        snprintf(left, sizeof left, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    snprintf(line, size, "frame %lld/%lld [%s] %3d%%  %5.1f fps  ETA %s", (long long)done,
             (long long)p->total, bar, (int)(100 * done / p->total), fps, left);
}

void sk_progress_update(sk_progress *p, int64_t done)
{
    if (p->mode == SK_PROGRESS_OFF)
        return;
    double now = sk_progress_now();
    bool last = done >= p->total;
    double every = p->mode == SK_PROGRESS_BAR ? BAR_REDRAW_SECONDS : LINE_SECONDS;
    if (now - p->last_shown < every && !(last && p->mode == SK_PROGRESS_BAR))
        return;
    p->last_shown = now;
    char line[LINE_BYTES];
    format_line(p, done, now, line, sizeof line);
    if (p->mode == SK_PROGRESS_LINES) {
        fprintf(p->out, "%s\n", line);
        return;
    }
    /* The line only grows or keeps its length (the numbers are padded or
     * grow), but ETA can shrink: clear what the last one left behind. */
    fprintf(p->out, "\r%s%s", line, p->escapes ? "\033[K" : "   ");
    fflush(p->out);
    p->shown = true;
}

void sk_progress_end(sk_progress *p)
{
    if (p->shown)
        fputc('\n', p->out);
    p->shown = false;
}
