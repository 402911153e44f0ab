"""The mix plan (pure layout) and the one-pass render: pauses, sting, ducking, outro tail, trimming, resampling."""

from __future__ import annotations

import numpy as np
import pytest

from briefing.mix import assemble
from briefing.models import Utterance

RATE = 44100
PAUSES = assemble.Pauses(sentence=350 * 44, paragraph=700 * 44, chapter=1000 * 44)
MUSIC = {"intro": 12 * RATE, "outro": 14 * RATE, "transition": int(1.5 * RATE)}
KINDS = ["opening", "story", "story", "closing"]


def utterances() -> list[Utterance]:
    # (chapter, paragraph) of each utterance: two paragraphs in the first story.
    where = [(0, 0), (0, 0), (1, 0), (1, 0), (1, 1), (2, 0), (3, 0), (3, 0)]
    return [Utterance(chapter=c, paragraph=p, written=f"w{i}", spoken=f"s{i}") for i, (c, p) in enumerate(where)]


def lengths() -> list[int]:
    return [RATE * (2 + i % 3) for i in range(8)]


@pytest.fixture
def layout() -> assemble.Layout:
    return assemble.plan_layout(KINDS, utterances(), lengths(), MUSIC, PAUSES, RATE)


def speech_cues(layout):
    return sorted((c for c in layout.cues if c.sound == "speech"), key=lambda c: c.utterance)


def test_speech_follows_the_intro_lead_and_is_separated_by_the_right_pauses(layout):
    cues = speech_cues(layout)
    u = utterances()
    assert cues[0].start == assemble.INTRO_LEAD_MS * RATE // 1000
    for before, after in zip(cues, cues[1:], strict=False):
        gap = after.start - (before.start + before.length)
        if u[before.utterance].chapter != u[after.utterance].chapter:
            sting = MUSIC["transition"] + PAUSES.sentence if KINDS[u[after.utterance].chapter] == "story" else 0
            assert gap == PAUSES.chapter + sting
        elif u[before.utterance].paragraph != u[after.utterance].paragraph:
            assert gap == PAUSES.paragraph
        else:
            assert gap == PAUSES.sentence


def test_each_story_opens_with_the_sting_and_its_chapter_starts_there(layout):
    stings = [c for c in layout.cues if c.sound == "transition"]
    assert [c.start for c in stings] == [layout.chapters[1].start, layout.chapters[2].start]
    for sting, chapter in zip(stings, layout.chapters[1:3], strict=True):
        first_word = speech_cues(layout)[chapter.utterances[0]]
        assert first_word.start == sting.start + MUSIC["transition"] + PAUSES.sentence


def test_chapters_tile_the_episode_in_order(layout):
    spans = layout.chapters
    assert spans[0].start == 0 and spans[-1].end == layout.length
    assert all(a.end == b.start for a, b in zip(spans, spans[1:], strict=False))
    assert [s.utterances for s in spans] == [(0, 1), (2, 3, 4), (5,), (6, 7)]


def test_intro_ducks_under_the_opening_and_the_outro_tail_follows_the_last_word(layout):
    intro = next(c for c in layout.cues if c.sound == "intro")
    outro = next(c for c in layout.cues if c.sound == "outro")
    first_word = speech_cues(layout)[0].start
    last_word = max(c.start + c.length for c in speech_cues(layout))
    gain = assemble.envelope_gain(intro.envelope, intro.length)
    assert gain[first_word // 2] == pytest.approx(1.0)
    assert 20 * np.log10(gain[first_word + RATE]) == pytest.approx(assemble.DUCK_DB, abs=0.01)
    assert gain[-1] < 1e-3  # faded out
    assert intro.start + intro.length <= layout.chapters[1].start + PAUSES.chapter
    outro_gain = assemble.envelope_gain(outro.envelope, outro.length)
    assert 20 * np.log10(outro_gain[last_word - outro.start - RATE]) == pytest.approx(assemble.DUCK_DB, abs=0.01)
    assert outro_gain[last_word - outro.start + 2 * RATE] == pytest.approx(1.0)
    assert layout.length - last_word >= assemble.OUTRO_TAIL_MS * RATE // 1000
    assert outro_gain[-1] < 1e-3 and outro.start + outro.length == layout.length


def test_cues_add_into_one_buffer(layout):
    speech = [np.full(n, 0.25, np.float32) for n in lengths()]
    music = {name: np.full(n, 0.5, np.float32) for name, n in MUSIC.items()}
    out = np.zeros(layout.length, np.float32)
    for cue in layout.cues:
        assemble.add_cue(out, cue, speech[cue.utterance] if cue.sound == "speech" else music[cue.sound])
    assert len(out) == layout.length and out.dtype == np.float32
    cue = speech_cues(layout)[3]
    middle = cue.start + cue.length // 2
    assert out[middle] == pytest.approx(0.25)  # a story's speech has no music under it
    assert out[RATE] == pytest.approx(0.5)  # the intro alone, at full level


def test_trim_keeps_the_sound_and_drops_the_silent_edges():
    x = np.zeros(RATE, np.float32)
    x[10000:20000] = np.sin(np.arange(10000) / 5)
    first, last = assemble.trim_bounds(x, RATE)
    keep = assemble.TRIM_KEEP_MS
    assert 10000 - keep[0] * RATE // 1000 <= first <= 10000
    assert 20000 <= last <= 20000 + keep[1] * RATE // 1000
    assert assemble.trim_bounds(np.zeros(100, np.float32), RATE) == (0, 0)


@pytest.mark.parametrize("n", [0, 1, 999, 22050, 31337])
def test_resampled_length_is_what_the_resampler_gives(n):
    x = np.random.default_rng(n).standard_normal(n).astype(np.float32)
    assert len(assemble.to_rate(x, 22050, RATE)) == assemble.resampled_length(n, 22050, RATE)
    assert len(assemble.to_rate(x, 24000, RATE)) == assemble.resampled_length(n, 24000, RATE)


@pytest.mark.parametrize("rate", [22050, 11025])
def test_whole_number_upsampling_gives_what_scipys_resampler_gives(rate):
    from scipy.signal import resample_poly

    x = np.random.default_rng(rate).standard_normal(rate * 2).astype(np.float32)
    ours, theirs = assemble.to_rate(x, rate, RATE), resample_poly(x, RATE // rate, 1)
    assert ours.dtype == np.float32 and len(ours) == len(theirs)
    assert np.max(np.abs(ours - theirs)) < 1e-5


def test_resampling_keeps_a_tone_at_its_pitch():
    tone = np.sin(2 * np.pi * 440 * np.arange(22050) / 22050).astype(np.float32)
    up = assemble.to_rate(tone, 22050, RATE)
    spectrum = np.abs(np.fft.rfft(up))
    assert np.fft.rfftfreq(len(up), 1 / RATE)[np.argmax(spectrum)] == pytest.approx(440, abs=2)


def test_a_script_without_a_closing_still_gets_its_outro_after_the_last_chapter():
    layout = assemble.plan_layout(["opening", "story"], utterances()[:5], lengths()[:5], MUSIC, PAUSES, RATE)
    outro = next(c for c in layout.cues if c.sound == "outro")
    last_word = max(c.start + c.length for c in layout.cues if c.sound == "speech")
    assert outro.start >= last_word
    assert layout.length == outro.start + outro.length


def test_the_outro_bed_never_starts_under_the_previous_chapters_words():
    short_pauses = assemble.Pauses(sentence=100 * 44, paragraph=200 * 44, chapter=300 * 44)
    layout = assemble.plan_layout(KINDS, utterances(), lengths(), MUSIC, short_pauses, RATE)
    outro = next(c for c in layout.cues if c.sound == "outro")
    story_words_end = max(c.start + c.length for c in layout.cues if c.sound == "speech" and c.utterance < 6)
    assert outro.start >= story_words_end
    assert layout.chapters[-1].start >= story_words_end


def test_with_a_frame_size_chapters_start_on_frames_and_an_edit_moves_later_ones_by_whole_frames():
    frame = 1152
    aligned = assemble.plan_layout(KINDS, utterances(), lengths(), MUSIC, PAUSES, RATE, frame=frame)
    longer = lengths()
    longer[3] += 1000  # an edit in the first story
    edited = assemble.plan_layout(KINDS, utterances(), longer, MUSIC, PAUSES, RATE, frame=frame)

    cue_starts = [c.start for c in aligned.cues if c.sound == "transition"]
    assert all(start % frame == 0 for start in cue_starts) and aligned.length % frame == 0
    speech = speech_cues(aligned)
    for cut, chapter in zip(aligned.cuts, aligned.chapters[1:], strict=True):
        previous_word = speech[chapter.utterances[0] - 1]
        assert cut % frame == 0 and cut >= previous_word.start + previous_word.length + PAUSES.chapter // 2 - frame
    # Stories: the cut is in their chapter pause.
    for cut, chapter in zip(aligned.cuts, aligned.chapters[1:-1], strict=False):
        assert chapter.start % frame == 0 and 0 < chapter.start - cut <= PAUSES.chapter // 2
    # Everything after the edited story keeps its place relative to its chapter, which moves by whole frames.
    shift = edited.chapters[2].start - aligned.chapters[2].start
    assert shift > 0 and shift % frame == 0
    assert [c.start + shift for c in aligned.cues if c.start >= aligned.cuts[1]] == [
        c.start for c in edited.cues if c.start >= edited.cuts[1]
    ]
    assert edited.length - aligned.length == shift
