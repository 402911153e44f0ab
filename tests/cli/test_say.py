"""`briefing say`: one sentence, as a presenter will say it, written to a WAV file."""

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


def test_say_writes_the_spoken_form_to_a_wav(show_dir, capsys):
    outcome = briefing(["say", "Apple은 $7M를 11월 3일(화)에 냈습니다.", "--engine", "espeak", "-o", "hi.wav"],
                       capsys, cwd=show_dir)  # fmt: skip

    assert outcome.code == 0, outcome.err
    assert "said: 애플은 칠백만 달러를 십일월 삼 일 화요일에 냈습니다." in outcome.out
    assert 2.0 < wav_seconds(show_dir / "hi.wav") < 8.0
    assert "espeak (voice ko)" in outcome.out


def test_say_speaks_as_a_presenter_and_reuses_the_cache_the_build_will_use(scripted, capsys):
    root = scripted.parent.parent
    first = briefing(["say", "다음 소식입니다.", "--engine", "espeak", "--presenter", "지수"], capsys, cwd=root)
    assert first.code == 0 and "espeak (voice ko+f3)" in first.out and (root / "say.wav").is_file()

    second = briefing(["say", "다음 소식입니다.", "--engine", "espeak", "--voice", "ko+m1"], capsys, cwd=root)
    assert second.code == 0 and "espeak (voice ko+m1)" in second.out


def test_say_works_outside_a_show(tmp_path, capsys):
    outcome = briefing(["say", "안녕하세요.", "--engine", "espeak"], capsys, cwd=tmp_path)
    assert outcome.code == 0 and (tmp_path / "say.wav").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--presenter", "철수"], "error: there is no presenter called 철수 (show.toml has 지수, 민호)"),
        (["--voice", "ko+nobody"], "error: espeak has no voice 'ko+nobody' (its voices: ko, ko+f3,"),
        (["--engine", "polly"], "error: unknown speech engine 'polly' (choose one of: auto, supertonic, edge, gtts,"),
    ],
)
def test_say_refuses_what_it_cannot_do_in_one_sentence(scripted, capsys, args, message):
    root = scripted.parent.parent
    outcome = briefing(["say", "안녕하세요.", "--engine", "espeak", *args], capsys, cwd=root)

    assert outcome.code == 2 and outcome.err.strip().startswith(message)
    assert not (root / "say.wav").exists()


def test_say_with_an_edge_voice_through_the_stand_in(show_dir, fake_edge, capsys):
    toml = show_dir / "show.toml"
    endpoint = f'[speech]\nedge_endpoint = "{fake_edge.base}"\n'
    toml.write_text(toml.read_text(encoding="utf-8").replace("[speech]\n", endpoint), encoding="utf-8")
    outcome = briefing(["say", "네 번째 소식", "--engine", "edge", "--voice", "ko-KR-HyunsuMultilingualNeural"],
                       capsys, cwd=show_dir)  # fmt: skip

    assert outcome.code == 0, outcome.err
    assert [r.short_voice for r in fake_edge.requests] == ["ko-KR-HyunsuMultilingualNeural"]
    assert fake_edge.requests[0].text == "네 번째 소식"
