/* raw.c — the raw sink: every frame's BGRA bytes as Cairo drew them
 * (premultiplied, B G R A in memory), rows packed to 4 x width bytes, one
 * frame after another, no header. For piping into other tools:
 *   softknn render s.yaml -o - | ffmpeg -f rawvideo -pix_fmt bgra -s WxH -r FPS -i - ...
 * A file goes through a temporary name like every output; standard output
 * ("-") is written as it comes. Writing to a pipe whose reader has gone
 * fails with EPIPE (main ignores SIGPIPE) and is reported, not fatal. */
#include <stdlib.h>
#include <unistd.h>

#include "sinks.h"
#include "../fileio/fileio.h"

typedef struct raw_sink {
    const char *path; /* borrowed from the sink (see sinks.h) */
    const char *name; /* for messages: the path, or "standard output" */
    sk_tempfile tmp;  /* the file being written; unused for stdout */
    int fd;           /* tmp.fd, or STDOUT_FILENO */
    int width, height;
} raw_sink;

static void raw_free(void *state)
{
    raw_sink *s = state;
    if (!s)
        return;
    sk_tempfile_abandon(&s->tmp); /* no-op once finish() renamed it, and for stdout */
    free(s);
}

static sk_status raw_open(const sk_sink_options *o, void **state, sk_error *err)
{
    raw_sink *s = calloc(1, sizeof *s);
    if (!s)
        return sk_error_nomem(err);
    *s = (raw_sink){o->path, o->path, SK_TEMPFILE_EMPTY, STDOUT_FILENO, o->width, o->height};
    if (sk_path_is_stdout(o->path)) {
        s->name = "standard output";
    } else {
        sk_status status = sk_tempfile_create(&s->tmp, s->path, err);
        if (status != SK_OK) {
            raw_free(s);
            return status;
        }
        s->fd = s->tmp.fd;
    }
    *state = s; /* ownership moves to the sink */
    return SK_OK;
}

static sk_status raw_write(void *state, int64_t frame_index, const uint8_t *bgra, int stride,
                           sk_error *err)
{
    (void)frame_index; /* frames arrive in order; the byte offset is the count */
    raw_sink *s = state;
    size_t row = 4 * (size_t)s->width;
    if ((size_t)stride == row) /* packed already: one write for the frame */
        return sk_write_all(s->fd, s->name, bgra, row * (size_t)s->height, err);
    for (int y = 0; y < s->height; y++) {
        sk_status status =
            sk_write_all(s->fd, s->name, bgra + (size_t)y * (size_t)stride, row, err);
        if (status != SK_OK)
            return status;
    }
    return SK_OK;
}

static sk_status raw_finish(void *state, sk_error *err)
{
    raw_sink *s = state;
    if (sk_path_is_stdout(s->path))
        return SK_OK; /* nothing buffered; the caller's exit closes it */
    return sk_tempfile_commit(&s->tmp, s->path, err);
}

const sk_sink_ops sk_raw_sink_ops = {
    .open = raw_open,
    .write = raw_write,
    .finish = raw_finish,
    .free = raw_free,
};
