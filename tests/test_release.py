"""Publishing synthetic built episodes (real tiny MP3s): the feed, its files, stable identity, atomicity."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image
from support.requirements import REPO
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode
from support.transcripts import cue_times

from briefing.errors import BriefingError
from briefing.feedspec.artwork import artwork_problems
from briefing.publish.feed import PublishedEpisode, feed_xml, podcast_guid
from briefing.publish.ledger import ledger_path, read_ledger
from briefing.publish.text import one_line
from briefing.release import publish, unpublish
from briefing.settings import find_workspace, load_settings
from briefing.timeline import read_timeline
from briefing.validate import validate_feed

UTC = dt.UTC
# On the day of the first synthetic episode (2026-01-02), so it is a new issue, not a back issue.
FIRST = dt.datetime(2026, 1, 2, 9, 30, tzinfo=UTC)
LATER = dt.datetime(2026, 1, 9, 18, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 3.0)
    return path.read_bytes(), mp3_duration_ms(path)


def add_episode(show_dir: Path, tone, number: int, **kwargs):
    mp3, duration_ms = tone
    timeline = synthetic_timeline(number, duration_ms, **kwargs)
    write_built_episode(show_dir / "audio" / "episodes", timeline, mp3)
    return timeline


def feed_bytes(show_dir: Path) -> bytes:
    return (show_dir / "feed" / "feed.xml").read_bytes()


def without_last_build_date(data: bytes) -> bytes:
    return re.sub(rb"<lastBuildDate>[^<]*</lastBuildDate>", b"", data)


def test_the_feed_reads_back_in_an_independent_parser(show_dir, tone):
    first = add_episode(show_dir, tone, 1)
    second = add_episode(show_dir, tone, 2)
    publish(find_workspace(show_dir), now=FIRST)

    parsed = feedparser.parse(feed_bytes(show_dir))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.language == "ko"
    assert [entry.id for entry in parsed.entries] == [second.meta.guid, first.meta.guid]  # newest first
    entry = parsed.entries[0]
    enclosure = entry.enclosures[0]
    mp3_file = show_dir / "feed" / "episodes" / "episode-002.mp3"
    assert enclosure.href == "https://podcast.example.com/asia-tech-brief/episodes/episode-002.mp3"
    assert int(enclosure.length) == mp3_file.stat().st_size == len(tone[0])
    assert enclosure.type == "audio/mpeg"
    assert entry.itunes_duration == str(round(tone[1] / 1000))
    assert entry.guidislink is False
    assert entry.published_parsed[:5] == (2026, 1, 2, 9, 30)
    assert parsed.feed.image.href == "https://podcast.example.com/asia-tech-brief/cover.png"


def test_the_published_feed_has_no_findings(show_dir, tone):
    add_episode(show_dir, tone, 1)
    result = publish(find_workspace(show_dir), now=FIRST)
    report = validate_feed(str(result.feed_path))
    assert report.findings == ()


def test_chapters_and_transcripts_follow_the_timeline(show_dir, tone):
    timeline = add_episode(show_dir, tone, 7)
    publish(find_workspace(show_dir), now=FIRST)
    feed = show_dir / "feed"

    chapters = json.loads((feed / "chapters" / "episode-007.json").read_text(encoding="utf-8"))
    assert chapters["version"] == "1.2.0"
    assert [c["startTime"] for c in chapters["chapters"]] == [s.start_ms / 1000 for s in timeline.chapters]
    assert [c["title"] for c in chapters["chapters"]] == [s.title for s in timeline.chapters]
    story = timeline.chapters[1]
    assert chapters["chapters"][1]["url"] == story.sources[0].url
    assert "url" not in chapters["chapters"][0]  # the opening cites nothing

    cues = [u for s in timeline.chapters for u in s.utterances]
    vtt = (feed / "transcripts" / "episode-007.vtt").read_text(encoding="utf-8")
    srt = (feed / "transcripts" / "episode-007.srt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n")
    assert cue_times(vtt, ".") == cue_times(srt, ",") == [(u.start_ms, u.end_ms) for u in cues]
    assert srt.startswith("1\n") and f"\n{len(cues)}\n" in srt
    assert cues[0].written in vtt and cues[0].written in srt

    item = etree.fromstring(feed_bytes(show_dir)).find("channel/item")
    psc = item.find("{http://podlove.org/simple-chapters}chapters")
    assert psc.get("version") == "1.2"
    starts = [c.get("start") for c in psc]
    assert starts == [f"00:00:{s.start_ms // 1000:02d}.{s.start_ms % 1000:03d}" for s in timeline.chapters]
    assert [c.get("href") for c in psc][1] == story.sources[0].url
    transcript_types = [t.get("type") for t in item.findall("{https://podcastindex.org/namespace/1.0}transcript")]
    assert transcript_types == ["text/vtt", "application/x-subrip"]


def test_two_publishes_write_the_same_feed(show_dir, tone):
    add_episode(show_dir, tone, 1)
    add_episode(show_dir, tone, 2)
    workspace = find_workspace(show_dir)
    publish(workspace, now=FIRST)
    once = feed_bytes(show_dir)
    publish(workspace, now=LATER)
    twice = feed_bytes(show_dir)
    assert without_last_build_date(once) == without_last_build_date(twice)
    # Nothing changed, so even lastBuildDate stays: the feed is byte-identical.
    assert once == twice


def test_an_edited_rebuilt_episode_keeps_its_guid_and_date_and_appears_once(show_dir, tone):
    original = add_episode(show_dir, tone, 1)
    workspace = find_workspace(show_dir)
    publish(workspace, now=FIRST)

    edited = replace(original, meta=replace(original.meta, title="고친 제목"))
    write_built_episode(show_dir / "audio" / "episodes", edited, tone[0])
    publish(workspace, now=LATER)

    parsed = feedparser.parse(feed_bytes(show_dir))
    assert len(parsed.entries) == 1
    entry = parsed.entries[0]
    assert entry.title == "고친 제목"
    assert entry.id == original.meta.guid
    assert entry.published_parsed[:5] == (2026, 1, 2, 9, 30)  # first publication, not the rebuild
    assert parsed.feed.updated_parsed[:5] == (2026, 1, 9, 18, 0)  # lastBuildDate moved with the edit
    ledger = read_ledger(ledger_path(show_dir))
    assert ledger[original.meta.guid].published == FIRST
    assert ledger[original.meta.guid].updated == LATER


def test_hostile_source_text_leaves_the_feed_well_formed_and_valid(show_dir, tone):
    nasty = "A & B <script>x</script> ]]> 끝\x00\x01\x0b\x1f\ufffe 이상"
    add_episode(show_dir, tone, 1, story_text=nasty, title="제목 & <b>굵게</b> ]]> \x07")
    result = publish(find_workspace(show_dir), now=FIRST)

    data = feed_bytes(show_dir)
    etree.fromstring(data)  # well-formed, or this raises
    assert validate_feed(str(result.feed_path)).findings == ()
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    entry = parsed.entries[0]
    assert entry.title == "제목 & <b>굵게</b> ]]>"
    notes = entry.content[0].value
    assert "A &amp; B &lt;script&gt;x&lt;/script&gt; ]]&gt; 끝 이상" in notes
    assert "\x00" not in notes and "\x0b" not in notes
    vtt = (show_dir / "feed" / "transcripts" / "episode-001.vtt").read_text(encoding="utf-8")
    assert "A &amp; B &lt;script&gt;x&lt;/script&gt; ]]&gt; 끝 이상" in vtt


@settings(max_examples=80, deadline=None)
@given(text=st.text(max_size=120), title=st.text(min_size=1, max_size=40).filter(one_line))
def test_any_source_text_makes_a_well_formed_feed_that_says_it_back(text, title):
    show = load_settings(REPO / "show.toml")
    timeline = synthetic_timeline(1, 60_000, story_text=text, title=title)
    data = feed_xml(show, [PublishedEpisode(timeline, 1000, FIRST, FIRST)], "cover.png", FIRST)
    item = etree.fromstring(data).find("channel/item")
    assert item.findtext("title") == one_line(title)
    notes = etree.fromstring(f"<notes>{item.findtext('description')}</notes>".encode())  # the HTML is XML-clean
    assert one_line(text) in "".join(notes.itertext())


def test_a_failed_publish_leaves_the_old_feed_intact(show_dir, tone):
    add_episode(show_dir, tone, 1)
    workspace = find_workspace(show_dir)
    publish(workspace, now=FIRST)
    before = feed_bytes(show_dir)

    add_episode(show_dir, tone, 2)
    Image.new("RGB", (1000, 800), "white").save(show_dir / "wide.png")
    settings = (show_dir / "show.toml").read_text(encoding="utf-8")
    (show_dir / "show.toml").write_text(settings.replace('# cover = "audio/cover.png"', 'cover = "wide.png"'))
    with pytest.raises(BriefingError, match="not square") as caught:
        publish(find_workspace(show_dir), now=LATER)
    assert caught.value.path == show_dir / "wide.png"
    assert feed_bytes(show_dir) == before
    assert not [p for p in show_dir.iterdir() if p.name.startswith(".feed.")]
    assert len(read_ledger(ledger_path(show_dir))) == 1  # the failed run recorded nothing


def test_the_show_cover_is_used_and_the_generated_one_passes_apples_rules(show_dir, tone):
    add_episode(show_dir, tone, 1)
    publish(find_workspace(show_dir), now=FIRST)
    with Image.open(show_dir / "feed" / "cover.png") as generated:
        assert artwork_problems(generated) == []
        assert generated.size == (1400, 1400)

    Image.new("RGB", (1600, 1600), (10, 20, 30)).save(show_dir / "art.jpg", quality=90)
    settings = (show_dir / "show.toml").read_text(encoding="utf-8")
    (show_dir / "show.toml").write_text(settings.replace('# cover = "audio/cover.png"', 'cover = "art.jpg"'))
    result = publish(find_workspace(show_dir), now=FIRST)
    assert (show_dir / "feed" / "cover.jpg").read_bytes() == (show_dir / "art.jpg").read_bytes()
    assert b'<itunes:image href="https://podcast.example.com/asia-tech-brief/cover.jpg"/>' in feed_bytes(show_dir)
    assert validate_feed(str(result.feed_path)).findings == ()


def test_removing_an_episode_takes_unpublish(show_dir, tone):
    add_episode(show_dir, tone, 1)
    add_episode(show_dir, tone, 2)
    workspace = find_workspace(show_dir)
    publish(workspace, now=FIRST)
    (show_dir / "audio" / "episodes" / "episode-001.mp3").unlink()
    (show_dir / "audio" / "episodes" / "episode-001.json").unlink()
    with pytest.raises(BriefingError, match="briefing unpublish episode-001"):
        publish(workspace, now=LATER)

    result = unpublish(workspace, "episode-001", now=LATER)
    assert [e.timeline.meta.slug for e in result.episodes] == ["episode-002"]
    assert result.withdrawn == ("episode-001",)
    assert b"episode-001" not in feed_bytes(show_dir)
    assert not (show_dir / "feed" / "episodes" / "episode-001.mp3").exists()
    with pytest.raises(BriefingError, match="no published episode"):
        unpublish(workspace, "episode-001")


def test_a_withdrawn_episode_stays_out_even_while_still_built(show_dir, tone):
    add_episode(show_dir, tone, 1)
    add_episode(show_dir, tone, 2)
    workspace = find_workspace(show_dir)
    publish(workspace, now=FIRST)
    unpublish(workspace, "episode-002", now=LATER)
    publish(workspace, now=LATER)
    assert [e.id for e in feedparser.parse(feed_bytes(show_dir)).entries] == [
        read_timeline(show_dir / "audio" / "episodes" / "episode-001.json").meta.guid
    ]


def test_bad_built_episodes_are_refused_in_one_sentence(show_dir, tone):
    workspace = find_workspace(show_dir)
    with pytest.raises(BriefingError, match="no built episodes"):
        publish(workspace)
    add_episode(show_dir, tone, 1)
    add_episode(show_dir, tone, 2, guid=synthetic_timeline(1, 1000).meta.guid)
    with pytest.raises(BriefingError, match="also used by episode-001.json"):
        publish(workspace)
    (show_dir / "audio" / "episodes" / "episode-002.json").unlink()
    add_episode(show_dir, tone, 3, slug="회차-3")
    with pytest.raises(BriefingError, match="not a plain ASCII file name"):
        publish(workspace)


def test_podcast_guid_follows_the_namespace_examples():
    # The two examples the podcast namespace gives (feed URLs with the scheme and trailing slashes removed).
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert podcast_guid("http://podnews.net/rss/") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


@pytest.mark.parametrize(
    ("primary", "sub", "expected"),
    [("Technology", "Tech News", "use 'News › Tech News'"), ("News", "tech news", "must be spelled 'Tech News'")],
)
def test_a_retired_or_miscased_show_category_is_refused(show_dir, tone, primary, sub, expected):
    add_episode(show_dir, tone, 1)
    settings = (show_dir / "show.toml").read_text(encoding="utf-8")
    settings = settings.replace('primary = "News"\nsub = "Tech News"', f'primary = "{primary}"\nsub = "{sub}"')
    (show_dir / "show.toml").write_text(settings, encoding="utf-8")
    with pytest.raises(BriefingError, match=expected) as caught:
        publish(find_workspace(show_dir))
    assert caught.value.path == show_dir / "show.toml"
    assert not (show_dir / "feed" / "feed.xml").exists()
