/* export.h — every frame's numbers as data: `softknn weights`.
 *
 * One record per exported frame with the frame index, time, the query's
 * position in scene units and in output pixels, the kernel and the
 * parameters it reads, every key's weight, the blended output and the
 * entropy of the weights. docs/weights.md describes each field.
 */
#ifndef SK_EXPORT_H
#define SK_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "../error/error.h"

typedef enum sk_export_format {
    SK_EXPORT_CSV,  /* RFC 4180, one header line */
    SK_EXPORT_JSON, /* one object: the scene's keys, then an array of records */
} sk_export_format;

typedef struct sk_export_job {
    const char *scene_path;
    const char *output; /* a file (written whole or not at all), or NULL for stdout */
    sk_export_format format;
    int every;           /* export frames whose index is a multiple of this, >= 1 */
    int64_t first_frame; /* inclusive, >= 0 */
    int64_t end_frame;   /* exclusive; -1: the scene's end */
    bool overwrite;      /* replace an existing output */
} sk_export_job;

/* SK_EINPUT for a bad scene or job, SK_ERUNTIME when writing failed (the
 * output path is then untouched). */
sk_status sk_export_weights(const sk_export_job *job, sk_error *err);

#endif
