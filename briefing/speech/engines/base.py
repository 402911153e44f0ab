"""The one interface every text-to-speech engine implements, and helpers to turn raw PCM into a `Clip`."""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from briefing.models import Clip

# Called as each text of `synthesize_many` is done: (index into texts, its clip).
OnDone = Callable[[int, Clip], None]
# How long `auto` waits for an online engine's one-word probe.
PROBE_TIMEOUT = 1.5


@dataclass(frozen=True)
class Availability:
    """Whether an engine can speak here and now, and why (or why not): "no answer within 1.5 s"."""

    usable: bool
    reason: str


@dataclass(frozen=True)
class VoiceInfo:
    """One voice an engine offers, for `briefing voices`."""

    name: str
    description: str


class UnknownVoice(ValueError):
    """The engine has no voice of that name; the message lists the ones it has."""

    def __init__(self, engine: str, voice: str, known: Sequence[str]):
        self.engine, self.voice = engine, voice
        super().__init__(f"{engine} has no voice '{voice}' (its voices: {', '.join(known)})")


class Engine(abc.ABC):
    """A text-to-speech engine: spoken text in, mono audio out.

    Subclasses set `name`, `voice` and `sample_rate`, take their settings as plain keyword arguments (an unknown
    voice raises `UnknownVoice`), and implement `identity` and `synthesize`; an online engine or one that needs
    downloaded files also overrides `availability`. `default_voices` are the voices presenters get, in order, when
    show.toml names none for this engine; an engine with one voice cannot tell two presenters apart.
    """

    name: str
    voice: str
    sample_rate: int
    default_voices: ClassVar[tuple[str, ...]] = ()
    online: ClassVar[bool] = False  # whether `availability` asks a service over the network

    @abc.abstractmethod
    def identity(self) -> dict[str, Any]:
        """Everything that changes the audio (engine, voice, settings, library version): part of every cache key."""

    @abc.abstractmethod
    def synthesize(self, text: str) -> Clip:
        """Speak one utterance."""

    def availability(self, timeout: float = PROBE_TIMEOUT) -> Availability:
        """Whether the engine can speak right now, and why (`auto` asks, best engine first): online engines send one
        short probe that must be answered within `timeout` seconds; an offline engine always can."""
        return Availability(True, "offline, always available")

    def usable(self) -> bool:
        return self.availability().usable

    def voices(self) -> list[VoiceInfo]:
        """The voices this engine offers here (for `briefing voices`)."""
        return [VoiceInfo(self.voice, "")]

    def timbre(self) -> tuple[object, ...]:
        """What tells this engine's voices apart: two presenters with the same timbre would sound alike."""
        return (self.voice,)

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
