"""`briefing run`: a small issue goes through script → build (real espeak-ng and ffmpeg) → publish → validate,
and a second run keeps the producer's edited script."""

from __future__ import annotations

import sys

import feedparser
import pytest
from lxml import etree
from typer.testing import CliRunner

from briefing.cli import app

SMALL_ISSUE = """[Asia Tech Brief] 2. 짧은 소식 & 시험
서울의 로봇 회사 한빛로보가 새 창고 로봇을 내놓았습니다. 로봇은 하루 8시간 움직입니다. 내용 출처 URL: https://news.example.com/2026/11/25/hanbit-robot?a=1&b=2
대만의 반도체 회사가 공장을 늘립니다. 투자액은 3억 달러입니다. 내용 출처 URL: https://news.example.com/2026/11/26/taiwan-fab
"""
PSC = "{http://podlove.org/simple-chapters}"


def test_run_makes_a_valid_feed_and_keeps_an_edited_script(show_dir, monkeypatch):
    issue = show_dir / "issues" / "small-002.txt"
    issue.write_text(SMALL_ISSUE, encoding="utf-8")
    monkeypatch.chdir(show_dir)
    runner = CliRunner()

    first = runner.invoke(app, ["run", "--engine", "espeak", str(issue)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    assert "asia-tech-brief-002: " in first.output and "new script" in first.output
    assert "https://podcast.example.com/asia-tech-brief/episodes/asia-tech-brief-002.mp3" in first.output
    assert "feed: feed/feed.xml (0 error(s), 0 warning(s))" in first.output

    script = show_dir / "scripts" / "asia-tech-brief-002.md"
    edited = script.read_text(encoding="utf-8").replace("## 오프닝", "## 여는 말", 1)
    script.write_text(edited, encoding="utf-8")
    guid = next(line.split(":", 1)[1].strip() for line in edited.splitlines() if line.startswith("guid:"))

    second = runner.invoke(app, ["run", "--engine", "espeak", str(issue)], catch_exceptions=False)
    assert second.exit_code == 0, second.output
    assert "existing script kept" in second.output
    assert script.read_text(encoding="utf-8") == edited

    feed = (show_dir / "feed" / "feed.xml").read_bytes()
    (entry,) = feedparser.parse(feed).entries
    assert entry.id == guid
    chapters = etree.fromstring(feed).find(f"channel/item/{PSC}chapters")
    assert chapters[0].get("title") == "여는 말"
    assert (show_dir / "feed" / "episodes" / "asia-tech-brief-002.mp3").stat().st_size == int(
        entry.enclosures[0].length
    )


def test_run_with_a_missing_issue_exits_2_with_one_sentence(show_dir, monkeypatch, capsys):
    from briefing.cli import main

    monkeypatch.chdir(show_dir)
    monkeypatch.setattr(sys, "argv", ["briefing", "run", "--engine", "espeak", "issues/nope.txt"])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "nope.txt" in error and "Traceback" not in error
    assert not (show_dir / "feed" / "feed.xml").exists()
