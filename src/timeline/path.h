/* path.h — private to timeline/: the geometry of a query path, travelled at
 * constant speed.
 *
 * For every geometric path kind (spline, polyline, bezier, ellipse) the
 * curve is a chain of segments, each a function of a local parameter
 * u in [0, 1]; a table of arc lengths, built once, maps a fraction s of the
 * total length back to (segment, u), so equal steps in s are equal distances
 * along the curve (within 1 %, tested). SK_PATH_KEYFRAMES is not geometry:
 * it is evaluated in time by track.c and has no table.
 *
 * A table is immutable after sk_path_table_new and may be read by many threads.
 */
#ifndef SK_TIMELINE_PATH_H
#define SK_TIMELINE_PATH_H

#include "../core/core.h"
#include "../error/error.h"
#include "../scene/scene.h"

typedef struct sk_path_table sk_path_table;

/* Builds the arc-length table of a geometric path (not SK_PATH_KEYFRAMES).
 * The path must outlive the table. */
sk_status sk_path_table_new(const sk_path *path, sk_path_table **out, sk_error *err);

/* NULL is a no-op. */
void sk_path_table_free(sk_path_table *table);

/* The point at arc-length fraction s, clamped to [0, 1]. s = 0 is the path's
 * start (points[0]; for an ellipse the point at start_angle); s = 1 its end
 * (for closed paths the start again). A path of zero length stays at its
 * start. */
sk_vec2 sk_path_table_point(const sk_path_table *table, double s);

/* Total length, scene units. */
double sk_path_table_length(const sk_path_table *table);

#endif
