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
    """Print one clear sentence for bad input and exit with code 2 (never a traceback)."""
    err_console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)  # its text is not markup
    sys.exit(BAD_INPUT)


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
