/* End-to-end: captions, chapters and audio in what the real softknn binary
 * writes, read back with ffprobe and the ffmpeg program.
 *
 * Expected subtitles are hand-written files in tests/expected/ (times from
 * tests/scenes/extras.yaml; SubRip breaks a line inside a cue with CRLF).
 * Test tones are made here by the ffmpeg program; where the tone starts
 * and ends in the output is worked out from the scene's numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define EXTRAS "tests/scenes/extras.yaml"
#define TMP_DIR SK_TEST_TMP "/extras"
/* A stream's duration against the video's: within one AAC frame (1024
 * samples at 48 kHz, 21.3 ms), the encoder's granularity. */
#define DURATION_TOLERANCE 0.025
/* Where the tone starts or stops, seconds: AAC smears an edge by a few
 * samples at most; 5 ms is 240 samples. */
#define EDGE_TOLERANCE 0.005
#define RATE 48000
/* s16 amplitude that counts as sound: ffmpeg's sine source peaks at 1/8 of
 * full scale (4096), silence decodes to within a few units of 0. */
#define LOUD 1000

static void run_ok(const char *const argv[], int softknn)
{
    run_result r = softknn ? run_softknn(argv) : run_program(argv);
    if (r.exit_code != 0)
        fail_msg("%s exited %d: %s", softknn ? "softknn" : argv[0], r.exit_code, r.err);
    run_result_free(&r);
}

static void render_ok(const char *const args[])
{
    run_ok(args, 1);
}

static int group_setup(void **state)
{
    (void)state;
    run_result r = run_program((const char *const[]){"mkdir", "-p", TMP_DIR, NULL});
    int ok = r.exit_code == 0;
    run_result_free(&r);
    return ok ? 0 : -1;
}

static void assert_file_equals(const char *actual_path, const char *expected_path)
{
    size_t actual_size = 0, expected_size = 0;
    char *actual = read_file(actual_path, &actual_size);
    char *expected = read_file(expected_path, &expected_size);
    assert_non_null(actual);
    assert_non_null(expected);
    if (actual_size != expected_size || memcmp(actual, expected, actual_size) != 0)
        fail_msg("%s differs from %s:\n%s\n--- expected:\n%s", actual_path, expected_path, actual,
                 expected);
    free(actual);
    free(expected);
}

/* ffprobe's "key=value" lines for the given -show_entries of stream sel. */
static run_result probe(const char *path, const char *select, const char *entries)
{
    run_result r = run_program((const char *const[]){"ffprobe", "-v", "error", "-select_streams",
                                                     select, "-show_entries", entries, "-of",
                                                     "default=nw=1", path, NULL});
    if (r.exit_code != 0)
        fail_msg("ffprobe %s: %s", path, r.err);
    return r;
}

static void expect_entry(const char *text, const char *key, const char *expected)
{
    char value[256];
    if (find_value(text, key, value, sizeof value) != 0)
        fail_msg("no %s in:\n%s", key, text);
    if (strcmp(value, expected) != 0)
        fail_msg("%s: expected %s, found %s", key, expected, value);
}

static double number_value(const char *text, const char *key)
{
    char value[256];
    if (find_value(text, key, value, sizeof value) != 0)
        fail_msg("no %s in:\n%s", key, text);
    return atof(value);
}

/* ---- captions ------------------------------------------------------------- */

static void test_mp4_has_mov_text_captions(void **state)
{
    (void)state;
    const char *out = TMP_DIR "/captions.mp4";
    render_ok((const char *const[]){"render", EXTRAS, "-o", out, "-y", "--quiet", NULL});
    run_result r = probe(out, "s", "stream=codec_name");
    expect_entry(r.out, "codec_name", "mov_text");
    run_result_free(&r);
    /* The mp4 muxer fills gaps between captions with empty samples (2 bytes:
     * a zero text length); the two captions are the only longer ones. */
    r = probe(out, "s", "packet=size");
    int captions = 0;
    for (const char *p = strstr(r.out, "size="); p; p = strstr(p + 1, "size="))
        captions += atoi(p + 5) > 2;
    assert_int_equal(captions, 2);
    run_result_free(&r);
    /* Decoded and written as SubRip by the ffmpeg program: the same texts
     * and times as the sidecar. */
    const char *srt = TMP_DIR "/from_mp4.srt";
    run_ok((const char *const[]){"ffmpeg", "-v", "error", "-y", "-i", out, "-map", "0:s", "-f",
                                 "srt", srt, NULL},
           0);
    assert_file_equals(srt, "tests/expected/extras.srt");
}

static void test_sidecars(void **state)
{
    (void)state;
    const char *mp4 = TMP_DIR "/sidecar.mp4", *srt = TMP_DIR "/sidecar.srt",
               *vtt = TMP_DIR "/sidecar.vtt";
    render_ok((const char *const[]){"render", EXTRAS, "-o", mp4, "--subtitles", srt, "-y",
                                    "--quiet", NULL});
    assert_file_equals(srt, "tests/expected/extras.srt");
    render_ok((const char *const[]){"render", EXTRAS, "-o", mp4, "--subtitles", vtt, "-y",
                                    "--quiet", NULL});
    assert_file_equals(vtt, "tests/expected/extras.vtt");
}

/* Frames 6..17 at 12 fps are 0.5 s .. 1.5 s: both captions are cut at the
 * range's edges and shifted to start from 0. */
static void test_sidecar_of_a_range(void **state)
{
    (void)state;
    const char *mp4 = TMP_DIR "/range.mp4", *srt = TMP_DIR "/range.srt";
    render_ok((const char *const[]){"render", EXTRAS, "-o", mp4, "--frames", "6:18", "--subtitles",
                                    srt, "-y", "--quiet", NULL});
    assert_file_equals(srt, "tests/expected/extras_6_18.srt");
}

static void test_sidecar_refusals(void **state)
{
    (void)state;
    run_result help = run_softknn((const char *const[]){"render", "--help", NULL});
    assert_non_null(strstr(help.out, "--subtitles FILE"));
    run_result_free(&help);
    const char *mp4 = TMP_DIR "/refused.mp4";
    unlink(mp4);
    run_result r = run_softknn((const char *const[]){"render", EXTRAS, "-o", mp4, "--subtitles",
                                                     TMP_DIR "/captions.txt", "--quiet", NULL});
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--subtitles " TMP_DIR "/captions.txt: expected a file ending in "
                                  ".srt (SubRip) or .vtt (WebVTT)"));
    assert_int_not_equal(access(mp4, F_OK), 0); /* refused before anything was written */
    run_result_free(&r);

    const char *kept = TMP_DIR "/kept.srt";
    FILE *f = fopen(kept, "w");
    assert_non_null(f);
    fputs("mine\n", f);
    fclose(f);
    r = run_softknn(
        (const char *const[]){"render", EXTRAS, "-o", mp4, "--subtitles", kept, "--quiet", NULL});
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "kept.srt already exists; use -y to overwrite it"));
    assert_int_not_equal(access(mp4, F_OK), 0);
    run_result_free(&r);
    char *text = read_file(kept, NULL);
    assert_string_equal(text, "mine\n"); /* untouched */
    free(text);
}

/* Captions out of order and overlapping: the subtitle stream shows "early"
 * alone, then both (the earlier start on top), then "late" alone. */
static void test_overlapping_captions(void **state)
{
    (void)state;
    const char *scene = TMP_DIR "/overlap.yaml", *out = TMP_DIR "/overlap.mp4";
    FILE *f = fopen(scene, "w");
    assert_non_null(f);
    fputs("video: {size: [320, 180], fps: 12, duration: 2}\n"
          "text:\n"
          "  captions:\n"
          "    - {start: 1, end: 2, text: late}\n"
          "    - {start: 0, end: 1.5, text: early}\n"
          "keys: [{at: [0, 0], value: red}]\n",
          f);
    assert_int_equal(fclose(f), 0);
    render_ok((const char *const[]){"render", scene, "-o", out, "-y", "--quiet", NULL});
    run_result r = run_program((const char *const[]){"ffmpeg", "-v", "error", "-i", out, "-map",
                                                     "0:s", "-f", "srt", "-", NULL});
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "1\n00:00:00,000 --> 00:00:01,000\nearly\n\n"
                               "2\n00:00:01,000 --> 00:00:01,500\nearly\r\nlate\n\n"
                               "3\n00:00:01,500 --> 00:00:02,000\nlate\n\n");
    run_result_free(&r);
}

/* ---- chapters ------------------------------------------------------------- */

static void test_sections_become_chapters(void **state)
{
    (void)state;
    const char *out = TMP_DIR "/chapters.mp4";
    render_ok((const char *const[]){"render", EXTRAS, "-o", out, "-y", "--quiet", NULL});
    run_result r = run_program((const char *const[]){"ffprobe", "-v", "error", "-show_chapters",
                                                     "-of", "csv=p=0", out, NULL});
    assert_int_equal(r.exit_code, 0);
    /* id, time base, start, start_time, end, end_time, title */
    assert_string_equal(r.out, "0,1/1000,0,0.000000,1000,1.000000,Soft\n"
                               "1,1/1000,1000,1.000000,2000,2.000000,Hard\n");
    run_result_free(&r);

    const char *part = TMP_DIR "/chapters_range.mp4"; /* 0.5 s .. 1.5 s */
    render_ok((const char *const[]){"render", EXTRAS, "-o", part, "--frames", "6:18", "-y",
                                    "--quiet", NULL});
    r = run_program((const char *const[]){"ffprobe", "-v", "error", "-show_chapters", "-of",
                                          "csv=p=0", part, NULL});
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "0,1/1000,0,0.000000,500,0.500000,Soft\n"
                               "1,1/1000,500,0.500000,1000,1.000000,Hard\n");
    run_result_free(&r);
}

/* ---- audio ---------------------------------------------------------------- */

/* A 440 Hz tone of the given length at the given rate, by the ffmpeg program. */
static void make_tone(const char *path, double seconds, int rate)
{
    char source[128];
    snprintf(source, sizeof source, "sine=frequency=440:sample_rate=%d:duration=%g", rate, seconds);
    run_ok((const char *const[]){"ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, path,
                                 NULL},
           0);
}

/* TMP_DIR/name.yaml: the 1 s, 12 fps tiny scene with an audio section. */
static void write_scene(const char *name, const char *audio_file, const char *offset)
{
    char path[512];
    snprintf(path, sizeof path, TMP_DIR "/%s.yaml", name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "video: {size: [320, 180], fps: 12, duration: 1}\n"
            "audio: {file: %s, offset: %s}\n"
            "keys:\n"
            "  - {at: [-2, 0], value: \"#e11d48\"}\n"
            "  - {at: [2, 0], value: \"#2563eb\"}\n",
            audio_file, offset);
    assert_int_equal(fclose(f), 0);
}

typedef struct loudness {
    double first, last; /* seconds of the first and last loud sample; -1 if none */
    double length;      /* seconds of audio decoded */
} loudness;

/* Decodes the audio of path to mono s16 with the ffmpeg program and finds
 * where it is loud. */
static loudness measure(const char *path)
{
    const char *pcm = TMP_DIR "/decoded.pcm";
    run_ok((const char *const[]){"ffmpeg", "-v", "error", "-y", "-i", path, "-map", "0:a", "-ac",
                                 "1", "-f", "s16le", pcm, NULL},
           0);
    size_t size = 0;
    char *data = read_file(pcm, &size);
    assert_non_null(data);
    size_t n = size / 2;
    loudness l = {-1, -1, (double)n / RATE};
    for (size_t i = 0; i < n; i++) {
        int16_t v = (int16_t)((uint8_t)data[2 * i] | (uint8_t)data[2 * i + 1] << 8);
        if (abs(v) > LOUD) {
            if (l.first < 0)
                l.first = (double)i / RATE;
            l.last = (double)i / RATE;
        }
    }
    free(data);
    return l;
}

/* The tone in path's audio sounds from first to last (seconds). */
static void expect_tone(const char *path, double first, double last, double tolerance)
{
    loudness l = measure(path);
    if (fabs(l.first - first) > tolerance || fabs(l.last - last) > tolerance)
        fail_msg("%s: the tone sounds from %.4f to %.4f s; expected %.4f to %.4f s", path, l.first,
                 l.last, first, last);
}

/* Renders TMP_DIR/name.yaml (with extra arguments) and checks the audio stream:
 * AAC at 48 kHz, as long as the video (expected seconds), loud from first
 * to last (seconds). */
static void check_audio(const char *name, const char *const extra[], double expected_duration,
                        double first, double last)
{
    char scene[512], out[512];
    snprintf(scene, sizeof scene, TMP_DIR "/%s.yaml", name);
    snprintf(out, sizeof out, TMP_DIR "/%s.mp4", name);
    const char *args[16] = {"render", scene, "-o", out, "-y", "--quiet"};
    int n = 6;
    for (int i = 0; extra && extra[i]; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    render_ok(args);
    run_result r = probe(out, "a", "stream=codec_name,sample_rate,channels,duration");
    expect_entry(r.out, "codec_name", "aac");
    expect_entry(r.out, "sample_rate", "48000");
    expect_entry(r.out, "channels", "2");
    double duration = number_value(r.out, "duration");
    if (fabs(duration - expected_duration) > DURATION_TOLERANCE)
        fail_msg("%s: audio lasts %.4f s, the video %.4f s", name, duration, expected_duration);
    run_result_free(&r);
    expect_tone(out, first, last, EDGE_TOLERANCE);
}

/* A 0.5 s tone in a 1 s video: padded with silence after 0.5 s. */
static void test_audio_shorter_is_padded(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/half.wav", 0.5, 44100);
    write_scene("short", "half.wav", "0");
    check_audio("short", NULL, 1.0, 0.0, 0.5);
}

/* A 3 s tone in a 1 s video: cut at 1 s. FLAC this time, at 32 kHz. */
static void test_audio_longer_is_trimmed(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/long.flac", 3.0, 32000);
    write_scene("long", "long.flac", "0");
    check_audio("long", NULL, 1.0, 0.0, 1.0);
}

/* The sound is written alongside the pictures, not after them all. The
 * muxer itself holds packets back for up to 10 s to interleave them, so the
 * video here is 12 s long (at 4 fps, to stay quick): the first audio packet
 * must lie in the file before the video decoded from 1 s on. */
static void test_audio_is_interleaved(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/inter.wav", 1.0, 48000);
    FILE *f = fopen(TMP_DIR "/inter.yaml", "w");
    assert_non_null(f);
    fputs("video: {size: [320, 180], fps: 4, duration: 12}\n"
          "audio: {file: inter.wav}\n"
          "keys: [{at: [0, 0], value: red}]\n",
          f);
    assert_int_equal(fclose(f), 0);
    render_ok((const char *const[]){"render", TMP_DIR "/inter.yaml", "-o", TMP_DIR "/inter.mp4",
                                    "-y", "--quiet", NULL});
    run_result r = run_program((const char *const[]){"ffprobe", "-v", "error", "-show_entries",
                                                     "packet=codec_type,dts_time,pos", "-of",
                                                     "csv=p=0", TMP_DIR "/inter.mp4", NULL});
    assert_int_equal(r.exit_code, 0);
    long first_audio = -1, video_from_1s = -1;
    for (const char *line = r.out; *line;
         line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        char type[16];
        double dts;
        long pos;
        if (sscanf(line, "%15[a-z],%lf,%ld", type, &dts, &pos) != 3)
            continue; /* ffprobe prints an empty line after a packet with side data */
        if (strcmp(type, "audio") == 0 && (first_audio < 0 || pos < first_audio))
            first_audio = pos;
        if (strcmp(type, "video") == 0 && dts >= 1.0 && (video_from_1s < 0 || pos < video_from_1s))
            video_from_1s = pos;
    }
    run_result_free(&r);
    assert_true(first_audio >= 0 && video_from_1s >= 0);
    if (first_audio > video_from_1s)
        fail_msg("the audio starts at byte %ld, after the video decoded from 1 s (byte %ld)",
                 first_audio, video_from_1s);
}

/* offset 0.25 s: silence first, the 0.5 s tone from 0.25 to 0.75 s. */
static void test_audio_positive_offset(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/half_pos.wav", 0.5, 48000);
    write_scene("positive", "half_pos.wav", "0.25");
    check_audio("positive", NULL, 1.0, 0.25, 0.75);
}

/* MP3 (libmp3lame, 44.1 kHz), whose encoder delay the demuxer removes
 * (LAME's gapless header): the tone still starts right at the offset. */
static void test_audio_from_mp3(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/half.mp3", 0.5, 44100);
    write_scene("mp3", "half.mp3", "0.25");
    check_audio("mp3", NULL, 1.0, 0.25, 0.75);
}

/* offset -0.25 s: the 0.5 s tone's first quarter second is cut, so it
 * sounds from 0 to 0.25 s. */
static void test_audio_negative_offset(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/half_neg.wav", 0.5, 48000);
    write_scene("negative", "half_neg.wav", "\"-250ms\"");
    check_audio("negative", NULL, 1.0, 0.0, 0.25);
}

/* Frames 3..8 at 12 fps are 0.25 .. 0.75 s of the scene; the 0.5 s tone at
 * offset 0.5 sounds at 0.5 .. 1.0 s of the scene, so in the 0.5 s output
 * from 0.25 s to its end. */
static void test_audio_of_a_range(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/half_range.wav", 0.5, 48000);
    write_scene("range", "half_range.wav", "0.5");
    check_audio("range", (const char *const[]){"--frames", "3:9", NULL}, 0.5, 0.25, 0.5);
}

/* ---- every container ------------------------------------------------------ */

/* The hook is the same for every container the video sink writes; only the
 * codecs differ (extras.c's table): WebM gets WebVTT captions and Opus, MOV
 * gets mov_text and AAC, both get the two sections as chapters and the
 * 0.5 s tone at offset 0.25 s where it belongs. WebM's subtitle track is
 * not on by default (the captions are already in the pictures). */
static void check_container(const char *out, const char *subtitle_codec, const char *audio_codec,
                            const char *subtitle_default, double edge_tolerance)
{
    render_ok(
        (const char *const[]){"render", TMP_DIR "/every.yaml", "-o", out, "-y", "--quiet", NULL});
    run_result r = probe(out, "s", "stream=codec_name:stream_disposition=default");
    expect_entry(r.out, "codec_name", subtitle_codec);
    expect_entry(r.out, "DISPOSITION:default", subtitle_default);
    run_result_free(&r);
    r = probe(out, "a", "stream=codec_name,sample_rate,channels");
    expect_entry(r.out, "codec_name", audio_codec);
    expect_entry(r.out, "sample_rate", "48000");
    expect_entry(r.out, "channels", "2");
    run_result_free(&r);
    /* Times and titles only: each container counts chapters its own way. */
    r = run_program((const char *const[]){"ffprobe", "-v", "error", "-show_entries",
                                          "chapter=start_time,end_time:chapter_tags=title", "-of",
                                          "csv=p=0", out, NULL});
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "0.000000,0.500000,First\n0.500000,1.000000,Second\n");
    run_result_free(&r);
    /* The caption's packet, timed against the first picture (WebM shifts
     * every stream by Opus's encoder delay, in whole milliseconds). mp4 and
     * mov fill the gaps with empty samples (2 bytes); the caption is the
     * one longer packet. */
    r = probe(out, "v", "stream=start_time");
    double video_start = number_value(r.out, "start_time");
    run_result_free(&r);
    r = run_program((const char *const[]){"ffprobe", "-v", "error", "-select_streams", "s",
                                          "-show_entries", "packet=pts_time,duration_time,size",
                                          "-of", "csv=p=0", out, NULL});
    assert_int_equal(r.exit_code, 0);
    int captions = 0;
    for (const char *line = r.out; *line;
         line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        double pts, duration;
        int size;
        if (sscanf(line, "%lf,%lf,%d", &pts, &duration, &size) != 3 || size <= 2)
            continue;
        captions++;
        if (fabs(pts - video_start - 0.25) > 0.001 || fabs(duration - 0.5) > 0.001)
            fail_msg("%s: the caption shows from %.3f s for %.3f s; expected 0.25 for 0.5", out,
                     pts - video_start, duration);
    }
    assert_int_equal(captions, 1);
    run_result_free(&r);
    expect_tone(out, 0.25, 0.75, edge_tolerance);
}

static void test_webm_and_mov_carry_extras(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/every.wav", 0.5, 44100);
    FILE *f = fopen(TMP_DIR "/every.yaml", "w");
    assert_non_null(f);
    fputs("video: {size: [320, 180], fps: 12, duration: 1}\n"
          "audio: {file: every.wav, offset: 0.25}\n"
          "text:\n"
          "  captions: [{start: 0.25, end: 0.75, text: heard and seen}]\n"
          "sections: [{name: First, start: 0, end: 0.5}, {name: Second, start: 0.5, end: 1}]\n"
          "keys: [{at: [0, 0], value: red}]\n",
          f);
    assert_int_equal(fclose(f), 0);
    /* Opus is a lossy codec of overlapping 20 ms frames: an edge smears by
     * up to a frame's overlap (2.5 ms) plus its low-pass ringing; 10 ms. */
    check_container(TMP_DIR "/every.webm", "webvtt", "opus", "0", 0.010);
    check_container(TMP_DIR "/every.mov", "mov_text", "aac", "1", EDGE_TOLERANCE);
}

/* ---- concat ----------------------------------------------------------------- */

/* tests/scenes/extras.yaml in three ranges (0 .. 0.5, 0.5 .. 1.5, 1.5 .. 2 s)
 * joined: the captions keep their times (the first, 0.25 .. 0.75 s, is cut
 * by the joint at 0.5 s into two cues with the same text), and the
 * sections, cut at both joints, are two chapters again. The captions are
 * read back as SubRip by the ffmpeg program (which breaks a line inside a
 * cue with CRLF), whose decoders differ: the WebVTT one escapes ASS
 * braces, mov_text keeps them. */
static void concat_keeps_captions_and_chapters(const char *extension, const char *first)
{
    const char *ranges[] = {"0:6", "6:18", "18:24"};
    char parts[3][256], joined[256];
    for (int i = 0; i < 3; i++) {
        snprintf(parts[i], sizeof parts[i], TMP_DIR "/cpart%d.%s", i, extension);
        render_ok((const char *const[]){"render", EXTRAS, "-o", parts[i], "--frames", ranges[i],
                                        "-y", "--quiet", NULL});
    }
    snprintf(joined, sizeof joined, TMP_DIR "/cjoined.%s", extension);
    render_ok((const char *const[]){"concat", parts[0], parts[1], parts[2], "-o", joined, "-y",
                                    "--quiet", NULL});
    run_result r = run_program((const char *const[]){"ffmpeg", "-v", "error", "-i", joined, "-map",
                                                     "0:s", "-f", "srt", "-", NULL});
    assert_int_equal(r.exit_code, 0);
    char expected[512];
    snprintf(expected, sizeof expected,
             "1\n00:00:00,250 --> 00:00:00,500\n%s\n\n"
             "2\n00:00:00,500 --> 00:00:00,750\n%s\n\n"
             "3\n00:00:01,000 --> 00:00:01,500\nTwo lines:\r\nthe second \\ here\n\n",
             first, first);
    assert_string_equal(r.out, expected);
    run_result_free(&r);
    r = run_program((const char *const[]){"ffprobe", "-v", "error", "-show_entries",
                                          "chapter=start_time,end_time:chapter_tags=title", "-of",
                                          "csv=p=0", joined, NULL});
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "0.000000,1.000000,Soft\n1.000000,2.000000,Hard\n");
    run_result_free(&r);
}

static void test_concat_keeps_captions_and_chapters(void **state)
{
    (void)state;
    concat_keeps_captions_and_chapters("mp4", "Keys {carry} values");
    concat_keeps_captions_and_chapters("webm", "Keys \\{carry\\} values");
}

/* Sound is refused, naming the part, and nothing is written. */
static void test_concat_refuses_sound(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/sound.wav", 0.5, 48000);
    write_scene("sound", "sound.wav", "0");
    const char *part = TMP_DIR "/sound_part.mp4", *joined = TMP_DIR "/sound_joined.mp4";
    render_ok((const char *const[]){"render", TMP_DIR "/sound.yaml", "-o", part, "--frames", "0:6",
                                    "-y", "--quiet", NULL});
    unlink(joined);
    run_result r = run_softknn((const char *const[]){"concat", part, part, "-o", joined, NULL});
    assert_int_equal(r.exit_code, 2);
    if (!strstr(r.err, TMP_DIR "/sound_part.mp4: part has sound, which concat cannot join"))
        fail_msg("unexpected message: %s", r.err);
    run_result_free(&r);
    assert_int_equal(access(joined, F_OK), -1);
}

/* The audio packets of path (data and timing), as the ffmpeg program
 * copies them out: one line each. */
static char *audio_packets(const char *path)
{
    run_result r =
        run_program((const char *const[]){"ffmpeg", "-v", "error", "-i", path, "-map", "0:a", "-c",
                                          "copy", "-f", "framemd5", "-", NULL});
    assert_int_equal(r.exit_code, 0);
    char *lines = r.out;
    r.out = NULL;
    run_result_free(&r);
    assert_non_null(lines);
    return lines;
}

/* Two ranges of a scene with sound, joined with --scene: the joined file
 * carries the same audio packets as the scene rendered in one piece (the
 * sound encoded once, on the same time line), and the tone where the scene
 * puts it. */
static void test_concat_lays_the_scenes_sound(void **state)
{
    (void)state;
    make_tone(TMP_DIR "/joined.wav", 0.5, 44100);
    write_scene("joined", "joined.wav", "0.25");
    const char *scene = TMP_DIR "/joined.yaml", *whole = TMP_DIR "/joined_whole.mp4";
    const char *parts[] = {TMP_DIR "/joined_a.mp4", TMP_DIR "/joined_b.mp4"};
    const char *ranges[] = {"0:5", "5:"};
    for (int i = 0; i < 2; i++)
        render_ok((const char *const[]){"render", scene, "-o", parts[i], "--frames", ranges[i],
                                        "-y", "--quiet", NULL});
    render_ok((const char *const[]){"render", scene, "-o", whole, "-y", "--quiet", NULL});
    const char *joined = TMP_DIR "/joined.mp4";
    render_ok((const char *const[]){"concat", parts[0], parts[1], "-o", joined, "--scene", scene,
                                    "-y", "--quiet", NULL});
    char *a = audio_packets(joined), *b = audio_packets(whole);
    assert_true(strlen(a) > 100); /* packets, not just a header */
    assert_string_equal(a, b);
    free(a);
    free(b);
    expect_tone(joined, 0.25, 0.75, EDGE_TOLERANCE);
}

/* --scene names a scene with no audio: refused, nothing written. */
static void test_concat_scene_without_sound(void **state)
{
    (void)state;
    const char *part = TMP_DIR "/silent_part.mp4", *joined = TMP_DIR "/silent_joined.mp4";
    render_ok((const char *const[]){"render", EXTRAS, "-o", part, "--frames", "0:6", "-y",
                                    "--quiet", NULL});
    unlink(joined);
    run_result r =
        run_softknn((const char *const[]){"concat", part, "-o", joined, "--scene", EXTRAS, NULL});
    assert_int_equal(r.exit_code, 2);
    if (!strstr(r.err, EXTRAS ": --scene: the scene has no audio"))
        fail_msg("unexpected message: %s", r.err);
    run_result_free(&r);
    assert_int_equal(access(joined, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mp4_has_mov_text_captions),
        cmocka_unit_test(test_sidecars),
        cmocka_unit_test(test_sidecar_of_a_range),
        cmocka_unit_test(test_sidecar_refusals),
        cmocka_unit_test(test_overlapping_captions),
        cmocka_unit_test(test_sections_become_chapters),
        cmocka_unit_test(test_audio_shorter_is_padded),
        cmocka_unit_test(test_audio_longer_is_trimmed),
        cmocka_unit_test(test_audio_is_interleaved),
        cmocka_unit_test(test_audio_positive_offset),
        cmocka_unit_test(test_audio_negative_offset),
        cmocka_unit_test(test_audio_from_mp3),
        cmocka_unit_test(test_audio_of_a_range),
        cmocka_unit_test(test_webm_and_mov_carry_extras),
        cmocka_unit_test(test_concat_keeps_captions_and_chapters),
        cmocka_unit_test(test_concat_refuses_sound),
        cmocka_unit_test(test_concat_lays_the_scenes_sound),
        cmocka_unit_test(test_concat_scene_without_sound),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
