/* yaml_read.h — typed, checked reads from a loaded libyaml document (private
 * to scene/).
 *
 * Every reader takes the node to read and the dotted path of the value
 * ("attention.bandwidth", "keys[2].at") and, when the node is not what was
 * asked for, fills the reader's sk_error with
 *   "file:line:col: path: expected ..., found ..."
 * and returns SK_EINPUT. Line and column are those of the node at fault,
 * 1-based. Nothing here allocates (so nothing returns SK_ENOMEM): strings are
 * borrowed from the document and live as long as it does.
 *
 * Scalars are typed the way the YAML 1.2 core schema resolves plain scalars:
 * a plain 42 is a number, a plain true a boolean, a plain null/~/nothing a
 * null; anything quoted (or a block scalar) is always a string, so a quoted
 * "1" is not a number.
 */
#ifndef SK_SCENE_YAML_READ_H
#define SK_SCENE_YAML_READ_H

#include <locale.h>
#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "../core/core.h"
#include "../error/error.h"

/* Longest found-value or key quoted in a message, in characters; longer ones
 * end in "…" so that one huge scalar cannot push the location out of view. */
#define SK_YR_QUOTE_MAX 40

/* Bytes for a dotted path such as "query.path.points[123456][1]". */
#define SK_YR_PATH_MAX 128

/* Bytes for a quoted value (SK_YR_QUOTE_MAX characters of up to 6 bytes once
 * escaped, as in \u0085, plus "…") and for what sk_yr_describe writes. */
#define SK_YR_QUOTED_MAX (SK_YR_QUOTE_MAX * 6 + 8)
#define SK_YR_FOUND_MAX (SK_YR_QUOTED_MAX + 16)

/* Errors of one load, across every file it reads: each is a line of
 * err->message; after SK_YR_ERRORS_MAX lines the rest are only counted. */
#define SK_YR_ERRORS_MAX 20

typedef struct sk_yr_log {
    sk_error *err; /* may be NULL */
    int count;     /* errors reported so far */
} sk_yr_log;

typedef struct sk_yr {
    yaml_document_t *doc; /* borrowed */
    const char *file;     /* name used in messages; borrowed */
    sk_yr_log *log;       /* shared by every file of a load */
    locale_t c_numeric;   /* "C" numbers for strtod, whatever setlocale() said;
                             (locale_t)0 when it could not be made */
} sk_yr;

/* Sets r up to read doc; release with sk_yr_done. Never fails: without a
 * C locale object numbers are read in the process's locale. */
void sk_yr_init(sk_yr *r, yaml_document_t *doc, const char *file, sk_yr_log *log);

/* Adds a finished message line to the log (for errors found outside YAML,
 * such as in a CSV file); returns SK_EINPUT. */
sk_status sk_yr_log_line(sk_yr_log *log, const char *line);
void sk_yr_done(sk_yr *r);

/* A node's position, 1-based (libyaml's marks are 0-based). */
int sk_yr_line(const yaml_node_t *node);
int sk_yr_col(const yaml_node_t *node);

/* Writes a key path such as "animate.camera.zoom[2].value" into out; a path
 * too long for size is cut short (it only ever appears in messages). */
void sk_yr_subpath(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports "file:line:col: path: <printf message>" at node: adds it to the
 * log and returns SK_EINPUT, so that the caller can skip what depends on the
 * value while the load goes on to report the file's other errors. */
sk_status sk_yr_fail(const sk_yr *r, const yaml_node_t *node, const char *path, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

/* Writes what a message should say was found at node: "a mapping", "a list
 * of 3 items", "nothing", the text of a plain number / boolean / null as written, or
 * string "text" (escaped, shortened). size should be SK_YR_FOUND_MAX. */
void sk_yr_describe(const yaml_node_t *node, char *buf, size_t size);

/* Writes text[0..len) for a message: control characters, quotes and
 * backslashes escaped, cut after SK_YR_QUOTE_MAX characters with "…".
 * size should be SK_YR_QUOTED_MAX. */
void sk_yr_quote(const char *text, size_t len, char *buf, size_t size);

/* Requires node to be of the given type; the error says "expected <what>,
 * found ...", e.g. what = "a mapping". */
sk_status sk_yr_require_type(const sk_yr *r, const yaml_node_t *node, const char *path,
                             yaml_node_type_t type, const char *what);

/* The item'th element (0-based) of a sequence node, or NULL. */
yaml_node_t *sk_yr_item(const sk_yr *r, const yaml_node_t *seq, size_t item);
size_t sk_yr_item_count(const yaml_node_t *seq);

/* Reads a mapping whose keys must all be in names[0..count): values[i] gets the
 * value node of names[i], or NULL when that key is absent. A node that is not
 * a mapping is an error (SK_EINPUT, every value NULL). A key that is not a
 * scalar, unknown (reported at the key, with the nearest name) or given twice
 * is reported and skipped, and the known keys are still returned (SK_OK). */
sk_status sk_yr_mapping(const sk_yr *r, const yaml_node_t *map, const char *path,
                        const char *const *names, int count, yaml_node_t **values);

/* Reports "path: missing required key 'name'" at map when value is NULL. */
sk_status sk_yr_require_key(const sk_yr *r, const yaml_node_t *map, const char *path,
                            const char *name, const yaml_node_t *value);

/* The name in names[0..count) nearest to word (case-insensitive optimal
 * string alignment distance), or NULL when none is close enough to be the
 * likely intent: at most 2 edits, and at most half of word's length. */
const char *sk_yr_suggest(const char *word, const char *const *names, int count);

/* Writes names joined by ", " into buf (truncated to fit). */
void sk_yr_join_names(const char *const *names, int count, char *buf, size_t size);

/* Whether node is a plain scalar that reads as a number (finite or not). */
bool sk_yr_is_number(const yaml_node_t *node);

/* A finite number. "expected a number, found ..." for anything that is not a
 * plain numeric scalar, "expected a finite number" for .inf, .nan, 1e999. */
sk_status sk_yr_number(const sk_yr *r, const yaml_node_t *node, const char *path, double *out);

/* Bounds for sk_yr_number_in, and how a message states them (after "expected
 * a number "), e.g. "from 1e-6 to 1e6". */
typedef struct sk_yr_range {
    double min, max;
    bool min_exclusive; /* true: the value must be > min rather than >= min */
    const char *text;
} sk_yr_range;

/* A finite number within range; "expected a number <text>, found 0". */
sk_status sk_yr_number_in(const sk_yr *r, const yaml_node_t *node, const char *path,
                          const sk_yr_range *range, double *out);

/* An integer written as one (42, -3, +7; not 4.0) from min to max; both type
 * and range errors say "expected an integer from min to max, found ...". */
sk_status sk_yr_int(const sk_yr *r, const yaml_node_t *node, const char *path, long min, long max,
                    int *out);

/* true or false (also True/TRUE/False/FALSE, as in the YAML 1.2 core schema). */
sk_status sk_yr_bool(const sk_yr *r, const yaml_node_t *node, const char *path, bool *out);

/* A string without NUL characters; *out is borrowed from the document. */
sk_status sk_yr_string(const sk_yr *r, const yaml_node_t *node, const char *path, const char **out);

/* A colour: "#rgb", "#rrggbb", "#rrggbbaa" or a CSS name (case-insensitive),
 * sRGB in [0, 1]. alpha gets the opacity (1 unless #rrggbbaa); when alpha is
 * NULL the colour must be opaque. */
sk_status sk_yr_colour(const sk_yr *r, const yaml_node_t *node, const char *path, sk_rgb *out,
                       double *alpha);

/* A time in seconds: a number, or a string "1.5s", "250ms", "2:03.5"
 * (minutes:seconds) or "1:02:03" (hours:minutes:seconds), within range. */
sk_status sk_yr_time(const sk_yr *r, const yaml_node_t *node, const char *path,
                     const sk_yr_range *range, double *out);

/* Parses a time string as above; false if it is not one. */
bool sk_yr_parse_time(const char *text, double *seconds);

/* A list of exactly two nodes; what names them in the error ("[x, y]",
 * "[min, max]": "expected [min, max], found a list of 3 items"). */
sk_status sk_yr_pair(const sk_yr *r, const yaml_node_t *node, const char *path, const char *what,
                     yaml_node_t *items[2]);

/* A pair of numbers, each within range (path[0], path[1] in messages);
 * shape names it in errors, e.g. "[min, max]". */
sk_status sk_yr_number_pair(const sk_yr *r, const yaml_node_t *node, const char *path,
                            const char *shape, const sk_yr_range *range, double out[2]);

/* [x, y]: a pair of numbers, each within range (path[0], path[1] in messages). */
sk_status sk_yr_vec2(const sk_yr *r, const yaml_node_t *node, const char *path,
                     const sk_yr_range *range, sk_vec2 *out);

/* Parses a colour from text alone (no YAML); false if it is not one.
 * alpha may be NULL. */
bool sk_yr_parse_colour(const char *text, sk_rgb *out, double *alpha);

/* The i'th CSS colour name in the table (sorted), or NULL past the end; lets
 * the tests check the table is complete and in order. */
const char *sk_yr_colour_name(int i);

#endif
