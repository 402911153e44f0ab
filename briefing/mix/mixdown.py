"""The episode's mix: the presenter's clips (synthesised into the speech cache, read back as the mix needs them)
trimmed and resampled into their places, and the show's music (intro, outro, transition) at levels set against the
speech's loudness. The mix is rendered a stretch at a time when read (see `render`), never whole."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefing.errors import BriefingError
from briefing.mix import assemble, loudness
from briefing.mix.audiofile import decode_audio
from briefing.mix.mastering import KEPT_LEVEL_TOLERANCE_LU, Levels
from briefing.mix.render import ClipSummary, EpisodeMix, SpeechClips
from briefing.models import Clip
from briefing.progress import Progress, no_progress
from briefing.settings import Workspace
from briefing.speech.cache import ClipCache
from briefing.speech.engines.base import Engine, nothing_to_say
from briefing.speech.synthesis import synthesize_each

MUSIC_LEVEL_LU = {"intro": -2.0, "outro": -2.0, "transition": -4.0}  # at full level, relative to the speech


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


def spoken_clips(engine: Engine, texts: Sequence[str], cache: ClipCache, rate: int,
                 progress: Progress = no_progress) -> tuple[SpeechClips, int]:  # fmt: skip
    """The presenter's clips for `texts`, synthesised into the cache where they are not there yet, and how many
    were. Only a summary of each clip stays in memory; the mix reads the clips back from the cache as it needs them.
    """
    summaries: dict[str, ClipSummary] = {}

    def measured(text: str, clip: Clip) -> None:
        summaries[text] = ClipSummary.of(clip, rate)

    synthesised = synthesize_each(engine, texts, cache, measured, progress=progress)
    identity = engine.identity()

    def load(index: int) -> Clip:
        text = texts[index]
        if nothing_to_say(text):
            return engine.silence()
        clip = cache.get(identity, text)
        if clip is None:
            raise BriefingError(f"the speech cache lost the clip of '{text[:40]}' during the build; build again",
                                cache.path(identity, text))  # fmt: skip
        return clip

    return SpeechClips(load, [summaries[text] for text in texts], rate), synthesised


def episode_mix(
    layout: assemble.Layout, speech: SpeechClips, beds: EpisodeBeds, progress: Progress = no_progress,
    earlier: Levels | None = None,
) -> tuple[EpisodeMix, float, dict[str, float]]:  # fmt: skip
    """The episode's mix (rendered when read, see `EpisodeMix`), the speech's loudness and the music's levels: set
    against the speech, or the earlier episode's while its speech was within KEPT_LEVEL_TOLERANCE_LU of this one's.
    """
    rate = layout.rate
    progress("mix", 0, 1)
    sounds = beds.sounds()
    mix = EpisodeMix(layout, speech, sounds)
    # The speech's loudness, from a sample of the episode: it only sets the music's level against it.
    speech_lufs = loudness.Probe.read(SpeechOnly(mix)).loudness(0.0, loudness.NO_LIMIT_DBTP, rate)
    if earlier is not None and abs(earlier.speech_lufs - speech_lufs) <= KEPT_LEVEL_TOLERANCE_LU:
        speech_lufs, level_db = earlier.speech_lufs, earlier.music_db
    else:
        level_db = {
            name: music_gain_db(sound, speech_lufs + MUSIC_LEVEL_LU[name], rate) for name, sound in sounds.items()
        }
    return mix.with_music_levels(level_db), speech_lufs, level_db


class SpeechOnly:
    """The presenter alone, as a `Signal`: what the music's levels are set against."""

    def __init__(self, mix: EpisodeMix):
        self.mix = mix

    @property
    def length(self) -> int:
        return self.mix.length

    def render(self, start: int, end: int) -> np.ndarray:
        return self.mix.render_speech(start, end)


def music_gain_db(sound: np.ndarray, target_lufs: float, rate: int) -> float:
    """The gain that sets a music file at `target_lufs`; silent (or nearly) music is left as it is."""
    measured = loudness.integrated_loudness(sound, rate)
    return 0.0 if measured <= loudness.SILENCE_LUFS else target_lufs - measured
