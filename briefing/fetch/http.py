"""One bounded HTTP GET for `briefing fetch`: http(s) only, at every redirect too; a limit on redirects, on the bytes
read and on the time the whole read may take (a deadline, see `briefing.netfetch`: a server that drips its headers
or its body cannot hold it); conditional on an ETag and a Last-Modified date."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from briefing import netfetch
from briefing.errors import BriefingError

MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 20.0  # for the whole exchange, redirects included
USER_AGENT = "briefing (podcast feed maker; newsletter fetch)"
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Answer:
    url: str  # after redirects
    status: int  # 200, or 304 when the conditional request found nothing new
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str


def check_web_address(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BriefingError(f"'{url}' is not an http(s) address; a newsletter feed is fetched over http or https only")


def get(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_FEED_BYTES,
    timeout: float = TIMEOUT_SECONDS,
    max_redirects: int = MAX_REDIRECTS,
) -> Answer:
    """GET `url`, following at most `max_redirects` http(s) redirects, reading at most `max_bytes`, all within
    `timeout` seconds. A failure is a BriefingError naming the address."""
    check_web_address(url)
    deadline = time.monotonic() + timeout
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(max_redirects + 1):
        answer = _send(url, headers, deadline, max_bytes)
        if answer.status not in _REDIRECTS:
            return _answer(url, answer, max_bytes)
        location = answer.headers.get("Location")
        if not location:
            raise BriefingError(f"{url}: answered {answer.status} without a Location to follow")
        url = urljoin(url, location)
        if urlsplit(url).scheme not in ("http", "https"):
            raise BriefingError(f"the feed redirects to '{url}', which is not an http(s) address")
    raise BriefingError(f"{url}: more than {max_redirects} redirects; check the feed address")


def _send(url: str, headers: dict[str, str], deadline: float, max_bytes: int) -> netfetch.Answer:
    """One request, its whole answer read by the deadline; redirects are answers (followed by `get`, checked)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise BriefingError(f"{url}: the feed did not arrive in time")
    try:
        # No proxies from the environment: the address given is the one read.
        return netfetch.fetch(url, timeout=remaining, limit=max_bytes, headers=headers, follow=False, proxies=False)
    except netfetch.FetchError as error:
        if error.timed_out:
            raise BriefingError(f"{url}: the feed did not arrive in time") from None
        if error.reason.startswith("an answer over"):
            raise BriefingError(f"{url}: the feed is over the {_mb(max_bytes)} limit") from None
        raise BriefingError(f"{url}: cannot be read ({error.reason})") from None


def _answer(url: str, answer: netfetch.Answer, max_bytes: int) -> Answer:
    if answer.status not in (200, 304):
        raise BriefingError(f"{url}: answered {answer.status} {answer.reason}")
    declared = answer.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BriefingError(f"{url}: the feed is {int(declared) / 1024 / 1024:.1f} MB, over the {_mb(max_bytes)} limit")
    return Answer(
        url=url,
        status=answer.status,
        body=answer.body if answer.status == 200 else b"",
        etag=answer.headers.get("ETag"),
        last_modified=answer.headers.get("Last-Modified"),
        content_type=answer.headers.get("Content-Type", ""),
    )


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"
