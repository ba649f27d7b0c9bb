/* yaml_read.c — typed, checked reads from a libyaml document; see yaml_read.h. */
#include "yaml_read.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Set-up, positions and messages
 */

void sk_yr_init(sk_yr *r, yaml_document_t *doc, const char *file, sk_yr_log *log)
{
    r->doc = doc;
    r->file = file;
    r->log = log;
    /* strtod follows LC_NUMERIC, and a caller that ran setlocale(LC_ALL, "")
     * for Pango under a comma-decimal locale would turn 1.5 into 1. */
    r->c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

void sk_yr_done(sk_yr *r)
{
    if (r->c_numeric)
        freelocale(r->c_numeric);
    r->c_numeric = (locale_t)0;
}

static int one_based(size_t zero_based)
{
    return zero_based >= (size_t)INT_MAX ? INT_MAX : (int)zero_based + 1;
}

void sk_yr_subpath(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

int sk_yr_line(const yaml_node_t *node)
{
    return one_based(node->start_mark.line);
}

int sk_yr_col(const yaml_node_t *node)
{
    return one_based(node->start_mark.column);
}

sk_status sk_yr_log_line(sk_yr_log *log, const char *line)
{
    if (log->count++ >= SK_YR_ERRORS_MAX || !log->err)
        return SK_EINPUT;
    sk_error *err = log->err;
    size_t used = log->count > 1 ? strlen(err->message) : 0;
    err->status = SK_EINPUT;
    snprintf(err->message + used, sizeof err->message - used, "%s%s", used ? "\n" : "", line);
    return SK_EINPUT;
}

sk_status sk_yr_fail(const sk_yr *r, const yaml_node_t *node, const char *path, const char *fmt,
                     ...)
{
    char what[SK_ERROR_MAX / 4];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    sk_error line;
    sk_error_at(&line, SK_EINPUT, r->file, sk_yr_line(node), sk_yr_col(node), "%s: %s", path, what);
    return sk_yr_log_line(r->log, line.message);
}

/* ---------------------------------------------------------------------------
 * Quoting found values
 */

/* Appends piece to buf at *used unless that would leave no room for the
 * ellipsis; returns false when it did not fit. */
static bool append(char *buf, size_t size, size_t *used, const char *piece, size_t n)
{
    static const size_t ellipsis = sizeof "…"; /* with its NUL */
    if (*used + n + ellipsis > size)
        return false;
    memcpy(buf + *used, piece, n);
    *used += n;
    buf[*used] = '\0';
    return true;
}

/* Length of the UTF-8 sequence led by byte c (libyaml has validated it). */
static size_t utf8_length(unsigned char c)
{
    return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The next character of text as it should appear in a message: control
 * characters escaped (they could move the terminal's cursor or split the
 * message over lines), quotes and backslashes escaped. Returns bytes read. */
static size_t printable(const unsigned char *s, size_t len, char piece[8], size_t *n)
{
    size_t take = utf8_length(s[0]);
    if (take > len)
        take = len;
    if (s[0] == '"' || s[0] == '\\') {
        *n = (size_t)snprintf(piece, 8, "\\%c", s[0]);
    } else if (s[0] == '\n') {
        *n = (size_t)snprintf(piece, 8, "\\n");
    } else if (s[0] < 0x20 || s[0] == 0x7F) {
        *n = (size_t)snprintf(piece, 8, "\\x%02x", s[0]);
    } else if (take == 2 && s[0] == 0xC2 && s[1] < 0xA0) { /* C1 controls */
        *n = (size_t)snprintf(piece, 8, "\\u%04x", s[1]);
    } else {
        memcpy(piece, s, take);
        *n = take;
    }
    return take;
}

void sk_yr_quote(const char *text, size_t len, char *buf, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t used = 0, i = 0;
    buf[0] = '\0';
    for (int chars = 0; i < len && chars < SK_YR_QUOTE_MAX; chars++) {
        char piece[8];
        size_t n, take = printable(s + i, len - i, piece, &n);
        if (!append(buf, size, &used, piece, n))
            break;
        i += take;
    }
    if (i < len)
        snprintf(buf + used, size - used, "…");
}

/* ---------------------------------------------------------------------------
 * What a scalar is (the YAML 1.2 core schema, for plain scalars)
 */

typedef enum scalar_kind {
    SCALAR_STRING,
    SCALAR_EMPTY, /* a plain scalar with no text: "key:" with nothing after */
    SCALAR_NULL,
    SCALAR_BOOL,
    SCALAR_NUMBER,
} scalar_kind;

static const char *const null_words[] = {"~", "null", "Null", "NULL", NULL};
static const char *const true_words[] = {"true", "True", "TRUE", NULL};
static const char *const false_words[] = {"false", "False", "FALSE", NULL};
static const char *const inf_words[] = {".inf", ".Inf", ".INF", NULL};
static const char *const nan_words[] = {".nan", ".NaN", ".NAN", NULL};

static bool is_word(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++)
        if (strlen(*words) == n && memcmp(s, *words, n) == 0)
            return true;
    return false;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t skip_digits(const char *s, size_t n, size_t i)
{
    while (i < n && is_digit(s[i]))
        i++;
    return i;
}

/* Matches [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, the core
 * schema's float (which contains its decimal int); *integer is set when the
 * text has neither a point nor an exponent. */
static bool is_decimal(const char *s, size_t n, bool *integer)
{
    size_t i = 0, start;
    *integer = true;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    start = i;
    i = skip_digits(s, n, i);
    size_t digits = i - start;
    if (i < n && s[i] == '.') {
        *integer = false;
        start = ++i;
        i = skip_digits(s, n, i);
        digits += i - start;
    }
    if (digits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        *integer = false;
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        start = i;
        i = skip_digits(s, n, i);
        if (i == start)
            return false;
    }
    return i == n;
}

static bool is_infinity(const char *s, size_t n)
{
    if (n > 0 && (s[0] == '-' || s[0] == '+'))
        return is_word(s + 1, n - 1, inf_words);
    return is_word(s, n, inf_words);
}

static scalar_kind kind_of(const yaml_node_t *node)
{
    const char *s = (const char *)node->data.scalar.value;
    size_t n = node->data.scalar.length;
    bool integer;
    /* Quoted and block scalars are strings whatever they hold. */
    if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return SCALAR_STRING;
    if (n == 0)
        return SCALAR_EMPTY;
    if (is_word(s, n, null_words))
        return SCALAR_NULL;
    if (is_word(s, n, true_words) || is_word(s, n, false_words))
        return SCALAR_BOOL;
    if (is_decimal(s, n, &integer) || is_infinity(s, n) || is_word(s, n, nan_words))
        return SCALAR_NUMBER;
    return SCALAR_STRING;
}

static bool is_scalar(const yaml_node_t *node, scalar_kind kind)
{
    return node->type == YAML_SCALAR_NODE && kind_of(node) == kind;
}

void sk_yr_describe(const yaml_node_t *node, char *buf, size_t size)
{
    char q[SK_YR_QUOTED_MAX];
    size_t items;
    switch (node->type) {
    case YAML_MAPPING_NODE: snprintf(buf, size, "a mapping"); return;
    case YAML_SEQUENCE_NODE:
        items = sk_yr_item_count(node);
        if (items == 0)
            snprintf(buf, size, "an empty list");
        else
            snprintf(buf, size, "a list of %zu item%s", items, items == 1 ? "" : "s");
        return;
    case YAML_SCALAR_NODE: break;
    default: snprintf(buf, size, "nothing"); return;
    }
    sk_yr_quote((const char *)node->data.scalar.value, node->data.scalar.length, q, sizeof q);
    switch (kind_of(node)) {
    case SCALAR_EMPTY: snprintf(buf, size, "nothing"); break;
    case SCALAR_STRING: snprintf(buf, size, "string \"%s\"", q); break;
    default: /* numbers, booleans and nulls read best as written: found 0 */
        snprintf(buf, size, "%s", q);
        break;
    }
}

/* "path: expected <what>, found <node>". */
static sk_status fail_expected(const sk_yr *r, const yaml_node_t *node, const char *path,
                               const char *what)
{
    char found[SK_YR_FOUND_MAX];
    sk_yr_describe(node, found, sizeof found);
    return sk_yr_fail(r, node, path, "expected %s, found %s", what, found);
}

/* ---------------------------------------------------------------------------
 * Structure: types, lists, mappings
 */

sk_status sk_yr_require_type(const sk_yr *r, const yaml_node_t *node, const char *path,
                             yaml_node_type_t type, const char *what)
{
    return node->type == type ? SK_OK : fail_expected(r, node, path, what);
}

size_t sk_yr_item_count(const yaml_node_t *seq)
{
    if (seq->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *sk_yr_item(const sk_yr *r, const yaml_node_t *seq, size_t item)
{
    if (item >= sk_yr_item_count(seq))
        return NULL;
    return yaml_document_get_node(r->doc, seq->data.sequence.items.start[item]);
}

static bool key_is(const yaml_node_t *key, const char *name)
{
    size_t n = strlen(name);
    return key->data.scalar.length == n && memcmp(key->data.scalar.value, name, n) == 0;
}

void sk_yr_join_names(const char *const *names, int count, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static sk_status unknown_key(const sk_yr *r, const yaml_node_t *key, const char *path,
                             const char *const *names, int count)
{
    char q[SK_YR_QUOTED_MAX], list[SK_ERROR_MAX / 2];
    const char *text = (const char *)key->data.scalar.value;
    sk_yr_quote(text, key->data.scalar.length, q, sizeof q);
    sk_yr_join_names(names, count, list, sizeof list);
    const char *near = sk_yr_suggest(text, names, count);
    if (near)
        return sk_yr_fail(r, key, path,
                          "unknown key '%s' (did you mean '%s'?); expected one of: %s", q, near,
                          list);
    return sk_yr_fail(r, key, path, "unknown key '%s'; expected one of: %s", q, list);
}

/* The key node of the first pair of map whose key is name. */
static const yaml_node_t *first_key(const sk_yr *r, const yaml_node_t *map, const char *name)
{
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const yaml_node_t *key = yaml_document_get_node(r->doc, p->key);
        if (key && key->type == YAML_SCALAR_NODE && key_is(key, name))
            return key;
    }
    return NULL;
}

/* Finds which of names key is, or reports why it is none of them. */
static sk_status key_slot(const sk_yr *r, const yaml_node_t *key, const char *path,
                          const char *const *names, int count, int *slot)
{
    if (key->type != YAML_SCALAR_NODE)
        return fail_expected(r, key, path, "a key name");
    for (int i = 0; i < count; i++) {
        if (key_is(key, names[i])) {
            *slot = i;
            return SK_OK;
        }
    }
    return unknown_key(r, key, path, names, count);
}

sk_status sk_yr_mapping(const sk_yr *r, const yaml_node_t *map, const char *path,
                        const char *const *names, int count, yaml_node_t **values)
{
    for (int i = 0; i < count; i++)
        values[i] = NULL;
    sk_status status = sk_yr_require_type(r, map, path, YAML_MAPPING_NODE, "a mapping");
    if (status)
        return status;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        yaml_node_t *key = yaml_document_get_node(r->doc, p->key);
        yaml_node_t *value = yaml_document_get_node(r->doc, p->value);
        if (!key || !value) /* libyaml never makes such a pair; do not trust it */
            return sk_yr_fail(r, map, path, "malformed mapping");
        int slot = 0;
        if (key_slot(r, key, path, names, count, &slot) != SK_OK)
            continue;
        /* libyaml keeps duplicate keys; YAML forbids them, and silently
         * taking the first or the last would hide a mistake. */
        if (values[slot]) {
            sk_yr_fail(r, key, path, "duplicate key '%s' (first given at line %d)", names[slot],
                       sk_yr_line(first_key(r, map, names[slot])));
            continue;
        }
        values[slot] = value;
    }
    return SK_OK;
}

sk_status sk_yr_require_key(const sk_yr *r, const yaml_node_t *map, const char *path,
                            const char *name, const yaml_node_t *value)
{
    if (value)
        return SK_OK;
    return sk_yr_fail(r, map, path, "missing required key '%s'", name);
}

/* ---------------------------------------------------------------------------
 * Suggestions
 */

/* Longest word compared, in bytes; anything longer is no typo of ours. */
#define SUGGEST_MAX 64
/* Most edits a suggestion may be away from what was written. */
#define SUGGEST_EDITS 2

static int fold(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : (unsigned char)c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance (Levenshtein plus swaps of neighbours,
 * so "bandwdith" is one edit from "bandwidth"), ignoring ASCII case. Both
 * lengths at most SUGGEST_MAX. Three rolling rows: i-2, i-1 and i. */
static size_t edit_distance(const char *a, size_t n, const char *b, size_t m)
{
    size_t rows[3][SUGGEST_MAX + 1];
    for (size_t j = 0; j <= m; j++)
        rows[0][j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t *cur = rows[i % 3], *up = rows[(i - 1) % 3], *up2 = rows[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cost = fold(a[i - 1]) != fold(b[j - 1]);
            cur[j] = min3(up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost);
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && up2[j - 2] + 1 < cur[j])
                cur[j] = up2[j - 2] + 1;
        }
    }
    return rows[n % 3][m];
}

const char *sk_yr_suggest(const char *word, const char *const *names, int count)
{
    size_t n = strlen(word), best_distance = SIZE_MAX;
    const char *best = NULL;
    if (n > SUGGEST_MAX)
        return NULL;
    for (int i = 0; i < count; i++) {
        size_t m = strlen(names[i]);
        if (m > SUGGEST_MAX || m > n + SUGGEST_EDITS || n > m + SUGGEST_EDITS)
            continue;
        size_t d = edit_distance(word, n, names[i], m);
        if (d < best_distance) {
            best_distance = d;
            best = names[i];
        }
    }
    /* Half the word may not be replaced: "x" is not a typo of "y". */
    if (best_distance > SUGGEST_EDITS || best_distance > n / 2)
        return NULL;
    return best;
}

/* ---------------------------------------------------------------------------
 * Scalars
 */

/* text matches is_decimal, .inf or .nan (so contains no NUL). */
static double parse_number(const sk_yr *r, const char *text, size_t n)
{
    if (is_word(text, n, nan_words))
        return NAN;
    if (is_infinity(text, n))
        return text[0] == '-' ? -INFINITY : INFINITY;
    locale_t old = r->c_numeric ? uselocale(r->c_numeric) : (locale_t)0;
    double v = strtod(text, NULL); /* 1e999 gives HUGE_VAL: caught as not finite */
    if (old)
        uselocale(old);
    return v;
}

bool sk_yr_is_number(const yaml_node_t *node)
{
    return is_scalar(node, SCALAR_NUMBER);
}

sk_status sk_yr_number(const sk_yr *r, const yaml_node_t *node, const char *path, double *out)
{
    if (!is_scalar(node, SCALAR_NUMBER))
        return fail_expected(r, node, path, "a number");
    double v = parse_number(r, (const char *)node->data.scalar.value, node->data.scalar.length);
    if (!isfinite(v))
        return fail_expected(r, node, path, "a finite number");
    *out = v;
    return SK_OK;
}

/* Stores v in *out if it is within range; otherwise reports "expected
 * <what> <range text>, found ...". */
static sk_status within(const sk_yr *r, const yaml_node_t *node, const char *path,
                        const char *what, const sk_yr_range *range, double v, double *out)
{
    bool low = range->min_exclusive ? v <= range->min : v < range->min;
    if (low || v > range->max) {
        char expected[SK_YR_PATH_MAX];
        snprintf(expected, sizeof expected, "%s %s", what, range->text);
        return fail_expected(r, node, path, expected);
    }
    *out = v;
    return SK_OK;
}

sk_status sk_yr_number_in(const sk_yr *r, const yaml_node_t *node, const char *path,
                          const sk_yr_range *range, double *out)
{
    double v = 0.0;
    sk_status status = sk_yr_number(r, node, path, &v);
    return status ? status : within(r, node, path, "a number", range, v, out);
}

sk_status sk_yr_int(const sk_yr *r, const yaml_node_t *node, const char *path, long min, long max,
                    int *out)
{
    bool integer = false;
    if (is_scalar(node, SCALAR_NUMBER)) {
        const char *text = (const char *)node->data.scalar.value;
        if (is_decimal(text, node->data.scalar.length, &integer) && integer) {
            errno = 0;
            long long v = strtoll(text, NULL, 10);
            if (errno == 0 && v >= min && v <= max) {
                *out = (int)v;
                return SK_OK;
            }
        }
    }
    char what[SK_YR_PATH_MAX];
    snprintf(what, sizeof what, "an integer from %ld to %ld", min, max);
    return fail_expected(r, node, path, what);
}

sk_status sk_yr_bool(const sk_yr *r, const yaml_node_t *node, const char *path, bool *out)
{
    if (!is_scalar(node, SCALAR_BOOL))
        return fail_expected(r, node, path, "true or false");
    *out = is_word((const char *)node->data.scalar.value, node->data.scalar.length, true_words);
    return SK_OK;
}

static bool has_nul(const yaml_node_t *node)
{
    return memchr(node->data.scalar.value, '\0', node->data.scalar.length) != NULL;
}

sk_status sk_yr_string(const sk_yr *r, const yaml_node_t *node, const char *path, const char **out)
{
    if (!is_scalar(node, SCALAR_STRING))
        return fail_expected(r, node, path, "a string");
    /* "\0" in a double-quoted scalar would cut the C string short unseen. */
    if (has_nul(node))
        return fail_expected(r, node, path, "text without NUL characters");
    *out = (const char *)node->data.scalar.value;
    return SK_OK;
}

sk_status sk_yr_colour(const sk_yr *r, const yaml_node_t *node, const char *path, sk_rgb *out,
                       double *alpha)
{
    double a = 1.0;
    if (is_scalar(node, SCALAR_STRING) && !has_nul(node) &&
        sk_yr_parse_colour((const char *)node->data.scalar.value, out, &a)) {
        if (alpha)
            *alpha = a;
        else if (a < 1.0)
            return fail_expected(r, node, path, "an opaque colour (#rgb, #rrggbb or a CSS name)");
        return SK_OK;
    }
    char found[SK_YR_FOUND_MAX];
    sk_yr_describe(node, found, sizeof found);
    /* background: #0f172a, unquoted, is a comment: YAML sees no value at all. */
    const char *hint = is_scalar(node, SCALAR_EMPTY)
                           ? " (quote a colour that starts with '#': unquoted, '#' "
                             "starts a comment)"
                           : "";
    return sk_yr_fail(r, node, path,
                      "expected a colour (#rgb, #rrggbb, #rrggbbaa or a CSS name), found %s%s",
                      found, hint);
}

sk_status sk_yr_pair(const sk_yr *r, const yaml_node_t *node, const char *path, const char *what,
                     yaml_node_t *items[2])
{
    if (sk_yr_item_count(node) != 2)
        return fail_expected(r, node, path, what);
    items[0] = sk_yr_item(r, node, 0);
    items[1] = sk_yr_item(r, node, 1);
    if (!items[0] || !items[1]) /* a dangling node index: libyaml never makes one */
        return fail_expected(r, node, path, what);
    return SK_OK;
}

sk_status sk_yr_number_pair(const sk_yr *r, const yaml_node_t *node, const char *path,
                            const char *shape, const sk_yr_range *range, double out[2])
{
    yaml_node_t *items[2] = {NULL, NULL};
    char item_path[SK_YR_PATH_MAX];
    sk_status status = sk_yr_pair(r, node, path, shape, items);
    for (int i = 0; i < 2 && status == SK_OK; i++) {
        snprintf(item_path, sizeof item_path, "%s[%d]", path, i);
        status = sk_yr_number_in(r, items[i], item_path, range, &out[i]);
    }
    return status;
}

sk_status sk_yr_vec2(const sk_yr *r, const yaml_node_t *node, const char *path,
                     const sk_yr_range *range, sk_vec2 *out)
{
    double xy[2];
    sk_status status = sk_yr_number_pair(r, node, path, "[x, y]", range, xy);
    if (status == SK_OK)
        *out = (sk_vec2){xy[0], xy[1]};
    return status;
}

/* ---------------------------------------------------------------------------
 * Colours
 */

typedef struct css_colour {
    const char *name; /* lower case; the table is sorted by it for bsearch */
    uint32_t rgb;     /* 0xRRGGBB, sRGB */
} css_colour;

/* The 148 named colours of CSS Color Module Level 4, section 6.1. */
static const css_colour css_colours[] = {
    {"aliceblue", 0xf0f8ff},
    {"antiquewhite", 0xfaebd7},
    {"aqua", 0x00ffff},
    {"aquamarine", 0x7fffd4},
    {"azure", 0xf0ffff},
    {"beige", 0xf5f5dc},
    {"bisque", 0xffe4c4},
    {"black", 0x000000},
    {"blanchedalmond", 0xffebcd},
    {"blue", 0x0000ff},
    {"blueviolet", 0x8a2be2},
    {"brown", 0xa52a2a},
    {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0},
    {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e},
    {"coral", 0xff7f50},
    {"cornflowerblue", 0x6495ed},
    {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c},
    {"cyan", 0x00ffff},
    {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b},
    {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9},
    {"darkgreen", 0x006400},
    {"darkgrey", 0xa9a9a9},
    {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b},
    {"darkolivegreen", 0x556b2f},
    {"darkorange", 0xff8c00},
    {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000},
    {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f},
    {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f},
    {"darkslategrey", 0x2f4f4f},
    {"darkturquoise", 0x00ced1},
    {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493},
    {"deepskyblue", 0x00bfff},
    {"dimgray", 0x696969},
    {"dimgrey", 0x696969},
    {"dodgerblue", 0x1e90ff},
    {"firebrick", 0xb22222},
    {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22},
    {"fuchsia", 0xff00ff},
    {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff},
    {"gold", 0xffd700},
    {"goldenrod", 0xdaa520},
    {"gray", 0x808080},
    {"green", 0x008000},
    {"greenyellow", 0xadff2f},
    {"grey", 0x808080},
    {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4},
    {"indianred", 0xcd5c5c},
    {"indigo", 0x4b0082},
    {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c},
    {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00},
    {"lemonchiffon", 0xfffacd},
    {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080},
    {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90},
    {"lightgrey", 0xd3d3d3},
    {"lightpink", 0xffb6c1},
    {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa},
    {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xb0c4de},
    {"lightyellow", 0xffffe0},
    {"lime", 0x00ff00},
    {"limegreen", 0x32cd32},
    {"linen", 0xfaf0e6},
    {"magenta", 0xff00ff},
    {"maroon", 0x800000},
    {"mediumaquamarine", 0x66cdaa},
    {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db},
    {"mediumseagreen", 0x3cb371},
    {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a},
    {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa},
    {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5},
    {"navajowhite", 0xffdead},
    {"navy", 0x000080},
    {"oldlace", 0xfdf5e6},
    {"olive", 0x808000},
    {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500},
    {"orangered", 0xff4500},
    {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa},
    {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee},
    {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9},
    {"peru", 0xcd853f},
    {"pink", 0xffc0cb},
    {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6},
    {"purple", 0x800080},
    {"rebeccapurple", 0x663399},
    {"red", 0xff0000},
    {"rosybrown", 0xbc8f8f},
    {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460},
    {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee},
    {"sienna", 0xa0522d},
    {"silver", 0xc0c0c0},
    {"skyblue", 0x87ceeb},
    {"slateblue", 0x6a5acd},
    {"slategray", 0x708090},
    {"slategrey", 0x708090},
    {"snow", 0xfffafa},
    {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4},
    {"tan", 0xd2b48c},
    {"teal", 0x008080},
    {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0},
    {"violet", 0xee82ee},
    {"wheat", 0xf5deb3},
    {"white", 0xffffff},
    {"whitesmoke", 0xf5f5f5},
    {"yellow", 0xffff00},
    {"yellowgreen", 0x9acd32},
};

#define CSS_COLOUR_COUNT (sizeof css_colours / sizeof css_colours[0])
#define CSS_NAME_MAX 20 /* bytes in the longest name, "lightgoldenrodyellow" */

const char *sk_yr_colour_name(int i)
{
    if (i < 0 || (size_t)i >= CSS_COLOUR_COUNT)
        return NULL;
    return css_colours[i].name;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* "rgb" or "rrggbb" (after the '#'); each digit of the short form doubles,
 * as in CSS: #f80 is #ff8800. */
static bool parse_hex(const char *s, size_t n, sk_rgb *out, double *alpha)
{
    size_t per = n == 3 ? 1 : (n == 6 || n == 8) ? 2 : 0;
    int channels = n == 8 ? 4 : 3;
    double channel[4] = {0, 0, 0, 1};
    if (!per)
        return false;
    for (int c = 0; c < channels; c++) {
        int v = 0;
        for (size_t k = 0; k < 2; k++) {
            int d = hex_value(s[(size_t)c * per + (per == 2 ? k : 0)]);
            if (d < 0)
                return false;
            v = v * 16 + d;
        }
        channel[c] = v / 255.0;
    }
    *out = (sk_rgb){channel[0], channel[1], channel[2]};
    if (alpha)
        *alpha = channel[3];
    return true;
}

static int compare_colour(const void *name, const void *entry)
{
    return strcmp(name, ((const css_colour *)entry)->name);
}

bool sk_yr_parse_colour(const char *text, sk_rgb *out, double *alpha)
{
    size_t n = strlen(text);
    char lower[CSS_NAME_MAX + 1];
    if (n > 0 && text[0] == '#')
        return parse_hex(text + 1, n - 1, out, alpha);
    if (alpha)
        *alpha = 1.0;
    if (n == 0 || n > CSS_NAME_MAX)
        return false;
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)fold(text[i]);
    const css_colour *c =
        bsearch(lower, css_colours, CSS_COLOUR_COUNT, sizeof css_colours[0], compare_colour);
    if (!c)
        return false;
    *out = (sk_rgb){((c->rgb >> 16) & 0xFF) / 255.0, ((c->rgb >> 8) & 0xFF) / 255.0,
                    (c->rgb & 0xFF) / 255.0};
    return true;
}

/* ---------------------------------------------------------------------------
 * Times
 */

/* A non-negative decimal number and nothing else ("2", "03.5"). */
static bool parse_decimal(const char *text, size_t n, double *out)
{
    char buf[32];
    if (n == 0 || n >= sizeof buf || !strchr("0123456789.", text[0]))
        return false;
    memcpy(buf, text, n);
    buf[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (!strchr("0123456789.", buf[i]))
            return false;
    char *end;
    *out = strtod(buf, &end);
    return *end == '\0' && isfinite(*out);
}

bool sk_yr_parse_time(const char *text, double *seconds)
{
    size_t n = strlen(text);
    double v;
    if (n > 2 && strcmp(text + n - 2, "ms") == 0 && parse_decimal(text, n - 2, &v)) {
        *seconds = v / 1000.0;
        return true;
    }
    if (n > 1 && text[n - 1] == 's' && parse_decimal(text, n - 1, &v)) {
        *seconds = v;
        return true;
    }
    /* [[h:]m:]s, each part after the first below 60 */
    double total = 0.0;
    int parts = 0;
    for (const char *part = text;; parts++) {
        const char *colon = strchr(part, ':');
        size_t len = colon ? (size_t)(colon - part) : strlen(part);
        if (parts > 2 || !parse_decimal(part, len, &v) || (parts > 0 && v >= 60.0) ||
            (colon && strchr(part, '.') && strchr(part, '.') < colon))
            return false;
        total = total * 60.0 + v;
        if (!colon)
            break;
        part = colon + 1;
    }
    *seconds = total;
    return parts > 0;
}

sk_status sk_yr_time(const sk_yr *r, const yaml_node_t *node, const char *path,
                     const sk_yr_range *range, double *out)
{
    if (is_scalar(node, SCALAR_NUMBER))
        return sk_yr_number_in(r, node, path, range, out);
    double v;
    const char *text = is_scalar(node, SCALAR_STRING) ? (const char *)node->data.scalar.value : "";
    /* A sign only where the range has room for it (audio.offset: "-0.5s"). */
    bool negative = text[0] == '-' && range->min < 0;
    if (!is_scalar(node, SCALAR_STRING) || has_nul(node) || !sk_yr_parse_time(text + negative, &v))
        return fail_expected(r, node, path, "a time (seconds, or \"1.5s\", \"250ms\", \"2:03.5\")");
    return within(r, node, path, "a time", range, negative ? -v : v, out);
}
