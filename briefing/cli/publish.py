"""`briefing publish`: the static site feed/ (feed.xml, MP3s, chapters, transcripts, cover, pages) from every built
episode."""

from __future__ import annotations

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console, shown
from briefing.settings import find_workspace


def publish(workspace: WorkspaceOption = None) -> None:
    """Write the static site feed/ (feed.xml, MP3s, chapters, transcripts, cover) from every built episode."""
    from briefing.release import publish

    show = find_workspace(workspace)
    with console.status("publishing") as status:
        result = publish(show, progress=lambda step, done, total: status.update(f"publishing {step} {done}/{total}"))
    withdrawn = f" ({len(result.withdrawn)} withdrawn)" if result.withdrawn else ""
    console.print(
        f"published {len(result.episodes)} episode(s){withdrawn} to {shown(result.feed_path)} ({result.feed_url})",
        soft_wrap=True,
    )
