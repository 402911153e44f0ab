"""The episode's mix in one pass: the presenter's clips trimmed and resampled into their places, then the show's
music (intro, outro, transition) at levels set against the speech's loudness."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefing.mix import assemble, loudness
from briefing.mix.audiofile import decode_audio
from briefing.mix.mastering import KEPT_LEVEL_TOLERANCE_LU, Levels
from briefing.models import Clip
from briefing.progress import Progress
from briefing.settings import Workspace

MUSIC_LEVEL_LU = {"intro": -2.0, "outro": -2.0, "transition": -4.0}  # at full level, relative to the speech
MIX_THREADS = 2


@dataclass(frozen=True)
class EpisodeBeds:
    """The show's music as one episode's mix uses it: intro, outro and transition decoded at the episode's rate."""

    intro: np.ndarray
    outro: np.ndarray
    transition: np.ndarray

    def sounds(self) -> dict[str, np.ndarray]:
        return {"intro": self.intro, "outro": self.outro, "transition": self.transition}

    def lengths(self) -> dict[str, int]:
        return {name: len(sound) for name, sound in self.sounds().items()}


def music_paths(workspace: Workspace) -> dict[str, Path]:
    """The show's music files by name (`[music]` in show.toml)."""
    music = workspace.settings.music
    files = {"intro": music.intro, "outro": music.outro, "transition": music.transition}
    return {name: workspace.path(relative) for name, relative in files.items()}


def load_beds(workspace: Workspace) -> EpisodeBeds:
    """The show's intro, outro and transition, decoded at the episode rate; a bad file is a BriefingError."""
    rate = workspace.settings.audio.sample_rate
    paths = music_paths(workspace)
    with ThreadPoolExecutor(max_workers=len(paths), thread_name_prefix="music") as pool:  # three ffmpeg at once
        decoded = pool.map(lambda name: decode_audio(paths[name], rate, what=f"{name} music file"), paths)
        return EpisodeBeds(**dict(zip(paths, decoded, strict=True)))


def speech_bounds(clips: Sequence[Clip], rate: int) -> list[tuple[int, int, int]]:
    """(first, last, length at the episode rate) of each clip once its silent edges are trimmed."""
    bounds = []
    for clip in clips:
        first, last = assemble.trim_bounds(np.asarray(clip.samples), clip.sample_rate)
        bounds.append((first, last, assemble.resampled_length(last - first, clip.sample_rate, rate)))
    return bounds


def mix_episode(
    layout: assemble.Layout, clips: Sequence[Clip], bounds: Sequence[tuple[int, int, int]], beds: EpisodeBeds,
    progress: Progress, earlier: Levels | None = None,
) -> tuple[np.ndarray, float, dict[str, float]]:  # fmt: skip
    """Speech first (trimmed and resampled clip by clip), then the music at levels set against the speech.

    Returns the mix, the speech's loudness and the music's levels: the earlier episode's, while its speech was
    within KEPT_LEVEL_TOLERANCE_LU of this one's.
    """
    rate = layout.rate
    buffer = np.zeros(layout.length, dtype=np.float32)
    speech_cues = [cue for cue in layout.cues if cue.sound == "speech"]
    total = len(speech_cues) + 2
    progress("mix", 0, total)

    def speech(cue: assemble.Cue) -> np.ndarray:
        clip = clips[cue.utterance]
        first, last, _ = bounds[cue.utterance]
        return assemble.to_rate(np.asarray(clip.samples)[first:last], clip.sample_rate, rate)

    # Clips are resampled two at a time (numpy lets go of the GIL) and added in order, a few ahead at most.
    with ThreadPoolExecutor(max_workers=MIX_THREADS, thread_name_prefix="mix") as pool:
        ahead: deque[tuple[assemble.Cue, Future[np.ndarray]]] = deque()
        for done, cue in enumerate(speech_cues, 1):
            ahead.append((cue, pool.submit(speech, cue)))
            if len(ahead) > 2 * MIX_THREADS:
                ready, future = ahead.popleft()
                assemble.add_cue(buffer, ready, future.result())
            if done % 16 == 0:
                progress("mix", done, total)
        for ready, future in ahead:
            assemble.add_cue(buffer, ready, future.result())
    # The speech's loudness, from a sample of the episode: it only sets the music's level against it.
    speech_lufs = loudness.sampled_loudness(buffer, rate)
    progress("mix", len(speech_cues) + 1, total)
    sounds = beds.sounds()
    if earlier is not None and abs(earlier.speech_lufs - speech_lufs) <= KEPT_LEVEL_TOLERANCE_LU:
        speech_lufs, level_db = earlier.speech_lufs, earlier.music_db
    else:
        level_db = {
            name: music_gain_db(sound, speech_lufs + MUSIC_LEVEL_LU[name], rate) for name, sound in sounds.items()
        }
    for cue in layout.cues:
        if cue.sound in sounds:
            assemble.add_cue(buffer, cue, sounds[cue.sound], gain_db=level_db[cue.sound])
    progress("mix", total, total)
    return buffer, speech_lufs, level_db


def music_gain_db(sound: np.ndarray, target_lufs: float, rate: int) -> float:
    """The gain that sets a music file at `target_lufs`; silent (or nearly) music is left as it is."""
    measured = loudness.integrated_loudness(sound, rate)
    return 0.0 if measured <= loudness.SILENCE_LUFS else target_lufs - measured
