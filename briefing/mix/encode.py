"""The episode's MP3: libmp3lame CBR, mono, through ffmpeg, with nothing in it that changes from run to run."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from briefing.errors import BriefingError
from briefing.ffmpeg import ffmpeg_exe


def encode_command(rate: int, bitrate_kbps: int, target: Path) -> list[str]:
    """ffmpeg reading float32 mono PCM on stdin and writing a bit-exact CBR MP3 without any tags of its own.

    The Xing/LAME header stays (ffmpeg writes it when it can seek): it carries the encoder delay and padding, so
    players trim them and the decoded length equals the timeline's.
    """
    return [
        ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
        "-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "-",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-ar", str(rate), "-ac", "1",
        "-id3v2_version", "0", "-write_id3v1", "0",
        "-f", "mp3", str(target),
    ]  # fmt: skip


def encode_mp3(samples: np.ndarray, rate: int, bitrate_kbps: int, target: Path) -> None:
    """Encode `samples` (mono float32) into `target` (a temporary path the caller renames into place)."""
    pcm = np.ascontiguousarray(samples, dtype="<f4")
    process = subprocess.Popen(encode_command(rate, bitrate_kbps, target), stdin=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    try:
        process.stdin.write(memoryview(pcm).cast("B"))  # no copy of the episode's samples
        process.stdin.close()
    except BrokenPipeError:
        pass  # ffmpeg stopped early; its message follows
    stderr = process.stderr.read()
    if process.wait() != 0:
        message = stderr.decode("utf-8", "replace").strip().splitlines()
        raise BriefingError(f"MP3 encoding failed: {message[-1] if message else 'ffmpeg exited with an error'}", target)
