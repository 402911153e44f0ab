"""The episode's levels, found while its speech is still being synthesised: the speech's loudness (on its first
minute), the music's levels set against it, and what the gain is worked out from — the whole mix's loudness, its
probe blocks and the encoder's toll on an excerpt — read chapter by chapter, as soon as a chapter's clips are
there, on the core the synthesiser leaves free.

A chapter's place in the episode depends only on the chapters before it, so the mix up to the end of the last
complete chapter is final and is metered once; what the meter gives at the end is what metering the finished mix
in one pass gives, to the last bit (the K-weighting carries its state from block to block).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from briefing.mix import assemble, loudness
from briefing.mix.beds import EpisodeBeds
from briefing.mix.loudness import gain
from briefing.mix.loudness.meter import BLOCK, CONTEXT, LoudnessMeter
from briefing.mix.mastering import KEPT_LEVEL_TOLERANCE_LU, Levels, MixMeasurement
from briefing.mix.mp3 import FRAME_SAMPLES
from briefing.mix.render import EpisodeMix, SpeechClips
from briefing.mix.signal import stretches
from briefing.models import Utterance

MUSIC_LEVEL_LU = {"intro": -2.0, "outro": -2.0, "transition": -4.0}  # at full level, relative to the speech
SPEECH_LEVEL_SECONDS = 60  # the speech's loudness is measured on its first minute: the music is set against it
# Stretches metered at a time beside the synthesiser: short, as numpy holds the interpreter for each one, and the
# synthesiser's callbacks wait for it meanwhile.
FOLLOW_BLOCK = BLOCK // 4


@dataclass(frozen=True)
class MixLevels:
    """The levels an episode is mixed at and, unless the earlier episode's levels are kept, what its gain is worked
    out from: its loudness, its probe blocks and what the encoder takes from its excerpt."""

    speech_lufs: float
    music_db: dict[str, float]
    kept: Levels | None  # the earlier episode's levels, kept because its speech is as loud as this one's
    measured: MixMeasurement | None  # None when the earlier gain is kept


class ProbeGathering:
    """The mix's probe blocks and encoder excerpt (see `briefing.mix.loudness.gain`), read as the mix becomes final.

    Which stretches they are depends on the episode's length, still unknown while it grows; but a longer episode
    only ever takes some of the stretches a shorter one would, so each candidate is read as soon as it is final and
    dropped once the length reached so far rules it out. What the encoder takes is tried as soon as its excerpt (in
    the episode's first minutes) is there."""

    def __init__(self, codec: Callable[[loudness.Probe], float] | None):
        self.codec = codec
        self.windows: dict[int, np.ndarray] = {}
        self.codec_loss_lu: float | None = None

    def take(self, mix: EpisodeMix, final: int, complete: bool) -> None:
        """Read the candidates that are final in mix[0:final) (all of them, once the mix is `complete`)."""
        length, size = mix.length, gain.PROBE_BLOCK
        count = -(-length // size) if complete else final // size  # the episode has at least this many stretches
        for index in [index for index in self.windows if not self._wanted(index, count, complete)]:
            del self.windows[index]
        readable = -(-length // size) if complete else max(0, (final - CONTEXT) // size)
        for index in range(readable):
            if index not in self.windows and self._wanted(index, count, complete):
                lo, _, _, hi = gain.probe_block(index, length)
                self.windows[index] = mix.render(lo, hi)
        excerpt = gain.codec_indices(count)
        if self.codec_loss_lu is None and (complete or len(excerpt) == gain.CODEC_PROBE_BLOCKS < count):
            if all(index in self.windows for index in excerpt):
                self.codec_loss_lu = self.codec(self._probe(length, excerpt)) if self.codec else 0.0

    @staticmethod
    def _wanted(index: int, count: int, complete: bool) -> bool:
        """Whether stretch `index` is (or, before the mix is complete, may yet be) tried, with `count` stretches."""
        if complete:
            return index in gain.probe_indices(count) or index in gain.codec_indices(count)
        if count <= gain.PROBE_STRIDE:
            return True  # the episode may yet end this short, and take every stretch
        offset, stride = index - gain.PROBE_OFFSET, gain.PROBE_STRIDE
        may_be_excerpt = offset % stride == 0 and index < gain.PROBE_OFFSET + stride * gain.CODEC_PROBE_BLOCKS
        return may_be_excerpt or offset % gain.probe_stride(count) == 0

    def _probe(self, length: int, indices: Sequence[int]) -> loudness.Probe:
        blocks = tuple(gain.probe_block(index, length) for index in indices)
        return loudness.Probe(blocks, tuple(self.windows[index] for index in indices))

    def probe(self, length: int) -> loudness.Probe:
        """The probe blocks, once the whole mix was taken."""
        return self._probe(length, gain.probe_indices(-(-length // gain.PROBE_BLOCK)))


class LevelsWhileSpeaking:
    """Finds an episode's `MixLevels` in a thread of its own, following `speech` as its clips arrive."""

    def __init__(self, speech: SpeechClips, kinds: Sequence[str], utterances: Sequence[Utterance], beds: EpisodeBeds,
                 pauses: assemble.Pauses, rate: int, earlier: Levels | None = None,
                 codec: Callable[[loudness.Probe], float] | None = None):  # fmt: skip
        self.speech, self.kinds, self.utterances = speech, list(kinds), list(utterances)
        self.beds, self.pauses, self.rate, self.earlier = beds, pauses, rate, earlier
        self.codec = codec  # what the encoder takes from an excerpt of the mix
        self._found: MixLevels | None = None
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="levels", daemon=True)
        self._thread.start()

    def result(self) -> MixLevels:
        """The levels, once every clip is there (call it after synthesis has finished)."""
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        if self._found is None:
            raise RuntimeError("the episode's levels were asked for before its speech was all there")
        return self._found

    def _run(self) -> None:
        try:
            self._found = self._follow()
        except BaseException as error:  # noqa: BLE001  # raised in the caller's thread by `result`
            self._failure = error

    def layout(self) -> assemble.Layout:
        """The layout of the clips there so far (those to come count as silent): final up to `_final_end`."""
        return assemble.plan_layout(self.kinds, self.utterances, self.speech.lengths(), self.beds.lengths(),
                                    self.pauses, self.rate, frame=FRAME_SAMPLES)  # fmt: skip

    def _follow(self) -> MixLevels | None:
        count = len(self.utterances)
        minute = SPEECH_LEVEL_SECONDS * self.rate
        ready, done = 0, count == 0
        while not done and sum(self.speech.lengths()[:ready]) < minute:
            ready, done = self.speech.wait_for(ready)
        if done and ready < count:
            return None  # synthesis stopped short
        speech_lufs = speech_loudness(self.speech, ready, minute)
        kept = self.earlier
        if kept is not None and abs(kept.speech_lufs - speech_lufs) <= KEPT_LEVEL_TOLERANCE_LU:
            return MixLevels(kept.speech_lufs, kept.music_db, kept, None)
        music_db = {
            name: music_gain_db(sound, speech_lufs + MUSIC_LEVEL_LU[name], self.rate)
            for name, sound in self.beds.sounds().items()
        }
        meter, metered, probes = LoudnessMeter(self.rate), 0, ProbeGathering(self.codec)
        while True:
            layout = self.layout()
            final = layout.length if ready == count else self._final_end(layout, self.utterances[ready].chapter)
            mix = EpisodeMix(layout, self.speech, self.beds.sounds(), music_db)
            for start, end in stretches(metered, final, FOLLOW_BLOCK):
                meter.feed(mix.render(start, end))
            metered = max(metered, final)
            probes.take(mix, metered, complete=ready == count)
            if ready == count:
                measured = MixMeasurement(meter.integrated(), probes.probe(layout.length), probes.codec_loss_lu or 0.0)
                return MixLevels(speech_lufs, music_db, None, measured)
            ready, done = self.speech.wait_for(ready)
            if done and ready < count:
                return None

    def _final_end(self, layout: assemble.Layout, waiting: int) -> int:
        """Where the mix stops being final while chapter `waiting` (and those after it) still lack clips.

        Nothing of a later chapter sounds before its own start less a chapter pause: its sting starts with it, and
        the outro's lead fits inside that pause. (The intro depends on the first chapter alone.)"""
        return 0 if waiting == 0 else max(0, layout.chapters[waiting].start - self.pauses.chapter)


def speech_loudness(speech: SpeechClips, count: int, samples: int) -> float:
    """The loudness of the first of the `count` clips, end to end, up to `samples` samples of speech."""
    pieces, total = [], 0
    for index in range(count):
        if total >= samples:
            break
        pieces.append(speech.piece(index))
        total += len(pieces[-1])
    return loudness.integrated_loudness(np.concatenate(pieces) if pieces else np.zeros(0, np.float32), speech.rate)


def music_gain_db(sound: np.ndarray, target_lufs: float, rate: int) -> float:
    """The gain that sets a music file at `target_lufs`; silent (or nearly) music is left as it is."""
    measured = loudness.integrated_loudness(sound, rate)
    return 0.0 if measured <= loudness.SILENCE_LUFS else target_lufs - measured
