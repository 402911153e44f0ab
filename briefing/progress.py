"""How long work tells its caller how far it has got: one callback shape for synthesis, the build, publish and a run.

A step reports `(step, done, total)`, e.g. `("synthesis", 12, 40)`: first with `done == 0`, then as it goes. The command
line turns these into progress bars; library callers may pass nothing.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def __call__(self, step: str, done: int, total: int) -> None: ...


def no_progress(step: str, done: int, total: int) -> None:
    """The progress callback of a caller who does not listen."""


def prefixed(progress: Progress, prefix: str) -> Progress:
    """`progress` with each step named `"<prefix>: <step>"`, e.g. one episode's stages within a run."""

    def report(step: str, done: int, total: int) -> None:
        progress(f"{prefix}: {step}", done, total)

    return report
