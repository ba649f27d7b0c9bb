/* draw.h — one frame of a scene drawn into a cairo_t.
 *
 * Knows nothing of files or codecs: the caller owns the cairo_t (an image
 * surface for video frames; SVG or PDF surfaces work the same way). Every size
 * derives from the output height (in portrait and square frames, from the
 * short side), so a frame reads the same at 854x480 and at 3840x2160. Scene
 * units become pixels only through sk_layout.
 */
#ifndef SK_DRAW_H
#define SK_DRAW_H

#include <cairo.h>
#include <stdbool.h>

#include "../core/core.h"
#include "../error/error.h"
#include "../scene/scene.h"
#include "../timeline/timeline.h"

/* Text smaller than this many pixels is hard to read on a projector; the
 * layout and the small print keep above it where they can. */
#define SK_MIN_TEXT_PX 10.0

typedef struct sk_rect {
    double x, y, w, h; /* pixels */
} sk_rect;

/* Where everything goes in a frame of a given size. */
typedef struct sk_layout {
    int width, height; /* the frame, pixels */
    double unit; /* pixels per 1/1000 of the height; portrait, square: of min(width, 3/4 height) */
    sk_rect title;             /* the title line across the top */
    sk_rect plot;              /* the scene's plane */
    sk_rect panel;             /* the weights panel on the right */
    sk_rect formulas;          /* below the panel, when the formulas layer is drawn (else h = 0) */
    sk_rect mapping;           /* below the panel (and formulas), when the mapping layer is drawn */
    sk_rect captions;          /* the band at the bottom of the plot where captions go */
    double scale;              /* pixels per scene unit, the same on both axes */
    double origin_x, origin_y; /* pixel position of the scene's (0, 0) */
} sk_layout;

/* Lays out a width x height frame for a scene seen through a camera: the
 * scene's view, scaled down by zoom (> 1 shows less, larger) and centred on
 * center (scene units), is fitted into the plot area with equal scale on
 * both axes. Landscape frames put the panel (and formulas, mapping) in a
 * column right of the plot, or, when small, the formulas and mapping in a
 * strip under it; portrait and square frames (sk_layout_is_stacked) put the
 * plot on top and the rest below. */
void sk_layout_make(int width, int height, const sk_scene *scene, sk_vec2 center, double zoom,
                    sk_layout *out);

/* Whether a width x height frame is laid out with the plot on top and the
 * panel below it (portrait and square frames) rather than side by side. */
bool sk_layout_is_stacked(int width, int height);

/* A scene point in pixels (y grows downwards in pixels, upwards in the scene). */
sk_vec2 sk_layout_to_px(const sk_layout *layout, sk_vec2 point);

/* Labels that move with the query take one of a few places round it: the
 * query's name above, below, left or right of its ring; the σ of the
 * bandwidth circle at its lower right or lower left. A key's name moves off
 * the ring: 0 is its own place (as placed without the ring), 1 to 8 the
 * places round its disc, 9 to 16 places round the ring. */
enum { SK_QUERY_LABEL_PLACES = 4, SK_SIGMA_LABEL_PLACES = 2, SK_KEY_NAME_PLACES = 17 };

/* Which place each takes in a frame: picked over the whole timeline so that
 * a label holds still (render/evaluate.c, with sk_steady_choices). */
typedef struct sk_label_places {
    unsigned char query, sigma;
    const unsigned char *names; /* one per key; NULL: each frame alone */
} sk_label_places;

/* What one frame shows besides the scene itself. */
typedef struct sk_frame {
    const sk_frame_state *state;
    const double *weights; /* one per key, summing to 1 (all 0 when !has_output) */
    bool has_output;       /* false when a compact kernel reaches no key */
    const double *compare; /* attention.compare's weights, one per key, or NULL */
    sk_rgb output;         /* the blended colour, sRGB (SK_VALUE_COLOUR scenes) */
    double scalar;         /* the blended number (SK_VALUE_SCALAR scenes) */
    /* Where the moving labels go, or NULL: each at the place least covered
     * in this frame alone (which, frame after frame, can flicker). */
    const sk_label_places *places;
} sk_frame;

/* The colour a scalar value is drawn in: a perceptually ordered ramp from
 * dark blue (lo) to yellow (hi), sRGB. */
sk_rgb sk_scalar_colour(double value, double lo, double hi);

/* Where the frame draws the query, in pixels: on the plane, the centre of
 * its ring; in the regression1d view, the centre of the estimate's disc on
 * the query's line (or, when there is no estimate, the foot of that line at
 * the bottom of the curve's area). */
sk_vec2 sk_query_pixel(const sk_layout *layout, const sk_scene *scene, const sk_frame *frame);

/* How much each place of the moving labels would cover of the keys' discs
 * and names in this frame (pixels squared; SK_STEADY_BLOCKED where the σ
 * would meet a weight label), and the labels' own areas; all 0 for a label
 * the frame does not draw. The costs sk_steady_choices weighs. */
typedef struct sk_label_costs {
    double query[SK_QUERY_LABEL_PLACES];
    double sigma[SK_SIGMA_LABEL_PLACES];
    double query_area, sigma_area;
} sk_label_costs;
void sk_label_costs_of(cairo_t *cr, const sk_layout *layout, const sk_scene *scene,
                       const sk_timeline *timeline, const sk_frame *frame, sk_label_costs *out);

/* For the keys' names, in this frame: meets[i], whether key i's name, shown
 * at its own place, meets the query's ring; and for each key with which[i]
 * (which may be NULL: none) the cost of each of its name's places,
 * cost[i * SK_KEY_NAME_PLACES + place], and area[i], its box's area: what
 * the ring covers of it (counted
 * ten times), and away from its own place what discs and names cover plus a
 * small fee for being away; SK_STEADY_BLOCKED outside the plot. All false
 * and 0 for names not shown, and in frames without a ring. */
void sk_key_name_costs(cairo_t *cr, const sk_layout *layout, const sk_scene *scene,
                       const sk_timeline *timeline, const sk_frame *frame, const bool *which,
                       bool *meets, double *area, double *cost);

/* Draws the whole frame: background and grid, the query's path, links, keys,
 * the query ring filled with the output colour, the weights panel and the
 * title. Returns SK_ERUNTIME with Cairo's status text if Cairo failed. */
sk_status sk_draw_frame(cairo_t *cr, const sk_layout *layout, const sk_scene *scene,
                        const sk_timeline *timeline, const sk_frame *frame, sk_error *err);

#endif
