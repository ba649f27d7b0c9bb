/* encode.h — sinks that take finished BGRA frames and write them out.
 *
 * Knows nothing of scenes or Cairo: a frame is width x height pixels of
 * 4 bytes each in Cairo's CAIRO_FORMAT_ARGB32 layout on a little-endian
 * machine (B, G, R, A in memory, premultiplied alpha), rows `stride` bytes
 * apart. Everything goes through libav in-process.
 *
 * Nothing half-written is ever left at the output path: a single-file output
 * is written under a temporary name in the same directory and renamed into
 * place by sk_sink_finish(); each PNG of a sequence is written the same way.
 * sk_sink_free() on an unfinished sink removes its temporary file.
 */
#ifndef SK_ENCODE_H
#define SK_ENCODE_H

#include <stdbool.h>
#include <stdint.h>

#include "../error/error.h"
#include "extras.h"

typedef enum sk_format {
    SK_FORMAT_MP4,          /* H.264 (libx264) or H.265 (libx265), BT.709, +faststart */
    SK_FORMAT_WEBM,         /* VP9 (libvpx-vp9), yuv420p or yuva420p, BT.709 */
    SK_FORMAT_MOV,          /* ProRes (prores_aw): 422 HQ, or 4444 with alpha */
    SK_FORMAT_GIF,          /* palettegen + paletteuse, at most 50 fps, loops */
    SK_FORMAT_PNG_SEQUENCE, /* one PNG per frame; the path holds a printf %d */
    SK_FORMAT_RAW,          /* the BGRA bytes as they are, to a file or to stdout ("-") */
} sk_format;

/* The video codec inside a container; SK_CODEC_DEFAULT is the container's
 * own (H.264 for mp4, VP9 for webm, ProRes for mov). */
typedef enum sk_codec {
    SK_CODEC_DEFAULT,
    SK_CODEC_H264,
    SK_CODEC_H265,
    SK_CODEC_VP9,
    SK_CODEC_PRORES,
} sk_codec;

/* The path that means standard output (raw frames only). */
#define SK_STDOUT_PATH "-"

/* Whether the path is standard output rather than a file. */
bool sk_path_is_stdout(const char *path);

/* The format an output path asks for: a path containing a printf-style
 * integer conversion (%d, %05d, ...) is a PNG sequence (it must end in .png);
 * otherwise the extension decides (.mp4, .webm, .mov, .gif,
 * .bgra or .raw; "-" is raw frames to standard output). SK_EINPUT when
 * neither fits. */
sk_status sk_format_from_path(const char *path, sk_format *format, sk_error *err);

/* The format a --format name asks for ("mp4", "webm", "mov", "gif", "png",
 * "raw"), checked against the path: a path whose extension names another
 * format is SK_EINPUT, as is a "png" path without a frame-number pattern
 * and "-" for anything but raw. */
sk_status sk_format_from_name(const char *name, const char *path, sk_format *format, sk_error *err);

/* The short name: "mp4", "webm", "mov", "gif", "png" or "raw". */
const char *sk_format_name(sk_format format);

/* A codec by its --codec name ("h264", "h265", "vp9", "prores"); false when
 * there is none. */
bool sk_codec_from_name(const char *name, sk_codec *codec);

/* Whether name is a GIF dither: "bayer" (a fixed pattern, the default),
 * "sierra2_4a" (error diffusion: smoother gradients, larger files) or
 * "none". */
bool sk_gif_dither_known(const char *name);

/* Whether the format needs an even width and height (chroma subsampling). */
bool sk_format_needs_even_size(sk_format format);

/* The file a frame goes to: the path itself, or for a PNG sequence the path
 * with the frame index substituted. Writes at most size bytes (NUL included);
 * SK_EINPUT if the name does not fit or the pattern is malformed. */
sk_status sk_format_frame_path(sk_format format, const char *path, int64_t frame, char *out,
                               size_t size, sk_error *err);

/* Options that do not apply to the chosen format (a crf for ProRes, a GIF
 * width for an MP4, alpha for H.264, ...) are SK_EINPUT at open, so that a
 * setting is never silently ignored. */
typedef struct sk_sink_options {
    const char *path; /* output path (a pattern for PNG sequences) */
    sk_format format;
    sk_codec codec;         /* SK_CODEC_DEFAULT: the container's own */
    int width, height;      /* pixels, > 0 (even for formats that need it) */
    int fps;                /* frames per second, > 0 */
    int crf;                /* constant rate factor, 0 = lossless; -1: the codec's default.
                             * H.264/H.265 0..51, VP9 0..63; not for ProRes, GIF, PNG */
    const char *preset;     /* x264/x265 preset name, e.g. "veryfast"; NULL: the default */
    bool transparent;       /* keep alpha: WebM (yuva420p), MOV (ProRes 4444), PNG (RGBA) */
    int gif_width;          /* GIF only: scale to this width keeping aspect; 0: frame width */
    const char *gif_dither; /* GIF only: a sk_gif_dither_known name; NULL: "bayer" */
    int png_compression;    /* PNG only: zlib level 0..9; -1: the fast default (3) */
    /* Captions, chapters and audio for the containers that carry them (mp4,
     * webm, mov); NULL for none. Borrowed: must outlive the sink. */
    const sk_extras *extras;
} sk_sink_options;

typedef struct sk_sink sk_sink;

/* Opens a sink. On success *out owns it; the caller must end with
 * sk_sink_free(), after sk_sink_finish() if the output is to be kept. */
sk_status sk_sink_open(const sk_sink_options *options, sk_sink **out, sk_error *err);

/* Encodes one frame. Frames must come in display order; frame_index is the
 * scene's frame number (it names the file of a PNG sequence). The pixels are
 * only read during the call. */
sk_status sk_sink_write(sk_sink *sink, int64_t frame_index, const uint8_t *bgra, int stride,
                        sk_error *err);

/* ---- Frames prepared by worker threads ----------------------------------
 *
 * Colour conversion (and, for PNG, compression) of one frame does not depend
 * on any other, so it can run in the threads that draw, while the sink only
 * encodes and writes in order. A sk_sink_frame holds one frame's prepared
 * data and everything needed to prepare it (its own SwsContext): use each
 * from one thread at a time; different frames may be filled concurrently.
 * For formats that prepare nothing, a frame just remembers the pixels, which
 * must then stay unchanged until sk_sink_write_frame() returns. */
typedef struct sk_sink_frame sk_sink_frame;

/* A new frame for the sink; the sink must outlive it. Call from the thread
 * that owns the sink. */
sk_status sk_sink_frame_new(sk_sink *sink, sk_sink_frame **out, sk_error *err);

/* Prepares bgra (width x height of the sink, rows stride bytes apart) for
 * writing. Thread-safe for distinct frames; touches nothing of the sink. */
sk_status sk_sink_frame_fill(sk_sink_frame *frame, const uint8_t *bgra, int stride, sk_error *err);

/* Writes a filled frame, like sk_sink_write; frames in display order. */
sk_status sk_sink_write_frame(sk_sink *sink, int64_t frame_index, sk_sink_frame *frame,
                              sk_error *err);

/* NULL is a no-op. */
void sk_sink_frame_free(sk_sink_frame *frame);

/* Drains the encoder, writes the trailer, closes the file and renames it into
 * place. After an error the output path is untouched. */
sk_status sk_sink_finish(sk_sink *sink, sk_error *err);

/* Releases the sink; if it was not finished, removes its temporary file.
 * NULL is a no-op. */
void sk_sink_free(sk_sink *sink);

/* Joins the parts (files this program wrote for consecutive frame ranges
 * of one scene: mp4, webm or mov) into out by stream copy, in order, each
 * part's timestamps shifted to follow the previous part's end. The parts
 * must agree in codec, size, pixel format, frame rate, time base and codec
 * setup (SK_EINPUT naming the first part that does not). out's extension
 * picks the container; it is written under a temporary name and renamed
 * into place. An existing out is SK_EINPUT unless overwrite.
 *
 * Copied sound would click at every joint, so a part with sound is
 * SK_EINPUT, unless sound is given: then the parts' sound is left behind,
 * and sound's audio_path and audio_offset are encoded once onto the joined
 * video, trimmed or padded to its length (sound's duration and captions
 * are not used). */
sk_status sk_concat(const char *const *parts, int count, const char *out, bool overwrite,
                    const sk_extras *sound, sk_error *err);

/* libav logs through one process-wide logger (x264 prints its statistics on
 * close). Not verbose: errors only. Call once, before any sink is opened. */
void sk_encode_set_verbose(bool verbose);

#endif
