"""One plain MP3 encode of a whole signal through ffmpeg (the episode's own encoder, without segments, limiter or
measurement): test material, and the benchmarks' baseline."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from briefing.ffmpeg import ffmpeg_error
from briefing.mix.encode import encode_command


def encode_mp3(samples: np.ndarray, rate: int, bitrate_kbps: int, target: Path) -> None:
    """Encode `samples` (mono float32) into `target` (a temporary path the caller renames into place)."""
    pcm = np.ascontiguousarray(samples, dtype="<f4")
    process = subprocess.Popen(encode_command(rate, bitrate_kbps, target), stdin=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    assert process.stdin is not None and process.stderr is not None  # both are pipes
    try:
        process.stdin.write(pcm.data.cast("B"))  # no copy of the episode's samples
        process.stdin.close()
    except BrokenPipeError:
        pass  # ffmpeg stopped early; its message follows
    stderr = process.stderr.read()
    if process.wait() != 0:
        raise ffmpeg_error("MP3 encoding failed", stderr, target)
