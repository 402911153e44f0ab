"""16-bit mono WAV files in memory: what the speech cache stores and the music generator writes."""

from __future__ import annotations

import io
import wave
from pathlib import Path
from typing import BinaryIO

import numpy as np


def wav_bytes(pcm16: np.ndarray, sample_rate: int) -> bytes:
    """16-bit mono samples as a WAV file; nothing else goes in it (no timestamp), so the same samples give the same
    bytes."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(np.asarray(pcm16).astype("<i2", copy=False).tobytes())
    return buffer.getvalue()


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """A 16-bit mono WAV file's samples (int16) and rate; raises wave.Error or EOFError when the file is not one."""
    with open(path, "rb") as handle:
        return wav_samples(handle)


def wav_samples(source: bytes | BinaryIO) -> tuple[np.ndarray, int]:
    """The samples (int16) and rate of a 16-bit mono WAV file's bytes; wave.Error or EOFError when they are not
    one, or hold fewer samples than their header says."""
    with wave.open(io.BytesIO(source) if isinstance(source, bytes) else source, "rb") as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise wave.Error("not a 16-bit mono WAV file")
        frames = wav.readframes(wav.getnframes())
        if len(frames) != 2 * wav.getnframes():
            raise EOFError("the WAV file is cut short")
        return np.frombuffer(frames, dtype="<i2"), wav.getframerate()
