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

static bool drawn(const sk_scene *scene, sk_layer_kind layer)
{
    for (int i = 0; i < scene->layer_count; i++)
        if (scene->layer_order[i] == layer)
            return true;
    return false;
}

/* Splits the right-hand column: the panel on top, then formulas and mapping,
 * each only when its layer is drawn. */
static void stack_column(sk_layout *out, const sk_scene *scene, sk_rect column, double gap)
{
    bool formulas = drawn(scene, SK_LAYER_FORMULAS), mapping = drawn(scene, SK_LAYER_MAPPING);
    int boxes = formulas + mapping;
    double share = boxes == 0 ? 1.0 : boxes == 1 ? PANEL_WITH_ONE_BOX : PANEL_WITH_TWO_BOXES;
    double panel_h = boxes ? column.h * share - gap / 2 : column.h;
    out->panel = (sk_rect){column.x, column.y, column.w, panel_h};
    out->formulas = out->mapping = (sk_rect){column.x, column.y + column.h, column.w, 0};
    double y = column.y + panel_h + gap,
           box_h = boxes ? (column.h - panel_h - gap * boxes) / boxes : 0;
    if (formulas) {
        out->formulas = (sk_rect){column.x, y, column.w, box_h};
        y += box_h + gap;
    }
    if (mapping)
        out->mapping = (sk_rect){column.x, y, column.w, box_h};
}

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
    double panel_w = width * (scene->view_kind == SK_VIEW_MATRIX ? MATRIX_SHARE : PANEL_SHARE);
    sk_rect column = {width - margin - panel_w, top, panel_w, height - top - margin};
    stack_column(out, scene, column, BOX_GAP * unit);
    /* regression1d shows its weights under its own axis: without a right-hand
     * box to draw, the plot takes the whole width. */
    bool boxes = drawn(scene, SK_LAYER_PANEL) || drawn(scene, SK_LAYER_FORMULAS) ||
                 drawn(scene, SK_LAYER_MAPPING);
    double plot_right = scene->view_kind == SK_VIEW_REGRESSION1D && !boxes ? width : column.x;
    out->plot = (sk_rect){margin, top, plot_right - 2 * margin, height - top - margin};
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
