/* fileio.h — a file written under a temporary name next to its target and
 * renamed into place only when complete, so an output path never holds a
 * half-written file. Used by every writer (encoders, exports).
 *
 * The temporary name is "<dir>/.<name>.XXXXXX.part": the same directory as
 * the target, so rename() is atomic and never crosses file systems; hidden
 * and ending in .part so that it is obviously scratch (and git-ignored).
 *
 * A target that exists and is not a regular file (a device such as
 * /dev/null, a named pipe, a socket) has nothing to protect and must not be
 * replaced by a file: it is opened and written in place, and commit and
 * abandon only close it. A target that is a symbolic link stays one: the
 * file it points to is the one replaced (the temporary file sits next to
 * it); a dangling link is replaced itself.
 *
 * Lifecycle: sk_tempfile_create() -> (write through fd, or reopen by path)
 * -> sk_tempfile_commit() or sk_tempfile_abandon(). abandon() is safe on an
 * empty (SK_TEMPFILE_EMPTY), committed or already abandoned tempfile, so it
 * can sit on every cleanup path. Not a zeroed one: fd 0 is a real descriptor.
 */
#ifndef SK_FILEIO_H
#define SK_FILEIO_H

#include <stdbool.h>
#include <stddef.h>

#include "../error/error.h"

typedef struct sk_tempfile {
    char *path;     /* the temporary name (or the target, in place), owned; NULL when none */
    int fd;         /* open for writing, or -1 once closed */
    bool in_place;  /* the target itself: a device or a pipe, never renamed or removed */
    char *resolved; /* a symbolic link's destination, renamed onto instead; owned, or NULL */
} sk_tempfile;

#define SK_TEMPFILE_EMPTY                                                                          \
    ((sk_tempfile){.path = NULL, .fd = -1, .in_place = false, .resolved = NULL})

/* Creates a new, empty temporary file for target (O_EXCL, so it never takes
 * over an existing file). Its mode is 0666 less the umask, as the final file
 * should be (mkstemp would give 0600). A target that is a device or a pipe
 * is opened in place instead; a directory is an SK_EINPUT error. On error
 * *tmp is left empty (path NULL, fd -1) and err names target. */
sk_status sk_tempfile_create(sk_tempfile *tmp, const char *target, sk_error *err);

/* Writes all n bytes through the descriptor (retrying short writes). */
sk_status sk_tempfile_write(sk_tempfile *tmp, const char *target, const void *data, size_t n,
                            sk_error *err);

/* Writes all n bytes to any descriptor (retrying short and interrupted
 * writes); an error names target. For outputs that are not files, like
 * standard output. */
sk_status sk_write_all(int fd, const char *target, const void *data, size_t n, sk_error *err);

/* Closes the descriptor, reporting close errors (NFS and full disks report
 * there). For callers that reopen the file by path. Idempotent. */
sk_status sk_tempfile_close(sk_tempfile *tmp, const char *target, sk_error *err);

/* Closes the descriptor if still open and renames the file onto target,
 * replacing whatever was there. On success the tempfile is empty again; on
 * error it still owns the temporary file (abandon it). */
sk_status sk_tempfile_commit(sk_tempfile *tmp, const char *target, sk_error *err);

/* Closes and removes the temporary file, if any, and empties *tmp. */
void sk_tempfile_abandon(sk_tempfile *tmp);

/* A scratch file for data too big to keep in memory: unnamed, in $TMPDIR
 * (else /tmp), open for reading and writing, and gone once closed, however
 * the program ends. Returns the descriptor, or -1 with err naming the
 * directory. */
int sk_scratch_open(sk_error *err);

/* Reads all n bytes at offset (retrying short and interrupted reads); an
 * early end of file is an error. what names the data in the message. */
sk_status sk_read_all_at(int fd, void *data, size_t n, long long offset, const char *what,
                         sk_error *err);

/* Whether tmp is a pipe (or socket) written in place: it cannot be closed
 * and opened again by name (its reader would see the end of the stream),
 * nor seeked. */
bool sk_tempfile_is_pipe(const sk_tempfile *tmp);

/* Whether writing to path would replace an existing file: true for a
 * regular file (or a link to one), false for nothing there, a device or a
 * pipe (written in place, nothing lost) and a directory (refused when the
 * file is created). For the "already exists; use -y" check. */
bool sk_path_holds_file(const char *path);

/* mkdir -p of the directory part of path, so "out/intro/f_%05d.png" just
 * works. SK_ERUNTIME naming the directory that could not be made. */
sk_status sk_make_parent_dirs(const char *path, sk_error *err);

#endif
