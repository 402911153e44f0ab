"""`briefing build --chapter N`: one chapter into a preview file, the episode left alone."""

from __future__ import annotations

import socket
import wave
from pathlib import Path

import pytest
from support.cli_run import briefing

from briefing.build import build_episode
from briefing.ingest import read_issue
from briefing.script import make_script, write_script
from briefing.settings import find_workspace

TWO = '\n[[presenters]]\nname = "지수"\nespeak = "ko+f3"\n\n[[presenters]]\nname = "민호"\n'


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def scripted(show_dir: Path) -> Path:
    """The example show with two presenters and its issue's script; returns the script."""
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + TWO, encoding="utf-8")
    show = find_workspace(show_dir)
    return write_script(show, make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)).path


def test_one_chapter_is_previewed_without_touching_the_episode(scripted, capsys):
    root = scripted.parent.parent
    outcome = briefing(["build", str(scripted), "--chapter", "2", "--engine", "espeak"], capsys, cwd=root)

    assert outcome.code == 0, outcome.err
    preview = root / "audio" / "previews" / "asia-tech-brief-001-chapter-2.wav"
    assert f"wrote {preview.relative_to(root)}: chapter 2" in outcome.out
    assert "espeak (지수: ko+f3, 민호: ko)" in outcome.out
    assert 10 < wav_seconds(preview) < 120
    assert not any((root / "audio" / "episodes").iterdir())  # no episode, no timeline

    report = build_episode(find_workspace(root), scripted, engine="espeak")
    assert report.reused > 0  # the chapter's clips, spoken for the preview, are the build's


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chapter", "9"], ": there is no chapter 9: the script has chapters 1 to 6"),
        (["--chapter", "0"], "Invalid value for '--chapter'"),
        (["--output", "x.wav"], "error: --output goes with --chapter"),
    ],
)
def test_a_wrong_preview_is_one_sentence(scripted, capsys, args, message):
    root = scripted.parent.parent
    outcome = briefing(["build", str(scripted), "--engine", "espeak", *args], capsys, cwd=root)

    assert outcome.code == 2 and message in outcome.err
    assert not (root / "audio" / "previews").exists() and not any((root / "audio" / "episodes").iterdir())


def test_a_preview_needs_exactly_one_script(scripted, capsys):
    outcome = briefing(["build", "--chapter", "1"], capsys, cwd=scripted.parent.parent)
    assert outcome.code == 2 and "--chapter previews one chapter of one script" in outcome.err
