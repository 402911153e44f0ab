"""`briefing say "문장"`: hear one sentence as a presenter will say it (after normalisation), written to a WAV file
and played where a player exists."""

from __future__ import annotations

from pathlib import Path

import typer

from briefing.cli.options import EngineOption, WorkspaceOption, workspace_if_any
from briefing.cli.output import console, shown


def say(
    text: str = typer.Argument(..., help="Korean text, written as in a script (numbers, Latin words, …)."),
    presenter: str | None = typer.Option(None, "--presenter", help="Who says it (a name from show.toml)."),
    voice: str | None = typer.Option(None, "--voice", help="A voice of the engine instead (see 'briefing voices')."),
    engine: EngineOption = None,
    output: Path = typer.Option(Path("say.wav"), "--output", "-o", help="The WAV file to write."),
    play_it: bool = typer.Option(False, "--play", help="Play the file too, with the first audio player found."),
    workspace: WorkspaceOption = None,
) -> None:
    """Speak one sentence with the show's voices (its settings, presenters and lexicon, when run inside a show)."""
    from briefing.preview import play, say

    heard = say(text, output, workspace=workspace_if_any(workspace), engine=engine, presenter=presenter, voice=voice)
    if heard.reason:
        console.print(f"engine: {heard.reason}", soft_wrap=True, markup=False)
    for spoken in heard.spoken:
        console.print(f"said: {spoken}", soft_wrap=True, markup=False)
    console.print(
        f"wrote {shown(heard.path)}: {heard.duration_ms / 1000:.1f} s, {heard.voices}", soft_wrap=True, markup=False
    )
    if play_it:
        player = play(heard.path)
        console.print(f"played with {player}" if player else "no audio player found (afplay, paplay, aplay, ffplay)")
