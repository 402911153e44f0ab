"""The "subscribe" links of the index page: one podcast-app URL scheme per app, all derived from the feed URL."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit


@dataclass(frozen=True)
class SubscribeLink:
    app: str
    href: str


def without_scheme(feed_url: str) -> str:
    """`https://host/path/feed.xml` → `host/path/feed.xml`: the form most app schemes take."""
    parts = urlsplit(feed_url)
    return feed_url[len(parts.scheme) + 3 :] if parts.scheme else feed_url


def subscribe_links(feed_url: str) -> tuple[SubscribeLink, ...]:
    """Links that open the feed in a podcast app (where the app has a URL scheme), then the plain RSS link."""
    bare = without_scheme(feed_url)
    return (
        SubscribeLink("Apple Podcasts", f"podcast://{bare}"),
        SubscribeLink("Overcast", f"overcast://x-callback-url/add?url={quote(feed_url, safe='')}"),
        SubscribeLink("Pocket Casts", f"pktc://subscribe/{bare}"),
        SubscribeLink("AntennaPod", f"antennapod-subscribe://{bare}"),
        SubscribeLink("다른 팟캐스트 앱", f"pcast://{bare}"),
        SubscribeLink("RSS", feed_url),
    )
