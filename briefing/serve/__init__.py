"""`briefing serve`: the published site over HTTP, with what podcast apps and browsers need to seek."""

from briefing.serve.http_server import Rebase, SiteServer, content_type, local_base_url, make_server, request_parts
from briefing.serve.ranges import ByteRange, UnsatisfiableRange, parse_range

__all__ = [
    "ByteRange",
    "Rebase",
    "SiteServer",
    "UnsatisfiableRange",
    "content_type",
    "local_base_url",
    "make_server",
    "parse_range",
    "request_parts",
]
