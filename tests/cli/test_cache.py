"""`briefing cache size` / `briefing cache clear`, run as the real command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from briefing.mix.segments import SegmentCache
from briefing.speech.cache import ClipCache
from briefing.speech.engines.base import clip_from_float

IDENTITY = {"engine": "espeak", "voice": "ko"}


def briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def test_size_then_clear_then_size(show_dir):
    cache = ClipCache(show_dir / ".cache" / "speech")
    for text in ("하나", "둘"):
        cache.put(IDENTITY, text, clip_from_float(np.zeros(22050 * 30), 22050))  # 1.3 MB each
    segments = SegmentCache(show_dir / ".cache" / "mp3")
    frame = bytes.fromhex("fffb70c4") + bytes(309)  # one 96 kb/s mono frame: 313 bytes
    segments.put("ab" * 32, [frame] * 1000)

    size = briefing("cache", "size", cwd=show_dir / "scripts")  # found from a sub-folder
    cleared = briefing("cache", "clear", "--workspace", str(show_dir), cwd=show_dir.parent)
    after = briefing("cache", "size", cwd=show_dir)

    assert size.returncode == 0, size.stderr
    clips, mp3 = size.stdout.splitlines()
    assert clips.startswith("2 clips, 2.6 MB in ") and mp3.startswith("1 MP3 segment, 0.3 MB in ")
    assert cleared.returncode == 0
    assert cleared.stdout.splitlines()[0].startswith("removed 2 clips, 2.6 MB from ")
    assert cleared.stdout.splitlines()[1].startswith("removed 1 MP3 segment, 0.3 MB from ")
    assert after.stdout.splitlines()[0].startswith("0 clips, 0.0 MB")
    assert after.stdout.splitlines()[1].startswith("0 MP3 segments, 0.0 MB")
    assert cache.get(IDENTITY, "하나") is None and segments.get("ab" * 32, 1000) is None


def test_outside_a_show_it_is_one_clear_error(tmp_path):
    result = briefing("cache", "size", cwd=tmp_path)

    assert result.returncode == 2
    assert "no show.toml" in result.stderr and "Traceback" not in result.stderr
