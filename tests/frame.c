/* frame.c — see frame.h. */
#include "frame.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "render/render.h"
#include "timeline/timeline.h"

cairo_surface_t *render_frame(const sk_scene *scene, int64_t index, sk_layout *layout)
{
    sk_error err = {0};
    sk_timeline *timeline = NULL;
    sk_evaluator *evaluator = NULL;
    if (sk_timeline_new(scene, &timeline, &err) != SK_OK ||
        sk_evaluator_new(scene, &evaluator, &err) != SK_OK)
        fail_msg("%s: %s", scene->source, err.message);

    sk_frame_state state;
    sk_timeline_state_at(timeline, index, &state);
    sk_layout l;
    sk_layout_make(scene->width, scene->height, scene, state.camera_center, state.camera_zoom, &l);

    /* The path the binary draws by, moving labels' plan and all. */
    cairo_surface_t *surface =
        cairo_image_surface_create(CAIRO_FORMAT_ARGB32, scene->width, scene->height);
    cairo_t *cr = cairo_create(surface);
    sk_status st = sk_draw_scene_frame(cr, scene, timeline, evaluator, index, &err);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    sk_evaluator_free(evaluator);
    sk_timeline_free(timeline);
    if (st != SK_OK)
        fail_msg("%s: %s", scene->source, err.message);
    if (status != CAIRO_STATUS_SUCCESS || cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
        fail_msg("%s: cairo: %s", scene->source, cairo_status_to_string(status));
    if (layout)
        *layout = l;
    return surface;
}

void pixel_at(cairo_surface_t *image, int x, int y, int rgba[4])
{
    const unsigned char *data = cairo_image_surface_get_data(image);
    int stride = cairo_image_surface_get_stride(image);
    /* Native-endian 32-bit words 0xAARRGGBB. */
    uint32_t word = *(const uint32_t *)(const void *)(data + (size_t)y * stride + (size_t)x * 4);
    rgba[0] = (int)(word >> 16 & 0xff);
    rgba[1] = (int)(word >> 8 & 0xff);
    rgba[2] = (int)(word & 0xff);
    rgba[3] = cairo_image_surface_get_format(image) == CAIRO_FORMAT_RGB24 ? 255 : (int)(word >> 24);
}

sk_vec2 scene_point_px(const char *path, int width, int height, sk_vec2 p)
{
    sk_scene *scene = NULL;
    sk_error err = {0};
    if (sk_scene_load(path, &scene, &err) != SK_OK)
        fail_msg("%s", err.message);
    sk_layout layout;
    sk_layout_make(width, height, scene, scene->camera_center, scene->camera_zoom, &layout);
    sk_scene_free(scene);
    return sk_layout_to_px(&layout, p);
}
