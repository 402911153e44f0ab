"""The XML namespaces podcast feeds use, spelled exactly as their owners publish them."""

from __future__ import annotations

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
ATOM_NS = "http://www.w3.org/2005/Atom"

# By their usual prefix; the first URI of each is the one to write, any other one is also accepted.
KNOWN_NAMESPACES: dict[str, tuple[str, ...]] = {
    "itunes": (ITUNES_NS,),
    "content": (CONTENT_NS,),
    "atom": (ATOM_NS,),
    "podcast": (PODCAST_NS, "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"),
    "psc": (PSC_NS,),
    "media": ("http://search.yahoo.com/mrss/",),
    "dc": ("http://purl.org/dc/elements/1.1/",),
    "googleplay": ("http://www.google.com/schemas/play-podcasts/1.0",),
    "sy": ("http://purl.org/rss/1.0/modules/syndication/",),
    "spotify": ("http://www.spotify.com/ns/rss",),
}
