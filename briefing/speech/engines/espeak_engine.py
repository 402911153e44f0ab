"""Offline speech: espeak-ng's Korean voice from the library the espeakng-loader package ships, driven with ctypes."""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path
from typing import Any

import numpy as np

from briefing.errors import BriefingError
from briefing.models import Clip
from briefing.speech.engines.base import Engine, UnknownVoice, VoiceInfo, clip_from_pcm16, nothing_to_say

# Constants from espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2  # espeak_Synth returns when the text is spoken, having called our callback
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE = 1
_PITCH = 3
_EE_OK = 0
# Audio handed to our callback a second at a time, not espeak-ng's default 60 ms: each call takes the interpreter, and
# ~13,000 of them a second slow synthesis down while other threads work beside it (the samples are the same).
_BUFFER_MS = 1000

# Variants worth offering a Korean show (any file in espeak-ng-data/voices/!v works): they move the voice's pitch
# range and formants, so "ko" (low, male) and "ko+f3" (an octave higher) are two presenters anyone tells apart.
VARIANTS = {
    "ko": "espeak-ng's Korean voice (low, male)",
    "ko+f3": "female, an octave higher",
    "ko+f2": "female, bright",
    "ko+f4": "female, lower",
    "ko+m3": "male, a little higher",
    "ko+m1": "male, lower",
}

# int SynthCallback(short *wav, int numsamples, espeak_EVENT *events)
_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Espeak:
    """The process's one espeak-ng instance. The library keeps global state and is not thread-safe, so every
    call goes through `lock`, and it is initialised once."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        self._settings: tuple[str, int, int] | None = None  # (voice, rate, pitch) last set: loading a voice is slow
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        self.sample_rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, espeakng_loader.get_data_path().encode(), 0
        )
        if self.sample_rate <= 0:
            raise BriefingError("espeak-ng could not be initialised from the espeakng-loader package's data")
        self.version = lib.espeak_Info(None).decode()
        # Kept on self: ctypes must not garbage-collect the callback while the library holds it.
        self._callback = _SynthCallback(self._collect)
        lib.espeak_SetSynthCallback(self._callback)
        self._lib = lib

    def has_voice(self, voice: str) -> bool:
        """Whether espeak-ng can load `voice` ("ko", "ko+f3"); leaves the voice in use to be set again."""
        _, plus, variant = voice.partition("+")
        if plus and variant not in self.variant_names():  # espeak-ng quietly ignores a variant it does not have
            return False
        with self.lock:
            self._settings = None
            return self._lib.espeak_SetVoiceByName(voice.encode()) == _EE_OK

    def variant_names(self) -> list[str]:
        import espeakng_loader

        folder = Path(espeakng_loader.get_data_path()) / "voices" / "!v"
        return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, _events: int | None) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # 0: go on synthesising

    def speak(self, text: str, voice: str, rate: int, pitch: int) -> np.ndarray:
        """Int16 samples of `text` spoken with the given voice, rate (words per minute) and pitch (0–99)."""
        data = text.encode("utf-8")
        with self.lock:
            if self._settings != (voice, rate, pitch):
                self._settings = None
                if self._lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
                    raise BriefingError(f"espeak-ng has no voice named '{voice}'")
                self._lib.espeak_SetParameter(_RATE, rate, 0)
                self._lib.espeak_SetParameter(_PITCH, pitch, 0)
                self._settings = (voice, rate, pitch)
            self._chunks = []
            status = self._lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            chunks, self._chunks = self._chunks, []
        if status != _EE_OK:
            raise BriefingError(f"espeak-ng failed (status {status}) on: {text[:40]}")
        return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)


_instance: _Espeak | None = None
_instance_lock = threading.Lock()


def _espeak() -> _Espeak:
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = _Espeak()
        return _instance


class EspeakEngine(Engine):
    """espeak-ng, offline: robotic but always available, and far faster than real time.

    Its pitch flutter and glottal phase carry over from one call to the next within a process, so the same text can
    come out a few samples different; rebuilds stay byte-identical because clips come from the cache.
    """

    name = "espeak"
    default_voices = ("ko", "ko+f3", "ko+m3", "ko+f2")

    def __init__(self, *, voice: str = "ko", rate: int = 165, pitch: int = 45):
        self.voice = voice
        self.rate = rate
        self.pitch = pitch
        self._espeak = _espeak()
        self.sample_rate = self._espeak.sample_rate
        if not self._espeak.has_voice(voice):
            raise UnknownVoice(self.name, voice, [*VARIANTS, "ko+<any variant in espeak-ng-data/voices/!v>"])

    def timbre(self) -> tuple[object, ...]:
        return (self.voice, self.rate, self.pitch)

    def voices(self) -> list[VoiceInfo]:
        shown = [VoiceInfo(name, description) for name, description in VARIANTS.items()]
        others = [name for name in self._espeak.variant_names() if f"ko+{name}" not in VARIANTS]
        return [*shown, VoiceInfo("ko+…", f"{len(others)} more variants: " + ", ".join(others[:12]) + ", …")]

    def identity(self) -> dict[str, Any]:
        return {
            "engine": self.name,
            "voice": self.voice,
            "rate": self.rate,
            "pitch": self.pitch,
            "version": self._espeak.version,
            "sample_rate": self.sample_rate,
        }

    def synthesize(self, text: str) -> Clip:
        if nothing_to_say(text):
            return self.silence()
        return clip_from_pcm16(self._espeak.speak(text, self.voice, self.rate, self.pitch), self.sample_rate)
