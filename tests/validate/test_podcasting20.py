"""The Podcasting 2.0 tags apps read today (locked, funding, txt, season, soundbite): a hand-written feed that uses
them all passes, each rule catches a feed broken on purpose, and our own feed writes them from show.toml and the
script and passes too."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
from lxml import etree
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.feedspec.namespaces import PODCAST_NS
from briefing.release import publish
from briefing.settings import find_workspace
from briefing.validate import RULES, validate_feed

FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
FIXTURE = "maker-notes.xml"
P = f"{{{PODCAST_NS}}}"

# (rule, severity, [(old, new), ...]): each edit of maker-notes.xml breaks exactly one of the new rules.
PODCASTING_20_BROKEN = [
    ("podcast.locked-owner", "warning", [(' owner="hosts@makernotes.example.org"', "")]),
    ("podcast.locked-owner", "warning", [('owner="hosts@makernotes.example.org"', 'owner="hosts at makernotes"')]),
    ("podcast.funding", "error", [('url="https://makernotes.example.org/support"', 'url="/support"')]),
    ("podcast.funding", "error", [(">Support the show<", ">" + "후원" * 70 + "<")]),
    ("podcast.txt", "error", [(">S6lpp-7ZCn8-dZfGc-OoyaG<", "><")]),
    ("podcast.txt", "error", [(">S6lpp-7ZCn8-dZfGc-OoyaG<", ">" + "x" * 4001 + "<")]),
    ("podcast.txt", "error", [('purpose="verify"', f'purpose="{"v" * 129}"')]),
    ("podcast.season", "error", [('name="Pricing and Money">3<', 'name="Pricing and Money">three<')]),
    ("podcast.season", "error", [("<podcast:season>3</podcast:season>", "<podcast:season>3</podcast:season>" * 2)]),
    ("podcast.season", "error", [('name="Pricing and Money"', f'name="{"n" * 129}"')]),
    ("podcast.soundbite", "error", [('startTime="73.0"', 'startTime="1:13"')]),
    ("podcast.soundbite", "error", [('duration="42.5"', 'duration="0"')]),
    ("podcast.soundbite", "error", [('startTime="1234.5"', 'startTime="2380"')]),
    ("podcast.soundbite-length", "warning", [('duration="42.5"', 'duration="5"')]),
    ("podcast.soundbite-length", "warning", [('duration="60.0"', 'duration="600.0"')]),
    ("podcast.soundbite-length", "warning", [(">Why we doubled the price<", ">" + "왜" * 129 + "<")]),
]
NEW_RULES = {"podcast.locked-owner", "podcast.funding", "podcast.txt", "podcast.season", "podcast.soundbite",
             "podcast.soundbite-length"}  # fmt: skip


def findings_of(feed: Path) -> tuple:
    """The validator's findings, less the placeholder rules: the hand-written feed's example.org addresses stand in
    for a real show's (the placeholder rules have their own tests)."""
    return tuple(f for f in validate_feed(str(feed)).findings if not f.rule.startswith("placeholder."))


def edited(edits: list[tuple[str, str]], tmp_path: Path) -> Path:
    text = (FEEDS / FIXTURE).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / FIXTURE
    path.write_text(text, encoding="utf-8")
    return path


def test_the_hand_written_feed_uses_every_tag_and_passes():
    tree = etree.parse(str(FEEDS / FIXTURE))
    for tag in ("locked", "funding", "txt", "season", "soundbite"):
        assert tree.find(f".//{P}{tag}") is not None, tag
    assert findings_of(FEEDS / FIXTURE) == ()


@pytest.mark.parametrize(
    ("rule", "severity", "edits"),
    PODCASTING_20_BROKEN,
    ids=[f"{rule}-{n}" for n, (rule, _s, _e) in enumerate(PODCASTING_20_BROKEN)],
)
def test_each_new_rule_catches_a_feed_that_breaks_it(rule, severity, edits, tmp_path):
    findings = findings_of(edited(edits, tmp_path))
    assert {f.rule for f in findings} == {rule}
    assert all(f.severity == severity and f.location and f.fix for f in findings)


def test_every_new_rule_is_declared_and_exercised():
    declared = {rule.id for rule in RULES}
    assert declared >= NEW_RULES
    assert {rule for rule, _s, _e in PODCASTING_20_BROKEN} == NEW_RULES


# ---- our own feed


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 40.0)
    return path.read_bytes(), mp3_duration_ms(path)


SHOW_PODCASTING = """
[podcast]
locked = false
season = 2
season_name = "두 번째 시즌"
funding = [
  { url = "https://podcast.example.com/support", text = "후원하기" },
]
txt = [{ text = "S6lpp-7ZCn8-dZfGc-OoyaG", purpose = "verify" }]
"""


def test_our_feed_writes_the_tags_from_show_toml_and_the_script(show_dir, tone):
    with (show_dir / "show.toml").open("a", encoding="utf-8") as handle:
        handle.write(SHOW_PODCASTING)
    mp3, duration_ms = tone
    episodes = show_dir / "audio" / "episodes"
    first = synthetic_timeline(1, duration_ms)  # the show's season; the first story's opening
    second = synthetic_timeline(2, duration_ms)
    second = replace(second, meta=replace(second.meta, season=3, soundbite=(20_000, 35_500)))
    for timeline in (first, second):
        write_built_episode(episodes, timeline, mp3)
    publish(find_workspace(show_dir), now=dt.datetime(2026, 1, 3, tzinfo=dt.UTC))

    feed = show_dir / "feed" / "feed.xml"
    assert validate_feed(str(feed)).findings == ()
    channel = etree.parse(str(feed)).getroot()[0]
    locked = channel.find(f"{P}locked")
    assert locked.text == "no" and locked.get("owner") == "editor@podcast.example.com"
    funding = channel.find(f"{P}funding")
    assert (funding.get("url"), funding.text) == ("https://podcast.example.com/support", "후원하기")
    assert [(t.get("purpose"), t.text) for t in channel.findall(f"{P}txt")] == [("verify", "S6lpp-7ZCn8-dZfGc-OoyaG")]

    items = {item.findtext("guid"): item for item in channel.findall("item")}
    one, two = items[first.meta.guid], items[second.meta.guid]
    assert (one.find(f"{P}season").text, one.find(f"{P}season").get("name")) == ("2", "두 번째 시즌")
    assert (two.find(f"{P}season").text, two.find(f"{P}season").get("name")) == ("3", None)
    story = next(chapter for chapter in first.chapters if chapter.kind == "story")
    bite = one.find(f"{P}soundbite")
    assert float(bite.get("startTime")) == story.start_ms / 1000 and bite.text == story.title
    end_ms = story.start_ms + round(float(bite.get("duration")) * 1000)
    assert 15_000 <= end_ms - story.start_ms <= 60_000  # the story is short: the opening runs into the next one
    assert end_ms in {u.end_ms for chapter in first.chapters for u in chapter.utterances}  # ends with a sentence
    named = two.find(f"{P}soundbite")
    assert (named.get("startTime"), named.get("duration"), named.text) == ("20.0", "15.5", None)

    parsed = feedparser.parse(feed.read_bytes())  # an independent reader sees the iTunes season too
    assert sorted(int(entry.itunes_season) for entry in parsed.entries) == [2, 3]
