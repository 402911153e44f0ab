"""`briefing cache size` / `briefing cache clear`, run as the real command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

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

    size = briefing("cache", "size", cwd=show_dir / "scripts")  # found from a sub-folder
    cleared = briefing("cache", "clear", "--workspace", str(show_dir), cwd=show_dir.parent)
    after = briefing("cache", "size", cwd=show_dir)

    assert size.returncode == 0, size.stderr
    assert size.stdout.startswith("2 clips, 2.6 MB in ")
    assert cleared.returncode == 0 and cleared.stdout.startswith("removed 2 clips, 2.6 MB from ")
    assert after.stdout.startswith("0 clips, 0.0 MB")
    assert cache.get(IDENTITY, "하나") is None


def test_outside_a_show_it_is_one_clear_error(tmp_path):
    result = briefing("cache", "size", cwd=tmp_path)

    assert result.returncode == 2
    assert "no show.toml" in result.stderr and "Traceback" not in result.stderr
