#include "draw.h"

/* Proportions of the frame, in units of 1/1000 of its height (sk_layout.unit). */
#define MARGIN 36.0       /* around everything */
#define TITLE_HEIGHT 70.0 /* the title band */
#define PANEL_SHARE 0.34  /* the weights panel's share of the frame width */
#define PLOT_PADDING 12.0 /* between the plot's edge and the view */

void sk_layout_make(int width, int height, const sk_scene *scene, sk_vec2 center, double zoom,
                    sk_layout *out)
{
    double unit = height / 1000.0;
    double margin = MARGIN * unit;
    out->width = width;
    out->height = height;
    out->unit = unit;
    out->title = (sk_rect){margin, margin * 0.6, width - 2 * margin, TITLE_HEIGHT * unit};

    double top = out->title.y + out->title.h + margin * 0.4;
    double panel_w = width * PANEL_SHARE;
    out->panel = (sk_rect){width - margin - panel_w, top, panel_w, height - top - margin};
    out->plot = (sk_rect){margin, top, out->panel.x - 2 * margin, height - top - margin};

    double pad = PLOT_PADDING * unit;
    double view_w = (scene->view_max.x - scene->view_min.x) / zoom;
    double view_h = (scene->view_max.y - scene->view_min.y) / zoom;
    double sx = (out->plot.w - 2 * pad) / view_w, sy = (out->plot.h - 2 * pad) / view_h;
    out->scale = sx < sy ? sx : sy;
    double cx = out->plot.x + out->plot.w / 2, cy = out->plot.y + out->plot.h / 2;
    out->origin_x = cx - out->scale * center.x;
    out->origin_y = cy + out->scale * center.y;
}

sk_vec2 sk_layout_to_px(const sk_layout *layout, sk_vec2 point)
{
    return (sk_vec2){layout->origin_x + layout->scale * point.x,
                     layout->origin_y - layout->scale * point.y};
}
