"""Many episodes at once: the builds of `briefing build` and `briefing run`, on every core or on a Dask cluster.

The client plans every script first (what is up to date, which engine: `auto` probes once per batch), then builds
the rest in this process, in a pool of local processes (`--jobs`) or on a cluster (`--scheduler`, see
`briefing.cluster`). Each episode stands alone: one that fails is reported and the others go on.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.queues
import os
import queue
import sys
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeAlias

from briefing.build import (
    EngineChoice,
    EpisodePlan,
    clear_leftovers,
    make_episode,
    plan_episode,
    show_inputs,
    skipped_report,
)
from briefing.errors import BriefingError
from briefing.progress import EPISODES_STEP, FINISHED, Progress, no_progress, prefixed
from briefing.settings import Workspace
from briefing.speech.cast import Cast
from briefing.task import EpisodeOutcome, Status, planned_with

# Where a pool's processes send their progress reports: (step, done, total). (A string: the class is not
# subscriptable at run time.)
ProgressQueue: TypeAlias = "multiprocessing.queues.Queue[tuple[str, int, int]]"

# A local process that dies (killed, out of memory) takes its pool down; the episodes it held are tried this often.
POOL_ATTEMPTS = 2


@dataclass(frozen=True)
class BatchPlan:
    """The scripts of a batch, planned: the episodes to build, those up to date, those refused already."""

    to_build: tuple[EpisodePlan, ...]
    done: tuple[EpisodeOutcome, ...]  # up to date, or refused while planning
    order: tuple[Path, ...]  # the scripts as given, the order of the summary
    engines: tuple[Cast, ...] = field(default=())  # every distinct cast (engine and voices) the batch uses

    @property
    def total(self) -> int:
        return len(self.order)


@dataclass(frozen=True)
class BatchResult:
    outcomes: tuple[EpisodeOutcome, ...]  # in the order the scripts were given
    where: str  # where the builds ran, for the summary
    seconds: float

    def count(self, status: Status) -> int:
        return sum(outcome.status == status for outcome in self.outcomes)

    @property
    def failed(self) -> tuple[EpisodeOutcome, ...]:
        return tuple(outcome for outcome in self.outcomes if outcome.status == "failed")

    @property
    def exit_code(self) -> int:
        """0 when every episode is there; 2 when the failures are all bad input; 1 otherwise."""
        if not self.failed:
            return 0
        return 2 if all(outcome.bad_input for outcome in self.failed) else 1

    def totals(self) -> dict[str, int]:
        reports = [outcome.report for outcome in self.outcomes if outcome.report is not None]
        return {
            "synthesised": sum(report.synthesised for report in reports),
            "reused": sum(report.reused for report in reports),
            "segments_encoded": sum(report.segments_encoded for report in reports),
            "segments_reused": sum(report.segments_reused for report in reports),
            "duration_ms": sum(report.duration_ms for report in reports),
        }


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ------------------------------------------------------------------------------------------------------ planning


def plan_batch(
    workspace: Workspace, scripts: Sequence[Path], *, engine: str | EngineChoice | None = None, force: bool = False
) -> BatchPlan:
    """Plan every script: refused ones and those up to date are settled here, before anything is built.

    The show's music and cover are read once (a fault there is the whole batch's: a BriefingError)."""
    choice = engine if isinstance(engine, EngineChoice) else EngineChoice(workspace, engine)
    show = show_inputs(workspace)
    to_build: list[EpisodePlan] = []
    done: list[EpisodeOutcome] = []
    engines: dict[str, Cast] = {}
    slugs: dict[str, Path] = {}
    for path in scripts:
        try:
            plan = plan_episode(workspace, path, choice, show)
        except BriefingError as error:
            done.append(EpisodeOutcome.refused(path, error))
            continue
        slug = plan.script.meta.slug
        if slug in slugs:
            message = f"makes the same episode ({slug}) as {slugs[slug]}; give each script its own slug"
            done.append(EpisodeOutcome.refused(path, BriefingError(message, path)))
            continue
        slugs[slug] = path
        clear_leftovers(workspace, plan, caches=len(slugs) == 1)  # what killed builds left (caches: once)
        engines.setdefault(plan.cast.describe(), plan.cast)
        if plan.up_to_date and not force:
            done.append(EpisodeOutcome(path, report=skipped_report(plan, 0.0)))
        else:
            to_build.append(plan)
    return BatchPlan(tuple(to_build), tuple(done), tuple(scripts), tuple(engines.values()))


# ------------------------------------------------------------------------------------------------------ running


def run_batch(
    workspace: Workspace, batch: BatchPlan, *, jobs: int | None = None, scheduler: str | None = None,
    progress: Progress = no_progress,
) -> BatchResult:  # fmt: skip
    """Build the planned episodes: on the Dask cluster at `scheduler`, else in `jobs` local processes (default:
    one per core), else here. Returns every script's outcome, in the order given."""
    started = time.perf_counter()
    finished = Finished(batch.total, progress)
    for outcome in batch.done:
        finished(outcome)
    if scheduler:
        from briefing.cluster import build_on_cluster  # needs the optional `cluster` extra

        where = f"on the Dask cluster at {scheduler}"
        built = build_on_cluster(workspace, batch.to_build, scheduler, progress=progress, finished=finished)
    else:
        jobs = max(1, min(jobs or default_jobs(), len(batch.to_build)))
        if jobs == 1:
            where = "in this process"
            built = [finished(build_here(workspace, plan, progress)) for plan in batch.to_build]
        else:
            where = f"in {jobs} local processes"
            built = build_in_pool(workspace, batch.to_build, jobs, progress, finished)
    by_script = {outcome.script: outcome for outcome in (*batch.done, *built)}
    outcomes = tuple(by_script[path] for path in batch.order if path in by_script)
    return BatchResult(outcomes, where, time.perf_counter() - started)


def build_batch(
    workspace: Workspace, scripts: Sequence[Path], *, engine: str | EngineChoice | None = None, force: bool = False,
    jobs: int | None = None, scheduler: str | None = None, progress: Progress = no_progress,
) -> BatchResult:  # fmt: skip
    """`plan_batch`, then `run_batch`."""
    batch = plan_batch(workspace, scripts, engine=engine, force=force)
    return run_batch(workspace, batch, jobs=jobs, scheduler=scheduler, progress=progress)


class Finished:
    """Counts the episodes finished, reporting each one and the batch's step."""

    def __init__(self, total: int, progress: Progress):
        self.total, self.done, self.progress = total, 0, progress
        progress(EPISODES_STEP, 0, total)

    def __call__(self, outcome: EpisodeOutcome) -> EpisodeOutcome:
        self.done += 1
        self.progress(f"{outcome.slug}: {FINISHED}", 1, 1)
        self.progress(EPISODES_STEP, self.done, self.total)
        return outcome


def build_here(workspace: Workspace, plan: EpisodePlan, progress: Progress) -> EpisodeOutcome:
    """One planned episode built in this process."""
    script = plan.script_path
    try:
        report = make_episode(workspace, plan, progress=prefixed(progress, plan.script.meta.slug))
    except BriefingError as error:
        return EpisodeOutcome.refused(script, error)
    except Exception as error:  # noqa: BLE001  # a fault in one episode must not take the batch down
        return EpisodeOutcome(script, error=f"{script}: unexpected {type(error).__name__}: {error}", bad_input=False)
    return EpisodeOutcome(script, report=report)


# ------------------------------------------------------------------------------------------------- local processes

_reports: ProgressQueue | None = None  # in a pool's process: where its progress reports go


def _start_process(reports: ProgressQueue) -> None:
    global _reports
    _reports = reports


def _report_to_pool(slug: str) -> Progress:
    last = [0.0]

    def report(step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if _reports is not None and (done in (0, total) or now - last[0] >= 0.1):  # ten reports a second at most
            last[0] = now
            _reports.put((f"{slug}: {step}", done, total))

    return report


def _build_in_process(workspace: Workspace, script: Path, slug: str, engine: str, reason: str) -> EpisodeOutcome:
    """In a pool's process: the script's episode, built on the engine the batch chose, as a build here builds it."""
    try:
        plan = planned_with(workspace, script, engine, reason)
        report = make_episode(workspace, plan, progress=_report_to_pool(slug))
    except BriefingError as error:
        return EpisodeOutcome.refused(script, error)
    except Exception as error:  # noqa: BLE001  # a fault in one episode must not take the batch down
        return EpisodeOutcome(script, error=f"{script}: unexpected {type(error).__name__}: {error}", bad_input=False)
    return EpisodeOutcome(script, report=report)


def pool_context() -> multiprocessing.context.BaseContext:
    """Processes started afresh (forkserver on Linux, spawn elsewhere): forking a process that runs threads (the
    progress display, the encoders) could copy a lock held by one of them."""
    if sys.platform.startswith("linux"):
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["briefing.batch"])
        return context
    return multiprocessing.get_context("spawn")


def build_in_pool(
    workspace: Workspace, plans: Sequence[EpisodePlan], jobs: int, progress: Progress, finished: Finished
) -> list[EpisodeOutcome]:
    """The episodes built `jobs` at a time in processes of their own, each with the workspace itself (same
    machine, same files: nothing to ship), through the function `briefing build` uses."""
    context = pool_context()
    reports: ProgressQueue = context.Queue()
    outcomes: list[EpisodeOutcome] = []
    attempts = dict.fromkeys((plan.script_path for plan in plans), 0)
    pending = list(plans)
    while pending:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_process, initargs=(reports,)) as pool:
            futures: dict[Future[EpisodeOutcome], EpisodePlan] = {}
            for plan in pending:
                attempts[plan.script_path] += 1
                future = pool.submit(_build_in_process, workspace, plan.script_path, plan.script.meta.slug,
                                     plan.cast.name, plan.cast.reason)  # fmt: skip
                futures[future] = plan
            pending = []
            while futures:
                ready, _ = wait(futures, timeout=0.1, return_when=FIRST_COMPLETED)
                _forward(reports, progress)
                for future in ready:
                    plan = futures.pop(future)
                    try:
                        outcomes.append(finished(future.result()))
                    except BrokenProcessPool:
                        if attempts[plan.script_path] < POOL_ATTEMPTS:
                            pending.append(plan)
                        else:
                            message = f"{plan.script_path}: its build process died {POOL_ATTEMPTS} times"
                            outcomes.append(finished(EpisodeOutcome(plan.script_path, error=message, bad_input=False)))
    _forward(reports, progress)
    return outcomes


def _forward(reports: ProgressQueue, progress: Progress) -> None:
    while True:
        try:
            step, done, total = reports.get_nowait()
        except queue.Empty:
            return
        progress(step, done, total)
