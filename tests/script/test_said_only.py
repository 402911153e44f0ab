"""A paragraph said but left out of the show notes (a story's lead-in, in _underscores_) keeps its speaker mark in a
show with two presenters, and the script file reads back the same."""

from __future__ import annotations

from pathlib import Path

from briefing.ingest import read_issue
from briefing.script import make_script, parse_script, render_script
from briefing.settings import find_workspace

PRESENTERS = """
[[presenters]]
name = "지수"
espeak = "ko+f3"

[[presenters]]
name = "민호"
espeak = "ko"
"""


def test_a_lead_in_keeps_its_speaker_and_its_place_out_of_the_notes(show_dir: Path):
    show_toml = show_dir / "show.toml"
    show_toml.write_text(show_toml.read_text(encoding="utf-8").replace("\n[music]", PRESENTERS + "\n[music]", 1))
    show = find_workspace(show_dir)
    script = make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)
    first = script.chapters[1]
    assert first.marks[0] == "민호" and first.spoken_only == (0,)
    assert first.paragraphs[0] == "먼저 첫 번째 소식입니다."
    text = render_script(script)
    assert "\n**민호:** _먼저 첫 번째 소식입니다._\n" in text
    assert parse_script(text, Path("x.md"), ["지수", "민호"]) == script
    closing = script.chapters[-1]
    assert closing.marks == ("지수", "민호") and "다음 주에 다시 찾아뵙겠습니다" in closing.paragraphs[1]
