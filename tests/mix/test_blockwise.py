"""The mix in blocks: any stretch rendered from the layout equals the whole buffer, and an hour-long episode is
read, measured, hashed, limited, encoded and written without a buffer of its length (tracemalloc counts numpy's)."""

from __future__ import annotations

import functools
import itertools
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pytest

from briefing.errors import BriefingError
from briefing.mix import assemble, levels, loudness, mp3, segments
from briefing.mix.beds import EpisodeBeds
from briefing.mix.encode import encode_frames, write_frame_runs, write_frames
from briefing.mix.levels import LevelsWhileSpeaking
from briefing.mix.loudness import gain, meter
from briefing.mix.mastering import Levels
from briefing.mix.mixdown import SpeechUnderWay
from briefing.mix.render import ClipSummary, EpisodeMix, SpeechClips
from briefing.models import Clip, Utterance
from briefing.speech import synthesis
from briefing.speech.cache import ClipCache
from briefing.speech.engines.base import clip_from_float
from briefing.speech.engines.espeak_engine import EspeakEngine

RATE = 44100
F = mp3.FRAME_SAMPLES
PAUSES = assemble.Pauses(sentence=350 * 44, paragraph=700 * 44, chapter=1000 * 44)
FLOAT32 = 4


def music(seconds: float, pitch: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.sin(2 * np.pi * pitch * t)).astype(np.float32)


MUSIC = {"intro": music(12, 220), "outro": music(14, 330), "transition": music(1.5, 440)}
LEVELS = {"intro": -3.0, "outro": -2.5, "transition": -6.0}


def synthetic_clip(index: int, rate: int = 22050) -> Clip:
    """A short 'utterance': a tone burst between silent edges, a little different for every index."""
    n = rate * (2 + index % 3) // 2
    t = np.arange(n) / rate
    tone = 0.4 * np.sin(2 * np.pi * (150 + 7 * (index % 40)) * t) * np.hanning(n)
    return clip_from_float(np.concatenate([np.zeros(rate // 10), tone, np.zeros(rate // 5)]), rate)


def episode(chapters: int, per_chapter: int, load: Callable[[int], Clip] = synthetic_clip) -> EpisodeMix:
    """An episode of `chapters` (an opening, stories, a closing) of `per_chapter` utterances each."""
    kinds = ["opening", *["story"] * (chapters - 2), "closing"]
    utterances = [
        Utterance(chapter=c, paragraph=i // 4, written=f"w{c}.{i}", spoken=f"s{c}.{i}")
        for c in range(chapters)
        for i in range(per_chapter)
    ]
    speech = SpeechClips(load, [ClipSummary.of(load(index), RATE) for index in range(len(utterances))], RATE)
    lengths = {name: len(sound) for name, sound in MUSIC.items()}
    layout = assemble.plan_layout(kinds, utterances, speech.lengths(), lengths, PAUSES, RATE, frame=F)
    return EpisodeMix(layout, speech, MUSIC, LEVELS)


def whole_buffer(mix: EpisodeMix) -> np.ndarray:
    """The mix written into one buffer, cue by cue: speech first, then music (what `render` must agree with)."""
    buffer = np.zeros(mix.length, np.float32)
    for cue in mix.layout.cues:
        if cue.sound == "speech":
            assemble.add_cue(buffer, cue, mix.speech.piece(cue.utterance))
    for cue in mix.layout.cues:
        if cue.sound in MUSIC:
            assemble.add_cue(buffer, cue, MUSIC[cue.sound], gain_db=LEVELS[cue.sound])
    return buffer


# ------------------------------------------------------------------------------------------------------ render


def test_any_stretch_rendered_is_sample_for_sample_the_whole_buffers():
    mix = episode(chapters=4, per_chapter=5)
    whole = whole_buffer(mix)
    rng = np.random.default_rng(1)
    edges = sorted({0, mix.length, *rng.integers(0, mix.length, 30).tolist()})
    pieces = [mix.render(a, b) for a, b in itertools.pairwise(edges)]
    assert np.array_equal(np.concatenate(pieces), whole)
    for a, b in rng.integers(0, mix.length, (20, 2)).tolist():
        a, b = min(a, b), max(a, b)
        assert np.array_equal(mix.render(a, b), whole[a:b])
    assert len(mix.render(mix.length - 10, mix.length + 500)) == 10  # nothing past the end


def test_the_speech_alone_leaves_the_music_out():
    mix = episode(chapters=3, per_chapter=3)
    intro = next(cue for cue in mix.layout.cues if cue.sound == "intro")
    first_word = min(cue.start for cue in mix.layout.cues if cue.sound == "speech")
    assert np.max(np.abs(mix.render_speech(0, first_word))) == 0.0
    assert np.max(np.abs(mix.render(intro.start, first_word))) > 0.1


def test_a_rendered_stretch_belongs_to_the_caller():
    mix = episode(chapters=3, per_chapter=3)
    cue = next(cue for cue in mix.layout.cues if cue.sound == "speech")
    first = mix.render(cue.start, cue.start + 1000)
    first[:] = 0.0
    assert np.max(np.abs(mix.render(cue.start, cue.start + 1000))) > 0.0


# ------------------------------------------------------------------------------------------------ flat memory


@functools.cache
def hour_long() -> EpisodeMix:
    """About an hour: 140 chapters of 12 utterances (clips 1–1.5 s, at the episode's rate so that reading them is
    quick), every clip made when the mix reads it, as the speech cache would give it."""
    mix = episode(chapters=140, per_chapter=12, load=lambda index: synthetic_clip(index, RATE))
    assert mix.length > 55 * 60 * RATE
    return mix


def traced_peak(work: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_hour_is_measured_and_fingerprinted_without_a_buffer_of_its_length():
    mix = hour_long()
    measured, peak = traced_peak(lambda: loudness.integrated_loudness(mix, RATE, parts=2))
    episode_bytes = mix.length * FLOAT32
    assert peak < episode_bytes / 20, f"{peak / 1e6:.0f} MB for a {episode_bytes / 1e6:.0f} MB episode"
    assert -30 < measured < -10
    spans = segments.segment_spans(mix.length, mix.layout.cuts)
    keys, peak = traced_peak(lambda: [mix.fingerprint(start, end) for start, end in spans])
    assert len(keys) == 140 and peak < 1e6  # found without rendering a sample
    # The synthetic clips come round every 40 utterances: so do whole chapters, which are then the same samples.
    assert keys[1] != keys[2] and keys[1] == keys[11]


def test_a_fingerprint_names_exactly_the_samples_a_stretch_renders():
    mix = episode(chapters=5, per_chapter=4)
    spans = segments.segment_spans(mix.length, mix.layout.cuts)
    (a, b), (c, d) = spans[1], spans[2]
    assert mix.fingerprint(a, b) != mix.fingerprint(c, d)
    # The same utterances placed in another episode, moved by whole frames, are the same samples and fingerprint.
    longer = episode(chapters=5, per_chapter=4, load=lambda i: synthetic_clip(i if i else 7))
    shift = longer.layout.cuts[1] - mix.layout.cuts[1]
    assert shift != 0
    assert longer.fingerprint(c + shift, d + shift) == mix.fingerprint(c, d)
    assert np.array_equal(longer.render(c + shift, d + shift), mix.render(c, d))
    # Louder music is other samples.
    louder = mix.with_music_levels({**LEVELS, "transition": -5.0})
    assert louder.fingerprint(c, d) != mix.fingerprint(c, d) and louder.fingerprint(0, 10) == mix.fingerprint(0, 10)


def test_an_hours_probe_and_cuts_are_read_in_small_pieces():
    mix = hour_long()
    probe, peak = traced_peak(lambda: gain.Probe.read(mix))
    assert len(probe.blocks) <= gain.MAX_PROBE_BLOCKS
    assert peak < 40e6
    cuts, peak = traced_peak(lambda: segments.silent_cuts(mix, mix.layout.cuts))
    assert cuts == list(mix.layout.cuts) and peak < 1e6


def test_the_probe_of_a_short_episode_is_every_tenth_block():
    length = 293 * gain.PROBE_BLOCK
    assert [b[1] // gain.PROBE_BLOCK for b in gain.probe_blocks(length)] == list(range(5, 293, 10))
    three_hours = 3 * 3600 * RATE
    assert gain.MAX_PROBE_BLOCKS // 2 <= len(gain.probe_blocks(three_hours)) <= gain.MAX_PROBE_BLOCKS
    # A longer episode takes some of the stretches a shorter one takes, never others.
    counts = [12, 100, 401, 802, 3634]
    for shorter, longer in itertools.pairwise(counts):
        assert set(gain.probe_indices(longer)) - set(gain.probe_indices(shorter)) <= set(range(shorter, longer))


def test_a_long_segment_is_limited_and_encoded_a_block_at_a_time(monkeypatch):
    # Blocks of 0.75 s rather than 6 s, so that what one block needs is small beside two minutes of audio.
    monkeypatch.setattr(meter, "BLOCK", 1 << 15)
    mix = episode(chapters=2, per_chapter=60)  # one long chapter and the closing
    start, end = 0, mix.layout.cuts[0]
    assert end - start > 90 * RATE
    mastering = segments.Mastering(gain_db=9.0, ceiling_dbtp=-1.5, rate=RATE, bitrate_kbps=96)
    frames, peak = traced_peak(lambda: mastering.frames(mix, start, end))
    segment_bytes = (end - start) * FLOAT32
    # Its encoded frames (a fifteenth of its samples' size) are all that grows with it.
    assert peak < segment_bytes / 2, f"{peak / 1e6:.0f} MB for a {segment_bytes / 1e6:.0f} MB segment"
    # What it encoded is the segment limited as a whole would be.
    whole = mix.render(start, end)
    loudness.apply_gain_and_limit(whole, 9.0, -1.5, RATE)
    assert frames == encode_frames(whole, RATE, 96)


def test_an_episode_file_is_written_a_segment_at_a_time_with_the_same_bytes(tmp_path):
    mix = episode(chapters=5, per_chapter=4)
    cache = segments.SegmentCache(tmp_path / "cache")
    mastering = segments.Mastering(gain_db=6.0, ceiling_dbtp=-1.5, rate=RATE, bitrate_kbps=96)
    encoded = segments.encode_segments(mix, mix.layout.cuts, mastering, cache)
    assert (encoded.encoded, encoded.reused) == (5, 0)
    streamed, joined = tmp_path / "streamed.mp3", tmp_path / "joined.mp3"
    encoded.write(streamed)
    write_frames(joined, encoded.frames)
    assert streamed.read_bytes() == joined.read_bytes()
    # A cache entry gone between encoding and writing is encoded again rather than lost.
    cache.file(encoded.keys[2]).unlink()
    encoded.write(streamed)
    assert streamed.read_bytes() == joined.read_bytes()


def test_frames_written_in_runs_read_back_exactly(tmp_path):
    signal = np.concatenate([music(1.0, 200), np.zeros(F * 10, np.float32), music(0.5, 300)])
    signal = signal[: len(signal) // F * F]
    frames = encode_frames(signal, RATE, 96)
    one, runs = tmp_path / "one.mp3", tmp_path / "runs.mp3"
    write_frames(one, frames)
    write_frame_runs(runs, [frames[:1], frames[1:17], [], frames[17:40], frames[40:]])
    assert one.read_bytes() == runs.read_bytes()


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 5000, 70_000])
def test_the_crc_fed_in_pieces_is_the_crc_of_the_whole(size):
    data = np.random.default_rng(size).integers(0, 256, size, dtype=np.uint8).tobytes()
    crc = mp3.Crc16()
    for a, b in itertools.pairwise([0, 7, 1500, 3000, size]):
        crc.update(data[a:b])
    assert crc.value() == mp3.crc16(data) == _crc16_bitwise(data)


def _crc16_bitwise(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


# ------------------------------------------------------------------------------------------- speech on demand


def test_clips_are_spoken_into_the_cache_and_read_back_when_the_mix_needs_them(tmp_path, monkeypatch):
    monkeypatch.setattr(synthesis, "CHUNK", 2)  # several calls to the engine, each with at most 2 texts
    engine = EspeakEngine()
    calls: list[int] = []
    many = engine.synthesize_many
    monkeypatch.setattr(
        engine, "synthesize_many", lambda texts, on_done=None: calls.append(len(texts)) or many(texts, on_done)
    )
    texts = ["첫 문장입니다.", "두 번째 문장입니다.", "…", "첫 문장입니다.", "세 번째 문장.", "네 번째 문장."]
    cache = ClipCache(tmp_path)

    speaking = SpeechUnderWay([(engine, text) for text in texts], cache, RATE)
    speech, synthesised = speaking.speech, len(speaking.result())

    assert synthesised == 4 and calls == [2, 2]
    assert speech.summaries[2].length == 0 and speech.summaries[0] == speech.summaries[3]
    stored = cache.get(engine.identity(), texts[1])
    summary = speech.summaries[1]
    assert summary == ClipSummary.of(stored, RATE)
    resampled = assemble.to_rate(np.asarray(stored.samples)[summary.first : summary.last], stored.sample_rate, RATE)
    assert np.array_equal(speech.piece(1), resampled) and len(resampled) == summary.length
    # A rebuild finds them all, and reads the same clips back.
    speaking = SpeechUnderWay([(engine, text) for text in texts], cache, RATE)
    again, synthesised = speaking.speech, len(speaking.result())
    assert synthesised == 0 and again.summaries == speech.summaries
    # A clip lost from the cache mid-build is one clear error naming it.
    cache.path(engine.identity(), texts[4]).unlink()
    with pytest.raises(BriefingError, match="lost the clip"):
        again.piece(4)


def test_speech_under_way_is_followed_from_another_thread_and_its_failure_reaches_the_caller(tmp_path):
    engine = EspeakEngine()
    texts = ["첫 문장입니다.", "두 번째 문장입니다.", "첫 문장입니다.", "세 번째 문장."]
    cache = ClipCache(tmp_path)
    speaking = SpeechUnderWay([(engine, text) for text in texts], cache, RATE)
    ready, done = speaking.speech.wait_for(0)  # followed while it speaks
    assert ready >= 1
    assert speaking.result() == (0, 1, 3)  # each distinct line's first position, synthesised now
    assert speaking.speech.wait_for(len(texts) - 1) == (len(texts), True)
    assert speaking.speech.summaries[0] == speaking.speech.summaries[2]

    class Broken(EspeakEngine):
        def synthesize_many(self, texts, on_done=None):
            raise BriefingError("the engine broke")

    failing = SpeechUnderWay([(Broken(), "다른 문장입니다.")], cache, RATE)
    with pytest.raises(BriefingError, match="the engine broke"):
        failing.result()
    assert failing.speech.wait_for(0) == (0, True)  # closed: a follower stops waiting


def test_speech_under_way_stops_between_chunks_when_the_build_fails_meanwhile(tmp_path, monkeypatch):
    monkeypatch.setattr(synthesis, "CHUNK", 1)
    engine = EspeakEngine()
    spoken: list[str] = []
    many = engine.synthesize_many

    def slowly(texts, on_done=None):
        spoken.extend(texts)
        time.sleep(0.1)
        return many(texts, on_done)

    monkeypatch.setattr(engine, "synthesize_many", slowly)
    texts = ["하나입니다.", "둘입니다.", "셋입니다.", "넷입니다.", "다섯입니다.", "여섯입니다.", "일곱입니다."]
    cache = ClipCache(tmp_path)
    speaking = SpeechUnderWay([(engine, text) for text in texts], cache, RATE)
    speaking.stop()
    assert len(spoken) < len(texts)  # no further chunk once stopped
    assert [text for text in texts if cache.get(engine.identity(), text) is not None] == spoken  # what was, is kept
    assert speaking.speech.wait_for(len(texts) - 1)[1]  # closed: a follower stops waiting


# ----------------------------------------------------------------------------------------- levels while speaking


@pytest.mark.parametrize("chapters, per_chapter", [(8, 8), (16, 24)])  # 2½ minutes; 13 (its excerpt is read early)
def test_the_mix_is_metered_while_its_clips_arrive_exactly_as_in_one_pass(chapters, per_chapter):
    kinds = ["opening", *["story"] * (chapters - 2), "closing"]
    utterances = [
        Utterance(chapter=c, paragraph=i // 3, written=f"w{c}.{i}", spoken=f"s{c}.{i}")
        for c in range(len(kinds))
        for i in range(per_chapter)
    ]
    summaries = [ClipSummary.of(synthetic_clip(index), RATE) for index in range(len(utterances))]
    beds = EpisodeBeds(**MUSIC)
    speech = SpeechClips.arriving(synthetic_clip, len(utterances), RATE)
    excerpts: list[gain.Probe] = []
    following = LevelsWhileSpeaking(
        speech, kinds, utterances, beds, PAUSES, RATE, codec=lambda e: excerpts.append(e) or 0.25
    )
    for index, summary in enumerate(summaries):  # one by one, as a synthesiser hands them over
        speech.add([index], summary)
        if index % 5 == 0:
            time.sleep(0.002)
    speech.close()
    found = following.result()

    layout = assemble.plan_layout(kinds, utterances, speech.lengths(), beds.lengths(), PAUSES, RATE, frame=F)
    whole = EpisodeMix(layout, SpeechClips(synthetic_clip, summaries, RATE), MUSIC, found.music_db)
    assert found.measured.lufs == loudness.integrated_loudness(whole, RATE)  # to the last bit
    # The probe blocks gathered on the way are the finished mix's.
    probe = gain.Probe.read(whole)
    assert found.measured.probe.blocks == probe.blocks
    assert all(np.array_equal(a, b) for a, b in zip(found.measured.probe.windows, probe.windows, strict=True))
    # So is the excerpt the encoder is tried on, once.
    (excerpt,) = excerpts
    expected = gain.Probe.read(whole, gain.codec_indices)
    assert excerpt.blocks == expected.blocks and found.measured.codec_loss_lu == 0.25
    assert all(np.array_equal(a, b) for a, b in zip(excerpt.windows, expected.windows, strict=True))
    assert found.kept is None and set(found.music_db) == set(MUSIC)
    # The music is set against the speech's first minute.
    first_minute = levels.speech_loudness(whole.speech, len(utterances), levels.SPEECH_LEVEL_SECONDS * RATE)
    assert found.speech_lufs == first_minute
    assert found.music_db["transition"] == pytest.approx(
        first_minute + levels.MUSIC_LEVEL_LU["transition"] - loudness.integrated_loudness(MUSIC["transition"], RATE)
    )


def test_an_earlier_episodes_levels_are_kept_while_its_speech_is_as_loud():
    kinds, utterances = ["opening", "closing"], [Utterance(0, 0, "a", "a"), Utterance(1, 0, "b", "b")]
    beds = EpisodeBeds(**MUSIC)
    speech_lufs = levels.speech_loudness(
        SpeechClips(synthetic_clip, [ClipSummary.of(synthetic_clip(i), RATE) for i in range(2)], RATE), 2, RATE * 60
    )
    for shift, kept in ((0.3, True), (0.8, False)):
        earlier = Levels(speech_lufs + shift, {"intro": -1.0, "outro": -2.0, "transition": -3.0}, 4.0, -1.5)
        speech = SpeechClips.arriving(synthetic_clip, 2, RATE)
        following = LevelsWhileSpeaking(speech, kinds, utterances, beds, PAUSES, RATE, earlier)
        for index in range(2):
            speech.add([index], ClipSummary.of(synthetic_clip(index), RATE))
        speech.close()
        found = following.result()
        assert (found.kept == earlier) is kept and (found.measured is None) is kept
        assert (found.music_db == earlier.music_db) is kept


def test_synthesis_that_stops_short_stops_the_levels_too():
    speech = SpeechClips.arriving(synthetic_clip, 3, RATE)
    utterances = [Utterance(0, 0, "a", "a"), Utterance(0, 0, "b", "b"), Utterance(1, 0, "c", "c")]
    following = LevelsWhileSpeaking(speech, ["opening", "closing"], utterances, EpisodeBeds(**MUSIC), PAUSES, RATE)
    speech.add([0], ClipSummary.of(synthetic_clip(0), RATE))
    speech.close()
    with pytest.raises(RuntimeError):
        following.result()


class FailingOn(EspeakEngine):
    """espeak-ng that refuses one text, as an online engine reports the requests that failed once all are tried."""

    def __init__(self, refused: str):
        super().__init__()
        self.refused, self.asked = refused, []

    def synthesize_many(self, texts, on_done=None):
        self.asked += list(texts)
        spoken = super().synthesize_many([t for t in texts if t != self.refused], None)
        for index, clip in zip([i for i, t in enumerate(texts) if t != self.refused], spoken, strict=True):
            on_done(index, clip)
        if self.refused in texts:
            raise BriefingError(f"failed on 1 of {len(texts)} utterances: {self.refused}")
        return spoken


def test_a_chunk_that_fails_does_not_stop_the_others(tmp_path, monkeypatch):
    monkeypatch.setattr(synthesis, "CHUNK", 2)
    texts = ["하나입니다.", "둘입니다.", "셋입니다.", "넷입니다.", "다섯입니다."]
    engine, cache = FailingOn("둘입니다."), ClipCache(tmp_path)
    with pytest.raises(BriefingError, match="둘입니다"):
        SpeechUnderWay([(engine, text) for text in texts], cache, RATE).result()
    assert engine.asked == texts  # every text was tried
    assert cache.size()[0] == 4  # and all but the refused one kept
