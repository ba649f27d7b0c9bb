/* bench_pipeline — softknn's render pipeline and MP4 sink with the drawing
 * taken out: each frame is read from a raw BGRA file (what `softknn render
 * SCENE -o FRAMES.bgra` writes) instead of drawn, then converted, encoded
 * and muxed exactly as `softknn render SCENE -o OUT.mp4` does, with the
 * same default settings and thread count. What is left is the work the
 * ffmpeg program also does on those frames, so its time over the ffmpeg
 * program's is the best ratio any drawing, however fast, could reach.
 *
 *   bench_pipeline SCENE FRAMES.bgra OUT.mp4
 *
 * Prints nothing but errors; scripts/bench times it. */
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>

#include "render/pipeline.h"
#include "render/render.h"

typedef struct raw_frames {
    int fd;
    int width, height;
} raw_frames;

/* Frame `frame` of the file, row by row into the surface's rows. */
static sk_status read_frame(void *ctx, int64_t frame, unsigned char *bgra, int stride,
                            sk_error *err)
{
    const raw_frames *raw = ctx;
    size_t row = (size_t)raw->width * 4;
    off_t at = (off_t)frame * (off_t)row * raw->height;
    for (int y = 0; y < raw->height; y++, at += (off_t)row)
        if (pread(raw->fd, bgra + (size_t)y * (size_t)stride, row, at) != (ssize_t)row)
            return sk_error_set(err, SK_ERUNTIME, "frame %lld: the raw file is too short",
                                (long long)frame);
    return SK_OK;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_pipeline SCENE FRAMES.bgra OUT.mp4\n");
        return 2;
    }
    mallopt(M_ARENA_MAX, 1);      /* as softknn's main() */
    sk_encode_set_verbose(false); /* errors only, as softknn without -v */
    sk_error err = {0};
    sk_scene *scene = NULL;
    sk_timeline *timeline = NULL;
    sk_sink *sink = NULL;
    raw_frames raw = {open(argv[2], O_RDONLY), 0, 0};
    sk_status status = raw.fd < 0 ? sk_error_set(&err, SK_EINPUT, "%s: cannot open", argv[2])
                                  : sk_load_scene(argv[1], &scene, &err);
    if (status == SK_OK)
        status = sk_timeline_new(scene, &timeline, &err);
    if (status == SK_OK) {
        raw.width = scene->width;
        raw.height = scene->height;
        sk_sink_options options = {.path = argv[3],
                                   .format = SK_FORMAT_MP4,
                                   .codec = SK_CODEC_DEFAULT,
                                   .width = scene->width,
                                   .height = scene->height,
                                   .fps = scene->fps,
                                   .crf = -1,
                                   .png_compression = -1};
        status = sk_sink_open(&options, &sink, &err);
    }
    if (status == SK_OK) {
        sk_pipeline_job job = {.scene = scene,
                               .timeline = timeline,
                               .sink = sink,
                               .first = 0,
                               .end = sk_timeline_frame_count(timeline),
                               .threads = sk_pipeline_default_threads(),
                               .source = read_frame,
                               .source_ctx = &raw};
        status = sk_pipeline_run(&job, &err);
    }
    if (status == SK_OK)
        status = sk_sink_finish(sink, &err);
    sk_sink_free(sink);
    sk_timeline_free(timeline);
    sk_scene_free(scene);
    if (raw.fd >= 0)
        close(raw.fd);
    if (status != SK_OK) {
        fprintf(stderr, "bench_pipeline: %s\n", err.message);
        return 1;
    }
    return 0;
}
