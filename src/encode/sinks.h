/* sinks.h — private to encode/: what each output format implements, and
 * the libav helpers the formats share.
 *
 * encode.c checks everything format-independent (sizes, fps, stride, call
 * order) before calling these, so a backend may rely on it. Each backend
 * keeps its own state behind a void pointer.
 */
#ifndef SK_ENCODE_SINKS_H
#define SK_ENCODE_SINKS_H

#include <stdint.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>

#include "encode.h"
#include "../fileio/fileio.h"

typedef struct sk_sink_ops {
    /* Opens the backend. options->path is the sink's own copy and stays
     * valid until free(), so the backend may keep the pointer. On success
     * *state owns everything; on error nothing is left (no file either). */
    sk_status (*open)(const sk_sink_options *options, void **state, sk_error *err);
    /* Encodes one frame (already checked: non-NULL, stride >= 4 * width). */
    sk_status (*write)(void *state, int64_t frame_index, const uint8_t *bgra, int stride,
                       sk_error *err);
    /* Completes the output; after an error the output path is untouched. */
    sk_status (*finish)(void *state, sk_error *err);
    /* Releases everything, removing any unfinished temporary file. */
    void (*free)(void *state);

    /* Optional, all four or none: work done per frame in a worker thread
     * (see sk_sink_frame in encode.h). Without them a frame keeps a pointer
     * to the pixels and write() does all the work. With them write() may be
     * NULL: encode.c prepares into a frame of its own and calls
     * frame_write(). frame_new is called on the sink's thread; frame_fill
     * concurrently for distinct frames and must not touch the sink's state. */
    sk_status (*frame_new)(void *state, void **frame, sk_error *err);
    sk_status (*frame_fill)(void *frame, const uint8_t *bgra, int stride, sk_error *err);
    sk_status (*frame_write)(void *state, int64_t frame_index, void *frame, sk_error *err);
    void (*frame_free)(void *frame);
} sk_sink_ops;

extern const sk_sink_ops sk_video_sink_ops; /* mp4, webm, mov (video.c) */
extern const sk_sink_ops sk_gif_sink_ops;
extern const sk_sink_ops sk_png_sink_ops;
extern const sk_sink_ops sk_raw_sink_ops;

/* Whether s ends in suffix, ignoring ASCII case (".MP4" is ".mp4"). */
bool sk_ends_with_ci(const char *s, const char *suffix);

/* "<path>: <what>: <libav's text for averr>" as SK_ERUNTIME (SK_ENOMEM for
 * AVERROR(ENOMEM)). Returns the status. */
sk_status sk_av_error(sk_error *err, const char *path, const char *what, int averr);

/* A frame of the given format and size with its own buffers. */
sk_status sk_av_frame_new(enum AVPixelFormat format, int width, int height, AVFrame **out,
                          const char *path, sk_error *err);

/* Converts a BGRA image of frame->height rows into frame with sws, first
 * making frame writable (an encoder may still hold a reference to it). */
sk_status sk_av_convert(struct SwsContext *sws, const uint8_t *bgra, int stride, AVFrame *frame,
                        const char *path, sk_error *err);

/* Converts a BGRA image as sk_av_convert does, but first turns Cairo's
 * premultiplied alpha into the straight alpha that encoders keeping alpha
 * expect (else every antialiased edge comes out dark). *scratch is a buffer
 * the caller owns and frees with free(); it is allocated on first use. */
sk_status sk_av_convert_straight(struct SwsContext *sws, const uint8_t *bgra, int stride,
                                 uint8_t **scratch, AVFrame *frame, const char *path,
                                 sk_error *err);

/* ---- container files (video.c, gif.c, concat.c) ----------------------------
 *
 * A muxer writing one video stream into a temporary file next to the
 * target, renamed into place by sk_av_output_finish(). Lifecycle:
 *   open -> (set up out->stream; add any other streams) -> start ->
 *   mux packets -> finish, and free() on every path. */
typedef struct sk_av_output {
    const char *path;     /* the target, borrowed */
    sk_tempfile tmp;      /* where the muxer writes until finish */
    char pipe[24];        /* "pipe:<fd>" when tmp is a pipe written in place, else "" */
    AVFormatContext *mux; /* owns stream and, once started, mux->pb */
    AVStream *stream;     /* the video stream */
} sk_av_output;

#define SK_AV_OUTPUT_EMPTY ((sk_av_output){.tmp = SK_TEMPFILE_EMPTY})

/* Creates the temporary file (so a missing or read-only directory fails
 * here, naming path), the muxer named `muxer` for it and its video stream. */
sk_status sk_av_output_open(sk_av_output *out, const char *muxer, const char *path, sk_error *err);

/* Opens the file and writes the header, with one muxer option when key is
 * not NULL (movflags, loop); an option the muxer does not take is an error. */
sk_status sk_av_output_start(sk_av_output *out, const char *key, const char *value, sk_error *err);

/* sk_av_output_start with the options every video container of ours gets:
 * +faststart for mp4 and mov (the index before the media data, so playback
 * starts before the whole file has arrived); for webm, the first track of
 * each kind is the default except for subtitles (a player would show a
 * default subtitle track unasked, and the captions are already burnt into
 * the pictures). */
sk_status sk_av_output_start_video(sk_av_output *out, sk_format format, sk_error *err);

/* Moves every packet the encoder has ready into the muxer (rescaled from
 * the encoder's time base). Stops at EAGAIN (needs more input) or, while
 * draining, at EOF. packet is left empty. */
sk_status sk_av_output_mux_ready(sk_av_output *out, AVCodecContext *encoder, AVPacket *packet,
                                 sk_error *err);

/* Writes the trailer, closes the file and renames it onto the target. */
sk_status sk_av_output_finish(sk_av_output *out, sk_error *err);

/* Releases the muxer and removes the temporary file unless finished. Safe
 * on SK_AV_OUTPUT_EMPTY and after finish. */
void sk_av_output_free(sk_av_output *out);

/* Readies tmp, just created, for libavformat, which opens it again by the
 * name sk_av_tempfile_url gives: closed, to be reopened by its path; but a
 * pipe written in place (see sk_tempfile_is_pipe) stays open, and pipe
 * (24 bytes) receives "pipe:<fd>" for avio's pipe protocol, which leaves
 * the descriptor open. */
sk_status sk_av_tempfile_ready(sk_tempfile *tmp, const char *target, char pipe[24], sk_error *err);
const char *sk_av_tempfile_url(const sk_tempfile *tmp, const char pipe[24]);

/* Releases the encoding state both formats keep; each pointer may be NULL
 * and is set to NULL. */
void sk_av_release(AVCodecContext **encoder, struct SwsContext **sws, AVFrame **frame,
                   AVPacket **packet);

#endif
