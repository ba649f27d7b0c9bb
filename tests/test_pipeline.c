/* The render pipeline in-process (render/pipeline.c), fed by a frame
 * source instead of the drawing (the seam bench_pipeline times it through):
 * whatever the thread count, the sink gets exactly the source's pixels, each
 * frame once, in frame order; a source's error stops the run and is the
 * error returned. The frames go to the raw sink, whose file is the bytes it
 * was given, so the file is read back and compared byte by byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/pipeline.h"
#include "render/render.h"

#define TINY "tests/scenes/tiny.yaml" /* 320x180, 12 frames */
#define W 320
#define H 180
#define FRAMES 12
#define OUT SK_TEST_TMP "/pipeline.bgra"

/* The byte at (x, y, channel c) of frame f: different in every frame. */
static unsigned char pattern(int64_t f, int x, int y, int c)
{
    return (unsigned char)(f * 37 + x * 3 + y * 7 + c * 11);
}

typedef struct source_calls {
    int64_t fail_at; /* -1: never */
} source_calls;

static sk_status fill(void *ctx, int64_t frame, unsigned char *bgra, int stride, sk_error *err)
{
    const source_calls *calls = ctx;
    if (frame == calls->fail_at)
        return sk_error_set(err, SK_ERUNTIME, "source failed at frame %lld", (long long)frame);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < 4; c++)
                bgra[y * stride + 4 * x + c] = pattern(frame, x, y, c);
    return SK_OK;
}

/* Runs frames [first, end) of the tiny scene from the source through
 * `threads` workers into the raw sink at OUT. */
static sk_status run(int threads, int64_t first, int64_t end, source_calls *calls, sk_error *err)
{
    sk_scene *scene = NULL;
    sk_timeline *timeline = NULL;
    sk_sink *sink = NULL;
    remove(OUT);
    sk_status status = sk_load_scene(TINY, &scene, err);
    if (status == SK_OK)
        status = sk_timeline_new(scene, &timeline, err);
    if (status == SK_OK) {
        assert_int_equal(scene->width, W);
        assert_int_equal(scene->height, H);
        sk_sink_options options = {.path = OUT,
                                   .format = SK_FORMAT_RAW,
                                   .width = W,
                                   .height = H,
                                   .fps = scene->fps,
                                   .crf = -1,
                                   .png_compression = -1};
        status = sk_sink_open(&options, &sink, err);
    }
    if (status == SK_OK) {
        sk_pipeline_job job = {.scene = scene,
                               .timeline = timeline,
                               .sink = sink,
                               .first = first,
                               .end = end,
                               .threads = threads,
                               .source = fill,
                               .source_ctx = calls};
        status = sk_pipeline_run(&job, err);
    }
    if (status == SK_OK)
        status = sk_sink_finish(sink, err);
    sk_sink_free(sink);
    sk_timeline_free(timeline);
    sk_scene_free(scene);
    return status;
}

static void expect_frames(int64_t first, int64_t end)
{
    FILE *f = fopen(OUT, "rb");
    assert_non_null(f);
    unsigned char *bytes = malloc((size_t)W * H * 4);
    assert_non_null(bytes);
    for (int64_t frame = first; frame < end; frame++) {
        assert_int_equal(fread(bytes, 1, (size_t)W * H * 4, f), (size_t)W * H * 4);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                for (int c = 0; c < 4; c++)
                    if (bytes[(y * W + x) * 4 + c] != pattern(frame, x, y, c))
                        fail_msg("frame %lld, pixel (%d, %d), channel %d: %d, expected %d",
                                 (long long)frame, x, y, c, bytes[(y * W + x) * 4 + c],
                                 pattern(frame, x, y, c));
    }
    assert_int_equal(fgetc(f), EOF); /* nothing more */
    free(bytes);
    fclose(f);
}

static void test_source_frames_in_order(void **state)
{
    (void)state;
    const int threads[] = {1, 2, 5};
    for (int i = 0; i < 3; i++) {
        source_calls calls = {-1};
        sk_error err = {0};
        if (run(threads[i], 0, FRAMES, &calls, &err) != SK_OK)
            fail_msg("%d threads: %s", threads[i], err.message);
        expect_frames(0, FRAMES);
    }
}

static void test_source_of_a_range(void **state)
{
    (void)state;
    source_calls calls = {-1};
    sk_error err = {0};
    if (run(3, 4, 9, &calls, &err) != SK_OK)
        fail_msg("%s", err.message);
    expect_frames(4, 9);
}

static void test_source_error_stops_the_run(void **state)
{
    (void)state;
    source_calls calls = {7};
    sk_error err = {0};
    assert_int_equal(run(2, 0, FRAMES, &calls, &err), SK_ERUNTIME);
    assert_string_equal(err.message, "source failed at frame 7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_frames_in_order),
        cmocka_unit_test(test_source_of_a_range),
        cmocka_unit_test(test_source_error_stops_the_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
