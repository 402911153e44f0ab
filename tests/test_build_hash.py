"""The timeline records its MP3's SHA-256: an MP3 written by a build that was stopped before its timeline (new MP3,
old timeline) is refused by publish in one sentence and built again by build."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support.killing import EDITED_STORY, SLUG, copy_show, tiny_show, write_script

from briefing.build import build_episode
from briefing.settings import find_workspace
from briefing.timeline import read_timeline


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, bytes]:
    """A tiny show built, whose edited script was built again: (the show, the first build's timeline bytes)."""
    root = tiny_show(tmp_path_factory.mktemp("hash") / "show")
    build_episode(find_workspace(root), root / "scripts" / f"{SLUG}.md", engine="espeak")
    first = (root / "audio" / "episodes" / f"{SLUG}.json").read_bytes()
    write_script(root, EDITED_STORY)
    build_episode(find_workspace(root), root / "scripts" / f"{SLUG}.md", engine="espeak")
    return root, first


@pytest.fixture
def stopped_between(two_builds, tmp_path) -> Path:
    """The second build's MP3 beside the first build's timeline: a build stopped between writing the two."""
    root = copy_show(two_builds[0], tmp_path / "show")
    (root / "audio" / "episodes" / f"{SLUG}.json").write_bytes(two_builds[1])
    return root


def test_the_timeline_records_the_hash_of_its_mp3(two_builds):
    root, _ = two_builds
    episodes = root / "audio" / "episodes"
    recorded = json.loads((episodes / f"{SLUG}.json").read_text(encoding="utf-8"))["mp3_sha256"]
    assert recorded == hashlib.sha256((episodes / f"{SLUG}.mp3").read_bytes()).hexdigest()
    assert read_timeline(episodes / f"{SLUG}.json").mp3_sha256 == recorded


def test_publish_refuses_an_mp3_its_timeline_does_not_describe(stopped_between):
    result = subprocess.run([sys.executable, "-m", "briefing", "publish"], cwd=stopped_between, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    message = " ".join(result.stderr.split())
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"{SLUG}.mp3: is not the MP3 its timeline {SLUG}.json describes" in message
    assert f"briefing build scripts/{SLUG}.md" in message
    assert list((stopped_between / "feed").iterdir()) == [] and not (stopped_between / "published.json").exists()


def test_build_builds_such_an_episode_again(stopped_between, two_builds):
    mp3 = (stopped_between / "audio" / "episodes" / f"{SLUG}.mp3").read_bytes()
    report = build_episode(find_workspace(stopped_between), stopped_between / "scripts" / f"{SLUG}.md",
                           engine="espeak")  # fmt: skip
    assert report.built and report.synthesised == 0  # the clips were cached by the stopped build
    episodes = stopped_between / "audio" / "episodes"
    assert (episodes / f"{SLUG}.mp3").read_bytes() == mp3  # the same episode, now with its own timeline
    assert (episodes / f"{SLUG}.json").read_bytes() == (
        two_builds[0] / "audio" / "episodes" / f"{SLUG}.json"
    ).read_bytes()


def test_a_timeline_from_before_hashes_is_checked_by_the_mp3s_size(stopped_between, tmp_path):
    """A timeline written before hashes were recorded (format 2 without "mp3_sha256") still publishes; its MP3's
    size is what tells a mismatch then."""
    episodes = stopped_between / "audio" / "episodes"
    timeline = json.loads((episodes / f"{SLUG}.json").read_text(encoding="utf-8"))
    del timeline["mp3_sha256"]
    (episodes / f"{SLUG}.json").write_text(json.dumps(timeline, ensure_ascii=False), encoding="utf-8")
    size = (episodes / f"{SLUG}.mp3").stat().st_size
    assert size != timeline["mp3_bytes"]
    refused = subprocess.run([sys.executable, "-m", "briefing", "publish"], cwd=stopped_between, capture_output=True,
                             text=True, timeout=120)  # fmt: skip
    assert refused.returncode == 2 and "is not the MP3 its timeline" in refused.stderr

    timeline["mp3_bytes"] = size
    (episodes / f"{SLUG}.json").write_text(json.dumps(timeline, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(stopped_between / "feed")
    accepted = subprocess.run([sys.executable, "-m", "briefing", "publish"], cwd=stopped_between,
                              capture_output=True, text=True, timeout=120)  # fmt: skip
    assert accepted.returncode == 0, accepted.stderr
