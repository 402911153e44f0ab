"""A ten-story issue with two presenters on espeak-ng — the project's own, then the real seed — scripted, built,
published and validated in one run; the script, the transcript, the timeline, the feed and the page name both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from support.cli_run import briefing
from support.shows import copy_example_show

from briefing.run import run_issues
from briefing.settings import find_workspace

PRESENTERS = """
[[presenters]]
name = "지수"
espeak = "ko+f3"

[[presenters]]
name = "민호"
espeak = "ko"
"""


@pytest.fixture(scope="module")
def two_show(ten_story_issue, tmp_path_factory) -> tuple[Path, str]:
    root = copy_example_show(tmp_path_factory.mktemp("two-presenters") / "show")
    toml = root / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + PRESENTERS, encoding="utf-8")
    summary = run_issues(find_workspace(root), [ten_story_issue], engine="espeak")
    assert not summary.report.findings
    return root, summary.episodes[0].script.slug


def test_the_script_gives_its_stories_to_the_two_presenters_in_turn(two_show):
    root, slug = two_show
    script = (root / "scripts" / f"{slug}.md").read_text(encoding="utf-8")

    assert script.count("**지수:**") >= 6 and script.count("**민호:**") >= 6
    # The lead-ins are said (by the story's reader) but left out of the show notes: _in underscores_.
    assert "**민호:** _먼저 첫 번째 소식입니다._" in script and "**지수:** _다음은 두 번째 소식입니다._" in script


def test_the_timeline_feed_transcript_and_page_name_both(two_show):
    root, slug = two_show
    timeline = json.loads((root / "audio" / "episodes" / f"{slug}.json").read_text(encoding="utf-8"))
    said = [u.get("speaker") for chapter in timeline["chapters"] for u in chapter["utterances"]]
    assert timeline["presenters"] == [{"name": "지수", "voice": "ko+f3"}, {"name": "민호", "voice": "ko"}]
    assert set(said) == {"지수", "민호"} and min(said.count("지수"), said.count("민호")) > len(said) // 4

    vtt = (root / "feed" / "transcripts" / f"{slug}.vtt").read_text(encoding="utf-8")
    assert vtt.count("<v 지수>") + vtt.count("<v 민호>") == len([s for s in said if s]) - _silent_cues(timeline)
    feed = (root / "feed" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count('<podcast:person role="host" group="cast">지수</podcast:person>') == 2  # show and episode
    assert feed.count('<podcast:person role="host" group="cast">민호</podcast:person>') == 2
    page = BeautifulSoup((root / "feed" / "episodes" / f"{slug}.html").read_text(encoding="utf-8"), "html.parser")
    assert {span.get_text() for span in page.select(".transcript .speaker")} == {"지수", "민호"}


def test_a_rebuild_is_up_to_date_through_the_command(two_show, capsys):
    root, slug = two_show
    outcome = briefing(["build", "--engine", "espeak"], capsys, cwd=root)

    assert outcome.code == 0, outcome.err
    assert "engine: espeak (지수: ko+f3, 민호: ko)" in outcome.out and f"up to date {slug}" in outcome.out


def _silent_cues(timeline: dict) -> int:
    """Utterances whose written text is empty get no cue (a long lexicon entry's continuation)."""
    return sum(1 for c in timeline["chapters"] for u in c["utterances"] if not u["written"].strip())
