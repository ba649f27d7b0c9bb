/* scene.h — a scene file parsed and validated into an immutable model.
 *
 * sk_scene_load() reads a YAML scene (through libyaml), checks every key and
 * type, and either returns a complete model or an SK_EINPUT error whose
 * message starts with "file:line:col: ". After loading, the model is read-only
 * and may be shared by any number of threads.
 *
 * Units: positions in scene units (the plot's axes), times in seconds.
 * Colours are stored sRGB-encoded, channels in [0, 1].
 */
#ifndef SK_SCENE_H
#define SK_SCENE_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/core.h"
#include "../error/error.h"

/* Where a value stood in the scene file (1-based), for later messages such as
 * "this size is odd, but the output needs even sizes". 0 means "not given". */
typedef struct sk_loc {
    int line, col;
} sk_loc;

typedef enum sk_value_kind {
    SK_VALUE_COLOUR, /* every key's value is a colour, blended in linear light */
    SK_VALUE_SCALAR, /* every key's value is a number (1-D regression scenes) */
} sk_value_kind;

typedef struct sk_key {
    sk_vec2 at;    /* position, scene units */
    sk_rgb value;  /* SK_VALUE_COLOUR: the key's value, sRGB */
    double scalar; /* SK_VALUE_SCALAR: the key's value */
    char *label;   /* short text drawn beside the key; never NULL */
} sk_key;

/* The layers a frame can draw, in their default order; each has an opacity. */
typedef enum sk_layer_kind {
    SK_LAYER_FIELD,    /* the estimator's output at every pixel of the plot */
    SK_LAYER_GRID,     /* axes and grid lines with ticks */
    SK_LAYER_PATH,     /* the query's route */
    SK_LAYER_LINKS,    /* query to key, width and opacity by weight */
    SK_LAYER_KEYS,     /* discs in their value's colour, with labels */
    SK_LAYER_QUERY,    /* the ring filled with the output, its trail, the bandwidth */
    SK_LAYER_PANEL,    /* the weights as bars */
    SK_LAYER_FORMULAS, /* Nadaraya–Watson and attention side by side, with numbers */
    SK_LAYER_MAPPING,  /* the table of corresponding terms */
    SK_LAYER_LEGEND,   /* a box in a corner of the plot explaining the glyphs */
    SK_LAYER_TITLE,    /* the title line and the clock */
    SK_LAYER_CAPTIONS, /* the scene's timed captions */
    SK_LAYER_CARDS,    /* full-frame title cards, on top of everything */
    SK_LAYER_COUNT
} sk_layer_kind;

/* Whether a layer is drawn when the scene does not list layers.
 * field, mapping and legend are drawn only when a scene lists them. */
bool sk_layer_default(sk_layer_kind kind);

typedef enum sk_theme {
    SK_THEME_DARK,  /* light text on a dark background */
    SK_THEME_LIGHT, /* dark text on a light background */
    SK_THEME_COUNT
} sk_theme;

/* Colours the keys' values are replaced with (video.palette). */
typedef enum sk_palette {
    SK_PALETTE_SCENE,     /* the values as the scene gives them */
    SK_PALETTE_OKABE_ITO, /* key i gets the i'th colour of the colour-blind-safe palette */
    SK_PALETTE_COUNT
} sk_palette;

/* Where the legend goes in the plot (legend.corner). */
typedef enum sk_corner {
    SK_CORNER_AUTO, /* the corner its box covers the fewest keys in */
    SK_CORNER_TOP_LEFT,
    SK_CORNER_TOP_RIGHT,
    SK_CORNER_BOTTOM_LEFT,
    SK_CORNER_BOTTOM_RIGHT,
    SK_CORNER_COUNT
} sk_corner;

/* The order of the weights panel's bars (panel.order); with more keys than
 * bars the heaviest are shown, heaviest first, whatever the order. */
typedef enum sk_panel_order {
    SK_PANEL_SCENE_ORDER, /* the keys' order in the scene */
    SK_PANEL_BY_WEIGHT,   /* heaviest first; equal weights: the earlier key first */
    SK_PANEL_ORDER_COUNT
} sk_panel_order;

/* The layer's scene-file name ("links"), or NULL. */
const char *sk_layer_name(sk_layer_kind kind);

/* The theme's scene-file name ("dark"), or NULL. */
const char *sk_theme_name(sk_theme theme);

/* What an `animate:` entry changes. */
typedef enum sk_target_kind {
    SK_TARGET_BANDWIDTH,      /* attention.bandwidth, scene units */
    SK_TARGET_TEMPERATURE,    /* attention.temperature */
    SK_TARGET_K,              /* attention.k, rounded to the nearest whole number */
    SK_TARGET_KERNEL,         /* attention.kernel: a step track of sk_kernel_kind values */
    SK_TARGET_CAMERA_CENTER,  /* camera.center, a point */
    SK_TARGET_CAMERA_ZOOM,    /* camera.zoom, > 0 */
    SK_TARGET_QUERY_POSITION, /* query.position, a point (overrides the path) */
    SK_TARGET_LAYER_OPACITY,  /* layers.<name>.opacity, 0..1 */
    SK_TARGET_COUNT
} sk_target_kind;

/* One keyframe of an animated property: at time t (seconds) the property
 * has value (value[0], or the point (value[0], value[1]) for positions).
 * ease shapes the change from this keyframe to the next; hold keeps this
 * value until the next keyframe and then jumps (a step). */
typedef struct sk_keyframe {
    double t;
    double value[2];
    sk_ease ease;
    bool hold;
} sk_keyframe;

/* Keyframes in ascending t; before the first and after the last the value
 * is clamped to theirs. */
typedef struct sk_track {
    sk_keyframe *keys;
    int count; /* >= 1 */
    int dims;  /* 1 for numbers, 2 for points */
} sk_track;

typedef struct sk_animation {
    sk_target_kind target;
    sk_layer_kind layer; /* SK_TARGET_LAYER_OPACITY only */
    sk_track track;
} sk_animation;

typedef enum sk_path_kind {
    SK_PATH_SPLINE,    /* centripetal Catmull–Rom through points (open or closed) */
    SK_PATH_POLYLINE,  /* straight segments between points (open or closed) */
    SK_PATH_BEZIER,    /* cubic Bézier chain: anchor, control, control, anchor, ...
                        * (3m + 1 points); closed: when the last anchor is not the
                        * first, a straight segment joins them */
    SK_PATH_ELLIPSE,   /* centre, radii, rotation; an arc from start to end angle */
    SK_PATH_KEYFRAMES, /* the position is keyframed in time: `track` (dims 2) */
    SK_PATH_KIND_COUNT
} sk_path_kind;

typedef struct sk_path {
    sk_path_kind kind;
    sk_vec2 *points;               /* spline, polyline, bezier: control points, scene units */
    int point_count;               /* spline/polyline >= 2 (>= 3 closed); bezier 3m + 1 >= 4 */
    bool closed;                   /* spline, polyline, bezier: back to the start */
    sk_vec2 center;                /* ellipse: centre, scene units */
    double radius_x, radius_y;     /* ellipse: radii, scene units, > 0 */
    double rotation;               /* ellipse: degrees, counter-clockwise */
    double start_angle, end_angle; /* ellipse: degrees; |end - start| = 360 is the full loop */
    sk_track track;                /* keyframes: the position over time (dims 2) */
} sk_path;

/* What the plot shows. */
typedef enum sk_view_kind {
    SK_VIEW_PLANE,        /* the keys and the query on the 2-D plane */
    SK_VIEW_REGRESSION1D, /* samples (x, value), the true curve, the estimate traced along x */
    SK_VIEW_MATRIX,       /* the plane, and a queries x keys heatmap in place of the panel */
    SK_VIEW_KIND_COUNT
} sk_view_kind;

/* The view kind's scene-file name ("matrix"), or NULL. */
const char *sk_view_kind_name(sk_view_kind kind);

/* A TeX formula a scene gives (math mode, display style). The loader fills
 * source and where; sk_tex_prepare (src/tex) compiles it to SVG before any
 * frame is drawn, and only then is the scene read-only. */
typedef struct sk_tex {
    char *source;    /* NULL when not given */
    char where[256]; /* "file:line:col: key.path" of the source, for messages */
    char *svg;       /* the SVG (baseline at y = 0, SK_TEX_EM units per em); NULL until compiled */
    size_t svg_length;
} sk_tex;

/* Units of a compiled formula's SVG per em (big points in 10 pt). */
#define SK_TEX_EM (10.0 * 72.0 / 72.27)

/* Text, or a TeX formula, shown from start to end (seconds). */
typedef struct sk_caption {
    double start, end;
    char *text; /* NULL when the caption is a formula */
    sk_tex tex; /* tex.source NULL when the caption is text */
} sk_caption;

/* The formulas card's formulas a scene may replace with its own TeX. */
typedef enum sk_formula_slot {
    SK_FORMULA_REGRESSION, /* Nadaraya–Watson, the left column */
    SK_FORMULA_ATTENTION,  /* softmax attention, the right column */
    SK_FORMULA_KERNEL,     /* the kernel under Nadaraya–Watson (for every kernel) */
    SK_FORMULA_SLOTS
} sk_formula_slot;

/* A full-frame title card shown from start to end (seconds), fading in and
 * out (not in when it starts the video, nor out when it ends it). */
typedef struct sk_card {
    double start, end;
    char *title;    /* never NULL */
    char *subtitle; /* a smaller line below the title, or NULL */
} sk_card;

/* A named stretch of the video (a chapter), start to end in seconds. */
typedef struct sk_section {
    char *name;
    double start, end;
} sk_section;

typedef struct sk_scene {
    char *source; /* the file's path as given, for messages */

    int width, height; /* output size in pixels */
    sk_loc size_loc;   /* where video.size was written, if it was */
    int fps;           /* frames per second, 1..240 */
    double duration;   /* seconds, > 0 */
    sk_rgb background;
    double background_alpha; /* 0..1; below 1 only matters for outputs with alpha */
    sk_theme theme;
    sk_palette palette; /* already applied to the keys' values by the loader */

    char *title;          /* never NULL; may be "" */
    sk_caption *captions; /* in the order given */
    int caption_count;
    sk_tex
        formulas[SK_FORMULA_SLOTS]; /* `formulas:` replacements; source NULL keeps the built-in */
    sk_card *cards;                 /* in the order given */
    int card_count;
    sk_section *sections; /* in ascending start time, not overlapping */
    int section_count;

    char *audio_path;    /* an audio file to mux (relative to the working directory), or NULL */
    double audio_offset; /* seconds into the video where the audio starts (may be < 0) */
    char *audio_source;  /* the scene file (maybe an include) where audio.file was written */
    sk_loc audio_loc;    /* and where in it, for errors found when the audio is read */

    sk_vec2 view_min, view_max; /* the plot's extents, scene units (regression1d: x and value) */
    sk_view_kind view_kind;
    int matrix_rows; /* matrix: the query at this many instants, >= 1 */
    sk_vec2 *curve;  /* regression1d: the true function as points, x ascending, or NULL */
    int curve_count; /* 0, or >= 2 */

    sk_vec2 camera_center; /* the view's centre, scene units (default: view's centre) */
    double camera_zoom;    /* > 1 shows less of the plane, larger (default 1) */

    sk_kernel kernel;  /* with animate.attention.kernel, the kind comes from the track */
    bool has_compare;  /* attention.compare was given */
    sk_kernel compare; /* attention.compare: a second kernel, drawn beside the main one */

    sk_value_kind value_kind;
    sk_key *keys;
    int key_count; /* >= 1 */

    sk_path query_path; /* the query travels it at constant speed */
    sk_ease query_ease; /* applied to the progress along the path (default linear) */
    double query_speed; /* scene units per second; 0: once along the path over the duration */

    sk_layer_kind layer_order[SK_LAYER_COUNT]; /* the layers drawn, bottom first */
    int layer_count;
    double layer_opacity[SK_LAYER_COUNT]; /* 0..1, default 1 */
    sk_corner legend_corner;              /* default SK_CORNER_AUTO */
    sk_panel_order panel_order;           /* default SK_PANEL_SCENE_ORDER */
    bool weight_labels;                   /* keys layer: each key's weight beside it */

    sk_animation *animations; /* at most one per target (and layer) */
    int animation_count;
} sk_scene;

/* Loads and validates the scene at path, with the files it includes. On
 * success *out owns a new scene (release with sk_scene_free) and SK_OK is
 * returned; on failure *out is NULL and err holds one line per error found
 * (up to 20), each "file:line:col: key.path: expected ..., found ...". */
sk_status sk_scene_load(const char *path, sk_scene **out, sk_error *err);

/* Same, from a string in memory; name is used in messages in place of a path,
 * and files the scene names (include, from_csv, audio) are relative to name's
 * directory. */
sk_status sk_scene_load_string(const char *text, const char *name, sk_scene **out, sk_error *err);

/* Releases a scene; NULL is a no-op. */
void sk_scene_free(sk_scene *scene);

/* Calls visit once for every key path the loader accepts, as the scene
 * format's documentation writes them: "video.size", "keys[].generate.seed"
 * ("[]" for an item of a list), "animate.<target>[].t" (any animate target).
 * For tests that keep docs/scene-format.md and the loader in step. */
typedef void (*sk_schema_visit)(const char *path, void *context);
void sk_scene_schema(sk_schema_visit visit, void *context);

/* A time as the command line writes it: seconds ("2.5"), or the scene
 * format's strings ("1.5s", "250ms", "2:03.5", "1:02:03"). */
bool sk_scene_parse_time(const char *text, double *seconds);

/* Frames in the scene: round(duration * fps), at least 1. */
int64_t sk_scene_frame_count(const sk_scene *scene);

/* Whether the scene draws the layer at all (it is in layer_order). */
bool sk_scene_draws(const sk_scene *scene, sk_layer_kind kind);

#endif
