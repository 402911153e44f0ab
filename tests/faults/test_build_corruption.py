"""Damaged cache entries — cut short, cut to an odd length, zeroed, a flipped byte, emptied — for speech clips and
MP3 segments alike: the build finds each one, removes it, makes it again, says so, and writes the same episode a
clean build does."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from support.killing import SLUG, copy_show, tiny_show

from briefing.build import build_episode
from briefing.filestore import unseal
from briefing.settings import find_workspace
from briefing.timeline import read_timeline
from briefing.wavfile import wav_samples


def cut_short(data: bytes) -> bytes:
    return data[: len(data) * 7 // 10]


def odd_length(data: bytes) -> bytes:
    return data[: len(data) - 1 - len(data) % 2]


def zeroed(data: bytes) -> bytes:
    """The second half of the entry (its samples or frames) set to zero, its length kept."""
    return data[: len(data) // 2] + bytes(len(data) - len(data) // 2)


def flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x10]) + data[middle + 1 :]


def emptied(data: bytes) -> bytes:
    return b""


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "cut-short": cut_short,
    "odd-length": odd_length,
    "zeroed": zeroed,
    "flipped-byte": flipped,
    "emptied": emptied,
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A tiny show, built once: its caches are full and its episode is the clean build."""
    root = tiny_show(tmp_path_factory.mktemp("corruption") / "show")
    build_episode(find_workspace(root), root / "scripts" / f"{SLUG}.md", engine="espeak")
    return root


def entries(root: Path, cache: str) -> list[Path]:
    return sorted(path for path in (root / ".cache" / cache).rglob("*") if path.is_file())


def episode_files(root: Path) -> tuple[bytes, bytes]:
    episodes = root / "audio" / "episodes"
    return (episodes / f"{SLUG}.mp3").read_bytes(), (episodes / f"{SLUG}.json").read_bytes()


def utterance_lengths(root: Path) -> list[int]:
    timeline = read_timeline(root / "audio" / "episodes" / f"{SLUG}.json")
    return [u.end_ms - u.start_ms for chapter in timeline.chapters for u in chapter.utterances]


@pytest.mark.parametrize("cache", ["speech", "mp3"])
@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_entry_is_found_made_again_and_reported(built, tmp_path, cache, damage):
    root = copy_show(built, tmp_path / "show")
    damaged = entries(root, cache)
    assert damaged, f"no {cache} cache entries"
    for path in damaged:
        path.write_bytes(DAMAGE[damage](path.read_bytes()))

    report = build_episode(find_workspace(root), root / "scripts" / f"{SLUG}.md", engine="espeak", force=True)

    if cache == "mp3":  # the encoder gives the same frames again: the episode a clean build writes, byte for byte
        assert episode_files(root) == episode_files(built)
    else:
        # espeak's voice carries its pitch flutter from one sentence to the next within a process, so a sentence
        # spoken again may come out a few milliseconds different: the same sentences, whole and not silent.
        lengths, clean = utterance_lengths(root), utterance_lengths(built)
        assert all(abs(a - b) <= 20 for a, b in zip(lengths, clean, strict=True)), (lengths, clean)
        for path in entries(root, cache):
            samples, _rate = wav_samples(unseal(path.read_bytes()) if path.suffix == ".clip" else path.read_bytes())
            assert np.max(np.abs(samples)) > 3000
    assert abs(report.integrated_lufs + 16) <= 0.5 and report.true_peak_dbtp <= -1.0
    assert report.repaired == len(damaged)
    assert (report.synthesised if cache == "speech" else report.segments_encoded) == len(damaged)
    assert [path.name for path in entries(root, cache)] == [path.name for path in entries(built, cache)]
    for path in entries(root, cache):
        unseal(path.read_bytes())  # every entry whole again


def test_the_summary_and_the_json_report_say_how_many_were_repaired(built, tmp_path):
    root = copy_show(built, tmp_path / "show")
    clip = entries(root, "speech")[0]
    clip.write_bytes(cut_short(clip.read_bytes()))

    result = subprocess.run([sys.executable, "-m", "briefing", "build", "--engine", "espeak", "--force", "--json"],
                            cwd=root, capture_output=True, text=True, timeout=300)  # fmt: skip

    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert report["repaired"] == 1 and report["synthesised"] == 1
    assert "1 damaged cache entry made again" in " ".join(result.stderr.split())


def test_a_build_that_finds_nothing_damaged_reports_none(built, tmp_path):
    root = copy_show(built, tmp_path / "show")
    report = build_episode(find_workspace(root), root / "scripts" / f"{SLUG}.md", engine="espeak", force=True)
    assert (report.repaired, report.synthesised, report.segments_encoded) == (0, 0, 0)
