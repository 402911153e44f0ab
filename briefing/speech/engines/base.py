"""The one interface every text-to-speech engine implements, and helpers to turn raw PCM into a `Clip`."""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from briefing.models import Clip

# Called as each text of `synthesize_many` is done: (index into texts, its clip).
OnDone = Callable[[int, Clip], None]


class Engine(abc.ABC):
    """A text-to-speech engine: spoken text in, mono audio out.

    Subclasses set `name`, `voice` and `sample_rate`, take their settings as plain keyword arguments, and implement
    `identity` and `synthesize`; an online engine also overrides `usable`.
    """

    name: str
    voice: str
    sample_rate: int

    @abc.abstractmethod
    def identity(self) -> dict[str, Any]:
        """Everything that changes the audio (engine, voice, settings, library version): part of every cache key."""

    @abc.abstractmethod
    def synthesize(self, text: str) -> Clip:
        """Speak one utterance."""

    def usable(self) -> bool:
        """Whether the engine can speak right now (`auto` asks, best engine first); an offline engine always can."""
        return True

    def synthesize_many(self, texts: Sequence[str], on_done: OnDone | None = None) -> list[Clip]:
        """Speak several utterances, in order; `on_done` hears of each one as soon as it is ready."""
        clips = []
        for index, text in enumerate(texts):
            clip = self.synthesize(text)
            if on_done is not None:
                on_done(index, clip)
            clips.append(clip)
        return clips

    def silence(self) -> Clip:
        """The clip for text with nothing to say."""
        return clip_from_float(np.zeros(0, dtype=np.float32), self.sample_rate)


def nothing_to_say(text: str) -> bool:
    """Whether `text` has no letter or digit to speak (blank, or punctuation only: gTTS refuses such text)."""
    return not any(character.isalnum() for character in text)


def clip_from_float(samples: np.ndarray, sample_rate: int) -> Clip:
    """A read-only mono float32 clip, clipped to [-1, 1]."""
    values = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
    values.flags.writeable = False
    return Clip(samples=values, sample_rate=sample_rate)


def clip_from_pcm16(samples: np.ndarray, sample_rate: int) -> Clip:
    """A clip from signed 16-bit samples (what espeak, WAV files and most decoders give)."""
    values = np.asarray(samples, dtype=np.int16).astype(np.float32) / 32768.0
    values.flags.writeable = False
    return Clip(samples=values, sample_rate=sample_rate)


def clip_to_pcm16(clip: Clip) -> np.ndarray:
    """The clip's samples as signed 16-bit integers, rounded (the inverse of `clip_from_pcm16` for such clips)."""
    scaled = np.round(np.asarray(clip.samples, dtype=np.float32) * 32768.0)
    return np.clip(scaled, -32768, 32767).astype(np.int16)
