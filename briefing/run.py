"""`briefing run`: the producer's one command — for each issue, its script (an existing one is reused, never
overwritten), then the builds as one batch (on every core, or on a Dask cluster), then one publish and one
validation of the feed. An issue or episode that fails is reported; the others go on and are published.
`briefing run --new` does the same for what is new only, then deploys."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from briefing.batch import BatchResult, default_jobs, plan_batch, pool_context, run_batch
from briefing.build import scripts_to_build
from briefing.deploy import DeployResult, deploy_site
from briefing.errors import BriefingError
from briefing.fetch import FetchResult, fetch_issues
from briefing.ingest import read_issue
from briefing.models import Issue, Script
from briefing.progress import FINISHED, Progress, no_progress, prefixed
from briefing.publish.ledger import Ledger, ledger_path, read_ledger, settle_pending_ledger
from briefing.publish.staging import FEED_FILE, Edition, built_episodes, now_utc, plan
from briefing.release import PublishResult, publish
from briefing.script import load_script, make_script, script_path, write_script
from briefing.script.numbering import Numbered, number_issue
from briefing.settings import Workspace
from briefing.task import EpisodeOutcome
from briefing.validate import Report, validate_feed

SCRIPTS_STEP = "scripts"  # progress: (issues scripted, issues)


@dataclass(frozen=True)
class ScriptStep:
    path: Path
    slug: str
    status: str  # "created", "unchanged" or "kept" (a script already there, possibly edited, is used as it is)
    note: str | None = None  # where the episode number came from, when the issue's title gives none
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
    numbered = number_issue(read_issue(issue_path), workspace)
    return keep_or_write(workspace, issue_path, make_script(numbered.issue, workspace), numbered.note)


def keep_or_write(workspace: Workspace, issue_path: Path, script: Script, note: str | None = None) -> ScriptStep:
    """`script` written when the episode has none yet; the producer's file, exactly as it is, when it has."""
    path = script_path(workspace, script.meta.slug)
    if path.exists():
        return ScriptStep(path, script.meta.slug, "kept", note, issue_path)
    result = write_script(workspace, script)
    return ScriptStep(result.path, script.meta.slug, result.status, note, issue_path)


def numbered_issues(workspace: Workspace, issues: Sequence[Path]) -> list[Numbered | EpisodeOutcome]:
    """Each issue read and numbered here, in order (quick, and the numbers depend on one another): one whose title
    gives no number follows the show's last episode and every issue numbered before it in this run."""
    given: list[int] = []
    numbered: list[Numbered | EpisodeOutcome] = []
    for issue_path in issues:
        try:
            one = number_issue(read_issue(issue_path), workspace, given=given)
        except BriefingError as error:
            numbered.append(EpisodeOutcome.refused(issue_path, error))
            continue
        except Exception as error:  # noqa: BLE001  # a fault in one issue must not stop the others
            message = f"{issue_path}: unexpected {type(error).__name__}: {error}"
            numbered.append(EpisodeOutcome(issue_path, error=message, bad_input=False))
            continue
        given.append(one.issue.number or 0)
        numbered.append(one)
    return numbered


def composed_script(workspace: Workspace, issue_path: Path, issue: Issue) -> Script | EpisodeOutcome:
    """The script the numbered issue makes (not written yet), or why it makes none."""
    try:
        return make_script(issue, workspace)
    except BriefingError as error:
        return EpisodeOutcome.refused(issue_path, error)
    except Exception as error:  # noqa: BLE001  # a fault in one issue must not stop the others
        message = f"{issue_path}: unexpected {type(error).__name__}: {error}"
        return EpisodeOutcome(issue_path, error=message, bad_input=False)


def composed_scripts(
    workspace: Workspace, issues: Sequence[Path], progress: Progress, jobs: int
) -> list[tuple[Script | EpisodeOutcome, str | None]]:
    """Every issue's script and its numbering note, in order, made `jobs` at a time in processes of their own
    (titling an issue's chapters is the analyser's work: a back catalogue of them is worth every core)."""
    progress(SCRIPTS_STEP, 0, len(issues))
    numbered = numbered_issues(workspace, issues)
    work = [(path, one) for path, one in zip(issues, numbered, strict=True) if isinstance(one, Numbered)]
    jobs = max(1, min(jobs, len(work)))
    made: dict[Path, Script | EpisodeOutcome] = {}
    if jobs == 1:
        for done, (issue_path, one) in enumerate(work, 1):
            made[issue_path] = composed_script(workspace, issue_path, one.issue)
            progress(SCRIPTS_STEP, done, len(issues))
    else:
        with ProcessPoolExecutor(jobs, mp_context=pool_context()) as pool:
            futures = {pool.submit(composed_script, workspace, path, one.issue): path for path, one in work}
            for done, future in enumerate(as_completed(futures), 1):
                made[futures[future]] = future.result()
                progress(SCRIPTS_STEP, done, len(issues))
    progress(f"{SCRIPTS_STEP}: {FINISHED}", 1, 1)
    return [
        (made[path], one.note) if isinstance(one, Numbered) else (one, None)
        for path, one in zip(issues, numbered, strict=True)
    ]


def scripts_for_issues(
    workspace: Workspace, issues: Sequence[Path], progress: Progress = no_progress, jobs: int = 1
) -> tuple[list[ScriptStep], list[EpisodeOutcome]]:
    """Each issue's script, in the order given; an issue that cannot make one (or makes the same episode as one
    before it) is refused with the reason, and the others go on."""
    steps: list[ScriptStep] = []
    refused: list[EpisodeOutcome] = []
    by_slug: dict[str, ScriptStep] = {}
    for issue_path, (script, note) in zip(issues, composed_scripts(workspace, issues, progress, jobs), strict=True):
        if isinstance(script, EpisodeOutcome):
            refused.append(script)
            continue
        if (earlier := by_slug.get(script.meta.slug)) is not None:
            message = f"makes the same episode ({script.meta.slug}) as {earlier.issue}; give it its own number"
            refused.append(EpisodeOutcome.refused(issue_path, BriefingError(message, issue_path)))
            continue
        try:
            step = keep_or_write(workspace, issue_path, script, note)
        except BriefingError as error:
            refused.append(EpisodeOutcome.refused(issue_path, error))
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


# ---------------------------------------------------------------------------------------------- run --new

ISSUE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})


@dataclass(frozen=True)
class NewRun:
    """What `briefing run --new` did: nothing (`run` is None), or a run, a deploy, or a run held back from deploying."""

    fetched: FetchResult | None
    run: RunSummary | None
    deployed: DeployResult | None
    held_back: bool  # validation found what stops a deploy

    @property
    def nothing_new(self) -> bool:
        return self.run is None


def unscripted_issues(workspace: Workspace) -> list[Path]:
    """Issue files in issues/ that no script names as its source, oldest name first."""
    sources = set()
    for path in sorted(workspace.scripts_dir.glob("*.md")):
        sources.add((workspace.root / load_script(path).meta.source).resolve())
    issues = [
        path
        for path in sorted(workspace.issues_dir.glob("*"))
        if path.is_file() and path.suffix.lower() in ISSUE_SUFFIXES and not path.name.startswith(".")
    ]
    return [path for path in issues if path.resolve() not in sources]


def needs_publishing(workspace: Workspace, now: dt.datetime) -> bool:
    """Whether a publish at `now` would change the feed: an episode new to it (or due now), a changed one, or no
    published site at all."""
    ledger_file = ledger_path(workspace.root)
    settle_pending_ledger(ledger_file, workspace.feed_dir, FEED_FILE)  # a publish killed at its swap may have left one
    ledger = read_ledger(ledger_file)
    edition = plan_quietly(workspace, ledger, now)
    if edition is None or not edition.listed:
        return False  # nothing the feed could list yet (perhaps an episode scheduled for later)
    return not (workspace.feed_dir / FEED_FILE).is_file() or edition.updated != ledger


def plan_quietly(workspace: Workspace, ledger: Ledger, now: dt.datetime) -> Edition | None:
    """The publish plan at `now`, or None when there is nothing to publish at all."""
    try:
        return plan(workspace, ledger, now)
    except BriefingError:
        if not built_episodes(workspace.episodes_dir):
            return None
        raise


def run_new(
    workspace: Workspace,
    *,
    engine: str | None = None,
    strict: bool = False,
    deploy: bool = True,
    now: dt.datetime | None = None,
    progress: Progress = no_progress,
    jobs: int | None = None,
    scheduler: str | None = None,
) -> NewRun:
    """The one command a scheduler runs: fetch the newsletter's new issues (when [source] names a feed), then script,
    build, publish and validate only if something is new — a new issue, an edited script, a scheduled episode whose
    time has come — and deploy (when [deploy] names a target) unless validation found an error (with `strict`, any
    finding). The builds run as one batch, as in `run_issues`: an issue or episode that fails is reported (and the
    exit code says so) while the others are published and deployed. Nothing new: nothing is written, and `run` is
    None."""
    fetched = fetch_issues(workspace) if workspace.settings.source.feed else None
    fresh = unscripted_issues(workspace)
    steps, refused = scripts_for_issues(workspace, fresh, progress, jobs or default_jobs()) if fresh else ([], [])
    batch = plan_batch(workspace, scripts_to_build(workspace, ()), engine=engine)
    reason = next((cast.reason for cast in batch.engines if cast.reason), "")
    built = run_batch(workspace, batch, jobs=jobs, scheduler=scheduler, progress=progress)
    # What the run did: the issues refused, and the episodes built or failed (those up to date are not news).
    done = (*refused, *(outcome for outcome in built.outcomes if outcome.status != "up to date"))
    moment = now or now_utc()
    if not steps and not done and not needs_publishing(workspace, moment):
        return NewRun(fetched, None, None, held_back=False)
    if not built_episodes(workspace.episodes_dir):  # everything failed: nothing to publish, only failures to report
        return NewRun(fetched, RunSummary(tuple(steps), dataclasses.replace(built, outcomes=done), None, None, reason),
                      None, held_back=False)  # fmt: skip
    scripts = {step.path: step for step in steps}
    for outcome in done:
        if outcome.report is not None and outcome.script not in scripts:
            scripts[outcome.script] = ScriptStep(outcome.script, outcome.report.slug, "kept")
    published = publish(workspace, now=moment, progress=prefixed(progress, "publish"))
    report = validate_feed(str(published.feed_path))
    summary = RunSummary(tuple(scripts.values()), dataclasses.replace(built, outcomes=done), published, report, reason)
    held_back = report.exit_code(strict=strict) != 0  # an issue or episode that failed holds back no other
    deployed = None
    if deploy and workspace.settings.deploy is not None and not held_back:
        deployed = deploy_site(workspace, progress=prefixed(progress, "deploy"))
    return NewRun(fetched, summary, deployed, held_back)
