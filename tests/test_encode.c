/* test_encode.c — output formats, frame paths, and what the MP4 and PNG
 * sinks actually put on disk, read back with libav, Cairo and raw bytes.
 * Expected values are worked out by hand (BT.709 from its constants, box
 * order from the MP4 spec), never taken from the code under test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>

#include "encode/encode.h"

#define W 320
#define H 180
#define FPS 30
#define MP4_FRAMES 12
#define PAD 24        /* extra bytes per row, so a stride != 4 * width is exercised */
#define TOLERANCE 6.0 /* of 255, per channel, for the lossy MP4 round trip */

/* ---- files --------------------------------------------------------------- */

/* A fresh, empty directory SK_TEST_TMP/encode_<name> in dir[]. */
static void fresh_dir(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "%s/encode_%s", SK_TEST_TMP, name);
    DIR *d = opendir(dir);
    if (d) {
        for (struct dirent *e; (e = readdir(d));) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            if (unlink(path) != 0) /* a directory left by a failed run */
                assert_int_equal(rmdir(path), 0);
        }
        closedir(d);
    } else {
        assert_int_equal(mkdir(dir, 0777), 0);
    }
}

/* Entries in dir other than . and .., and how many end in .part. */
static int count_entries(const char *dir, int *parts)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    *parts = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        size_t len = strlen(e->d_name);
        if (len >= 5 && strcmp(e->d_name + len - 5, ".part") == 0)
            (*parts)++;
    }
    closedir(d);
    return n;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    uint8_t *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *size = (size_t)n;
    return data;
}

/* ---- frames -------------------------------------------------------------- */

typedef struct rgb8 {
    uint8_t r, g, b;
} rgb8;

/* Twelve distinct colours, well inside the gamut so nothing clips. */
static const rgb8 palette[MP4_FRAMES] = {
    {200, 40, 60},  {40, 180, 90},   {50, 80, 200},  {220, 200, 40},
    {30, 30, 30},   {230, 230, 230}, {140, 60, 170}, {20, 160, 170},
    {240, 130, 30}, {100, 100, 100}, {90, 200, 220}, {170, 110, 80},
};

/* A solid opaque colour in Cairo's ARGB32 byte order: B, G, R, A. */
static void fill_solid(uint8_t *buf, int width, int height, int stride, rgb8 c)
{
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            uint8_t *p = buf + (size_t)y * (size_t)stride + 4 * (size_t)x;
            p[0] = c.b, p[1] = c.g, p[2] = c.r, p[3] = 255;
        }
}

/* A pattern where neighbouring pixels, rows and frames all differ. */
static rgb8 pattern_pixel(int x, int y, int frame)
{
    return (rgb8){(uint8_t)(x * 4 + frame), (uint8_t)(y * 5), (uint8_t)(x * y + 17 * frame)};
}

static void fill_pattern(uint8_t *buf, int width, int height, int stride, int frame)
{
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++) {
            rgb8 c = pattern_pixel(x, y, frame);
            uint8_t *p = buf + (size_t)y * (size_t)stride + 4 * (size_t)x;
            p[0] = c.b, p[1] = c.g, p[2] = c.r, p[3] = 255;
        }
}

static sk_sink_options mp4_options(const char *path)
{
    return (sk_sink_options){.path = path,
                             .format = SK_FORMAT_MP4,
                             .width = W,
                             .height = H,
                             .fps = FPS,
                             .crf = 18,
                             .preset = "veryfast",
                             .png_compression = -1};
}

/* Opens an MP4 sink and writes n solid frames from the palette. */
static sk_sink *open_and_write(const char *path, int n)
{
    sk_sink_options o = mp4_options(path);
    sk_sink *sink = NULL;
    sk_error err = {0};
    if (sk_sink_open(&o, &sink, &err) != SK_OK)
        fail_msg("%s", err.message);
    int stride = 4 * W + PAD;
    uint8_t *buf = malloc((size_t)stride * H);
    assert_non_null(buf);
    for (int i = 0; i < n; i++) {
        fill_solid(buf, W, H, stride, palette[i % MP4_FRAMES]);
        if (sk_sink_write(sink, i, buf, stride, &err) != SK_OK)
            fail_msg("%s", err.message);
    }
    free(buf);
    return sink;
}

/* ---- format detection ---------------------------------------------------- */

static void expect_format(const char *path, sk_format want)
{
    sk_error err = {0};
    sk_format got = (sk_format)-1;
    if (sk_format_from_path(path, &got, &err) != SK_OK)
        fail_msg("%s: %s", path, err.message);
    assert_int_equal(got, want);
}

static void expect_bad_path(const char *path)
{
    sk_error err = {0};
    sk_format got;
    assert_int_equal(sk_format_from_path(path, &got, &err), SK_EINPUT);
    assert_int_equal(err.status, SK_EINPUT);
    if (!strstr(err.message, path))
        fail_msg("message for %s lacks the path: %s", path, err.message);
}

static void test_format_mp4(void **state)
{
    (void)state;
    expect_format("out/intro.mp4", SK_FORMAT_MP4);
    expect_format("OUT/INTRO.MP4", SK_FORMAT_MP4);
    expect_format("out/v1.0/clip.Mp4", SK_FORMAT_MP4);
    expect_format("intro.mp4", SK_FORMAT_MP4);
    expect_format("out/100%.mp4", SK_FORMAT_MP4); /* no %d: the % is just a character */
}

static void test_format_video_and_gif(void **state)
{
    (void)state;
    expect_format("out/intro.webm", SK_FORMAT_WEBM);
    expect_format("out/intro.MOV", SK_FORMAT_MOV);
    expect_format("out/intro.gif", SK_FORMAT_GIF);
    expect_bad_path("out/f_%03d.gif"); /* a GIF is one file */
    expect_bad_path("out/intro.webm.part");
}

static void expect_named(const char *name, const char *path, sk_format want)
{
    sk_error err = {0};
    sk_format got = (sk_format)-1;
    if (sk_format_from_name(name, path, &got, &err) != SK_OK)
        fail_msg("--format %s -o %s: %s", name, path, err.message);
    assert_int_equal(got, want);
    assert_string_equal(sk_format_name(got), name);
}

static void expect_named_refused(const char *name, const char *path, const char *message)
{
    sk_error err = {0};
    sk_format got;
    assert_int_equal(sk_format_from_name(name, path, &got, &err), SK_EINPUT);
    assert_string_equal(err.message, message);
}

static void test_format_by_name(void **state)
{
    (void)state;
    expect_named("mp4", "out/x.mp4", SK_FORMAT_MP4);
    expect_named("webm", "out/clip", SK_FORMAT_WEBM); /* no extension: the name decides */
    expect_named("mov", "out/clip.video", SK_FORMAT_MOV);
    expect_named("gif", "out/clip.GIF", SK_FORMAT_GIF);
    expect_named("png", "out/f_%04d.png", SK_FORMAT_PNG_SEQUENCE);
    expect_named("png", "out/f_%04d", SK_FORMAT_PNG_SEQUENCE);
    expect_named("raw", "out/frames.raw", SK_FORMAT_RAW);
    expect_named("raw", "-", SK_FORMAT_RAW);
    expect_named_refused("avi", "out/x.avi",
                         "--format: expected mp4, webm, mov, gif, png or raw, found 'avi'");
    expect_named_refused("MP4", "out/x.mp4",
                         "--format: expected mp4, webm, mov, gif, png or raw, found 'MP4'");
    expect_named_refused("gif", "out/x.mp4",
                         "out/x.mp4: the extension says mp4 but --format says gif");
    expect_named_refused("webm", "out/x.bgra",
                         "out/x.bgra: the extension says raw but --format says webm");
    expect_named_refused("mp4", "-", "-: standard output takes raw frames only, not --format mp4");
    expect_named_refused("png", "out/frame",
                         "out/frame: a PNG pattern needs a frame number: %d, %5d or %05d "
                         "(%% is a literal %)");
}

static void test_codec_names(void **state)
{
    (void)state;
    const char *names[] = {"h264", "h265", "vp9", "prores"};
    const sk_codec codecs[] = {SK_CODEC_H264, SK_CODEC_H265, SK_CODEC_VP9, SK_CODEC_PRORES};
    for (int i = 0; i < 4; i++) {
        sk_codec got = SK_CODEC_DEFAULT;
        assert_true(sk_codec_from_name(names[i], &got));
        assert_int_equal(got, codecs[i]);
    }
    sk_codec untouched = SK_CODEC_H265;
    assert_false(sk_codec_from_name("hevc", &untouched));
    assert_false(sk_codec_from_name("", &untouched));
    assert_false(sk_codec_from_name("H264", &untouched));
    assert_int_equal(untouched, SK_CODEC_H265);
}

static void test_format_png_sequence(void **state)
{
    (void)state;
    expect_format("out/f_%05d.png", SK_FORMAT_PNG_SEQUENCE);
    expect_format("out/f_%d.png", SK_FORMAT_PNG_SEQUENCE);
    expect_format("out/f_%5d.png", SK_FORMAT_PNG_SEQUENCE);
    expect_format("out/f_%05d.PNG", SK_FORMAT_PNG_SEQUENCE);
    expect_format("out/100%%_%03d.png", SK_FORMAT_PNG_SEQUENCE);
}

static void test_format_rejects(void **state)
{
    (void)state;
    sk_error err = {0};
    sk_format got;
    assert_int_equal(sk_format_from_path("out/intro.avi", &got, &err), SK_EINPUT);
    assert_string_equal(err.message,
                        "out/intro.avi: cannot tell the output format from the extension; "
                        "use .mp4, .webm, .mov, .gif, .bgra or .raw (raw frames; - for "
                        "standard output), or a PNG pattern like out/f_%05d.png");
    expect_bad_path("out/intro");
    expect_bad_path("out/intro.mp4.tmp");
    expect_bad_path("out/frame.png");   /* a PNG needs a frame number */
    expect_bad_path("out/100%%.png");   /* %% alone is not a frame number */
    expect_bad_path("out/f_%s.png");    /* not an integer */
    expect_bad_path("out/f_%d_%d.png"); /* two numbers */
    expect_bad_path("out/f_%ld.png");   /* length modifiers are not ours to pass on */
    expect_bad_path("out/f_%-5d.png");
    expect_bad_path("out/f_%.3d.png");
    expect_bad_path("out/f_%123d.png"); /* absurd width */
    expect_bad_path("out/f_%d%.png");   /* a stray % */
    expect_bad_path("out/f_%05d.jpg");  /* a pattern, but not for PNG */
    expect_bad_path("out/f_%05d.mp4");  /* an MP4 is one file */
}

static void test_needs_even_size(void **state)
{
    (void)state;
    assert_true(sk_format_needs_even_size(SK_FORMAT_MP4));
    assert_true(sk_format_needs_even_size(SK_FORMAT_WEBM)); /* 4:2:0 */
    assert_true(sk_format_needs_even_size(SK_FORMAT_MOV));  /* 4:2:2 halves the width */
    assert_false(sk_format_needs_even_size(SK_FORMAT_GIF));
    assert_false(sk_format_needs_even_size(SK_FORMAT_PNG_SEQUENCE));
}

/* ---- frame paths --------------------------------------------------------- */

static void expect_frame_path(sk_format f, const char *pattern, int64_t frame, const char *want)
{
    char out[256];
    sk_error err = {0};
    if (sk_format_frame_path(f, pattern, frame, out, sizeof out, &err) != SK_OK)
        fail_msg("%s: %s", pattern, err.message);
    assert_string_equal(out, want);
}

static void test_frame_paths(void **state)
{
    (void)state;
    expect_frame_path(SK_FORMAT_MP4, "out/intro.mp4", 5, "out/intro.mp4");
    expect_frame_path(SK_FORMAT_PNG_SEQUENCE, "out/f_%05d.png", 42, "out/f_00042.png");
    expect_frame_path(SK_FORMAT_PNG_SEQUENCE, "out/f_%d.png", 7, "out/f_7.png");
    expect_frame_path(SK_FORMAT_PNG_SEQUENCE, "out/f_%5d.png", 7, "out/f_    7.png");
    expect_frame_path(SK_FORMAT_PNG_SEQUENCE, "out/100%%_%03d.png", 7, "out/100%_007.png");
    expect_frame_path(SK_FORMAT_PNG_SEQUENCE, "f_%03d.png", 12345, "f_12345.png");
    expect_frame_path(SK_FORMAT_PNG_SEQUENCE, "f_%d.png", 0, "f_0.png");
    /* beyond INT_MAX: the index is 64-bit even though the pattern says %d */
    expect_frame_path(SK_FORMAT_PNG_SEQUENCE, "f_%d.png", INT64_C(5000000000), "f_5000000000.png");
}

static void test_frame_path_errors(void **state)
{
    (void)state;
    char out[8];
    sk_error err = {0};
    /* "f_7.png" is 7 bytes: fits in 8 with its NUL, not in 7 */
    assert_int_equal(sk_format_frame_path(SK_FORMAT_PNG_SEQUENCE, "f_%d.png", 7, out, 8, &err),
                     SK_OK);
    assert_string_equal(out, "f_7.png");
    assert_int_equal(sk_format_frame_path(SK_FORMAT_PNG_SEQUENCE, "f_%d.png", 7, out, 7, &err),
                     SK_EINPUT);
    assert_int_equal(sk_format_frame_path(SK_FORMAT_MP4, "a.mp4", 0, out, 5, &err), SK_EINPUT);
    assert_int_equal(sk_format_frame_path(SK_FORMAT_PNG_SEQUENCE, "f_%d.png", -1, out, 8, &err),
                     SK_EINPUT);
    assert_int_equal(sk_format_frame_path(SK_FORMAT_PNG_SEQUENCE, "f_%s.png", 1, out, 8, &err),
                     SK_EINPUT);
    assert_int_equal(sk_format_frame_path(SK_FORMAT_PNG_SEQUENCE, "f%%.png", 1, out, 8, &err),
                     SK_EINPUT);
    assert_int_equal(sk_format_frame_path(SK_FORMAT_PNG_SEQUENCE, "%d%d.png", 1, out, 8, &err),
                     SK_EINPUT);
    assert_int_equal(sk_format_frame_path(SK_FORMAT_PNG_SEQUENCE, "%d%", 1, out, 8, &err),
                     SK_EINPUT);
}

/* ---- MP4 on disk --------------------------------------------------------- */

/* Top-level MP4 boxes (ISO/IEC 14496-12 4.2): a 32-bit big-endian size that
 * covers the header, a four-character type; size 1 means a 64-bit size
 * follows, size 0 means "to the end of the file". Returns how many. */
static int top_level_boxes(const uint8_t *data, size_t size, char types[][5], int max)
{
    int n = 0;
    for (size_t at = 0; at + 8 <= size && n < max; n++) {
        uint64_t box = (uint64_t)data[at] << 24 | (uint64_t)data[at + 1] << 16 |
                       (uint64_t)data[at + 2] << 8 | data[at + 3];
        memcpy(types[n], data + at + 4, 4);
        types[n][4] = '\0';
        if (box == 1) {
            assert_true(at + 16 <= size);
            box = 0;
            for (int i = 0; i < 8; i++)
                box = box << 8 | data[at + 8 + i];
        } else if (box == 0) {
            box = size - at;
        }
        assert_true(box >= 8 && box <= size - at);
        at += box;
    }
    return n;
}

static int box_index(char types[][5], int n, const char *type)
{
    for (int i = 0; i < n; i++)
        if (strcmp(types[i], type) == 0)
            return i;
    return -1;
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void check_boxes(const char *path)
{
    size_t size;
    uint8_t *data = slurp(path, &size);
    char types[32][5];
    int n = top_level_boxes(data, size, types, 32);
    int moov = box_index(types, n, "moov"), mdat = box_index(types, n, "mdat");
    assert_int_equal(box_index(types, n, "ftyp"), 0);
    assert_true(moov >= 0 && mdat >= 0);
    assert_true(moov < mdat); /* +faststart: the index comes first */
    /* 'colr' of type 'nclx' (14496-12 12.1.5): primaries, transfer, matrix
     * as 16-bit codes (1 = BT.709 in ITU-T H.273), then full_range_flag in
     * the top bit of one byte (0 = limited). */
    const uint8_t *colr = NULL;
    for (size_t i = 0; i + 15 <= size && !colr; i++)
        if (memcmp(data + i, "colrnclx", 8) == 0)
            colr = data + i + 8;
    assert_non_null(colr);
    assert_int_equal(be16(colr), 1);
    assert_int_equal(be16(colr + 2), 1);
    assert_int_equal(be16(colr + 4), 1);
    assert_int_equal(colr[6] >> 7, 0);
    free(data);
}

/* Y'CbCr (BT.709, limited range, 8 bit) to R'G'B' 0..255, from the
 * definition: Kr = 0.2126, Kb = 0.0722; Y' = Kr R' + Kg G' + Kb B';
 * Pb = (B' - Y') / (2 (1 - Kb)), Pr = (R' - Y') / (2 (1 - Kr)); stored as
 * Y = 16 + 219 Y', Cb = 128 + 224 Pb, Cr = 128 + 224 Pr. */
static void bt709_to_rgb(double Y, double Cb, double Cr, double rgb[3])
{
    const double kr = 0.2126, kb = 0.0722, kg = 1.0 - kr - kb;
    double y = (Y - 16.0) / 219.0, pb = (Cb - 128.0) / 224.0, pr = (Cr - 128.0) / 224.0;
    double r = y + 2.0 * (1.0 - kr) * pr;
    double b = y + 2.0 * (1.0 - kb) * pb;
    double g = (y - kr * r - kb * b) / kg;
    rgb[0] = 255.0 * r, rgb[1] = 255.0 * g, rgb[2] = 255.0 * b;
}

static double plane_mean(const uint8_t *plane, int linesize, int width, int height)
{
    double sum = 0;
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            sum += plane[(size_t)y * (size_t)linesize + (size_t)x];
    return sum / ((double)width * height);
}

static void check_frame_colour(const AVFrame *f, int index)
{
    assert_int_equal(f->format, AV_PIX_FMT_YUV420P);
    assert_int_equal(f->color_primaries, AVCOL_PRI_BT709); /* from the H.264 VUI */
    assert_int_equal(f->color_trc, AVCOL_TRC_BT709);
    assert_int_equal(f->colorspace, AVCOL_SPC_BT709);
    assert_int_equal(f->color_range, AVCOL_RANGE_MPEG);
    double rgb[3];
    bt709_to_rgb(plane_mean(f->data[0], f->linesize[0], W, H),
                 plane_mean(f->data[1], f->linesize[1], W / 2, H / 2),
                 plane_mean(f->data[2], f->linesize[2], W / 2, H / 2), rgb);
    rgb8 want = palette[index];
    double expect[3] = {want.r, want.g, want.b};
    for (int c = 0; c < 3; c++)
        if (fabs(rgb[c] - expect[c]) > TOLERANCE)
            fail_msg("frame %d channel %d: decoded %.1f, wrote %.0f", index, c, rgb[c], expect[c]);
}

static void check_stream(const AVStream *st)
{
    const AVCodecParameters *par = st->codecpar;
    assert_int_equal(par->codec_id, AV_CODEC_ID_H264);
    assert_int_equal(par->format, AV_PIX_FMT_YUV420P);
    assert_int_equal(par->width, W);
    assert_int_equal(par->height, H);
    assert_int_equal(par->color_primaries, AVCOL_PRI_BT709);
    assert_int_equal(par->color_trc, AVCOL_TRC_BT709);
    assert_int_equal(par->color_space, AVCOL_SPC_BT709);
    assert_int_equal(par->color_range, AVCOL_RANGE_MPEG);
    assert_int_equal(av_cmp_q(st->avg_frame_rate, (AVRational){FPS, 1}), 0);
    assert_int_equal(st->nb_frames, MP4_FRAMES);
}

/* Decodes every frame, checking each against the colour written for it. */
static int decode_all(AVFormatContext *in)
{
    const AVCodecParameters *par = in->streams[0]->codecpar;
    const AVCodec *codec = avcodec_find_decoder(par->codec_id);
    assert_non_null(codec);
    AVCodecContext *dec = avcodec_alloc_context3(codec);
    assert_non_null(dec);
    assert_true(avcodec_parameters_to_context(dec, par) >= 0);
    assert_true(avcodec_open2(dec, codec, NULL) >= 0);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int decoded = 0;
    bool draining = false;
    while (!draining) {
        int rc = av_read_frame(in, pkt);
        draining = rc == AVERROR_EOF;
        assert_true(draining || rc >= 0);
        assert_true(avcodec_send_packet(dec, draining ? NULL : pkt) >= 0);
        av_packet_unref(pkt);
        while ((rc = avcodec_receive_frame(dec, frame)) >= 0) {
            assert_true(decoded < MP4_FRAMES);
            check_frame_colour(frame, decoded++);
            av_frame_unref(frame);
        }
        assert_true(rc == AVERROR(EAGAIN) || rc == AVERROR_EOF);
    }
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    return decoded;
}

static void test_mp4_round_trip(void **state)
{
    (void)state;
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "mp4");
    snprintf(path, sizeof path, "%s/clip.mp4", dir);
    sk_sink *sink = open_and_write(path, MP4_FRAMES);
    sk_error err = {0};
    if (sk_sink_finish(sink, &err) != SK_OK)
        fail_msg("%s", err.message);
    sk_sink_free(sink);
    int parts;
    assert_int_equal(count_entries(dir, &parts), 1);
    assert_int_equal(parts, 0);

    check_boxes(path);
    AVFormatContext *in = NULL;
    assert_int_equal(avformat_open_input(&in, path, NULL, NULL), 0);
    assert_true(avformat_find_stream_info(in, NULL) >= 0);
    assert_int_equal(in->nb_streams, 1);
    check_stream(in->streams[0]);
    assert_int_equal(decode_all(in), MP4_FRAMES);
    avformat_close_input(&in);
}

static void test_mp4_odd_size_refused(void **state)
{
    (void)state;
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "odd");
    snprintf(path, sizeof path, "%s/odd.mp4", dir);
    int sizes[][2] = {{321, 180}, {320, 181}};
    for (int i = 0; i < 2; i++) {
        sk_sink_options o = mp4_options(path);
        o.width = sizes[i][0];
        o.height = sizes[i][1];
        sk_sink *sink = (sk_sink *)&o; /* must be reset to NULL */
        sk_error err = {0};
        assert_int_equal(sk_sink_open(&o, &sink, &err), SK_EINPUT);
        assert_null(sink);
        assert_non_null(strstr(err.message, path));
        assert_non_null(strstr(err.message, "even"));
    }
    int parts;
    assert_int_equal(count_entries(dir, &parts), 0);
}

static void test_mp4_bad_options(void **state)
{
    (void)state;
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "options");
    snprintf(path, sizeof path, "%s/x.mp4", dir);
    sk_sink_options bad[5];
    for (int i = 0; i < 5; i++)
        bad[i] = mp4_options(path);
    bad[0].crf = -2; /* -1 is the codec's default */
    bad[1].crf = 52;
    bad[2].preset = "veryfastt";
    bad[3].fps = 0;
    bad[4].width = 0;
    for (int i = 0; i < 5; i++) {
        sk_sink *sink = NULL;
        sk_error err = {0};
        assert_int_equal(sk_sink_open(&bad[i], &sink, &err), SK_EINPUT);
        assert_null(sink);
        assert_non_null(strstr(err.message, path));
    }
    int parts;
    assert_int_equal(count_entries(dir, &parts), 0);
}

static void test_missing_directory(void **state)
{
    (void)state;
    char dir[512], mp4[600], png[600], missing[560];
    fresh_dir(dir, sizeof dir, "missing");
    snprintf(missing, sizeof missing, "%s/nope", dir);
    snprintf(mp4, sizeof mp4, "%s/out.mp4", missing);
    snprintf(png, sizeof png, "%s/f_%%03d.png", missing);
    sk_sink_options o[2] = {mp4_options(mp4), mp4_options(png)};
    o[1].format = SK_FORMAT_PNG_SEQUENCE;
    o[1].crf = -1; /* a PNG sequence takes neither */
    o[1].preset = NULL;
    for (int i = 0; i < 2; i++) {
        sk_sink *sink = NULL;
        sk_error err = {0};
        assert_int_equal(sk_sink_open(&o[i], &sink, &err), SK_ERUNTIME);
        assert_null(sink);
        if (!strstr(err.message, o[i].path))
            fail_msg("no path in: %s", err.message);
    }
    assert_false(exists(missing));
    int parts;
    assert_int_equal(count_entries(dir, &parts), 0);
}

static void test_free_without_finish_leaves_nothing(void **state)
{
    (void)state;
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "abandon");
    snprintf(path, sizeof path, "%s/clip.mp4", dir);
    sk_sink *sink = open_and_write(path, 3);
    int parts;
    /* while writing: only the temporary file */
    assert_int_equal(count_entries(dir, &parts), 1);
    assert_int_equal(parts, 1);
    assert_false(exists(path));
    sk_sink_free(sink);
    assert_int_equal(count_entries(dir, &parts), 0);
}

static void write_sentinel(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_existing_output_untouched_until_finish(void **state)
{
    (void)state;
    static const char sentinel[] = "an earlier render, not to be lost\n";
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "sentinel");
    snprintf(path, sizeof path, "%s/clip.mp4", dir);
    write_sentinel(path, sentinel);

    sk_sink_free(open_and_write(path, 3)); /* abandoned: the old file stays */
    size_t size;
    uint8_t *data = slurp(path, &size);
    assert_int_equal(size, sizeof sentinel - 1);
    assert_memory_equal(data, sentinel, size);
    free(data);
    int parts;
    assert_int_equal(count_entries(dir, &parts), 1);
    assert_int_equal(parts, 0);

    mode_t old_mask = umask(022);
    sk_sink *sink = open_and_write(path, 3);
    sk_error err = {0};
    assert_int_equal(sk_sink_finish(sink, &err), SK_OK);
    sk_sink_free(sink);
    umask(old_mask);
    data = slurp(path, &size);
    assert_true(size > 8);
    assert_memory_equal(data + 4, "ftyp", 4); /* replaced by the finished MP4 */
    free(data);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644); /* 0666 less the umask, as any new file */
}

/* The last step, the rename, fails when a directory has appeared at the
 * output path during the render (one there from the start is refused at
 * open): the error names the path, and after free nothing new is left. */
static void test_finish_failure_leaves_nothing(void **state)
{
    (void)state;
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "blocked");
    snprintf(path, sizeof path, "%s/clip.mp4", dir);
    sk_sink *sink = open_and_write(path, 3);
    assert_int_equal(mkdir(path, 0777), 0);
    sk_error err = {0};
    assert_int_equal(sk_sink_finish(sink, &err), SK_ERUNTIME);
    if (!strstr(err.message, path))
        fail_msg("no path in: %s", err.message);
    assert_int_equal(sk_sink_finish(sink, &err), SK_ERUNTIME); /* the failure sticks */
    sk_sink_free(sink);
    int parts;
    assert_int_equal(count_entries(dir, &parts), 1); /* the directory, still there */
    assert_int_equal(parts, 0);
    assert_int_equal(rmdir(path), 0);
}

static void test_call_order(void **state)
{
    (void)state;
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "order");
    snprintf(path, sizeof path, "%s/clip.mp4", dir);
    sk_sink *sink = open_and_write(path, 1);
    uint8_t row[4 * W] = {0};
    sk_error err = {0};
    assert_int_equal(sk_sink_write(sink, 1, row, 4 * W - 4, &err), SK_EINPUT); /* stride */
    assert_int_equal(sk_sink_write(sink, 1, NULL, 4 * W, &err), SK_EINPUT);
    assert_int_equal(sk_sink_finish(sink, &err), SK_OK);
    assert_int_equal(sk_sink_write(sink, 2, row, 4 * W, &err), SK_ERUNTIME);
    assert_int_equal(sk_sink_finish(sink, &err), SK_ERUNTIME);
    sk_sink_free(sink);
    sk_sink_free(NULL);
    assert_true(exists(path));
}

/* ---- PNG sequence -------------------------------------------------------- */

#define PNG_W 63 /* odd on purpose: PNG has no chroma subsampling */
#define PNG_H 47

static void check_png(const char *path, int frame)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_format(s), CAIRO_FORMAT_RGB24); /* no alpha */
    assert_int_equal(cairo_image_surface_get_width(s), PNG_W);
    assert_int_equal(cairo_image_surface_get_height(s), PNG_H);
    const uint8_t *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < PNG_H; y++)
        for (int x = 0; x < PNG_W; x++) {
            uint32_t got;
            memcpy(&got, data + (size_t)y * (size_t)stride + 4 * (size_t)x, 4);
            rgb8 c = pattern_pixel(x, y, frame);
            uint32_t want = (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
            if ((got & 0xffffff) != want)
                fail_msg("%s (%d,%d): got %06x, wrote %06x", path, x, y, (unsigned)(got & 0xffffff),
                         (unsigned)want);
        }
    cairo_surface_destroy(s);
}

/* A PNG sequence with every option at its default. */
static sk_sink_options png_options(const char *pattern)
{
    return (sk_sink_options){.path = pattern,
                             .format = SK_FORMAT_PNG_SEQUENCE,
                             .crf = -1,
                             .png_compression = -1,
                             .width = PNG_W,
                             .height = PNG_H,
                             .fps = FPS};
}

static void test_png_sequence(void **state)
{
    (void)state;
    char dir[512], pattern[600], path[620];
    fresh_dir(dir, sizeof dir, "png");
    snprintf(pattern, sizeof pattern, "%s/f_%%03d.png", dir);
    sk_sink_options o = png_options(pattern);
    sk_sink *sink = NULL;
    sk_error err = {0};
    if (sk_sink_open(&o, &sink, &err) != SK_OK)
        fail_msg("%s", err.message);
    int stride = 4 * PNG_W + PAD;
    uint8_t *buf = malloc((size_t)stride * PNG_H);
    assert_non_null(buf);
    for (int frame = 7; frame <= 9; frame++) {
        fill_pattern(buf, PNG_W, PNG_H, stride, frame);
        assert_int_equal(sk_sink_write(sink, frame, buf, stride, &err), SK_OK);
    }
    free(buf);
    assert_int_equal(sk_sink_finish(sink, &err), SK_OK);
    sk_sink_free(sink);

    int parts;
    assert_int_equal(count_entries(dir, &parts), 3);
    assert_int_equal(parts, 0);
    for (int frame = 7; frame <= 9; frame++) {
        snprintf(path, sizeof path, "%s/f_%03d.png", dir, frame);
        assert_true(exists(path));
    }
    snprintf(path, sizeof path, "%s/f_008.png", dir);
    check_png(path, 8);
    snprintf(path, sizeof path, "%s/f_009.png", dir);
    check_png(path, 9);
}

/* A frame whose path is taken by a directory fails alone (an input error
 * naming it), leaving no temporary file behind. */
static void test_png_frame_failure(void **state)
{
    (void)state;
    char dir[512], pattern[600], blocked[620];
    fresh_dir(dir, sizeof dir, "png_blocked");
    snprintf(pattern, sizeof pattern, "%s/f_%%d.png", dir);
    snprintf(blocked, sizeof blocked, "%s/f_1.png", dir);
    assert_int_equal(mkdir(blocked, 0777), 0);
    sk_sink_options o = png_options(pattern);
    sk_sink *sink = NULL;
    sk_error err = {0};
    assert_int_equal(sk_sink_open(&o, &sink, &err), SK_OK);
    uint8_t *buf = calloc((size_t)PNG_H, 4 * PNG_W);
    assert_non_null(buf);
    assert_int_equal(sk_sink_write(sink, 0, buf, 4 * PNG_W, &err), SK_OK);
    assert_int_equal(sk_sink_write(sink, 1, buf, 4 * PNG_W, &err), SK_EINPUT);
    if (!strstr(err.message, blocked) || !strstr(err.message, "is a directory"))
        fail_msg("no path in: %s", err.message);
    free(buf);
    sk_sink_free(sink);
    int parts;
    assert_int_equal(count_entries(dir, &parts), 2); /* f_0.png and the directory */
    assert_int_equal(parts, 0);
    assert_int_equal(rmdir(blocked), 0);
}

/* ---- raw ----------------------------------------------------------------- */

static void test_format_raw(void **state)
{
    (void)state;
    expect_format("out/frames.bgra", SK_FORMAT_RAW);
    expect_format("out/FRAMES.RAW", SK_FORMAT_RAW);
    expect_format("-", SK_FORMAT_RAW); /* standard output */
    assert_false(sk_format_needs_even_size(SK_FORMAT_RAW));
    expect_bad_path("out/f_%05d.bgra"); /* a pattern is for PNG sequences */
}

/* Frames with padded rows (stride > 4 x width) come out packed, one after
 * another, B G R A as given; through both the one-call write and the
 * prepared-frame API the pipeline uses. Nothing at the path until finish. */
static void test_raw_packs_rows(void **state)
{
    (void)state;
    enum { RW = 63, RH = 47, FRAMES = 3 };
    char dir[512], path[600];
    fresh_dir(dir, sizeof dir, "raw");
    snprintf(path, sizeof path, "%s/clip.bgra", dir);
    sk_sink_options o = {.path = path,
                         .format = SK_FORMAT_RAW,
                         .width = RW,
                         .height = RH,
                         .fps = FPS,
                         .crf = -1,
                         .png_compression = -1};
    sk_sink *sink = NULL;
    sk_error err = {0};
    if (sk_sink_open(&o, &sink, &err) != SK_OK)
        fail_msg("%s", err.message);
    int stride = 4 * RW + PAD;
    uint8_t *buf = malloc((size_t)stride * RH);
    assert_non_null(buf);
    sk_sink_frame *frame = NULL;
    assert_int_equal(sk_sink_frame_new(sink, &frame, &err), SK_OK);
    for (int i = 0; i < FRAMES; i++) {
        fill_pattern(buf, RW, RH, stride, i);
        sk_status st = i == 1 ? sk_sink_write(sink, i, buf, stride, &err)
                              : sk_sink_frame_fill(frame, buf, stride, &err);
        if (st == SK_OK && i != 1)
            st = sk_sink_write_frame(sink, i, frame, &err);
        if (st != SK_OK)
            fail_msg("%s", err.message);
    }
    /* A frame is written once: it must be filled again first. */
    assert_int_equal(sk_sink_write_frame(sink, FRAMES, frame, &err), SK_EINPUT);
    sk_sink_frame_free(frame);
    free(buf);
    assert_false(exists(path));
    assert_int_equal(sk_sink_finish(sink, &err), SK_OK);
    sk_sink_free(sink);
    size_t size;
    uint8_t *data = slurp(path, &size);
    assert_int_equal(size, (size_t)FRAMES * RW * RH * 4);
    for (int i = 0; i < FRAMES; i++)
        for (int y = 0; y < RH; y++)
            for (int x = 0; x < RW; x++) {
                rgb8 c = pattern_pixel(x, y, i);
                const uint8_t *p = data + (((size_t)i * RH + y) * RW + x) * 4;
                uint8_t want[4] = {c.b, c.g, c.r, 255};
                assert_memory_equal(p, want, 4);
            }
    free(data);
    int parts;
    assert_int_equal(count_entries(dir, &parts), 1);
    assert_int_equal(parts, 0);
}

int main(void)
{
    av_log_set_level(AV_LOG_WARNING); /* x264's statistics are noise here */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_mp4),
        cmocka_unit_test(test_format_video_and_gif),
        cmocka_unit_test(test_format_by_name),
        cmocka_unit_test(test_codec_names),
        cmocka_unit_test(test_format_png_sequence),
        cmocka_unit_test(test_format_rejects),
        cmocka_unit_test(test_needs_even_size),
        cmocka_unit_test(test_frame_paths),
        cmocka_unit_test(test_frame_path_errors),
        cmocka_unit_test(test_mp4_round_trip),
        cmocka_unit_test(test_mp4_odd_size_refused),
        cmocka_unit_test(test_mp4_bad_options),
        cmocka_unit_test(test_missing_directory),
        cmocka_unit_test(test_free_without_finish_leaves_nothing),
        cmocka_unit_test(test_existing_output_untouched_until_finish),
        cmocka_unit_test(test_finish_failure_leaves_nothing),
        cmocka_unit_test(test_call_order),
        cmocka_unit_test(test_png_sequence),
        cmocka_unit_test(test_png_frame_failure),
        cmocka_unit_test(test_format_raw),
        cmocka_unit_test(test_raw_packs_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
