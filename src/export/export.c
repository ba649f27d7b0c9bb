/* export.c — `softknn weights`: the numbers behind every frame, as CSV or JSON. */
#include "export.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../draw/draw.h"
#include "../fileio/fileio.h"
#include "../render/render.h"

/* Numbers are printed with the fewest of 15, 16 or 17 significant digits
 * that read back as the same double: exact, and 0.9 stays "0.9". */
#define NUM "%s"
#define NUMBER_MAX 32

typedef struct number {
    char text[NUMBER_MAX];
} number;

static number num(double v)
{
    number n;
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(n.text, sizeof n.text, "%.*g", digits, v);
        if (strtod(n.text, NULL) == v)
            break;
    }
    return n;
}

/* num(v).text, for printf arguments. */
#define N(v) (num(v).text)

typedef struct exporter {
    const sk_export_job *job;
    sk_scene *scene;
    sk_timeline *timeline;
    sk_evaluator *evaluator;
    sk_tempfile tmp; /* when writing to a file */
    FILE *out;
    bool first_record;
} exporter;

/* What one record holds besides the evaluator's frame. */
typedef struct record {
    const sk_frame *frame;
    sk_vec2 px; /* the query in output pixels */
} record;

/* ---- CSV ------------------------------------------------------------ */

/* RFC 4180: quote a field holding a comma, quote or line break; double quotes. */
static void csv_text(FILE *out, const char *text)
{
    if (!strpbrk(text, ",\"\r\n")) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *c = text; *c; c++) {
        if (*c == '"')
            fputc('"', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

static void csv_begin(exporter *ex)
{
    const sk_scene *s = ex->scene;
    fputs("frame,t,query_x,query_y,query_px,query_py,kernel,bandwidth,temperature,k,base,bias",
          ex->out);
    for (int i = 0; i < s->key_count; i++) {
        char name[256];
        snprintf(name, sizeof name, "w[%s]", s->keys[i].label);
        fputc(',', ex->out);
        csv_text(ex->out, name);
    }
    fputs(s->value_kind == SK_VALUE_SCALAR ? ",output" : ",output_r,output_g,output_b", ex->out);
    fputs(",entropy\n", ex->out);
}

/* The parameter if the kernel reads it, else an empty field. */
static void csv_parameter(FILE *out, const sk_kernel *k, unsigned flag, double value)
{
    fputc(',', out);
    if (sk_kernel_parameters(k) & flag)
        fprintf(out, NUM, N(value));
}

/* The key bias as the scene file names it, or "" when there is none. */
static const char *bias_name(const sk_kernel *k)
{
    return (sk_kernel_parameters(k) & SK_USES_BIAS) && k->key_bias ? "half_norm" : "";
}

static void csv_record(exporter *ex, const record *r)
{
    FILE *out = ex->out;
    const sk_frame_state *st = r->frame->state;
    const sk_kernel *k = &st->kernel;
    fprintf(out, "%lld," NUM "," NUM "," NUM "," NUM "," NUM ",%s", (long long)st->frame,
            N(st->time), N(st->query.x), N(st->query.y), N(r->px.x), N(r->px.y),
            sk_kernel_name(k->kind));
    csv_parameter(out, k, SK_USES_BANDWIDTH, k->bandwidth);
    csv_parameter(out, k, SK_USES_TEMPERATURE, k->temperature);
    csv_parameter(out, k, SK_USES_K, k->k);
    fprintf(out, ",%s", sk_kernel_uses(k->kind) & SK_USES_BASE ? sk_kernel_name(k->base) : "");
    fprintf(out, ",%s", bias_name(k));
    for (int i = 0; i < ex->scene->key_count; i++)
        fprintf(out, "," NUM, N(r->frame->weights[i]));
    bool scalar = ex->scene->value_kind == SK_VALUE_SCALAR;
    if (!r->frame->has_output)
        fputs(scalar ? ",," : ",,,,", out);
    else if (scalar)
        fprintf(out, "," NUM ",", N(r->frame->scalar));
    else
        fprintf(out, "," NUM "," NUM "," NUM ",", N(r->frame->output.r * 255.0),
                N(r->frame->output.g * 255.0), N(r->frame->output.b * 255.0));
    if (r->frame->has_output)
        fprintf(out, NUM, N(sk_entropy(r->frame->weights, (size_t)ex->scene->key_count)));
    fputc('\n', out);
}

static void csv_end(exporter *ex)
{
    (void)ex;
}

/* ---- JSON ----------------------------------------------------------- */

static void json_text(FILE *out, const char *text)
{
    fputc('"', out);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}

static void json_begin(exporter *ex)
{
    const sk_scene *s = ex->scene;
    FILE *out = ex->out;
    fputs("{\n  \"scene\": ", out);
    json_text(out, s->source);
    fprintf(out, ",\n  \"fps\": %d,\n  \"frames\": %lld,\n  \"width\": %d,\n  \"height\": %d,\n",
            s->fps, (long long)sk_scene_frame_count(s), s->width, s->height);
    fputs("  \"keys\": [", out);
    for (int i = 0; i < s->key_count; i++) {
        const sk_key *k = &s->keys[i];
        fprintf(out, "%s\n    {\"label\": ", i ? "," : "");
        json_text(out, k->label);
        fprintf(out, ", \"x\": " NUM ", \"y\": " NUM ", \"value\": ", N(k->at.x), N(k->at.y));
        if (s->value_kind == SK_VALUE_SCALAR)
            fprintf(out, NUM "}", N(k->scalar));
        else
            fprintf(out, "[" NUM ", " NUM ", " NUM "]}", N(k->value.r * 255), N(k->value.g * 255),
                    N(k->value.b * 255));
    }
    fputs("\n  ],\n  \"records\": [", out);
}

static void json_kernel(FILE *out, const sk_kernel *k)
{
    unsigned uses = sk_kernel_parameters(k);
    fprintf(out, "{\"name\": \"%s\"", sk_kernel_name(k->kind));
    if (uses & SK_USES_BASE)
        fprintf(out, ", \"base\": \"%s\"", sk_kernel_name(k->base));
    if (*bias_name(k))
        fprintf(out, ", \"bias\": \"%s\"", bias_name(k));
    if (uses & SK_USES_K)
        fprintf(out, ", \"k\": %d", k->k);
    if (uses & SK_USES_BANDWIDTH)
        fprintf(out, ", \"bandwidth\": " NUM, N(k->bandwidth));
    if (uses & SK_USES_TEMPERATURE)
        fprintf(out, ", \"temperature\": " NUM, N(k->temperature));
    fputc('}', out);
}

static void json_record(exporter *ex, const record *r)
{
    FILE *out = ex->out;
    const sk_frame *f = r->frame;
    const sk_frame_state *st = f->state;
    fprintf(out,
            "%s\n    {\"frame\": %lld, \"t\": " NUM ", \"query\": [" NUM ", " NUM
            "], \"query_px\": [" NUM ", " NUM "], \"kernel\": ",
            ex->first_record ? "" : ",", (long long)st->frame, N(st->time), N(st->query.x),
            N(st->query.y), N(r->px.x), N(r->px.y));
    json_kernel(out, &st->kernel);
    fputs(", \"weights\": [", out);
    for (int i = 0; i < ex->scene->key_count; i++)
        fprintf(out, "%s" NUM, i ? ", " : "", N(f->weights[i]));
    fputs("], \"output\": ", out);
    if (!f->has_output)
        fputs("null, \"entropy\": null}", out);
    else {
        if (ex->scene->value_kind == SK_VALUE_SCALAR)
            fprintf(out, NUM, N(f->scalar));
        else
            fprintf(out, "[" NUM ", " NUM ", " NUM "]", N(f->output.r * 255.0),
                    N(f->output.g * 255.0), N(f->output.b * 255.0));
        fprintf(out, ", \"entropy\": " NUM "}",
                N(sk_entropy(f->weights, (size_t)ex->scene->key_count)));
    }
}

static void json_end(exporter *ex)
{
    fputs("\n  ]\n}\n", ex->out);
}

/* ---- the frame loop ------------------------------------------------- */

static const struct format_row {
    void (*begin)(exporter *ex);
    void (*record)(exporter *ex, const record *r);
    void (*end)(exporter *ex);
} formats[] = {
    [SK_EXPORT_CSV] = {csv_begin, csv_record, csv_end},
    [SK_EXPORT_JSON] = {json_begin, json_record, json_end},
};

static sk_status open_output(exporter *ex, sk_error *err)
{
    const char *path = ex->job->output;
    if (!path) {
        ex->out = stdout;
        return SK_OK;
    }
    if (!ex->job->overwrite && sk_path_holds_file(path))
        return sk_error_set(err, SK_EINPUT, "%s already exists; use -y to overwrite it", path);
    sk_status st = sk_make_parent_dirs(path, err);
    if (st == SK_OK)
        st = sk_tempfile_create(&ex->tmp, path, err);
    if (st != SK_OK)
        return st;
    if (!(ex->out = fdopen(ex->tmp.fd, "w")))
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot write: %s", path, strerror(errno));
    ex->tmp.fd = -1; /* the FILE owns the descriptor now */
    return SK_OK;
}

/* Flushes, and for a file closes it and renames it into place. */
static sk_status close_output(exporter *ex, sk_error *err)
{
    const char *path = ex->job->output ? ex->job->output : "standard output";
    bool failed = fflush(ex->out) != 0 || ferror(ex->out);
    int errnum = errno;
    if (ex->out != stdout) {
        failed |= fclose(ex->out) != 0;
        ex->out = NULL;
    }
    if (failed)
        return sk_error_set(err, SK_ERUNTIME, "%s: cannot write: %s", path, strerror(errnum));
    return ex->job->output ? sk_tempfile_commit(&ex->tmp, ex->job->output, err) : SK_OK;
}

static void write_records(exporter *ex, int64_t first, int64_t end)
{
    const struct format_row *fmt = &formats[ex->job->format];
    fmt->begin(ex);
    ex->first_record = true;
    for (int64_t f = first; f < end; f++) {
        if (f % ex->job->every != 0)
            continue;
        sk_frame_state state;
        sk_frame frame;
        sk_timeline_state_at(ex->timeline, f, &state);
        sk_evaluate(ex->evaluator, &state, &frame);
        sk_layout layout;
        sk_layout_make(ex->scene->width, ex->scene->height, ex->scene, state.camera_center,
                       state.camera_zoom, &layout);
        record r = {&frame, sk_query_pixel(&layout, ex->scene, &frame)};
        fmt->record(ex, &r);
        ex->first_record = false;
    }
    fmt->end(ex);
}

sk_status sk_export_weights(const sk_export_job *job, sk_error *err)
{
    exporter ex = {.job = job, .tmp = SK_TEMPFILE_EMPTY};
    sk_status st = sk_scene_load(job->scene_path, &ex.scene, err);
    int64_t count = st == SK_OK ? sk_scene_frame_count(ex.scene) : 0;
    int64_t end = job->end_frame < 0 ? count : job->end_frame;
    if (st == SK_OK && (job->first_frame < 0 || job->first_frame >= end || end > count))
        st = sk_error_set(err, SK_EINPUT, "--frames %lld:%lld is outside the scene's %lld frames",
                          (long long)job->first_frame, (long long)end, (long long)count);
    if (st == SK_OK)
        st = sk_timeline_new(ex.scene, &ex.timeline, err);
    if (st == SK_OK)
        st = sk_evaluator_new(ex.scene, &ex.evaluator, err);
    if (st == SK_OK)
        st = open_output(&ex, err);
    if (st == SK_OK) {
        write_records(&ex, job->first_frame, end);
        st = close_output(&ex, err);
    }
    if (ex.out && ex.out != stdout)
        fclose(ex.out);
    sk_tempfile_abandon(&ex.tmp);
    sk_evaluator_free(ex.evaluator);
    sk_timeline_free(ex.timeline);
    sk_scene_free(ex.scene);
    return st;
}
