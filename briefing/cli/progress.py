"""Progress on the terminal for the library's `Progress` reports (step, done, total): nothing when output is not a
terminal, and gone once the work is done, so only the summary lines stay."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class StepBars:
    """One bar per step (e.g. a build's synthesis, mix and encode). They appear on the first report, so work that
    reports nothing (an episode already up to date) prints its summary line alone."""

    def __init__(self, out: Console, labels: dict[str, str] | None = None):
        self.progress = Progress(
            TextColumn("{task.description:>18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=out, transient=True, disable=not out.is_terminal,
        )  # fmt: skip
        self.labels = labels or {}
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> StepBars:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.tasks:
            self.progress.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.tasks:
            self.progress.start()
        if step not in self.tasks:
            self.tasks[step] = self.progress.add_task(self.labels.get(step, step), total=max(total, 1))
        self.progress.update(self.tasks[step], completed=done if total else 1, total=max(total, 1))


class OneBar:
    """A single bar that names the step in progress (e.g. a run's "asia-tech-brief-001: synthesis")."""

    def __init__(self, out: Console):
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.progress = Progress(*columns, console=out, transient=True)
        self.task = self.progress.add_task("starting", total=1)

    def __enter__(self) -> OneBar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        self.progress.update(self.task, description=step, completed=done, total=max(total, 1))
