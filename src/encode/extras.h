/* extras.h — what a video carries besides its pictures: captions as a
 * subtitle stream, sections as chapters, a sound track. Plain data, so the
 * encode layer knows nothing of scenes; times are seconds of the OUTPUT
 * (0 is its first frame), already shifted and clipped to it by the caller.
 *
 * Container sinks hand these to the muxer through the hook in mux_extras.h;
 * sk_subtitles_write() writes the captions alone as an .srt or .vtt file.
 */
#ifndef SK_ENCODE_EXTRAS_H
#define SK_ENCODE_EXTRAS_H

#include "../error/error.h"

/* Text from start to end, in seconds (start < end): a caption's text or a
 * chapter's title. UTF-8; a caption may hold line breaks. */
typedef struct sk_timed_text {
    double start, end;
    const char *text;
} sk_timed_text;

typedef struct sk_extras {
    const sk_timed_text *captions; /* in display order; borrowed */
    int caption_count;
    const sk_timed_text *chapters; /* ascending, not overlapping; borrowed */
    int chapter_count;
    const char *audio_path; /* any file libavformat reads (WAV, FLAC, MP3, ...); NULL: none */
    double audio_offset;    /* seconds of output before the audio's start (< 0: its start is cut) */
    double duration;        /* seconds of video; the audio is trimmed or padded to it */
} sk_extras;

/* Opens path and its audio decoder, and closes them again: SK_EINPUT naming
 * the file when libavformat cannot read it or it has no decodable audio. So
 * that a bad file is reported before any frame is drawn. */
sk_status sk_audio_probe(const char *path, sk_error *err);

/* Subtitle sidecar formats, chosen by the path's extension (any case). */
typedef enum sk_subtitle_format {
    SK_SUBTITLES_SRT, /* .srt: SubRip */
    SK_SUBTITLES_VTT, /* .vtt: WebVTT */
} sk_subtitle_format;

/* SK_EINPUT naming the path when it ends in neither .srt nor .vtt. */
sk_status sk_subtitle_format_from_path(const char *path, sk_subtitle_format *format, sk_error *err);

/* Writes extras->captions to path as SRT or WebVTT (by its extension),
 * formatted by libavformat's muxers, under a temporary name renamed into
 * place when complete. No captions make a file with no cues. */
sk_status sk_subtitles_write(const char *path, const sk_extras *extras, sk_error *err);

#endif
