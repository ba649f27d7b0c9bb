/* tex.c — TeX to SVG with latex and dvisvgm, cached by content hash. */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np */
#include "tex.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libavutil/hash.h>
#include <libavutil/mem.h>

#include "../fileio/fileio.h"

extern char **environ;

#define PACKAGES "texlive-latex-base and dvisvgm"
#define JOB "formula"      /* the file names in the temporary directory */
#define POLL_NS 10000000L  /* 10 ms between looks at a running program */
#define SVG_MAX (16 << 20) /* bytes: no formula's SVG is near this */

/* The formula's baseline lands at the page's origin, which dvisvgm keeps as
 * the SVG's (0, 0): every margin above and left of the text is zero, and the
 * formula's box is given no height, so \topskip (0) puts the baseline at the
 * top of the text. Changing this changes every cache key, as it should. */
static const char preamble[] = "\\documentclass{article}\n"
                               "\\usepackage{amsmath,amssymb}\n"
                               "\\pagestyle{empty}\n"
                               "\\setlength{\\oddsidemargin}{0pt}\\setlength{\\topmargin}{0pt}\n"
                               "\\setlength{\\headheight}{0pt}\\setlength{\\headsep}{0pt}\n"
                               "\\setlength{\\topskip}{0pt}\\setlength{\\textwidth}{100in}\n"
                               "\\begin{document}\n"
                               "\\noindent\\raisebox{0pt}[0pt][0pt]{$\\displaystyle\n";
static const char postamble[] = "\n$}\n\\end{document}\n";

/* ---- Small file helpers ------------------------------------------------ */

/* The whole file in a new NUL-terminated buffer, or NULL. */
static char *slurp(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t used = 0, cap = 0, got;
    do {
        if (cap - used < 4096) {
            char *grown = cap < SVG_MAX ? realloc(text, cap + 65536) : NULL;
            if (!grown) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = grown;
            cap += 65536;
        }
        got = fread(text + used, 1, cap - used - 1, f);
        used += got;
    } while (got > 0);
    bool failed = ferror(f);
    fclose(f);
    if (failed || !text) {
        free(text);
        return NULL;
    }
    text[used] = '\0';
    *length = used;
    return text;
}

static bool write_text(const char *path, const char *a, const char *b, const char *c)
{
    FILE *f = fopen(path, "wx");
    if (!f)
        return false;
    bool ok = fputs(a, f) >= 0 && fputs(b, f) >= 0 && fputs(c, f) >= 0;
    return fclose(f) == 0 && ok;
}

/* Removes the temporary directory and the files the programs left in it. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    rmdir(dir);
}

/* ---- The cache --------------------------------------------------------- */

/* SHA-256 of the whole document, in hex (65 bytes with the NUL). */
static sk_status document_hash(const char *tex, char hex[65], sk_error *err)
{
    struct AVHashContext *ctx = NULL;
    if (av_hash_alloc(&ctx, "SHA256") < 0)
        return sk_error_nomem(err);
    av_hash_init(ctx);
    av_hash_update(ctx, (const uint8_t *)preamble, sizeof preamble - 1);
    av_hash_update(ctx, (const uint8_t *)tex, strlen(tex));
    av_hash_update(ctx, (const uint8_t *)postamble, sizeof postamble - 1);
    av_hash_final_hex(ctx, (uint8_t *)hex, 65);
    av_hash_freep(&ctx);
    return SK_OK;
}

/* "<cache>/softknn/tex/<hash>.svg"; false when neither XDG_CACHE_HOME nor
 * HOME says where the cache is (then nothing is cached). */
static bool cache_path(const char *hash, char *out, size_t size)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') /* the XDG spec: a relative value is ignored */
        n = snprintf(out, size, "%s/softknn/tex/%s.svg", xdg, hash);
    else if (home && home[0])
        n = snprintf(out, size, "%s/.cache/softknn/tex/%s.svg", home, hash);
    else
        return false;
    return n > 0 && (size_t)n < size;
}

/* A cached SVG, if there is a readable one. */
static char *cache_read(const char *path, size_t *length)
{
    char *svg = slurp(path, length);
    if (svg && !strstr(svg, "<svg")) { /* not ours: compile again and replace it */
        free(svg);
        svg = NULL;
    }
    return svg;
}

/* Best effort: a cache that cannot be written only costs a compile later. */
static void cache_write(const char *path, const char *svg, size_t length)
{
    sk_error ignored;
    sk_tempfile tmp = SK_TEMPFILE_EMPTY;
    if (sk_make_parent_dirs(path, &ignored) != SK_OK ||
        sk_tempfile_create(&tmp, path, &ignored) != SK_OK ||
        sk_tempfile_write(&tmp, path, svg, length, &ignored) != SK_OK ||
        sk_tempfile_commit(&tmp, path, &ignored) != SK_OK)
        sk_tempfile_abandon(&tmp);
}

/* ---- Running the programs ---------------------------------------------- */

/* Whether an executable of that name is on PATH (as posix_spawnp searches). */
static bool on_path(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        return false;
    char dir[4096];
    while (*path) {
        size_t len = strcspn(path, ":");
        if (len > 0 && len < sizeof dir - 64) {
            snprintf(dir, sizeof dir, "%.*s/%s", (int)len, path, name);
            if (access(dir, X_OK) == 0)
                return true;
        }
        path += len + (path[len] == ':');
    }
    return false;
}

static sk_status check_tools(sk_error *err)
{
    bool latex = on_path("latex"), dvisvgm = on_path("dvisvgm");
    if (latex && dvisvgm)
        return SK_OK;
    return sk_error_set(err, SK_ERUNTIME,
                        "TeX formulas need latex and dvisvgm, but %s not found on PATH; install "
                        "the Debian packages " PACKAGES,
                        latex ? "dvisvgm was" : (dvisvgm ? "latex was" : "latex and dvisvgm were"));
}

/* The environment the programs get: ours, with TeX allowed to read and write
 * only in and below its working directory ("paranoid"), so a formula cannot
 * \input or \openout files elsewhere. */
static char **tool_environment(void)
{
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = calloc(n + 3, sizeof *env);
    if (!env)
        return NULL;
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "openin_any=", 11) && strncmp(environ[i], "openout_any=", 12))
            env[used++] = environ[i];
    env[used++] = "openin_any=p";
    env[used++] = "openout_any=p";
    return env;
}

/* Seconds a program may run: SK_TEX_TIMEOUT, or $SOFTKNN_TEX_TIMEOUT. */
static long timeout_seconds(void)
{
    const char *text = getenv("SOFTKNN_TEX_TIMEOUT");
    char *end;
    long seconds = text ? strtol(text, &end, 10) : 0;
    return text && *text && !*end && seconds >= 1 && seconds <= 600 ? seconds : SK_TEX_TIMEOUT;
}

/* Starts argv in dir, in a process group of its own (so that a timeout
 * stops whatever it started too), stdin from /dev/null, stdout and stderr
 * into dir/<output>. Returns 0 or an errno value. */
static int spawn(char *const argv[], const char *dir, const char *output, pid_t *pid)
{
    char **env = tool_environment();
    if (!env)
        return ENOMEM;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    int rc = posix_spawnattr_init(&attributes);
    if (rc != 0) {
        free(env);
        return rc;
    }
    if ((rc = posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP)) == 0 &&
        (rc = posix_spawnattr_setpgroup(&attributes, 0)) == 0 &&
        (rc = posix_spawn_file_actions_init(&actions)) == 0) {
        if ((rc = posix_spawn_file_actions_addchdir_np(&actions, dir)) == 0 &&
            (rc = posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)) == 0 &&
            (rc = posix_spawn_file_actions_addopen(&actions, 1, output,
                                                   O_WRONLY | O_CREAT | O_TRUNC, 0600)) == 0 &&
            (rc = posix_spawn_file_actions_adddup2(&actions, 1, 2)) == 0)
            rc = posix_spawnp(pid, argv[0], &actions, &attributes, argv, env);
        posix_spawn_file_actions_destroy(&actions);
    }
    posix_spawnattr_destroy(&attributes);
    free(env);
    return rc;
}

/* Runs argv (see spawn); *code gets its exit status, or -1 when it was
 * killed or, with *timed_out set, stopped after timeout_seconds(). */
static sk_status run(char *const argv[], const char *dir, const char *output, int *code,
                     bool *timed_out, sk_error *err)
{
    *timed_out = false;
    *code = -1;
    pid_t pid;
    int rc = spawn(argv, dir, output, &pid);
    if (rc != 0)
        return sk_error_set(err, SK_ERUNTIME, "could not run %s: %s", argv[0], strerror(rc));
    struct timespec poll = {0, POLL_NS};
    int status = 0;
    long waited = 0, limit = timeout_seconds() * (1000000000L / POLL_NS);
    pid_t done;
    while ((done = waitpid(pid, &status, WNOHANG)) == 0 || (done < 0 && errno == EINTR)) {
        if (waited++ >= limit) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            *timed_out = true;
            return SK_OK;
        }
        nanosleep(&poll, NULL);
    }
    if (done < 0)
        return sk_error_set(err, SK_ERUNTIME, "waiting for %s failed: %s", argv[0],
                            strerror(errno));
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return SK_OK;
}

/* The first line of text starting with prefix, trimmed, into out ("" if none). */
static void first_line(const char *text, const char *prefix, char *out, size_t size)
{
    out[0] = '\0';
    size_t n = strlen(prefix);
    for (const char *line = text; line && *line; line = strchr(line, '\n'), line += !!line) {
        if (strncmp(line, prefix, n) == 0) {
            snprintf(out, size, "%.*s", (int)strcspn(line, "\r\n"), line);
            return;
        }
    }
}

/* Why a program failed, from the file it wrote: LaTeX's "! ..." error line,
 * or dvisvgm's "ERROR: ..." line. */
static sk_status tool_failed(const char *dir, const char *file, const char *prefix,
                             const char *tool, bool timed_out, sk_status status, sk_error *err)
{
    if (timed_out)
        return sk_error_set(err, SK_ERUNTIME, "%s took longer than %ld s and was stopped", tool,
                            timeout_seconds());
    char path[8192], line[512];
    size_t length;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *text = slurp(path, &length);
    first_line(text ? text : "", prefix, line, sizeof line);
    free(text);
    return sk_error_set(err, status, "%s failed: %s", tool, line[0] ? line : "(no message)");
}

/* latex, then dvisvgm, in a fresh temporary directory. */
static sk_status compile(const char *tex, char **svg, size_t *length, sk_error *err)
{
    sk_status status = check_tools(err);
    if (status)
        return status;
    const char *tmp = getenv("TMPDIR");
    char dir[4096], path[4200];
    snprintf(dir, sizeof dir, "%s/softknn-tex-XXXXXX", tmp && tmp[0] == '/' ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return sk_error_set(err, SK_ERUNTIME, "could not make a temporary directory in %s: %s",
                            tmp && tmp[0] == '/' ? tmp : "/tmp", strerror(errno));
    int code;
    bool timed_out;
    snprintf(path, sizeof path, "%s/" JOB ".tex", dir);
    if (!write_text(path, preamble, tex, postamble)) {
        status = sk_error_set(err, SK_ERUNTIME, "could not write %s: %s", path, strerror(errno));
        goto done;
    }
    char *latex[] = {"latex",          "-interaction=nonstopmode",
                     "-halt-on-error", "-no-shell-escape",
                     JOB ".tex",       NULL};
    if ((status = run(latex, dir, "latex.out", &code, &timed_out, err)))
        goto done;
    if (code != 0) {
        status = tool_failed(dir, JOB ".log", "!", "LaTeX", timed_out, SK_EINPUT, err);
        goto done;
    }
    char *dvisvgm[] = {
        "dvisvgm",  "--no-fonts", "--exact-bbox", "--verbosity=3", "--output=" JOB ".svg",
        JOB ".dvi", NULL};
    if ((status = run(dvisvgm, dir, "dvisvgm.out", &code, &timed_out, err)))
        goto done;
    snprintf(path, sizeof path, "%s/" JOB ".svg", dir);
    if (code != 0 || !(*svg = slurp(path, length)))
        status = tool_failed(dir, "dvisvgm.out", "ERROR", "dvisvgm", timed_out, SK_ERUNTIME, err);
done:
    remove_dir(dir);
    return status;
}

sk_status sk_tex_compile(const char *tex, char **svg, size_t *length, sk_error *err)
{
    char hash[65], cached[4096];
    *svg = NULL;
    *length = 0;
    sk_status status = document_hash(tex, hash, err);
    if (status)
        return status;
    bool cacheable = cache_path(hash, cached, sizeof cached);
    if (cacheable && (*svg = cache_read(cached, length)))
        return SK_OK;
    if ((status = compile(tex, svg, length, err)))
        return status;
    if (cacheable)
        cache_write(cached, *svg, *length);
    return SK_OK;
}

/* Compiles one formula, naming where it stands on failure. */
static sk_status prepare(sk_tex *tex, sk_error *err)
{
    if (!tex->source || tex->svg)
        return SK_OK;
    sk_error inner;
    sk_status status = sk_tex_compile(tex->source, &tex->svg, &tex->svg_length, &inner);
    if (status)
        return sk_error_set(err, status, "%s: %s", tex->where, inner.message);
    return SK_OK;
}

sk_status sk_tex_prepare(sk_scene *scene, sk_error *err)
{
    sk_status status = SK_OK;
    for (int i = 0; status == SK_OK && i < scene->caption_count; i++)
        status = prepare(&scene->captions[i].tex, err);
    for (int i = 0; status == SK_OK && i < SK_FORMULA_SLOTS; i++)
        status = prepare(&scene->formulas[i], err);
    return status;
}
