"""The `briefing` command: a thin Typer layer over the stages. Each stage's commands live in a module here."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from briefing.errors import BriefingError

app = typer.Typer(
    name="briefing",
    help="Turn a Korean newsletter issue into a podcast episode and publish it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)

BAD_INPUT = 2


def _print_version(value: bool) -> None:
    if value:
        from briefing import __version__

        console.print(f"briefing {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True, help="Print the version."),
) -> None:
    """Turn a Korean newsletter issue into a podcast episode and publish it."""


def main() -> None:
    # Imported for their side effect: each module registers its commands on `app`.
    from briefing.cli import commands  # noqa: F401

    try:
        app()  # standalone: usage errors exit 2 with click's message
    except BriefingError as error:
        fail_and_exit(error)


def fail_and_exit(error: BriefingError) -> None:
    """Print one clear sentence for bad input and exit with code 2 (never a traceback)."""
    err_console.print(f"[bold red]error:[/] {error}", soft_wrap=True)
    sys.exit(BAD_INPUT)
