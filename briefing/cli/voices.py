"""`briefing voices`: every engine, its voices, which presenter speaks with which, and whether the engine is usable
here (and why not); `briefing voices fetch supertonic` downloads Supertonic's weights at a pinned revision."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from briefing.cli.options import WorkspaceOption, workspace_if_any
from briefing.cli.output import console, err_console, shown
from briefing.errors import BriefingError

app = typer.Typer(
    help="List the speech engines and their voices (and whether each is usable here), or fetch a voice model.",
    invoke_without_command=True,
)


@app.callback()
def voices(
    context: typer.Context,
    probe: bool = typer.Option(True, "--probe/--no-probe", help="Ask the online engines whether they answer."),
    workspace: WorkspaceOption = None,
) -> None:
    """Every engine, best first: usable here or why not, its voices, and the show's presenters on it."""
    if context.invoked_subcommand is not None:
        return
    from briefing.build import speech_settings
    from briefing.settings import Speech
    from briefing.speech.voices import engine_listing

    show = workspace_if_any(workspace)
    speech = speech_settings(show) if show else Speech()
    presenters = show.settings.presenters if show else ()
    for entry in engine_listing(speech, presenters, probe=probe):
        state = {True: "[green]usable[/]", False: "[red]not usable[/]", None: "[yellow]not asked[/]"}[entry.usable]
        chosen = "  ← the show's engine" if show and speech.engine == entry.name else ""
        console.print(f"[bold]{entry.name}[/]  {state}: {escape(entry.reason)}{chosen}", soft_wrap=True)
        for voice in entry.voices:
            who = f"  ← {', '.join(voice.presenters)}" if voice.presenters else ""
            console.print(f"    {voice.name:<32} {voice.description}{who}", soft_wrap=True, markup=False)
        if entry.cast_problem:
            console.print(f"    (presenters: {entry.cast_problem})", soft_wrap=True, markup=False)


@app.command("fetch")
def fetch(
    engine: str = typer.Argument(..., help="The engine whose model to fetch: supertonic."),
    model: str | None = typer.Option(None, "--model", help="supertonic-3 (default: the show's) or supertonic-2."),
    target: Path | None = typer.Option(
        None, "--to", help="The folder to fetch into (default: the show's [speech] model_dir, else the user cache)."
    ),
    endpoint: str | None = typer.Option(None, "--endpoint", help="A Hugging Face mirror (default: $HF_ENDPOINT)."),
    repo: str | None = typer.Option(None, "--repo", help="Another repository with the same files (a copy)."),
    revision: str | None = typer.Option(None, "--revision", help="Another commit than the one briefing pins."),
    force: bool = typer.Option(False, "--force", help="Fetch again even when the folder holds this revision."),
    workspace: WorkspaceOption = None,
) -> None:
    """Download a voice model at a pinned revision, checking every file against the hub's own hash of it."""
    from briefing.build import speech_settings
    from briefing.cli.progress import StepBars
    from briefing.speech.voicemodels import PINNED, default_model_dir, fetch_model, hub_endpoint

    if engine != "supertonic":
        raise BriefingError(f"only supertonic has a model to fetch ('{engine}' needs none)")
    show = workspace_if_any(workspace)
    speech = speech_settings(show) if show else None
    model = model or (speech.supertonic_model if speech else "supertonic-3")
    if model not in PINNED:
        raise BriefingError(f"unknown Supertonic model '{model}' (choose one of: {', '.join(PINNED)})")
    folder = target or (speech.model_dir if speech and speech.model_dir else None) or default_model_dir(model)
    pinned = PINNED[model]
    hub = hub_endpoint(endpoint)  # a bad URL is refused before anything is said or written
    err_console.print(
        f"fetching {repo or pinned.repo} at {(revision or pinned.revision)[:12]} into {shown(folder)}", markup=False
    )
    with StepBars(err_console, {"download": "download"}) as bars:
        result = fetch_model(model, folder, endpoint=hub, repo=repo, revision=revision, force=force,
                             progress=bars)  # fmt: skip
    what = "fetched" if result.fetched else "already there:"
    console.print(
        f"{what} {result.files} files, {result.bytes / 1e6:.1f} MB in {shown(result.folder)}",
        soft_wrap=True,
        markup=False,
    )
    console.print(
        f"The weights are under the OpenRAIL-M licence, whose use restrictions also cover what they say: "
        f"{pinned.licence_url(hub)}",
        soft_wrap=True,
    )
