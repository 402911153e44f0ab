"""Each ten-story episode (the project's own issue, then the real seed; built once per session by the
`built_episode` fixture), published: the feed validates with no findings, an independent parser reads it back,
chapters and cues equal the timeline."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import feedparser
import pytest
from markupsafe import escape
from support.transcripts import cue_times

from briefing.release import publish
from briefing.settings import find_workspace
from briefing.timeline import read_timeline
from briefing.validate import validate_feed

PUBLISHED = dt.datetime(2026, 11, 27, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def published(built_episode, tmp_path_factory):
    """The built episode copied into a fresh show and published there (the shared build stays untouched)."""
    source_root, slug = built_episode
    root = tmp_path_factory.mktemp("published-show")
    shutil.copy(source_root / "show.toml", root / "show.toml")
    episodes = root / "audio" / "episodes"
    episodes.mkdir(parents=True)
    for suffix in (".mp3", ".json"):
        shutil.copy(source_root / "audio" / "episodes" / f"{slug}{suffix}", episodes / f"{slug}{suffix}")
    publish(find_workspace(root), now=PUBLISHED)
    return root, slug, read_timeline(episodes / f"{slug}.json")


def test_the_feed_validates_with_no_findings(published):
    root, _slug, _timeline = published
    report = validate_feed(str(root / "feed" / "feed.xml"))
    assert report.findings == (), report.findings


def test_an_independent_parser_reads_enclosure_duration_and_guid(published):
    root, slug, timeline = published
    parsed = feedparser.parse((root / "feed" / "feed.xml").read_bytes())
    assert not parsed.bozo
    (entry,) = parsed.entries
    assert entry.id == timeline.meta.guid
    enclosure = entry.enclosures[0]
    assert enclosure.href == f"https://podcast.example.com/asia-tech-brief/episodes/{slug}.mp3"
    assert int(enclosure.length) == (root / "feed" / "episodes" / f"{slug}.mp3").stat().st_size
    assert int(entry.itunes_duration) == timeline.duration_ms // 1000  # whole seconds, as players count them
    stories = [s for s in timeline.chapters if s.kind == "story"]
    assert len(stories) == 10
    for story in stories:  # every story's sources are linked from the show notes
        for source in story.sources:
            if source.kind == "source":
                assert f'href="{escape(source.url)}"' in entry.content[0].value


def test_chapters_and_transcripts_equal_the_timeline(published):
    root, slug, timeline = published
    chapters = json.loads((root / "feed" / "chapters" / f"{slug}.json").read_text(encoding="utf-8"))
    assert [(c["startTime"], c["title"]) for c in chapters["chapters"]] == [
        (s.start_ms / 1000, s.title) for s in timeline.chapters
    ]
    cues = [(u.start_ms, u.end_ms) for s in timeline.chapters for u in s.utterances]
    transcripts = root / "feed" / "transcripts"
    assert cue_times((transcripts / f"{slug}.vtt").read_text(encoding="utf-8"), ".") == cues
    assert cue_times((transcripts / f"{slug}.srt").read_text(encoding="utf-8"), ",") == cues
