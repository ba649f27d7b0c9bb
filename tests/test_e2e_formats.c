/* End-to-end: every output format, written by the real softknn binary and
 * read back by ffprobe/ffmpeg (codec, pixel format, size, frame count, tags,
 * decoded pixels), the -q presets, ranges joined by concat compared frame by
 * frame with the one-piece render, and the errors for options that do not
 * fit the format. Expected values come from the scene file and the formats'
 * definitions (tiny.yaml: 320x180, 12 fps, 12 frames, background #0f172a). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "draw/draw.h"
#include "frame.h"
#include "support.h"

#define TINY "tests/scenes/tiny.yaml"
#define DIR SK_TEST_TMP "/formats"
/* A pixel of tiny.yaml's frame 0 that only the background covers. */
#define BG_X 2
#define BG_Y 2

/* Runs softknn expecting exit status 2 and every needle in its stderr. */
static void input_error(const char *const args[], const char *needle, const char *needle2)
{
    run_result r = run_softknn(args);
    if (r.exit_code != 2)
        fail_msg("expected exit 2, got %d: %s", r.exit_code, r.err);
    if (!strstr(r.err, needle) || (needle2 && !strstr(r.err, needle2)))
        fail_msg("stderr lacks \"%s\"/\"%s\": %s", needle, needle2 ? needle2 : "", r.err);
    run_result_free(&r);
}

static void run_ok(const char *const argv[])
{
    run_result r = run_program(argv);
    if (r.exit_code != 0)
        fail_msg("%s exited %d: %s", argv[0], r.exit_code, r.err);
    run_result_free(&r);
}

/* ffprobe's view of the first video stream, decoding every frame to count them. */
static run_result probe(const char *path)
{
    run_result r = run_program((const char *const[]){
        "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries",
        "stream=codec_name,codec_tag_string,pix_fmt,width,height,avg_frame_rate,nb_read_frames,"
        "color_space,color_transfer,color_primaries:stream_tags=alpha_mode",
        "-of", "default=nw=1", path, NULL});
    if (r.exit_code != 0)
        fail_msg("ffprobe %s: %s", path, r.err);
    return r;
}

typedef struct expected_stream {
    const char *codec, *tag, *pix_fmt, *width, *height, *frames;
    bool bt709;
} expected_stream;

static void expect_stream(const char *path, expected_stream e)
{
    run_result r = probe(path);
    expect_probe_value(r.out, "codec_name", e.codec);
    if (e.tag)
        expect_probe_value(r.out, "codec_tag_string", e.tag);
    if (e.pix_fmt)
        expect_probe_value(r.out, "pix_fmt", e.pix_fmt);
    expect_probe_value(r.out, "width", e.width);
    expect_probe_value(r.out, "height", e.height);
    expect_probe_value(r.out, "nb_read_frames", e.frames);
    if (e.bt709) {
        expect_probe_value(r.out, "color_space", "bt709");
        expect_probe_value(r.out, "color_primaries", "bt709");
        expect_probe_value(r.out, "color_transfer", "bt709");
    }
    run_result_free(&r);
}

static void setup_dir(void)
{
    remove_dir_tree(DIR);
    run_ok((const char *const[]){"mkdir", "-p", DIR, NULL});
}

static void test_every_format_probes(void **state)
{
    (void)state;
    setup_dir();
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/a.mp4", "--quiet", NULL});
    expect_stream(DIR "/a.mp4",
                  (expected_stream){"h264", "avc1", "yuv420p", "320", "180", "12", true});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/b.mp4", "--codec", "h265",
                                         "--quiet", NULL});
    expect_stream(DIR "/b.mp4",
                  (expected_stream){"hevc", "hvc1", "yuv420p", "320", "180", "12", true});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/c.webm", "--quiet", NULL});
    expect_stream(DIR "/c.webm",
                  (expected_stream){"vp9", NULL, "yuv420p", "320", "180", "12", true});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/d.mov", "--quiet", NULL});
    /* apch: ProRes 422 HQ */
    expect_stream(DIR "/d.mov",
                  (expected_stream){"prores", "apch", "yuv422p10le", "320", "180", "12", true});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/e.gif", "--quiet", NULL});
    expect_stream(DIR "/e.gif", (expected_stream){"gif", NULL, NULL, "320", "180", "12", false});
    /* --format wins over a path without a known extension. */
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/f.video", "--format", "webm",
                                         "--quiet", NULL});
    expect_stream(DIR "/f.video",
                  (expected_stream){"vp9", NULL, "yuv420p", "320", "180", "12", true});
}

/* The first frame decoded as straight RGBA, 320x180x4 bytes. */
static unsigned char *decode_rgba(const char *path, const char *decoder)
{
    const char *raw = DIR "/decoded.rgba";
    if (decoder)
        run_ok((const char *const[]){"ffmpeg", "-v", "error", "-y", "-c:v", decoder, "-i", path,
                                     "-frames:v", "1", "-pix_fmt", "rgba", "-f", "rawvideo", raw,
                                     NULL});
    else
        run_ok((const char *const[]){"ffmpeg", "-v", "error", "-y", "-i", path, "-frames:v", "1",
                                     "-pix_fmt", "rgba", "-f", "rawvideo", raw, NULL});
    size_t size = 0;
    unsigned char *data = (unsigned char *)read_file(raw, &size);
    assert_non_null(data);
    assert_int_equal(size, 320 * 180 * 4);
    return data;
}

/* The query's disc at frame 0: (0, 0.3) in scene units, in pixels. */
static void query_pixel(int *x, int *y)
{
    sk_vec2 centre = scene_point_px(TINY, 320, 180, (sk_vec2){0.0, 0.3});
    *x = (int)floor(centre.x);
    *y = (int)floor(centre.y);
}

/* Alpha where only the background is (0) and on the query's disc (opaque). */
static void expect_alpha(const unsigned char *rgba, int min_opaque)
{
    int qx, qy;
    query_pixel(&qx, &qy);
    int background = rgba[(BG_Y * 320 + BG_X) * 4 + 3];
    int disc = rgba[(qy * 320 + qx) * 4 + 3];
    if (background != 0 || disc < min_opaque)
        fail_msg("alpha: background %d (expected 0), query disc %d (expected >= %d)", background,
                 disc, min_opaque);
}

static void test_alpha_in_webm_mov_png(void **state)
{
    (void)state;
    setup_dir();
    /* Without --transparent the background pixel is the scene's #0f172a, opaque. */
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/opaque.mov", "--frames", "0:1",
                                         "--quiet", NULL});
    unsigned char *rgba = decode_rgba(DIR "/opaque.mov", NULL);
    const unsigned char *bg = rgba + (BG_Y * 320 + BG_X) * 4;
    if (abs(bg[0] - 0x0f) > 2 || abs(bg[1] - 0x17) > 2 || abs(bg[2] - 0x2a) > 2 || bg[3] != 255)
        fail_msg("opaque background pixel is %d %d %d %d", bg[0], bg[1], bg[2], bg[3]);
    free(rgba);

    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/t.mov", "--transparent",
                                         "--frames", "0:1", "--quiet", NULL});
    /* ap4h: ProRes 4444; FFmpeg's decoder reports 12-bit samples */
    expect_stream(DIR "/t.mov",
                  (expected_stream){"prores", "ap4h", "yuva444p12le", "320", "180", "1", true});
    rgba = decode_rgba(DIR "/t.mov", NULL);
    expect_alpha(rgba, 254);
    free(rgba);

    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/t.webm", "--transparent",
                                         "--frames", "0:1", "--quiet", NULL});
    run_result r = probe(DIR "/t.webm");
    /* VP9 keeps alpha as a second stream, flagged on the track; FFmpeg's own
     * vp9 decoder ignores it and reports yuv420p, libvpx decodes it. */
    expect_probe_value(r.out, "TAG:alpha_mode", "1");
    run_result_free(&r);
    rgba = decode_rgba(DIR "/t.webm", "libvpx-vp9");
    expect_alpha(rgba, 250);
    free(rgba);

    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/t_%02d.png", "--transparent",
                                         "--frames", "0:1", "--quiet", NULL});
    size_t size;
    unsigned char *png = (unsigned char *)read_file(DIR "/t_00.png", &size);
    assert_non_null(png);
    assert_true(size > 26);
    assert_int_equal(png[25], 6); /* IHDR colour type 6: RGB with alpha */
    free(png);
    rgba = decode_rgba(DIR "/t_00.png", NULL);
    expect_alpha(rgba, 255);
    free(rgba);
}

/* A half-transparent red background (#ff000080) is kept as it is, with
 * straight alpha as the formats define it: red stays 255, not the 128 that
 * Cairo's premultiplied pixels hold. */
static void test_translucent_background_is_straight_alpha(void **state)
{
    (void)state;
    setup_dir();
    const char *outs[3] = {DIR "/tr.mov", DIR "/tr.webm", DIR "/tr_%d.png"};
    const char *decoded[3] = {DIR "/tr.mov", DIR "/tr.webm", DIR "/tr_0.png"};
    const char *decoders[3] = {NULL, "libvpx-vp9", NULL};
    for (int i = 0; i < 3; i++) {
        run_softknn_ok((const char *const[]){"render", "tests/scenes/translucent.yaml", "-o",
                                             outs[i], "--transparent", "--frames", "0:1", "--quiet",
                                             NULL});
        unsigned char *rgba = decode_rgba(decoded[i], decoders[i]);
        const unsigned char *bg = rgba + (BG_Y * 320 + BG_X) * 4;
        if (bg[0] < 247 || bg[1] > 8 || bg[2] > 8 || abs(bg[3] - 128) > 3)
            fail_msg("%s: background %d %d %d %d, expected 255 0 0 128", outs[i], bg[0], bg[1],
                     bg[2], bg[3]);
        free(rgba);
    }
}

static void test_gif_rate_width_and_loop(void **state)
{
    (void)state;
    setup_dir();
    /* 60 fps for 1 s: above GIF's 50, so every 2nd frame: 30 frames at 30 fps. */
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/g.gif", "--fps", "60",
                                         "--gif-width", "160", "--quiet", NULL});
    expect_stream(DIR "/g.gif", (expected_stream){"gif", NULL, NULL, "160", "90", "30", false});
    size_t size;
    char *bytes = read_file(DIR "/g.gif", &size);
    assert_non_null(bytes);
    /* The NETSCAPE2.0 application block with loop count 0: forever. */
    const char loop[] = "NETSCAPE2.0\x03\x01\x00\x00";
    bool found = false;
    for (size_t i = 0; i + sizeof loop - 1 <= size && !found; i++)
        found = memcmp(bytes + i, loop, sizeof loop - 1) == 0;
    free(bytes);
    assert_true(found);
    /* 50 fps is kept as it is: 50 frames, 2 centiseconds apart. */
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/h.gif", "--fps", "50", "-y",
                                         "--quiet", NULL});
    expect_stream(DIR "/h.gif", (expected_stream){"gif", NULL, NULL, "320", "180", "50", false});
}

/* How far the 8x8 block means of a decoded GIF frame (RGBA) are from the
 * drawn frame's (opaque BGRA), summed over blocks and channels: what a
 * viewer sees from a little way off, which dithering exists to keep. */
static double block_mean_error(const unsigned char *rgba, const unsigned char *bgra)
{
    double total = 0.0;
    for (int by = 0; by < 180 / 8; by++)
        for (int bx = 0; bx < 320 / 8; bx++)
            for (int c = 0; c < 3; c++) {
                double gif = 0.0, drawn = 0.0;
                for (int y = 8 * by; y < 8 * by + 8; y++)
                    for (int x = 8 * bx; x < 8 * bx + 8; x++) {
                        gif += rgba[(y * 320 + x) * 4 + c];
                        drawn += bgra[(y * 320 + x) * 4 + 2 - c];
                    }
                total += fabs(gif - drawn) / 64.0;
            }
    return total;
}

/* The share of pixels whose colour differs from their right neighbour's. */
static double changes(const unsigned char *rgba)
{
    int n = 0;
    for (int y = 0; y < 180; y++)
        for (int x = 0; x + 1 < 320; x++)
            n += memcmp(rgba + (y * 320 + x) * 4, rgba + (y * 320 + x + 1) * 4, 3) != 0;
    return n / (180.0 * 319.0);
}

/* On scenes/temperature.yaml's field (a gradient over the whole plot):
 * without dithering the gradient falls into flat bands; both dithers break
 * the bands up into pixels of neighbouring colours; error diffusion keeps
 * the local average colour closer to the drawn frame than the bands do. */
static void test_gif_dithers(void **state)
{
    (void)state;
    setup_dir();
    const char *scene = "scenes/temperature.yaml";
    run_softknn_ok((const char *const[]){"render", scene, "-o", DIR "/drawn.bgra", "--size",
                                         "320x180", "--frames", "0:1", "-y", "--quiet", NULL});
    size_t size = 0;
    unsigned char *drawn = (unsigned char *)read_file(DIR "/drawn.bgra", &size);
    assert_non_null(drawn);
    assert_int_equal(size, 320 * 180 * 4);
    const char *names[] = {"none", "bayer", "sierra2_4a"};
    double error[3], change[3];
    unsigned char *frames[3];
    for (int i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, DIR "/dither-%s.gif", names[i]);
        run_softknn_ok((const char *const[]){"render", scene, "-o", path, "--size", "320x180",
                                             "--frames", "0:1", "--gif-dither", names[i], "-y",
                                             "--quiet", NULL});
        frames[i] = decode_rgba(path, NULL);
        error[i] = block_mean_error(frames[i], drawn);
        change[i] = changes(frames[i]);
    }
    print_message("block-mean error: none %.0f, bayer %.0f, sierra2_4a %.0f; pixels unlike the "
                  "next: %.3f, %.3f, %.3f\n",
                  error[0], error[1], error[2], change[0], change[1], change[2]);
    /* Measured with FFmpeg 5.1: 0.27, 0.84, 0.42 and 1523, 2366, 966 (bayer's
     * pattern, of fixed strength, shows on flat panels too). */
    assert_true(change[1] > 2.0 * change[0]);
    assert_true(change[2] > 1.3 * change[0]);
    assert_true(error[2] < 0.8 * error[0]);
    assert_memory_not_equal(frames[1], frames[2], 320 * 180 * 4);
    for (int i = 0; i < 3; i++)
        free(frames[i]);
    free(drawn);
    /* The default is bayer. */
    run_softknn_ok((const char *const[]){"render", scene, "-o", DIR "/dither-default.gif", "--size",
                                         "320x180", "--frames", "0:1", "-y", "--quiet", NULL});
    char *a = read_file(DIR "/dither-default.gif", &size);
    size_t size_b = 0;
    char *b = read_file(DIR "/dither-bayer.gif", &size_b);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(size, size_b);
    assert_memory_equal(a, b, size);
    free(a);
    free(b);
}

static void expect_size_rate(const char *path, const char *w, const char *h, const char *rate)
{
    run_result r = probe(path);
    expect_probe_value(r.out, "width", w);
    expect_probe_value(r.out, "height", h);
    expect_probe_value(r.out, "avg_frame_rate", rate);
    run_result_free(&r);
}

static void test_quality_presets(void **state)
{
    (void)state;
    setup_dir();
    struct {
        const char *q, *w, *h, *rate;
    } cases[] = {{"l", "854", "480", "15/1"},
                 {"m", "1280", "720", "30/1"},
                 {"h", "1920", "1080", "60/1"},
                 {"k", "3840", "2160", "60/1"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        snprintf(out, sizeof out, DIR "/q_%s.mp4", cases[i].q);
        run_softknn_ok((const char *const[]){"render", TINY, "-q", cases[i].q, "-o", out,
                                             "--frames", "0:1", "--quiet", NULL});
        expect_size_rate(out, cases[i].w, cases[i].h, cases[i].rate);
    }
    /* --size and --fps override -q, in either order. */
    run_softknn_ok((const char *const[]){"render", TINY, "--size", "320x180", "-q", "m", "-o",
                                         DIR "/q_size.mp4", "--frames", "0:1", "--quiet", NULL});
    expect_size_rate(DIR "/q_size.mp4", "320", "180", "30/1");
    run_softknn_ok((const char *const[]){"render", TINY, "-q", "l", "--fps", "10", "-o",
                                         DIR "/q_fps.mp4", "--frames", "0:1", "--quiet", NULL});
    expect_size_rate(DIR "/q_fps.mp4", "854", "480", "10/1");
    /* still takes the size of a preset; the PNG's IHDR holds it big-endian. */
    run_softknn_ok((const char *const[]){"still", TINY, "--at", "0", "-q", "m", "-o", DIR "/s.png",
                                         "--quiet", NULL});
    size_t size;
    unsigned char *png = (unsigned char *)read_file(DIR "/s.png", &size);
    assert_non_null(png);
    assert_true(size > 24);
    assert_int_equal(png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19], 1280);
    assert_int_equal(png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23], 720);
    free(png);
}

/* One MD5 per decoded frame, in order, from ffmpeg's framemd5 muxer (its
 * last comma-separated field), as one string with a line per frame. */
static char *frame_hashes(const char *path, int *frames)
{
    run_result r = run_program(
        (const char *const[]){"ffmpeg", "-v", "error", "-i", path, "-f", "framemd5", "-", NULL});
    if (r.exit_code != 0)
        fail_msg("ffmpeg %s: %s", path, r.err);
    char *hashes = calloc(strlen(r.out) + 1, 1);
    assert_non_null(hashes);
    *frames = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        const char *hash = strrchr(line, ',');
        assert_non_null(hash);
        strcat(hashes, hash + 1);
        strcat(hashes, "\n");
        ++*frames;
    }
    run_result_free(&r);
    return hashes;
}

static void expect_range_file(const char *path)
{
    /* A range starts on a keyframe at time 0: it plays on its own. */
    run_result r = run_program((const char *const[]){
        "ffprobe", "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
        "-show_entries", "packet=pts_time,flags", "-of", "default=nw=1", path, NULL});
    assert_int_equal(r.exit_code, 0);
    expect_probe_value(r.out, "pts_time", "0.000000");
    char flags[16];
    assert_int_equal(find_value(r.out, "flags", flags, sizeof flags), 0);
    assert_int_equal(flags[0], 'K');
    run_result_free(&r);
}

/* Four ranges, losslessly encoded, joined: every frame as in one piece. */
static void concat_equals_whole(const char *extension)
{
    char whole[256], joined[256], parts[4][256];
    snprintf(whole, sizeof whole, DIR "/whole.%s", extension);
    snprintf(joined, sizeof joined, DIR "/joined.%s", extension);
    run_softknn_ok(
        (const char *const[]){"render", TINY, "-o", whole, "--crf", "0", "--quiet", NULL});
    const char *ranges[4] = {"0:3", "3:7", "7:8", "8:12"};
    for (int i = 0; i < 4; i++) {
        snprintf(parts[i], sizeof parts[i], DIR "/part%d.%s", i, extension);
        run_softknn_ok((const char *const[]){"render", TINY, "-o", parts[i], "--frames", ranges[i],
                                             "--crf", "0", "--quiet", NULL});
        expect_range_file(parts[i]);
    }
    run_softknn_ok((const char *const[]){"concat", parts[0], parts[1], parts[2], parts[3], "-o",
                                         joined, "--quiet", NULL});
    int n_whole, n_joined;
    char *a = frame_hashes(whole, &n_whole), *b = frame_hashes(joined, &n_joined);
    assert_int_equal(n_whole, 12);
    assert_int_equal(n_joined, 12);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* Joined at the right times: 12 frames at 12 fps last 1 s. */
    run_result r =
        run_program((const char *const[]){"ffprobe", "-v", "error", "-show_entries",
                                          "format=duration", "-of", "default=nw=1", joined, NULL});
    char duration[32];
    assert_int_equal(find_value(r.out, "duration", duration, sizeof duration), 0);
    assert_true(fabs(atof(duration) - 1.0) < 0.01);
    run_result_free(&r);
}

static void test_concat_mp4_equals_whole(void **state)
{
    (void)state;
    setup_dir();
    concat_equals_whole("mp4");
}

static void test_concat_webm_equals_whole(void **state)
{
    (void)state;
    setup_dir();
    concat_equals_whole("webm");
}

/* Lossy H.264 with B-frames: a range of 2 or 3 frames may have no B-frame
 * (no decoding delay) while its neighbours have one. The join must still
 * give every frame once, in order, with timestamps a decoder accepts. */
static void test_concat_parts_with_different_delays(void **state)
{
    (void)state;
    setup_dir();
    const char *ranges[5] = {"0:2", "2:4", "4:7", "7:9", "9:12"}; /* 12 x i / 5 */
    char parts[5][64];
    for (int i = 0; i < 5; i++) {
        snprintf(parts[i], sizeof parts[i], DIR "/lossy%d.mp4", i);
        run_softknn_ok((const char *const[]){"render", TINY, "-o", parts[i], "--frames", ranges[i],
                                             "--quiet", NULL});
    }
    run_softknn_ok((const char *const[]){"concat", parts[0], parts[1], parts[2], parts[3], parts[4],
                                         "-o", DIR "/lossy.mp4", "--quiet", NULL});
    expect_stream(DIR "/lossy.mp4",
                  (expected_stream){"h264", "avc1", "yuv420p", "320", "180", "12", true});
    /* Decoding reports nothing: no timestamp or reference errors. */
    run_result r = run_program((const char *const[]){"ffmpeg", "-v", "warning", "-i",
                                                     DIR "/lossy.mp4", "-f", "null", "-", NULL});
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    run_result_free(&r);
    /* Presentation times are the frames' own: 0, 1/12, ..., 11/12 s. */
    r = run_program((const char *const[]){"ffprobe", "-v", "error", "-show_entries",
                                          "frame=pts_time", "-of", "csv=p=0", DIR "/lossy.mp4",
                                          NULL});
    assert_int_equal(r.exit_code, 0);
    int n = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"), n++)
        if (fabs(atof(line) - n / 12.0) > 1e-3)
            fail_msg("frame %d shown at %s s", n, line);
    assert_int_equal(n, 12);
    run_result_free(&r);
}

/* Alpha survives the join: WebM's alpha_mode tag and the alpha itself. */
static void test_concat_keeps_alpha(void **state)
{
    (void)state;
    setup_dir();
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/a0.webm", "--transparent",
                                         "--frames", "0:5", "--quiet", NULL});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/a1.webm", "--transparent",
                                         "--frames", "5:12", "--quiet", NULL});
    run_softknn_ok((const char *const[]){"concat", DIR "/a0.webm", DIR "/a1.webm", "-o",
                                         DIR "/a.webm", "--quiet", NULL});
    run_result r = probe(DIR "/a.webm");
    expect_probe_value(r.out, "TAG:alpha_mode", "1");
    expect_probe_value(r.out, "nb_read_frames", "12");
    run_result_free(&r);
    unsigned char *rgba = decode_rgba(DIR "/a.webm", "libvpx-vp9");
    expect_alpha(rgba, 250);
    free(rgba);
    /* An opaque part does not join a transparent one. */
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/o1.webm", "--frames", "5:12",
                                         "--quiet", NULL});
    input_error(
        (const char *const[]){"concat", DIR "/a0.webm", DIR "/o1.webm", "-o", DIR "/ao.webm", NULL},
        DIR "/o1.webm: its pixel format differs", NULL);
}

static void test_concat_refuses_incompatible(void **state)
{
    (void)state;
    setup_dir();
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/p0.mp4", "--frames", "0:6",
                                         "--quiet", NULL});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/p1.mp4", "--frames", "6:12",
                                         "--size", "160x90", "--quiet", NULL});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/p2.mp4", "--frames", "6:12",
                                         "--codec", "h265", "--quiet", NULL});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/p3.mp4", "--frames", "6:12",
                                         "--crf", "0", "--quiet", NULL});
    input_error(
        (const char *const[]){"concat", DIR "/p0.mp4", DIR "/p1.mp4", "-o", DIR "/j.mp4", NULL},
        DIR "/p1.mp4: its frame size differs", NULL);
    input_error((const char *const[]){"concat", DIR "/p0.mp4", DIR "/p0.mp4", DIR "/p2.mp4", "-o",
                                      DIR "/j.mp4", NULL},
                DIR "/p2.mp4: its codec differs", NULL);
    input_error(
        (const char *const[]){"concat", DIR "/p0.mp4", DIR "/p3.mp4", "-o", DIR "/j.mp4", NULL},
        DIR "/p3.mp4: its codec setup", NULL);
    assert_int_not_equal(access(DIR "/j.mp4", F_OK), 0); /* nothing written */
    input_error((const char *const[]){"concat", DIR "/p0.mp4", "-o", DIR "/j.gif", NULL},
                "concat writes .mp4, .webm or .mov", NULL);
    input_error((const char *const[]){"concat", DIR "/p0.mp4", NULL}, "concat needs -o", NULL);
    /* A part that does not exist is named too (a runtime failure, exit 1). */
    run_result r = run_softknn(
        (const char *const[]){"concat", DIR "/p0.mp4", DIR "/nope.mp4", "-o", DIR "/j.mp4", NULL});
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, DIR "/nope.mp4: cannot open part"));
    run_result_free(&r);
}

static void test_bad_option_values(void **state)
{
    (void)state;
    setup_dir();
    input_error((const char *const[]){"render", TINY, "-o", DIR "/x.mov", "--crf", "20", NULL},
                "x.mov: --crf does not apply to ProRes", NULL);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/x.mp4", "--crf", "60", NULL},
                "x.mp4: --crf 60 is outside H.264's 0..51", NULL);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/x.webm", "--crf", "64", NULL},
                "--crf: expected an integer from 0 to 63", NULL);
    input_error(
        (const char *const[]){"render", TINY, "-o", DIR "/x.webm", "--preset", "fast", NULL},
        "x.webm: --preset does not apply to VP9", NULL);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/x.mp4", "--transparent", NULL},
                "x.mp4: --transparent needs an output that keeps alpha", NULL);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/x.gif", "--crf", "10", NULL},
                "x.gif: --crf does not apply to GIF", NULL);
    input_error(
        (const char *const[]){"render", TINY, "-o", DIR "/x.mp4", "--gif-width", "100", NULL},
        "x.mp4: --gif-width does not apply", NULL);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/x.gif", "--gif-width", "8", NULL},
                "--gif-width: expected a width from 16 to 8192, found '8'", NULL);
    input_error(
        (const char *const[]){"render", TINY, "-o", DIR "/x.gif", "--gif-dither", "floyd", NULL},
        "--gif-dither: expected bayer, sierra2_4a or none, found 'floyd'", NULL);
    input_error(
        (const char *const[]){"render", TINY, "-o", DIR "/x.webm", "--gif-dither", "none", NULL},
        "x.webm: --gif-dither does not apply", NULL);
    input_error(
        (const char *const[]){"render", TINY, "-o", DIR "/x.mp4", "--png-compression", "5", NULL},
        "x.mp4: --png-compression does not apply", NULL);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/f_%d.png", "--png-compression",
                                      "10", NULL},
                "--png-compression: expected a level from 0 to 9, found '10'", NULL);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/x.webm", "--codec", "h265", NULL},
                "x.webm: --codec: webm takes vp9 only", NULL);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/x.mp4", "--codec", "vp8", NULL},
                "--codec: expected h264, h265, vp9 or prores, found 'vp8'", NULL);
    input_error((const char *const[]){"render", TINY, "-q", "x", NULL},
                "-q: expected l, m, h or k, found 'x'", NULL);
    input_error((const char *const[]){"render", TINY, "--format", "avi", "-o", DIR "/x", NULL},
                "--format: expected mp4, webm, mov, gif, png or raw, found 'avi'", NULL);
    input_error((const char *const[]){"render", TINY, "--format", "webm", "-o", DIR "/x.mp4", NULL},
                "x.mp4: the extension says mp4 but --format says webm", NULL);
    /* None of them left anything behind. */
    run_result r = run_program((const char *const[]){"ls", "-A", DIR, NULL});
    assert_string_equal(r.out, "");
    run_result_free(&r);
}

/* Level 0 stores, level 9 compresses: the same pixels, different sizes. */
static void test_png_compression_levels(void **state)
{
    (void)state;
    setup_dir();
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/l0_%d.png", "--frames", "0:1",
                                         "--png-compression", "0", "--quiet", NULL});
    run_softknn_ok((const char *const[]){"render", TINY, "-o", DIR "/l9_%d.png", "--frames", "0:1",
                                         "--png-compression", "9", "--quiet", NULL});
    size_t n0, n9;
    char *f0 = read_file(DIR "/l0_0.png", &n0), *f9 = read_file(DIR "/l9_0.png", &n9);
    assert_non_null(f0);
    assert_non_null(f9);
    /* Stored: at least 3 bytes a pixel (RGB24) plus a filter byte a row. */
    assert_true(n0 >= 320 * 180 * 3 + 180);
    assert_true(n9 < n0 / 4);
    free(f0);
    free(f9);
    unsigned char *a = decode_rgba(DIR "/l0_0.png", NULL);
    unsigned char *b = decode_rgba(DIR "/l9_0.png", NULL);
    assert_memory_equal(a, b, 320 * 180 * 4);
    free(a);
    free(b);
}

/* A reader at the far end of a named pipe: `cat fifo > out` in a child, with
 * a timeout so that a render that never opens the pipe fails the test
 * instead of hanging it. */
static pid_t start_pipe_reader(const char *fifo, const char *out)
{
    char command[512];
    snprintf(command, sizeof command, "timeout 60 cat '%s' > '%s'", fifo, out);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execlp("sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static void expect_reader_done(pid_t pid)
{
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void expect_fifo(const char *path)
{
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    if (!S_ISFIFO(st.st_mode))
        fail_msg("%s is no longer a named pipe (mode %o)", path, (unsigned)st.st_mode);
}

/* A named pipe is written in place, as a shell's > would: it stays a pipe,
 * needs no -y (nothing is overwritten), and the reader gets the whole
 * stream. Formats that must seek (MP4) say so. */
static void test_output_to_named_pipe(void **state)
{
    (void)state;
    setup_dir();
    const char *fifo = DIR "/out.fifo";
    assert_int_equal(mkfifo(fifo, 0600), 0);

    pid_t reader = start_pipe_reader(fifo, DIR "/from-pipe.webm");
    run_softknn_ok(
        (const char *const[]){"render", TINY, "-o", fifo, "--format", "webm", "--quiet", NULL});
    expect_reader_done(reader);
    expect_fifo(fifo);
    expect_stream(DIR "/from-pipe.webm",
                  (expected_stream){"vp9", NULL, "yuv420p", "320", "180", "12", true});

    reader = start_pipe_reader(fifo, DIR "/from-pipe.bgra");
    run_softknn_ok(
        (const char *const[]){"render", TINY, "-o", fifo, "--format", "raw", "--quiet", NULL});
    expect_reader_done(reader);
    expect_fifo(fifo);
    size_t size = 0;
    char *raw = read_file(DIR "/from-pipe.bgra", &size);
    assert_non_null(raw);
    assert_int_equal(size, 320 * 180 * 4 * 12);
    free(raw);

    reader = start_pipe_reader(fifo, DIR "/from-pipe.mp4");
    run_result r = run_softknn(
        (const char *const[]){"render", TINY, "-o", fifo, "--format", "mp4", "--quiet", NULL});
    expect_reader_done(reader);
    assert_int_equal(r.exit_code, 1);
    if (!strstr(r.err, DIR "/out.fifo: cannot write the header to a pipe"))
        fail_msg("mp4 into a pipe: %s", r.err);
    run_result_free(&r);
    expect_fifo(fifo);
}

/* /dev/null is a device: written in place, without -y, in every format,
 * and still a device afterwards (renaming a finished file onto it, as is
 * right for a regular file, would replace it for the whole machine; if that
 * ever happens again the test puts the device back before failing). */
static void test_output_to_device(void **state)
{
    (void)state;
    static const char *const formats[] = {"mp4", "webm", "gif", "raw"};
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
        run_result r = run_softknn((const char *const[]){"render", TINY, "-o", "/dev/null",
                                                         "--format", formats[i], "--quiet", NULL});
        struct stat st;
        bool device = stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode);
        if (!device && unlink("/dev/null") == 0 &&
            mknod("/dev/null", S_IFCHR | 0666, makedev(1, 3)) == 0)
            chmod("/dev/null", 0666); /* mknod's mode went through the umask */
        if (!device)
            fail_msg("--format %s -o /dev/null replaced the device", formats[i]);
        if (r.exit_code != 0)
            fail_msg("--format %s -o /dev/null exited %d: %s", formats[i], r.exit_code, r.err);
        run_result_free(&r);
    }
}

/* Runs softknn with TMPDIR set to tmpdir (the test's own TMPDIR restored
 * afterwards). */
static run_result run_with_tmpdir(const char *tmpdir, const char *const args[])
{
    const char *saved = getenv("TMPDIR");
    char *restore = saved ? strdup(saved) : NULL;
    setenv("TMPDIR", tmpdir, 1);
    run_result r = run_softknn(args);
    if (restore)
        setenv("TMPDIR", restore, 1);
    else
        unsetenv("TMPDIR");
    free(restore);
    return r;
}

/* A GIF's frames wait for the palette in a scratch file in $TMPDIR, gone
 * when the render ends; where none can be made the render fails naming the
 * directory, and leaves no output. */
static void test_gif_scratch_file(void **state)
{
    (void)state;
    setup_dir();
    run_ok((const char *const[]){"mkdir", "-p", DIR "/scratch", NULL});
    run_result r = run_with_tmpdir(
        DIR "/scratch", (const char *const[]){"render", TINY, "-o", DIR "/a.gif", "--quiet", NULL});
    if (r.exit_code != 0)
        fail_msg("exit %d: %s", r.exit_code, r.err);
    run_result_free(&r);
    expect_stream(DIR "/a.gif", (expected_stream){"gif", NULL, NULL, "320", "180", "12", false});
    r = run_program((const char *const[]){"ls", "-A", DIR "/scratch", NULL});
    if (r.exit_code != 0 || r.out[0] != '\0')
        fail_msg("the scratch directory is not empty after the render: %s", r.out);
    run_result_free(&r);

    r = run_with_tmpdir(DIR "/no-such-dir",
                        (const char *const[]){"render", TINY, "-o", DIR "/b.gif", "--quiet", NULL});
    assert_int_equal(r.exit_code, 1);
    if (!strstr(r.err, DIR "/no-such-dir: cannot create a scratch file"))
        fail_msg("stderr: %s", r.err);
    run_result_free(&r);
    assert_int_equal(access(DIR "/b.gif", F_OK), -1);
}

/* A symbolic link at the output path stays a link: the file it leads to is
 * the one replaced (and without -y, kept). */
static void test_output_through_symlink(void **state)
{
    (void)state;
    setup_dir();
    FILE *f = fopen(DIR "/real.mp4", "w");
    assert_non_null(f);
    assert_true(fputs("old", f) >= 0);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(symlink("real.mp4", DIR "/link.mp4"), 0);
    input_error((const char *const[]){"render", TINY, "-o", DIR "/link.mp4", "--quiet", NULL},
                "already exists; use -y", NULL);
    run_softknn_ok(
        (const char *const[]){"render", TINY, "-o", DIR "/link.mp4", "-y", "--quiet", NULL});
    struct stat st;
    assert_int_equal(lstat(DIR "/link.mp4", &st), 0);
    if (!S_ISLNK(st.st_mode))
        fail_msg("the link was replaced by a file (mode %o)", (unsigned)st.st_mode);
    expect_stream(DIR "/real.mp4",
                  (expected_stream){"h264", "avc1", "yuv420p", "320", "180", "12", true});
}

/* A directory is no output name: refused before anything is drawn, and
 * left as it was. */
static void test_output_is_directory(void **state)
{
    (void)state;
    setup_dir();
    run_ok((const char *const[]){"mkdir", "-p", DIR "/clip.mp4/inside", NULL});
    input_error((const char *const[]){"render", TINY, "-o", DIR "/clip.mp4", "-y", "--quiet", NULL},
                DIR "/clip.mp4: is a directory, not a file name", NULL);
    struct stat st;
    assert_int_equal(stat(DIR "/clip.mp4/inside", &st), 0);
    assert_true(S_ISDIR(st.st_mode));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_format_probes),
        cmocka_unit_test(test_alpha_in_webm_mov_png),
        cmocka_unit_test(test_translucent_background_is_straight_alpha),
        cmocka_unit_test(test_gif_rate_width_and_loop),
        cmocka_unit_test(test_gif_dithers),
        cmocka_unit_test(test_quality_presets),
        cmocka_unit_test(test_concat_mp4_equals_whole),
        cmocka_unit_test(test_concat_webm_equals_whole),
        cmocka_unit_test(test_concat_parts_with_different_delays),
        cmocka_unit_test(test_concat_keeps_alpha),
        cmocka_unit_test(test_concat_refuses_incompatible),
        cmocka_unit_test(test_bad_option_values),
        cmocka_unit_test(test_png_compression_levels),
        cmocka_unit_test(test_output_to_named_pipe),
        cmocka_unit_test(test_output_to_device),
        cmocka_unit_test(test_gif_scratch_file),
        cmocka_unit_test(test_output_through_symlink),
        cmocka_unit_test(test_output_is_directory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
