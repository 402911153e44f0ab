"""One date for an episode everywhere — the feed's pubDate, the pages, the VTT note and the MP3's date tag: its
publication, fixed at the first publish; a back issue keeps its own day; publish_at keeps an episode out of the feed
until a publish at or after it."""

from __future__ import annotations

import datetime as dt
import email.utils
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from mutagen.id3 import ID3, TDRC, Encoding
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.models import ScriptMeta
from briefing.publish.dates import first_publication, is_due
from briefing.publish.ledger import ledger_path, read_ledger
from briefing.release import publish
from briefing.script.scriptfile import parse_script, render_script
from briefing.settings import find_workspace

SEOUL = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 3.0)
    return path.read_bytes(), mp3_duration_ms(path)


def tagged(mp3: bytes, day: str) -> bytes:
    """The synthetic MP3 with a date tag, as a build writes one."""
    import io

    buffer = io.BytesIO(mp3)
    tag = ID3()
    tag.add(TDRC(encoding=Encoding.UTF8, text=[day]))
    tag.save(buffer, v2_version=4, padding=lambda _info: 1024)
    return buffer.getvalue()


def add(show_dir: Path, tone, number: int, day: dt.date, **meta) -> ScriptMeta:
    mp3, duration_ms = tone
    timeline = synthetic_timeline(number, duration_ms)
    timeline = replace(timeline, meta=replace(timeline.meta, date=day, **meta))
    write_built_episode(show_dir / "audio" / "episodes", timeline, tagged(mp3, day.isoformat()))
    return timeline.meta


def dates_everywhere(show_dir: Path, slug: str) -> dict[str, str]:
    """The episode's date as the feed, the page, the VTT transcript and the published MP3 each say it (in Seoul)."""
    feed = etree.parse(str(show_dir / "feed" / "feed.xml"))
    item = next(i for i in feed.iter("item") if i.findtext("link", "").endswith(f"/{slug}.html"))
    pub = email.utils.parsedate_to_datetime(item.findtext("pubDate")).astimezone(SEOUL).date()
    page = (show_dir / "feed" / "episodes" / f"{slug}.html").read_text(encoding="utf-8")
    vtt = (show_dir / "feed" / "transcripts" / f"{slug}.vtt").read_text(encoding="utf-8")
    tag = str(ID3(show_dir / "feed" / "episodes" / f"{slug}.mp3")["TDRC"].text[0])
    korean = f"{pub.year}년 {pub.month}월 {pub.day}일"
    return {
        "feed": pub.isoformat(),
        "page": pub.isoformat() if korean in page else "page says otherwise",
        "vtt": pub.isoformat() if f"· {pub.isoformat()}" in vtt.split("\n\n")[1] else "vtt says otherwise",
        "tag": tag,
    }


def test_a_new_issue_is_dated_by_its_first_publication_everywhere_for_good(show_dir, tone):
    # Built on Sunday evening in Seoul (tagged that day), first published on Monday morning: the tag is corrected.
    meta = add(show_dir, tone, 1, dt.date(2026, 12, 6))
    workspace = find_workspace(show_dir)
    monday = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)  # 08:30 on Monday 7 December in Seoul
    publish(workspace, now=monday)
    assert read_ledger(ledger_path(show_dir))[meta.guid].published == dt.datetime(2026, 12, 6, 12, 0, tzinfo=SEOUL)
    # ... a back issue after all: the issue's Sunday is an earlier day than Monday in Seoul.
    assert set(dates_everywhere(show_dir, meta.slug).values()) == {"2026-12-06"}

    same_day = add(show_dir, tone, 2, dt.date(2026, 12, 7))
    publish(workspace, now=monday)
    assert read_ledger(ledger_path(show_dir))[same_day.guid].published == monday
    assert set(dates_everywhere(show_dir, same_day.slug).values()) == {"2026-12-07"}

    publish(workspace, now=monday + dt.timedelta(days=30))  # later publishes never move it
    assert read_ledger(ledger_path(show_dir))[same_day.guid].published == monday
    assert set(dates_everywhere(show_dir, same_day.slug).values()) == {"2026-12-07"}


def test_the_mp3_date_tag_is_corrected_once_and_the_feed_then_stays_the_same(show_dir, tone):
    # A script dated ahead (the 10th) built on the 8th is tagged the 8th; first published on the 9th, it is the 9th.
    mp3, duration_ms = tone
    timeline = synthetic_timeline(1, duration_ms)
    timeline = replace(timeline, meta=replace(timeline.meta, date=dt.date(2026, 12, 10)))
    write_built_episode(show_dir / "audio" / "episodes", timeline, tagged(mp3, "2026-12-08"))
    built = show_dir / "audio" / "episodes" / f"{timeline.meta.slug}.mp3"
    size = built.stat().st_size
    workspace = find_workspace(show_dir)
    ninth = dt.datetime(2026, 12, 9, 1, 0, tzinfo=dt.UTC)
    publish(workspace, now=ninth)
    assert str(ID3(built)["TDRC"].text[0]) == "2026-12-09" and built.stat().st_size == size
    assert set(dates_everywhere(show_dir, timeline.meta.slug).values()) == {"2026-12-09"}
    feed = (show_dir / "feed" / "feed.xml").read_bytes()
    publish(workspace, now=ninth + dt.timedelta(hours=5))
    assert (show_dir / "feed" / "feed.xml").read_bytes() == feed  # corrected once: nothing changes after


def test_a_back_issue_keeps_its_own_day_at_noon_in_the_shows_time_zone(show_dir, tone):
    meta = add(show_dir, tone, 1, dt.date(2017, 11, 13))
    publish(find_workspace(show_dir), now=dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC))
    published = read_ledger(ledger_path(show_dir))[meta.guid].published
    assert published == dt.datetime(2017, 11, 13, 12, 0, tzinfo=SEOUL)
    assert published.astimezone(dt.UTC).date() == dt.date(2017, 11, 13)  # the same day in UTC too
    assert set(dates_everywhere(show_dir, meta.slug).values()) == {"2017-11-13"}


def test_publish_at_keeps_an_episode_out_until_its_time(show_dir, tone):
    add(show_dir, tone, 1, dt.date(2026, 12, 7))
    later = add(show_dir, tone, 2, dt.date(2026, 12, 7), publish_at=dt.datetime(2026, 12, 8, 7, 0))  # Seoul time
    workspace = find_workspace(show_dir)
    before = publish(workspace, now=dt.datetime(2026, 12, 7, 21, 59, tzinfo=dt.UTC))  # 06:59 on the 8th in Seoul
    assert [e.timeline.meta.slug for e in before.episodes] == ["episode-001"]
    assert later.guid not in read_ledger(ledger_path(show_dir))
    assert not (show_dir / "feed" / "episodes" / f"{later.slug}.html").exists()
    assert later.guid not in (show_dir / "feed" / "feed.xml").read_text(encoding="utf-8")

    after = publish(workspace, now=dt.datetime(2026, 12, 7, 22, 30, tzinfo=dt.UTC))
    assert [e.timeline.meta.slug for e in after.episodes] == ["episode-002", "episode-001"]
    assert read_ledger(ledger_path(show_dir))[later.guid].published == dt.datetime(2026, 12, 8, 7, 0, tzinfo=SEOUL)
    assert set(dates_everywhere(show_dir, later.slug).values()) == {"2026-12-08"}


def test_the_rule_itself():
    zone = find_zone()
    meta = ScriptMeta("S", 1, "T", dt.date(2026, 12, 7), "s-1", "g", "i")
    now = dt.datetime(2026, 12, 7, 0, 0, tzinfo=dt.UTC)
    assert first_publication(meta, now, zone) == now
    assert first_publication(meta, now + dt.timedelta(days=1), zone) == dt.datetime(2026, 12, 7, 12, 0, tzinfo=SEOUL)
    at = replace(meta, publish_at=dt.datetime(2026, 12, 9, 6, 0, tzinfo=dt.UTC))
    assert not is_due(at, now, zone) and is_due(at, at.publish_at, zone)
    assert first_publication(at, now + dt.timedelta(days=5), zone) == at.publish_at


def find_zone():
    import zoneinfo

    return zoneinfo.ZoneInfo("Asia/Seoul")


SCRIPT = """---
show: Asia Tech Brief
episode: 3
title: 셋째 이야기
date: 2026-12-07
slug: asia-tech-brief-003
guid: 0d9c1a2e-7f3b-5a4c-9e8d-1b2c3d4e5f60
source: issues/asia-tech-brief-003.txt
engine:
voice:
publish_at: 2026-12-08 07:00
season: 2
soundbite: 1:05-1:40.5
---

## 오프닝

안녕하세요.

## 클로징

고맙습니다.
"""


def test_scripts_name_publish_at_season_and_soundbite_and_keep_them(tmp_path):
    script = parse_script(SCRIPT, tmp_path / "s.md")
    assert script.meta.publish_at == dt.datetime(2026, 12, 8, 7, 0)
    assert (script.meta.season, script.meta.soundbite) == (2, (65_000, 100_500))
    assert parse_script(render_script(script), tmp_path / "s.md") == script


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("publish_at: next monday", "front matter field 'publish_at' must be a date and time"),
        ("season: 0", "front matter field 'season' must be a whole number from 1"),
        ("soundbite: 1:40-1:05", "front matter field 'soundbite' must end after it starts"),
        ("soundbite: about a minute in", "front matter field 'soundbite' must be a time range"),
    ],
)
def test_a_wrong_schedule_field_names_its_line(tmp_path, line, message):
    from briefing.errors import BriefingError

    field = line.split(":")[0]
    text = "\n".join(line if row.startswith(field + ":") else row for row in SCRIPT.splitlines())
    with pytest.raises(BriefingError) as caught:
        parse_script(text, tmp_path / "s.md")
    assert message in str(caught.value)
    assert (
        caught.value.line == SCRIPT.splitlines().index(next(r for r in SCRIPT.splitlines() if r.startswith(field))) + 1
    )
