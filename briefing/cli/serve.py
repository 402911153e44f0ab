"""`briefing serve`: the published feed/ over HTTP, for listening in a browser or a podcast app on the LAN."""

from __future__ import annotations

from urllib.parse import urlsplit

import typer

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console
from briefing.errors import BriefingError
from briefing.settings import find_workspace


def checked_base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BriefingError(f"--base-url must be an http:// or https:// URL, not {url!r}")
    return url if url.endswith("/") else url + "/"


def say(text: str) -> None:
    # soft_wrap: a URL must stay on one line to be copied; flush: the server blocks right after.
    console.print(text, markup=False, highlight=False, soft_wrap=True)
    console.file.flush()


def serve(
    port: int = typer.Option(8000, min=0, max=65535, help="Port to listen on (0: any free port)."),
    host: str = typer.Option("127.0.0.1", help="Address to listen on; 0.0.0.0 lets phones on your network in."),
    base_url: str | None = typer.Option(
        None, help="URL listeners reach this server by (default: http://HOST:PORT/, the LAN address for 0.0.0.0)."
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """Serve the published feed/ to listen before publishing it: a browser or a podcast app on your network."""
    from briefing.serve import local_base_url, make_server

    show = find_workspace(workspace)
    override = checked_base_url(base_url) if base_url else None
    site_dir = show.feed_dir
    if not (site_dir / "feed.xml").is_file() and not (site_dir / "index.html").is_file():
        raise BriefingError("nothing published yet; run 'briefing publish' first", site_dir)
    try:
        server = make_server(site_dir, host, port)
    except OSError as exc:
        raise BriefingError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
    local = override or local_base_url(host, server.port)
    # The files on disk keep the published address; only what is served names this server instead, so a
    # podcast app fetches the episodes from here.
    server.serve_as(str(show.settings.base_url), local)
    say(f"Serving {site_dir} at {local}")
    say(f"Feed URL for a podcast app: {local}feed.xml")
    say(f"Listening page: {local}index.html")
    if server.site.rebase:
        say(f"(served text names this address in place of {server.site.rebase.published}; files on disk are unchanged)")
    try:
        # Inside the try: Ctrl+C right after this line still stops cleanly.
        say("Press Ctrl+C to stop.")
        server.serve_forever()
    except KeyboardInterrupt:
        say("Stopped.")
    finally:
        server.server_close()
