/* tex.h — a scene's own TeX formulas, compiled to SVG before any frame is drawn.
 *
 * A formula is typeset by latex (display math, a fixed preamble with amsmath
 * and amssymb, 10 pt) and turned into SVG by dvisvgm with every glyph as a
 * path (librsvg needs no fonts), in a private temporary directory. Both
 * programs are run directly (posix_spawnp, no shell, so the TeX never reaches
 * a command line), with TeX's file access limited to that directory, each in
 * its own process group, which is killed after SK_TEX_TIMEOUT seconds.
 *
 * Results are cached by content: $XDG_CACHE_HOME/softknn/tex/<sha256>.svg
 * (default ~/.cache/softknn/tex), the SHA-256 (libavutil) of the preamble and
 * the formula, written atomically (temp + rename). A cached formula needs
 * neither program. The SVG has its baseline at y = 0 and the formula's left
 * end at x = 0, in units of which SK_TEX_EM (scene.h) make an em.
 */
#ifndef SK_TEX_H
#define SK_TEX_H

#include <stddef.h>

#include "../error/error.h"
#include "../scene/scene.h"

#define SK_TEX_TIMEOUT 30 /* seconds each program may take; $SOFTKNN_TEX_TIMEOUT (1..600) overrides */

/* Compiles TeX math (without $ signs) to SVG, through the cache. On success
 * *svg is a new NUL-terminated buffer of *length bytes (free it). Errors:
 * SK_ERUNTIME when latex or dvisvgm is missing (naming the Debian packages)
 * or failed to run; SK_EINPUT when LaTeX rejected the formula (with its own
 * "! ..." line). The message has no location: sk_tex_prepare adds it. */
sk_status sk_tex_compile(const char *tex, char **svg, size_t *length, sk_error *err);

/* Compiles every formula the scene gives (captions' tex, formulas.*) into
 * their svg fields. Call once after loading and before drawing any frame.
 * An error message starts with the formula's "file:line:col: key.path: ". */
sk_status sk_tex_prepare(sk_scene *scene, sk_error *err);

#endif
