"""`briefing normalize`: print the spoken form of each input line, as the build will have it said."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click
import typer

from briefing.cli.options import WorkspaceOption, workspace_if_any
from briefing.cli.output import err_console
from briefing.errors import BriefingError

if TYPE_CHECKING:
    from briefing.speech.normalize import Change

STDIN = "-"
USAGE = (
    'give the text to say, e.g. briefing normalize "Apple은 $7M를 11월 3일(화)에", '
    "or pipe lines in: briefing normalize < issue.txt (or '-' to type them)"
)


def normalize(
    text: str | None = typer.Argument(
        None, help="Korean text; '-' reads lines from standard input (also the default when it is a pipe or file)."
    ),
    lexicon: Path | None = typer.Option(
        None, "--lexicon", help="A pronunciation lexicon (default: the show's, when run inside a show folder)."
    ),
    workspace: WorkspaceOption = None,
    explain_changes: bool = typer.Option(
        False, "--explain", help="Under each spoken line, which lexicon entry or rule made each change."
    ),
) -> None:
    """Print what the presenter says for each line: one output line per input line, empty where nothing is said."""
    from briefing.speech.normalize import explain, normalize

    if text is None and _stdin_is_terminal():
        # Nothing given and nothing piped in: waiting silently for typing would look like a hang.
        raise BriefingError(USAGE)
    entries = _lexicon(lexicon, workspace)
    if text == STDIN and _stdin_is_terminal():
        err_console.print("reading lines from the terminal: type a line, Enter to hear its spoken form; Ctrl-D ends")
    lines = _stdin_lines() if text in (None, STDIN) else iter(text.removesuffix("\n").split("\n"))
    for line in lines:
        if not explain_changes:
            typer.echo(normalize(line, entries))
            continue
        spoken, changes = explain(line, entries)
        typer.echo(spoken)
        typer.echo("".join(_explained(change) for change in changes), nl=False)


def _explained(change: Change) -> str:
    """One change, indented under its line: '  read_money  $7M → 칠백만 달러'."""
    how = f"  ({change.how})" if change.how else ""
    return f"  {change.source:<24} {change.written} → {change.spoken}{how}\n"


def _lexicon(path: Path | None, workspace: Path | None) -> dict[str, str]:
    from briefing.speech.lexicon import load_lexicon

    if path is not None:
        if not path.is_file():
            raise BriefingError("no such pronunciation lexicon", path)
        return load_lexicon(path)
    show = workspace_if_any(workspace)
    return load_lexicon(show.path(show.settings.lexicon)) if show else {}


def _stdin_is_terminal() -> bool:
    return click.get_text_stream("stdin").isatty()


def _stdin_lines() -> Iterator[str]:
    """Standard input line by line (so a long pipe is spoken as it comes), as UTF-8."""
    for number, raw in enumerate(click.get_binary_stream("stdin"), start=1):
        try:
            yield raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise BriefingError("standard input is not UTF-8 text", "<stdin>", number) from None
