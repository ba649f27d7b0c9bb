/* bench_convert — the BGRA to yuv420p (BT.709, limited range) conversion a
 * video frame goes through, with each set of swscale flags worth trying:
 * milliseconds per frame on one thread (best of RUNS) and PSNR of Y and of
 * Cb/Cr against an exact conversion computed here in double precision
 * (BT.709 matrix from its definition; chroma the mean of each 2x2 block,
 * which is what 4:2:0 with centred chroma siting samples). The frame is a
 * real one: a scene's frame drawn by softknn's own drawing code.
 *
 *   bench_convert [SCENE [FRAME]]   default scenes/bench-orbit.yaml, frame 180
 *
 * Prints figures only; asserts nothing. softknn uses area + full chroma
 * input (src/encode/video.c); this is where that choice is measured. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cairo.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>

#include "render/render.h"
#include "timeline/timeline.h"

#define RUNS 30

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

/* Exact limited-range BT.709 of every pixel: Y, and Cb/Cr before subsampling. */
typedef struct exact {
    double *y, *cb, *cr;
} exact;

static exact exact_convert(const uint8_t *bgra, int stride, int w, int h)
{
    exact e = {malloc(sizeof(double) * w * h), malloc(sizeof(double) * w * h),
               malloc(sizeof(double) * w * h)};
    if (!e.y || !e.cb || !e.cr) {
        fprintf(stderr, "bench_convert: out of memory\n");
        exit(1);
    }
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            const uint8_t *p = bgra + (size_t)j * stride + 4 * i;
            double b = p[0] / 255.0, g = p[1] / 255.0, r = p[2] / 255.0;
            double luma = 0.2126 * r + 0.7152 * g + 0.0722 * b;
            e.y[j * w + i] = 16 + 219 * luma;
            e.cb[j * w + i] = 128 + 224 * (b - luma) / 1.8556;
            e.cr[j * w + i] = 128 + 224 * (r - luma) / 1.5748;
        }
    return e;
}

static double psnr(double squared_error, double samples)
{
    return 10 * log10(255.0 * 255.0 / (squared_error / samples));
}

static void compare(const exact *e, const AVFrame *f, double *psnr_y, double *psnr_c)
{
    int w = f->width, h = f->height;
    double ey = 0, ec = 0;
    for (int j = 0; j < h; j++)
        for (int i = 0; i < w; i++) {
            double d = f->data[0][j * f->linesize[0] + i] - e->y[j * w + i];
            ey += d * d;
        }
    for (int j = 0; j < h / 2; j++)
        for (int i = 0; i < w / 2; i++) {
            int a = 2 * j * w + 2 * i;
            double cb = (e->cb[a] + e->cb[a + 1] + e->cb[a + w] + e->cb[a + w + 1]) / 4;
            double cr = (e->cr[a] + e->cr[a + 1] + e->cr[a + w] + e->cr[a + w + 1]) / 4;
            double du = f->data[1][j * f->linesize[1] + i] - cb;
            double dv = f->data[2][j * f->linesize[2] + i] - cr;
            ec += du * du + dv * dv;
        }
    *psnr_y = psnr(ey, (double)w * h);
    *psnr_c = psnr(ec, (double)w * h / 2);
}

static cairo_surface_t *draw_frame(const char *path, int64_t frame)
{
    sk_error err = {0};
    sk_scene *scene = NULL;
    sk_timeline *timeline = NULL;
    sk_evaluator *evaluator = NULL;
    cairo_surface_t *surface = NULL;
    cairo_t *cr = NULL;
    sk_status st = sk_load_scene(path, &scene, &err);
    if (st == SK_OK)
        st = sk_timeline_new(scene, &timeline, &err);
    if (st == SK_OK)
        st = sk_evaluator_new(scene, &evaluator, &err);
    if (st == SK_OK) {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, scene->width, scene->height);
        cr = cairo_create(surface);
        st = cairo_status(cr) == CAIRO_STATUS_SUCCESS
                 ? sk_draw_scene_frame(cr, scene, timeline, evaluator, frame, &err)
                 : sk_error_set(&err, SK_ERUNTIME, "no drawing surface");
        cairo_surface_flush(surface);
    }
    if (cr)
        cairo_destroy(cr);
    sk_evaluator_free(evaluator);
    sk_timeline_free(timeline);
    sk_scene_free(scene);
    if (st != SK_OK) {
        fprintf(stderr, "bench_convert: %s\n", err.message);
        exit(1);
    }
    return surface;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "scenes/bench-orbit.yaml";
    int64_t frame = argc > 2 ? atoll(argv[2]) : 180;
    cairo_surface_t *surface = draw_frame(path, frame);
    const uint8_t *bgra = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
    exact e = exact_convert(bgra, stride, w, h);

    static const struct {
        int flags;
        const char *name;
    } candidates[] = {
        {SWS_AREA | SWS_FULL_CHR_H_INP, "area + full chroma input (softknn)"},
        {SWS_AREA, "area"},
        {SWS_BILINEAR | SWS_FULL_CHR_H_INP, "bilinear + full chroma input"},
        {SWS_BILINEAR, "bilinear"},
        {SWS_BICUBIC, "bicubic (the ffmpeg program's default)"},
        {SWS_FAST_BILINEAR, "fast bilinear"},
        {SWS_POINT | SWS_FULL_CHR_H_INP, "point + full chroma input"},
        {SWS_POINT, "point"},
    };
    printf("%s frame %lld, %dx%d, BGRA -> yuv420p BT.709 limited, 1 thread, best of %d\n", path,
           (long long)frame, w, h, RUNS);
    printf("%-40s %8s %9s %9s\n", "swscale flags", "ms", "PSNR Y", "PSNR CbCr");
    for (size_t k = 0; k < sizeof candidates / sizeof *candidates; k++) {
        struct SwsContext *sws = sws_getContext(w, h, AV_PIX_FMT_BGRA, w, h, AV_PIX_FMT_YUV420P,
                                                candidates[k].flags, NULL, NULL, NULL);
        AVFrame *out = av_frame_alloc();
        if (!sws || !out) {
            fprintf(stderr, "bench_convert: cannot set up %s\n", candidates[k].name);
            return 1;
        }
        const int *bt709 = sws_getCoefficients(SWS_CS_ITU709);
        out->format = AV_PIX_FMT_YUV420P;
        out->width = w;
        out->height = h;
        if (sws_setColorspaceDetails(sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16) < 0 ||
            av_frame_get_buffer(out, 0) < 0) {
            fprintf(stderr, "bench_convert: cannot set up %s\n", candidates[k].name);
            return 1;
        }
        const uint8_t *const planes[1] = {bgra};
        const int strides[1] = {stride};
        double best = INFINITY;
        for (int run = 0; run < RUNS; run++) {
            double start = now_ms();
            if (sws_scale(sws, planes, strides, 0, h, out->data, out->linesize) != h) {
                fprintf(stderr, "bench_convert: %s failed\n", candidates[k].name);
                return 1;
            }
            best = fmin(best, now_ms() - start);
        }
        double py, pc;
        compare(&e, out, &py, &pc);
        printf("%-40s %8.2f %6.2f dB %6.2f dB\n", candidates[k].name, best, py, pc);
        av_frame_free(&out);
        sws_freeContext(sws);
    }
    free(e.y);
    free(e.cb);
    free(e.cr);
    cairo_surface_destroy(surface);
    return 0;
}
