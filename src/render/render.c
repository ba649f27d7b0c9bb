#include "render.h"

#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/core.h"
#include "../draw/draw.h"
#include "../encode/encode.h"
#include "../fileio/fileio.h"
#include "../scene/scene.h"
#include "../timeline/timeline.h"

/* Everything a render holds; released by render_close in reverse order. */
typedef struct render {
    sk_scene *scene;
    sk_timeline *timeline;
    sk_sink *sink;
    cairo_surface_t *surface;
    cairo_t *cr;
    sk_evaluator *evaluator;
    sk_format format;
    int64_t first, end;
} render;

static void render_close(render *r)
{
    sk_evaluator_free(r->evaluator);
    if (r->cr)
        cairo_destroy(r->cr);
    if (r->surface)
        cairo_surface_destroy(r->surface);
    sk_sink_free(r->sink);
    sk_timeline_free(r->timeline);
    sk_scene_free(r->scene);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Command-line overrides replace the scene's own video settings before
 * anything else reads them; the scene is not shared yet. */
static void apply_overrides(sk_scene *scene, const sk_render_job *job)
{
    if (job->width > 0 && job->height > 0) {
        scene->width = job->width;
        scene->height = job->height;
    }
    if (job->fps > 0)
        scene->fps = job->fps;
    /* An opaque background (every theme's) becomes transparent; one the
     * scene made translucent on purpose is kept. */
    if (job->transparent && scene->background_alpha >= 1.0)
        scene->background_alpha = 0.0;
}

static sk_status check_size(const sk_scene *scene, const sk_render_job *job, sk_format format,
                            sk_error *err)
{
    if (!sk_format_needs_even_size(format) || (scene->width % 2 == 0 && scene->height % 2 == 0))
        return SK_OK;
    const char *name = sk_format_name(format);
    if (job->width > 0)
        return sk_error_set(err, SK_EINPUT,
                            "--size %dx%d is odd, but %s needs an even width and height",
                            scene->width, scene->height, name);
    return sk_error_at(err, SK_EINPUT, scene->source, scene->size_loc.line, scene->size_loc.col,
                       "video.size: %dx%d is odd, but %s needs an even width and height (try "
                       "%dx%d)",
                       scene->width, scene->height, name, scene->width + scene->width % 2,
                       scene->height + scene->height % 2);
}

static sk_status resolve_range(render *r, const sk_render_job *job, sk_error *err)
{
    int64_t count = sk_scene_frame_count(r->scene);
    r->first = job->first_frame;
    r->end = job->end_frame < 0 ? count : job->end_frame;
    if (r->first < 0 || r->first >= r->end || r->end > count)
        return sk_error_set(
            err, SK_EINPUT, "--frames %lld:%lld is outside the scene's %lld frames (0:%lld)",
            (long long)r->first, (long long)r->end, (long long)count, (long long)count);
    return SK_OK;
}

static sk_status check_output(const render *r, const sk_render_job *job, sk_error *err)
{
    char first_path[4096];
    sk_status st =
        sk_format_frame_path(r->format, job->output, r->first, first_path, sizeof first_path, err);
    if (st != SK_OK)
        return st;
    if (!job->overwrite && access(first_path, F_OK) == 0)
        return sk_error_set(err, SK_EINPUT, "%s already exists; use -y to overwrite it",
                            first_path);
    return sk_make_parent_dirs(job->output, err);
}

static sk_status open_canvas(render *r, sk_error *err)
{
    r->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, r->scene->width, r->scene->height);
    cairo_status_t status = cairo_surface_status(r->surface);
    if (status == CAIRO_STATUS_SUCCESS) {
        r->cr = cairo_create(r->surface);
        status = cairo_status(r->cr);
    }
    if (status != CAIRO_STATUS_SUCCESS)
        return sk_error_set(err, SK_ERUNTIME, "cannot create a %dx%d drawing surface: %s",
                            r->scene->width, r->scene->height, cairo_status_to_string(status));
    return SK_OK;
}

static sk_status draw_and_encode(render *r, int64_t index, sk_error *err)
{
    sk_status st = sk_draw_scene_frame(r->cr, r->scene, r->timeline, r->evaluator, index, err);
    if (st != SK_OK)
        return st;
    cairo_surface_flush(r->surface);
    return sk_sink_write(r->sink, index, cairo_image_surface_get_data(r->surface),
                         cairo_image_surface_get_stride(r->surface), err);
}

static void report_progress(int64_t done, int64_t total, double started)
{
    double elapsed = now_seconds() - started;
    double fps = elapsed > 0 ? done / elapsed : 0.0;
    double eta = fps > 0 ? (total - done) / fps : 0.0;
    fprintf(stderr, "\rframe %lld/%lld  %5.1f fps  ETA %4.0f s ", (long long)done, (long long)total,
            fps, eta);
}

static sk_status render_frames(render *r, const sk_render_job *job, sk_error *err)
{
    bool progress = !job->quiet && isatty(STDERR_FILENO);
    double started = now_seconds();
    for (int64_t f = r->first; f < r->end; f++) {
        if (job->cancel && *job->cancel)
            return sk_error_set(err, SK_EINTERRUPTED, "interrupted; %s was not written",
                                job->output);
        sk_status st = draw_and_encode(r, f, err);
        if (st != SK_OK)
            return st;
        if (progress && ((f - r->first) % 10 == 9 || f + 1 == r->end))
            report_progress(f + 1 - r->first, r->end - r->first, started);
    }
    sk_status st = sk_sink_finish(r->sink, err);
    if (st != SK_OK)
        return st;
    if (progress)
        fputc('\n', stderr);
    if (!job->quiet) {
        double elapsed = now_seconds() - started;
        fprintf(stderr, "wrote %s: %lld frames, %dx%d @ %d fps, in %.2f s (%.1f frames/s)\n",
                job->output, (long long)(r->end - r->first), r->scene->width, r->scene->height,
                r->scene->fps, elapsed, (r->end - r->first) / elapsed);
    }
    return SK_OK;
}

sk_status sk_render(const sk_render_job *job, sk_error *err)
{
    render r = {0};
    sk_status st = sk_scene_load(job->scene_path, &r.scene, err);
    if (st == SK_OK) {
        apply_overrides(r.scene, job);
        st = job->format ? sk_format_from_name(job->format, job->output, &r.format, err)
                         : sk_format_from_path(job->output, &r.format, err);
    }
    if (st == SK_OK)
        st = check_size(r.scene, job, r.format, err);
    if (st == SK_OK)
        st = resolve_range(&r, job, err);
    if (st == SK_OK)
        st = check_output(&r, job, err);
    if (st == SK_OK)
        st = sk_timeline_new(r.scene, &r.timeline, err);
    if (st == SK_OK)
        st = sk_evaluator_new(r.scene, &r.evaluator, err);
    if (st == SK_OK)
        st = open_canvas(&r, err);
    if (st == SK_OK) {
        sk_sink_options options = {.path = job->output,
                                   .format = r.format,
                                   .codec = job->codec,
                                   .width = r.scene->width,
                                   .height = r.scene->height,
                                   .fps = r.scene->fps,
                                   .crf = job->crf,
                                   .preset = job->preset,
                                   .transparent = job->transparent,
                                   .gif_width = job->gif_width,
                                   .png_compression = job->png_compression};
        st = sk_sink_open(&options, &r.sink, err);
    }
    if (st == SK_OK)
        st = render_frames(&r, job, err);
    render_close(&r);
    return st;
}
