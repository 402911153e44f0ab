"""`briefing fetch`: newsletter feeds shaped like Stibee's, Substack's and Ghost's, served from 127.0.0.1, become issues
that ingest reads without the platforms' wrapping; conditional requests and the ledger make a second fetch fetch
nothing; a changed issue is reported, not replaced; bad feeds and bad addresses get one sentence."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support.newsletter_server import running_platform

from briefing.errors import BriefingError
from briefing.fetch import fetch_issues, issue_number
from briefing.fetch.http import get
from briefing.ingest import read_issue
from briefing.settings import find_workspace

NEWSLETTERS = Path(__file__).resolve().parents[1] / "fixtures" / "newsletters"
CHROME_WORDS = (
    "웹에서 보기",
    "수신거부",
    "공유하기",
    "구독",
    "Share",
    "Leave a comment",
    "미리 보기",
    "세종대로",
    "화면",
)


@pytest.fixture
def platform():
    with running_platform() as served:
        yield served


def served(platform, name: str) -> str:
    platform.publish(f"/{name}/rss", (NEWSLETTERS / f"{name}.xml").read_bytes())
    return platform.url(f"/{name}/rss")


def spoken_text(issue) -> str:
    return "\n".join(paragraph for story in issue.stories for paragraph in story.paragraphs)


def source_urls(issue) -> list[str]:
    return [source.url for story in issue.stories for source in story.sources]


def test_a_stibee_feed_becomes_issues_named_by_date_and_number(show_dir, platform):
    show = find_workspace(show_dir)
    result = fetch_issues(show, served(platform, "stibee"))
    names = [path.name for path in result.saved]
    assert names == ["2026-12-07-12.html", "2026-12-14-13.html"]  # 22:30 GMT on Sunday is Monday in Seoul
    issue = read_issue(result.saved[0])
    assert (issue.show, issue.number, issue.date) == ("주간 아시아 테크", 12, dt.date(2026, 12, 7))
    assert len(issue.stories) == 2
    assert source_urls(issue) == [
        "https://news.example.com/2026/12/delivery-robots",  # the click redirect unwrapped, utm_* gone
        "https://ev.example.org/news/2026-12-hanoi-charging",
    ]
    text = spoken_text(issue)
    assert "배달 로봇 서른 대" in text and "충전소 마흔 곳" in text
    assert not [word for word in CHROME_WORDS if word in text]
    saved = result.saved[0].read_text(encoding="utf-8")
    assert "stib.ee/click" in saved and "수신거부" in saved  # the file keeps the issue as received


def test_a_substack_feed_loses_its_widgets_buttons_and_redirects(show_dir, platform):
    result = fetch_issues(find_workspace(show_dir), served(platform, "substack"))
    assert [path.name for path in result.saved] == ["2026-12-07-42.html"]
    issue = read_issue(result.saved[0])
    assert (issue.show, issue.number) == ("서울 스타트업 레터", 42)
    assert source_urls(issue) == [
        "https://cafe.example.com/news/2026/12/robot-barista",  # decoded from substack.com/redirect/2/<base64>
        "https://market.example.kr/blog/2026/12/neighbors",
    ]
    text = spoken_text(issue)
    assert "로봇 바리스타를 열두 개 매장" in text and "이웃끼리만" in text
    assert "성수동 매장의 로봇 바리스타" not in text  # a picture's caption is not the story
    assert not [word for word in CHROME_WORDS if word in text]


def test_a_ghost_feed_loses_its_cards_and_ref_parameters(show_dir, platform):
    result = fetch_issues(find_workspace(show_dir), served(platform, "ghost"))
    assert [path.name for path in result.saved] == ["2026-12-07-7.html"]
    issue = read_issue(result.saved[0])
    assert (issue.show, issue.number, len(issue.stories)) == ("동남아 핀테크 브리핑", 7, 2)
    assert source_urls(issue) == [
        "https://bank.example.my/press/2026/12/qr-link",
        "https://lending.example.ph/news/2026/12/vendors",
    ]
    text = spoken_text(issue)
    assert "QR 결제 연동 발표" not in text and "두 나라 중앙은행이 QR" not in text  # the bookmark card
    assert not [word for word in CHROME_WORDS if word in text]


def test_a_second_fetch_asks_conditionally_and_saves_nothing(show_dir, platform):
    show = find_workspace(show_dir)
    url = served(platform, "stibee")
    first = fetch_issues(show, url)
    ledger = (show_dir / "fetched.json").read_text(encoding="utf-8")
    second = fetch_issues(show, url)
    assert len(first.saved) == 2 and second.not_modified and second.saved == ()
    assert platform.requests[-1][1] is not None and platform.answers[-1] == 304  # If-None-Match → 304
    assert (show_dir / "fetched.json").read_text(encoding="utf-8") == ledger

    # A server without validators still gets nothing new saved: the ledger knows every item.
    (show_dir / "fetched.json").write_text(
        json.dumps({**json.loads(ledger), "feeds": {}}, ensure_ascii=False), encoding="utf-8"
    )
    third = fetch_issues(show, url)
    assert (third.saved, third.known, third.changed) == ((), 2, ())
    assert sorted(p.name for p in (show_dir / "issues").glob("2026-*")) == ["2026-12-07-12.html", "2026-12-14-13.html"]


def test_a_changed_issue_is_reported_not_replaced_and_a_new_one_saved(show_dir, platform):
    show = find_workspace(show_dir)
    url = served(platform, "ghost")
    (saved,) = fetch_issues(show, url).saved
    original = saved.read_bytes()
    feed = (NEWSLETTERS / "ghost.xml").read_text(encoding="utf-8")
    edited = feed.replace("1퍼센트 아래로", "0.5퍼센트 아래로")
    newer = edited.replace("<item>", NEW_GHOST_ITEM + "<item>", 1)
    platform.publish("/ghost/rss", newer.encode("utf-8"))
    result = fetch_issues(show, url)
    assert [c.file for c in result.changed] == ["issues/2026-12-07-7.html"]
    assert [p.name for p in result.saved] == ["2026-12-14-8.html"]
    assert saved.read_bytes() == original  # the producer's issue stays as first fetched
    again = fetch_issues(show, url)  # reported once per change
    assert again.not_modified


NEW_GHOST_ITEM = """<item>
<title><![CDATA[제8호: 디지털 은행 인가]]></title>
<link>https://fintech.example.blog/issue-8/</link>
<guid isPermaLink="false">6754f1c2a9b8e20001d3c4c8</guid>
<pubDate>Mon, 14 Dec 2026 00:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>베트남이 디지털 은행 세 곳에 인가를 내주었습니다.</p><p>출처: <a href="https://sbv.example.vn/2026/12/digital-banks">발표</a></p>]]></content:encoded>
</item>
"""


def test_titles_give_their_numbers():
    assert issue_number("#42: 로봇 바리스타") == 42
    assert issue_number("[주간 아시아 테크] 12호 — 배달 로봇") == 12
    assert issue_number("제7호: 전자지갑") == 7
    assert issue_number("Weekly Vol. 3 — hello") == 3
    assert issue_number("No.105 모음") == 105
    assert issue_number("이번 주의 소식") is None


HOLLOW_GHOST_ITEM = """<item>
<title><![CDATA[제8호: 디지털 은행 인가]]></title>
<guid isPermaLink="false">6754f1c2a9b8e20001d3c4c8</guid>
<pubDate>Mon, 14 Dec 2026 00:00:00 GMT</pubDate>
<description><![CDATA[]]></description>
<content:encoded><![CDATA[<p> </p><p>&nbsp;</p>]]></content:encoded>
</item>
"""


def test_an_item_without_content_is_named_and_skipped(show_dir, platform):
    feed = (NEWSLETTERS / "ghost.xml").read_text(encoding="utf-8")
    platform.publish("/ghost/rss", feed.replace("<item>", HOLLOW_GHOST_ITEM + "<item>", 1).encode("utf-8"))
    result = fetch_issues(find_workspace(show_dir), platform.url("/ghost/rss"))
    assert [p.name for p in result.saved] == ["2026-12-07-7.html"]
    assert result.empty == (
        f"{platform.url('/ghost/rss')}: the item '제8호: 디지털 은행 인가' has no content to make an episode from",
    )


ENTITY_FEED = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"><channel><title>&a;</title>'
NOT_A_FEED = "not an RSS or Atom feed"


@pytest.mark.parametrize(
    ("body", "content_type", "sentence"),
    [
        (b"<!doctype html><body><h1>Blog</h1></body>", "text/html", f"the address gives a web page, {NOT_A_FEED}"),
        (b'{"items": []}', "application/json", f"the address gives JSON, {NOT_A_FEED}"),
        (b"", "application/rss+xml", f"the answer is empty, {NOT_A_FEED}"),
        (ENTITY_FEED + b"</channel></rss>", "application/rss+xml", "the feed declares XML entities, which are refused"),
    ],
)  # fmt: skip
def test_what_is_not_a_feed_gets_one_sentence(show_dir, platform, body, content_type, sentence):
    platform.publish("/not-a-feed", body, content_type)
    with pytest.raises(BriefingError) as caught:
        fetch_issues(find_workspace(show_dir), platform.url("/not-a-feed"))
    assert str(caught.value).startswith(f"{platform.url('/not-a-feed')}: {sentence}")
    assert not (show_dir / "fetched.json").exists()


def test_http_only_bounded_redirects_size_and_time(platform):
    with pytest.raises(BriefingError, match="not an http\\(s\\) address"):
        get("file:///etc/passwd")
    with pytest.raises(BriefingError, match="redirects to 'file:///etc/passwd', which is not an http\\(s\\) address"):
        get(platform.url("/to-file"))
    with pytest.raises(BriefingError, match="more than 5 redirects"):
        get(platform.url("/loop/0"))
    with pytest.raises(BriefingError, match="over the 1 MB limit"):
        get(platform.url("/endless"), max_bytes=1024 * 1024)
    with pytest.raises(BriefingError, match="did not arrive in time"):
        get(platform.url("/drip"), timeout=1.0)
    platform.publish("/feed", b"<rss/>")
    assert get(platform.url("/moved/feed")).url == platform.url("/feed")  # a redirect within bounds is followed


def test_the_command_prints_one_sentence_and_exits_2(show_dir, platform):
    platform.publish("/page", b"<html><body>hello</body></html>", "text/html")
    command = [sys.executable, "-m", "briefing", "fetch", platform.url("/page"), "--workspace", str(show_dir)]
    failed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 2 and "Traceback" not in failed.stderr
    assert failed.stderr.strip() == (
        f"error: {platform.url('/page')}: the address gives a web page, not an RSS or Atom feed; "
        "give the newsletter's feed address"
    )
    url = served(platform, "stibee")
    ok = subprocess.run([*command[:4], url, *command[5:]], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "new issue: " in ok.stdout and "2 new issue(s), 0 already fetched" in ok.stdout
