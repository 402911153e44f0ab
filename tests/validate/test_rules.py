"""Every validation rule, broken on purpose: a valid feed with one change must raise exactly that rule."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image
from support.requirements import FIXTURES, REPO
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.release import publish
from briefing.settings import find_workspace
from briefing.validate import RULES, validate_feed
from briefing.validate.rules import DOCUMENT_RULES

FEEDS = FIXTURES / "feeds"
HAND_WRITTEN = sorted(FEEDS.glob("*.xml"))
DOCTYPE_AFTER = '<?xml version="1.0" encoding="UTF-8"?>\n'

# (rule, fixture, [(old, new), ...]): each edit turns a valid fixture into one that breaks the rule.
BROKEN_BY_EDIT = [
    ("xml.well-formed", "podlove-show.xml", [("Society &amp; Culture", "Society & Culture")]),
    (
        "xml.entity-declaration",
        "indie-weekly.xml",
        [
            (DOCTYPE_AFTER, DOCTYPE_AFTER + '<!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'),
            ("<title>Indie Weekly</title>", "<title>&b;</title>"),
        ],
    ),
    (
        "xml.external-entity",
        "indie-weekly.xml",
        [
            (DOCTYPE_AFTER, DOCTYPE_AFTER + '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'),
            ("<title>Indie Weekly</title>", "<title>&x;</title>"),
        ],
    ),
    (
        "xml.external-entity",
        "indie-weekly.xml",
        [
            (DOCTYPE_AFTER, DOCTYPE_AFTER + '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">\n'),
        ],
    ),
    ("rss.structure", "indie-weekly.xml", [('<rss version="2.0"', '<rss version="0.91"')]),
    (
        "xml.namespace",
        "indie-weekly.xml",
        [
            (
                'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
                'xmlns:itunes="https://www.itunes.com/DTDs/podcast-1.0.dtd"',
            ),
        ],
    ),
    (
        "xml.namespace",
        "indie-weekly.xml",
        [
            ('xmlns:podcast="https://podcastindex.org/namespace/1.0"', 'xmlns:podcast="https://example.org/podcast"'),
        ],
    ),
    ("rss.channel-required", "indie-weekly.xml", [("<link>https://indieweekly.example.org</link>\n", "")]),
    (
        "rss.item-required",
        "serial-fiction.xml",
        [
            ("<title><![CDATA[Trailer]]></title>", ""),
            ("<description><![CDATA[<p>Coming soon.</p>]]></description>", ""),
        ],
    ),
    ("rss.enclosure", "indie-weekly.xml", [('length="38125644"', 'length="about 38 MB"')]),
    (
        "rss.enclosure",
        "indie-weekly.xml",
        [('url="https://media.example.org/indie-weekly/142-pricing.mp3"', 'url="/indie-weekly/142-pricing.mp3"')],
    ),
    ("rss.date", "indie-weekly.xml", [("Tue, 10 Jun 2025 07:00:00 -0400", "2025-06-10T07:00:00-04:00")]),
    ("rss.date", "indie-weekly.xml", [("Tue, 10 Jun 2025 07:00:00 -0400", "Wed, 10 Jun 2025 07:00:00 -0400")]),
    ("rss.date", "public-radio.xml", [("Wed, 11 Jun 2025 10:02:11 -0000", "Wed, 31 Jun 2025 10:02:11 -0000")]),
    ("apple.channel-required", "indie-weekly.xml", [("<language>en-us</language>", "")]),
    (
        "apple.channel-required",
        "indie-weekly.xml",
        [
            ('<itunes:image href="https://cdn.example.org/indie-weekly/artwork-3000.jpg"/>', ""),
        ],
    ),
    ("apple.channel-recommended", "indie-weekly.xml", [("<itunes:author>Indie Weekly</itunes:author>", "")]),
    (
        "apple.channel-recommended",
        "serial-fiction.xml",
        [
            (
                '<atom:link href="https://anchor.example.com/s/9f2c1a/podcast/rss" rel="self" '
                'type="application/rss+xml"/>',
                "",
            ),
        ],
    ),
    (
        "apple.item-required",
        "indie-weekly.xml",
        [
            (
                '<enclosure url="https://media.example.org/indie-weekly/bonus-questions.mp3" length="12582912" '
                'type="audio/mpeg"/>',
                "",
            ),
        ],
    ),
    ("apple.item-recommended", "indie-weekly.xml", [('<guid isPermaLink="false">Buzzsprout-15211002</guid>', "")]),
    (
        "apple.category",
        "indie-weekly.xml",
        [
            (
                '<itunes:category text="Technology"/>',
                '<itunes:category text="Technology"><itunes:category text="Tech News"/></itunes:category>',
            ),
        ],
    ),
    (
        "apple.category",
        "indie-weekly.xml",
        [('<itunes:category text="Technology"/>', '<itunes:category text="technology"/>')],
    ),
    (
        "apple.category",
        "public-radio.xml",
        [('<itunes:category text="Daily News"/>', '<itunes:category text="Weather"/>')],
    ),
    (
        "apple.category",
        "public-radio.xml",
        [('<itunes:category text="News">', '<itunes:category text="News &amp; Politics">')],
    ),
    (
        "apple.explicit",
        "indie-weekly.xml",
        [("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>maybe</itunes:explicit>")],
    ),
    (
        "apple.explicit-obsolete",
        "indie-weekly.xml",
        [("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>no</itunes:explicit>")],
    ),
    ("apple.type", "indie-weekly.xml", [("<itunes:type>episodic</itunes:type>", "<itunes:type>weekly</itunes:type>")]),
    (
        "apple.episode",
        "indie-weekly.xml",
        [("<itunes:episode>142</itunes:episode>", "<itunes:episode>-1</itunes:episode>")],
    ),
    (
        "apple.episode",
        "indie-weekly.xml",
        [("<itunes:episodeType>bonus</itunes:episodeType>", "<itunes:episodeType>extra</itunes:episodeType>")],
    ),
    (
        "apple.image-url",
        "indie-weekly.xml",
        [
            (
                'href="https://cdn.example.org/indie-weekly/artwork-3000.jpg"',
                'href="https://cdn.example.org/indie-weekly/artwork-3000.gif"',
            )
        ],
    ),
    (
        "apple.image-url",
        "indie-weekly.xml",
        [('href="https://cdn.example.org/indie-weekly/ep142.png"', 'href="ep142.png"')],
    ),
    (
        "apple.enclosure-type",
        "indie-weekly.xml",
        [('length="38125644" type="audio/mpeg"', 'length="38125644" type="audio/ogg"')],
    ),
    ("apple.enclosure-ascii", "indie-weekly.xml", [("indie-weekly/142-pricing.mp3", "indie-weekly/142 가격.mp3")]),
    ("apple.guid-unique", "indie-weekly.xml", [("Buzzsprout-15211002", "Buzzsprout-15327845")]),
    (
        "apple.enclosure-unique",
        "indie-weekly.xml",
        [("indie-weekly/bonus-questions.mp3", "indie-weekly/142-pricing.mp3")],
    ),
    (
        "apple.duration",
        "indie-weekly.xml",
        [("<itunes:duration>2382</itunes:duration>", "<itunes:duration>39 min</itunes:duration>")],
    ),
    (
        "apple.duration",
        "public-radio.xml",
        [("<itunes:duration>00:14:58</itunes:duration>", "<itunes:duration>00:74:58</itunes:duration>")],
    ),
    ("podcast.guid", "indie-weekly.xml", [("c3a8c1b3-0a52-5b0e-9fa0-7f6d1c3c5e4a", "indie-weekly")]),
    (
        "podcast.guid",
        "indie-weekly.xml",
        [("c3a8c1b3-0a52-5b0e-9fa0-7f6d1c3c5e4a", "c3a8c1b3-0a52-4b0e-9fa0-7f6d1c3c5e4a")],
    ),
    ("podcast.locked", "indie-weekly.xml", [(">yes</podcast:locked>", ">true</podcast:locked>")]),
    ("podcast.chapters-type", "indie-weekly.xml", [('type="application/json+chapters"', 'type="application/json"')]),
    ("podcast.transcript-type", "indie-weekly.xml", [('type="application/x-subrip"', 'type="application/srt"')]),
    (
        "podcast.transcript-type",
        "podlove-show.xml",
        [
            (
                '<podcast:transcript url="https://fs.example.de/fs231-das-netz-vergisst-nicht/?podlove_transcript=webvtt"',
                "<podcast:transcript",
            )
        ],
    ),
    (
        "podcast.person",
        "indie-weekly.xml",
        [(">yes</podcast:locked>", '>yes</podcast:locked><podcast:person role="host"> </podcast:person>')],
    ),
    (
        "podcast.person",
        "indie-weekly.xml",
        [
            (
                ">yes</podcast:locked>",
                '>yes</podcast:locked><podcast:person href="ftp://example.org/k">Kim</podcast:person>',
            )
        ],
    ),
    ("psc.version", "podlove-show.xml", [('<psc:chapters version="1.2">', '<psc:chapters version="2.0">')]),
    ("psc.time", "podlove-show.xml", [('start="12:05"', 'start="12m05s"')]),
    ("psc.time", "podlove-show.xml", [('start="00:00:00.000" title="Intro"', 'start="00:00:00.000"')]),
    ("psc.order", "podlove-show.xml", [('start="00:48:10.500"', 'start="00:00:10.500"')]),
    (
        "links.scheme",
        "podlove-show.xml",
        [
            (
                'title="Das Internet Archive" href="https://archive.example.org/"',
                'title="Das Internet Archive" href="javascript:alert(1)"',
            )
        ],
    ),
    ("links.scheme", "podlove-show.xml", [('<a href="https://archive.example.org/">', '<a href="data:,x">')]),
]


def edited(fixture: str, edits: list[tuple[str, str]], folder: Path) -> Path:
    text = (FEEDS / fixture).read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"{fixture} no longer contains {old!r}"
        text = text.replace(old, new, 1)
    path = folder / fixture
    path.write_text(text, encoding="utf-8")
    return path


def rules_found(path: Path | str) -> set[str]:
    return {finding.rule for finding in validate_feed(str(path)).findings}


@pytest.mark.parametrize("feed", HAND_WRITTEN, ids=[p.stem for p in HAND_WRITTEN])
def test_hand_written_feeds_in_the_style_of_real_shows_pass(feed):
    # Their example.com addresses stand in for a real show's (the placeholder rules have their own tests).
    assert [f for f in validate_feed(str(feed)).findings if not f.rule.startswith("placeholder.")] == []


@pytest.mark.parametrize(
    ("rule", "fixture", "edits"), BROKEN_BY_EDIT, ids=[f"{r}-{i}" for i, (r, _f, _e) in enumerate(BROKEN_BY_EDIT)]
)
def test_each_rule_catches_a_feed_that_breaks_it(rule, fixture, edits, tmp_path):
    found = validate_feed(str(edited(fixture, edits, tmp_path))).findings
    assert rule in {f.rule for f in found}
    finding = next(f for f in found if f.rule == rule)
    assert finding.location and finding.message and finding.fix
    assert finding.severity == (
        "warning"
        if rule in {"apple.channel-recommended", "apple.item-recommended", "apple.explicit-obsolete"}
        else "error"
    )


def test_entities_are_reported_never_expanded(tmp_path):
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    feed = tmp_path / "laughs.xml"
    feed.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>'
        '<rss version="2.0"><channel><title>&l9;</title></channel></rss>'
    )
    (finding,) = validate_feed(str(feed)).findings
    assert finding.rule == "xml.entity-declaration"
    assert len(finding.message) < 200  # the billion "lol"s were never produced


def test_old_and_misspelled_categories_name_the_replacement(tmp_path):
    feed = edited(
        "indie-weekly.xml",
        [
            (
                '<itunes:category text="Technology"/>',
                '<itunes:category text="Technology"><itunes:category text="Tech News"/></itunes:category>',
            )
        ],
        tmp_path,
    )
    (finding,) = [f for f in validate_feed(str(feed)).findings if f.rule == "apple.category"]
    assert "News › Tech News" in finding.message
    assert finding.location == "line 25: /rss/channel/itunes:category[1]/itunes:category"


# ---- rules about the feed's own files, next to a published feed ----------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """A show published once: feed/ with a real MP3, chapters, transcripts and cover."""
    root = tmp_path_factory.mktemp("published")
    shutil.copy(REPO / "show.toml", root / "show.toml")
    tone = root / "tone.mp3"
    encode_tone_mp3(tone, 2.0)
    timeline = synthetic_timeline(1, mp3_duration_ms(tone))
    write_built_episode(root / "audio" / "episodes", timeline, tone.read_bytes())
    publish(find_workspace(root), now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    return root / "feed"


@pytest.fixture
def site(published, tmp_path) -> Path:
    copy = tmp_path / "feed"
    shutil.copytree(published, copy)
    return copy


def test_the_published_feed_passes(site):
    assert validate_feed(str(site / "feed.xml")).findings == ()


def _edit_feed(site: Path, old: str, new: str) -> None:
    path = site / "feed.xml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_enclosure_length_must_equal_the_file(site):
    size = (site / "episodes" / "episode-001.mp3").stat().st_size
    _edit_feed(site, f'length="{size}"', f'length="{size + 1}"')
    assert rules_found(site / "feed.xml") == {"local.enclosure-length"}


def test_duration_must_match_the_audio(site):
    _edit_feed(site, "<itunes:duration>2</itunes:duration>", "<itunes:duration>60</itunes:duration>")
    assert rules_found(site / "feed.xml") == {"local.duration"}


@pytest.mark.parametrize(
    ("rule", "image"),
    [
        ("apple.image-format", lambda path: Image.new("RGB", (1400, 1400)).save(path, format="GIF")),
        ("apple.image-size", lambda path: Image.new("RGB", (1400, 1300)).save(path, format="PNG")),
        ("apple.image-size", lambda path: Image.new("RGB", (1000, 1000)).save(path, format="PNG")),
        ("apple.image-colour", lambda path: Image.new("L", (1400, 1400)).save(path, format="PNG")),
        ("apple.image-colour", lambda path: Image.new("CMYK", (1400, 1400)).save(path, format="JPEG")),
        ("apple.image-intact", lambda path: path.write_bytes(_noise_png(1400)[:-40_000])),
        ("apple.image-size", lambda path: path.write_bytes(_huge_png(20_000))),
    ],
)
def test_local_artwork_is_checked(site, rule, image):
    image(site / "cover.png")
    assert rules_found(site / "feed.xml") == {rule}


def _noise_png(side: int) -> bytes:
    """A PNG that does not compress away, so that cutting its end off cuts pixels."""
    import io
    import random

    noise = random.Random(7).randbytes(side * side * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), noise).save(buffer, format="PNG")
    return buffer.getvalue()


def _huge_png(side: int) -> bytes:
    """A valid PNG header claiming `side`×`side` pixels (a decompression bomb's shape), with no pixels."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def _chapters(site: Path) -> Path:
    return site / "chapters" / "episode-001.json"


def test_chapters_must_be_json_chapters(site):
    _chapters(site).write_text("{not json", encoding="utf-8")
    assert rules_found(site / "feed.xml") == {"podcast.chapters-json"}
    _chapters(site).write_text(json.dumps({"version": "1.2.0", "chapters": [{"title": "no start"}]}))
    assert rules_found(site / "feed.xml") == {"podcast.chapters-json"}


def test_chapters_must_ascend_and_stay_within_the_episode(site):
    document = json.loads(_chapters(site).read_text(encoding="utf-8"))
    document["chapters"].reverse()
    _chapters(site).write_text(json.dumps(document))
    assert rules_found(site / "feed.xml") == {"podcast.chapters-order"}
    document["chapters"].reverse()
    document["chapters"][-1]["startTime"] = 9999
    _chapters(site).write_text(json.dumps(document))
    assert rules_found(site / "feed.xml") == {"podcast.chapters-range"}


def test_every_rule_in_the_table_is_exercised():
    covered = {rule for rule, _fixture, _edits in BROKEN_BY_EDIT} | {
        "local.enclosure-length",
        "local.duration",
        "apple.image-format",
        "apple.image-size",
        "apple.image-colour",
        "apple.image-intact",
        "podcast.chapters-json",
        "podcast.chapters-order",
        "podcast.chapters-range",
        "apple.image-reachable",  # tests/validate/test_url.py
        "links.chapters-scheme",  # tests/validate/test_links.py, with its fixture
        "placeholder.host",  # tests/validate/test_placeholders.py
        "placeholder.text",
        # tests/validate/test_podcasting20.py: the Podcasting 2.0 tags' rules, each broken on purpose there
        "podcast.locked-owner",
        "podcast.funding",
        "podcast.txt",
        "podcast.season",
        "podcast.soundbite",
        "podcast.soundbite-length",
    }
    assert {rule.id for rule in RULES} | set(DOCUMENT_RULES) == covered
