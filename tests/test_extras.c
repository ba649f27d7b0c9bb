/* test_extras.c — the pure parts of the extras (the audio plan, a scene's
 * captions and sections cut to a range) and the muxer hook itself on a WebM
 * muxer opened here, as a WebM sink will call it: WebVTT subtitles, Opus
 * audio, chapters; and a container without a row gets nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libavformat/avformat.h>

#include "encode/mux_extras.h"
#include "render/scene_extras.h"
#include "scene/scene.h"

#define assert_near(a, b) assert_true(fabs((double)(a) - (double)(b)) < 1e-9)

/* ---- the audio plan ------------------------------------------------------- */

static void test_audio_plan(void **state)
{
    (void)state;
    /* 2 s at 48 kHz = 96000 samples; 0.5 s = 24000 */
    sk_audio_plan p = sk_audio_plan_make(0.5, 2.0, 48000);
    assert_int_equal(p.total, 96000);
    assert_int_equal(p.lead, 24000);
    assert_int_equal(p.skip, 0);
    p = sk_audio_plan_make(-0.25, 2.0, 48000);
    assert_int_equal(p.lead, 0);
    assert_int_equal(p.skip, 12000);
    /* an offset beyond the end: silence all through */
    p = sk_audio_plan_make(5.0, 1.0, 48000);
    assert_int_equal(p.total, 48000);
    assert_int_equal(p.lead, 48000);
    /* 1/12 s at 44.1 kHz = 3675 samples exactly */
    p = sk_audio_plan_make(0.0, 1.0 / 12, 44100);
    assert_int_equal(p.total, 3675);
    assert_int_equal(p.lead + p.skip, 0);
}

/* ---- cues ------------------------------------------------------------------ */

static void assert_cue(const sk_timed_text *cue, double start, double end, const char *text)
{
    assert_near(cue->start, start);
    assert_near(cue->end, end);
    assert_string_equal(cue->text, text);
}

/* Given out of order, with an overlap: c 5..6, b 1..3, a 0..2, d 6..7.
 * In time: a alone 0..1, a over b 1..2 (a started first), b alone 2..3,
 * then c and d back to back (c's end is not an overlap with d). */
static void test_cues_sorted_and_flattened(void **state)
{
    (void)state;
    const sk_timed_text in[] = {{5, 6, "c"}, {1, 3, "b"}, {0, 2, "a"}, {6, 7, "d"}};
    sk_cues cues;
    assert_int_equal(sk_cues_make(in, 4, &cues, NULL), SK_OK);
    assert_int_equal(cues.count, 5);
    assert_cue(&cues.cues[0], 0, 1, "a");
    assert_cue(&cues.cues[1], 1, 2, "a\nb");
    assert_cue(&cues.cues[2], 2, 3, "b");
    assert_cue(&cues.cues[3], 5, 6, "c");
    assert_cue(&cues.cues[4], 6, 7, "d");
    sk_cues_free(&cues);
    sk_cues_free(&cues); /* twice is fine */

    /* One caption inside another: the outer one resumes alone after. */
    const sk_timed_text nested[] = {{0, 4, "outer"}, {1, 2, "inner"}};
    assert_int_equal(sk_cues_make(nested, 2, &cues, NULL), SK_OK);
    assert_int_equal(cues.count, 3);
    assert_cue(&cues.cues[0], 0, 1, "outer");
    assert_cue(&cues.cues[1], 1, 2, "outer\ninner");
    assert_cue(&cues.cues[2], 2, 4, "outer");
    sk_cues_free(&cues);

    assert_int_equal(sk_cues_make(NULL, 0, &cues, NULL), SK_OK);
    assert_int_equal(cues.count, 0);
    sk_cues_free(&cues);
}

/* ---- a scene's extras on a range's timeline ------------------------------- */

static const char scene_text[] = "video: {size: [320, 180], fps: 10, duration: 3}\n"
                                 "audio: {file: tests/scenes/tiny.yaml, offset: 0.5}\n"
                                 "text:\n"
                                 "  captions:\n"
                                 "    - {start: 0, end: 1, text: one}\n"
                                 "    - {start: 1.2, end: 1.8, text: two}\n"
                                 "    - {start: 2, end: 3, text: three}\n"
                                 "sections:\n"
                                 "  - {name: A, start: 0, end: 1.5}\n"
                                 "  - {name: B, start: 1.5, end: 3}\n"
                                 "keys: [{at: [0, 0], value: red}]\n";

/* Frames 5..24 at 10 fps are 0.5 .. 2.5 s: "one" keeps 0.5 .. 1 (0 .. 0.5
 * in the output), "two" moves to 0.7 .. 1.3, "three" is cut to 1.5 .. 2;
 * the sections become 0 .. 1 and 1 .. 2; the audio, 0.5 s into the scene,
 * starts at the output's 0. */
static void test_scene_extras_of_a_range(void **state)
{
    (void)state;
    sk_scene *scene = NULL;
    sk_error err = {0};
    if (sk_scene_load_string(scene_text, "extras.yaml", &scene, &err) != SK_OK)
        fail_msg("%s", err.message);
    sk_scene_extras x;
    assert_int_equal(sk_scene_extras_make(scene, 5, 25, &x, &err), SK_OK);
    const sk_extras *e = &x.extras;
    assert_near(e->duration, 2.0);
    assert_near(e->audio_offset, 0.0);
    assert_string_equal(e->audio_path, "tests/scenes/tiny.yaml");
    assert_int_equal(e->caption_count, 3);
    assert_string_equal(e->captions[0].text, "one");
    assert_near(e->captions[0].start, 0.0);
    assert_near(e->captions[0].end, 0.5);
    assert_near(e->captions[1].start, 0.7);
    assert_near(e->captions[1].end, 1.3);
    assert_near(e->captions[2].start, 1.5);
    assert_near(e->captions[2].end, 2.0);
    assert_int_equal(e->chapter_count, 2);
    assert_string_equal(e->chapters[1].text, "B");
    assert_near(e->chapters[0].end, 1.0);
    assert_near(e->chapters[1].start, 1.0);
    assert_near(e->chapters[1].end, 2.0);
    sk_scene_extras_free(&x);

    /* Frames 20..29 (2 .. 3 s): only "three" and B remain; audio 1.5 s
     * before the output starts. */
    assert_int_equal(sk_scene_extras_make(scene, 20, 30, &x, &err), SK_OK);
    assert_int_equal(x.extras.caption_count, 1);
    assert_string_equal(x.extras.captions[0].text, "three");
    assert_near(x.extras.captions[0].start, 0.0);
    assert_near(x.extras.captions[0].end, 1.0);
    assert_int_equal(x.extras.chapter_count, 1);
    assert_string_equal(x.extras.chapters[0].text, "B");
    assert_near(x.extras.audio_offset, -1.5);
    sk_scene_extras_free(&x);
    sk_scene_free(scene);
}

/* ---- the hook on other containers ------------------------------------------ */

#define TONE_RATE 16000
#define TONE_SECONDS 2

/* A mono 16-bit WAV of a 440 Hz tone, written byte by byte (RIFF header as
 * the WAVE spec lays it out), so the test needs no encoder of its own. */
static void write_wav(const char *path)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    uint32_t samples = TONE_RATE * TONE_SECONDS, data = samples * 2;
    uint8_t h[44] = "RIFF....WAVEfmt ";
    uint32_t riff = 36 + data, fmt = 16, rate = TONE_RATE, bytes_per_s = TONE_RATE * 2;
    memcpy(h + 4, &riff, 4); /* little-endian host: as the format wants */
    memcpy(h + 16, &fmt, 4);
    h[20] = 1; /* PCM */
    h[22] = 1; /* one channel */
    memcpy(h + 24, &rate, 4);
    memcpy(h + 28, &bytes_per_s, 4);
    h[32] = 2;  /* bytes per frame */
    h[34] = 16; /* bits per sample */
    memcpy(h + 36, "data", 4);
    memcpy(h + 40, &data, 4);
    assert_int_equal(fwrite(h, 1, sizeof h, f), sizeof h);
    for (uint32_t i = 0; i < samples; i++) {
        int16_t v = (int16_t)(8000 * sin(2 * M_PI * 440 * i / TONE_RATE));
        assert_int_equal(fwrite(&v, 2, 1, f), 1);
    }
    assert_int_equal(fclose(f), 0);
}

static const sk_timed_text captions[] = {{0.25, 0.75, "first"}, {1.0, 1.5, "second"}};
static const sk_timed_text chapters[] = {{0, 1, "Soft"}, {1, 2, "Hard"}};

/* Opens muxer `format` at path, runs the hook around the header as a sink
 * would, and closes the file. */
static void mux_with_extras(const char *format, const char *path, const sk_extras *extras)
{
    AVFormatContext *mux = NULL;
    assert_true(avformat_alloc_output_context2(&mux, NULL, format, path) >= 0);
    sk_mux_extras *x = NULL;
    sk_error err = {0};
    if (sk_mux_extras_open(mux, extras, path, &x, &err) != SK_OK)
        fail_msg("%s", err.message);
    if (mux->nb_streams > 0) {
        assert_true(avio_open(&mux->pb, path, AVIO_FLAG_WRITE) >= 0);
        assert_true(avformat_write_header(mux, NULL) >= 0);
        if (sk_mux_extras_write(x, &err) != SK_OK)
            fail_msg("%s", err.message);
        assert_true(av_write_trailer(mux) >= 0);
        assert_true(avio_closep(&mux->pb) >= 0);
    }
    sk_mux_extras_free(x);
    avformat_free_context(mux);
}

/* Opus starts with 312 samples of encoder delay (6.5 ms) at a negative
 * time; the WebM muxer moves every stream later by that much, rounded up to
 * its millisecond clock, so that no time is negative. */
#define OPUS_SHIFT 0.0075

static void test_webm_gets_webvtt_opus_and_chapters(void **state)
{
    (void)state;
    if (!av_guess_format("webm", NULL, NULL) || !avcodec_find_encoder_by_name("libopus"))
        fail_msg("this FFmpeg has no webm muxer or libopus encoder");
    const char *wav = SK_TEST_TMP "/extras_tone.wav", *webm = SK_TEST_TMP "/extras.webm";
    write_wav(wav);
    /* 1.99 s is 95520 samples at 48 kHz: 99.5 Opus frames of 960, so the
     * last one is short. */
    sk_extras extras = {captions, 2, chapters, 2, wav, 0.0, 1.99};
    mux_with_extras("webm", webm, &extras);

    AVFormatContext *in = NULL;
    assert_true(avformat_open_input(&in, webm, NULL, NULL) >= 0);
    assert_true(avformat_find_stream_info(in, NULL) >= 0);
    assert_int_equal(in->nb_streams, 2);
    int subtitle = -1, audio = -1;
    for (unsigned i = 0; i < in->nb_streams; i++) {
        const AVCodecParameters *p = in->streams[i]->codecpar;
        if (p->codec_id == AV_CODEC_ID_WEBVTT)
            subtitle = (int)i;
        if (p->codec_id == AV_CODEC_ID_OPUS && p->sample_rate == 48000)
            audio = (int)i;
    }
    assert_true(subtitle >= 0 && audio >= 0);
    assert_int_equal(in->nb_chapters, 2);
    const AVDictionaryEntry *title = av_dict_get(in->chapters[1]->metadata, "title", NULL, 0);
    assert_non_null(title);
    assert_string_equal(title->value, "Hard");
    assert_near(in->chapters[1]->start * av_q2d(in->chapters[1]->time_base), 1.0);

    /* The two captions as packets: their texts and times; and the audio's
     * last packet ends at the 1.99 s the extras asked for (within the
     * muxer's shift). */
    AVPacket *pkt = av_packet_alloc();
    int cues = 0;
    double audio_end = 0;
    while (av_read_frame(in, pkt) >= 0) {
        double tb = av_q2d(in->streams[pkt->stream_index]->time_base);
        if (pkt->stream_index == subtitle) {
            assert_true(cues < 2);
            assert_int_equal(pkt->size, (int)strlen(captions[cues].text));
            assert_memory_equal(pkt->data, captions[cues].text, pkt->size);
            assert_true(fabs(pkt->pts * tb - captions[cues].start) < OPUS_SHIFT);
            assert_true(fabs((pkt->pts + pkt->duration) * tb - captions[cues].end) < OPUS_SHIFT);
            cues++;
        } else if (pkt->stream_index == audio) {
            audio_end = fmax(audio_end, (pkt->pts + pkt->duration) * tb);
        }
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    avformat_close_input(&in);
    assert_int_equal(cues, 2);
    if (fabs(audio_end - 1.99) > OPUS_SHIFT)
        fail_msg("the audio ends at %.4f s, not 1.99 s", audio_end);
}

/* A muxer without a row in the table (NUT) is left as it was. */
static void test_unknown_container_gets_nothing(void **state)
{
    (void)state;
    sk_extras extras = {captions, 2, chapters, 2, NULL, 0.0, 2.0};
    AVFormatContext *mux = NULL;
    assert_true(avformat_alloc_output_context2(&mux, NULL, "nut", SK_TEST_TMP "/x.nut") >= 0);
    sk_mux_extras *x = NULL;
    assert_int_equal(sk_mux_extras_open(mux, &extras, "x.nut", &x, NULL), SK_OK);
    assert_int_equal(mux->nb_streams, 0);
    assert_int_equal(mux->nb_chapters, 0);
    sk_mux_extras_free(x);
    avformat_free_context(mux);
}

/* Not audio: SK_EINPUT naming the file, and nothing left behind (ASan). */
static void test_audio_probe(void **state)
{
    (void)state;
    sk_error err = {0};
    assert_int_equal(sk_audio_probe("tests/bad_render/data/not_audio.wav", &err), SK_EINPUT);
    assert_non_null(strstr(err.message, "tests/bad_render/data/not_audio.wav: "));
    const char *wav = SK_TEST_TMP "/extras_probe.wav";
    write_wav(wav);
    assert_int_equal(sk_audio_probe(wav, &err), SK_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audio_plan),
        cmocka_unit_test(test_cues_sorted_and_flattened),
        cmocka_unit_test(test_scene_extras_of_a_range),
        cmocka_unit_test(test_webm_gets_webvtt_opus_and_chapters),
        cmocka_unit_test(test_unknown_container_gets_nothing),
        cmocka_unit_test(test_audio_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
