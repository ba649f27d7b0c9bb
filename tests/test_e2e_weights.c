/* End-to-end: `softknn weights` on scenes/intro.yaml. A few records are
 * recomputed here from the formulas — Gaussian weights of the exported query
 * position, the linear-light blend, the entropy — and must agree to 1e-9. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define INTRO "scenes/intro.yaml"
#define KEYS 10
#define MAX_FIELDS 64

/* intro.yaml's keys, copied from the scene file by hand. */
static const double key_xy[KEYS][2] = {{-4.2, 2.5},  {-2.7, 3.2},  {3.1, 2.9},  {4.5, 1.7},
                                       {-4.0, -2.3}, {-2.4, -3.3}, {3.8, -2.5}, {2.3, -3.4},
                                       {-0.4, 0.7},  {0.8, -0.5}};
static const unsigned key_rgb[KEYS] = {0xe11d48, 0xf97316, 0x2563eb, 0x06b6d4, 0x16a34a,
                                       0xa3e635, 0x9333ea, 0xe879f9, 0xfacc15, 0xf5f5f4};
static const double SIGMA = 0.9;

/* Splits one CSV line (no quoted fields in this scene) into fields. */
static int split(char *line, char *fields[MAX_FIELDS])
{
    int n = 0;
    for (char *f = strtok(line, ","); f && n < MAX_FIELDS; f = strtok(NULL, ","))
        fields[n++] = f;
    return n;
}

static double linear(double c)
{
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double srgb(double c)
{
    return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055;
}

static void check_close(const char *what, double actual, double expected)
{
    if (!(fabs(actual - expected) <= 1e-9))
        fail_msg("%s: exported %.17g, recomputed %.17g", what, actual, expected);
}

/* Columns: frame,t,query_x,query_y,query_px,query_py,kernel,bandwidth,
 * temperature,k,base,bias,w[..] x10,output_r,output_g,output_b,entropy; empty
 * fields (temperature, k, base, bias) vanish in strtok, so indices shift by 4. */
static void check_record(char *fields[], int n)
{
    assert_int_equal(n, 8 + KEYS + 4);
    assert_string_equal(fields[6], "gaussian");
    check_close("bandwidth", strtod(fields[7], NULL), SIGMA);
    double qx = strtod(fields[2], NULL), qy = strtod(fields[3], NULL);
    double w[KEYS], sum = 0.0;
    for (int i = 0; i < KEYS; i++) {
        double d2 = pow(qx - key_xy[i][0], 2) + pow(qy - key_xy[i][1], 2);
        w[i] = exp(-d2 / (2 * SIGMA * SIGMA));
        sum += w[i];
    }
    double entropy = 0.0, rgb[3] = {0, 0, 0};
    for (int i = 0; i < KEYS; i++) {
        w[i] /= sum;
        check_close("weight", strtod(fields[8 + i], NULL), w[i]);
        if (w[i] > 0)
            entropy -= w[i] * log(w[i]);
        for (int ch = 0; ch < 3; ch++)
            rgb[ch] += w[i] * linear(((key_rgb[i] >> (16 - 8 * ch)) & 0xff) / 255.0);
    }
    for (int ch = 0; ch < 3; ch++)
        check_close("output", strtod(fields[8 + KEYS + ch], NULL), 255.0 * srgb(rgb[ch]));
    check_close("entropy", strtod(fields[8 + KEYS + 3], NULL), entropy);
}

static void test_csv_records_recomputed(void **state)
{
    (void)state;
    const char *out = SK_TEST_TMP "/intro_weights.csv";
    run_result r = run_softknn(
        (const char *const[]){"weights", INTRO, "--format", "csv", "-o", out, "-y", NULL});
    assert_int_equal(r.exit_code, 0);
    run_result_free(&r);
    char *text = read_file(out, NULL);
    assert_non_null(text);
    int records = 0;
    char *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    const char *header = "frame,t,query_x,query_y,query_px,query_py,kernel,bandwidth,temperature,"
                         "k,base,bias,w[cat],w[dog],";
    assert_int_equal(strncmp(line, header, strlen(header)), 0);
    while ((line = strtok_r(NULL, "\n", &save))) {
        long frame = strtol(line, NULL, 10);
        assert_int_equal(frame, records);
        if (frame == 0 || frame == 137 || frame == 300 || frame == 599) {
            char *fields[MAX_FIELDS] = {0};
            int n = split(line, fields);
            if (frame == 0) { /* a closed path starts at its first point */
                check_close("query_x", strtod(fields[2], NULL), -3.3);
                check_close("query_y", strtod(fields[3], NULL), 1.9);
            }
            check_record(fields, n);
        }
        records++;
    }
    assert_int_equal(records, 600);
    free(text);
}

/* --every and --frames pick the records; JSON carries the same numbers. */
static void test_every_and_json(void **state)
{
    (void)state;
    run_result csv = run_softknn(
        (const char *const[]){"weights", INTRO, "--every", "100", "--frames", "100:400", NULL});
    assert_int_equal(csv.exit_code, 0);
    int lines = 0;
    for (const char *c = csv.out; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 1 + 3); /* header, frames 100, 200, 300 */
    assert_non_null(strstr(csv.out, "\n100,"));
    assert_non_null(strstr(csv.out, "\n300,"));
    run_result_free(&csv);

    run_result json = run_softknn(
        (const char *const[]){"weights", INTRO, "--format", "json", "--every", "300", NULL});
    assert_int_equal(json.exit_code, 0);
    assert_non_null(strstr(json.out, "\"frames\": 600"));
    assert_non_null(strstr(json.out, "{\"frame\": 0, \"t\": 0, \"query\": [-3.3, 1.9]"));
    assert_non_null(strstr(json.out, "{\"frame\": 300,"));
    assert_null(strstr(json.out, "{\"frame\": 100,"));
    assert_non_null(strstr(json.out, "\"kernel\": {\"name\": \"gaussian\", \"bandwidth\": 0.9}"));
    run_result_free(&json);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    run_result r = run_softknn((const char *const[]){"weights", INTRO, "--format", "xml", NULL});
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--format: expected csv or json"));
    run_result_free(&r);
    r = run_softknn((const char *const[]){"weights", INTRO, "--every", "0", NULL});
    assert_int_equal(r.exit_code, 2);
    run_result_free(&r);
}

/* The key bias and a kernel track in the export. The query stays at (1, 0);
 * keys (1, 0) and (0, 1). Frame 0 (t = 0) is gaussian, sigma 1: squared
 * distances 0 and 2, w0 = 1 / (1 + e^-1) = 0.7310585786300049, no bias.
 * Frame 1 (t = 1) is dot with the bias at T = 2: logits (1 - 1/2) / 2 = 0.25
 * and (0 - 1/2) / 2 = -0.25, w0 = 1 / (1 + e^-0.5) = 0.6224593312018546 and
 * w1 = 1 / (1 + e^0.5) = 0.37754066879814543 (its last digits left to rounding). */
static void test_bias_and_kernel_track(void **state)
{
    (void)state;
    const char *scene = SK_TEST_TMP "/bias.yaml";
    FILE *f = fopen(scene, "w");
    assert_non_null(f);
    fputs("video: {fps: 1, duration: 2}\n"
          "attention: {bandwidth: 1, temperature: 2, bias: half_norm}\n"
          "keys: [{at: [1, 0], value: red, label: a}, {at: [0, 1], value: blue, label: b}]\n"
          "animate:\n"
          "  query.position: [{t: 0, value: [1, 0]}]\n"
          "  attention.kernel: [{t: 0, value: gaussian}, {t: 1, value: dot}]\n",
          f);
    assert_int_equal(fclose(f), 0);
    run_result r = run_softknn((const char *const[]){"weights", scene, NULL});
    assert_int_equal(r.exit_code, 0);
    char *rows[3] = {0}, *save = NULL;
    rows[0] = strtok_r(r.out, "\n", &save);
    rows[1] = strtok_r(NULL, "\n", &save);
    rows[2] = strtok_r(NULL, "\n", &save);
    assert_non_null(rows[2]);
    assert_non_null(strstr(rows[0], ",kernel,bandwidth,temperature,k,base,bias,w[a],w[b],"));
    /* kernel, bandwidth, temperature, k, base, bias, then the weights */
    assert_non_null(strstr(rows[1], ",gaussian,1,,,,,0.7310585786300049,0.2689414213699951,"));
    assert_non_null(strstr(rows[2], ",dot,,2,,,half_norm,0.6224593312018546,0.377540668798145"));
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_records_recomputed),
        cmocka_unit_test(test_every_and_json),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_bias_and_kernel_track),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
