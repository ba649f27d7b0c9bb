/* scene_extras.c — captions, sections and audio shifted onto the rendered
 * range's own timeline (see scene_extras.h); and the scene's sound for the
 * ranges joined again (sk_concat_scene, render.h). */
#include "scene_extras.h"

#include <stdlib.h>
#include <string.h>

#include "../encode/encode.h"
#include "render.h"

/* Keeps the parts of each [start, end) that fall in [from, to), shifted so
 * that from becomes 0, in place. Returns how many were kept. */
static int clip(sk_timed_text *texts, int count, double from, double to)
{
    int kept = 0;
    for (int i = 0; i < count; i++) {
        double start = texts[i].start > from ? texts[i].start : from;
        double end = texts[i].end < to ? texts[i].end : to;
        if (start < end)
            texts[kept++] = (sk_timed_text){start - from, end - from, texts[i].text};
    }
    return kept;
}

sk_status sk_scene_extras_make(const sk_scene *scene, int64_t first, int64_t end,
                               sk_scene_extras *out, sk_error *err)
{
    memset(out, 0, sizeof *out);
    int n = scene->caption_count, m = scene->section_count;
    /* +1: never calloc(0), which may return NULL */
    out->captions = calloc((size_t)n + 1, sizeof *out->captions);
    out->chapters = calloc((size_t)m + 1, sizeof *out->chapters);
    if (!out->captions || !out->chapters) {
        sk_scene_extras_free(out);
        return sk_error_nomem(err);
    }
    for (int i = 0; i < n; i++) {
        const sk_caption *c = &scene->captions[i];
        /* A formula's subtitle is its TeX source: players show text only. */
        const char *text = c->text ? c->text : c->tex.source;
        out->captions[i] = (sk_timed_text){c->start, c->end, text};
    }
    for (int i = 0; i < m; i++) {
        const sk_section *s = &scene->sections[i];
        out->chapters[i] = (sk_timed_text){s->start, s->end, s->name};
    }
    double from = (double)first / scene->fps, to = (double)end / scene->fps;
    sk_extras *x = &out->extras;
    x->captions = out->captions;
    x->caption_count = clip(out->captions, n, from, to);
    x->chapters = out->chapters;
    x->chapter_count = clip(out->chapters, m, from, to);
    x->audio_path = scene->audio_path;
    x->audio_offset = scene->audio_offset - from;
    x->duration = to - from;
    return SK_OK;
}

sk_status sk_concat_scene(const char *const *parts, int count, const char *out, bool overwrite,
                          const char *scene_path, sk_error *err)
{
    if (!scene_path)
        return sk_concat(parts, count, out, overwrite, NULL, err);
    sk_scene *scene = NULL;
    sk_status status = sk_scene_load(scene_path, &scene, err);
    if (status == SK_OK && !scene->audio_path)
        status = sk_error_set(err, SK_EINPUT,
                              "%s: --scene: the scene has no audio to lay on the joined video",
                              scene_path);
    if (status == SK_OK) {
        sk_extras sound = {.audio_path = scene->audio_path, .audio_offset = scene->audio_offset};
        status = sk_concat(parts, count, out, overwrite, &sound, err);
    }
    sk_scene_free(scene);
    return status;
}

void sk_scene_extras_free(sk_scene_extras *x)
{
    free(x->captions);
    free(x->chapters);
    x->captions = x->chapters = NULL;
}
