"""Hear before you build: `briefing say`, `briefing build --chapter N` and `briefing voices`, as a user runs them."""

from __future__ import annotations

import socket
import wave
from pathlib import Path

import pytest
from cli_run import briefing

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


# ------------------------------------------------------------------------------------------------------ say


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


# --------------------------------------------------------------------------------------------- build --chapter


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


# --------------------------------------------------------------------------------------------------- voices


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
