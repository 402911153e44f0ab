"""Running the `briefing` command in-process as a user runs it (through `main`, so bad input becomes one sentence on
stderr and exit code 2), for tests that check what a user sees."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def briefing(args: list[str], capsys: pytest.CaptureFixture, cwd: Path | None = None) -> Outcome:
    from briefing.cli import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", ["briefing", *args])
        if cwd is not None:
            patch.chdir(cwd)
        try:
            main()
            code = 0
        except SystemExit as exited:
            code = exited.code if isinstance(exited.code, int) else 1
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)
