/* track.c — keyframe tracks: the value of an animated property at a time. */
#include "timeline.h"

/* The last keyframe at or before t; the caller has checked keys[0].t < t < keys[n-1].t. */
static int segment_at(const sk_track *track, double t)
{
    int lo = 0, hi = track->count - 1;
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (track->keys[mid].t <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void copy_value(const sk_keyframe *key, int dims, double out[2])
{
    for (int d = 0; d < dims; d++)
        out[d] = key->value[d];
}

void sk_track_eval(const sk_track *track, double t, double out[2])
{
    const sk_keyframe *keys = track->keys;
    int last = track->count - 1;
    if (!(t > keys[0].t)) { /* also catches NaN */
        copy_value(&keys[0], track->dims, out);
        return;
    }
    if (t >= keys[last].t) {
        copy_value(&keys[last], track->dims, out);
        return;
    }
    const sk_keyframe *a = &keys[segment_at(track, t)], *b = a + 1;
    if (a->hold) {
        copy_value(a, track->dims, out);
        return;
    }
    double f = sk_ease_apply(&a->ease, (t - a->t) / (b->t - a->t));
    for (int d = 0; d < track->dims; d++)
        out[d] = a->value[d] + f * (b->value[d] - a->value[d]);
}
