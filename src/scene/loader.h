/* loader.h — private to scene/: the state of one load and the readers each
 * source file contributes.
 *
 *   scene.c   files, include, documents, video/text/sections/audio/view,
 *             the checks that need the whole scene, defaults, free
 *   keys.c    attention and keys (with generate.c and csv.c)
 *   motion.c  query, camera, layers, animate: everything that moves
 *
 * Error handling: a reader reports each problem through sk_yr_fail (which
 * logs it) and returns SK_EINPUT only so that whatever depends on the value
 * is skipped; the load goes on and reports up to SK_YR_ERRORS_MAX errors.
 * SK_ENOMEM stops everything at once.
 */
#ifndef SK_SCENE_LOADER_H
#define SK_SCENE_LOADER_H

#include "scene.h"
#include "yaml_read.h"

#define KEYS_MAX 100000   /* keys; the field costs O(keys) per pixel */
#define POINTS_MAX 100000 /* path points, keyframes, captions; plenty for any scene */
#define INCLUDE_DEPTH_MAX 16

/* Bandwidth (scene units) and temperature: positive, and far enough from 0
 * and infinity that 2 sigma^2 and sqrt(2) T stay normal doubles. */
extern const sk_yr_range sk_parameter_range;
/* Scene units; keeps spans, squared distances and paddings finite. */
extern const sk_yr_range sk_coord_range;
/* Seconds from the start of the video, at most a day. */
extern const sk_yr_range sk_time_range;

/* A parameter given in a file, checked against the kernel once every file
 * has been read (an included file may set the bandwidth, the scene the kernel). */
typedef struct pending_parameter {
    unsigned uses;                  /* SK_USES_* flag */
    char where[SK_YR_PATH_MAX * 2]; /* "file:line:col: path" */
    const char *what;               /* "a bandwidth" */
    bool compare;                   /* checked against attention.compare's kernel */
} pending_parameter;

typedef struct loader {
    sk_yr r;       /* the document being read */
    sk_yr_log log; /* errors of every file */
    sk_scene *scene;
    const char *dir; /* directory of the file being read, for relative paths ("" = cwd) */
    bool has_view_x, has_view_y; /* whether view.x / view.y were given */
    bool has_camera_center;      /* whether camera.center was given */
    bool has_keys, has_route;    /* the two things a scene must say */
    /* "file:line:col" of view.kind, view.rows and view.curve ("" when not
     * given), for the checks that need the whole scene */
    char view_kind_where[SK_YR_PATH_MAX * 2], rows_where[SK_YR_PATH_MAX * 2],
        curve_where[SK_YR_PATH_MAX * 2];
    bool kernel_known; /* false after a bad kernel name: skip parameter checks */
    bool compare_known; /* the same for attention.compare's kernel */
    bool root_ok;      /* the scene file's own root was a mapping */
    char palette_where[SK_YR_PATH_MAX * 2]; /* "file:line:col" of video.palette */
    sk_loc root_loc;   /* where it starts, for "missing required key" */
    size_t key_capacity; /* keys the scene's key array has room for */
    pending_parameter *pending;
    int pending_count, pending_cap;
    const char *include_stack[INCLUDE_DEPTH_MAX]; /* real paths of the files being read */
    int include_depth;
} loader;

/* Runs a read whose errors are already logged: keeps the first failure in
 * acc, and returns at once only when memory ran out. */
#define SK_TRY(acc, expr)                                                                          \
    do {                                                                                           \
        sk_status try_status_ = (expr);                                                            \
        if (try_status_ == SK_ENOMEM)                                                              \
            return try_status_;                                                                    \
        if (try_status_ != SK_OK && (acc) == SK_OK)                                                \
            (acc) = try_status_;                                                                   \
    } while (0)

typedef sk_status (*section_reader)(loader *ld, const yaml_node_t *node);

sk_status sk_read_attention(loader *ld, const yaml_node_t *node);
sk_status sk_read_keys(loader *ld, const yaml_node_t *node);
sk_status sk_read_query(loader *ld, const yaml_node_t *node);
sk_status sk_read_camera(loader *ld, const yaml_node_t *node);
sk_status sk_read_layers(loader *ld, const yaml_node_t *node);
/* display.c: how layers show things: legend, panel, labels. */
sk_status sk_read_legend(loader *ld, const yaml_node_t *node);
sk_status sk_read_panel(loader *ld, const yaml_node_t *node);
sk_status sk_read_labels(loader *ld, const yaml_node_t *node);
sk_status sk_read_animate(loader *ld, const yaml_node_t *node);

/* Looks the string at node up in names[0..count) and sets *index; otherwise
 * reports "unknown <what> '...' (did you mean '...'?); expected one of: ...". */
sk_status sk_read_choice(loader *ld, const yaml_node_t *node, const char *path, const char *what,
                         const char *const *names, int count, int *index);

/* Records a kernel parameter given at node, to check against the kernel
 * (attention.compare's when compare) when the whole scene is known. */
sk_status sk_note_parameter(loader *ld, const yaml_node_t *node, const char *path, unsigned uses,
                            const char *what, bool compare);

/* keys.c: a kernel's name at node into *kind; only_softmax limits the
 * choice to the kernels that may serve as topk's base. */
sk_status sk_read_kernel_name(loader *ld, const yaml_node_t *node, const char *path,
                              bool only_softmax, sk_kernel_kind *kind);

/* A string copied into the scene (NULL only when memory ran out). */
char *sk_copy_string(loader *ld, const char *text);

/* A path named in the file being read, made relative to the working
 * directory (the file's directory joined in front); *out is malloc'd. */
sk_status sk_resolve_path(loader *ld, const yaml_node_t *node, const char *path, const char *name,
                          char **out);

/* The whole file (at most 64 MiB) in a new NUL-terminated buffer. */
sk_status sk_read_file(const char *path, char **text, size_t *len, sk_error *err);

/* keys.c: the i'th colour (cycling) of the colour-blind-safe palette that
 * generated keys and video.palette use, sRGB. */
void sk_okabe_ito(size_t i, sk_rgb *out);

/* keys.c: appends keys from a CSV file (columns x, y, value and optionally
 * label, with a header line) named at node. */
sk_status sk_read_csv_keys(loader *ld, const yaml_node_t *node, const char *path);

/* generate.c: a PRNG of our own so that a seed gives the same keys on every
 * machine (rand() differs between C libraries). */
typedef struct sk_rng {
    uint64_t s[4];
} sk_rng;

void sk_rng_seed(sk_rng *rng, uint64_t seed);
/* Uniform in [0, 1). */
double sk_rng_uniform(sk_rng *rng);
/* Standard normal, approximated by the Irwin–Hall sum of 12 uniforms minus
 * 6: only additions, so every machine gets the same bits (log and cos from
 * libm may differ in the last place between C libraries). */
double sk_rng_normal(sk_rng *rng);

/* Appends n keys to the scene, growing its array; NULL when memory ran out. */
sk_key *sk_add_keys(loader *ld, size_t n);

/* Frees the keys' labels and the array; the scene has no keys after it. */
void sk_free_keys(sk_scene *scene);

/* One mapping the loader reads: its key path and the names it accepts. */
typedef struct sk_schema_table {
    const char *prefix; /* "" for the top level */
    const char *const *names;
    int count;
} sk_schema_table;

/* Emits prefix.name for every table (helper for the modules below). */
void sk_schema_emit(const sk_schema_table *tables, size_t count, sk_schema_visit visit,
                    void *context);

/* Each reader module's mappings (scene.c's own are emitted by sk_scene_schema). */
void sk_schema_keys(sk_schema_visit visit, void *context);
void sk_schema_motion(sk_schema_visit visit, void *context);
void sk_schema_display(sk_schema_visit visit, void *context);

/* Releases what motion.c allocated into a scene. */
void sk_free_motion(sk_scene *scene);

#endif
