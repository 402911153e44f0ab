"""`briefing publish`: the static site feed/ (feed.xml, MP3s, chapters, transcripts, cover, pages) from every built
episode."""

from __future__ import annotations

import typer

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console, shown
from briefing.settings import find_workspace


def publish(
    slugs: list[str] = typer.Argument(
        None, help="Withdrawn episodes to list again, by slug (e.g. asia-tech-brief-001); they keep their first date."
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """Write the static site feed/ (feed.xml, MP3s, chapters, transcripts, cover) from every built episode; name a
    withdrawn episode to bring it back."""
    from briefing.release import publish

    show = find_workspace(workspace)
    with console.status("publishing") as status:
        result = publish(
            show,
            restore=slugs or (),
            progress=lambda step, done, total: status.update(f"publishing {step} {done}/{total}"),
        )
    first = {episode.timeline.meta.slug: episode.published for episode in result.episodes}
    for slug in result.restored:
        console.print(
            f"{slug} is listed again, under its first publication date {first[slug]:%Y-%m-%d}", soft_wrap=True
        )
    withdrawn = f" ({len(result.withdrawn)} withdrawn)" if result.withdrawn else ""
    console.print(
        f"published {len(result.episodes)} episode(s){withdrawn} to {shown(result.feed_path)} ({result.feed_url})",
        soft_wrap=True,
    )
