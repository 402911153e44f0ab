"""The episode's mix planned: every sound's place in a pure layout, from which any stretch of the mix is rendered when
it is needed (see `render`); `add_cue` writes one cue into a whole buffer, the reference a rendered stretch matches.

Speech clips are trimmed of their leading and trailing silence and separated by the show's pauses; the intro
plays alone, then ducks under the opening; a sting opens each story; the closing runs over the outro bed, whose
tail rises and fades at the end.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import gcd

import numpy as np

from briefing.mix.signal import correlate_taps
from briefing.models import Script, TimedChapter, TimedUtterance, Utterance
from briefing.settings import Audio

DUCK_DB = -15.0  # music under speech
SILENT_DB = -90.0  # the end point of a fade
INTRO_LEAD_MS = 4000  # intro at full level before the first word
DUCK_RAMP_MS = 1000
MUSIC_FADE_MS = 2000
OUTRO_LEAD_MS = 1000  # the outro bed fades in this long before the closing's first word
OUTRO_TAIL_MS = 6000  # at least this much outro after the last word
TRIM_BELOW_PEAK_DB = -40.0  # what counts as silence at a clip's edges, relative to its peak
TRIM_KEEP_MS = (10, 40)  # kept before the first and after the last sound (speech trails off slowly)


@dataclass(frozen=True)
class Cue:
    """One sound placed on the timeline: `sound` names it ('speech', 'intro', 'outro', 'transition').

    `envelope` holds (offset in samples from the cue's start, gain in dB) points, joined by straight lines in
    dB; no points means the sound plays at its own level.
    """

    sound: str
    start: int
    length: int
    utterance: int = -1  # index into the utterances for speech
    envelope: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class ChapterSpan:
    start: int
    end: int
    utterances: tuple[int, ...]  # indices of its utterances, in order


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in samples: the plan the buffer is written from, and the timeline is made from."""

    rate: int
    length: int
    cues: tuple[Cue, ...]
    chapters: tuple[ChapterSpan, ...]
    cuts: tuple[int, ...] = ()  # points in the pauses before chapters where the episode may be cut for encoding


@dataclass(frozen=True)
class Pauses:
    sentence: int
    paragraph: int
    chapter: int

    @classmethod
    def from_settings(cls, audio: Audio) -> Pauses:
        ms = lambda value: value * audio.sample_rate // 1000  # noqa: E731
        return cls(ms(audio.pause_sentence_ms), ms(audio.pause_paragraph_ms), ms(audio.pause_chapter_ms))


# ----------------------------------------------------------------------------------------------- speech clips


def to_rate(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """Resample with a polyphase filter (e.g. espeak's 22 050 Hz → 44 100 Hz is an exact 2:1).

    Whole-number upsampling (espeak's case) runs each phase of scipy's own filter tap by tap as vectors (numpy lets
    go of the GIL, so clips can be resampled two at a time); the result is resample_poly's (to float32 rounding).
    """
    if rate == target:
        return samples.astype(np.float32, copy=False)
    divisor = gcd(rate, target)
    up, down = target // divisor, rate // divisor
    if down == 1:
        return _upsampled(np.asarray(samples, dtype=np.float32), up)
    from scipy.signal import resample_poly  # see `_phase_filters`

    return resample_poly(samples, up, down).astype(np.float32)


@functools.cache
def _phase_filters(up: int) -> tuple[np.ndarray, ...]:
    """resample_poly's anti-imaging filter for `up`:1 (Kaiser, β = 5, 10·up taps either side), split by phase."""
    # scipy.signal takes most of a second to import: the build's synthesis, which sums up clips with this module,
    # starts without waiting for it.
    from scipy.signal import firwin

    taps = firwin(20 * up + 1, 1 / up, window=("kaiser", 5.0)) * up
    return tuple(taps[phase::up].astype(np.float32) for phase in range(up))


def _upsampled(samples: np.ndarray, up: int) -> np.ndarray:
    # Output sample up·i + p is Σₘ taps[p + up·m]·x[i + 10 − m]: phase p's convolution, 10 samples in — as a
    # correlation with the taps reversed, over the samples with zeros before (len(taps) − 11) and after (10).
    n = len(samples)
    out = np.empty(n * up, dtype=np.float32)
    if n == 0:
        return out
    for phase, taps in enumerate(_phase_filters(up)):
        others = np.delete(taps, 10)
        if np.max(np.abs(others)) < 1e-9 * abs(taps[10]):
            # A half-band filter's phase 0 is one tap (its others are 10⁻¹⁷): a scaling, not a convolution.
            out[phase::up] = samples * taps[10]
        else:
            padded = np.concatenate([np.zeros(len(taps) - 11, np.float32), samples, np.zeros(10, np.float32)])
            out[phase::up] = correlate_taps(padded, taps[::-1], n)
    return out


def resampled_length(length: int, rate: int, target: int) -> int:
    """How many samples `to_rate` gives for `length` samples (scipy's resample_poly: ceil(length·up/down))."""
    divisor = gcd(rate, target)
    return -(-length * (target // divisor) // (rate // divisor))


def trim_bounds(samples: np.ndarray, rate: int) -> tuple[int, int]:
    """[first, last) of the clip without its silent edges (a little margin is kept so no sound is cut)."""
    level = np.abs(samples)
    peak = float(level.max()) if len(level) else 0.0
    if peak == 0.0:
        return 0, 0
    loud = np.flatnonzero(level > peak * 10 ** (TRIM_BELOW_PEAK_DB / 20))
    first = max(0, int(loud[0]) - TRIM_KEEP_MS[0] * rate // 1000)
    last = min(len(samples), int(loud[-1]) + 1 + TRIM_KEEP_MS[1] * rate // 1000)
    return first, last


# ----------------------------------------------------------------------------------------------------- layout


def _ms(value: int, rate: int) -> int:
    return value * rate // 1000


def _speech_runs(kinds: Sequence[str], utterances: Sequence[Utterance]) -> list[list[int]]:
    runs: list[list[int]] = [[] for _ in kinds]
    for index, utterance in enumerate(utterances):
        runs[utterance.chapter].append(index)
    return runs


def _place_speech(
    run: list[int], utterances: Sequence[Utterance], lengths: Sequence[int], start: int, pauses: Pauses
) -> tuple[list[Cue], int]:
    """Speech cues for one chapter from `start`; returns them and where the last word ends."""
    cues: list[Cue] = []
    cursor = start
    for position, index in enumerate(run):
        if position:
            same_paragraph = utterances[index].paragraph == utterances[run[position - 1]].paragraph
            cursor += pauses.sentence if same_paragraph else pauses.paragraph
        cues.append(Cue("speech", cursor, lengths[index], utterance=index))
        cursor += lengths[index]
    return cues, cursor


def intro_cue(length: int, speech_start: int, first_chapter_end: int, rate: int) -> Cue:
    """Full level until just before the first word, ducked under it, faded out before the next chapter."""
    duck_from = max(0, speech_start - _ms(DUCK_RAMP_MS * 7 // 10, rate))
    duck_to = duck_from + _ms(DUCK_RAMP_MS, rate)
    fade_end = max(duck_to + _ms(MUSIC_FADE_MS, rate), min(length, first_chapter_end))
    fade_from = fade_end - _ms(MUSIC_FADE_MS, rate)
    envelope = ((0, 0.0), (duck_from, 0.0), (duck_to, DUCK_DB), (fade_from, DUCK_DB), (fade_end, SILENT_DB))
    return Cue("intro", 0, min(length, fade_end), envelope=envelope)


def outro_cue(length: int, speech_start: int, speech_end: int, rate: int, lead: int) -> Cue:
    """A bed under the last chapter, backtimed so that at least OUTRO_TAIL_MS of it follows the last word.

    It fades in at most `lead` samples before the chapter's first word.
    """
    tail = min(length, _ms(OUTRO_TAIL_MS, rate))
    start = max(speech_start - lead, speech_end + tail - length)
    rise_from = speech_end - start + _ms(150, rate)
    rise_to = rise_from + _ms(DUCK_RAMP_MS, rate)
    fade_in = min(_ms(DUCK_RAMP_MS, rate), rise_from)
    fade_from = max(rise_to, length - _ms(MUSIC_FADE_MS, rate))
    envelope = (
        (0, SILENT_DB if fade_in else DUCK_DB),
        (fade_in, DUCK_DB),
        (rise_from, DUCK_DB),
        (rise_to, 0.0),
        (fade_from, 0.0),
        (max(fade_from + 1, length), SILENT_DB),
    )
    return Cue("outro", start, length, envelope=envelope)


def plan_layout(
    kinds: Sequence[str],
    utterances: Sequence[Utterance],
    speech_lengths: Sequence[int],
    music_lengths: Mapping[str, int],
    pauses: Pauses,
    rate: int,
    frame: int = 1,
) -> Layout:
    """Place every utterance and music cue of an episode (all positions in samples). Pure: no audio touched.

    Stories open with the transition sting; the closing (or, without one, the silence after the last chapter)
    carries the outro. Chapters after the first start on a multiple of `frame` samples (an MP3 frame lengthens a
    chapter pause by at most 26 ms), and so does the episode's end: an edit moves everything after it by whole
    frames. Halfway into each chapter pause, a whole number of frames before the chapter, is a cut point.
    """
    runs = _speech_runs(kinds, utterances)
    cues: list[Cue] = []
    starts: list[int] = []
    cuts: list[int] = []
    cut_lead = pauses.chapter // 2 // frame * frame
    speech_bounds: list[tuple[int, int]] = []
    lead = min(_ms(INTRO_LEAD_MS, rate), music_lengths["intro"] // 3)
    for index, kind in enumerate(kinds):
        if index == 0:
            chapter_start, speech_start = 0, lead
        else:
            chapter_start = _aligned(speech_bounds[-1][1] + pauses.chapter, frame)
            cuts.append(chapter_start - cut_lead)
            speech_start = chapter_start
            if kind == "story":
                cues.append(Cue("transition", chapter_start, music_lengths["transition"]))
                speech_start += music_lengths["transition"] + pauses.sentence
        speech_cues, speech_end = _place_speech(runs[index], utterances, speech_lengths, speech_start, pauses)
        cues += speech_cues
        starts.append(chapter_start)
        speech_bounds.append((speech_start, speech_end))

    first_end = starts[1] if len(starts) > 1 else speech_bounds[0][1] + pauses.chapter
    cues.append(intro_cue(music_lengths["intro"], speech_bounds[0][0], first_end, rate))
    last_start, last_end = speech_bounds[-1]
    if kinds[-1] == "closing" and len(kinds) > 1:
        # Never under the previous chapter's last words: the bed's lead fits in the chapter pause.
        lead = min(_ms(OUTRO_LEAD_MS, rate), pauses.chapter)
        outro = outro_cue(music_lengths["outro"], last_start, last_end, rate, lead)
        starts[-1] = min(starts[-1], outro.start)
    else:
        after = last_end + pauses.chapter + _ms(OUTRO_LEAD_MS, rate)  # the outro alone, fading in after a pause
        outro = outro_cue(music_lengths["outro"], after, after, rate, _ms(OUTRO_LEAD_MS, rate))
    cues.append(outro)
    length = _aligned(max(outro.start + outro.length, last_end + pauses.chapter), frame)
    ends = [*starts[1:], length]
    chapters = tuple(ChapterSpan(start, end, tuple(run)) for start, end, run in zip(starts, ends, runs, strict=True))
    cues.sort(key=lambda c: c.start)
    return Layout(rate=rate, length=length, cues=tuple(cues), chapters=chapters, cuts=tuple(cuts))


def _aligned(position: int, frame: int) -> int:
    return -(-position // frame) * frame


# ----------------------------------------------------------------------------------------------------- render


def envelope_gain(envelope: Sequence[tuple[int, float]], length: int, offset: int = 0) -> np.ndarray:
    """The envelope's linear gain for `length` samples from `offset` samples into its cue."""
    offsets = np.array([point[0] for point in envelope], dtype=np.float64)
    levels = np.array([point[1] for point in envelope], dtype=np.float64)
    db = np.interp(np.arange(offset, offset + length, dtype=np.float64), offsets, levels)
    return (10 ** (db / 20)).astype(np.float32)


def add_cue(buffer: np.ndarray, cue: Cue, sound: np.ndarray, gain_db: float = 0.0) -> None:
    """Add one cue's sound into the episode buffer in place, shaped by its envelope and `gain_db`."""
    n = min(cue.length, len(sound), len(buffer) - cue.start)
    if n <= 0:
        return
    piece = sound[:n] * np.float32(10 ** (gain_db / 20))
    if cue.envelope:
        piece *= envelope_gain(cue.envelope, n)
    buffer[cue.start : cue.start + n] += piece


# --------------------------------------------------------------------------------------------------- timeline


def timed_chapters(layout: Layout, script: Script, utterances: Sequence[Utterance]) -> tuple[TimedChapter, ...]:
    """The layout in milliseconds, with each chapter's text: what the chapter marks, transcripts and the feed read."""
    ms = lambda samples: round(samples * 1000 / layout.rate)  # noqa: E731
    speech = {cue.utterance: cue for cue in layout.cues if cue.sound == "speech"}
    return tuple(
        TimedChapter(
            index=index,
            kind=chapter.kind,
            title=chapter.title,
            start_ms=ms(span.start),
            end_ms=ms(span.end),
            paragraphs=chapter.paragraphs,
            sources=chapter.sources,
            spoken_only=chapter.spoken_only,
            utterances=tuple(
                TimedUtterance(
                    start_ms=ms(speech[u].start),
                    end_ms=ms(speech[u].start + speech[u].length),
                    written=utterances[u].written,
                    spoken=utterances[u].spoken,
                    paragraph=utterances[u].paragraph,
                    speaker=utterances[u].speaker,
                )
                for u in span.utterances
            ),
        )
        for index, (chapter, span) in enumerate(zip(script.chapters, layout.chapters, strict=True))
    )
