/* End-to-end: the render pipeline as a user meets it. The real softknn
 * binary, run with different thread counts (PNG bytes must not change),
 * raw BGRA output to a file, to stdout and to a pipe whose reader has gone,
 * SIGINT/SIGTERM during a render, a write that fails for real (RLIMIT_FSIZE:
 * the kernel refuses the write with EFBIG), and the progress bar on a
 * pseudo-terminal versus a pipe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <cairo.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

#define TINY "tests/scenes/tiny.yaml" /* 320x180, 12 frames */
#define TINY_W 320
#define TINY_H 180
#define TINY_FRAMES 12
/* Every layer that draws text, formulas and SVG, small enough to be quick. */
#define BENCH "scenes/bench-orbit.yaml"
#define OLD_BYTES "an earlier render: must survive\n"

static void fresh_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/pipeline_%s", SK_TEST_TMP, name);
    run_result r = run_program((const char *const[]){"rm", "-rf", out, NULL});
    run_result_free(&r);
    assert_int_equal(mkdir(out, 0777), 0);
}

static void expect_ok(const char *const args[])
{
    run_result r = run_softknn(args);
    if (r.exit_code != 0)
        fail_msg("softknn exited %d: %s", r.exit_code, r.err);
    run_result_free(&r);
}

/* Names in dir ending in ".part" (temporary files left behind). */
static int count_parts(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int parts = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        parts += n > 5 && strcmp(e->d_name + n - 5, ".part") == 0;
    }
    closedir(d);
    return parts;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void expect_old_output(const char *path)
{
    char *text = read_file(path, NULL);
    assert_non_null(text);
    assert_string_equal(text, OLD_BYTES);
    free(text);
}

/* ---- thread count -------------------------------------------------------- */

static void expect_same_file(const char *a, const char *b)
{
    size_t na, nb;
    char *da = read_file(a, &na), *db = read_file(b, &nb);
    if (!da || !db)
        fail_msg("cannot read %s or %s", a, b);
    if (na != nb || memcmp(da, db, na) != 0)
        fail_msg("%s and %s differ (%zu and %zu bytes)", a, b, na, nb);
    free(da);
    free(db);
}

/* 16 frames of the benchmark scene (every layer: text, formulas, bars) as
 * PNGs with 1, 3 and 4 drawing threads: every file byte for byte the same. */
static void test_png_bytes_do_not_depend_on_threads(void **state)
{
    (void)state;
    const char *counts[] = {"1", "3", "4"};
    char dirs[3][512], pattern[1600];
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "threads%s", counts[i]);
        fresh_dir(dirs[i], sizeof dirs[i], name);
        snprintf(pattern, sizeof pattern, "%s/f_%%03d.png", dirs[i]);
        expect_ok((const char *const[]){"render", BENCH, "--size", "480x270", "--frames", "100:116",
                                        "--threads", counts[i], "--quiet", "-o", pattern, NULL});
    }
    for (int f = 100; f < 116; f++)
        for (int i = 1; i < 3; i++) {
            char a[700], b[700];
            snprintf(a, sizeof a, "%s/f_%03d.png", dirs[0], f);
            snprintf(b, sizeof b, "%s/f_%03d.png", dirs[i], f);
            expect_same_file(a, b);
        }
}

static void test_threads_option_checked(void **state)
{
    (void)state;
    const char *bad[] = {"0", "65", "two", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        run_result r =
            run_softknn((const char *const[]){"render", TINY, "--threads", bad[i], NULL});
        assert_int_equal(r.exit_code, 2);
        char expected[200];
        snprintf(expected, sizeof expected,
                 "softknn: --threads: expected an integer from 1 to 64, found '%s'\n"
                 "(see softknn --help)\n",
                 bad[i]);
        assert_string_equal(r.err, expected);
        run_result_free(&r);
    }
}

/* ---- raw output ---------------------------------------------------------- */

/* Every frame of the raw file equals the same frame decoded from a PNG of
 * the same render: B, G, R from the PNG's pixel, A = 255 (opaque scene). */
static void test_raw_file_matches_png_frames(void **state)
{
    (void)state;
    char dir[512], raw[600], pattern[600];
    fresh_dir(dir, sizeof dir, "raw");
    snprintf(raw, sizeof raw, "%s/tiny.bgra", dir);
    snprintf(pattern, sizeof pattern, "%s/f_%%02d.png", dir);
    expect_ok((const char *const[]){"render", TINY, "--quiet", "-o", raw, NULL});
    expect_ok((const char *const[]){"render", TINY, "--quiet", "-o", pattern, NULL});
    size_t size;
    unsigned char *bytes = (unsigned char *)read_file(raw, &size);
    assert_non_null(bytes);
    assert_int_equal(size, (size_t)TINY_FRAMES * TINY_W * TINY_H * 4);
    for (int f = 0; f < TINY_FRAMES; f++) {
        char png[700];
        snprintf(png, sizeof png, "%s/f_%02d.png", dir, f);
        cairo_surface_t *s = cairo_image_surface_create_from_png(png);
        assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
        const unsigned char *data = cairo_image_surface_get_data(s);
        int stride = cairo_image_surface_get_stride(s);
        for (int y = 0; y < TINY_H; y++)
            for (int x = 0; x < TINY_W; x++) {
                uint32_t px; /* 0xAARRGGBB, native endian */
                memcpy(&px, data + (size_t)y * stride + 4 * (size_t)x, 4);
                const unsigned char *got = bytes + (((size_t)f * TINY_H + y) * TINY_W + x) * 4;
                unsigned char want[4] = {px & 0xff, (px >> 8) & 0xff, (px >> 16) & 0xff, 255};
                if (memcmp(got, want, 4) != 0)
                    fail_msg("frame %d pixel (%d, %d): raw %u,%u,%u,%u, png %u,%u,%u,255", f, x, y,
                             got[0], got[1], got[2], got[3], want[0], want[1], want[2]);
            }
        cairo_surface_destroy(s);
    }
    free(bytes);
    assert_int_equal(count_parts(dir), 0);
}

/* -o - writes the same bytes to standard output, and the summary says so. */
static void test_raw_stdout_equals_raw_file(void **state)
{
    (void)state;
    char dir[512], raw[600];
    fresh_dir(dir, sizeof dir, "stdout");
    snprintf(raw, sizeof raw, "%s/tiny.raw", dir);
    expect_ok((const char *const[]){"render", TINY, "--threads", "3", "--quiet", "-o", raw, NULL});
    run_result r = run_softknn((const char *const[]){"render", TINY, "-o", "-", NULL});
    assert_int_equal(r.exit_code, 0);
    size_t size;
    char *file = read_file(raw, &size);
    assert_int_equal(size, (size_t)TINY_FRAMES * TINY_W * TINY_H * 4);
    assert_memory_equal(r.out, file, size);
    assert_non_null(strstr(r.err, "wrote standard output: 12 frames, 320x180"));
    free(file);
    run_result_free(&r);
}

/* Spawns softknn with stdout to a pipe whose read end is already closed:
 * the first write fails with EPIPE. Expect an error and exit 1, not death
 * by SIGPIPE. */
static void test_raw_stdout_closed_pipe(void **state)
{
    (void)state;
    int fds[2], errfd[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(pipe(errfd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(errfd[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        close(errfd[0]);
        close(errfd[1]);
        execl(SK_BINARY, SK_BINARY, "render", TINY, "-o", "-", (char *)NULL);
        _exit(127);
    }
    close(fds[0]); /* the reader is gone before the first frame */
    close(fds[1]);
    close(errfd[1]);
    char err[4096] = "";
    size_t used = 0;
    for (ssize_t n; (n = read(errfd[0], err + used, sizeof err - 1 - used)) > 0;)
        used += (size_t)n;
    err[used] = '\0';
    close(errfd[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status))
        fail_msg("softknn died of signal %d", WTERMSIG(status));
    assert_int_equal(WEXITSTATUS(status), 1);
    assert_string_equal(err, "softknn: standard output: cannot write: Broken pipe\n");
}

/* ---- interruption -------------------------------------------------------- */

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Starts a long render of the benchmark scene over an existing output, waits
 * until its temporary file appears (the render is under way), sends signo,
 * and checks: exit 130, the message, no .part left, the old bytes intact. */
static void interrupt_render(const char *name, const char *extension, int signo)
{
    char dir[512], out[600], errpath[700];
    fresh_dir(dir, sizeof dir, name);
    snprintf(out, sizeof out, "%s/video%s", dir, extension);
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
    write_text(out, OLD_BYTES);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDERR_FILENO);
        execl(SK_BINARY, SK_BINARY, "render", BENCH, "--size", "640x360", "-y", "-o", out,
              (char *)NULL);
        _exit(127);
    }
    double deadline = now() + 20;
    while (count_parts(dir) == 0 && now() < deadline)
        sleep_ms(2);
    if (count_parts(dir) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        fail_msg("no temporary file appeared in %s within 20 s", dir);
    }
    sleep_ms(100); /* some frames into the render */
    assert_int_equal(kill(pid, signo), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status))
        fail_msg("softknn died of signal %d", WTERMSIG(status));
    assert_int_equal(WEXITSTATUS(status), 130);
    char *err = read_file(errpath, NULL);
    char expected[800];
    snprintf(expected, sizeof expected, "softknn: interrupted; %s was not written\n", out);
    if (!err || !strstr(err, expected))
        fail_msg("stderr lacks \"%s\":\n%s", expected, err ? err : "(none)");
    free(err);
    assert_int_equal(count_parts(dir), 0);
    expect_old_output(out);
}

static void test_sigint_mp4_keeps_old_output(void **state)
{
    (void)state;
    interrupt_render("sigint", ".mp4", SIGINT);
}

static void test_sigterm_raw_keeps_old_output(void **state)
{
    (void)state;
    interrupt_render("sigterm", ".bgra", SIGTERM);
}

/* ---- write failures ------------------------------------------------------ */

/* Runs a render with the file size limited to limit bytes and SIGXFSZ
 * ignored, so a write past the limit fails with EFBIG, as on a full disk.
 * Returns the child's stderr. */
static char *render_with_file_limit(const char *out, const char *errpath, rlim_t limit)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, STDERR_FILENO);
        close(fd);
        struct rlimit rl = {limit, limit};
        signal(SIGXFSZ, SIG_IGN); /* ignored dispositions survive exec */
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(126);
        execl(SK_BINARY, SK_BINARY, "render", BENCH, "--size", "640x360", "--frames", "0:120", "-y",
              "-o", out, (char *)NULL);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status))
        fail_msg("softknn died of signal %d", WTERMSIG(status));
    if (WEXITSTATUS(status) == 126)
        fail_msg("setrlimit(RLIMIT_FSIZE) failed in the child");
    assert_int_equal(WEXITSTATUS(status), 1); /* a runtime failure, not success */
    return read_file(errpath, NULL);
}

static void expect_write_failure(const char *name, const char *extension, rlim_t limit,
                                 const char *what)
{
    char dir[512], out[600], errpath[700], expected[2000];
    fresh_dir(dir, sizeof dir, name);
    snprintf(out, sizeof out, "%s/video%s", dir, extension);
    snprintf(errpath, sizeof errpath, "%s.stderr", dir);
    write_text(out, OLD_BYTES);
    char *err = render_with_file_limit(out, errpath, limit);
    /* One line naming the path, what failed and the system's reason. */
    snprintf(expected, sizeof expected, "softknn: %s: %s", out, what);
    const char *reason = ": File too large\n";
    size_t n = err ? strlen(err) : 0;
    if (!err || strncmp(err, expected, strlen(expected)) != 0 || n < strlen(reason) ||
        strcmp(err + n - strlen(reason), reason) != 0 || strchr(err, '\n') != err + n - 1)
        fail_msg("expected \"%s...%s\", got \"%s\"", expected, reason, err ? err : "(none)");
    free(err);
    assert_int_equal(count_parts(dir), 0);
    expect_old_output(out);
}

static void test_write_failure_raw(void **state)
{
    (void)state;
    /* 640x360x4 = 921600 bytes a frame: the third frame crosses 2 MB. */
    expect_write_failure("efbig_raw", ".bgra", 2000000, "cannot write");
}

static void test_write_failure_mp4(void **state)
{
    (void)state;
    /* 120 frames of 640x360 H.264 are about 70 kB. Depending on when the
     * muxer flushes, the failure shows at a frame ("cannot write") or at the
     * index ("cannot write the mp4 index"); either way it must name the
     * path and leave nothing behind. */
    expect_write_failure("efbig_mp4", ".mp4", 20000, "cannot write");
}

/* ---- progress ------------------------------------------------------------ */

/* Runs softknn with args (NULL-ended) on a pseudo-terminal: stdout and
 * stderr both go to it. Returns all it printed; *exit_code gets the status. */
static char *run_on_pty(const char *const args[], bool no_color, int *exit_code)
{
    const char *argv[16] = {SK_BINARY};
    for (int i = 0; args[i] && i < 14; i++)
        argv[i + 1] = args[i];
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0) {
        if (no_color)
            setenv("NO_COLOR", "1", 1);
        else
            unsetenv("NO_COLOR");
        execv(SK_BINARY, (char *const *)argv);
        _exit(127);
    }
    size_t cap = 1 << 16, used = 0;
    char *text = calloc(cap, 1);
    assert_non_null(text);
    for (;;) { /* EIO once the child has closed the terminal */
        ssize_t n = read(master, text + used, cap - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        used += (size_t)n;
    }
    text[used] = '\0';
    close(master);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    *exit_code = WEXITSTATUS(status);
    return text;
}

#define PTY_OUT SK_TEST_TMP "/pipeline_pty.mp4"

static void test_progress_bar_on_terminal(void **state)
{
    (void)state;
    const char *const args[] = {"render", TINY, "-y", "-o", PTY_OUT, NULL};
    int code;
    char *text = run_on_pty(args, false, &code);
    assert_int_equal(code, 0);
    /* The last redraw is always shown: all frames, a full bar, 100 %. */
    const char *bar = "\rframe 12/12 [##############################] 100%";
    if (!strstr(text, bar) || !strstr(text, "fps  ETA 0 s\033[K"))
        fail_msg("no finished progress bar in: %s", text);
    assert_non_null(strstr(text, "wrote " PTY_OUT ": 12 frames"));
    free(text);

    text = run_on_pty(args, true, &code); /* NO_COLOR: the bar, but not one escape code */
    assert_int_equal(code, 0);
    assert_non_null(strstr(text, bar));
    assert_null(strchr(text, '\033'));
    free(text);
}

/* Raw frames are not for a terminal: refused before anything is drawn. */
static void test_raw_refuses_a_terminal(void **state)
{
    (void)state;
    int code;
    char *text = run_on_pty((const char *const[]){"render", TINY, "-o", "-", NULL}, false, &code);
    assert_int_equal(code, 2);
    /* A terminal turns \n into \r\n. */
    assert_string_equal(text, "softknn: -o -: standard output is a terminal; raw frames are for "
                              "a pipe or a file (softknn render ... -o - | ffmpeg ...)\r\n");
    free(text);
}

static void test_no_progress_codes_in_a_pipe(void **state)
{
    (void)state;
    run_result r = run_softknn(
        (const char *const[]){"render", TINY, "-y", "-o", SK_TEST_TMP "/pipeline_pipe.mp4", NULL});
    assert_int_equal(r.exit_code, 0);
    assert_null(strchr(r.err, '\r'));
    assert_null(strchr(r.err, '\033'));
    assert_string_equal(strstr(r.err, "wrote "), r.err); /* the summary, and only it */
    run_result_free(&r);

    r = run_softknn((const char *const[]){"render", TINY, "-y", "--quiet", "-o",
                                          SK_TEST_TMP "/pipeline_pipe.mp4", NULL});
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_bytes_do_not_depend_on_threads),
        cmocka_unit_test(test_threads_option_checked),
        cmocka_unit_test(test_raw_file_matches_png_frames),
        cmocka_unit_test(test_raw_stdout_equals_raw_file),
        cmocka_unit_test(test_raw_stdout_closed_pipe),
        cmocka_unit_test(test_sigint_mp4_keeps_old_output),
        cmocka_unit_test(test_sigterm_raw_keeps_old_output),
        cmocka_unit_test(test_write_failure_raw),
        cmocka_unit_test(test_write_failure_mp4),
        cmocka_unit_test(test_progress_bar_on_terminal),
        cmocka_unit_test(test_raw_refuses_a_terminal),
        cmocka_unit_test(test_no_progress_codes_in_a_pipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
