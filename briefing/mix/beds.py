"""The show's music files (`[music]` in show.toml) and the beds an episode's mix plays them from: intro, outro and
transition decoded at the episode's rate."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefing.mix.audiofile import decode_audio
from briefing.settings import Workspace


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
