"""Speaker marks in a script (`**Name:**`), and the two-presenter templates that write them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.ingest import read_issue
from briefing.models import Script
from briefing.script import make_script, parse_script, render_script
from briefing.script.marks import resolve_speakers, split_mark
from briefing.settings import find_workspace
from briefing.speech.utterances import script_utterances

TWO = """
[[presenters]]
name = "지수"
espeak = "ko+f3"
edge = "ko-KR-SunHiNeural"

[[presenters]]
name = "민호"
espeak = "ko"
pitch = 40
edge = "ko-KR-InJoonNeural"
"""


def with_presenters(show_dir: Path, block: str = TWO) -> Path:
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + block, encoding="utf-8")
    return toml


SCRIPT = """---
show: S
episode: 1
title: T
date: 2026-12-01
slug: s-001
guid: g
source: i.txt
---

## 오프닝

**지수:** 안녕하십니까.

**민호**: 안녕하세요.

같은 사람이 이어서 말합니다.

## 첫 소식

**민호:**

이 장은 민호가 읽습니다.

두 번째 문단도 민호입니다.

## 마무리

\\**강조:** 이것은 표시가 아니라 문장입니다.

**지수:** 고맙습니다.
"""


def test_marks_give_paragraphs_to_presenters_until_the_next_mark():
    script = parse_script(SCRIPT, Path("s.md"), ["지수", "민호"])
    opening, story, closing = script.chapters

    assert opening.paragraphs == ("안녕하십니까.", "안녕하세요.", "같은 사람이 이어서 말합니다.")
    assert resolve_speakers(opening.marks, 3) == ["지수", "민호", "민호"]
    assert resolve_speakers(story.marks, 2) == ["민호", "민호"]  # a mark alone under the heading: the whole chapter
    assert closing.paragraphs[0] == "**강조:** 이것은 표시가 아니라 문장입니다."  # escaped: text, not a mark
    assert resolve_speakers(closing.marks, 2) == [None, "지수"]  # a chapter starts with the lead


def test_utterances_carry_their_speaker_and_the_lead_reads_the_rest():
    script = parse_script(SCRIPT, Path("s.md"), ["지수", "민호"])
    speakers = [(u.written, u.speaker) for u in script_utterances(script, lead="지수")]

    assert speakers[:3] == [
        ("안녕하십니까.", "지수"),
        ("안녕하세요.", "민호"),
        ("같은 사람이 이어서 말합니다.", "민호"),
    ]
    assert speakers[-2] == ("**강조:** 이것은 표시가 아니라 문장입니다.", "지수")


def test_a_script_with_marks_renders_back_to_the_same_marks():
    script = parse_script(SCRIPT, Path("s.md"))
    rendered = render_script(script)

    assert parse_script(rendered, Path("s.md")) == script
    assert render_script(parse_script(rendered, Path("s.md"))) == rendered
    assert "**민호:** 안녕하세요." in rendered and "\\**강조:** 이것은" in rendered


@pytest.mark.parametrize(
    ("edit", "presenters", "message", "needle"),
    [
        (("**민호**: 안녕하세요.", "**철수:** 안녕하세요."), ["지수", "민호"],
         "the speaker mark names 철수, who is not a presenter (show.toml has 지수, 민호)", "**철수:** 안녕하세요."),
        (("", ""), [], "a speaker mark names 지수, but show.toml has no [[presenters]]", "**지수:** 안녕하십니까."),
        (("**지수:** 고맙습니다.", "고맙습니다.\n\n**지수:**"), ["지수", "민호"],
         "the speaker mark for 지수 has no paragraph after it", "**지수:**"),
        (("**민호:**\n\n이 장은", "**민호:**\n\n> 출처: https://example.com/a\n\n이 장은"), ["지수", "민호"],
         "the speaker mark for 민호 has no paragraph after it", "**민호:**"),
    ],
)  # fmt: skip
def test_a_wrong_mark_is_one_sentence_with_its_line(edit, presenters, message, needle):
    text = SCRIPT.replace(*edit) if edit[0] else SCRIPT
    with pytest.raises(BriefingError) as caught:
        parse_script(text, Path("s.md"), presenters)
    assert caught.value.message == message
    assert caught.value.line == text.splitlines().index(needle) + 1


def test_split_mark_reads_both_spellings_and_nothing_else():
    assert split_mark("**지수:** 안녕") == ("지수", "안녕")
    assert split_mark("**지수**: 안녕") == ("지수", "안녕")
    assert split_mark("**Kim Ji-su:**안녕") == ("Kim Ji-su", "안녕")
    assert split_mark("**굵게** 쓴 말") == (None, "**굵게** 쓴 말")
    assert split_mark("지수: 안녕") == (None, "지수: 안녕")


def story_readers(script: Script) -> list[str | None]:
    return [resolve_speakers(c.marks, len(c.paragraphs))[0] for c in script.chapters if c.kind == "story"]


def test_two_presenters_get_the_two_presenter_templates(show_dir):
    show = find_workspace(with_presenters(show_dir).parent)
    script = make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)
    opening, closing = script.chapters[0], script.chapters[-1]

    assert opening.paragraphs[:2] == ("안녕하십니까, Asia Tech Brief의 지수입니다.", "안녕하세요, 민호입니다.")
    assert resolve_speakers(opening.marks, 3) == ["지수", "민호", "지수"]
    assert "민호 씨와 번갈아 전해 드리겠습니다" in opening.paragraphs[2]
    assert story_readers(script) == ["민호", "지수", "민호", "지수"][: len(story_readers(script))]  # in turn
    assert resolve_speakers(closing.marks, 2) == ["지수", "민호"]
    assert re.search(r"\*\*민호:\*\* _먼저 첫 번째 소식입니다\._", render_script(script))


def test_one_presenter_keeps_the_one_presenter_wording(show_dir):
    plain = find_workspace(show_dir)
    named = find_workspace(with_presenters(show_dir, '\n[[presenters]]\nname = "지수"\n').parent)
    issue = read_issue(show_dir / "issues" / "asia-tech-brief-001.txt")

    assert make_script(issue, named).chapters == make_script(issue, plain).chapters
    assert all(not chapter.marks for chapter in make_script(issue, named).chapters)
