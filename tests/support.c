#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (cap - len < 2) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    if (size)
        *size = len;
    return buf;
}

/* Captures into unlinked temporary files: no pipes to drain, no deadlocks. */
run_result run_program(const char *const argv[])
{
    run_result r = {-1, NULL, NULL};
    char out_path[] = "/tmp/sk_test_out_XXXXXX", err_path[] = "/tmp/sk_test_err_XXXXXX";
    int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
    if (out_fd < 0 || err_fd < 0) {
        fprintf(stderr, "cannot create capture files\n");
        abort();
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
    posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &actions, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        fprintf(stderr, "cannot run %s\n", argv[0]);
        abort();
    }
    int status;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    close(out_fd);
    close(err_fd);
    r.out = read_file(out_path, NULL);
    r.err = read_file(err_path, NULL);
    unlink(out_path);
    unlink(err_path);
    return r;
}

run_result run_softknn(const char *const args[])
{
    const char *argv[64] = {SK_BINARY};
    size_t n = 1;
    for (; args[n - 1] && n < 63; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    return run_program(argv);
}

void run_result_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

int find_value(const char *text, const char *key, char *out, size_t size)
{
    size_t klen = strlen(key);
    for (const char *line = text; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == '=') {
            const char *v = line + klen + 1;
            size_t n = strcspn(v, "\n");
            if (n >= size)
                return -1;
            memcpy(out, v, n);
            out[n] = '\0';
            return 0;
        }
    }
    return -1;
}

void run_softknn_ok(const char *const args[])
{
    run_result r = run_softknn(args);
    if (r.exit_code != 0)
        fail_msg("softknn exited %d: %s", r.exit_code, r.err);
    run_result_free(&r);
}

void remove_dir_tree(const char *path)
{
    run_result r = run_program((const char *const[]){"rm", "-rf", path, NULL});
    assert_int_equal(r.exit_code, 0);
    run_result_free(&r);
}

void expect_probe_value(const char *probe, const char *key, const char *expected)
{
    char value[128];
    if (find_value(probe, key, value, sizeof value) != 0)
        fail_msg("ffprobe did not report %s:\n%s", key, probe);
    if (strcmp(value, expected) != 0)
        fail_msg("%s: expected %s, ffprobe says %s", key, expected, value);
}
