/* error.h — the one error object every fallible softknn function fills.
 *
 * Functions that can fail return an sk_status (0 on success, a negative code
 * otherwise) and, when given a non-NULL sk_error, write a human-readable
 * message into it. Only main.c decides what to print and how to exit.
 * The message already carries "file:line:col: " when the input had a place.
 */
#ifndef SK_ERROR_H
#define SK_ERROR_H

#include <stddef.h>

typedef enum sk_status {
    SK_OK = 0,
    SK_EINPUT = -1,       /* the user's input is wrong (scene, arguments): exit 2 */
    SK_ERUNTIME = -2,     /* something failed while working (I/O, codec): exit 1 */
    SK_ENOMEM = -3,       /* an allocation failed: exit 1 */
    SK_EINTERRUPTED = -4, /* a signal asked us to stop: exit 130 */
} sk_status;

#define SK_ERROR_MAX 8192 /* bytes in a message (up to 20 lines of errors), truncated beyond */

typedef struct sk_error {
    sk_status status;
    char message[SK_ERROR_MAX];
} sk_error;

/* Fills err (if non-NULL) with a printf-style message and returns status. */
sk_status sk_error_set(sk_error *err, sk_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, prefixed with "file:line:col: " (line and col 1-based; 0 omits them). */
sk_status sk_error_at(sk_error *err, sk_status status, const char *file, int line, int col,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Shorthand for the out-of-memory case. */
sk_status sk_error_nomem(sk_error *err);

#endif
