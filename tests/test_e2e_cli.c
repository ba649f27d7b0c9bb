/* End-to-end: the command line's answers to good and bad input — exit codes,
 * messages with file:line:col, and outputs left alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define TINY "tests/scenes/tiny.yaml"
#define EXIT_INPUT 2

static void expect_input_error(const char *const args[], const char *fragment)
{
    run_result r = run_softknn(args);
    if (r.exit_code != EXIT_INPUT)
        fail_msg("expected exit 2, got %d; stderr: %s", r.exit_code, r.err);
    if (!strstr(r.err, fragment))
        fail_msg("stderr lacks \"%s\": %s", fragment, r.err);
    run_result_free(&r);
}

static void test_help_and_version(void **state)
{
    (void)state;
    run_result r = run_softknn((const char *const[]){"--help", NULL});
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "usage: softknn render SCENE"));
    assert_non_null(strstr(r.out, "NOT including B")); /* the range rule is documented */
    run_result_free(&r);
    r = run_softknn((const char *const[]){"--version", NULL});
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(strncmp(r.out, "softknn ", 8), 0);
    run_result_free(&r);
}

/* Every DIR/NAME.yaml starts with "# error: MESSAGE": softknn must exit 2,
 * print exactly "softknn: MESSAGE", and write nothing. Returns how many. */
static int check_bad_scenes(const char *dir_path)
{
    DIR *dir = opendir(dir_path);
    assert_non_null(dir);
    const char *out = SK_TEST_TMP "/bad.mp4";
    unlink(out);
    int checked = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        size_t len = strlen(entry->d_name);
        if (len < 6 || strcmp(entry->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[512], expected[8192] = "";
        snprintf(path, sizeof path, "%s/%s", dir_path, entry->d_name);
        char *text = read_file(path, NULL);
        assert_non_null(text);
        if (strncmp(text, "# error: ", 9) != 0)
            fail_msg("%s does not start with '# error: '", path);
        /* every leading "# error: " line is one line softknn prints */
        size_t used = 0;
        for (const char *line = text; strncmp(line, "# error: ", 9) == 0;) {
            size_t n = strcspn(line + 9, "\n");
            used += (size_t)snprintf(expected + used, sizeof expected - used, "softknn: %.*s\n",
                                     (int)n, line + 9);
            line += 9 + n + (line[9 + n] == '\n');
        }
        free(text);

        run_result r =
            run_softknn((const char *const[]){"render", path, "-o", out, "--quiet", NULL});
        if (r.exit_code != EXIT_INPUT || strcmp(r.err, expected) != 0)
            fail_msg("%s: exit %d, stderr:\n%s\nexpected exit 2 and:\n%s", path, r.exit_code, r.err,
                     expected);
        run_result_free(&r);
        assert_int_not_equal(access(out, F_OK), 0);
        checked++;
    }
    closedir(dir);
    return checked;
}

/* tests/bad: what the scene loader refuses; tests/bad_render: scenes that load
 * but cannot be rendered as asked (an odd size for yuv420p). */
static void test_bad_scenes(void **state)
{
    (void)state;
    assert_true(check_bad_scenes("tests/bad") >= 15);
    assert_true(check_bad_scenes("tests/bad_render") >= 1);
}

static void test_existing_output_is_kept(void **state)
{
    (void)state;
    const char *out = SK_TEST_TMP "/keep.mp4";
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    fputs("sentinel", f);
    fclose(f);
    expect_input_error((const char *const[]){"render", TINY, "-o", out, NULL}, "already exists");
    char *text = read_file(out, NULL);
    assert_string_equal(text, "sentinel");
    free(text);
}

static void test_bad_options(void **state)
{
    (void)state;
    const char *out = SK_TEST_TMP "/opts.mp4";
    expect_input_error((const char *const[]){"render", TINY, "-o", out, "--fps", "0", NULL},
                       "--fps");
    expect_input_error((const char *const[]){"render", TINY, "-o", out, "--size", "10x10", NULL},
                       "--size");
    expect_input_error((const char *const[]){"render", TINY, "-o", out, "--size", "321x180", NULL},
                       "--size 321x180 is odd");
    expect_input_error((const char *const[]){"render", TINY, "-o", out, "--crf", "52", NULL},
                       "--crf");
    expect_input_error(
        (const char *const[]){"render", TINY, "-o", out, "--preset", "fastest", NULL},
        "unknown H.264 preset \"fastest\"");
    expect_input_error((const char *const[]){"render", TINY, "-o", out, "--frames", "a:b", NULL},
                       "--frames");
    expect_input_error((const char *const[]){"render", TINY, "-o", out, "--frames", "5:13", NULL},
                       "outside the scene's 12 frames");
    expect_input_error((const char *const[]){"render", TINY, "-o", out, "--bogus", NULL},
                       "unknown option '--bogus'");
    expect_input_error((const char *const[]){"render", NULL}, "needs a scene file");
    expect_input_error((const char *const[]){"render", TINY, "-o", SK_TEST_TMP "/x.avi", NULL},
                       "cannot tell the output format");
    expect_input_error((const char *const[]){"render", "tests/scenes/no-such.yaml", NULL},
                       "tests/scenes/no-such.yaml: cannot open");
    expect_input_error((const char *const[]){"frobnicate", NULL}, "unknown command 'frobnicate'");
    assert_int_not_equal(access(out, F_OK), 0);
}

/* check: exit 0 with a summary for every scene in scenes/, 2 with every
 * error for a bad one. */
static void test_check(void **state)
{
    (void)state;
    const char *scenes[] = {"scenes/intro.yaml", "scenes/bandwidth.yaml", "scenes/clusters.yaml",
                            "scenes/regression.yaml"};
    for (size_t i = 0; i < sizeof scenes / sizeof *scenes; i++) {
        run_result r = run_softknn((const char *const[]){"check", scenes[i], NULL});
        if (r.exit_code != 0)
            fail_msg("%s: exit %d: %s", scenes[i], r.exit_code, r.err);
        assert_non_null(strstr(r.out, ": valid\n"));
        run_result_free(&r);
    }
    run_result r = run_softknn((const char *const[]){"check", "scenes/intro.yaml", NULL});
    assert_non_null(strstr(r.out, "1920x1080, 60 fps, 10 s (600 frames)"));
    assert_non_null(strstr(r.out, "keys      10 (colour values)"));
    assert_non_null(strstr(r.out, "kernel    gaussian, bandwidth 0.9"));
    assert_non_null(strstr(r.out, "cards     2\n"));
    run_result_free(&r);
    r = run_softknn((const char *const[]){"check", "scenes/kernels.yaml", NULL});
    assert_non_null(
        strstr(r.out, "animate   attention.bandwidth, attention.temperature, attention.kernel\n"));
    run_result_free(&r);
    const char *compare = SK_TEST_TMP "/compare.yaml";
    FILE *f = fopen(compare, "w");
    assert_non_null(f);
    fputs("attention: {compare: {kernel: dot, bias: half_norm, temperature: 0.81}}\n"
          "keys: [{at: [0, 0], value: red}]\n",
          f);
    assert_int_equal(fclose(f), 0);
    r = run_softknn((const char *const[]){"check", compare, NULL});
    assert_non_null(strstr(r.out, "  compare   dot, temperature 0.81, bias half_norm\n"));
    run_result_free(&r);
    r = run_softknn((const char *const[]){"check", "tests/bad/multiple_errors.yaml", NULL});
    assert_int_equal(r.exit_code, EXIT_INPUT);
    int lines = 0;
    for (const char *c = r.err; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 4);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_bad_scenes),
        cmocka_unit_test(test_existing_output_is_kept),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
