/* Where keys' names go on the plane (draw/key_labels.c), checked by the
 * promises it makes rather than by its steps: a placed name lies inside the
 * plot and meets no key's disc and no other placed name; a lone key's name
 * sits to the right of its disc; a key hemmed in on the right moves its
 * name; a crowd leaves names out rather than piling them up; the
 * placement is the same until the layout changes; and the query's ring
 * hides no name: the names it meets move off it, the others stay. Discs and
 * positions come from the public layout (sk_layout_to_px), the discs' and
 * the ring's sizes from KEY_RADIUS, QUERY_RADIUS and QUERY_RING. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw/draw.h"
#include "draw/painter.h"

typedef struct fixture {
    sk_scene *scene;
    sk_layout layout;
    cairo_surface_t *surface;
    cairo_t *cr;
    painter p;
} fixture;

static void open_fixture(fixture *f, const char *yaml, int width, int height)
{
    memset(f, 0, sizeof *f);
    sk_error err = {0};
    if (sk_scene_load_string(yaml, "test.yaml", &f->scene, &err) != SK_OK)
        fail_msg("scene: %s", err.message);
    sk_layout_make(width, height, f->scene, f->scene->camera_center, f->scene->camera_zoom,
                   &f->layout);
    f->surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
    f->cr = cairo_create(f->surface);
    assert_int_equal(cairo_status(f->cr), CAIRO_STATUS_SUCCESS);
    f->p = (painter){.cr = f->cr,
                     .layout = &f->layout,
                     .text = pango_cairo_create_layout(f->cr),
                     .scene = f->scene};
}

static void close_fixture(fixture *f)
{
    g_object_unref(f->p.text);
    cairo_destroy(f->cr);
    cairo_surface_destroy(f->surface);
    sk_scene_free(f->scene);
}

static sk_rect disc_box(const fixture *f, int i)
{
    sk_vec2 k = sk_layout_to_px(&f->layout, f->scene->keys[i].at);
    double r = KEY_RADIUS * f->layout.unit;
    return (sk_rect){k.x - r, k.y - r, 2 * r, 2 * r};
}

/* Placed names: inside the plot, off every disc, off each other. */
static void expect_clear(const fixture *f, const sk_key_label *names)
{
    const sk_rect *plot = &f->layout.plot;
    for (int i = 0; i < f->scene->key_count; i++) {
        if (!names[i].placed)
            continue;
        sk_rect b = names[i].box;
        if (b.w <= 0 || b.h <= 0 || b.x < plot->x || b.y < plot->y ||
            b.x + b.w > plot->x + plot->w || b.y + b.h > plot->y + plot->h)
            fail_msg("key %d's name (%g, %g, %g x %g) is not inside the plot", i, b.x, b.y, b.w,
                     b.h);
        for (int j = 0; j < f->scene->key_count; j++) {
            if (sk_rect_overlap(b, disc_box(f, j)) > 0)
                fail_msg("key %d's name covers key %d's disc", i, j);
            if (j != i && names[j].placed && sk_rect_overlap(b, names[j].box) > 0)
                fail_msg("the names of keys %d and %d overlap", i, j);
        }
    }
}

#define HEAD                                                                                       \
    "video: {size: [960, 540], fps: 10, duration: 1}\n"                                            \
    "view: {x: [-6, 6], y: [-4, 4]}\n"                                                             \
    "query: {path: {closed: false, points: [[0, -3], [1, -3]]}}\n"

static void test_lone_key_named_on_the_right(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, HEAD "keys:\n  - {at: [-3, 1], value: red, label: alone}\n", 960, 540);
    const sk_key_label *names = sk_key_labels(&f.p);
    assert_non_null(names);
    assert_true(names[0].placed);
    sk_rect disc = disc_box(&f, 0);
    assert_true(names[0].box.x >= disc.x + disc.w); /* right of the disc */
    double middle = names[0].box.y + names[0].box.h / 2;
    assert_true(fabs(middle - (disc.y + disc.h / 2)) < 1.0); /* level with its centre */
    expect_clear(&f, names);
    close_fixture(&f);
}

/* b's disc sits where a's name would go on the right: a's name moves, and
 * stays off b's disc. */
static void test_hemmed_in_key_moves_its_name(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f,
                 HEAD "keys:\n"
                      "  - {at: [0, 1], value: red, label: first}\n"
                      "  - {at: [0.9, 1], value: blue, label: second}\n",
                 960, 540);
    const sk_key_label *names = sk_key_labels(&f.p);
    assert_non_null(names);
    assert_true(names[0].placed);
    assert_true(names[0].box.x + names[0].box.w <= disc_box(&f, 0).x + 1e-9 ||   /* left */
                names[0].box.y + names[0].box.h <= disc_box(&f, 0).y + 1e-9 ||   /* above */
                names[0].box.y >= disc_box(&f, 0).y + disc_box(&f, 0).h - 1e-9); /* below */
    expect_clear(&f, names);
    close_fixture(&f);
}

/* Forty keys in a small square, 8 by 5, 0.4 and 0.5 apart. */
#define CROWD 40
static void open_crowd(fixture *f)
{
    char yaml[8192];
    int n = snprintf(yaml, sizeof yaml, "%skeys:\n", HEAD);
    for (int i = 0; i < CROWD; i++)
        n += snprintf(yaml + n, sizeof yaml - (size_t)n,
                      "  - {at: [%g, %g], value: red, label: key%d}\n", -1.0 + 0.4 * (i % 8),
                      -1.0 + 0.5 * (i / 8), i);
    open_fixture(f, yaml, 960, 540);
}

/* The crowd: the names that are placed do not meet, and some are left out. */
static void test_crowd_leaves_names_out(void **state)
{
    (void)state;
    fixture f;
    open_crowd(&f);
    const sk_key_label *names = sk_key_labels(&f.p);
    assert_non_null(names);
    int placed = 0;
    for (int i = 0; i < f.scene->key_count; i++)
        placed += names[i].placed;
    assert_true(placed > 0);
    assert_true(placed < CROWD);
    expect_clear(&f, names);
    close_fixture(&f);
}

/* A key at the plot's right edge has its name inside the plot. */
static void test_names_stay_inside_the_plot(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, HEAD "keys:\n  - {at: [5.9, 3.9], value: red, label: a-long-name}\n", 960,
                 540);
    const sk_key_label *names = sk_key_labels(&f.p);
    assert_non_null(names);
    assert_true(names[0].placed);
    assert_true(names[0].box.x + names[0].box.w <= disc_box(&f, 0).x + 1e-9); /* moved left */
    expect_clear(&f, names);
    close_fixture(&f);
}

/* The same placement while the layout stands; a new one when it changes. */
static void test_placement_kept_until_the_layout_changes(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, HEAD "keys:\n  - {at: [-3, 1], value: red, label: alone}\n", 960, 540);
    const sk_key_label *first = sk_key_labels(&f.p);
    assert_non_null(first);
    sk_key_label copy = first[0];
    assert_ptr_equal(sk_key_labels(&f.p), first);
    sk_layout bigger;
    sk_layout_make(1920, 1080, f.scene, f.scene->camera_center, f.scene->camera_zoom, &bigger);
    f.p.layout = &bigger;
    const sk_key_label *again = sk_key_labels(&f.p);
    assert_non_null(again);
    assert_true(again[0].box.w > copy.box.w * 1.5); /* measured anew at twice the size */
    close_fixture(&f);
}

/* A frame whose query stands at (x, y), its layer shown or not. */
typedef struct query_frame {
    sk_frame_state state;
    sk_frame frame;
} query_frame;

static void stand_query(fixture *f, query_frame *q, double x, double y, double opacity)
{
    memset(q, 0, sizeof *q);
    q->state.query = (sk_vec2){x, y};
    for (int i = 0; i < SK_LAYER_COUNT; i++)
        q->state.opacity[i] = 1.0;
    q->state.opacity[SK_LAYER_QUERY] = opacity;
    q->frame.state = &q->state;
    f->p.frame = &q->frame;
}

/* Whether box meets the disc drawn for the query's ring and its halo. */
static bool meets_ring(const fixture *f, sk_vec2 at, sk_rect box)
{
    double reach = (QUERY_RADIUS + (QUERY_RING + 4) / 2) * f->layout.unit;
    sk_vec2 c = sk_layout_to_px(&f->layout, at);
    double dx = c.x - fmax(box.x, fmin(c.x, box.x + box.w));
    double dy = c.y - fmax(box.y, fmin(c.y, box.y + box.h));
    return dx * dx + dy * dy < reach * reach;
}

/* The query right on a key, and next to a second key's name: both names
 * leave the ring, clear of everything else; a far key's name stays where
 * it was without the query. */
static void test_ring_moves_the_names_it_meets(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f,
                 HEAD "keys:\n"
                      "  - {at: [-3, 1], value: red, label: under}\n"
                      "  - {at: [-3, 1.45], value: blue, label: beside}\n"
                      "  - {at: [4, -2], value: green, label: far}\n",
                 960, 540);
    const sk_key_label *alone = sk_key_labels(&f.p);
    assert_non_null(alone);
    sk_key_label far = alone[2];
    assert_true(meets_ring(&f, (sk_vec2){-3, 1}, alone[0].box)); /* else the test shows nothing */
    assert_true(meets_ring(&f, (sk_vec2){-3, 1}, alone[1].box));
    query_frame q;
    stand_query(&f, &q, -3, 1, 1.0);
    const sk_key_label *names = sk_key_labels(&f.p);
    assert_non_null(names);
    for (int i = 0; i < 3; i++) {
        assert_true(names[i].placed);
        assert_false(meets_ring(&f, (sk_vec2){-3, 1}, names[i].box));
    }
    assert_memory_equal(&names[2].box, &far.box, sizeof far.box);
    expect_clear(&f, names);
    close_fixture(&f);
}

/* The ring on the first placed name in the crowd of
 * test_crowd_leaves_names_out: no placed name meets it or another, and no
 * name left out before (its key light: no weights here) comes up round it. */
static void test_ring_in_a_crowd(void **state)
{
    (void)state;
    fixture f;
    open_crowd(&f);
    const sk_key_label *alone = sk_key_labels(&f.p);
    assert_non_null(alone);
    bool was_placed[CROWD];
    sk_vec2 at = {0, 0}; /* scene units */
    for (int i = CROWD - 1; i >= 0; i--) {
        was_placed[i] = alone[i].placed;
        if (was_placed[i])
            at = (sk_vec2){
                (alone[i].box.x + alone[i].box.w / 2 - f.layout.origin_x) / f.layout.scale,
                (f.layout.origin_y - alone[i].box.y - alone[i].box.h / 2) / f.layout.scale};
    }
    query_frame q;
    stand_query(&f, &q, at.x, at.y, 1.0);
    const sk_key_label *names = sk_key_labels(&f.p);
    assert_non_null(names);
    int moved_off = 0;
    for (int i = 0; i < CROWD; i++) {
        if (!was_placed[i])
            assert_false(names[i].placed);
        if (names[i].placed)
            assert_false(meets_ring(&f, at, names[i].box));
        moved_off += was_placed[i] && meets_ring(&f, at, alone[i].box);
    }
    assert_true(moved_off > 0); /* else the ring met no name and the test shows nothing */
    expect_clear(&f, names);
    close_fixture(&f);
}

/* With the query's layer faded out there is no ring: names stay put. */
static void test_no_ring_no_move(void **state)
{
    (void)state;
    fixture f;
    open_fixture(&f, HEAD "keys:\n  - {at: [-3, 1], value: red, label: under}\n", 960, 540);
    const sk_key_label *alone = sk_key_labels(&f.p);
    assert_non_null(alone);
    sk_rect box = alone[0].box;
    query_frame q;
    stand_query(&f, &q, -3, 1, 0.0);
    const sk_key_label *names = sk_key_labels(&f.p);
    assert_non_null(names);
    assert_memory_equal(&names[0].box, &box, sizeof box);
    close_fixture(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lone_key_named_on_the_right),
        cmocka_unit_test(test_hemmed_in_key_moves_its_name),
        cmocka_unit_test(test_crowd_leaves_names_out),
        cmocka_unit_test(test_names_stay_inside_the_plot),
        cmocka_unit_test(test_placement_kept_until_the_layout_changes),
        cmocka_unit_test(test_ring_moves_the_names_it_meets),
        cmocka_unit_test(test_ring_in_a_crowd),
        cmocka_unit_test(test_no_ring_no_move),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
