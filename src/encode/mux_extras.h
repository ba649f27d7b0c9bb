/* mux_extras.h — private to encode/: the hook by which any container sink
 * (mp4, webm, mov: video.c) adds a scene's extras to its muxer.
 *
 *   sk_mux_extras_open()   after the video stream is added and before
 *                          avformat_write_header: adds a subtitle stream,
 *                          the chapters and an audio stream, as far as the
 *                          container takes them (see the table in extras.c)
 *   sk_mux_extras_write_until()  after each video frame is sent: writes
 *                          the subtitle and audio packets up to its time, so
 *                          the file is interleaved (av_interleaved_write_frame)
 *   sk_mux_extras_write()  before av_write_trailer: writes the rest
 *   sk_mux_extras_free()   always, on every path; NULL is a no-op
 *
 * A container without a row in the table gets nothing (the captions are
 * still burnt into the pictures).
 */
#ifndef SK_ENCODE_MUX_EXTRAS_H
#define SK_ENCODE_MUX_EXTRAS_H

#include <stdint.h>

#include <libavformat/avformat.h>

#include "extras.h"

typedef struct sk_mux_extras sk_mux_extras;

/* extras may be NULL (nothing to add). path names the output in messages.
 * mux keeps ownership; the streams and chapters added belong to it.
 * *out owns the encoders; extras and path must outlive it. SK_EINPUT when
 * the audio file cannot be read as audio (the message names it). */
sk_status sk_mux_extras_open(AVFormatContext *mux, const sk_extras *extras, const char *path,
                             sk_mux_extras **out, sk_error *err);

/* Writes the cues that start before `until` and the audio up to it
 * (seconds of output). Optional: a sink that never calls it gets every
 * packet at sk_mux_extras_write, all after the video. */
sk_status sk_mux_extras_write_until(sk_mux_extras *x, double until, sk_error *err);

/* Writes every remaining packet and drains the audio encoder. */
sk_status sk_mux_extras_write(sk_mux_extras *x, sk_error *err);

void sk_mux_extras_free(sk_mux_extras *x);

/* Adds a chapter from start to end (seconds) to mux, before its header
 * (concat.c joins the parts' chapters with it). */
sk_status sk_mux_add_chapter(AVFormatContext *mux, int id, double start, double end,
                             const char *title, sk_error *err);

/* ---- cues (cues.c) ------------------------------------------------------ */

/* Captions in time order, none overlapping: where captions overlap, each
 * stretch of time gets the texts then showing, joined by line breaks,
 * earliest start first. Texts are owned. */
typedef struct sk_cues {
    sk_timed_text *cues;
    int count;
} sk_cues;

sk_status sk_cues_make(const sk_timed_text *captions, int n, sk_cues *out, sk_error *err);

/* A zeroed or already freed sk_cues is fine. */
void sk_cues_free(sk_cues *cues);

/* ---- audio (audio.c) ----------------------------------------------------- */

/* Samples of output, at the encoder's rate, and how the source fills them:
 * lead silence first (a positive offset), then the source from `skip`
 * samples in (a negative offset), then silence to `total`. */
typedef struct sk_audio_plan {
    int64_t total; /* round(duration x rate) */
    int64_t lead;  /* round(offset x rate) for offset > 0, at most total; else 0 */
    int64_t skip;  /* round(-offset x rate) for offset < 0; else 0 */
} sk_audio_plan;

sk_audio_plan sk_audio_plan_make(double offset, double duration, int rate);

typedef struct sk_audio_track sk_audio_track;

/* Opens the source and an encoder_name encoder, and adds its stream to mux
 * (before the header). */
sk_status sk_audio_track_open(AVFormatContext *mux, const char *encoder_name,
                              const sk_extras *extras, const char *path, sk_audio_track **out,
                              sk_error *err);

/* Decodes, resamples and encodes the plan up to `until` seconds into mux
 * (after the header); the encoder may hold back a frame or two. */
sk_status sk_audio_track_write(sk_audio_track *t, AVFormatContext *mux, double until,
                               sk_error *err);

/* Encodes the rest of the plan and drains the encoder. */
sk_status sk_audio_track_finish(sk_audio_track *t, AVFormatContext *mux, sk_error *err);

void sk_audio_track_free(sk_audio_track *t);

#endif
