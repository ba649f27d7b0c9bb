/* still.c — one frame of a scene as a PNG image, or as an SVG or PDF drawing.
 *
 * The frame is drawn by the same sk_draw_frame as a video's frames; only the
 * Cairo surface differs. PNG: an ARGB32 image surface, so a translucent
 * background stays translucent. SVG and PDF: Cairo's vector surfaces, one
 * point per pixel, where paths stay paths and text stays text (PDF: fonts
 * embedded as subsets with a ToUnicode map, so text can be selected; SVG:
 * each glyph a <symbol> placed with <use>). The only bitmap a vector still
 * holds is the field layer's image of the plot.
 *
 * Every format writes through one Cairo write function into a temporary file
 * beside the target (fileio.h), renamed into place only once Cairo has
 * finished the surface without error. */
#include "render.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "../fileio/fileio.h"

/* Where Cairo's output goes: the temporary file, and the first error met. */
typedef struct still_writer {
    sk_tempfile tmp;
    const char *target; /* for messages */
    sk_error *err;
    sk_status status; /* SK_OK until a write fails */
    bool discard;     /* set on the failure path: what Cairo still writes is dropped */
} still_writer;

/* cairo_write_func_t: every byte Cairo produces, in order. */
static cairo_status_t write_chunk(void *closure, const unsigned char *data, unsigned int length)
{
    still_writer *w = closure;
    if (w->discard || w->status != SK_OK)
        return CAIRO_STATUS_WRITE_ERROR;
    w->status = sk_tempfile_write(&w->tmp, w->target, data, length, w->err);
    return w->status == SK_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* A surface of width x height pixels (points for the vector formats) that
 * writes through w; Cairo reports failure through the surface's status. */
typedef cairo_surface_t *(*surface_opener)(still_writer *w, const sk_scene *scene, int width,
                                           int height);

static cairo_surface_t *open_png(still_writer *w, const sk_scene *scene, int width, int height)
{
    (void)w;
    (void)scene;
    return cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
}

static cairo_surface_t *open_svg(still_writer *w, const sk_scene *scene, int width, int height)
{
    (void)scene;
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(write_chunk, w, width, height);
    /* width="320px": a browser shows the drawing at the PNG's size (the
     * default, pt, would show it a third larger). Coordinates are unchanged. */
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    return s;
}

static cairo_surface_t *open_pdf(still_writer *w, const sk_scene *scene, int width, int height)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_chunk, w, width, height);
    if (scene->title[0])
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, scene->title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "softknn");
    return s;
}

typedef struct still_format {
    const char *extension; /* matched case-insensitively */
    surface_opener open;
    bool raster; /* written by cairo_surface_write_to_png_stream after drawing */
} still_format;

static const still_format formats[] = {
    {".png", open_png, true},
    {".svg", open_svg, false},
    {".pdf", open_pdf, false},
};

static const still_format *format_of(const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        size_t m = strlen(formats[i].extension);
        if (n > m && path[n - m - 1] != '/' && strcasecmp(path + n - m, formats[i].extension) == 0)
            return &formats[i];
    }
    return NULL;
}

int64_t sk_still_frame(const sk_scene *scene, double seconds)
{
    int64_t last = sk_scene_frame_count(scene) - 1;
    double frame = round(seconds * scene->fps); /* in double first: seconds may be huge */
    if (!(frame > 0.0))                         /* also NaN */
        return 0;
    return frame >= (double)last ? last : (int64_t)frame;
}

/* Everything a still holds; released by still_close in reverse order. */
typedef struct still {
    sk_scene *scene;
    sk_timeline *timeline;
    sk_evaluator *evaluator;
    still_writer writer;
    cairo_surface_t *surface;
    cairo_t *cr;
} still;

static void still_close(still *s)
{
    /* Destroying an unfinished vector surface finishes it, which writes:
     * after a failure that output is dropped, and err keeps the first cause. */
    s->writer.discard = true;
    if (s->cr)
        cairo_destroy(s->cr);
    if (s->surface)
        cairo_surface_destroy(s->surface);
    sk_tempfile_abandon(&s->writer.tmp);
    sk_evaluator_free(s->evaluator);
    sk_timeline_free(s->timeline);
    sk_scene_free(s->scene);
}

/* A Cairo failure as our error, unless it is a write error already reported
 * (with errno's text) by write_chunk. */
static sk_status cairo_failure(still *s, cairo_status_t status, const char *what, sk_error *err)
{
    if (status == CAIRO_STATUS_WRITE_ERROR && s->writer.status != SK_OK)
        return s->writer.status;
    return sk_error_set(err, SK_ERUNTIME, "%s: %s: %s", s->writer.target, what,
                        cairo_status_to_string(status));
}

static sk_status check_output(const sk_still_job *job, sk_error *err)
{
    if (!job->overwrite && sk_path_holds_file(job->output))
        return sk_error_set(err, SK_EINPUT, "%s already exists; use -y to overwrite it",
                            job->output);
    return sk_make_parent_dirs(job->output, err);
}

static sk_status open_surface(still *s, const still_format *format, sk_error *err)
{
    int w = s->scene->width, h = s->scene->height;
    s->surface = format->open(&s->writer, s->scene, w, h);
    cairo_status_t status = cairo_surface_status(s->surface);
    if (status != CAIRO_STATUS_SUCCESS)
        return cairo_failure(s, status, "cannot create the drawing surface", err);
    s->cr = cairo_create(s->surface);
    status = cairo_status(s->cr);
    if (status != CAIRO_STATUS_SUCCESS)
        return cairo_failure(s, status, "cannot create the drawing context", err);
    return SK_OK;
}

/* Everything drawn becomes bytes in the temporary file: the PNG encoded, or
 * the vector document completed by cairo_surface_finish. */
static sk_status finish(still *s, const still_format *format, sk_error *err)
{
    cairo_destroy(s->cr);
    s->cr = NULL;
    cairo_status_t status;
    if (format->raster) {
        cairo_surface_flush(s->surface);
        status = cairo_surface_write_to_png_stream(s->surface, write_chunk, &s->writer);
        if (status != CAIRO_STATUS_SUCCESS)
            return cairo_failure(s, status, "cannot write the PNG", err);
    }
    cairo_surface_finish(s->surface);
    status = cairo_surface_status(s->surface);
    if (status != CAIRO_STATUS_SUCCESS)
        return cairo_failure(s, status, "cannot finish the drawing", err);
    if (s->writer.status != SK_OK)
        return s->writer.status;
    return sk_tempfile_commit(&s->writer.tmp, s->writer.target, err);
}

sk_status sk_still(const sk_still_job *job, sk_error *err)
{
    still s = {.writer = {.tmp = SK_TEMPFILE_EMPTY, .target = job->output, .err = err}};
    const still_format *format = format_of(job->output);
    if (!format)
        return sk_error_set(err, SK_EINPUT,
                            "%s: unknown image format; the name must end in .png, .svg or .pdf",
                            job->output);
    if (!(job->time >= 0.0))
        return sk_error_set(err, SK_EINPUT, "--at %g: the time must be 0 or later", job->time);
    sk_status st = sk_load_scene(job->scene_path, &s.scene, err);
    if (st == SK_OK) {
        if (job->width > 0 && job->height > 0) {
            s.scene->width = job->width;
            s.scene->height = job->height;
        }
        st = check_output(job, err);
    }
    if (st == SK_OK)
        st = sk_timeline_new(s.scene, &s.timeline, err);
    if (st == SK_OK)
        st = sk_evaluator_new(s.scene, &s.evaluator, err);
    if (st == SK_OK)
        st = sk_tempfile_create(&s.writer.tmp, job->output, err);
    if (st == SK_OK)
        st = open_surface(&s, format, err);
    int64_t index = st == SK_OK ? sk_still_frame(s.scene, job->time) : 0;
    if (st == SK_OK)
        st = sk_draw_scene_frame(s.cr, s.scene, s.timeline, s.evaluator, index, err);
    if (st == SK_OK)
        st = finish(&s, format, err);
    if (st == SK_OK && !job->quiet)
        fprintf(stderr, "wrote %s: frame %lld of %lld (%.3f s), %dx%d\n", job->output,
                (long long)index, (long long)sk_scene_frame_count(s.scene),
                (double)index / s.scene->fps, s.scene->width, s.scene->height);
    still_close(&s);
    return st;
}
