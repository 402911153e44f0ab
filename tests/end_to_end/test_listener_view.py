"""What a listener sees across the pages, the feed, the MP3 and the command line: the ID3 comment keeps the story
titles apart, and episode numbers and lengths are said one way everywhere (호; whole seconds, as players count)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.build import episode_comment
from briefing.ingest import read_issue
from briefing.release import publish
from briefing.script import make_script
from briefing.settings import find_workspace

# ---- the ID3 comment ----------------------------------------------------------------------------------------


def test_the_id3_comment_keeps_the_story_titles_apart(show_dir: Path):
    show = find_workspace(show_dir)
    script = make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)
    chapters = list(script.chapters)
    chapters[1] = dataclasses.replace(chapters[1], title="누리로지스 · 실적 · 물류")  # a producer's own title
    comment = episode_comment(dataclasses.replace(script, chapters=tuple(chapters)))
    title, _, listed = comment.partition(" — ")
    assert title == script.meta.title
    assert listed.split(" / ") == [chapter.title for chapter in chapters if chapter.kind == "story"]


# ---- one wording, one rounding ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 2.0)
    return path.read_bytes(), mp3_duration_ms(path)


def test_pages_feed_and_command_line_say_ho_and_count_whole_seconds_as_players_do(show_dir: Path, tone):
    timeline = synthetic_timeline(12, 128_900, slug="asia-tech-brief-012")  # 2:08.9, which players show as 2:08
    write_built_episode(show_dir / "audio" / "episodes", timeline, tone[0])
    publish(find_workspace(show_dir), now=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
    feed = (show_dir / "feed" / "feed.xml").read_text(encoding="utf-8")
    assert "<itunes:duration>128</itunes:duration>" in feed
    for page in (show_dir / "feed" / "index.html", show_dir / "feed" / "episodes" / "asia-tech-brief-012.html"):
        html = page.read_text(encoding="utf-8")
        assert "12호" in html and "회" not in re.sub(r"<[^>]+>", " ", html).replace(timeline.meta.title, "")
        assert "2분 8초" in html and 'datetime="PT2M8S"' in html and "2분 9초" not in html

    from briefing.build import EpisodeReport
    from briefing.cli.build import summary_line

    report = EpisodeReport(
        slug="asia-tech-brief-012", script="s", mp3="m", timeline="t", engine="espeak", voice="ko",
        duration_ms=128_900, integrated_lufs=-16.0, true_peak_dbtp=-1.2, mp3_bytes=1_000_000, utterances=10,
        synthesised=1, reused=9, segments_encoded=1, segments_reused=3, seconds=1.0, built=True,
    )  # fmt: skip
    assert summary_line(report).startswith("built asia-tech-brief-012: 2:08,")
