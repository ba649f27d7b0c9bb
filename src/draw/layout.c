#include <math.h>

#include "draw.h"

/* Proportions of the frame, in units of 1/1000 of its height (sk_layout.unit). */
#define MARGIN 36.0          /* around everything */
#define TITLE_HEIGHT 70.0    /* the title band */
#define PANEL_SHARE 0.34     /* the weights panel's share of the frame width */
#define MATRIX_SHARE 0.46    /* the same in the matrix view: the panel holds the heatmap */
#define PLOT_PADDING 12.0    /* between the plot's edge and the view */
#define BOX_GAP 20.0         /* between boxes stacked in the right-hand column */
#define CAPTION_HEIGHT 120.0 /* the caption band: two lines of text and padding */
/* Shares of the right-hand column's height when boxes share it with the panel. */
#define PANEL_WITH_ONE_BOX 0.56
#define PANEL_WITH_TWO_BOXES 0.40

/* Small frames. The formulas and the mapping table shrink to fit their
 * boxes, and stacked in the right-hand column both fit at about BOX_TEXT
 * layout units, so below SK_MIN_TEXT_PX / BOX_TEXT pixels per unit (frames
 * under about 600 pixels tall) they move to a strip of their own under the
 * plot, side by side, where they keep their full size. */
#define BOX_TEXT 16.5
#define STRIP_SHARE 0.36 /* of the height under the title */

/* Portrait and square frames (narrower than STACK_ASPECT): the plot on top,
 * across the frame, and the panel and boxes under it. Their unit comes from
 * the smaller of the width and STACKED_UNIT_ASPECT x the height, so that a
 * 1080x1920 frame's text is as large as a 1920x1080 frame's (both 1080
 * across the short side) and a square frame's is not too large for its
 * width. */
#define STACK_ASPECT 1.25
#define STACKED_UNIT_ASPECT 0.75
#define STACKED_PLOT_SHARE 0.55 /* of the height under the title, at most */
#define SIDE_BY_SIDE                                                                               \
    1.6 /* the part under the plot this much wider than tall: panel beside boxes                   \
         */

/* Splits area among the formulas and mapping boxes that are drawn, one under
 * the other; a box not drawn gets h = 0 at the area's bottom. */
static void stack_boxes(sk_layout *out, const sk_scene *scene, sk_rect area, double gap)
{
    bool formulas = sk_scene_draws(scene, SK_LAYER_FORMULAS),
         mapping = sk_scene_draws(scene, SK_LAYER_MAPPING);
    int boxes = formulas + mapping;
    out->formulas = out->mapping = (sk_rect){area.x, area.y + area.h, area.w, 0};
    double y = area.y, box_h = boxes ? (area.h - gap * (boxes - 1)) / boxes : 0;
    if (formulas) {
        out->formulas = (sk_rect){area.x, y, area.w, box_h};
        y += box_h + gap;
    }
    if (mapping)
        out->mapping = (sk_rect){area.x, y, area.w, box_h};
}

static int box_count(const sk_scene *scene)
{
    return sk_scene_draws(scene, SK_LAYER_FORMULAS) + sk_scene_draws(scene, SK_LAYER_MAPPING);
}

/* Splits a column: the panel on top, then formulas and mapping, each only
 * when its layer is drawn. */
static void stack_column(sk_layout *out, const sk_scene *scene, sk_rect column, double gap)
{
    int boxes = box_count(scene);
    double share = boxes == 0 ? 1.0 : boxes == 1 ? PANEL_WITH_ONE_BOX : PANEL_WITH_TWO_BOXES;
    double panel_h = boxes ? column.h * share - gap / 2 : column.h;
    out->panel = (sk_rect){column.x, column.y, column.w, panel_h};
    stack_boxes(out, scene,
                (sk_rect){column.x, column.y + panel_h + gap, column.w, column.h - panel_h - gap},
                gap);
}

/* The panel on the left half, the boxes stacked on the right half; the
 * panel alone takes the whole area. */
static void side_by_side(sk_layout *out, const sk_scene *scene, sk_rect area, double gap)
{
    if (box_count(scene) == 0) {
        stack_column(out, scene, area, gap);
        return;
    }
    double half = (area.w - gap) / 2;
    out->panel = (sk_rect){area.x, area.y, half, area.h};
    stack_boxes(out, scene, (sk_rect){area.x + half + gap, area.y, half, area.h}, gap);
}

/* Landscape: the plot on the left, the panel and boxes in a column on the
 * right; on small frames with both boxes, those go side by side in a strip
 * across the bottom. Returns the plot's rectangle. */
static sk_rect layout_beside(sk_layout *out, const sk_scene *scene, double top, double margin,
                             double gap)
{
    int width = out->width, height = out->height;
    double share = scene->view_kind == SK_VIEW_MATRIX ? MATRIX_SHARE : PANEL_SHARE;
    double panel_w = width * share, area_h = height - top - margin;
    bool strip = box_count(scene) == 2 && out->unit * BOX_TEXT < SK_MIN_TEXT_PX;
    double upper_h = strip ? area_h * (1.0 - STRIP_SHARE) - gap / 2 : area_h;
    sk_rect column = {width - margin - panel_w, top, panel_w, upper_h};
    if (strip) {
        out->panel = column;
        double half = (width - 2 * margin - gap) / 2, y = top + upper_h + gap;
        double strip_h = area_h - upper_h - gap;
        out->formulas = (sk_rect){margin, y, half, strip_h};
        out->mapping = (sk_rect){margin + half + gap, y, half, strip_h};
    } else {
        stack_column(out, scene, column, gap);
    }
    return (sk_rect){margin, top, column.x - 2 * margin, upper_h};
}

/* Portrait and square: the plot across the top, the rest under it. */
static sk_rect layout_stacked(sk_layout *out, const sk_scene *scene, double top, double margin,
                              double gap)
{
    /* As tall as the view needs at the full width, up to the share. */
    double w = out->width - 2 * margin, area_h = out->height - top - margin;
    double pad = 2 * PLOT_PADDING * out->unit;
    double aspect =
        (scene->view_max.y - scene->view_min.y) / (scene->view_max.x - scene->view_min.x);
    double plot_h = fmin((w - pad) * aspect + pad, STACKED_PLOT_SHARE * area_h);
    sk_rect below = {margin, top + plot_h + margin, w, area_h - plot_h - margin};
    if (below.w > below.h * SIDE_BY_SIDE)
        side_by_side(out, scene, below, gap);
    else
        stack_column(out, scene, below, gap);
    return (sk_rect){margin, top, w, plot_h};
}

bool sk_layout_is_stacked(int width, int height)
{
    return width < height * STACK_ASPECT;
}

void sk_layout_make(int width, int height, const sk_scene *scene, sk_vec2 center, double zoom,
                    sk_layout *out)
{
    bool stacked = sk_layout_is_stacked(width, height);
    double unit = (stacked ? fmin(width, height * STACKED_UNIT_ASPECT) : height) / 1000.0;
    double margin = MARGIN * unit, gap = BOX_GAP * unit;
    out->width = width;
    out->height = height;
    out->unit = unit;
    out->title = (sk_rect){margin, margin * 0.6, width - 2 * margin, TITLE_HEIGHT * unit};

    double top = out->title.y + out->title.h + margin * 0.4;
    out->plot = stacked ? layout_stacked(out, scene, top, margin, gap)
                        : layout_beside(out, scene, top, margin, gap);
    /* regression1d shows its weights under its own axis: without a box to
     * draw beside it, the plot takes the whole frame below the title. */
    bool boxes = sk_scene_draws(scene, SK_LAYER_PANEL) ||
                 sk_scene_draws(scene, SK_LAYER_FORMULAS) ||
                 sk_scene_draws(scene, SK_LAYER_MAPPING);
    if (scene->view_kind == SK_VIEW_REGRESSION1D && !boxes)
        out->plot = (sk_rect){margin, top, width - 2 * margin, height - top - margin};
    double band = CAPTION_HEIGHT * unit;
    out->captions = (sk_rect){out->plot.x, out->plot.y + out->plot.h - band, out->plot.w, band};

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
