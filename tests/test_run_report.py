"""`briefing run` says what it synthesised: every utterance on a first build, then only what an edit changed and
in which chapter; and, when the show leaves the engine to `auto`, why it chose the one it did."""

from __future__ import annotations

import re
import socket

from typer.testing import CliRunner

from briefing.cli import app
from briefing.script import load_script

SMALL_ISSUE = """[Asia Tech Brief] 5. 짧은 소식
서울의 로봇 회사 한빛로보가 새 창고 로봇을 내놓았습니다. 로봇은 하루 8시간 움직입니다. 내용 출처 URL: https://news.example.com/2026/11/25/hanbit-robot
대만의 반도체 회사 타이칩이 공장을 늘립니다. 투자액은 3억 달러입니다. 내용 출처 URL: https://news.example.com/2026/11/26/taiwan-fab
"""


def test_run_names_what_it_synthesised_again_after_an_edit(show_dir, monkeypatch):
    issue = show_dir / "issues" / "small-005.txt"
    issue.write_text(SMALL_ISSUE, encoding="utf-8")
    monkeypatch.chdir(show_dir)
    runner = CliRunner()

    first = runner.invoke(app, ["run", "--engine", "espeak", str(issue)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    total = int(re.search(r"synthesised all (\d+) utterances", first.output)[1])

    path = show_dir / "scripts" / "asia-tech-brief-005.md"
    path.write_text(path.read_text("utf-8").replace("투자액은 3억 달러입니다.", "투자액은 4억 달러입니다."), "utf-8")
    edited_chapter = load_script(path).chapters[2].title
    second = runner.invoke(app, ["run", "--engine", "espeak", str(issue)], catch_exceptions=False)
    assert second.exit_code == 0, second.output
    assert f"synthesised 1 of {total} utterances, in '{edited_chapter}'" in second.output

    third = runner.invoke(app, ["run", "--engine", "espeak", str(issue)], catch_exceptions=False)
    assert "asia-tech-brief-005: " in third.output and ", up to date," in third.output


def test_run_says_why_auto_chose_its_engine(show_dir, monkeypatch):
    with socket.socket() as probe:  # a loopback port nothing listens on: the online engines cannot be reached
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    toml = show_dir / "show.toml"
    online = f'edge_endpoint = "{closed.replace("http", "ws")}"\ngtts_endpoint = "{closed}"\ntimeout = 2.0\n'
    toml.write_text(toml.read_text("utf-8").replace("timeout = 10.0", "").replace("[speech]\n", f"[speech]\n{online}"))
    issue = show_dir / "issues" / "small-005.txt"
    issue.write_text(SMALL_ISSUE, encoding="utf-8")
    monkeypatch.chdir(show_dir)

    result = CliRunner().invoke(app, ["run", str(issue)], catch_exceptions=False)

    assert result.exit_code == 0, result.output
    reason = next(line for line in result.output.splitlines() if line.startswith("engine: auto: "))
    assert "supertonic: no model at " in reason and "edge: could not connect" in reason
    assert reason.endswith("espeak: offline, always available")
    assert "asia-tech-brief-005: " in result.output and "built with espeak (synthesised all " in result.output
