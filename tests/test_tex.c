/* The TeX path (src/tex) with the real latex and dvisvgm: a compiled formula
 * is SVG that librsvg draws with ink, its baseline where the renderer expects
 * it; the cache serves it with latex hidden; missing programs and TeX errors
 * are reported at the scene's file:line:col, through the real binary too.
 * Needs texlive-latex-base and dvisvgm (scripts/deps installs them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cairo.h>
#include <librsvg/rsvg.h>

#include "support.h"
#include "tex/tex.h"

#define TMP SK_TEST_TMP "/tex"
#define EMPTY_BIN TMP "/empty-bin" /* a PATH with no programs at all */
#define PACKAGES "install the Debian packages texlive-latex-base and dvisvgm"

static char *saved_path;

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A fresh, empty cache directory for one test. */
static void fresh_cache(const char *name)
{
    char dir[512], command[600];
    snprintf(dir, sizeof dir, TMP "/%s", name);
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    assert_int_equal(system(command), 0);
    setenv("XDG_CACHE_HOME", dir, 1);
}

static void restore_path(void)
{
    setenv("PATH", saved_path, 1);
}

static int setup(void **state)
{
    (void)state;
    mkdir(TMP, 0777);
    mkdir(EMPTY_BIN, 0777);
    saved_path = strdup(getenv("PATH"));
    return saved_path ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    restore_path();
    free(saved_path);
    return 0;
}

/* How many of the pixels librsvg draws the SVG into (width px wide) have ink. */
static double ink_share(const char *svg, size_t length, int width, int height)
{
    GError *error = NULL;
    RsvgHandle *handle = rsvg_handle_new_from_data((const guint8 *)svg, length, &error);
    if (!handle)
        fail_msg("librsvg refused the SVG: %s", error ? error->message : "?");
    cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    cairo_t *cr = cairo_create(surface);
    RsvgRectangle viewport = {0, 0, width, height};
    assert_true(rsvg_handle_render_document(handle, cr, &viewport, &error));
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    const unsigned char *data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface), inked = 0;
    for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
            inked += data[y * stride + 4 * x + 3] > 128; /* alpha: BGRA in memory */
    cairo_surface_destroy(surface);
    g_object_unref(handle);
    return (double)inked / (width * height);
}

/* The viewBox's four numbers. */
static void view_box(const char *svg, double box[4])
{
    const char *v = strstr(svg, "viewBox=");
    assert_non_null(v);
    assert_int_equal(sscanf(v + 9, "%lf %lf %lf %lf", &box[0], &box[1], &box[2], &box[3]), 4);
}

/* One SVG file in the cache, as written; NULL if none. */
static char *cached_file(const char *cache, size_t *length)
{
    char dir[512], path[1024];
    snprintf(dir, sizeof dir, "%s/softknn/tex", cache);
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char *text = NULL;
    int count = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".svg"))
            continue;
        assert_int_equal(strlen(e->d_name), 64 + 4); /* a SHA-256 in hex, then ".svg" */
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        free(text);
        text = read_file(path, length);
        count++;
    }
    closedir(d);
    assert_int_equal(count, 1);
    return text;
}

/* A real formula: paths (glyphs as outlines, no fonts), ink when drawn, and
 * the cache holds exactly it. "x" has no descender: the viewBox's top is
 * minus the x-height (0.431 em in Computer Modern) above a baseline at y = 0
 * and its bottom at about 0, in SK_TEX_EM units per em. */
static void test_compile_draws_ink(void **state)
{
    (void)state;
    fresh_cache("ink");
    char *svg = NULL;
    size_t length = 0;
    sk_error err = {0};
    sk_status st =
        sk_tex_compile("\\frac{q \\cdot k}{\\sqrt{d}} + \\sum_i w_i", &svg, &length, &err);
    if (st != SK_OK)
        fail_msg("%s", err.message);
    assert_true(length == strlen(svg));
    assert_non_null(strstr(svg, "<path"));
    assert_null(strstr(svg, "<font"));
    double share = ink_share(svg, length, 400, 120);
    if (!(share > 0.03 && share < 0.6))
        fail_msg("ink on %.3f of the pixels", share);
    size_t cached_length;
    char *cached = cached_file(getenv("XDG_CACHE_HOME"), &cached_length);
    assert_non_null(cached);
    assert_true(cached_length == length && memcmp(cached, svg, length) == 0);
    free(cached);
    free(svg);

    assert_int_equal(sk_tex_compile("x", &svg, &length, &err), SK_OK);
    double box[4];
    view_box(svg, box);
    double ascent = -box[1] / SK_TEX_EM, descent = (box[1] + box[3]) / SK_TEX_EM;
    if (!(ascent > 0.40 && ascent < 0.46 && descent > -0.02 && descent < 0.02))
        fail_msg("x: ascent %g em, descent %g em", ascent, descent);
    free(svg);
}

/* Compiled once, a formula needs no latex: with PATH empty the same formula
 * comes from the cache, byte for byte, and a new one fails. */
static void test_cache_hit_without_latex(void **state)
{
    (void)state;
    fresh_cache("hit");
    char *first = NULL, *second = NULL;
    size_t first_length, second_length;
    sk_error err = {0};
    assert_int_equal(sk_tex_compile("e^{i\\pi} + 1 = 0", &first, &first_length, &err), SK_OK);
    setenv("PATH", EMPTY_BIN, 1);
    sk_status st = sk_tex_compile("e^{i\\pi} + 1 = 0", &second, &second_length, &err);
    sk_status other = sk_tex_compile("e^{i\\pi} = -1", &(char *){NULL}, &(size_t){0}, &err);
    restore_path();
    assert_int_equal(st, SK_OK);
    assert_true(first_length == second_length && memcmp(first, second, first_length) == 0);
    assert_int_equal(other, SK_ERUNTIME);
    free(first);
    free(second);
}

static void test_missing_tools_message(void **state)
{
    (void)state;
    fresh_cache("missing");
    setenv("PATH", EMPTY_BIN, 1);
    char *svg = NULL;
    size_t length;
    sk_error err = {0};
    sk_status st = sk_tex_compile("x^2", &svg, &length, &err);
    restore_path();
    assert_int_equal(st, SK_ERUNTIME);
    assert_null(svg);
    assert_string_equal(err.message, "TeX formulas need latex and dvisvgm, but latex and dvisvgm "
                                     "were not found on PATH; " PACKAGES);
}

/* A latex that hangs (and starts a child that hangs too) is stopped after
 * $SOFTKNN_TEX_TIMEOUT seconds, with its whole process group. */
static void test_hung_latex_is_stopped(void **state)
{
    (void)state;
    fresh_cache("hung");
    const char *bin = TMP "/hung-bin", *pid_file = TMP "/hung-child.pid";
    mkdir(bin, 0777);
    remove(pid_file);
    write_text(TMP "/hung-bin/latex",
               "#!/bin/sh\n/bin/sleep 60 &\necho $! > " TMP "/hung-child.pid\nwait\n");
    write_text(TMP "/hung-bin/dvisvgm", "#!/bin/sh\nexit 0\n");
    assert_int_equal(chmod(TMP "/hung-bin/latex", 0755), 0);
    assert_int_equal(chmod(TMP "/hung-bin/dvisvgm", 0755), 0);
    setenv("PATH", bin, 1);
    setenv("SOFTKNN_TEX_TIMEOUT", "1", 1);
    char *svg = NULL;
    size_t length;
    sk_error err = {0};
    time_t start = time(NULL);
    sk_status st = sk_tex_compile("x", &svg, &length, &err);
    time_t took = time(NULL) - start;
    unsetenv("SOFTKNN_TEX_TIMEOUT");
    restore_path();
    assert_int_equal(st, SK_ERUNTIME);
    assert_string_equal(err.message, "LaTeX took longer than 1 s and was stopped");
    assert_true(took < 10);
    /* The child is gone (or a zombie waiting for init): not sleeping on. */
    char *text = read_file(pid_file, NULL), stat_path[64], *stat = NULL;
    assert_non_null(text);
    snprintf(stat_path, sizeof stat_path, "/proc/%d/stat", atoi(text));
    for (int tries = 0; tries < 100; tries++) {
        free(stat);
        stat = read_file(stat_path, NULL);
        const char *paren = stat ? strrchr(stat, ')') : NULL;
        if (!paren || paren[2] == 'Z')
            break;
        struct timespec wait = {0, 10000000L};
        nanosleep(&wait, NULL);
    }
    const char *paren = stat ? strrchr(stat, ')') : NULL;
    if (paren && paren[2] != 'Z')
        fail_msg("latex's child %s is still running: %s", text, stat);
    free(stat);
    free(text);
}

/* ---- Through the binary: file:line:col of the key ----------------------- */

#define SCENE_HEAD "keys:\n  - {at: [0, 0], value: red}\n"

static run_result check_scene(const char *path, const char *text)
{
    write_text(path, text);
    return run_softknn((const char *const[]){"check", path, NULL});
}

static void test_binary_missing_tools(void **state)
{
    (void)state;
    fresh_cache("binary-missing");
    const char *scene = TMP "/caption.yaml";
    setenv("PATH", EMPTY_BIN, 1);
    run_result r = check_scene(scene, SCENE_HEAD "text:\n  captions:\n"
                                                 "    - {start: 0, end: 1, tex: 'x^2'}\n");
    restore_path();
    assert_int_equal(r.exit_code, 1);
    assert_string_equal(r.err, "softknn: " TMP "/caption.yaml:5:31: text.captions[0].tex: TeX "
                               "formulas need latex and dvisvgm, but latex and dvisvgm were not "
                               "found on PATH; " PACKAGES "\n");
    run_result_free(&r);
}

static void test_binary_tex_error(void **state)
{
    (void)state;
    fresh_cache("binary-error");
    const char *scene = TMP "/bad_tex.yaml";
    run_result r =
        check_scene(scene, SCENE_HEAD "formulas:\n  attention: '\\frac{1}{2} \\nosuch'\n");
    assert_int_equal(r.exit_code, 2);
    assert_string_equal(r.err, "softknn: " TMP "/bad_tex.yaml:4:14: formulas.attention: LaTeX "
                               "failed: ! Undefined control sequence.\n");
    run_result_free(&r);
}

/* A still with a tex caption, rendered again with latex hidden (from the
 * cache), is the same image; without the caption the caption band differs. */
static void test_binary_still_from_cache(void **state)
{
    (void)state;
    fresh_cache("binary-still");
    const char *with = TMP "/with.yaml", *without = TMP "/without.yaml";
    const char *head =
        "video: {size: [320, 180], duration: 2}\n" SCENE_HEAD "layers: [grid, keys, captions]\n";
    char text[1024];
    snprintf(text, sizeof text,
             "%stext:\n  captions:\n    - {start: 0, end: 2, tex: "
             "'\\hat y = \\sum_i w_i v_i'}\n",
             head);
    write_text(with, text);
    write_text(without, head);
    const char *outs[3] = {TMP "/with.png", TMP "/cached.png", TMP "/without.png"};
    const char *scenes[3] = {with, with, without};
    for (int i = 0; i < 3; i++) {
        if (i == 1)
            setenv("PATH", EMPTY_BIN, 1);
        run_result r = run_softknn((const char *const[]){"still", scenes[i], "--at", "1", "-o",
                                                         outs[i], "-y", "--quiet", NULL});
        restore_path();
        if (r.exit_code != 0)
            fail_msg("still %s: %s", scenes[i], r.err);
        run_result_free(&r);
    }
    size_t a_len, b_len, c_len;
    char *a = read_file(outs[0], &a_len), *b = read_file(outs[1], &b_len),
         *c = read_file(outs[2], &c_len);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(a_len == b_len && memcmp(a, b, a_len) == 0);
    assert_false(a_len == c_len && memcmp(a, c, a_len) == 0);
    free(a);
    free(b);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compile_draws_ink),
        cmocka_unit_test(test_cache_hit_without_latex),
        cmocka_unit_test(test_missing_tools_message),
        cmocka_unit_test(test_hung_latex_is_stopped),
        cmocka_unit_test(test_binary_missing_tools),
        cmocka_unit_test(test_binary_tex_error),
        cmocka_unit_test(test_binary_still_from_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
