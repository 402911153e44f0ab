"""The episode's mix rendered on demand: any stretch [start, end) is summed from the cues that overlap it, so the
whole episode never sits in memory — an hour-long mix costs what a few seconds of it do.

The layout says where every sound goes; the presenter's clips are read (from the speech cache) and resampled
when a stretch needs them, a few kept at hand. A stretch comes out sample for sample as it would in one buffer
written whole: the same sums in the same order (speech first, then the music).
"""

from __future__ import annotations

import bisect
import copy
import functools
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from briefing.mix import assemble
from briefing.models import Clip

CLIPS_AT_HAND = 8  # resampled clips kept: a stretch and the next (with the limiter's context) share a few
# Bump when the same inputs would render other samples (see `EpisodeMix.fingerprint`). 2: clips are upsampled with
# their filter summed tap by tap, which may round a last bit differently.
RENDER_VERSION = 2


@dataclass(frozen=True)
class ClipSummary:
    """What the mix knows of a clip without holding it: its sound without the silent edges, [first, last) at its own
    rate, that stretch's length at the episode's rate, and a digest of its samples."""

    first: int
    last: int
    length: int
    rate: int
    digest: str

    @classmethod
    def of(cls, clip: Clip, rate: int) -> ClipSummary:
        samples = np.ascontiguousarray(clip.samples, dtype="<f4")
        first, last = assemble.trim_bounds(samples, clip.sample_rate)
        length = assemble.resampled_length(last - first, clip.sample_rate, rate)
        return cls(first, last, length, clip.sample_rate, hashlib.sha256(samples.data).hexdigest())


class SpeechClips:
    """The presenter's clips, trimmed of their silent edges and at the episode's rate, loaded when needed.

    `load(i)` gives utterance i's clip (e.g. from the speech cache), which `summaries[i]` sums up. The summaries
    may arrive one by one while the clips are being synthesised (`add`, then `close` when all have or never will):
    `wait_for` lets another thread follow. Safe to use from several threads.
    """

    def __init__(self, load: Callable[[int], Clip], summaries: Sequence[ClipSummary | None], rate: int):
        self._load = load
        self.summaries = list(summaries)
        self.rate = rate
        self._kept: OrderedDict[int, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._arrived = threading.Condition()
        self._ready = 0  # summaries 0..ready-1 are all there
        self._closed = False
        self._advance()

    @classmethod
    def arriving(cls, load: Callable[[int], Clip], count: int, rate: int) -> SpeechClips:
        """Clips whose summaries are still to come (see `add`)."""
        return cls(load, [None] * count, rate)

    def add(self, indices: Sequence[int], summary: ClipSummary) -> None:
        with self._arrived:
            for index in indices:
                self.summaries[index] = summary
            self._advance()
            self._arrived.notify_all()

    def close(self) -> None:
        """No more summaries will come (all are there, or synthesis stopped)."""
        with self._arrived:
            self._closed = True
            self._arrived.notify_all()

    def _advance(self) -> None:
        while self._ready < len(self.summaries) and self.summaries[self._ready] is not None:
            self._ready += 1

    def wait_for(self, beyond: int) -> tuple[int, bool]:
        """Wait until more than `beyond` leading summaries are there, or no more will come; returns how many leading
        ones are there and whether that is all there will be."""
        with self._arrived:
            self._arrived.wait_for(lambda: self._ready > beyond or self._closed)
            return self._ready, self._closed or self._ready == len(self.summaries)

    def lengths(self) -> list[int]:
        """Each clip's length in the mix (0 for one still to come)."""
        return [summary.length if summary else 0 for summary in self.summaries]

    def piece(self, index: int) -> np.ndarray:
        """Utterance `index`'s speech as the mix places it (read-only)."""
        with self._lock:
            if index in self._kept:
                self._kept.move_to_end(index)
                return self._kept[index]
        clip = self._load(index)
        summary = self.summaries[index]
        assert summary is not None, "a clip is read only once it is there"
        piece = assemble.to_rate(np.asarray(clip.samples)[summary.first : summary.last], clip.sample_rate, self.rate)
        piece.flags.writeable = False
        with self._lock:
            self._kept[index] = piece
            while len(self._kept) > CLIPS_AT_HAND:
                self._kept.popitem(last=False)
        return piece


class EpisodeMix:
    """The episode's mix as a `Signal`: speech from `speech`, music from `music` at `music_db` (dB per sound)."""

    def __init__(self, layout: assemble.Layout, speech: SpeechClips, music: Mapping[str, np.ndarray],
                 music_db: Mapping[str, float] | None = None):  # fmt: skip
        self.layout = layout
        self.speech = speech
        self.music = dict(music)
        self.music_db = dict(music_db or {})
        self._speech_cues = [cue for cue in layout.cues if cue.sound == "speech"]
        self._speech_cues.sort(key=lambda cue: cue.start)  # they follow one another without overlapping
        self._speech_ends = [cue.start + cue.length for cue in self._speech_cues]
        self._music_cues = [cue for cue in layout.cues if cue.sound in self.music]

    @functools.cached_property
    def _music_digests(self) -> dict[str, str]:
        return {name: hashlib.sha256(np.ascontiguousarray(sound, dtype="<f4").data).hexdigest()
                for name, sound in self.music.items()}  # fmt: skip

    @property
    def length(self) -> int:
        return self.layout.length

    def with_music_levels(self, music_db: Mapping[str, float]) -> EpisodeMix:
        mix = copy.copy(self)
        mix.music_db = dict(music_db)
        return mix

    def render(self, start: int, end: int) -> np.ndarray:
        out = self.render_speech(start, end)
        self.add_music(out, start)
        return out

    def fingerprint(self, start: int, end: int) -> str:
        """A hash of everything `render(start, end)` is made from — each cue that reaches into the stretch (what it
        plays, where, how long, its envelope and level), in the order it is added — without rendering it. Two
        stretches with the same fingerprint are the same samples, wherever they are in which episode."""
        end = min(end, self.length)
        cues = []
        for cue in self._speech_in(start, end):
            clip = self.speech.summaries[cue.utterance]
            assert clip is not None, "a stretch is fingerprinted once its clips are there"
            cues.append(["speech", clip.digest, clip.rate, clip.first, clip.last, cue.start - start, cue.length])
        for cue in self._music_in(start, end):
            level = self.music_db.get(cue.sound, 0.0)
            cues.append([cue.sound, self._music_digests[cue.sound], cue.start - start, cue.length, cue.envelope, level])
        material = {"render": RENDER_VERSION, "rate": self.layout.rate, "length": end - start, "cues": cues}
        return hashlib.sha256(json.dumps(material, separators=(",", ":")).encode("utf-8")).hexdigest()

    def render_speech(self, start: int, end: int) -> np.ndarray:
        """The presenter alone over [start, end)."""
        end = min(end, self.length)
        out = np.zeros(max(0, end - start), dtype=np.float32)
        for cue in self._speech_in(start, end):
            _add_stretch(out, start, cue, self.speech.piece(cue.utterance))
        return out

    def add_music(self, out: np.ndarray, start: int) -> None:
        """Add the music into `out`, the stretch of the episode from `start` (speech already in it)."""
        for cue in self._music_in(start, start + len(out)):
            _add_stretch(out, start, cue, self.music[cue.sound], self.music_db.get(cue.sound, 0.0))

    def _speech_in(self, start: int, end: int) -> list[assemble.Cue]:
        """The speech cues that sound in [start, end), in order."""
        found = []
        for cue in self._speech_cues[bisect.bisect_right(self._speech_ends, start) :]:
            if cue.start >= end:
                break
            if cue.length > 0:  # a clip's piece is as long as its cue
                found.append(cue)
        return found

    def _music_in(self, start: int, end: int) -> list[assemble.Cue]:
        """The music cues that sound in [start, end), in the layout's order."""
        return [
            cue for cue in self._music_cues
            if cue.start < end and cue.start + _played(cue, len(self.music[cue.sound])) > start
        ]  # fmt: skip


def _played(cue: assemble.Cue, sound_length: int) -> int:
    """How long a cue sounds: until it ends, or its sound does."""
    return min(cue.length, sound_length)


def _add_stretch(out: np.ndarray, at: int, cue: assemble.Cue, sound: np.ndarray, gain_db: float = 0.0) -> None:
    """The part of `cue` (playing `sound`) that falls in out = episode[at : at + len(out)], added into it: the same
    arithmetic as `assemble.add_cue` on the whole episode, sample for sample."""
    lo, hi = max(at, cue.start), min(at + len(out), cue.start + _played(cue, len(sound)))
    if hi <= lo:
        return
    offset = lo - cue.start
    piece = sound[offset : offset + hi - lo] * np.float32(10 ** (gain_db / 20))
    if cue.envelope:
        piece *= assemble.envelope_gain(cue.envelope, hi - lo, offset)
    out[lo - at : hi - at] += piece
