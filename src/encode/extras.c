/* extras.c — captions as a subtitle stream, sections as chapters, and the
 * hook that adds them (and the audio track, audio.c) to a container; also
 * the .srt/.vtt sidecar, which is the same subtitle stream in a muxer of
 * its own.
 *
 * Subtitles are encoded the way FFmpeg's own tools do: each caption is an
 * ASS dialogue event handed to avcodec_encode_subtitle, whose encoder
 * (mov_text, webvtt, subrip) turns it into the container's packet. */
#include "mux_extras.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavutil/bprint.h>
#include <libavutil/mem.h>

#include "sinks.h"
#include "../fileio/fileio.h"

/* What each container takes, keyed by libavformat's muxer name; a sink for
 * a new container gets its extras by adding a row. NULL: not carried. */
typedef struct container_row {
    const char *muxer;
    const char *subtitle_encoder;
    const char *audio_encoder;
    bool chapters;
} container_row;

static const container_row containers[] = {
    {"mp4", "mov_text", "aac", true},    {"mov", "mov_text", "aac", true},
    {"webm", "webvtt", "libopus", true}, {"matroska", "webvtt", "libopus", true},
    {"srt", "subrip", NULL, false},      {"webvtt", "webvtt", NULL, false},
};

static const container_row *container_of(const AVFormatContext *mux)
{
    for (size_t i = 0; i < sizeof containers / sizeof containers[0]; i++)
        if (strcmp(mux->oformat->name, containers[i].muxer) == 0)
            return &containers[i];
    return NULL;
}

/* Subtitle timestamps, in milliseconds as the text formats count them. */
static const AVRational MILLISECONDS = {1, 1000};

/* The subtitle encoders read their default style from an ASS header; they
 * refuse to open without one. One style, "Default", as FFmpeg's own. */
static const char ass_header[] =
    "[Script Info]\n"
    "ScriptType: v4.00+\n"
    "PlayResX: 384\n"
    "PlayResY: 288\n"
    "\n"
    "[V4+ Styles]\n"
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, "
    "BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, "
    "BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding\n"
    "Style: Default,Arial,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0\n"
    "\n"
    "[Events]\n"
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n";

struct sk_mux_extras {
    AVFormatContext *mux; /* borrowed */
    const char *path;
    AVCodecContext *subtitle_encoder;
    AVStream *subtitle_stream;
    AVPacket *packet;
    sk_cues cues; /* the captions as the subtitle stream shows them */
    int next_cue; /* the first not yet written */
    sk_audio_track *audio;
};

static int64_t to_ms(double seconds)
{
    return llround(seconds * 1000.0);
}

/* ---- subtitles ----------------------------------------------------------- */

static sk_status open_subtitle_encoder(sk_mux_extras *x, const char *name, sk_error *err)
{
    const AVCodec *codec = avcodec_find_encoder_by_name(name);
    if (!codec)
        return sk_error_set(err, SK_ERUNTIME, "%s: this FFmpeg has no %s subtitle encoder", x->path,
                            name);
    x->subtitle_encoder = avcodec_alloc_context3(codec);
    if (!x->subtitle_encoder)
        return sk_error_nomem(err);
    AVCodecContext *c = x->subtitle_encoder;
    c->time_base = MILLISECONDS;
    /* Freed by avcodec_free_context, so it must come from av_malloc. */
    c->subtitle_header = (uint8_t *)av_strdup(ass_header);
    if (!c->subtitle_header)
        return sk_error_nomem(err);
    c->subtitle_header_size = (int)strlen(ass_header);
    if (x->mux->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    int rc = avcodec_open2(c, codec, NULL);
    if (rc < 0)
        return sk_av_error(err, x->path, "cannot open the subtitle encoder", rc);
    x->subtitle_stream = avformat_new_stream(x->mux, NULL);
    if (!x->subtitle_stream)
        return sk_error_nomem(err);
    rc = avcodec_parameters_from_context(x->subtitle_stream->codecpar, c);
    if (rc < 0)
        return sk_av_error(err, x->path, "cannot describe the subtitle stream", rc);
    x->subtitle_stream->time_base = MILLISECONDS; /* a hint; the muxer may pick its own */
    return SK_OK;
}

/* U+2060 WORD JOINER: invisible, and breaks a sequence ASS would read as
 * markup without changing what is shown. */
#define WORD_JOINER "\xe2\x81\xa0"

/* The caption as the text of an ASS event. ASS has no escape character: a
 * line break is written \N, and "\n", "\N" and "{\" (an override block)
 * in the text itself are kept literal by a word joiner after their first
 * character. */
static void escape_ass(AVBPrint *out, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            av_bprintf(out, "\\N");
            continue;
        }
        if (*p == '\r')
            continue;
        av_bprint_chars(out, *p, 1);
        bool markup =
            (p[0] == '\\' && (p[1] == 'n' || p[1] == 'N')) || (p[0] == '{' && p[1] == '\\');
        if (markup)
            av_bprintf(out, WORD_JOINER);
    }
}

/* Bytes an encoded caption may take: mov_text adds a few style boxes to the
 * text; webvtt and subrip add less. */
#define SUBTITLE_SLACK 1024

static sk_status write_caption(sk_mux_extras *x, int index, const sk_timed_text *caption,
                               sk_error *err)
{
    AVBPrint dialog;
    av_bprint_init(&dialog, 0, AV_BPRINT_SIZE_UNLIMITED);
    /* ReadOrder, Layer, Style, Name, MarginL, MarginR, MarginV, Effect, Text */
    av_bprintf(&dialog, "%d,0,Default,,0,0,0,,", index);
    escape_ass(&dialog, caption->text);
    if (!av_bprint_is_complete(&dialog)) {
        av_bprint_finalize(&dialog, NULL);
        return sk_error_nomem(err);
    }
    int64_t start = to_ms(caption->start), length = to_ms(caption->end) - start;
    AVSubtitleRect rect = {.type = SUBTITLE_ASS, .ass = dialog.str};
    AVSubtitleRect *rects[] = {&rect};
    AVSubtitle subtitle = {
        .end_display_time = (uint32_t)length, .num_rects = 1, .rects = rects, .pts = start * 1000};
    int size = (int)dialog.len + SUBTITLE_SLACK;
    int rc = av_new_packet(x->packet, size);
    if (rc >= 0)
        rc = avcodec_encode_subtitle(x->subtitle_encoder, x->packet->data, size, &subtitle);
    av_bprint_finalize(&dialog, NULL);
    if (rc < 0) {
        av_packet_unref(x->packet);
        return sk_av_error(err, x->path, "cannot encode a caption", rc);
    }
    av_shrink_packet(x->packet, rc);
    x->packet->pts = x->packet->dts = start;
    x->packet->duration = length;
    x->packet->stream_index = x->subtitle_stream->index;
    av_packet_rescale_ts(x->packet, MILLISECONDS, x->subtitle_stream->time_base);
    rc = av_interleaved_write_frame(x->mux, x->packet);
    if (rc < 0)
        return sk_av_error(err, x->path, "cannot write a caption", rc);
    return SK_OK;
}

/* ---- chapters ------------------------------------------------------------ */

/* libavformat has no public call to add a chapter; the context owns the
 * array and frees each chapter and its metadata (avformat_free_context). */
sk_status sk_mux_add_chapter(AVFormatContext *mux, int id, double start, double end,
                             const char *title, sk_error *err)
{
    AVChapter **grown = av_realloc_array(mux->chapters, mux->nb_chapters + 1, sizeof *grown);
    if (!grown)
        return sk_error_nomem(err);
    mux->chapters = grown;
    AVChapter *chapter = av_mallocz(sizeof *chapter);
    if (!chapter)
        return sk_error_nomem(err);
    chapter->id = id;
    chapter->time_base = MILLISECONDS;
    chapter->start = to_ms(start);
    chapter->end = to_ms(end);
    if (av_dict_set(&chapter->metadata, "title", title, 0) < 0) {
        av_free(chapter);
        return sk_error_nomem(err);
    }
    mux->chapters[mux->nb_chapters++] = chapter;
    return SK_OK;
}

/* ---- the hook ------------------------------------------------------------ */

sk_status sk_mux_extras_open(AVFormatContext *mux, const sk_extras *extras, const char *path,
                             sk_mux_extras **out, sk_error *err)
{
    *out = NULL;
    sk_mux_extras *x = calloc(1, sizeof *x);
    if (!x)
        return sk_error_nomem(err);
    x->mux = mux;
    x->path = path;
    const container_row *row = container_of(mux);
    sk_status status = SK_OK;
    if (!(x->packet = av_packet_alloc()))
        status = sk_error_nomem(err);
    if (status == SK_OK && extras && row && row->subtitle_encoder && extras->caption_count > 0)
        status = sk_cues_make(extras->captions, extras->caption_count, &x->cues, err);
    if (status == SK_OK && x->cues.count > 0)
        status = open_subtitle_encoder(x, row->subtitle_encoder, err);
    for (int i = 0; status == SK_OK && extras && row && row->chapters && i < extras->chapter_count;
         i++)
        status = sk_mux_add_chapter(mux, i + 1, extras->chapters[i].start, extras->chapters[i].end,
                                    extras->chapters[i].text, err);
    if (status == SK_OK && extras && row && row->audio_encoder && extras->audio_path)
        status = sk_audio_track_open(mux, row->audio_encoder, extras, path, &x->audio, err);
    if (status != SK_OK) {
        sk_mux_extras_free(x);
        return status;
    }
    *out = x; /* ownership moves to the caller */
    return SK_OK;
}

static sk_status write_cues_before(sk_mux_extras *x, double until, sk_error *err)
{
    sk_status status = SK_OK;
    for (; status == SK_OK && x->subtitle_stream && x->next_cue < x->cues.count &&
           x->cues.cues[x->next_cue].start < until;
         x->next_cue++)
        status = write_caption(x, x->next_cue, &x->cues.cues[x->next_cue], err);
    return status;
}

sk_status sk_mux_extras_write_until(sk_mux_extras *x, double until, sk_error *err)
{
    sk_status status = write_cues_before(x, until, err);
    if (status == SK_OK && x->audio)
        status = sk_audio_track_write(x->audio, x->mux, until, err);
    return status;
}

sk_status sk_mux_extras_write(sk_mux_extras *x, sk_error *err)
{
    sk_status status = write_cues_before(x, INFINITY, err);
    if (status == SK_OK && x->audio)
        status = sk_audio_track_finish(x->audio, x->mux, err);
    return status;
}

void sk_mux_extras_free(sk_mux_extras *x)
{
    if (!x)
        return;
    sk_audio_track_free(x->audio);
    av_packet_free(&x->packet);
    avcodec_free_context(&x->subtitle_encoder);
    sk_cues_free(&x->cues);
    free(x);
}

/* ---- sidecar ------------------------------------------------------------- */

sk_status sk_subtitle_format_from_path(const char *path, sk_subtitle_format *format, sk_error *err)
{
    if (sk_ends_with_ci(path, ".srt"))
        *format = SK_SUBTITLES_SRT;
    else if (sk_ends_with_ci(path, ".vtt"))
        *format = SK_SUBTITLES_VTT;
    else
        return sk_error_set(err, SK_EINPUT,
                            "--subtitles %s: expected a file ending in .srt (SubRip) or .vtt "
                            "(WebVTT)",
                            path);
    return SK_OK;
}

/* The muxer writes into the temporary file, reopened by name (or the pipe). */
static sk_status write_sidecar(AVFormatContext *mux, const sk_extras *extras, const char *path,
                               const char *tmp_path, sk_error *err)
{
    sk_extras captions_only = {.captions = extras->captions,
                               .caption_count = extras->caption_count,
                               .duration = extras->duration};
    sk_mux_extras *x = NULL;
    sk_status status = sk_mux_extras_open(mux, &captions_only, path, &x, err);
    if (status == SK_OK && !x->subtitle_stream) {
        /* No captions: a stream all the same, so the muxer has its one. */
        status = open_subtitle_encoder(x, container_of(mux)->subtitle_encoder, err);
    }
    int rc = status == SK_OK ? avio_open(&mux->pb, tmp_path, AVIO_FLAG_WRITE) : 0;
    if (rc < 0)
        status = sk_av_error(err, path, "cannot open the temporary file", rc);
    if (status == SK_OK && (rc = avformat_write_header(mux, NULL)) < 0)
        status = sk_av_error(err, path, "cannot write the subtitle header", rc);
    if (status == SK_OK)
        status = sk_mux_extras_write(x, err);
    if (status == SK_OK && (rc = av_write_trailer(mux)) < 0)
        status = sk_av_error(err, path, "cannot finish the subtitles", rc);
    if (status == SK_OK && (rc = avio_closep(&mux->pb)) < 0)
        status = sk_av_error(err, path, "cannot write", rc);
    avio_closep(&mux->pb); /* no-op once closed */
    sk_mux_extras_free(x);
    return status;
}

sk_status sk_subtitles_write(const char *path, const sk_extras *extras, sk_error *err)
{
    sk_subtitle_format format = SK_SUBTITLES_SRT;
    sk_status status = sk_subtitle_format_from_path(path, &format, err);
    if (status != SK_OK)
        return status;
    sk_tempfile tmp = SK_TEMPFILE_EMPTY;
    char pipe[24];
    status = sk_tempfile_create(&tmp, path, err);
    if (status == SK_OK)
        status = sk_av_tempfile_ready(&tmp, path, pipe, err);
    AVFormatContext *mux = NULL;
    if (status == SK_OK) {
        int rc = avformat_alloc_output_context2(
            &mux, NULL, format == SK_SUBTITLES_SRT ? "srt" : "webvtt", tmp.path);
        if (rc < 0)
            status = sk_av_error(err, path, "cannot set up the subtitle muxer", rc);
    }
    if (status == SK_OK)
        status = write_sidecar(mux, extras, path, sk_av_tempfile_url(&tmp, pipe), err);
    avformat_free_context(mux);
    if (status == SK_OK)
        status = sk_tempfile_commit(&tmp, path, err);
    sk_tempfile_abandon(&tmp);
    return status;
}
