"""Progress on the terminal for the library's `Progress` reports (step, done, total): nothing when output is not a
terminal, and gone once the work is done, so only the summary lines stay."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from briefing.progress import EPISODES_STEP, FINISHED


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


class BatchBars:
    """One display for a batch of episodes: a bar for the episodes finished (when there are several) above a line
    for each piece of work under way (an episode's build, naming its step; publishing), fed by `Progress` reports
    (see `briefing.progress`: "episodes", "<slug>: <step>", "<slug>: finished")."""

    def __init__(self, out: Console, labels: dict[str, str] | None = None):
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=out, transient=True, disable=not out.is_terminal,
        )  # fmt: skip
        self.labels = labels or {}
        self.rows: dict[str, TaskID] = {}
        self.finished: set[str] = set()
        self.overall: TaskID | None = None

    def __enter__(self) -> BatchBars:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        if step == EPISODES_STEP:
            self._overall(done, total)
            return
        name, _, what = step.partition(": ")
        if what == FINISHED:
            self.finished.add(name)
            if name in self.rows:
                self.progress.remove_task(self.rows.pop(name))
            return
        if name in self.finished:
            return  # a late report from work already finished
        label = f"{name}: {self.labels.get(what, what)}" if what else name
        if name not in self.rows:
            self.rows[name] = self.progress.add_task(label, total=max(total, 1))
        self.progress.update(self.rows[name], description=label, completed=done if total else 1, total=max(total, 1))

    def _overall(self, done: int, total: int) -> None:
        if total < 2:
            return  # one episode: its own line says it all
        if self.overall is None:
            self.overall = self.progress.add_task("episodes", total=total)
        self.progress.update(self.overall, completed=done, total=total)
