/* csv.c — keys read from a CSV file: `- from_csv: points.csv`.
 *
 * The first line names the columns; x, y and value are required, label is
 * optional, others are ignored. Fields follow RFC 4180 (quotes around a field
 * that holds commas, "" for a quote). Values are numbers or colours, like a
 * key's value in the scene. Errors name the CSV file's own line and column. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

#define FIELDS_MAX 64
#define FIELD_BYTES_MAX 256

enum { COL_X, COL_Y, COL_VALUE, COL_LABEL, COLS };
static const char *const column_names[COLS] = {"x", "y", "value", "label"};

typedef struct csv_reader {
    loader *ld;
    const char *file; /* the CSV's path, for messages */
    const char *p;    /* the next character */
    int line, col;    /* of p, 1-based */
    int errors;
} csv_reader;

typedef struct field {
    char text[FIELD_BYTES_MAX];
    int line, col; /* where it starts */
} field;

static sk_status csv_fail(csv_reader *c, int line, int col, const char *fmt, const char *a,
                          const char *b)
{
    char what[512];
    snprintf(what, sizeof what, fmt, a, b);
    sk_error e;
    sk_error_at(&e, SK_EINPUT, c->file, line, col, "%s", what);
    c->errors++;
    return sk_yr_log_line(&c->ld->log, e.message);
}

static void advance(csv_reader *c)
{
    if (*c->p == '\n') {
        c->line++;
        c->col = 1;
    } else {
        c->col++;
    }
    c->p++;
}

/* Reads one field; stops before the ',' or line end that ends it. */
static sk_status read_field(csv_reader *c, field *f)
{
    size_t n = 0;
    f->line = c->line;
    f->col = c->col;
    bool quoted = *c->p == '"';
    if (quoted)
        advance(c);
    while (*c->p && (quoted || (*c->p != ',' && *c->p != '\n' && *c->p != '\r'))) {
        if (quoted && *c->p == '"') {
            if (c->p[1] != '"') { /* the closing quote */
                advance(c);
                quoted = false;
                break;
            }
            advance(c); /* "" is one quote */
        }
        if (n + 1 < sizeof f->text)
            f->text[n++] = *c->p;
        advance(c);
    }
    f->text[n] = '\0';
    if (quoted)
        return csv_fail(c, f->line, f->col, "a quoted field is not closed%s%s", "", "");
    if (*c->p && *c->p != ',' && *c->p != '\n' && *c->p != '\r')
        return csv_fail(c, c->line, c->col,
                        "expected ',' or the end of the line after a quoted field%s%s", "", "");
    return SK_OK;
}

/* Reads a line of fields; returns how many (0 at the end of the text). */
static int read_row(csv_reader *c, field *fields, sk_status *status)
{
    int n = 0;
    if (!*c->p)
        return 0;
    for (;;) {
        field scratch;
        field *f = n < FIELDS_MAX ? &fields[n] : &scratch;
        if ((*status = read_field(c, f)) != SK_OK)
            break;
        n++;
        if (*c->p != ',')
            break;
        advance(c);
    }
    while (*c->p && *c->p != '\n') /* the rest of a bad line, and a \r */
        advance(c);
    if (*c->p)
        advance(c);
    return n > FIELDS_MAX ? FIELDS_MAX : n;
}

static bool parse_number(const char *text, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(text, &end);
    return end != text && *end == '\0' && isfinite(*out) && errno != ERANGE;
}

static sk_status find_columns(csv_reader *c, const field *header, int n, int *index)
{
    for (int k = 0; k < COLS; k++) {
        index[k] = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(header[i].text, column_names[k]) == 0)
                index[k] = i;
        if (index[k] < 0 && k != COL_LABEL)
            return csv_fail(
                c, 1, 1, "the first line must name the columns x, y and value; '%s' is missing%s",
                column_names[k], "");
    }
    return SK_OK;
}

/* One data row into a new key. */
static sk_status read_key_row(csv_reader *c, const field *f, int n, const int *index, int row_line)
{
    sk_scene *s = c->ld->scene;
    for (int k = 0; k < COLS; k++)
        if (index[k] >= n)
            return csv_fail(c, row_line, 1, "expected a value in column '%s'%s", column_names[k],
                            "");
    sk_key *key = sk_add_keys(c->ld, 1);
    if (!key)
        return SK_ENOMEM;
    const field *x = &f[index[COL_X]], *y = &f[index[COL_Y]], *v = &f[index[COL_VALUE]];
    sk_status status = SK_OK;
    if (!parse_number(x->text, &key->at.x) || fabs(key->at.x) > 1e6)
        status =
            csv_fail(c, x->line, x->col,
                     "column 'x': expected a number from -1e6 to 1e6, found '%s'%s", x->text, "");
    if (!parse_number(y->text, &key->at.y) || fabs(key->at.y) > 1e6)
        status =
            csv_fail(c, y->line, y->col,
                     "column 'y': expected a number from -1e6 to 1e6, found '%s'%s", y->text, "");
    bool numeric = parse_number(v->text, &key->scalar);
    if (s->key_count == 1)
        s->value_kind = numeric ? SK_VALUE_SCALAR : SK_VALUE_COLOUR;
    if (numeric != (s->value_kind == SK_VALUE_SCALAR) ||
        (!numeric && !sk_yr_parse_colour(v->text, &key->value, NULL)))
        status = csv_fail(
            c, v->line, v->col, "column 'value': expected %s like the first key's, found '%s'",
            s->value_kind == SK_VALUE_SCALAR ? "a number" : "an opaque colour", v->text);
    const char *label = index[COL_LABEL] >= 0 ? f[index[COL_LABEL]].text : "";
    if (!(key->label = sk_copy_string(c->ld, label)))
        return SK_ENOMEM;
    return status;
}

sk_status sk_read_csv_keys(loader *ld, const yaml_node_t *node, const char *path)
{
    const char *name;
    char *file = NULL, *text = NULL;
    size_t len;
    sk_error file_err;
    sk_status status = sk_yr_string(&ld->r, node, path, &name);
    if (status || (status = sk_resolve_path(ld, node, path, name, &file)))
        return status;
    if ((status = sk_read_file(file, &text, &len, &file_err)) != SK_OK) {
        status = status == SK_ENOMEM ? sk_error_nomem(ld->log.err)
                                     : sk_yr_fail(&ld->r, node, path, "%s", file_err.message);
        free(file);
        return status;
    }
    csv_reader c = {ld, file, text, 1, 1, 0};
    field fields[FIELDS_MAX];
    int index[COLS];
    int n = read_row(&c, fields, &status);
    if (status == SK_OK)
        status = n ? find_columns(&c, fields, n, index)
                   : csv_fail(&c, 1, 1, "the file is empty; expected a header line x,y,value%s%s",
                              "", "");
    while (status != SK_ENOMEM && c.errors == 0 && *c.p) {
        int row_line = c.line;
        n = read_row(&c, fields, &status);
        if (status == SK_OK && !(n == 1 && fields[0].text[0] == '\0')) /* skip blank lines */
            status = ld->scene->key_count >= KEYS_MAX
                         ? csv_fail(&c, row_line, 1, "more than %s keys%s", "100000", "")
                         : read_key_row(&c, fields, n, index, row_line);
    }
    free(text);
    free(file);
    return status == SK_ENOMEM ? status : (c.errors ? SK_EINPUT : SK_OK);
}
