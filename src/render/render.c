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
#include "scene_extras.h"
#include "pipeline.h"
#include "progress.h"

/* Everything a render holds; released by render_close in reverse order.
 * The drawing surfaces belong to the pipeline's threads. */
typedef struct render {
    sk_scene *scene;
    sk_timeline *timeline;
    sk_sink *sink;
    sk_format format;
    int64_t first, end;
    sk_scene_extras extras; /* captions, chapters, audio on the range's timeline */
} render;

static void render_close(render *r)
{
    sk_sink_free(r->sink);
    sk_scene_extras_free(&r->extras);
    sk_timeline_free(r->timeline);
    sk_scene_free(r->scene);
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

/* A file that is not audio is the scene's mistake: said at audio.file's
 * place, before any frame is drawn. */
static sk_status check_audio(const sk_scene *scene, sk_error *err)
{
    if (!scene->audio_path || sk_audio_probe(scene->audio_path, err) == SK_OK)
        return SK_OK;
    char reason[SK_ERROR_MAX];
    snprintf(reason, sizeof reason, "%s", err ? err->message : "");
    return sk_error_at(err, SK_EINPUT, scene->audio_source, scene->audio_loc.line,
                       scene->audio_loc.col, "audio.file: %s", reason);
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
    if (sk_path_is_stdout(job->output)) {
        if (isatty(STDOUT_FILENO))
            return sk_error_set(err, SK_EINPUT,
                                "-o -: standard output is a terminal; raw frames are for "
                                "a pipe or a file (softknn render ... -o - | ffmpeg ...)");
        return SK_OK;
    }
    char first_path[4096];
    sk_status st =
        sk_format_frame_path(r->format, job->output, r->first, first_path, sizeof first_path, err);
    if (st != SK_OK)
        return st;
    if (!job->overwrite && sk_path_holds_file(first_path))
        return sk_error_set(err, SK_EINPUT, "%s already exists; use -y to overwrite it",
                            first_path);
    if (job->subtitles) {
        sk_subtitle_format ignored;
        st = sk_subtitle_format_from_path(job->subtitles, &ignored, err);
        if (st == SK_OK && !job->overwrite && sk_path_holds_file(job->subtitles))
            st = sk_error_set(err, SK_EINPUT, "%s already exists; use -y to overwrite it",
                              job->subtitles);
        if (st == SK_OK)
            st = sk_make_parent_dirs(job->subtitles, err);
        if (st != SK_OK)
            return st;
    }
    return sk_make_parent_dirs(job->output, err);
}

static sk_status render_frames(render *r, const sk_render_job *job, sk_error *err)
{
    sk_progress progress;
    sk_progress_start(&progress, r->end - r->first, job->quiet);
    sk_pipeline_job pipe = {.scene = r->scene,
                            .timeline = r->timeline,
                            .sink = r->sink,
                            .first = r->first,
                            .end = r->end,
                            .threads =
                                job->threads > 0 ? job->threads : sk_pipeline_default_threads(),
                            .cancel = job->cancel,
                            .progress = &progress};
    sk_status st = sk_pipeline_run(&pipe, err);
    if (st == SK_OK)
        st = sk_sink_finish(r->sink, err);
    if (st == SK_OK && job->subtitles)
        st = sk_subtitles_write(job->subtitles, &r->extras.extras, err);
    sk_progress_end(&progress);
    const char *name = sk_path_is_stdout(job->output) ? "standard output" : job->output;
    if (st == SK_EINTERRUPTED)
        return sk_error_set(err, SK_EINTERRUPTED, "interrupted; %s was not written", name);
    if (st != SK_OK || job->quiet)
        return st;
    double elapsed = sk_progress_now() - progress.started;
    fprintf(stderr, "wrote %s: %lld frames, %dx%d @ %d fps, in %.2f s (%.1f frames/s)\n", name,
            (long long)(r->end - r->first), r->scene->width, r->scene->height, r->scene->fps,
            elapsed, (r->end - r->first) / elapsed);
    return SK_OK;
}

sk_status sk_render(const sk_render_job *job, sk_error *err)
{
    render r = {0};
    sk_status st = sk_load_scene(job->scene_path, &r.scene, err);
    if (st == SK_OK) {
        apply_overrides(r.scene, job);
        st = job->format ? sk_format_from_name(job->format, job->output, &r.format, err)
                         : sk_format_from_path(job->output, &r.format, err);
    }
    if (st == SK_OK)
        st = check_size(r.scene, job, r.format, err);
    if (st == SK_OK)
        st = check_audio(r.scene, err);
    if (st == SK_OK)
        st = resolve_range(&r, job, err);
    if (st == SK_OK)
        st = check_output(&r, job, err);
    if (st == SK_OK)
        st = sk_scene_extras_make(r.scene, r.first, r.end, &r.extras, err);
    if (st == SK_OK)
        st = sk_timeline_new(r.scene, &r.timeline, err);
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
                                   .gif_dither = job->gif_dither,
                                   .png_compression = job->png_compression,
                                   .extras = &r.extras.extras};
        st = sk_sink_open(&options, &r.sink, err);
    }
    if (st == SK_OK)
        st = render_frames(&r, job, err);
    render_close(&r);
    return st;
}
