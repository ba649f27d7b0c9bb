/* test_scene.c — the scene loader: every field of a complete scene, every
 * default, colours, frame counts, the default view, and every invalid scene
 * in tests/bad/ (each names its exact expected message on its first line). */
#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scene/scene.h"
#include "scene/loader.h"
#include "scene/yaml_read.h"

#define EPS 1e-12
#define BAD_DIR "tests/bad"
#define ERROR_PREFIX "# error: "

/* A scene with every key set, none to its default. */
static const char full_scene[] = "video:\n"
                                 "  size: [640, 360]\n"
                                 "  fps: 30\n"
                                 "  duration: 2.5\n"
                                 "  background: \"#102030\"\n"
                                 "text:\n"
                                 "  title: 'Soft kNN'\n"
                                 "view:\n"
                                 "  x: [-5, 5]\n"
                                 "  y: [-2.5, 3]\n"
                                 "attention:\n"
                                 "  kernel: topk\n"
                                 "  base: laplacian\n"
                                 "  k: 3\n"
                                 "  bandwidth: 0.25\n"
                                 "  w_q: [[0, 1], [-1, 0]]\n"
                                 "  w_k: [[2, 0], [0, 0.5]]\n"
                                 "keys:\n"
                                 "  - at: [-4.5, 2.0]\n"
                                 "    value: \"#e11d48\"\n"
                                 "    label: \"cat\"\n"
                                 "  - {at: [1, -1], value: SteelBlue}\n"
                                 "query:\n"
                                 "  path:\n"
                                 "    points: [[0, 0], [1, 1], [2, 0], [1, -1]]\n"
                                 "    closed: false\n";

/* Only the required keys; the view's default is worked out in test_defaults. */
static const char minimal_scene[] = "keys:\n"
                                    "  - at: [1, 2]\n"
                                    "    value: red\n"
                                    "  - at: [3, 2]\n"
                                    "    value: \"#f80\"\n"
                                    "query:\n"
                                    "  path:\n"
                                    "    points: [[0, 1], [2, 5], [4, 3]]\n";

/* cmocka 1.1 compares floats only; doubles need their own check. */
#define assert_near(a, b) assert_near_at((a), (b), __FILE__, __LINE__)

static void assert_near_at(double a, double b, const char *file, int line)
{
    if (fabs(a - b) <= EPS)
        return;
    print_error("%.17g != %.17g (within %g)\n", a, b, EPS);
    _fail(file, line);
}

static sk_scene *load_ok(const char *text)
{
    sk_scene *scene = NULL;
    sk_error err = {0};
    sk_status status = sk_scene_load_string(text, "test.yaml", &scene, &err);
    if (status != SK_OK)
        print_error("unexpected error: %s\n", err.message);
    assert_int_equal(status, SK_OK);
    assert_non_null(scene);
    return scene;
}

static sk_scene *load_file_ok(const char *path)
{
    sk_scene *scene = NULL;
    sk_error err = {0};
    sk_status status = sk_scene_load(path, &scene, &err);
    if (status != SK_OK)
        print_error("unexpected error: %s\n", err.message);
    assert_int_equal(status, SK_OK);
    return scene;
}

/* Loads text expecting SK_EINPUT and returns the message (static buffer). */
static const char *load_fails(const char *text)
{
    static sk_error err;
    sk_scene *scene = (sk_scene *)&err; /* must be reset to NULL */
    memset(&err, 0, sizeof err);
    assert_int_equal(sk_scene_load_string(text, "t.yaml", &scene, &err), SK_EINPUT);
    assert_int_equal(err.status, SK_EINPUT);
    assert_null(scene);
    return err.message;
}

static void assert_rgb(sk_rgb c, double r, double g, double b)
{
    assert_near(c.r, r);
    assert_near(c.g, g);
    assert_near(c.b, b);
}

static void test_full_scene(void **state)
{
    (void)state;
    sk_scene *s = load_ok(full_scene);
    assert_string_equal(s->source, "test.yaml");
    assert_int_equal(s->width, 640);
    assert_int_equal(s->height, 360);
    assert_int_equal(s->size_loc.line, 2);
    assert_int_equal(s->size_loc.col, 9);
    assert_int_equal(s->fps, 30);
    assert_near(s->duration, 2.5);
    assert_rgb(s->background, 0x10 / 255.0, 0x20 / 255.0, 0x30 / 255.0);
    assert_string_equal(s->title, "Soft kNN");
    assert_near(s->view_min.x, -5);
    assert_near(s->view_max.x, 5);
    assert_near(s->view_min.y, -2.5);
    assert_near(s->view_max.y, 3);
    assert_int_equal(s->kernel.kind, SK_KERNEL_TOPK);
    assert_int_equal(s->kernel.base, SK_KERNEL_LAPLACIAN);
    assert_int_equal(s->kernel.k, 3);
    assert_near(s->kernel.bandwidth, 0.25);
    assert_true(s->kernel.projected);
    assert_near(s->kernel.w_q.a, 0);
    assert_near(s->kernel.w_q.b, 1);
    assert_near(s->kernel.w_q.c, -1);
    assert_near(s->kernel.w_q.d, 0);
    assert_near(s->kernel.w_k.a, 2);
    assert_near(s->kernel.w_k.d, 0.5);
    assert_int_equal(s->key_count, 2);
    assert_near(s->keys[0].at.x, -4.5);
    assert_near(s->keys[0].at.y, 2.0);
    assert_rgb(s->keys[0].value, 0xe1 / 255.0, 0x1d / 255.0, 0x48 / 255.0);
    assert_string_equal(s->keys[0].label, "cat");
    assert_near(s->keys[1].at.x, 1);
    assert_near(s->keys[1].at.y, -1);
    assert_rgb(s->keys[1].value, 0x46 / 255.0, 0x82 / 255.0, 0xb4 / 255.0); /* steelblue */
    assert_string_equal(s->keys[1].label, "k2");
    assert_int_equal(s->query_path.point_count, 4);
    assert_int_equal(s->query_path.closed, 0);
    const double px[] = {0, 1, 2, 1}, py[] = {0, 1, 0, -1};
    for (int i = 0; i < 4; i++) {
        assert_near(s->query_path.points[i].x, px[i]);
        assert_near(s->query_path.points[i].y, py[i]);
    }
    assert_int_equal(sk_scene_frame_count(s), 75); /* 2.5 s x 30 */
    sk_scene_free(s);
}

static void test_defaults(void **state)
{
    (void)state;
    sk_scene *s = load_ok(minimal_scene);
    assert_int_equal(s->width, 1920);
    assert_int_equal(s->height, 1080);
    assert_int_equal(s->size_loc.line, 0);
    assert_int_equal(s->size_loc.col, 0);
    assert_int_equal(s->fps, 60);
    assert_near(s->duration, 10);
    assert_rgb(s->background, 0x0f / 255.0, 0x17 / 255.0, 0x2a / 255.0);
    assert_string_equal(s->title, "Attention is soft k-nearest neighbours");
    assert_int_equal(s->kernel.kind, SK_KERNEL_GAUSSIAN);
    assert_near(s->kernel.bandwidth, 1);
    assert_near(s->kernel.temperature, 1);
    assert_int_equal(s->query_path.closed, 1);
    assert_string_equal(s->keys[0].label, "k1");
    assert_string_equal(s->keys[1].label, "k2");
    /* x: keys 1, 3 and points 0, 2, 4 span [0, 4]; 15% of 4 = 0.6 each side.
     * y: keys 2, 2 and points 1, 5, 3 span [1, 5]; again 0.6. */
    assert_near(s->view_min.x, -0.6);
    assert_near(s->view_max.x, 4.6);
    assert_near(s->view_min.y, 0.4);
    assert_near(s->view_max.y, 5.6);
    assert_int_equal(sk_scene_frame_count(s), 600); /* 10 s x 60 */
    sk_scene_free(s);
}

static void test_view_default_per_axis(void **state)
{
    (void)state;
    /* y spans 0 (everything at y = 2): padded by 1 unit. x is given. */
    sk_scene *s = load_ok("view: {x: [-10, 10]}\n"
                          "keys: [{at: [0, 2], value: red}]\n"
                          "query: {path: {closed: false, points: [[-1, 2], [1, 2]]}}\n");
    assert_near(s->view_min.x, -10);
    assert_near(s->view_max.x, 10);
    assert_near(s->view_min.y, 1);
    assert_near(s->view_max.y, 3);
    sk_scene_free(s);
    /* Only y given: x spans [-1, 1], 15% of 2 = 0.3. */
    s = load_ok("view: {y: [0, 1]}\n"
                "keys: [{at: [0, 2], value: red}]\n"
                "query: {path: {closed: false, points: [[-1, 2], [1, 2]]}}\n");
    assert_near(s->view_min.x, -1.3);
    assert_near(s->view_max.x, 1.3);
    assert_near(s->view_min.y, 0);
    assert_near(s->view_max.y, 1);
    sk_scene_free(s);
}

static void test_colours(void **state)
{
    (void)state;
    sk_scene *s = load_ok("keys:\n"
                          "  - {at: [0, 0], value: \"#f80\"}\n"
                          "  - {at: [0, 0], value: \"#E11D48\"}\n"
                          "  - {at: [0, 0], value: RebeccaPurple}\n"
                          "  - {at: [0, 0], value: grey}\n"
                          "  - {at: [0, 0], value: GRAY}\n"
                          "  - {at: [0, 0], value: aliceblue}\n"
                          "  - {at: [0, 0], value: 'yellowgreen'}\n"
                          "  - {at: [0, 0], value: lightgoldenrodyellow}\n"
                          "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n");
    assert_rgb(s->keys[0].value, 1.0, 0x88 / 255.0, 0.0);
    assert_rgb(s->keys[1].value, 0xe1 / 255.0, 0x1d / 255.0, 0x48 / 255.0);
    assert_rgb(s->keys[2].value, 0x66 / 255.0, 0x33 / 255.0, 0x99 / 255.0);
    assert_rgb(s->keys[3].value, 0x80 / 255.0, 0x80 / 255.0, 0x80 / 255.0);
    assert_rgb(s->keys[4].value, 0x80 / 255.0, 0x80 / 255.0, 0x80 / 255.0);
    assert_rgb(s->keys[5].value, 0xf0 / 255.0, 0xf8 / 255.0, 1.0);
    assert_rgb(s->keys[6].value, 0x9a / 255.0, 0xcd / 255.0, 0x32 / 255.0);
    assert_rgb(s->keys[7].value, 0xfa / 255.0, 0xfa / 255.0, 0xd2 / 255.0);
    sk_scene_free(s);
}

/* The name table: all 148 CSS names, sorted (bsearch relies on it), each
 * found, in any case; and what is not a colour. */
static void test_colour_table(void **state)
{
    (void)state;
    int count = 0;
    sk_rgb c;
    for (const char *name; (name = sk_yr_colour_name(count)); count++) {
        char upper[32];
        if (count > 0)
            assert_true(strcmp(sk_yr_colour_name(count - 1), name) < 0);
        assert_true(sk_yr_parse_colour(name, &c, NULL));
        snprintf(upper, sizeof upper, "%s", name);
        for (char *p = upper; *p; p++)
            *p = (char)(*p - 'a' + 'A');
        assert_true(sk_yr_parse_colour(upper, &c, NULL));
    }
    assert_int_equal(count, 148);
    const char *not_colours[] = {"",         "#",       "#12",  "#1234", "#12345",     "#ggg",
                                 "#1234567", "reddish", " red", "red ",  "transparent"};
    for (size_t i = 0; i < sizeof not_colours / sizeof not_colours[0]; i++)
        assert_false(sk_yr_parse_colour(not_colours[i], &c, NULL));
    assert_true(sk_yr_parse_colour("#000", &c, NULL));
    assert_rgb(c, 0, 0, 0);
    assert_true(sk_yr_parse_colour("#fFfFfF", &c, NULL));
    assert_rgb(c, 1, 1, 1);
}

static void test_frame_count(void **state)
{
    (void)state;
    sk_scene s = {.fps = 60, .duration = 10};
    assert_int_equal(sk_scene_frame_count(&s), 600);
    s.duration = 0.2; /* 12.000000000000002 */
    assert_int_equal(sk_scene_frame_count(&s), 12);
    s = (sk_scene){.fps = 1, .duration = 0.001}; /* rounds to 0: at least 1 */
    assert_int_equal(sk_scene_frame_count(&s), 1);
    s = (sk_scene){.fps = 240, .duration = 86400};
    assert_int_equal(sk_scene_frame_count(&s), 20736000);
    assert_int_equal(sk_scene_frame_count(NULL), 0);

    sk_scene *loaded = load_ok("video: {fps: 60, duration: 0.2}\n"
                               "keys: [{at: [0, 0], value: red}]\n"
                               "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n");
    assert_int_equal(sk_scene_frame_count(loaded), 12);
    sk_scene_free(loaded);
}

static void test_size_loc(void **state)
{
    (void)state;
    sk_scene *s = load_ok("# a comment first\n"
                          "video:\n"
                          "  fps: 24\n"
                          "  size:\n"
                          "    - 641\n" /* odd sizes are the renderer's business */
                          "    - 481\n"
                          "keys: [{at: [0, 0], value: red}]\n"
                          "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n");
    assert_int_equal(s->width, 641);
    assert_int_equal(s->height, 481);
    assert_int_equal(s->size_loc.line, 5);
    assert_int_equal(s->size_loc.col, 5);
    sk_scene_free(s);
}

/* Plain scalars in every numeric form the YAML 1.2 core schema allows. */
static void test_number_forms(void **state)
{
    (void)state;
    sk_scene *s = load_ok("keys:\n"
                          "  - {at: [1., .5], value: red}\n"
                          "  - {at: [+2, -1E-2], value: red}\n"
                          "  - {at: [1e3, -0], value: red, label: \"1\"}\n"
                          "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n");
    assert_near(s->keys[0].at.x, 1.0);
    assert_near(s->keys[0].at.y, 0.5);
    assert_near(s->keys[1].at.x, 2.0);
    assert_near(s->keys[1].at.y, -0.01);
    assert_near(s->keys[2].at.x, 1000.0);
    assert_near(s->keys[2].at.y, 0.0);
    assert_string_equal(s->keys[2].label, "1"); /* quoted: a string */
    sk_scene_free(s);
}

/* Everything that moves: an elliptic arc eased by a cubic Bézier, the camera,
 * a layer's opacity, animate tracks, and numbers as key values. */
static void test_motion_sections(void **state)
{
    (void)state;
    sk_scene *s = load_ok("attention: {kernel: topk, base: dot, k: 2}\n"
                          "keys:\n"
                          "  - {at: [0, 0], value: 1.5}\n"
                          "  - {at: [2, 0], value: -3}\n"
                          "query:\n"
                          "  path: {type: ellipse, center: [1, 2], radius: [3, 1], rotation: 90,\n"
                          "         start: 180, end: 0}\n"
                          "  easing: {cubicBezier: [0.42, 0, 0.58, 1]}\n"
                          "camera: {center: [5, 6], zoom: 2}\n"
                          "layers: [grid, {name: links, opacity: 0.25}, query]\n"
                          "animate:\n"
                          "  attention.temperature:\n"
                          "    - {t: 0, value: 0.5}\n"
                          "    - {t: 2.5, value: 4, ease: easeOutBack, hold: true}\n"
                          "  attention.k: [{t: 1, value: 1}]\n"
                          "  layers.title.opacity: [{t: 0, value: 0}, {t: 1, value: 1}]\n"
                          "  camera.center: [{t: 0, value: [1, 1]}]\n");
    assert_int_equal(s->value_kind, SK_VALUE_SCALAR);
    assert_near(s->keys[0].scalar, 1.5);
    assert_near(s->keys[1].scalar, -3);
    assert_int_equal(s->query_path.kind, SK_PATH_ELLIPSE);
    assert_near(s->query_path.center.x, 1);
    assert_near(s->query_path.center.y, 2);
    assert_near(s->query_path.radius_x, 3);
    assert_near(s->query_path.radius_y, 1);
    assert_near(s->query_path.rotation, 90);
    assert_near(s->query_path.start_angle, 180);
    assert_near(s->query_path.end_angle, 0);
    assert_false(s->query_path.closed); /* half a turn */
    assert_int_equal(s->query_ease.kind, SK_EASE_CUBIC_BEZIER);
    assert_near(s->query_ease.x1, 0.42);
    assert_near(s->query_ease.y2, 1);
    assert_near(s->camera_center.x, 5);
    assert_near(s->camera_zoom, 2);
    assert_near(s->layer_opacity[SK_LAYER_LINKS], 0.25);
    assert_int_equal(s->layer_count, 3);
    assert_int_equal(s->layer_order[0], SK_LAYER_GRID);
    assert_int_equal(s->layer_order[1], SK_LAYER_LINKS);
    assert_int_equal(s->layer_order[2], SK_LAYER_QUERY);
    assert_near(s->layer_opacity[SK_LAYER_KEYS], 1);
    assert_int_equal(s->animation_count, 4);
    /* animate entries come in the order of the targets' table */
    assert_int_equal(s->animations[0].target, SK_TARGET_TEMPERATURE);
    assert_int_equal(s->animations[0].track.count, 2);
    assert_near(s->animations[0].track.keys[1].t, 2.5);
    assert_near(s->animations[0].track.keys[1].value[0], 4);
    assert_int_equal(s->animations[0].track.keys[1].ease.kind, SK_EASE_OUT_BACK);
    assert_true(s->animations[0].track.keys[1].hold);
    assert_int_equal(s->animations[0].track.keys[0].ease.kind, SK_EASE_LINEAR);
    assert_int_equal(s->animations[1].target, SK_TARGET_K);
    assert_int_equal(s->animations[2].target, SK_TARGET_CAMERA_CENTER);
    assert_int_equal(s->animations[2].track.dims, 2);
    assert_int_equal(s->animations[3].target, SK_TARGET_LAYER_OPACITY);
    assert_int_equal(s->animations[3].layer, SK_LAYER_TITLE);
    /* the default view covers the ellipse's box: centre 1, 2 and radius 3 */
    assert_near(s->view_min.x, -2 - 0.15 * 6);
    sk_scene_free(s);

    s = load_ok("keys: [{at: [0, 0], value: red}]\n"
                "animate:\n"
                "  query.position: [{t: 0, value: [0, 0]}, {t: 1, value: [2, 3]}]\n");
    assert_int_equal(s->query_path.kind, SK_PATH_KEYFRAMES);
    assert_int_equal(s->query_path.track.count, 2);
    assert_near(s->query_path.track.keys[1].value[1], 3);
    assert_near(s->camera_center.x, 1); /* the view's centre */
    sk_scene_free(s);
}

/* xoshiro256** seeded by splitmix64(7): the first outputs, from a separate
 * implementation of the published algorithms, as doubles in [0, 1). A seed
 * must give the same keys on every machine, so the generator is pinned. */
static void test_rng_reference(void **state)
{
    (void)state;
    sk_rng rng;
    sk_rng_seed(&rng, 7);
    assert_near(sk_rng_uniform(&rng), 0.7005764821796896);
    assert_near(sk_rng_uniform(&rng), 0.2787512294737843);
    assert_near(sk_rng_uniform(&rng), 0.8396274618764198);
    /* Irwin-Hall: mean 0 and variance 1 over many draws. */
    double sum = 0, sq = 0;
    for (int i = 0; i < 100000; i++) {
        double z = sk_rng_normal(&rng);
        sum += z;
        sq += z * z;
    }
    assert_true(fabs(sum / 100000) < 0.02);
    assert_true(fabs(sq / 100000 - 1) < 0.02);
}

/* Generators: the same seed gives the same keys; a grid by hand; CSV rows. */
static void test_key_generators(void **state)
{
    (void)state;
    const char *text = "keys:\n"
                       "  - generate: {clusters: 2, per_cluster: 3, spread: 0.5, seed: 42,\n"
                       "               label: 'g'}\n"
                       "  - grid: {x: [0, 2], y: [10, 11], count: [3, 2], values: [red, blue]}\n"
                       "  - {at: [9, 9], value: lime}\n"
                       "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n";
    sk_scene *a = load_ok(text), *b = load_ok(text);
    assert_int_equal(a->key_count, 6 + 6 + 1);
    for (int i = 0; i < 6; i++) {
        assert_true(a->keys[i].at.x == b->keys[i].at.x && a->keys[i].at.y == b->keys[i].at.y);
        assert_true(fabs(a->keys[i].at.x) <= 5 + 6 * 0.5); /* area [-5, 5] plus 6 spreads */
    }
    assert_string_equal(a->keys[0].label, "g1");
    assert_string_equal(a->keys[5].label, "g6");
    /* the grid: row by row from (0, 10): x 0, 1, 2 then y 11; values cycle red, blue */
    const double gx[] = {0, 1, 2, 0, 1, 2}, gy[] = {10, 10, 10, 11, 11, 11};
    for (int i = 0; i < 6; i++) {
        assert_near(a->keys[6 + i].at.x, gx[i]);
        assert_near(a->keys[6 + i].at.y, gy[i]);
        assert_near(a->keys[6 + i].value.r, i % 2 ? 0 : 1);
        assert_near(a->keys[6 + i].value.b, i % 2 ? 1 : 0);
    }
    assert_string_equal(a->keys[12].label, "k13");
    sk_scene_free(a);
    sk_scene_free(b);

    sk_scene *c = load_file_ok("scenes/regression.yaml");
    assert_int_equal(c->value_kind, SK_VALUE_SCALAR);
    assert_int_equal(c->key_count, 8);
    assert_near(c->keys[1].at.x, -1);
    assert_near(c->keys[1].at.y, -2);
    assert_near(c->keys[1].scalar, 0.3);
    assert_string_equal(c->keys[1].label, "b");
    sk_scene_free(c);
}

/* Times with units; colours with alpha; include, overridden value by value. */
static void test_times_alpha_include(void **state)
{
    (void)state;
    double t;
    assert_true(sk_yr_parse_time("1.5s", &t) && t == 1.5);
    assert_true(sk_yr_parse_time("250ms", &t) && t == 0.25);
    assert_true(sk_yr_parse_time("2:03.5", &t) && t == 123.5);
    assert_true(sk_yr_parse_time("1:02:03", &t) && t == 3723);
    assert_false(sk_yr_parse_time("1:60", &t));
    assert_false(sk_yr_parse_time("1.5:00", &t));
    assert_false(sk_yr_parse_time("-1s", &t));
    assert_false(sk_yr_parse_time("s", &t));
    sk_rgb c;
    double alpha;
    assert_true(sk_yr_parse_colour("#ff000080", &c, &alpha));
    assert_near(alpha, 128 / 255.0);

    sk_scene *s = load_ok("include: tests/scenes/include/style.yaml\n"
                          "video: {size: [320, 180], background: '#00000000', duration: '1:30'}\n"
                          "keys: [{at: [0, 0], value: red}]\n"
                          "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n"
                          "text:\n"
                          "  captions: [{start: 250ms, end: 2.5s, text: hello}]\n"
                          "sections: [{name: all, start: 0, end: '0:05'}]\n");
    assert_int_equal(s->fps, 30);    /* from the included style */
    assert_int_equal(s->width, 320); /* overridden here */
    assert_near(s->kernel.bandwidth, 0.5);
    assert_near(s->duration, 90);
    assert_near(s->background_alpha, 0);
    assert_int_equal(s->caption_count, 1);
    assert_near(s->captions[0].start, 0.25);
    assert_string_equal(s->captions[0].text, "hello");
    assert_int_equal(s->section_count, 1);
    assert_near(s->sections[0].end, 5);
    sk_scene_free(s);
}

/* audio.offset may be negative, written as a number or a time string; a
 * time whose range has no negative side still refuses a sign. The audio
 * file only has to be readable here (any file will do). */
static void test_negative_audio_offset(void **state)
{
    (void)state;
    sk_scene *s = load_ok("keys: [{at: [0, 0], value: red}]\n"
                          "audio: {file: tests/scenes/tiny.yaml, offset: \"-250ms\"}\n");
    assert_near(s->audio_offset, -0.25);
    assert_int_equal(s->audio_loc.line, 2);
    assert_int_equal(s->audio_loc.col, 15); /* "audio: {file: " is 14 bytes */
    sk_scene_free(s);
    s = load_ok("keys: [{at: [0, 0], value: red}]\n"
                "audio: {file: tests/scenes/tiny.yaml, offset: \"-1:02.5\"}\n");
    assert_near(s->audio_offset, -62.5);
    sk_scene_free(s);
    assert_non_null(strstr(load_fails("keys: [{at: [0, 0], value: red}]\n"
                                      "text: {captions: [{start: \"-1s\", end: 2, text: x}]}\n"),
                           "text.captions[0].start: expected a time"));
}

/* Without a query section the query orbits the keys: keys spanning (0, 0) to
 * (4, 2) give an ellipse centred at (2, 1) with radii max(1, 0.35 * 4) = 1.4
 * and max(1, 0.35 * 2) = 1. */
static void test_default_route(void **state)
{
    (void)state;
    sk_scene *s = load_ok("keys: [{at: [0, 0], value: red}, {at: [4, 2], value: blue}]\n");
    assert_int_equal(s->query_path.kind, SK_PATH_ELLIPSE);
    assert_near(s->query_path.center.x, 2);
    assert_near(s->query_path.center.y, 1);
    assert_near(s->query_path.radius_x, 1.4);
    assert_near(s->query_path.radius_y, 1);
    assert_true(s->query_path.closed);
    sk_scene_free(s);
}

/* At most 20 errors are listed, then how many more there were. */
static void test_error_cap(void **state)
{
    (void)state;
    char text[4096] = "keys:\n";
    for (int i = 0; i < 25; i++)
        strcat(text, "  - {at: [0, 0], value: nocolour}\n");
    strcat(text, "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n");
    sk_error err = {0};
    sk_scene *s = NULL;
    assert_int_equal(sk_scene_load_string(text, "t.yaml", &s, &err), SK_EINPUT);
    int lines = 1;
    for (const char *c = err.message; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 21);
    assert_non_null(strstr(err.message, "t.yaml:2:25: keys[0].value"));
    assert_non_null(strstr(err.message, "t.yaml:21:25: keys[19].value"));
    assert_null(strstr(err.message, "keys[20].value"));
    assert_non_null(strstr(err.message, "\nt.yaml: 5 more errors not shown"));
}

static void test_suggest(void **state)
{
    (void)state;
    const char *attention[] = {"kernel", "bandwidth", "temperature"};
    const char *view[] = {"x", "y"};
    const char *video[] = {"size", "fps", "duration", "background"};
    assert_string_equal(sk_yr_suggest("bandwdith", attention, 3), "bandwidth");
    assert_string_equal(sk_yr_suggest("bandwith", attention, 3), "bandwidth");
    assert_string_equal(sk_yr_suggest("temprature", attention, 3), "temperature");
    assert_string_equal(sk_yr_suggest("Kernel", attention, 3), "kernel");
    assert_string_equal(sk_yr_suggest("X", view, 2), "x");
    assert_null(sk_yr_suggest("z", view, 2)); /* one letter is not a typo */
    assert_string_equal(sk_yr_suggest("fsp", video, 4), "fps");
    assert_null(sk_yr_suggest("colour", video, 4));
    assert_null(sk_yr_suggest("", video, 4));
    char longword[200];
    memset(longword, 'a', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    assert_null(sk_yr_suggest(longword, video, 4));
}

static void test_messages_quote_safely(void **state)
{
    (void)state;
    /* 45 two-byte characters as a key: cut after 40 characters, whole ones. */
    char text[512] = "video:\n  ";
    for (int i = 0; i < 45; i++)
        strcat(text, "é");
    strcat(text, ": 1\nkeys: [{at: [0, 0], value: red}]\n"
                 "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n");
    char expected[512] = "t.yaml:2:3: video: unknown key '";
    for (int i = 0; i < 40; i++)
        strcat(expected, "é");
    strcat(expected, "…'; expected one of: size, fps, duration, background, theme");
    assert_string_equal(load_fails(text), expected);
    /* Control characters never reach the terminal raw. */
    assert_string_equal(
        load_fails("keys: [{at: [0, 0], value: \"\\x1b[31m\\nb\\u0085\\\"\"}]\n"
                   "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n"),
        "t.yaml:1:28: keys[0].value: expected a colour (#rgb, #rrggbb, #rrggbbaa or a CSS name), "
        "found string \"\\x1b[31m\\nb\\u0085\\\"\"");
}

static void test_type_descriptions(void **state)
{
    (void)state;
    static const char tail[] = "keys: [{at: [0, 0], value: red}]\n"
                               "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n";
    static const struct {
        const char *head, *message;
    } cases[] = {
        {"text: {title: true}\n", "t.yaml:1:15: text.title: expected a string, found true"},
        {"text: {title: ~}\n", "t.yaml:1:15: text.title: expected a string, found ~"},
        {"text: {title: [a]}\n",
         "t.yaml:1:15: text.title: expected a string, found a list of 1 item"},
        {"text: {title: {a: 1}}\n", "t.yaml:1:15: text.title: expected a string, found a mapping"},
        {"text: {title: }\n", "t.yaml:1:15: text.title: expected a string, found nothing"},
        {"video: {fps: \"60\"}\n",
         "t.yaml:1:14: video.fps: expected an integer from 1 to 240, found string \"60\""},
        {"video: {fps: 99999999999999999999}\n",
         "t.yaml:1:14: video.fps: expected an integer from 1 to 240, found "
         "99999999999999999999"},
        {"video: {fps: 6e1}\n",
         "t.yaml:1:14: video.fps: expected an integer from 1 to 240, found 6e1"},
        {"video: {duration: -.inf}\n",
         "t.yaml:1:19: video.duration: expected a finite number, found -.inf"},
        {"attention: {bandwidth: 1e-7}\n",
         "t.yaml:1:24: attention.bandwidth: expected a number from 1e-6 to 1e6, found 1e-7"},
        {"attention: {kernel: cosh}\n",
         "t.yaml:1:21: attention.kernel: unknown kernel 'cosh'; expected one of: gaussian, "
         "dot, cosine, laplacian, epanechnikov, boxcar, knn, topk"},
        {"view: {x: [0, 1, 2]}\n",
         "t.yaml:1:11: view.x: expected [min, max], found a list of 3 items"},
        {"view: {x: [0, .nan]}\n", "t.yaml:1:15: view.x[1]: expected a finite number, found .nan"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "%s%s", cases[i].head, tail);
        assert_string_equal(load_fails(text), cases[i].message);
    }
}

static void test_keys_limit(void **state)
{
    (void)state;
    enum { LIMIT = 100000 };
    static const char item[] = "- {at: [0, 0], value: red}\n";
    static const char head[] = "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\nkeys:\n";
    size_t size = sizeof head + (LIMIT + 1) * (sizeof item - 1);
    char *text = malloc(size);
    assert_non_null(text);
    char *p = text + sprintf(text, "%s", head);
    for (int i = 0; i < LIMIT; i++)
        p += sprintf(p, "%s", item);
    sk_scene *s = load_ok(text);
    assert_int_equal(s->key_count, LIMIT);
    assert_string_equal(s->keys[LIMIT - 1].label, "k100000");
    sk_scene_free(s);
    sprintf(p, "%s", item);
    assert_string_equal(load_fails(text),
                        "t.yaml:3:1: keys: expected at most 100000 keys, found 100001");
    free(text);
}

static void test_files(void **state)
{
    (void)state;
    char path[512];
    sk_error err = {0};
    sk_scene *s = NULL;
    snprintf(path, sizeof path, "%s/test_scene_full.yaml", SK_TEST_TMP);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(full_scene, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(sk_scene_load(path, &s, &err), SK_OK);
    assert_string_equal(s->source, path);
    assert_int_equal(s->width, 640);
    sk_scene_free(s);
    remove(path);

    char expected[600];
    snprintf(path, sizeof path, "%s/no/such/scene.yaml", SK_TEST_TMP);
    snprintf(expected, sizeof expected, "%s: cannot open: No such file or directory", path);
    s = (sk_scene *)&err;
    assert_int_equal(sk_scene_load(path, &s, &err), SK_EINPUT);
    assert_null(s);
    assert_string_equal(err.message, expected);

    assert_int_equal(sk_scene_load(BAD_DIR, &s, &err), SK_EINPUT);
    assert_null(s);
    assert_string_equal(err.message, BAD_DIR ": cannot read: Is a directory");
}

static void test_api_edges(void **state)
{
    (void)state;
    sk_scene *s = NULL;
    sk_scene_free(NULL);
    /* Without a name, messages say <string>; without an error object, no crash. */
    sk_error err = {0};
    assert_int_equal(sk_scene_load_string("[]", NULL, &s, &err), SK_EINPUT);
    assert_string_equal(err.message,
                        "<string>:1:1: scene: expected a mapping, found an empty list");
    assert_int_equal(sk_scene_load_string("[]", NULL, &s, NULL), SK_EINPUT);
    assert_null(s);
    assert_int_equal(sk_scene_load_string(NULL, NULL, &s, &err), SK_EINPUT);
    assert_int_equal(sk_scene_load(NULL, &s, &err), SK_EINPUT);
    /* Aliases share nodes: harmless, and read like copies. */
    s = load_ok("keys: [&k {at: [0, 0], value: red}, *k]\n"
                "query: {path: {points: &p [[0, 0], [1, 0], [0, 1]]}}\n");
    assert_int_equal(s->key_count, 2);
    assert_string_equal(s->keys[1].label, "k2");
    sk_scene_free(s);
    /* An alias that makes a list contain itself cannot loop the reader. */
    assert_string_equal(load_fails("keys: &a [*a]\n"
                                   "query: {path: {points: [[0, 0], [1, 0], [0, 1]]}}\n"),
                        "t.yaml:1:7: keys[0]: expected a mapping, found a list of 1 item");
}

/* Every prefix of a valid scene, and every byte of it replaced, loads or
 * fails cleanly (ASan and LeakSanitizer watch); a small stand-in for fuzzing. */
static void test_truncations_and_mutations(void **state)
{
    (void)state;
    static const char replacements[] = {'\0', ' ', '\t', '\n', ':', '-', '[', ']', '{',
                                        '}',  '"', '\'', '#',  '&', '*', '!', '|', '\xff'};
    size_t n = strlen(full_scene);
    char *text = malloc(n + 1);
    assert_non_null(text);
    for (size_t cut = 0; cut <= n; cut++) {
        sk_scene *s = NULL;
        sk_error err = {0};
        memcpy(text, full_scene, cut);
        text[cut] = '\0';
        sk_status status = sk_scene_load_string(text, "cut.yaml", &s, &err);
        assert_true(status == SK_OK || status == SK_EINPUT);
        assert_true((status == SK_OK) == (s != NULL));
        sk_scene_free(s);
    }
    for (size_t at = 0; at < n; at++) {
        for (size_t k = 0; k < sizeof replacements; k++) {
            sk_scene *s = NULL;
            sk_error err = {0};
            memcpy(text, full_scene, n + 1);
            text[at] = replacements[k];
            sk_status status = sk_scene_load_string(text, "mut.yaml", &s, &err);
            assert_true(status == SK_OK || status == SK_EINPUT);
            if (status == SK_EINPUT)
                assert_true(strncmp(err.message, "mut.yaml:", 9) == 0);
            sk_scene_free(s);
        }
    }
    free(text);
}

/* ---------------------------------------------------------------------------
 * The invalid scenes in tests/bad
 */

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .yaml files in BAD_DIR, sorted; *count set. Caller frees each and the array. */
static char **bad_files(size_t *count)
{
    DIR *dir = opendir(BAD_DIR);
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    assert_non_null(dir);
    assert_non_null(names);
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        if (n == cap) {
            names = realloc(names, (cap *= 2) * sizeof *names);
            assert_non_null(names);
        }
        names[n] = malloc(sizeof BAD_DIR + 1 + len);
        assert_non_null(names[n]);
        sprintf(names[n++], "%s/%s", BAD_DIR, e->d_name);
    }
    closedir(dir);
    qsort(names, n, sizeof *names, compare_names);
    *count = n;
    return names;
}

/* The "# error: " texts of path's first lines (one per expected error),
 * joined by newlines, into expected. */
static bool expected_error(const char *path, char *expected, size_t size)
{
    FILE *f = fopen(path, "rb");
    char line[SK_ERROR_MAX + 64];
    size_t used = 0;
    expected[0] = '\0';
    while (f && fgets(line, sizeof line, f) &&
           strncmp(line, ERROR_PREFIX, strlen(ERROR_PREFIX)) == 0 && used < size) {
        line[strcspn(line, "\r\n")] = '\0';
        used += (size_t)snprintf(expected + used, size - used, "%s%s", used ? "\n" : "",
                                 line + strlen(ERROR_PREFIX));
    }
    if (f)
        fclose(f);
    return used > 0;
}

/* Loads one bad file; returns whether it failed as its first line says. */
static bool check_bad_file(const char *path)
{
    char expected[SK_ERROR_MAX + 64];
    sk_error err = {0};
    sk_scene *s = NULL;
    if (!expected_error(path, expected, sizeof expected)) {
        print_error("%s: first line is not \"" ERROR_PREFIX "<message>\"\n", path);
        return false;
    }
    sk_status status = sk_scene_load(path, &s, &err);
    if (status != SK_EINPUT || s != NULL || strcmp(err.message, expected) != 0) {
        print_error("%s:\n  expected: %s\n  got:      %s (status %d)\n", path, expected,
                    status == SK_OK ? "(loaded)" : err.message, (int)status);
        sk_scene_free(s);
        return false;
    }
    return true;
}

static void test_bad_files(void **state)
{
    (void)state;
    size_t count, failures = 0;
    char **names = bad_files(&count);
    for (size_t i = 0; i < count; i++) {
        failures += !check_bad_file(names[i]);
        free(names[i]);
    }
    free(names);
    print_message("checked %zu files in " BAD_DIR "/\n", count);
    assert_true(count >= 15);
    assert_int_equal(failures, 0);
}

/* attention.bias and attention.compare: the compared kernel is read with its
 * own parameters and leaves the main kernel as it was. */
static void test_compare_and_bias(void **state)
{
    (void)state;
    sk_scene *s = load_ok("attention:\n"
                          "  kernel: gaussian\n"
                          "  bandwidth: 0.9\n"
                          "  compare: {kernel: dot, bias: half_norm, temperature: 0.81}\n"
                          "keys: [{at: [0, 0], value: red}]\n");
    assert_int_equal(s->kernel.kind, SK_KERNEL_GAUSSIAN);
    assert_false(s->kernel.key_bias);
    assert_true(s->has_compare);
    assert_int_equal(s->compare.kind, SK_KERNEL_DOT);
    assert_true(s->compare.key_bias);
    assert_true(s->compare.temperature == 0.81);
    assert_true(s->compare.bandwidth == 1.0); /* its own default, not attention's 0.9 */
    sk_scene_free(s);
    s = load_ok("attention: {kernel: dot, bias: none}\nkeys: [{at: [0, 0], value: red}]\n");
    assert_false(s->kernel.key_bias);
    assert_false(s->has_compare);
    sk_scene_free(s);
}

/* tex: captions and formulas keep their TeX and where it was written. */
static void test_tex_keys(void **state)
{
    (void)state;
    sk_scene *s = load_ok("keys: [{at: [0, 0], value: red}]\n"
                          "text:\n"
                          "  captions:\n"
                          "    - {start: 0, end: 1, text: plain}\n"
                          "    - {start: 1, end: 2, tex: 'x^2'}\n"
                          "formulas:\n"
                          "  kernel: 'K(q, k)'\n");
    assert_string_equal(s->captions[0].text, "plain");
    assert_null(s->captions[0].tex.source);
    assert_null(s->captions[1].text);
    assert_string_equal(s->captions[1].tex.source, "x^2");
    assert_string_equal(s->captions[1].tex.where, "test.yaml:5:31: text.captions[1].tex");
    assert_null(s->captions[1].tex.svg); /* compiled by src/tex, not by the loader */
    assert_string_equal(s->formulas[SK_FORMULA_KERNEL].source, "K(q, k)");
    assert_string_equal(s->formulas[SK_FORMULA_KERNEL].where, "test.yaml:7:11: formulas.kernel");
    assert_null(s->formulas[SK_FORMULA_REGRESSION].source);
    sk_scene_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_scene),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_motion_sections),
        cmocka_unit_test(test_rng_reference),
        cmocka_unit_test(test_key_generators),
        cmocka_unit_test(test_times_alpha_include),
        cmocka_unit_test(test_negative_audio_offset),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_default_route),
        cmocka_unit_test(test_view_default_per_axis),
        cmocka_unit_test(test_colours),
        cmocka_unit_test(test_colour_table),
        cmocka_unit_test(test_frame_count),
        cmocka_unit_test(test_size_loc),
        cmocka_unit_test(test_number_forms),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_messages_quote_safely),
        cmocka_unit_test(test_type_descriptions),
        cmocka_unit_test(test_keys_limit),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_api_edges),
        cmocka_unit_test(test_truncations_and_mutations),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_compare_and_bias),
        cmocka_unit_test(test_tex_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
