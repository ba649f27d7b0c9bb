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

static const char *const legend_keys[] = {"corner"};
static const char *const panel_keys[] = {"order"};

/* A section whose one key names a choice: `section: {key: name}`. *index is
 * set only when the key is given and names one of names[0..count). */
static sk_status read_choice_section(loader *ld, const yaml_node_t *node, const char *section,
                                     const char *const *key, const char *what,
                                     const char *const *names, int count, int *index)
{
    yaml_node_t *v;
    char path[SK_YR_PATH_MAX];
    sk_status status = sk_yr_mapping(&ld->r, node, section, key, 1, &v);
    if (status != SK_OK || !v)
        return status;
    sk_yr_subpath(path, sizeof path, "%s.%s", section, key[0]);
    return sk_read_choice(ld, v, path, what, names, count, index);
}

sk_status sk_read_legend(loader *ld, const yaml_node_t *node)
{
    int index = -1;
    sk_status status = read_choice_section(ld, node, "legend", legend_keys, "corner", corner_names,
                                           SK_CORNER_COUNT, &index);
    if (index >= 0)
        ld->scene->legend_corner = (sk_corner)index;
    return status;
}

sk_status sk_read_panel(loader *ld, const yaml_node_t *node)
{
    int index = -1;
    sk_status status = read_choice_section(ld, node, "panel", panel_keys, "order", order_names,
                                           SK_PANEL_ORDER_COUNT, &index);
    if (index >= 0)
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
        {"legend", legend_keys, 1},
        {"panel", panel_keys, 1},
        {"labels", labels_keys, LABELS_COUNT},
    };
    sk_schema_emit(tables, sizeof tables / sizeof tables[0], visit, context);
}
