/* cues.c — captions as a subtitle stream can hold them: in time order and
 * never overlapping (an MP4 text track shows one sample at a time, and
 * every muxer wants rising timestamps). Where captions overlap, each
 * stretch shows every caption then on screen, earliest start on top. */
#include "mux_extras.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge {
    double t;
    int index;  /* the caption's position in the input */
    bool start; /* its start, else its end */
} edge;

/* By time; at the same time ends before starts, so back-to-back captions
 * do not overlap. */
static int compare_edges(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->start != y->start)
        return x->start ? 1 : -1;
    return x->index - y->index;
}

/* Whether caption i goes above caption j: earlier start, then input order. */
static bool above(const sk_timed_text *in, int i, int j)
{
    return in[i].start < in[j].start || (in[i].start == in[j].start && i < j);
}

/* The texts of the showing captions joined by line breaks, or NULL. */
static char *join(const sk_timed_text *in, const int *showing, int count)
{
    size_t size = 1;
    for (int k = 0; k < count; k++)
        size += strlen(in[showing[k]].text) + 1;
    char *text = malloc(size), *at = text;
    if (!text)
        return NULL;
    for (int k = 0; k < count; k++) {
        size_t n = strlen(in[showing[k]].text);
        memcpy(at, in[showing[k]].text, n);
        at += n;
        *at++ = '\n';
    }
    at[-1] = '\0'; /* count >= 1: the last line break becomes the end */
    return text;
}

static void update_showing(const sk_timed_text *in, int *showing, int *count, const edge *e)
{
    if (e->start) {
        int k = *count;
        for (; k > 0 && above(in, e->index, showing[k - 1]); k--)
            showing[k] = showing[k - 1];
        showing[k] = e->index;
        (*count)++;
        return;
    }
    for (int k = 0; k < *count; k++)
        if (showing[k] == e->index) {
            memmove(showing + k, showing + k + 1, (size_t)(*count - k - 1) * sizeof *showing);
            (*count)--;
            return;
        }
}

/* Appends [from, to) showing `showing`, or lengthens the last cue when the
 * text is the same. */
static sk_status emit(sk_cues *out, const sk_timed_text *in, const int *showing, int count,
                      double from, double to, sk_error *err)
{
    char *text = join(in, showing, count);
    if (!text)
        return sk_error_nomem(err);
    sk_timed_text *last = out->count ? &out->cues[out->count - 1] : NULL;
    if (last && last->end == from && strcmp(last->text, text) == 0) {
        last->end = to;
        free(text);
        return SK_OK;
    }
    out->cues[out->count++] = (sk_timed_text){from, to, text};
    return SK_OK;
}

sk_status sk_cues_make(const sk_timed_text *in, int n, sk_cues *out, sk_error *err)
{
    memset(out, 0, sizeof *out);
    /* +1: never malloc(0); 2n edges give at most 2n - 1 stretches */
    edge *edges = malloc(sizeof *edges * (2 * (size_t)n + 1));
    int *showing = malloc(sizeof *showing * ((size_t)n + 1));
    out->cues = malloc(sizeof *out->cues * (2 * (size_t)n + 1));
    sk_status status = edges && showing && out->cues ? SK_OK : sk_error_nomem(err);
    for (int i = 0; status == SK_OK && i < n; i++) {
        edges[2 * i] = (edge){in[i].start, i, true};
        edges[2 * i + 1] = (edge){in[i].end, i, false};
    }
    if (status == SK_OK)
        qsort(edges, 2 * (size_t)n, sizeof *edges, compare_edges);
    int count = 0;
    for (int e = 0; status == SK_OK && e < 2 * n; e++) {
        update_showing(in, showing, &count, &edges[e]);
        bool last_at_this_time = e + 1 == 2 * n || edges[e + 1].t != edges[e].t;
        if (last_at_this_time && count > 0 && e + 1 < 2 * n)
            status = emit(out, in, showing, count, edges[e].t, edges[e + 1].t, err);
    }
    free(edges);
    free(showing);
    if (status != SK_OK)
        sk_cues_free(out);
    return status;
}

void sk_cues_free(sk_cues *cues)
{
    for (int i = 0; cues->cues && i < cues->count; i++)
        free((char *)cues->cues[i].text);
    free(cues->cues);
    cues->cues = NULL;
    cues->count = 0;
}
