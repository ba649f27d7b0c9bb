/* fileio.c — temporary files next to their target, renamed into place, and
 * the directories an output needs. */
#include "fileio.h"

#include <errno.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Names tried before giving up when every one is taken (EEXIST). */
#define TEMP_ATTEMPTS 100
/* Characters of randomness in a name, as mkstemp's XXXXXX. */
#define TEMP_RANDOM_LEN 6
/* Bytes of the target's name kept in the temporary name, so that a long
 * name plus ".XXXXXX.part" still fits NAME_MAX (255 on Linux). */
#define TEMP_NAME_KEEP 200
/* Permission bits before the umask: what open(2) gives an ordinary file. */
#define TEMP_MODE 0666

static sk_status errno_error(sk_error *err, const char *target, const char *what, int errnum)
{
    char text[256];
    if (strerror_r(errnum, text, sizeof text) != 0)
        snprintf(text, sizeof text, "error %d", errnum);
    return sk_error_set(err, SK_ERUNTIME, "%s: %s: %s", target, what, text);
}

/* splitmix64: a well-mixed 64-bit value from a counter. The names need not
 * be unpredictable, only unlikely to collide; O_EXCL makes them safe. */
static uint64_t mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

/* A fresh seed per call: time, process and a counter shared by threads. */
static uint64_t next_seed(void)
{
    static atomic_uint_fast64_t counter;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t seed = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    seed ^= (uint64_t)getpid() << 32;
    return mix64(seed ^ mix64(atomic_fetch_add(&counter, 1)));
}

static void fill_random(char *out, uint64_t bits)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int i = 0; i < TEMP_RANDOM_LEN; i++) {
        out[i] = alphabet[bits % (sizeof alphabet - 1)];
        bits /= sizeof alphabet - 1;
    }
}

/* "<dir>/.<name>.XXXXXX.part" with the X's still to fill; returns where they
 * start through *random_at. NULL when out of memory. */
static char *temp_template(const char *target, size_t *random_at)
{
    const char *slash = strrchr(target, '/');
    size_t dir_len = slash ? (size_t)(slash - target) + 1 : 0;
    const char *name = target + dir_len;
    size_t name_len = strlen(name);
    if (name_len > TEMP_NAME_KEEP)
        name_len = TEMP_NAME_KEEP;
    size_t size = dir_len + 1 + name_len + 1 + TEMP_RANDOM_LEN + sizeof ".part";
    char *path = malloc(size);
    if (!path)
        return NULL;
    snprintf(path, size, "%.*s.%.*s.XXXXXX.part", (int)dir_len, target, (int)name_len, name);
    *random_at = dir_len + 1 + name_len + 1;
    return path;
}

/* A device or a pipe: written where it is, as a shell's > would. For a
 * pipe this waits for a reader, as ffmpeg does. */
static sk_status open_in_place(sk_tempfile *tmp, const char *target, sk_error *err)
{
    char *path = strdup(target);
    if (!path)
        return sk_error_nomem(err);
    int fd;
    do
        fd = open(target, O_WRONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        int saved = errno;
        free(path);
        return errno_error(err, target, "cannot open for writing", saved);
    }
    *tmp = (sk_tempfile){.path = path, .fd = fd, .in_place = true};
    return SK_OK;
}

sk_status sk_tempfile_create(sk_tempfile *tmp, const char *target, sk_error *err)
{
    *tmp = SK_TEMPFILE_EMPTY;
    const char *slash = strrchr(target, '/');
    if ((slash ? slash[1] : target[0]) == '\0')
        return sk_error_set(err, SK_EINPUT, "%s: not a file name", target);
    struct stat existing;
    if (stat(target, &existing) == 0) {
        if (S_ISDIR(existing.st_mode))
            return sk_error_set(err, SK_EINPUT, "%s: is a directory, not a file name", target);
        if (!S_ISREG(existing.st_mode))
            return open_in_place(tmp, target, err);
    }
    /* A link's destination is replaced, so the link still leads to the new file. */
    char *resolved = lstat(target, &existing) == 0 && S_ISLNK(existing.st_mode)
                         ? realpath(target, NULL) /* NULL when dangling: the link goes */
                         : NULL;
    size_t random_at;
    char *path = temp_template(resolved ? resolved : target, &random_at);
    if (!path) {
        free(resolved);
        return sk_error_nomem(err);
    }
    for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
        fill_random(path + random_at, next_seed());
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, TEMP_MODE);
        if (fd >= 0) {
            tmp->path = path; /* ownership moves to *tmp */
            tmp->fd = fd;
            tmp->resolved = resolved;
            return SK_OK;
        }
        if (errno != EEXIST && errno != EINTR) {
            int saved = errno;
            free(path);
            free(resolved);
            return errno_error(err, target, "cannot create a file in its directory", saved);
        }
    }
    free(path);
    free(resolved);
    return sk_error_set(err, SK_ERUNTIME,
                        "%s: cannot create a file in its directory: all temporary names taken",
                        target);
}

sk_status sk_tempfile_write(sk_tempfile *tmp, const char *target, const void *data, size_t n,
                            sk_error *err)
{
    return sk_write_all(tmp->fd, target, data, n, err);
}

sk_status sk_write_all(int fd, const char *target, const void *data, size_t n, sk_error *err)
{
    const unsigned char *p = data;
    while (n > 0) {
        ssize_t done = write(fd, p, n);
        if (done < 0 && errno == EINTR)
            continue;
        if (done < 0)
            return errno_error(err, target, "cannot write", errno);
        p += done;
        n -= (size_t)done;
    }
    return SK_OK;
}

sk_status sk_tempfile_close(sk_tempfile *tmp, const char *target, sk_error *err)
{
    if (tmp->fd < 0)
        return SK_OK;
    int rc = close(tmp->fd);
    tmp->fd = -1; /* closed even when close() reports an error (POSIX leaves
                     the state unspecified; Linux always releases it) */
    if (rc != 0)
        return errno_error(err, target, "cannot write", errno);
    return SK_OK;
}

sk_status sk_tempfile_commit(sk_tempfile *tmp, const char *target, sk_error *err)
{
    sk_status status = sk_tempfile_close(tmp, target, err);
    if (status != SK_OK)
        return status;
    if (!tmp->in_place && rename(tmp->path, tmp->resolved ? tmp->resolved : target) != 0)
        return errno_error(err, target, "cannot move the finished file into place", errno);
    free(tmp->path); /* the file now belongs to target */
    tmp->path = NULL;
    sk_tempfile_abandon(tmp); /* empties the rest */
    return SK_OK;
}

void sk_tempfile_abandon(sk_tempfile *tmp)
{
    if (tmp->fd >= 0)
        close(tmp->fd);
    tmp->fd = -1;
    if (tmp->path && !tmp->in_place)
        unlink(tmp->path);
    free(tmp->path);
    free(tmp->resolved);
    *tmp = SK_TEMPFILE_EMPTY;
}

int sk_scratch_open(sk_error *err)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !dir[0])
        dir = "/tmp";
    /* Named only for the moment between mkstemp and unlink. */
    char path[4096];
    if (snprintf(path, sizeof path, "%s/softknn-scratch-XXXXXX", dir) >= (int)sizeof path) {
        sk_error_set(err, SK_EINPUT, "%s: path too long", dir);
        return -1;
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        errno_error(err, dir, "cannot create a scratch file (TMPDIR names where; it needs room)",
                    errno);
        return -1;
    }
    unlink(path);
    fcntl(fd, F_SETFD, FD_CLOEXEC); /* not for programs we start */
    return fd;
}

sk_status sk_read_all_at(int fd, void *data, size_t n, long long offset, const char *what,
                         sk_error *err)
{
    unsigned char *p = data;
    while (n > 0) {
        ssize_t done = pread(fd, p, n, (off_t)offset);
        if (done < 0 && errno == EINTR)
            continue;
        if (done < 0)
            return errno_error(err, what, "cannot read back", errno);
        if (done == 0)
            return sk_error_set(err, SK_ERUNTIME, "%s: cannot read back: the file ended early",
                                what);
        p += done;
        n -= (size_t)done;
        offset += done;
    }
    return SK_OK;
}

bool sk_tempfile_is_pipe(const sk_tempfile *tmp)
{
    return tmp->in_place && tmp->fd >= 0 && lseek(tmp->fd, 0, SEEK_CUR) < 0 && errno == ESPIPE;
}

bool sk_path_holds_file(const char *path)
{
    struct stat existing;
    return stat(path, &existing) == 0 && S_ISREG(existing.st_mode);
}

sk_status sk_make_parent_dirs(const char *path, sk_error *err)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return sk_error_set(err, SK_EINPUT, "%s: path too long", path);
    for (char *slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return sk_error_set(err, SK_ERUNTIME, "%s: cannot create directory: %s", dir,
                                strerror(errno));
        *slash = '/';
    }
    return SK_OK;
}
