"""What every command prints through: the consoles, paths as the user would type them, and the one-sentence error."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from briefing.errors import BriefingError

console = Console(stderr=False, highlight=False)
err_console = Console(stderr=True, highlight=False)

BAD_INPUT = 2


def fail_and_exit(error: BriefingError) -> None:
    """Print one clear sentence for bad input and exit with code 2 (never a traceback).

    The sentence carries user text (paths, URLs, show.toml's `[music]`), so it is escaped: rich would take any
    `[word]` in it for markup and drop it."""
    err_console.print(f"[bold red]error:[/] {escape(sentence(error))}", soft_wrap=True)
    sys.exit(BAD_INPUT)


def sentence(error: BriefingError) -> str:
    """The error as printed: its file as the user would type it (and line), then what is wrong."""
    if error.path is None:
        return error.message
    where = error.place or shown(error.path)
    return f"{where}:{error.line}: {error.message}" if error.line is not None else f"{where}: {error.message}"


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it (the folder itself, which
    would be a bare ".", as given)."""
    try:
        relative = path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return str(path)
    return str(path) if relative == Path(".") else str(relative)
