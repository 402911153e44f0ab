"""Property tests over hostile text: ingest, the script parser, the normaliser and the feed writer take any text without
an exception (bad input is a BriefingError, nothing else), and every feed written passes `validate --strict`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.errors import BriefingError
from briefing.feedspec.xmltext import NOT_XML_CHAR
from briefing.models import Source
from briefing.release import publish
from briefing.script import parse_script, render_script
from briefing.settings import find_workspace
from briefing.speech.normalize import normalize
from briefing.validate import validate_feed

REPO = Path(__file__).resolve().parents[2]
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


def examples(count: int) -> settings:
    """Modest example counts: the suite runs on two cores."""
    return settings(max_examples=count, deadline=None, suppress_health_check=_QUIET)


# What hostile text is made of: Korean, Latin, digits in long runs, markup, controls, surrogates' neighbours, links.
PIECES = st.sampled_from(
    [
        "소식", "입니다", "억", "만", "원", "달러", "%", "년", "월", "일", "[쇼]", "1.", "#", "##", ">", "> 출처:",
        "https://news.example.com/a?b=1&c=<2>", "javascript:alert(1)", "<script>", "]]>", "&amp;", "&", "\"'",
        "\\", "\u0000", "\u0001", "\u001b", "\u007f", "\u0085", "\u2028", "\ufeff", "\ufffe", "\ufffd", "𝕏",
        "漢字", "　", "\t", "\r", "\n", "\n\n", "---", "{{ x }}", "{% if %}", "0" * 40, "9" * 400, "1,000,000",
        "$1.5B", "2017-02-30", "0000년 11월 셋째 주", "9999년 12월 마지막 주", "12345678901234567890123456789",
    ]
)  # fmt: skip
hostile_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=25).map("".join),
)
line_text = hostile_text.map(lambda text: " ".join(text.split()))  # one line, as a heading or a title
# A show's own words, as show.toml takes them (it refuses what a feed cannot carry: see the bad-input table).
show_words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=60).map(
    lambda text: text if text.strip() else "쇼 " + text
)


# ------------------------------------------------------------------------------------------------- ingest


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@examples(25)
@given(title=line_text, paragraphs=st.lists(hostile_text, min_size=1, max_size=4))
def test_ingest_takes_any_issue_text(tmp_path_factory, suffix, title, paragraphs):
    from briefing.ingest import read_issue

    path = tmp_path_factory.mktemp("issue") / f"hostile-001{suffix}"
    heading = {".txt": f"[쇼] 1. {title}", ".md": f"# {title}", ".html": f"<h1>{title}</h1>"}[suffix]
    path.write_text(heading + "\n" + "\n".join(paragraphs) + "\n", encoding="utf-8", errors="surrogatepass")
    try:
        issue = read_issue(path, today=dt.date(2026, 11, 30))
    except BriefingError:
        event("refused in one sentence")
        return
    event("read")
    assert issue.stories and all(story.title.strip() for story in issue.stories)


# ------------------------------------------------------------------------------------------- script parser

SCRIPT_HEAD = "---\nshow: S\nepisode: 1\ntitle: T\ndate: 2026-11-23\nslug: s-001\nguid: g\nsource: i.txt\n---\n"


@examples(200)
@given(body=hostile_text, head=st.booleans())
@example(body="date: 2017-02-30\n", head=False)
@example(body="## a\n\n" + "가\n\n" * 3 + "## b\n\n" + "9" * 5000, head=True)
def test_the_script_parser_takes_any_text(body, head):
    text = (SCRIPT_HEAD if head else "---\n") + body
    try:
        script = parse_script(text, Path("scripts/s-001.md"))
    except BriefingError as error:
        assert error.path == Path("scripts/s-001.md")
        return
    # What parses renders back to a file that parses to the same script.
    assert parse_script(render_script(script), Path("again.md")) == script


# ------------------------------------------------------------------------------------------------ normaliser


@examples(150)
@given(text=hostile_text)
@example(text="오늘은 " + "7" * 5000 + "개")
@example(text="$" + "9" * 5000 + "M 그리고 " + "1" * 4301 + "%")
def test_the_normaliser_takes_any_text(text):
    spoken = normalize(text)
    assert isinstance(spoken, str) and "\n" not in spoken
    assert not any(character.isdigit() and character.isascii() for character in spoken)


# ------------------------------------------------------------------------------------------------ feed writer


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 2.0)
    return path.read_bytes(), mp3_duration_ms(path)


def _show(root: Path, title: str, description: str, author: str) -> Path:
    import json

    (root / "feed").mkdir(parents=True)
    settings_text = (REPO / "show.toml").read_text(encoding="utf-8")
    for field, value in (("title", title), ("description", description), ("author", author)):
        start = settings_text.index(f"\n{field} = ") + 1
        end = settings_text.index("\n", start)
        quoted = json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")  # as TOML wants it
        settings_text = settings_text[:start] + f"{field} = {quoted}" + settings_text[end:]
    settings_text = settings_text.replace(
        "https://podcast.example.com/asia-tech-brief/", "https://podcast.briefing.dev/"
    )
    settings_text = settings_text.replace("editor@podcast.example.com", "editor@briefing.dev")
    (root / "show.toml").write_text(settings_text, encoding="utf-8")
    return root


@examples(25)
@given(
    show_text=st.tuples(show_words, show_words, show_words),
    # Chapter titles come from a script's headings, which refuse what a feed cannot carry (the parser's test above).
    chapter_titles=st.lists(line_text.map(lambda title: NOT_XML_CHAR.sub("", title)), min_size=4, max_size=4),
    paragraph=hostile_text,
    written=hostile_text,
    source_path=st.text(max_size=30),
)
def test_every_feed_written_passes_validate_strict(
    tmp_path_factory, tone, show_text, chapter_titles, paragraph, written, source_path
):
    title, description, author = show_text
    root = _show(tmp_path_factory.mktemp("feed-writer") / "show", title, description, author)
    try:
        show = find_workspace(root)
    except BriefingError as error:
        event(f"show.toml refused: {error.message[:60]}")
        return  # in one sentence: nothing is written
    mp3, duration = tone
    timeline = synthetic_timeline(1, duration)
    from urllib.parse import quote

    url = "https://news.briefing.dev/" + quote(source_path)
    chapters = tuple(
        dataclasses.replace(
            chapter,
            title=chapter_titles[index] or "제목",
            paragraphs=(paragraph,),
            sources=(Source(url),) if chapter.kind == "story" else (),
            utterances=tuple(dataclasses.replace(u, written=written or "말") for u in chapter.utterances),
        )
        for index, chapter in enumerate(timeline.chapters)
    )
    write_built_episode(root / "audio" / "episodes", dataclasses.replace(timeline, chapters=chapters), mp3)
    result = publish(show, now=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    report = validate_feed(str(result.feed_path))
    event("published and validated")
    assert report.exit_code(strict=True) == 0, [f"{f.rule}: {f.message}" for f in report.findings]
    shutil.rmtree(root)
