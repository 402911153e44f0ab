"""One bounded HTTP GET for `briefing fetch`: http(s) only, at every redirect too; a limit on redirects, on the bytes
read and on the time the whole read may take; conditional on an ETag and a Last-Modified date."""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

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
    with requests.Session() as session:
        session.trust_env = False  # no proxies or .netrc from the environment: the address given is the one read
        for _hop in range(max_redirects + 1):
            response = _send(session, url, headers, deadline)
            with response:
                if response.status_code not in _REDIRECTS:
                    return _answer(url, response, max_bytes, deadline)
                location = response.headers.get("Location")
            if not location:
                raise BriefingError(f"{url}: answered {response.status_code} without a Location to follow")
            url = urljoin(url, location)
            if urlsplit(url).scheme not in ("http", "https"):
                raise BriefingError(f"the feed redirects to '{url}', which is not an http(s) address")
    raise BriefingError(f"{url}: more than {max_redirects} redirects; check the feed address")


def _send(session: requests.Session, url: str, headers: dict[str, str], deadline: float) -> requests.Response:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise BriefingError(f"{url}: no answer in time")
    try:
        return session.get(url, headers=headers, allow_redirects=False, stream=True, timeout=(remaining, remaining))
    except requests.Timeout:
        raise BriefingError(f"{url}: no answer in time") from None
    except requests.RequestException as error:
        raise BriefingError(f"{url}: cannot be read ({type(error).__name__})") from None


def _answer(url: str, response: requests.Response, max_bytes: int, deadline: float) -> Answer:
    if response.status_code == 304:
        body = b""
    elif response.status_code != 200:
        raise BriefingError(f"{url}: answered {response.status_code} {response.reason}")
    else:
        body = _body(url, response, max_bytes, deadline)
    return Answer(
        url=url,
        status=response.status_code,
        body=body,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        content_type=response.headers.get("Content-Type", ""),
    )


def _body(url: str, response: requests.Response, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise BriefingError(f"{url}: the feed is {int(declared) / 1024 / 1024:.1f} MB, over the {_mb(max_bytes)} limit")
    chunks: list[bytes] = []
    size = 0
    try:
        # read1 returns what one receive brings, so a server that drips its answer is noticed at the deadline
        # (each receive is bounded by the socket's timeout, the time left when the request was sent).
        while chunk := response.raw.read1(64 * 1024, decode_content=True):
            size += len(chunk)
            if size > max_bytes:
                raise BriefingError(f"{url}: the feed is over the {_mb(max_bytes)} limit")
            if time.monotonic() > deadline:
                raise BriefingError(f"{url}: the feed did not arrive in time")
            chunks.append(chunk)
    except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as error:
        if time.monotonic() >= deadline:
            raise BriefingError(f"{url}: the feed did not arrive in time") from None
        raise BriefingError(f"{url}: the answer broke off ({type(error).__name__})") from None
    return b"".join(chunks)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB"
