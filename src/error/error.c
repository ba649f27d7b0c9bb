#include "error.h"

#include <stdarg.h>
#include <stdio.h>

static sk_status fill(sk_error *err, sk_status status, const char *prefix, const char *fmt,
                      va_list ap)
{
    if (!err)
        return status;
    err->status = status;
    int used = snprintf(err->message, sizeof err->message, "%s", prefix);
    if (used < 0 || (size_t)used >= sizeof err->message)
        return status;
    vsnprintf(err->message + used, sizeof err->message - (size_t)used, fmt, ap);
    return status;
}

sk_status sk_error_set(sk_error *err, sk_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fill(err, status, "", fmt, ap);
    va_end(ap);
    return status;
}

sk_status sk_error_at(sk_error *err, sk_status status, const char *file, int line, int col,
                      const char *fmt, ...)
{
    char prefix[512];
    if (line > 0 && col > 0)
        snprintf(prefix, sizeof prefix, "%s:%d:%d: ", file, line, col);
    else if (line > 0)
        snprintf(prefix, sizeof prefix, "%s:%d: ", file, line);
    else
        snprintf(prefix, sizeof prefix, "%s: ", file);
    va_list ap;
    va_start(ap, fmt);
    fill(err, status, prefix, fmt, ap);
    va_end(ap);
    return status;
}

sk_status sk_error_nomem(sk_error *err)
{
    return sk_error_set(err, SK_ENOMEM, "out of memory");
}
