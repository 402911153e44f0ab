"""The script file format: byte-identical round trips, producers' edits, and parse errors with file:line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.requirements import FIXTURES

from briefing.errors import BriefingError
from briefing.models import Chapter, Script, ScriptMeta, Source
from briefing.script import load_script, parse_script, render_script

SCRIPTS = FIXTURES / "script"
SAMPLE = SCRIPTS / "sample.md"
EDITED = SCRIPTS / "edited.md"


def test_a_rendered_file_parses_and_renders_back_byte_for_byte():
    text = SAMPLE.read_text(encoding="utf-8")
    assert render_script(parse_script(text, SAMPLE)) == text


def test_the_sample_reads_as_opening_stories_and_closing():
    script = load_script(SAMPLE)
    assert [chapter.kind for chapter in script.chapters] == ["opening", "story", "story", "closing"]
    bus = script.chapters[1]
    assert bus.title == "서울 자율주행 버스"
    assert bus.paragraphs[2] == "#해시태그로 시작하는 문단도 그대로 읽습니다."  # the escaping backslash is gone
    assert bus.sources == (
        Source("https://news.example.com/seoul-bus", "source"),
        Source("https://images.example.com/bus.jpg", "thumbnail"),
    )
    assert script.meta.date == dt.date(2026, 12, 1)
    assert script.meta.engine is None and script.meta.voice == "ko"


def test_sources_are_never_part_of_the_spoken_paragraphs():
    script = load_script(SAMPLE)
    spoken = " ".join(p for chapter in script.chapters for p in chapter.paragraphs)
    assert "http" not in spoken and "출처" not in spoken


def test_a_producers_hand_edit_reads_as_meant_and_settles_after_one_rewrite():
    # CRLF line ends, wrapped lines, a source above the text, stray blanks, no engine/voice lines.
    edited = load_script(EDITED)
    assert edited.chapters[0].paragraphs == ("안녕하십니까, Asia Tech Brief입니다.",)
    story = edited.chapters[1]
    assert story.title == "서울 심야 버스"
    assert story.paragraphs[1] == "서울시는 12월부터 심야 자율주행 버스 3개 노선을 운행한다고 밝혔습니다."
    assert [source.kind for source in story.sources] == ["source", "thumbnail"]
    assert edited.chapters[2].title == "마무리"
    assert edited.meta.engine is None and edited.meta.voice is None
    rendered = render_script(edited)
    assert parse_script(rendered, EDITED) == edited
    assert render_script(parse_script(rendered, EDITED)) == rendered


def test_a_byte_order_mark_is_ignored(tmp_path: Path):
    path = tmp_path / "bom.md"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    assert load_script(path) == load_script(SAMPLE)


def _with_line(number: int, replacement: str) -> str:
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = replacement
    return "\n".join(lines)


def _line_of(needle: str) -> int:
    return SAMPLE.read_text(encoding="utf-8").split("\n").index(needle) + 1


@pytest.mark.parametrize(
    ("line", "replacement", "words"),
    [
        (_line_of("episode: 3"), "episode: three", "'episode'"),
        (_line_of("date: 2026-12-01"), "date: 1 December", "'date'"),
        (_line_of("slug: asia-tech-brief-003"), "slug: Asia Tech Brief", "'slug'"),
        (_line_of("engine:"), "engine: festival", "'engine'"),
        (_line_of("voice: ko"), "voise: ko", "unknown front matter field 'voise'"),
        (_line_of("title: 12월 첫째 주의 아시아 IT 소식"), "title: 이번 주: 소식", "front matter"),
        (_line_of("## 서울 자율주행 버스"), "##", "title"),
        (_line_of("## 도쿄 반도체 공장"), "### 도쿄 반도체 공장", "'## '"),
        (_line_of("> 출처: https://news.example.com/tokyo-fab"), "> see https://example.com", "'> 출처: URL'"),
    ],
)
def test_a_mistake_is_reported_with_file_and_line(line: int, replacement: str, words: str):
    path = Path("scripts/asia-tech-brief-003.md")
    with pytest.raises(BriefingError) as caught:
        parse_script(_with_line(line, replacement), path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert str(caught.value).startswith(f"scripts/asia-tech-brief-003.md:{line}: ")
    assert words in caught.value.message


def test_text_before_the_first_chapter_is_reported_at_its_line():
    text = SAMPLE.read_text(encoding="utf-8").replace("---\n\n## 오프닝", "---\n\n잊힌 문장\n\n## 오프닝")
    with pytest.raises(BriefingError) as caught:
        parse_script(text, Path("x.md"))
    assert caught.value.line == _line_of("## 오프닝")  # the inserted line sits where the blank line was


def test_a_chapter_left_empty_is_reported_at_its_heading():
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "마지막 두 번째 소식입니다.\n\n도쿄 인근에 2nm 공정 반도체 공장이 2027년 가동을 목표로 착공했습니다.\n\n", ""
    )
    with pytest.raises(BriefingError, match="nothing to say") as caught:
        parse_script(text, Path("x.md"))
    assert caught.value.line == _line_of("## 도쿄 반도체 공장")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "front matter"),
        ("## 오프닝\n\n안녕하십니까.\n", 1, "front matter"),
        ("---\nshow: x\n", 1, "closing '---'"),
        ("---\nshow: x\n---\n\n## 오프닝\n\n안녕\n\n## 끝\n\n끝\n", 1, "missing 'episode'"),
    ],
)
def test_a_broken_file_is_reported_with_a_line(text: str, line: int, words: str):
    with pytest.raises(BriefingError) as caught:
        parse_script(text, Path("x.md"))
    assert caught.value.line == line and words in caught.value.message


def test_a_script_needs_an_opening_and_a_closing():
    head = SAMPLE.read_text(encoding="utf-8").split("## 오프닝")[0]
    with pytest.raises(BriefingError, match="at least an opening and a closing"):
        parse_script(head + "## 오프닝\n\n안녕하십니까.\n", Path("x.md"))


def test_a_missing_or_non_utf8_script_names_the_file(tmp_path: Path):
    with pytest.raises(BriefingError, match="not found") as missing:
        load_script(tmp_path / "none.md")
    assert missing.value.path == tmp_path / "none.md"
    latin = tmp_path / "latin.md"
    latin.write_bytes("---\nshow: 소식\n".encode() + "title: café\n".encode("latin-1"))
    with pytest.raises(BriefingError, match="not UTF-8") as caught:
        load_script(latin)
    assert caught.value.path == latin and caught.value.line == 3


# ---- any script this module renders reads back as itself ----------------------------------------------------

_word = st.text(st.characters(categories=("L", "N", "P", "S"), exclude_characters="\x85"), min_size=1, max_size=8)
_line = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_url = st.from_regex(r"https://[a-z]{1,8}\.example/[A-Za-z0-9_%/?=&.-]{0,20}", fullmatch=True)
_chapter = st.builds(
    lambda title, paragraphs, sources: (title, tuple(paragraphs), tuple(sources)),
    _line,
    st.lists(_line, min_size=1, max_size=4),
    st.lists(st.builds(Source, _url, st.sampled_from(["source", "thumbnail"])), max_size=3),
)


@st.composite
def scripts(draw) -> Script:
    middle = draw(st.lists(_chapter, max_size=4))
    first, last = draw(_chapter), draw(_chapter)
    kinds = ["opening", *["story"] * len(middle), "closing"]
    chapters = tuple(
        Chapter(kind, title, paragraphs, sources)
        for kind, (title, paragraphs, sources) in zip(kinds, [first, *middle, last], strict=True)
    )
    meta = ScriptMeta(
        show=draw(_line),
        episode=draw(st.integers(0, 5000)),
        title=draw(_line),
        date=draw(st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))),
        slug=draw(st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,5}){0,3}", fullmatch=True)),
        guid=draw(st.uuids()).__str__(),
        source=draw(_line),
        engine=draw(st.sampled_from([None, "auto", "gtts", "espeak"])),
        voice=draw(st.one_of(st.none(), _line)),
    )
    return Script(meta, chapters)


@settings(max_examples=60, deadline=None)
@given(scripts())
def test_any_rendered_script_parses_back_to_itself(script: Script):
    text = render_script(script)
    parsed = parse_script(text, Path("x.md"))
    assert parsed == script
    assert render_script(parsed) == text
