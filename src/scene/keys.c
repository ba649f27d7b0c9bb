/* keys.c — attention (the kernel and its parameters) and keys: written out
 * one by one, generated in seeded clusters or on a grid, or read from CSV. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

#define K_MAX 100000 /* attention.k: no more than there can be keys */
#define CLUSTERS_MAX 1000
#define SEED_MAX 9007199254740991L /* 2^53 - 1: every such integer is exact in YAML's float */

/* ---------------------------------------------------------------------------
 * attention
 */

/* Reads a kernel name into *kind; the names come from core's table, so a new
 * kernel needs no change here. only_softmax limits the choice to kernels that
 * may serve as topk's base. */
sk_status sk_read_kernel_name(loader *ld, const yaml_node_t *node, const char *path,
                              bool only_softmax, sk_kernel_kind *kind)
{
    const char *names[SK_KERNEL_COUNT];
    sk_kernel_kind kinds[SK_KERNEL_COUNT];
    int count = 0, index;
    for (int i = 0; i < SK_KERNEL_COUNT; i++) {
        if (only_softmax && !sk_kernel_is_softmax((sk_kernel_kind)i))
            continue;
        kinds[count] = (sk_kernel_kind)i;
        names[count++] = sk_kernel_name((sk_kernel_kind)i);
    }
    sk_status status = sk_read_choice(ld, node, path, only_softmax ? "base kernel" : "kernel",
                                      names, count, &index);
    if (status == SK_OK)
        *kind = kinds[index];
    return status;
}

/* A 2x2 matrix written as rows: [[a, b], [c, d]]. */
static sk_status read_matrix(loader *ld, const yaml_node_t *node, const char *path, sk_mat2 *m)
{
    yaml_node_t *rows[2];
    char row_path[SK_YR_PATH_MAX];
    double values[2][2];
    sk_status status = sk_yr_pair(&ld->r, node, path, "[[a, b], [c, d]]", rows);
    for (int i = 0; i < 2 && status == SK_OK; i++) {
        sk_yr_subpath(row_path, sizeof row_path, "%s[%d]", path, i);
        status = sk_yr_number_pair(&ld->r, rows[i], row_path, "[a, b]", &sk_coord_range, values[i]);
    }
    if (status == SK_OK)
        *m = (sk_mat2){values[0][0], values[0][1], values[1][0], values[1][1]};
    return status;
}

/* The keys up to ATTENTION_BIAS describe a kernel, and attention.compare
 * takes those; the rest belong to the attention itself. */
enum {
    ATTENTION_KERNEL,
    ATTENTION_BANDWIDTH,
    ATTENTION_TEMPERATURE,
    ATTENTION_K,
    ATTENTION_BASE,
    ATTENTION_BIAS,
    ATTENTION_W_Q,
    ATTENTION_W_K,
    ATTENTION_COMPARE,
    ATTENTION_COUNT
};
#define COMPARE_COUNT (ATTENTION_BIAS + 1)
static const char *const attention_keys[ATTENTION_COUNT] = {
    "kernel", "bandwidth", "temperature", "k", "base", "bias", "w_q", "w_k", "compare"};

/* attention.bias: what the dot kernel subtracts from each logit. */
static const char *const bias_names[] = {"none", "half_norm"};

/* One kernel's mapping being read: the main one or the compared one. */
typedef struct kernel_reading {
    sk_kernel *kernel;
    const char *prefix; /* "attention" or "attention.compare" */
    bool compare;       /* which kernel the noted parameters are checked against */
} kernel_reading;

/* The number at v (a bandwidth or temperature), noted for the kernel check. */
static sk_status read_number_parameter(loader *ld, const kernel_reading *kr, const yaml_node_t *v,
                                       const char *name, unsigned uses, const char *what,
                                       double *out)
{
    char path[SK_YR_PATH_MAX];
    sk_status status = SK_OK;
    sk_yr_subpath(path, sizeof path, "%s.%s", kr->prefix, name);
    SK_TRY(status, sk_yr_number_in(&ld->r, v, path, &sk_parameter_range, out));
    SK_TRY(status, sk_note_parameter(ld, v, path, uses, what, kr->compare));
    return status;
}

/* Each parameter is noted, and checked against the kernel once every file is
 * read: a bandwidth on a dot kernel means the author expected something else. */
static sk_status read_parameters(loader *ld, const kernel_reading *kr, yaml_node_t *const *v,
                                 bool *kernel_known)
{
    sk_kernel *k = kr->kernel;
    sk_status status = SK_OK;
    char path[SK_YR_PATH_MAX];
    if (v[ATTENTION_BANDWIDTH])
        SK_TRY(status, read_number_parameter(ld, kr, v[ATTENTION_BANDWIDTH], "bandwidth",
                                             SK_USES_BANDWIDTH, "a bandwidth", &k->bandwidth));
    if (v[ATTENTION_TEMPERATURE])
        SK_TRY(status,
               read_number_parameter(ld, kr, v[ATTENTION_TEMPERATURE], "temperature",
                                     SK_USES_TEMPERATURE, "a temperature", &k->temperature));
    if (v[ATTENTION_K]) {
        sk_yr_subpath(path, sizeof path, "%s.k", kr->prefix);
        SK_TRY(status, sk_yr_int(&ld->r, v[ATTENTION_K], path, 1, K_MAX, &k->k));
        SK_TRY(status, sk_note_parameter(ld, v[ATTENTION_K], path, SK_USES_K, "a k", kr->compare));
    }
    if (v[ATTENTION_BASE]) {
        sk_yr_subpath(path, sizeof path, "%s.base", kr->prefix);
        if (sk_read_kernel_name(ld, v[ATTENTION_BASE], path, true, &k->base) != SK_OK)
            *kernel_known = false;
        SK_TRY(status, sk_note_parameter(ld, v[ATTENTION_BASE], path, SK_USES_BASE, "a base kernel",
                                         kr->compare));
    }
    if (v[ATTENTION_BIAS]) {
        int bias = 0;
        sk_yr_subpath(path, sizeof path, "%s.bias", kr->prefix);
        SK_TRY(status, sk_read_choice(ld, v[ATTENTION_BIAS], path, "bias", bias_names, 2, &bias));
        k->key_bias = bias == 1;
        SK_TRY(status, sk_note_parameter(ld, v[ATTENTION_BIAS], path, SK_USES_BIAS, "a key bias",
                                         kr->compare));
    }
    return status;
}

/* A kernel's name (when given) and parameters. */
static sk_status read_kernel(loader *ld, const kernel_reading *kr, yaml_node_t *const *v,
                             bool *kernel_known)
{
    char path[SK_YR_PATH_MAX];
    sk_yr_subpath(path, sizeof path, "%s.kernel", kr->prefix);
    /* A kernel that cannot be read leaves nothing to check parameters against. */
    if (v[ATTENTION_KERNEL] &&
        sk_read_kernel_name(ld, v[ATTENTION_KERNEL], path, false, &kr->kernel->kind) != SK_OK)
        *kernel_known = false;
    return read_parameters(ld, kr, v, kernel_known);
}

/* attention.compare: a second kernel whose weights the panel shows beside
 * the main ones; its own kernel is required, its parameters default. */
static sk_status read_compare(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[COMPARE_COUNT];
    sk_scene *s = ld->scene;
    sk_status status =
        sk_yr_mapping(&ld->r, node, "attention.compare", attention_keys, COMPARE_COUNT, v);
    if (status || (status = sk_yr_require_key(&ld->r, node, "attention.compare", "kernel",
                                              v[ATTENTION_KERNEL])))
        return status;
    s->compare = sk_kernel_default(SK_KERNEL_GAUSSIAN);
    s->has_compare = true;
    kernel_reading kr = {&s->compare, "attention.compare", true};
    return read_kernel(ld, &kr, v, &ld->compare_known);
}

sk_status sk_read_attention(loader *ld, const yaml_node_t *node)
{
    yaml_node_t *v[ATTENTION_COUNT];
    sk_kernel *k = &ld->scene->kernel;
    sk_status status = sk_yr_mapping(&ld->r, node, "attention", attention_keys, ATTENTION_COUNT, v);
    if (status)
        return status;
    kernel_reading kr = {k, "attention", false};
    SK_TRY(status, read_kernel(ld, &kr, v, &ld->kernel_known));
    if (v[ATTENTION_W_Q] && read_matrix(ld, v[ATTENTION_W_Q], "attention.w_q", &k->w_q) == SK_OK)
        k->projected = true;
    if (v[ATTENTION_W_K] && read_matrix(ld, v[ATTENTION_W_K], "attention.w_k", &k->w_k) == SK_OK)
        k->projected = true;
    if (v[ATTENTION_COMPARE])
        SK_TRY(status, read_compare(ld, v[ATTENTION_COMPARE]));
    return status;
}

/* ---------------------------------------------------------------------------
 * keys: the array
 */

sk_key *sk_add_keys(loader *ld, size_t n)
{
    sk_scene *s = ld->scene;
    size_t needed = (size_t)s->key_count + n;
    if (needed > ld->key_capacity) {
        /* Doubling: keys arrive one at a time, and growing by one each
         * time would copy the array once per key. */
        size_t capacity = ld->key_capacity ? ld->key_capacity * 2 : 16;
        capacity = capacity > needed ? capacity : needed;
        sk_key *grown = realloc(s->keys, capacity * sizeof *grown);
        if (!grown) {
            sk_error_nomem(ld->log.err);
            return NULL;
        }
        s->keys = grown;
        ld->key_capacity = capacity;
    }
    sk_key *added = s->keys + s->key_count;
    memset(added, 0, n * sizeof *added);
    s->key_count += (int)n; /* now, so that sk_free_keys sees every label */
    return added;
}

void sk_free_keys(sk_scene *scene)
{
    for (int i = 0; i < scene->key_count; i++)
        free(scene->keys[i].label);
    free(scene->keys);
    scene->keys = NULL;
    scene->key_count = 0;
}

/* Keys come in one kind of value; the first key sets it. */
static bool value_kind_fits(loader *ld, sk_value_kind kind)
{
    if (ld->scene->key_count == 1)
        ld->scene->value_kind = kind;
    return ld->scene->value_kind == kind;
}

/* A key's value: a colour or a number; every key must agree. */
static sk_status read_value(loader *ld, const yaml_node_t *node, const char *path, sk_key *key)
{
    static const sk_yr_range any = {-1e12, 1e12, false, "from -1e12 to 1e12"};
    bool numeric = sk_yr_is_number(node);
    if (!value_kind_fits(ld, numeric ? SK_VALUE_SCALAR : SK_VALUE_COLOUR))
        return sk_yr_fail(&ld->r, node, path, "expected %s like keys[0].value, found %s",
                          numeric ? "a colour" : "a number", numeric ? "a number" : "a colour");
    if (numeric)
        return sk_yr_number_in(&ld->r, node, path, &any, &key->scalar);
    return sk_yr_colour(&ld->r, node, path, &key->value, NULL);
}

static sk_status set_label(loader *ld, sk_key *key, const char *label)
{
    return (key->label = sk_copy_string(ld, label)) ? SK_OK : SK_ENOMEM;
}

/* ---------------------------------------------------------------------------
 * keys: one written out
 */

/* The fields of a key, first in item_keys below. */
enum { KEY_AT, KEY_VALUE, KEY_LABEL, KEY_COUNT };

static sk_status read_key(loader *ld, const yaml_node_t *node, const char *path, yaml_node_t **v)
{
    char item[SK_YR_PATH_MAX];
    const char *label = NULL;
    sk_key *key = sk_add_keys(ld, 1);
    if (!key)
        return SK_ENOMEM;
    int index = ld->scene->key_count;
    sk_status status = SK_OK;
    SK_TRY(status, sk_yr_require_key(&ld->r, node, path, "at", v[KEY_AT]));
    SK_TRY(status, sk_yr_require_key(&ld->r, node, path, "value", v[KEY_VALUE]));
    sk_yr_subpath(item, sizeof item, "%s.at", path);
    if (v[KEY_AT])
        SK_TRY(status, sk_yr_vec2(&ld->r, v[KEY_AT], item, &sk_coord_range, &key->at));
    sk_yr_subpath(item, sizeof item, "%s.value", path);
    if (v[KEY_VALUE])
        SK_TRY(status, read_value(ld, v[KEY_VALUE], item, key));
    sk_yr_subpath(item, sizeof item, "%s.label", path);
    if (v[KEY_LABEL])
        SK_TRY(status, sk_yr_string(&ld->r, v[KEY_LABEL], item, &label));
    char name[32]; /* "k1", "k2", …: people count keys from 1 */
    snprintf(name, sizeof name, "k%d", index);
    SK_TRY(status, set_label(ld, key, label ? label : name));
    return status;
}

/* ---------------------------------------------------------------------------
 * keys: generated
 */

/* Colours generated keys cycle through unless `values` says otherwise, and
 * video.palette's okabe-ito: the Okabe–Ito palette, told apart by every
 * common form of colour blindness. Its eighth colour, black, is left out: it
 * vanishes on the dark theme's background and is the light theme's text and
 * outline colour. Grey #999999 stands in for it: achromatic, so every form
 * of colour blindness sees it alike, and mid-light, so it shows on both
 * themes' backgrounds. */
static const char *const okabe_ito[] = {"#e69f00", "#56b4e9", "#009e73", "#f0e442",
                                        "#0072b2", "#d55e00", "#cc79a7", "#999999"};
#define OKABE_ITO_SIZE (sizeof okabe_ito / sizeof okabe_ito[0])

void sk_okabe_ito(size_t i, sk_rgb *out)
{
    sk_yr_parse_colour(okabe_ito[i % OKABE_ITO_SIZE], out, NULL);
}

typedef struct value_cycle {
    const yaml_node_t *list;  /* values: [...], or NULL for the default palette */
    const yaml_node_t *owner; /* the generator, for messages */
    const char *path;
} value_cycle;

/* The i'th value of the cycle into key. */
static sk_status cycle_value(loader *ld, const value_cycle *c, size_t i, sk_key *key)
{
    if (!c->list) {
        if (!value_kind_fits(ld, SK_VALUE_COLOUR))
            return sk_yr_fail(&ld->r, c->owner, c->path,
                              "expected numbers like keys[0].value (give values: [...])");
        sk_okabe_ito(i, &key->value);
        return SK_OK;
    }
    size_t n = sk_yr_item_count(c->list);
    char item[SK_YR_PATH_MAX];
    sk_yr_subpath(item, sizeof item, "%s[%zu]", c->path, i % n);
    return read_value(ld, sk_yr_item(&ld->r, c->list, i % n), item, key);
}

static sk_status read_values(loader *ld, const yaml_node_t *owner, const yaml_node_t *node,
                             const char *path, value_cycle *c)
{
    c->path = path;
    c->owner = owner;
    c->list = NULL;
    if (!node)
        return SK_OK;
    sk_status status =
        sk_yr_require_type(&ld->r, node, path, YAML_SEQUENCE_NODE, "a list of colours or numbers");
    if (status == SK_OK && sk_yr_item_count(node) == 0)
        status = sk_yr_fail(&ld->r, node, path, "expected at least 1 value, found an empty list");
    if (status == SK_OK)
        c->list = node;
    return status;
}

/* Adds n keys (checking the limit), labelled "<prefix><number>" or "". */
static sk_key *add_generated(loader *ld, const yaml_node_t *node, const char *path, size_t n)
{
    if ((size_t)ld->scene->key_count + n > KEYS_MAX) {
        sk_yr_fail(&ld->r, node, path, "would make %zu keys; at most %d are allowed",
                   (size_t)ld->scene->key_count + n, KEYS_MAX);
        return NULL;
    }
    return sk_add_keys(ld, n);
}

static sk_status label_generated(loader *ld, sk_key *keys, size_t n, const char *prefix)
{
    for (size_t i = 0; i < n; i++) {
        char name[96] = "";
        if (prefix)
            snprintf(name, sizeof name, "%s%zu", prefix, i + 1);
        if (set_label(ld, &keys[i], name) != SK_OK)
            return SK_ENOMEM;
    }
    return SK_OK;
}

enum {
    GEN_CLUSTERS,
    GEN_PER_CLUSTER,
    GEN_SPREAD,
    GEN_SEED,
    GEN_AREA_X,
    GEN_AREA_Y,
    GEN_VALUES,
    GEN_LABEL,
    GEN_COUNT
};
static const char *const generate_keys[GEN_COUNT] = {"clusters", "per_cluster", "spread", "seed",
                                                     "x",        "y",           "values", "label"};

typedef struct cluster_spec {
    int clusters, per_cluster;
    double spread, x[2], y[2];
    long seed;
    value_cycle values;
    const char *label;
} cluster_spec;

static sk_status read_cluster_spec(loader *ld, const yaml_node_t *node, const char *path,
                                   yaml_node_t **v, cluster_spec *c)
{
    static const sk_yr_range spread_range = {0.0, 1e6, true, "greater than 0 and at most 1e6"};
    char sub[SK_YR_PATH_MAX];
    sk_status status = SK_OK;
    const int required[] = {GEN_CLUSTERS, GEN_PER_CLUSTER, GEN_SPREAD, GEN_SEED};
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        SK_TRY(status,
               sk_yr_require_key(&ld->r, node, path, generate_keys[required[i]], v[required[i]]));
    if (status)
        return status;
    *c = (cluster_spec){.x = {-5, 5}, .y = {-5, 5}};
    sk_yr_subpath(sub, sizeof sub, "%s.clusters", path);
    SK_TRY(status, sk_yr_int(&ld->r, v[GEN_CLUSTERS], sub, 1, CLUSTERS_MAX, &c->clusters));
    sk_yr_subpath(sub, sizeof sub, "%s.per_cluster", path);
    SK_TRY(status, sk_yr_int(&ld->r, v[GEN_PER_CLUSTER], sub, 1, KEYS_MAX, &c->per_cluster));
    sk_yr_subpath(sub, sizeof sub, "%s.spread", path);
    SK_TRY(status, sk_yr_number_in(&ld->r, v[GEN_SPREAD], sub, &spread_range, &c->spread));
    sk_yr_subpath(sub, sizeof sub, "%s.seed", path);
    double seed = 0;
    static const sk_yr_range seed_range = {0, (double)SEED_MAX, false, "from 0 to 2^53 - 1"};
    SK_TRY(status, sk_yr_number_in(&ld->r, v[GEN_SEED], sub, &seed_range, &seed));
    if (status == SK_OK && seed != floor(seed))
        status = sk_yr_fail(&ld->r, v[GEN_SEED], sub, "expected a whole number, found %g", seed);
    c->seed = (long)seed;
    sk_yr_subpath(sub, sizeof sub, "%s.x", path);
    if (v[GEN_AREA_X])
        SK_TRY(status,
               sk_yr_number_pair(&ld->r, v[GEN_AREA_X], sub, "[min, max]", &sk_coord_range, c->x));
    sk_yr_subpath(sub, sizeof sub, "%s.y", path);
    if (v[GEN_AREA_Y])
        SK_TRY(status,
               sk_yr_number_pair(&ld->r, v[GEN_AREA_Y], sub, "[min, max]", &sk_coord_range, c->y));
    sk_yr_subpath(sub, sizeof sub, "%s.label", path);
    if (v[GEN_LABEL])
        SK_TRY(status, sk_yr_string(&ld->r, v[GEN_LABEL], sub, &c->label));
    return status;
}

/* generate: clusters centred uniformly in [x] x [y], each with per_cluster
 * keys at Gaussian offsets of standard deviation spread, one value per cluster. */
static sk_status read_generate(loader *ld, const yaml_node_t *node, const char *path)
{
    yaml_node_t *v[GEN_COUNT];
    char values_path[SK_YR_PATH_MAX];
    cluster_spec c;
    sk_status status = sk_yr_mapping(&ld->r, node, path, generate_keys, GEN_COUNT, v);
    if (status || (status = read_cluster_spec(ld, node, path, v, &c)))
        return status;
    sk_yr_subpath(values_path, sizeof values_path, "%s.values", path);
    if ((status = read_values(ld, node, v[GEN_VALUES], values_path, &c.values)))
        return status;
    size_t n = (size_t)c.clusters * (size_t)c.per_cluster;
    sk_key *keys = add_generated(ld, node, path, n);
    if (!keys)
        return ld->log.count ? SK_EINPUT : SK_ENOMEM;
    sk_rng rng;
    sk_rng_seed(&rng, (uint64_t)c.seed);
    for (int k = 0; k < c.clusters && status == SK_OK; k++) {
        sk_vec2 centre = {c.x[0] + (c.x[1] - c.x[0]) * sk_rng_uniform(&rng),
                          c.y[0] + (c.y[1] - c.y[0]) * sk_rng_uniform(&rng)};
        for (int i = 0; i < c.per_cluster && status == SK_OK; i++) {
            sk_key *key = &keys[(size_t)k * (size_t)c.per_cluster + (size_t)i];
            key->at.x = centre.x + c.spread * sk_rng_normal(&rng);
            key->at.y = centre.y + c.spread * sk_rng_normal(&rng);
            status = cycle_value(ld, &c.values, (size_t)k, key);
        }
    }
    SK_TRY(status, label_generated(ld, keys, n, c.label));
    return status;
}

enum { GRID_X, GRID_Y, GRID_COUNT_XY, GRID_VALUES, GRID_LABEL, GRID_KEYS };
static const char *const grid_keys[GRID_KEYS] = {"x", "y", "count", "values", "label"};

/* grid: count[0] x count[1] keys evenly over [x] x [y] (ends included), row by
 * row from the bottom left, cycling through values. */
static sk_status read_grid(loader *ld, const yaml_node_t *node, const char *path)
{
    yaml_node_t *v[GRID_KEYS];
    char sub[SK_YR_PATH_MAX];
    double x[2], y[2], count[2];
    const char *label = NULL;
    value_cycle values;
    static const sk_yr_range count_range = {1, 1000, false, "from 1 to 1000"};
    sk_status status = sk_yr_mapping(&ld->r, node, path, grid_keys, GRID_KEYS, v);
    if (status)
        return status;
    for (int i = 0; i < GRID_VALUES; i++)
        SK_TRY(status, sk_yr_require_key(&ld->r, node, path, grid_keys[i], v[i]));
    if (status)
        return status;
    sk_yr_subpath(sub, sizeof sub, "%s.x", path);
    SK_TRY(status, sk_yr_number_pair(&ld->r, v[GRID_X], sub, "[min, max]", &sk_coord_range, x));
    sk_yr_subpath(sub, sizeof sub, "%s.y", path);
    SK_TRY(status, sk_yr_number_pair(&ld->r, v[GRID_Y], sub, "[min, max]", &sk_coord_range, y));
    sk_yr_subpath(sub, sizeof sub, "%s.count", path);
    SK_TRY(status,
           sk_yr_number_pair(&ld->r, v[GRID_COUNT_XY], sub, "[nx, ny]", &count_range, count));
    if (status == SK_OK && (count[0] != floor(count[0]) || count[1] != floor(count[1])))
        status = sk_yr_fail(&ld->r, v[GRID_COUNT_XY], sub, "expected whole numbers [nx, ny]");
    sk_yr_subpath(sub, sizeof sub, "%s.label", path);
    if (v[GRID_LABEL])
        SK_TRY(status, sk_yr_string(&ld->r, v[GRID_LABEL], sub, &label));
    char values_path[SK_YR_PATH_MAX];
    sk_yr_subpath(values_path, sizeof values_path, "%s.values", path);
    SK_TRY(status, read_values(ld, node, v[GRID_VALUES], values_path, &values));
    if (status)
        return status;
    int nx = (int)count[0], ny = (int)count[1];
    sk_key *keys = add_generated(ld, node, path, (size_t)nx * (size_t)ny);
    if (!keys)
        return ld->log.count ? SK_EINPUT : SK_ENOMEM;
    for (int j = 0; j < ny && status == SK_OK; j++) {
        for (int i = 0; i < nx && status == SK_OK; i++) {
            size_t index = (size_t)j * (size_t)nx + (size_t)i;
            keys[index].at =
                (sk_vec2){nx > 1 ? x[0] + (x[1] - x[0]) * i / (nx - 1) : (x[0] + x[1]) / 2,
                          ny > 1 ? y[0] + (y[1] - y[0]) * j / (ny - 1) : (y[0] + y[1]) / 2};
            status = cycle_value(ld, &values, index, &keys[index]);
        }
    }
    SK_TRY(status, label_generated(ld, keys, (size_t)nx * (size_t)ny, label));
    return status;
}

/* ---------------------------------------------------------------------------
 * keys: the list
 */

/* An item of keys: a key {at, value, label}, or one of the generators
 * {generate: ...}, {grid: ...}, {from_csv: file}. */
static const char *const item_keys[] = {"at", "value", "label", "generate", "grid", "from_csv"};
enum { ITEM_GENERATE = KEY_COUNT, ITEM_GRID, ITEM_FROM_CSV, ITEM_COUNT };

static sk_status read_item(loader *ld, const yaml_node_t *node, const char *path)
{
    yaml_node_t *v[ITEM_COUNT];
    char sub[SK_YR_PATH_MAX];
    sk_status status = sk_yr_mapping(&ld->r, node, path, item_keys, ITEM_COUNT, v);
    if (status)
        return status;
    int generators = !!v[ITEM_GENERATE] + !!v[ITEM_GRID] + !!v[ITEM_FROM_CSV];
    bool key_fields = v[KEY_AT] || v[KEY_VALUE] || v[KEY_LABEL];
    if (generators + key_fields > 1)
        return sk_yr_fail(&ld->r, node, path,
                          "expected one key {at, value, label} or one generator "
                          "(generate, grid or from_csv), found several");
    if (v[ITEM_GENERATE]) {
        sk_yr_subpath(sub, sizeof sub, "%s.generate", path);
        return read_generate(ld, v[ITEM_GENERATE], sub);
    }
    if (v[ITEM_GRID]) {
        sk_yr_subpath(sub, sizeof sub, "%s.grid", path);
        return read_grid(ld, v[ITEM_GRID], sub);
    }
    if (v[ITEM_FROM_CSV]) {
        sk_yr_subpath(sub, sizeof sub, "%s.from_csv", path);
        return sk_read_csv_keys(ld, v[ITEM_FROM_CSV], sub);
    }
    return read_key(ld, node, path, v);
}

sk_status sk_read_keys(loader *ld, const yaml_node_t *node)
{
    ld->has_keys = true; /* given, if wrongly: its own errors say how */
    sk_status status = sk_yr_require_type(&ld->r, node, "keys", YAML_SEQUENCE_NODE, "a list");
    if (status)
        return status;
    size_t count = sk_yr_item_count(node);
    if (count == 0)
        return sk_yr_fail(&ld->r, node, "keys", "expected at least 1 key, found an empty list");
    if (count > KEYS_MAX)
        return sk_yr_fail(&ld->r, node, "keys", "expected at most %d keys, found %zu", KEYS_MAX,
                          count);
    sk_free_keys(ld->scene); /* a later file's keys replace an included file's */
    ld->key_capacity = 0;
    char path[SK_YR_PATH_MAX];
    for (size_t i = 0; i < count; i++) {
        sk_yr_subpath(path, sizeof path, "keys[%zu]", i);
        SK_TRY(status, read_item(ld, sk_yr_item(&ld->r, node, i), path));
    }
    if (status == SK_OK && ld->scene->key_count == 0)
        status = sk_yr_fail(&ld->r, node, "keys", "expected at least 1 key, found none");
    return status;
}

void sk_schema_keys(sk_schema_visit visit, void *context)
{
    static const sk_schema_table tables[] = {
        {"attention", attention_keys, ATTENTION_COUNT},
        {"attention.compare", attention_keys, COMPARE_COUNT},
        {"keys[]", item_keys, ITEM_COUNT},
        {"keys[].generate", generate_keys, GEN_COUNT},
        {"keys[].grid", grid_keys, GRID_KEYS},
    };
    sk_schema_emit(tables, sizeof tables / sizeof tables[0], visit, context);
}
