"""`briefing lexicon check [SCRIPT…]`: the Latin words a script would have said by a guess, as lines to check and
copy into the show's lexicon.toml."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.cells import cell_len

from briefing.cli.options import WorkspaceOption
from briefing.cli.output import console, shown
from briefing.errors import BriefingError
from briefing.settings import find_workspace

if TYPE_CHECKING:
    from briefing.speech.lexicon_check import Report

app = typer.Typer(help="The show's pronunciation lexicon (lexicon.toml).", no_args_is_help=True)


@app.command("check")
def check(
    scripts: list[Path] = typer.Argument(
        None, readable=False, help="Scripts to check (default: every script in scripts/)."
    ),
    workspace: WorkspaceOption = None,
) -> None:
    """List the Latin words said by a guess, as lexicon lines to check and keep.

    A guess is the pronouncing dictionary, the spelling or letter names; words a lexicon entry keeps in Latin letters
    are listed too.
    """
    from briefing.script import load_script, script_files
    from briefing.speech.lexicon import load_lexicon
    from briefing.speech.lexicon_check import check_texts
    from briefing.speech.utterances import script_utterances

    show = find_workspace(workspace)
    lexicon_path = show.path(show.settings.lexicon)
    lexicon = load_lexicon(lexicon_path)
    paths = list(scripts) if scripts else script_files(show.scripts_dir)
    if not paths:
        raise BriefingError("no scripts to check (run 'briefing script ISSUE' first)", show.scripts_dir)
    for path in paths:
        if not path.is_file():
            raise BriefingError("no such script", path)
        written = [utterance.written for utterance in script_utterances(load_script(path), lexicon)]
        _print_report(shown(path), lexicon_path.name, check_texts(written, lexicon))


def _print_report(path: str, lexicon_name: str, report: Report) -> None:
    if not report.guesses:
        console.print(
            f"{path}: every Latin word is said by a lexicon entry or as an initialism", soft_wrap=True, markup=False
        )
    else:
        count = len(report.guesses)
        words, them = ("words", "them") if count != 1 else ("word", "it")
        console.print(
            f"{path}: {count} Latin {words} said by a guess; check {them} and copy the lines to keep "
            f"(corrected where needed) into {lexicon_name}:",
            soft_wrap=True,
        )
        entries = [guess.entry() for guess in report.guesses]
        width = max(map(cell_len, entries))  # Hangul takes two columns
        for entry, guess in zip(entries, report.guesses, strict=True):
            times = f", {guess.count} times" if guess.count > 1 else ""
            padding = " " * (width - cell_len(entry))
            console.print(f"{entry}{padding}  # {guess.how}{times}", soft_wrap=True, markup=False)
    if report.latin:
        console.print(
            f"{path}: reaching the engine in Latin letters (a lexicon entry keeps them): {', '.join(report.latin)}",
            soft_wrap=True,
            markup=False,
        )
