/* main.c — the command line: arguments become a render, still or export job. The
 * only place that prints usage, reports errors and chooses the exit status. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode/encode.h"
#include "export/export.h"
#include "render/render.h"
#include "scene/scene.h"

#ifndef SK_VERSION
#define SK_VERSION "dev"
#endif

enum { EXIT_RUNTIME = 1, EXIT_INPUT = 2, EXIT_INTERRUPTED = 130 };

static const char usage_text[] =
    "usage: softknn render SCENE [options]\n"
    "       softknn weights SCENE [--format csv|json] [--every N] [--frames A:B] [-o FILE] [-y]\n"
    "       softknn still SCENE --at TIME -o FILE.png|.svg|.pdf [--size WxH] [-q l|m|h|k] [-y]\n"
    "       softknn concat PART... -o OUT [-y] [--quiet]\n"
    "       softknn check SCENE\n"
    "       softknn --help | --version\n"
    "\n"
    "render: draws a scene file as a video that shows attention as soft k-nearest-neighbours.\n"
    "weights: writes every frame's numbers (query, kernel, weights, output, entropy) as CSV\n"
    "or JSON, to FILE or standard output, for plotting; see docs/weights.md.\n"
    "still: draws the frame at one moment as a PNG image, or as an SVG or PDF drawing\n"
    "whose shapes stay shapes and text stays text (for slides and papers).\n"
    "concat: joins parts rendered with --frames (in order, same settings) into one\n"
    "video by stream copy, without re-encoding; see docs/cluster.md.\n"
    "check: validates a scene (every error, with file:line:col) and summarises it.\n"
    "\n"
    "render options:\n"
    "  -o, --output PATH   where to write; the extension picks the format:\n"
    "                        .mp4            H.264 (or H.265) video, yuv420p, BT.709\n"
    "                        .webm           VP9 video, BT.709 (alpha with --transparent)\n"
    "                        .mov            ProRes 422 HQ (4444 with alpha with --transparent)\n"
    "                        .gif            animated GIF, looping, at most 50 fps\n"
    "                        name_%05d.png   a PNG sequence (one file per frame)\n"
    "                        .bgra or .raw   raw frames: Cairo's BGRA bytes (premultiplied),\n"
    "                                        4 x width bytes a row, no header\n"
    "                        -               raw frames to standard output, for a pipe:\n"
    "                                        ... -o - | ffmpeg -f rawvideo -pix_fmt bgra\n"
    "                                        -s WxH -r FPS -i - ...\n"
    "                      default: out/<scene name>.mp4 (or the --format's extension)\n"
    "  --format NAME       mp4, webm, mov, gif, png or raw, whatever the extension\n"
    "  --codec NAME        for .mp4: h264 (default) or h265 (tagged hvc1)\n"
    "  -q, --quality L     l 854x480@15, m 1280x720@30, h 1920x1080@60, k 3840x2160@60;\n"
    "                      overrides the scene; --size and --fps override it\n"
    "  --size WxH          frame size in pixels (default: the scene's)\n"
    "  --fps N             frames per second, 1-240 (default: the scene's); a GIF\n"
    "                      keeps every k-th frame to stay at 50 fps or below\n"
    "  --frames A:B        render frames A up to but NOT including B (0-based, like a\n"
    "                      Python slice); A or B may be left out: '100:' or ':60'.\n"
    "                      The file plays on its own and joins others with concat\n"
    "  --crf N             quality, 0 (lossless) up: H.264 and H.265 0-51 (default 20\n"
    "                      and 24), VP9 0-63 (default 32); not for ProRes, GIF, PNG or raw\n"
    "  --preset NAME       x264/x265 speed, ultrafast ... placebo (default veryfast)\n"
    "  --transparent       keep alpha (.webm, .mov, PNG): an opaque scene background\n"
    "                      becomes transparent; a translucent one is kept\n"
    "  --gif-width W       scale a GIF to W pixels wide, keeping the aspect ratio\n"
    "  --gif-dither NAME   bayer (default: a fixed pattern, small files), sierra2_4a\n"
    "                      (error diffusion: smoother gradients, larger files) or none\n"
    "  --png-compression N PNG zlib level, 0 (fastest) to 9 (smallest) (default 3)\n"
    "  --subtitles FILE    also write the scene's captions as FILE.srt (SubRip) or\n"
    "                      FILE.vtt (WebVTT), timed like the output (and its --frames)\n"
    "  --threads N         drawing threads, 1-64 (default: one per processor); the\n"
    "                      output is the same whatever N\n"
    "  -y, --overwrite     replace an existing output\n"
    "  --quiet             print nothing but errors (no progress bar)\n"
    "  -v, --verbose       also print FFmpeg's and the encoders' own messages\n"
    "\n";

/* The rest of --help; two strings because C11 promises only 4095 bytes. */
static const char usage_more_text[] =
    "weights options:\n"
    "  --format csv|json   default: json when FILE ends in .json, else csv\n"
    "  --every N           only frames whose index is a multiple of N (default 1)\n"
    "  --frames A:B        as for render\n"
    "  -o, --output FILE   default: standard output\n"
    "\n"
    "still options:\n"
    "  --at TIME           the moment: seconds (2.5) or \"1.5s\", \"250ms\", \"2:03.5\"; the\n"
    "                      frame is round(TIME x fps), clamped to the scene's last frame\n"
    "  -o, --output FILE   the extension picks the format: .png, .svg or .pdf\n"
    "                      (SVG and PDF are one point per pixel)\n"
    "  --size WxH, -q L    as for render (the size only)\n"
    "  -y, --quiet         as for render\n"
    "\n"
    "concat options:\n"
    "  -o, --output OUT    .mp4, .webm or .mov; the parts must agree in codec, size,\n"
    "                      pixel format, frame rate and encoder settings; captions\n"
    "                      and chapters are joined too\n"
    "  --scene SCENE       encode SCENE's audio once onto the joined video (taken to\n"
    "                      start at the scene's start) instead of the parts' own, which\n"
    "                      would click at every joint: parts with sound need it\n"
    "  -y, --quiet         as for render\n"
    "\n"
    "exit status: 0 done, 1 runtime failure, 2 bad input, 130 interrupted\n";

static void print_usage(void)
{
    fputs(usage_text, stdout);
    fputs(usage_more_text, stdout);
}

static volatile sig_atomic_t cancel_requested;

static void on_signal(int signo)
{
    (void)signo;
    cancel_requested = 1;
}

__attribute__((format(printf, 1, 2))) static int fail_input(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "softknn: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see softknn --help)\n");
    va_end(ap);
    return EXIT_INPUT;
}

/* A whole decimal integer in [lo, hi] and nothing else. */
static int parse_int(const char *text, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_size(const char *text, int *w, int *h)
{
    char extra;
    if (sscanf(text, "%dx%d%c", w, h, &extra) != 2 || *w < 16 || *h < 16 || *w > 8192 || *h > 8192)
        return -1;
    return 0;
}

#define FRAMES_EXPECTED                                                                            \
    "--frames: expected A:B, from frame A up to but not including frame B (left out, A is 0 and "  \
    "B the end), found '%s'"

static int parse_range(const char *text, int64_t *first, int64_t *end)
{
    const char *colon = strchr(text, ':');
    if (!colon)
        return -1;
    char a[32] = "", b[32] = "";
    size_t la = (size_t)(colon - text), lb = strlen(colon + 1);
    if (la >= sizeof a || lb >= sizeof b)
        return -1;
    memcpy(a, text, la);
    memcpy(b, colon + 1, lb);
    long va = 0, vb = -1;
    if ((la && parse_int(a, 0, LONG_MAX, &va)) || (lb && parse_int(b, 1, LONG_MAX, &vb)))
        return -1;
    *first = va;
    *end = vb;
    return 0;
}

/* Manim's quality letters: frame size and rate. */
typedef struct quality {
    char letter;
    int width, height, fps;
} quality;

static const quality qualities[] = {
    {'l', 854, 480, 15},
    {'m', 1280, 720, 30},
    {'h', 1920, 1080, 60},
    {'k', 3840, 2160, 60},
};

static const quality *parse_quality(const char *text)
{
    for (size_t i = 0; text[0] && !text[1] && i < sizeof qualities / sizeof qualities[0]; i++)
        if (qualities[i].letter == text[0])
            return &qualities[i];
    return NULL;
}

/* out/<scene file name without its extension>.<format>; a PNG sequence
 * gets a frame-number pattern. (A bad format name is reported by render.) */
static void default_output(const char *scene_path, const char *format, char *out, size_t size)
{
    const char *base = strrchr(scene_path, '/');
    base = base ? base + 1 : scene_path;
    const char *dot = strrchr(base, '.');
    int stem = dot && dot != base ? (int)(dot - base) : (int)strlen(base);
    bool png = strcmp(format, "png") == 0;
    snprintf(out, size, "out/%.*s%s.%s", stem, base, png ? "_%05d" : "", format);
}

/* Prints each line of a (possibly multi-line) message as "softknn: line". */
static void report(const sk_error *err)
{
    for (const char *line = err->message; *line;) {
        size_t n = strcspn(line, "\n");
        fprintf(stderr, "softknn: %.*s\n", (int)n, line);
        line += n + (line[n] == '\n');
    }
}

static int exit_code(sk_status status)
{
    switch (status) {
    case SK_OK: return 0;
    case SK_EINPUT: return EXIT_INPUT;
    case SK_EINTERRUPTED: return EXIT_INTERRUPTED;
    default: return EXIT_RUNTIME;
    }
}

static void catch_signals(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A pipe whose reader has gone (-o - | head -c 1) makes write() fail
     * with EPIPE, reported like any write error, instead of killing us. */
    signal(SIGPIPE, SIG_IGN);
}

static int command_render(int argc, char **argv)
{
    enum {
        OPT_SIZE = 256,
        OPT_FPS,
        OPT_FRAMES,
        OPT_CRF,
        OPT_PRESET,
        OPT_FORMAT,
        OPT_CODEC,
        OPT_TRANSPARENT,
        OPT_GIF_WIDTH,
        OPT_GIF_DITHER,
        OPT_PNG_COMPRESSION,
        OPT_SUBTITLES,
        OPT_THREADS,
        OPT_QUIET
    };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"codec", required_argument, NULL, OPT_CODEC},
        {"quality", required_argument, NULL, 'q'},
        {"size", required_argument, NULL, OPT_SIZE},
        {"fps", required_argument, NULL, OPT_FPS},
        {"frames", required_argument, NULL, OPT_FRAMES},
        {"crf", required_argument, NULL, OPT_CRF},
        {"preset", required_argument, NULL, OPT_PRESET},
        {"transparent", no_argument, NULL, OPT_TRANSPARENT},
        {"gif-width", required_argument, NULL, OPT_GIF_WIDTH},
        {"gif-dither", required_argument, NULL, OPT_GIF_DITHER},
        {"png-compression", required_argument, NULL, OPT_PNG_COMPRESSION},
        {"subtitles", required_argument, NULL, OPT_SUBTITLES},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"overwrite", no_argument, NULL, 'y'},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    sk_render_job job = {
        .end_frame = -1, .crf = -1, .png_compression = -1, .cancel = &cancel_requested};
    const quality *preset_quality = NULL;
    int width = 0, height = 0, fps = 0;
    long value;
    int opt;
    bool verbose = false;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:q:yvh", options, NULL)) != -1) {
        switch (opt) {
        case 'o': job.output = optarg; break;
        case 'y': job.overwrite = true; break;
        case OPT_QUIET: job.quiet = true; break;
        case 'v': verbose = true; break;
        case 'h': print_usage(); return 0;
        case 'q':
            if (!(preset_quality = parse_quality(optarg)))
                return fail_input("-q: expected l, m, h or k, found '%s'", optarg);
            break;
        case OPT_SIZE:
            if (parse_size(optarg, &width, &height))
                return fail_input("--size: expected WxH with each side 16 to 8192, found '%s'",
                                  optarg);
            break;
        case OPT_FPS:
            if (parse_int(optarg, 1, 240, &value))
                return fail_input("--fps: expected an integer from 1 to 240, found '%s'", optarg);
            fps = (int)value;
            break;
        case OPT_FRAMES:
            if (parse_range(optarg, &job.first_frame, &job.end_frame))
                return fail_input(FRAMES_EXPECTED, optarg);
            break;
        case OPT_CRF:
            if (parse_int(optarg, 0, 63, &value))
                return fail_input("--crf: expected an integer from 0 to 63 (51 for H.264 "
                                  "and H.265), found '%s'",
                                  optarg);
            job.crf = (int)value;
            break;
        case OPT_PRESET: job.preset = optarg; break;
        case OPT_FORMAT: job.format = optarg; break;
        case OPT_CODEC:
            if (!sk_codec_from_name(optarg, &job.codec))
                return fail_input("--codec: expected h264, h265, vp9 or prores, found '%s'",
                                  optarg);
            break;
        case OPT_TRANSPARENT: job.transparent = true; break;
        case OPT_GIF_WIDTH:
            if (parse_int(optarg, 16, 8192, &value))
                return fail_input("--gif-width: expected a width from 16 to 8192, found '%s'",
                                  optarg);
            job.gif_width = (int)value;
            break;
        case OPT_GIF_DITHER:
            if (!sk_gif_dither_known(optarg))
                return fail_input("--gif-dither: expected bayer, sierra2_4a or none, found '%s'",
                                  optarg);
            job.gif_dither = optarg;
            break;
        case OPT_PNG_COMPRESSION:
            if (parse_int(optarg, 0, 9, &value))
                return fail_input("--png-compression: expected a level from 0 to 9, found '%s'",
                                  optarg);
            job.png_compression = (int)value;
            break;
        case OPT_SUBTITLES: job.subtitles = optarg; break;
        case OPT_THREADS:
            if (parse_int(optarg, 1, 64, &value))
                return fail_input("--threads: expected an integer from 1 to 64, found '%s'",
                                  optarg);
            job.threads = (int)value;
            break;
        case ':': return fail_input("%s needs a value", argv[optind - 1]);
        default: return fail_input("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return fail_input("render needs a scene file");
    if (optind != argc - 1)
        return fail_input("render takes one scene file, found also '%s'", argv[optind + 1]);
    job.scene_path = argv[optind];
    /* --size and --fps win over -q, whatever their order. */
    if (preset_quality) {
        job.width = preset_quality->width;
        job.height = preset_quality->height;
        job.fps = preset_quality->fps;
    }
    if (width > 0) {
        job.width = width;
        job.height = height;
    }
    if (fps > 0)
        job.fps = fps;
    char output[4096];
    if (!job.output) {
        default_output(job.scene_path, job.format ? job.format : "mp4", output, sizeof output);
        job.output = output;
    }

    sk_encode_set_verbose(verbose);
    catch_signals();
    sk_error err = {0};
    sk_status status = sk_render(&job, &err);
    if (status != SK_OK)
        report(&err);
    return exit_code(status);
}

static int command_concat(int argc, char **argv)
{
    enum { OPT_QUIET = 256, OPT_SCENE };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'}, {"overwrite", no_argument, NULL, 'y'},
        {"quiet", no_argument, NULL, OPT_QUIET},  {"scene", required_argument, NULL, OPT_SCENE},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *output = NULL, *scene = NULL;
    bool overwrite = false, quiet = false;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:yh", options, NULL)) != -1) {
        switch (opt) {
        case 'o': output = optarg; break;
        case 'y': overwrite = true; break;
        case OPT_QUIET: quiet = true; break;
        case OPT_SCENE: scene = optarg; break;
        case 'h': print_usage(); return 0;
        case ':': return fail_input("%s needs a value", argv[optind - 1]);
        default: return fail_input("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return fail_input("concat needs the parts to join");
    if (!output)
        return fail_input("concat needs -o OUT.mp4, OUT.webm or OUT.mov");
    int count = argc - optind;
    sk_encode_set_verbose(false);
    sk_error err = {0};
    sk_status status =
        sk_concat_scene((const char *const *)argv + optind, count, output, overwrite, scene, &err);
    if (status != SK_OK)
        report(&err);
    else if (!quiet)
        fprintf(stderr, "wrote %s: %d parts joined\n", output, count);
    return exit_code(status);
}

static bool ends_with(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}

static int command_weights(int argc, char **argv)
{
    enum { OPT_FORMAT = 256, OPT_EVERY, OPT_FRAMES };
    static const struct option options[] = {{"output", required_argument, NULL, 'o'},
                                            {"format", required_argument, NULL, OPT_FORMAT},
                                            {"every", required_argument, NULL, OPT_EVERY},
                                            {"frames", required_argument, NULL, OPT_FRAMES},
                                            {"overwrite", no_argument, NULL, 'y'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    sk_export_job job = {.every = 1, .end_frame = -1};
    const char *format = NULL;
    long value;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:yh", options, NULL)) != -1) {
        switch (opt) {
        case 'o': job.output = optarg; break;
        case 'y': job.overwrite = true; break;
        case 'h': print_usage(); return 0;
        case OPT_FORMAT:
            if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "json") != 0)
                return fail_input("--format: expected csv or json, found '%s'", optarg);
            format = optarg;
            break;
        case OPT_EVERY:
            if (parse_int(optarg, 1, INT_MAX, &value))
                return fail_input("--every: expected a whole number from 1, found '%s'", optarg);
            job.every = (int)value;
            break;
        case OPT_FRAMES:
            if (parse_range(optarg, &job.first_frame, &job.end_frame))
                return fail_input(FRAMES_EXPECTED, optarg);
            break;
        case ':': return fail_input("%s needs a value", argv[optind - 1]);
        default: return fail_input("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return fail_input("weights needs a scene file");
    if (optind != argc - 1)
        return fail_input("weights takes one scene file, found also '%s'", argv[optind + 1]);
    job.scene_path = argv[optind];
    if (!format)
        format = job.output && ends_with(job.output, ".json") ? "json" : "csv";
    job.format = strcmp(format, "json") == 0 ? SK_EXPORT_JSON : SK_EXPORT_CSV;
    sk_error err = {0};
    sk_status status = sk_export_weights(&job, &err);
    if (status != SK_OK)
        report(&err);
    return exit_code(status);
}

static int command_still(int argc, char **argv)
{
    enum { OPT_AT = 256, OPT_SIZE, OPT_QUIET };
    static const struct option options[] = {{"output", required_argument, NULL, 'o'},
                                            {"at", required_argument, NULL, OPT_AT},
                                            {"size", required_argument, NULL, OPT_SIZE},
                                            {"quality", required_argument, NULL, 'q'},
                                            {"overwrite", no_argument, NULL, 'y'},
                                            {"quiet", no_argument, NULL, OPT_QUIET},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    sk_still_job job = {0};
    bool have_time = false;
    const quality *preset_quality = NULL;
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":o:q:yh", options, NULL)) != -1) {
        switch (opt) {
        case 'o': job.output = optarg; break;
        case 'y': job.overwrite = true; break;
        case OPT_QUIET: job.quiet = true; break;
        case 'q':
            if (!(preset_quality = parse_quality(optarg)))
                return fail_input("-q: expected l, m, h or k, found '%s'", optarg);
            break;
        case 'h': print_usage(); return 0;
        case OPT_AT:
            if (!sk_scene_parse_time(optarg, &job.time))
                return fail_input("--at: expected a time (seconds, or \"1.5s\", \"250ms\", "
                                  "\"2:03.5\"), found '%s'",
                                  optarg);
            have_time = true;
            break;
        case OPT_SIZE:
            if (parse_size(optarg, &job.width, &job.height))
                return fail_input("--size: expected WxH with each side 16 to 8192, found '%s'",
                                  optarg);
            break;
        case ':': return fail_input("%s needs a value", argv[optind - 1]);
        default: return fail_input("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return fail_input("still needs a scene file");
    if (optind != argc - 1)
        return fail_input("still takes one scene file, found also '%s'", argv[optind + 1]);
    if (!have_time)
        return fail_input("still needs --at TIME, the moment to draw");
    if (!job.output)
        return fail_input("still needs -o FILE.png, FILE.svg or FILE.pdf");
    job.scene_path = argv[optind];
    if (preset_quality && job.width == 0) { /* --size wins */
        job.width = preset_quality->width;
        job.height = preset_quality->height;
    }
    sk_error err = {0};
    sk_status status = sk_still(&job, &err);
    if (status != SK_OK)
        report(&err);
    return exit_code(status);
}

static const char *const path_kind_names[SK_PATH_KIND_COUNT] = {[SK_PATH_SPLINE] = "spline",
                                                                [SK_PATH_POLYLINE] = "polyline",
                                                                [SK_PATH_BEZIER] = "bezier",
                                                                [SK_PATH_ELLIPSE] = "ellipse",
                                                                [SK_PATH_KEYFRAMES] = "keyframed"};

static const char *const target_names[SK_TARGET_COUNT] = {
    [SK_TARGET_BANDWIDTH] = "attention.bandwidth",
    [SK_TARGET_TEMPERATURE] = "attention.temperature",
    [SK_TARGET_K] = "attention.k",
    [SK_TARGET_KERNEL] = "attention.kernel",
    [SK_TARGET_CAMERA_CENTER] = "camera.center",
    [SK_TARGET_CAMERA_ZOOM] = "camera.zoom",
    [SK_TARGET_QUERY_POSITION] = "query.position",
    [SK_TARGET_LAYER_OPACITY] = "opacity"};

static void print_kernel(const char *heading, const sk_kernel *k)
{
    unsigned uses = sk_kernel_parameters(k);
    printf("  %-9s %s", heading, sk_kernel_name(k->kind));
    if (uses & SK_USES_BASE)
        printf(" of %s", sk_kernel_name(k->base));
    if (uses & SK_USES_K)
        printf(", k %d", k->k);
    if (uses & SK_USES_BANDWIDTH)
        printf(", bandwidth %g", k->bandwidth);
    if (uses & SK_USES_TEMPERATURE)
        printf(", temperature %g", k->temperature);
    if ((uses & SK_USES_BIAS) && k->key_bias)
        printf(", bias half_norm");
    printf("%s\n", k->projected ? ", with projections W_Q and W_K" : "");
}

static void print_summary(const sk_scene *s)
{
    printf("%s: valid\n", s->source);
    printf("  video     %dx%d, %d fps, %g s (%lld frames), theme %s\n", s->width, s->height, s->fps,
           s->duration, (long long)sk_scene_frame_count(s), sk_theme_name(s->theme));
    printf("  keys      %d (%s values)\n", s->key_count,
           s->value_kind == SK_VALUE_SCALAR ? "number" : "colour");
    print_kernel("kernel", &s->kernel);
    if (s->has_compare)
        print_kernel("compare", &s->compare);
    const sk_path *p = &s->query_path;
    printf("  query     %s path", path_kind_names[p->kind]);
    if (p->kind == SK_PATH_KEYFRAMES)
        printf(", %d keyframes", p->track.count);
    else if (p->kind != SK_PATH_ELLIPSE)
        printf(", %d points", p->point_count);
    printf("%s\n", p->closed && p->kind != SK_PATH_KEYFRAMES ? ", closed" : "");
    printf("  view      %s, x %g..%g, %s %g..%g", sk_view_kind_name(s->view_kind), s->view_min.x,
           s->view_max.x, s->view_kind == SK_VIEW_REGRESSION1D ? "value" : "y", s->view_min.y,
           s->view_max.y);
    if (s->view_kind == SK_VIEW_MATRIX)
        printf(", %d rows", s->matrix_rows);
    if (s->curve_count > 0)
        printf(", true curve of %d points", s->curve_count);
    printf("\n");
    printf("  layers   ");
    for (int i = 0; i < s->layer_count; i++)
        printf(" %s", sk_layer_name(s->layer_order[i]));
    printf("\n  animate   %s", s->animation_count ? "" : "nothing");
    for (int i = 0; i < s->animation_count; i++) {
        const sk_animation *a = &s->animations[i];
        if (a->target == SK_TARGET_LAYER_OPACITY)
            printf("%slayers.%s.opacity", i ? ", " : "", sk_layer_name(a->layer));
        else
            printf("%s%s", i ? ", " : "", target_names[a->target]);
    }
    printf("\n  sections  %s", s->section_count ? "" : "none");
    for (int i = 0; i < s->section_count; i++)
        printf("%s%s (%g-%g s)", i ? ", " : "", s->sections[i].name, s->sections[i].start,
               s->sections[i].end);
    printf("\n  captions  %d\n", s->caption_count);
    printf("  cards     %d\n", s->card_count);
    printf("  audio     %s\n", s->audio_path ? s->audio_path : "none");
}

static int command_check(int argc, char **argv)
{
    if (argc != 2)
        return fail_input(argc < 2 ? "check needs a scene file" : "check takes one scene file");
    sk_scene *scene = NULL;
    sk_error err = {0};
    sk_status status = sk_load_scene(argv[1], &scene, &err);
    if (status != SK_OK) {
        report(&err);
        return exit_code(status);
    }
    print_summary(scene);
    sk_scene_free(scene);
    return 0;
}

/* glibc gives each thread its own malloc arena, and memory freed in one is
 * not reused by allocations in another: how much a render kept came to
 * depend on thread timing (a 150-frame GIF at 960x540 peaked at 112 MB or
 * at 289 MB, 4 runs of 5 high while another program used a core). One
 * arena for all: 112 MB every time, and the MP4 bench render is as fast
 * (threads allocate small blocks from their own caches anyway). */
static void one_malloc_arena(void)
{
#ifdef __GLIBC__
    mallopt(M_ARENA_MAX, 1);
#endif
}

int main(int argc, char **argv)
{
    one_malloc_arena();
    if (argc < 2)
        return fail_input("missing command");
    const char *command = argv[1];
    if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
        strcmp(command, "help") == 0) {
        print_usage();
        return 0;
    }
    if (strcmp(command, "--version") == 0) {
        printf("softknn %s\n", SK_VERSION);
        return 0;
    }
    if (strcmp(command, "render") == 0)
        return command_render(argc - 1, argv + 1);
    if (strcmp(command, "weights") == 0)
        return command_weights(argc - 1, argv + 1);
    if (strcmp(command, "still") == 0)
        return command_still(argc - 1, argv + 1);
    if (strcmp(command, "check") == 0)
        return command_check(argc - 1, argv + 1);
    if (strcmp(command, "concat") == 0)
        return command_concat(argc - 1, argv + 1);
    return fail_input("unknown command '%s'", command);
}
