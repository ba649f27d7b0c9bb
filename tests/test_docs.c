/* docs/scene-format.md and the loader must describe the same format: every
 * key path documented in a reference table (a table whose first column is
 * "key") is accepted by the loader, and every key the loader accepts is
 * documented. The annotated example must load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scene/scene.h"

#define DOC "docs/scene-format.md"
#define MAX_KEYS 512
#define KEY_LEN 128

typedef struct key_set {
    char keys[MAX_KEYS][KEY_LEN];
    int count;
} key_set;

static bool contains(const key_set *set, const char *key)
{
    for (int i = 0; i < set->count; i++)
        if (strcmp(set->keys[i], key) == 0)
            return true;
    return false;
}

static void add(key_set *set, const char *key)
{
    assert_true(set->count < MAX_KEYS);
    if (!contains(set, key))
        snprintf(set->keys[set->count++], KEY_LEN, "%s", key);
}

static void add_schema_key(const char *path, void *context)
{
    add(context, path);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 17];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

/* The first cells of rows of "| key | ..." tables: `path`. */
static void documented_keys(key_set *set)
{
    char *text = read_text(DOC);
    bool in_key_table = false;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "| key |", 7) == 0) {
            in_key_table = true;
            continue;
        }
        if (line[0] != '|') {
            in_key_table = false;
            continue;
        }
        char key[KEY_LEN];
        if (in_key_table && sscanf(line, "| `%127[^`]` |", key) == 1)
            add(set, key);
    }
}

/* A YAML flow document holding path with the value 0: "keys[].at" becomes
 * {keys: [{at: 0}]}. An animate target is one key, dots and all. */
static void document_for(const char *path, char *out, size_t size)
{
    char parts[8][KEY_LEN];
    int n = 0;
    char copy[KEY_LEN];
    snprintf(copy, sizeof copy, "%s", path);
    char *rest = copy;
    if (strncmp(rest, "animate.", 8) == 0) {
        snprintf(parts[n++], KEY_LEN, "animate");
        rest += 8;
        char *end = strstr(rest, "[]");
        size_t len = end ? (size_t)(end - rest) + 2 : strlen(rest);
        snprintf(parts[n++], KEY_LEN, "%.*s", (int)len, rest);
        rest = rest[len] == '.' ? rest + len + 1 : rest + len;
        if (strstr(parts[1], "<target>")) /* any target will do */
            snprintf(parts[1], KEY_LEN, "camera.zoom%s", end ? "[]" : "");
    }
    for (char *part = strtok(rest, "."); part && n < 8; part = strtok(NULL, "."))
        snprintf(parts[n++], KEY_LEN, "%s", part);
    char value[2048] = "0", next[2048 + KEY_LEN + 8];
    for (int i = n - 1; i >= 0; i--) {
        size_t len = strlen(parts[i]);
        bool list = len > 2 && strcmp(parts[i] + len - 2, "[]") == 0;
        snprintf(next, sizeof next, "{%.*s: %s%s%s}", (int)(list ? len - 2 : len), parts[i],
                 list ? "[" : "", value, list ? "]" : "");
        size_t used = strlen(next);
        assert_true(used < sizeof value);
        memcpy(value, next, used + 1);
    }
    snprintf(out, size, "%s\n", value);
}

/* The name an unknown-key message would quote for path: its last component,
 * or for an animate target the whole target ("camera.zoom"). */
static const char *last_name(const char *path, char *out)
{
    const char *name;
    if (strncmp(path, "animate.", 8) == 0 && !strstr(path, "[]")) {
        name = path + 8;
    } else {
        name = strrchr(path, '.');
        name = name ? name + 1 : path;
    }
    snprintf(out, KEY_LEN, "'%.*s'", (int)strcspn(name, "["), name);
    return out;
}

static bool accepted(const char *path)
{
    char text[2048], quoted[KEY_LEN], pattern[KEY_LEN + 32];
    document_for(path, text, sizeof text);
    sk_scene *scene = NULL;
    sk_error err = {0};
    if (sk_scene_load_string(text, "docs.yaml", &scene, &err) == SK_OK) {
        sk_scene_free(scene);
        return true;
    }
    snprintf(pattern, sizeof pattern, "unknown key %s", last_name(path, quoted));
    return strstr(err.message, pattern) == NULL;
}

static void test_documented_keys_are_accepted(void **state)
{
    (void)state;
    static key_set documented;
    documented_keys(&documented);
    assert_true(documented.count > 60);
    int failures = 0;
    for (int i = 0; i < documented.count; i++) {
        if (!accepted(documented.keys[i])) {
            print_error("documented but not accepted: %s\n", documented.keys[i]);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
    /* the check can fail: a key that does not exist is refused */
    assert_false(accepted("video.colour"));
    assert_false(accepted("keys[].generate.colour"));
    assert_false(accepted("animate.camera.zom"));
}

static void test_accepted_keys_are_documented(void **state)
{
    (void)state;
    static key_set documented, schema;
    documented_keys(&documented);
    sk_scene_schema(add_schema_key, &schema);
    assert_true(schema.count > 60);
    int failures = 0;
    for (int i = 0; i < schema.count; i++) {
        if (!contains(&documented, schema.keys[i])) {
            print_error("accepted but not documented: %s\n", schema.keys[i]);
            failures++;
        }
    }
    for (int i = 0; i < documented.count; i++) {
        if (!contains(&schema, documented.keys[i])) {
            print_error("documented but not in the loader's tables: %s\n", documented.keys[i]);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* The annotated example is a real scene: it loads (its include is relative
 * to scenes/, so it is loaded under a name there). */
static void test_annotated_example_loads(void **state)
{
    (void)state;
    char *text = read_text(DOC);
    char *start = strstr(text, "## A complete scene, annotated");
    assert_non_null(start);
    start = strstr(start, "```yaml\n");
    assert_non_null(start);
    start += 8;
    char *end = strstr(start, "```");
    assert_non_null(end);
    *end = '\0';
    sk_scene *scene = NULL;
    sk_error err = {0};
    sk_status status = sk_scene_load_string(start, "scenes/annotated.yaml", &scene, &err);
    if (status != SK_OK)
        fail_msg("the annotated example does not load:\n%s", err.message);
    assert_int_equal(scene->key_count, 2 + 15);
    assert_int_equal(scene->fps, 60); /* from the included style */
    sk_scene_free(scene);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documented_keys_are_accepted),
        cmocka_unit_test(test_accepted_keys_are_documented),
        cmocka_unit_test(test_annotated_example_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
