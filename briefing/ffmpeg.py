"""Where the ffmpeg binary is (the one on PATH, else the one the imageio-ffmpeg package ships: no apt step needed),
and how a failed ffmpeg run is reported."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

from briefing.errors import BriefingError


@functools.cache
def ffmpeg_exe() -> str:
    """The path of an ffmpeg executable, looked up once per process."""
    on_path = shutil.which("ffmpeg")
    if on_path:
        return on_path
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as error:
        raise BriefingError(f"ffmpeg is not on PATH and the imageio-ffmpeg binary is unavailable ({error})") from None


def ffmpeg_error(doing: str, stderr: bytes, path: Path | str | None = None) -> BriefingError:
    """The error for an ffmpeg run that failed: what it was doing and ffmpeg's own last word on why, e.g.
    "MP3 encoding failed: Invalid argument"."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return BriefingError(f"{doing}: {lines[-1] if lines else 'ffmpeg exited with an error'}", path)
