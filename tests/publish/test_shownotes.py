"""Show notes read as notes: each story's heading, text and sources, without the spoken lead-ins, each block on its
own line; the script file marks a lead-in in _underscores_ and reads it back."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from lxml import etree
from support.synthetic import synthetic_timeline

from briefing.ingest import read_issue
from briefing.publish.shownotes import show_notes_html
from briefing.script import make_script, parse_script, render_script
from briefing.settings import find_workspace
from briefing.speech.utterances import script_utterances


def test_show_notes_leave_out_the_spoken_lead_ins_and_keep_blocks_apart(show_dir: Path):
    show = find_workspace(show_dir)
    script = make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)
    first_story = script.chapters[1]
    assert first_story.paragraphs[0] == "먼저 첫 번째 소식입니다." and first_story.spoken_only == (0,)
    # The script file marks it, and reads back the same.
    text = render_script(script)
    assert "\n_먼저 첫 번째 소식입니다._\n" in text
    assert parse_script(text, Path("x.md")) == script
    # It is still said, without the marks.
    said = [u.written for u in script_utterances(script, {}) if u.chapter == 1]
    assert said[0] == "먼저 첫 번째 소식입니다."

    timeline = synthetic_timeline(1, 60_000, title=script.meta.title)
    stories = [c for c in script.chapters if c.kind == "story"]
    timed = tuple(
        dataclasses.replace(chapter, title=story.title, paragraphs=story.paragraphs, spoken_only=story.spoken_only)
        for chapter, story in zip([c for c in timeline.chapters if c.kind == "story"], stories, strict=False)
    )
    timeline = dataclasses.replace(timeline, chapters=(timeline.chapters[0], *timed, timeline.chapters[-1]))
    notes = show_notes_html(timeline)
    assert "소식입니다" not in notes
    assert script.meta.title not in notes  # the app shows the title already
    # An app that strips the tags still shows each heading on its own line.
    stripped = [line for line in re.sub(r"<[^>]+>", "", notes).splitlines() if line.strip()]
    assert stripped[0] == stories[0].title
    assert stories[1].title in stripped
    etree.fromstring(f"<notes>{notes}</notes>".encode())  # well-formed


def test_a_paragraph_of_story_text_in_underscores_is_kept_as_written():
    source = (
        "---\nshow: S\nepisode: 1\ntitle: T\ndate: 2026-11-23\nslug: s-001\nguid: g\nsource: x\n---\n\n"
        "## 오프닝\n\n안녕.\n\n## 이야기\n\n\\_밑줄_로 쓴 이름입니다_\n\n## 마무리\n\n끝.\n"
    )
    script = parse_script(source, Path("x.md"))
    assert script.chapters[1].paragraphs == ("_밑줄_로 쓴 이름입니다_",) and script.chapters[1].spoken_only == ()
    assert render_script(script).endswith(source.split("---\n", 2)[2])  # the same body, escaped the same way
