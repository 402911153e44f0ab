"""Atomic writes leave ordinary permissions (a published site must be world-readable) and no temporary files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from briefing.fsutil import atomic_directory, atomic_output, atomic_write_text


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_files_are_readable_by_everyone(tmp_path, umask_022):
    target = tmp_path / "feed.xml"
    atomic_write_text(target, "<rss/>")
    assert target.read_text() == "<rss/>"
    assert _mode(target) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]


def test_tool_output_is_renamed_into_place_with_ordinary_permissions(tmp_path, umask_022):
    target = tmp_path / "episode.mp3"
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"ID3")
        assert not target.exists()
    assert target.read_bytes() == b"ID3" and _mode(target) == 0o644


def test_failed_tool_output_leaves_nothing(tmp_path):
    with pytest.raises(RuntimeError), atomic_output(tmp_path / "episode.mp3") as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("encoder died")
    assert list(tmp_path.iterdir()) == []


def test_a_directory_is_swapped_in_whole_and_readable(tmp_path, umask_022):
    site = tmp_path / "feed"
    site.mkdir()
    (site / "old.txt").write_text("old")
    with atomic_directory(site) as staging:
        (staging / "new.txt").write_text("new")
        assert (site / "old.txt").exists()  # the old site stays until the new one is complete
    assert sorted(p.name for p in site.iterdir()) == ["new.txt"]
    assert _mode(site) == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed"]
