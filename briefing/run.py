"""`briefing run`: the producer's one command — for each issue, its script (an existing one is reused, never
overwritten), then the builds as one batch (on every core, or on a Dask cluster), then one publish and one
validation of the feed. An issue or episode that fails is reported; the others go on and are published."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from briefing.batch import BatchResult, default_jobs, plan_batch, pool_context, run_batch
from briefing.errors import BriefingError
from briefing.ingest import read_issue
from briefing.models import Script
from briefing.progress import FINISHED, Progress, no_progress, prefixed
from briefing.release import PublishResult, publish
from briefing.script import make_script, script_path, write_script
from briefing.settings import Workspace
from briefing.task import EpisodeOutcome
from briefing.validate import Report, validate_feed

SCRIPTS_STEP = "scripts"  # progress: (issues scripted, issues)


@dataclass(frozen=True)
class ScriptStep:
    path: Path
    slug: str
    status: str  # "created", "unchanged" or "kept" (a script already there, possibly edited, is used as it is)
    issue: Path | None = None


@dataclass(frozen=True)
class RunSummary:
    scripts: tuple[ScriptStep, ...]  # one per issue that made a script
    batch: BatchResult  # every issue's outcome: those that made no script first, failed with the reason
    published: PublishResult | None  # None: nothing was built, so nothing was published
    report: Report | None
    engine_reason: str = ""  # why `auto` chose the engine ("" when one was named)

    @property
    def failed(self) -> tuple[EpisodeOutcome, ...]:
        return self.batch.failed

    def episode_url(self, slug: str) -> str:
        assert self.published is not None
        return self.published.episode_url(slug)

    def script_step(self, script: Path) -> ScriptStep | None:
        return next((step for step in self.scripts if step.path == script), None)

    @property
    def exit_code(self) -> int:
        """The batch's when an episode failed (2 for bad input), else the feed validation's."""
        if self.failed:
            return 2 if all(outcome.bad_input for outcome in self.failed) else 1
        return self.report.exit_code() if self.report is not None else 0


def script_for_issue(workspace: Workspace, issue_path: Path) -> ScriptStep:
    """The issue's script: written when missing, otherwise the producer's file exactly as it is."""
    return keep_or_write(workspace, issue_path, make_script(read_issue(issue_path), workspace))


def keep_or_write(workspace: Workspace, issue_path: Path, script: Script) -> ScriptStep:
    """`script` written when the episode has none yet; the producer's file, exactly as it is, when it has."""
    path = script_path(workspace, script.meta.slug)
    if path.exists():
        return ScriptStep(path, script.meta.slug, "kept", issue_path)
    result = write_script(workspace, script)
    return ScriptStep(result.path, script.meta.slug, result.status, issue_path)


def composed_script(workspace: Workspace, issue_path: Path) -> Script | EpisodeOutcome:
    """The script the issue makes (not written yet), or why it makes none."""
    try:
        return make_script(read_issue(issue_path), workspace)
    except BriefingError as error:
        return EpisodeOutcome(issue_path, error=str(error))
    except Exception as error:  # noqa: BLE001  # a fault in one issue must not stop the others
        message = f"{issue_path}: unexpected {type(error).__name__}: {error}"
        return EpisodeOutcome(issue_path, error=message, bad_input=False)


def composed_scripts(
    workspace: Workspace, issues: Sequence[Path], progress: Progress, jobs: int
) -> list[Script | EpisodeOutcome]:
    """Every issue's script, in order, made `jobs` at a time in processes of their own (reading an issue and
    titling its chapters is the analyser's work: a back catalogue of them is worth every core)."""
    progress(SCRIPTS_STEP, 0, len(issues))
    jobs = max(1, min(jobs, len(issues)))
    if jobs == 1:
        composed = []
        for done, issue_path in enumerate(issues, 1):
            composed.append(composed_script(workspace, issue_path))
            progress(SCRIPTS_STEP, done, len(issues))
    else:
        with ProcessPoolExecutor(jobs, mp_context=pool_context()) as pool:
            futures = [pool.submit(composed_script, workspace, issue_path) for issue_path in issues]
            for done, _ in enumerate(as_completed(futures), 1):
                progress(SCRIPTS_STEP, done, len(issues))
            composed = [future.result() for future in futures]
    progress(f"{SCRIPTS_STEP}: {FINISHED}", 1, 1)
    return composed


def scripts_for_issues(
    workspace: Workspace, issues: Sequence[Path], progress: Progress = no_progress, jobs: int = 1
) -> tuple[list[ScriptStep], list[EpisodeOutcome]]:
    """Each issue's script, in the order given; an issue that cannot make one (or makes the same episode as one
    before it) is refused with the reason, and the others go on."""
    steps: list[ScriptStep] = []
    refused: list[EpisodeOutcome] = []
    by_slug: dict[str, ScriptStep] = {}
    for issue_path, script in zip(issues, composed_scripts(workspace, issues, progress, jobs), strict=True):
        if isinstance(script, EpisodeOutcome):
            refused.append(script)
            continue
        if (earlier := by_slug.get(script.meta.slug)) is not None:
            message = f"makes the same episode ({script.meta.slug}) as {earlier.issue}; give it its own number"
            refused.append(EpisodeOutcome(issue_path, error=str(BriefingError(message, issue_path))))
            continue
        try:
            step = keep_or_write(workspace, issue_path, script)
        except BriefingError as error:
            refused.append(EpisodeOutcome(issue_path, error=str(error)))
            continue
        by_slug[step.slug] = step
        steps.append(step)
    return steps, refused


def run_issues(
    workspace: Workspace, issues: Sequence[Path], *, engine: str | None = None, progress: Progress = no_progress,
    jobs: int | None = None, scheduler: str | None = None,
) -> RunSummary:  # fmt: skip
    """Script, build, publish, validate. Reports "scripts" (issues scripted so far, issues), the batch's steps
    (see `briefing.batch`), "publish: <step>" and "validate". The scripts are made on this machine's cores
    (`jobs`, default one per core), the builds there too or on the cluster at `scheduler`."""
    steps, refused = scripts_for_issues(workspace, issues, progress, jobs or default_jobs())
    batch = plan_batch(workspace, [step.path for step in steps], engine=engine)  # one engine for the whole run
    reason = next((cast.reason for cast in batch.engines if cast.reason), "")
    built = run_batch(workspace, batch, jobs=jobs, scheduler=scheduler, progress=progress)
    result = dataclasses.replace(built, outcomes=(*refused, *built.outcomes))
    if not any(outcome.report is not None for outcome in result.outcomes):
        return RunSummary(tuple(steps), result, None, None, reason)
    progress("publish", 0, 1)
    published = publish(workspace, progress=prefixed(progress, "publish"))
    progress(f"publish: {FINISHED}", 1, 1)
    progress("validate", 0, 1)
    report = validate_feed(str(published.feed_path))
    progress(f"validate: {FINISHED}", 1, 1)
    return RunSummary(tuple(steps), result, published, report, reason)
