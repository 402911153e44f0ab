"""`briefing voices`: every engine, its voices, whether it is usable here and why not, and who speaks with which."""

from __future__ import annotations

import socket
import wave
from pathlib import Path

import pytest
from support.cli_run import briefing

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


def test_voices_lists_every_engine_its_voices_and_the_presenters_on_it(scripted, fake_edge, capsys):
    root = scripted.parent.parent
    toml = root / "show.toml"
    port = closed_port()
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[speech]\n", f'[speech]\nedge_endpoint = "{fake_edge.base}"\ngtts_endpoint = "http://127.0.0.1:{port}"\n'),
        encoding="utf-8")  # fmt: skip

    outcome = briefing(["voices"], capsys, cwd=root)

    assert outcome.code == 0, outcome.err
    lines = outcome.out.splitlines()
    headers = [line for line in lines if not line.startswith(" ")]
    assert [h.split()[0] for h in headers] == ["supertonic", "edge", "gtts", "espeak"]
    assert "no model at " in headers[0] and "briefing voices fetch supertonic" in headers[0]
    assert headers[1].startswith("edge  usable: answered in ")
    assert headers[2].startswith("gtts  not usable: could not connect")
    assert headers[3] == "espeak  usable: offline, always available"
    assert any("ko-KR-SunHiNeural" in line and "← 지수" in line for line in lines)
    assert any("ko-KR-InJoonNeural" in line and "← 민호" in line for line in lines)
    assert any(line.strip().startswith("ko+f3") and "← 지수" in line for line in lines)
    assert any("gTTS has one Korean voice, so presenters 지수 and 민호 would sound alike" in line for line in lines)


def test_voices_without_probing_asks_no_one(tmp_path, capsys):
    outcome = briefing(["voices", "--no-probe"], capsys, cwd=tmp_path)

    assert outcome.code == 0
    assert "edge  not asked: online (--no-probe" in outcome.out and "gtts  not asked" in outcome.out
