/* display.c — how some layers show what they show: where the legend goes,
 * the order of the panel's bars, and whether keys carry their weights. */
#include "loader.h"

static const char *const corner_names[SK_CORNER_COUNT] = {
    [SK_CORNER_AUTO] = "auto",
    [SK_CORNER_TOP_LEFT] = "top-left",
    [SK_CORNER_TOP_RIGHT] = "top-right",
    [SK_CORNER_BOTTOM_LEFT] = "bottom-left",
    [SK_CORNER_BOTTOM_RIGHT] = "bottom-right",
};

static const char *const order_names[SK_PANEL_ORDER_COUNT] = {
    [SK_PANEL_SCENE_ORDER] = "scene",
    [SK_PANEL_BY_WEIGHT] = "weight",
};

enum { LEGEND_CORNER, LEGEND_COUNT };
static const char *const legend_keys[LEGEND_COUNT] = {"corner"};

sk_status sk_read_legend(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[LEGEND_COUNT];
    int index;
    sk_status status = sk_yr_mapping(&ld->r, node, "legend", legend_keys, LEGEND_COUNT, v);
    if (status == SK_OK && v[LEGEND_CORNER] &&
        (status = sk_read_choice(ld, v[LEGEND_CORNER], "legend.corner", "corner", corner_names,
                                 SK_CORNER_COUNT, &index)) == SK_OK)
        ld->scene->legend_corner = (sk_corner)index;
    return status;
}

enum { PANEL_ORDER, PANEL_COUNT };
static const char *const panel_keys[PANEL_COUNT] = {"order"};

sk_status sk_read_panel(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[PANEL_COUNT];
    int index;
    sk_status status = sk_yr_mapping(&ld->r, node, "panel", panel_keys, PANEL_COUNT, v);
    if (status == SK_OK && v[PANEL_ORDER] &&
        (status = sk_read_choice(ld, v[PANEL_ORDER], "panel.order", "order", order_names,
                                 SK_PANEL_ORDER_COUNT, &index)) == SK_OK)
        ld->scene->panel_order = (sk_panel_order)index;
    return status;
}

enum { LABELS_WEIGHTS, LABELS_COUNT };
static const char *const labels_keys[LABELS_COUNT] = {"weights"};

sk_status sk_read_labels(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[LABELS_COUNT];
    sk_status status = sk_yr_mapping(&ld->r, node, "labels", labels_keys, LABELS_COUNT, v);
    if (status == SK_OK && v[LABELS_WEIGHTS])
        status = sk_yr_bool(&ld->r, v[LABELS_WEIGHTS], "labels.weights", &ld->scene->weight_labels);
    return status;
}

void sk_schema_display(sk_schema_visit visit, void *context)
{
    static const sk_schema_table tables[] = {
        {"legend", legend_keys, LEGEND_COUNT},
        {"panel", panel_keys, PANEL_COUNT},
        {"labels", labels_keys, LABELS_COUNT},
    };
    sk_schema_emit(tables, sizeof tables / sizeof tables[0], visit, context);
}
