"""Reading audio files of any format ffmpeg decodes, as mono float32 samples at the episode's rate."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from briefing.errors import BriefingError
from briefing.ffmpeg import ffmpeg_error, ffmpeg_exe
from briefing.userfile import AUDIO_LIMIT, check_user_file

STREAM_CHUNK_SAMPLES = 1 << 18


def decode_command(path: Path | str, rate: int) -> list[str]:
    return [ffmpeg_exe(), "-nostdin", "-v", "error", "-i", str(path), "-map", "0:a:0",
            "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"]  # fmt: skip


def decode_audio(path: Path, rate: int, what: str = "audio file") -> np.ndarray:
    """The file's first audio stream, mixed down to mono and resampled to `rate` (float32, read-only)."""
    check_user_file(path, what, limit=AUDIO_LIMIT)  # ffmpeg would wait on a pipe, or read /dev/zero for ever
    result = subprocess.run(decode_command(path, rate), capture_output=True, check=False)
    if result.returncode != 0:
        raise ffmpeg_error(f"cannot read {what}", result.stderr, path)
    samples = np.frombuffer(result.stdout, dtype="<f4")
    if len(samples) == 0:
        raise BriefingError(f"{what} has no audio", path)
    return samples
