/* frame.h — for the in-process image tests (test_golden, test_query_pixel):
 * one frame of a scene drawn by the library exactly as `softknn render`
 * draws it (scene -> timeline -> evaluator -> layout -> sk_draw_frame), into
 * an ARGB32 image surface, with text rendering pinned down so that the
 * pixels do not depend on the machine's fontconfig settings. */
#ifndef SK_TEST_FRAME_H
#define SK_TEST_FRAME_H

#include <cairo.h>
#include <stdint.h>

#include "draw/draw.h"
#include "scene/scene.h"

/* Draws frame index of scene at the scene's size. layout (may be NULL) gets
 * the frame's layout, for finding scene points in pixels. Fails the running
 * cmocka test on any error; the caller destroys the surface. */
cairo_surface_t *render_frame(const sk_scene *scene, int64_t index, sk_layout *layout);

/* Pixel (x, y) of an ARGB32 or RGB24 image surface as 0-255 channels
 * (premultiplied, as Cairo stores them); alpha is 255 for RGB24. */
void pixel_at(cairo_surface_t *image, int x, int y, int rgba[4]);

/* Where scene point p lands, in pixels, in frame 0 of the scene file at
 * path drawn at width x height (its initial camera). Fails the running
 * cmocka test if the scene does not load. */
sk_vec2 scene_point_px(const char *path, int width, int height, sk_vec2 p);

#endif
