"""Where the ffmpeg binary is: the one on PATH, else the one the imageio-ffmpeg package ships (no apt step needed)."""

from __future__ import annotations

import functools
import shutil

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
