/* support.h — helpers for the end-to-end tests: run a program, capture what
 * it printed and how it exited; read files. */
#ifndef SK_TEST_SUPPORT_H
#define SK_TEST_SUPPORT_H

#include <stddef.h>

typedef struct run_result {
    int exit_code; /* the exit status, or 128 + signal number */
    char *out;     /* everything written to stdout, NUL-terminated */
    char *err;     /* everything written to stderr, NUL-terminated */
} run_result;

/* Runs argv[0] (looked up in PATH) with argv, stdin from /dev/null. Aborts the
 * test on failure to start. Release the result with run_result_free. */
run_result run_program(const char *const argv[]);

/* Runs the softknn binary under test with the given arguments (NULL-ended). */
run_result run_softknn(const char *const args[]);

void run_result_free(run_result *r);

/* The following fail the running cmocka test (with what the program printed)
 * instead of returning. */

/* Runs softknn with the given arguments (NULL-ended), which must exit 0. */
void run_softknn_ok(const char *const args[]);

/* rm -rf path. */
void remove_dir_tree(const char *path);

/* "key=value" in an ffprobe -of default=nw=1 report must hold expected. */
void expect_probe_value(const char *probe, const char *key, const char *expected);

/* The whole file as a NUL-terminated string (NULL if it cannot be read);
 * *size gets its length when size is non-NULL. Free with free(). */
char *read_file(const char *path, size_t *size);

/* The value of "key=value" on its own line in text, copied into out. */
int find_value(const char *text, const char *key, char *out, size_t size);

#endif
