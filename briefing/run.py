"""`briefing run`: the producer's one command — for each issue, its script (an existing one is reused, never
overwritten), its build, then one publish and one validation of the feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.build import EngineChoice, EpisodeReport, build_episode, scripts_to_build
from briefing.deploy import DeployResult, deploy_site
from briefing.errors import BriefingError
from briefing.fetch import FetchResult, fetch_issues
from briefing.ingest import read_issue
from briefing.progress import Progress, no_progress, prefixed
from briefing.publish.ledger import Ledger, ledger_path, read_ledger, settle_pending_ledger
from briefing.publish.staging import FEED_FILE, Edition, built_episodes, now_utc, plan
from briefing.release import PublishResult, publish
from briefing.script import load_script, make_script, script_path, write_script
from briefing.script.numbering import number_issue
from briefing.settings import Workspace
from briefing.validate import Report, validate_feed


@dataclass(frozen=True)
class ScriptStep:
    path: Path
    slug: str
    status: str  # "created", "unchanged" or "kept" (a script already there, possibly edited, is used as it is)
    note: str | None = None  # where the episode number came from, when the issue's title gives none


@dataclass(frozen=True)
class EpisodeOutcome:
    script: ScriptStep
    duration_ms: int
    built: bool  # False: the build was already up to date
    engine: str
    utterances: int = 0
    synthesised: int = 0  # utterances synthesised by this run (the others came from the cache)
    synthesised_chapters: tuple[str, ...] = ()  # ... in these chapters


@dataclass(frozen=True)
class RunSummary:
    episodes: tuple[EpisodeOutcome, ...]
    published: PublishResult
    report: Report
    engine_reason: str = ""  # why `auto` chose the engine ("" when one was named)

    def episode_url(self, slug: str) -> str:
        return self.published.episode_url(slug)


def script_for_issue(workspace: Workspace, issue_path: Path) -> ScriptStep:
    """The issue's script: written when missing, otherwise the producer's file exactly as it is."""
    numbered = number_issue(read_issue(issue_path), workspace)
    script = make_script(numbered.issue, workspace)
    path = script_path(workspace, script.meta.slug)
    if path.exists():
        return ScriptStep(path, script.meta.slug, "kept", numbered.note)
    result = write_script(workspace, script)
    return ScriptStep(result.path, script.meta.slug, result.status, numbered.note)


def episode_outcome(step: ScriptStep, built: EpisodeReport) -> EpisodeOutcome:
    """What one episode's script and build came to, with what the build synthesised afresh."""
    return EpisodeOutcome(
        step,
        built.duration_ms,
        built.built,
        built.engine,
        built.utterances,
        built.synthesised,
        built.synthesised_chapters,
    )


def run_issues(
    workspace: Workspace, issues: Sequence[Path], *, engine: str | None = None, progress: Progress = no_progress
) -> RunSummary:
    """Script, build, publish, validate. Reports each step as "<slug>: <stage>", "publish: <step>", "validate"."""
    choice = EngineChoice(workspace, engine)  # one engine for every episode of the run
    outcomes = []
    for issue_path in issues:
        progress(f"{issue_path.name}: script", 0, 1)
        step = script_for_issue(workspace, issue_path)
        built = build_episode(workspace, step.path, engine=choice, progress=prefixed(progress, step.slug))
        outcomes.append(episode_outcome(step, built))
    progress("publish", 0, 1)
    published = publish(workspace, progress=prefixed(progress, "publish"))
    progress("validate", 0, 1)
    report = validate_feed(str(published.feed_path))
    progress("done", 1, 1)
    return RunSummary(tuple(outcomes), published, report, choice.reason)


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
) -> NewRun:
    """The one command a scheduler runs: fetch the newsletter's new issues (when [source] names a feed), then script,
    build, publish and validate only if something is new — a new issue, an edited script, a scheduled episode whose
    time has come — and deploy (when [deploy] names a target) unless validation found an error (with `strict`, any
    finding). Nothing new: nothing is written, and `run` is None."""
    fetched = fetch_issues(workspace) if workspace.settings.source.feed else None
    fresh = unscripted_issues(workspace)
    choice = EngineChoice(workspace, engine)
    scripts = [script_for_issue(workspace, path) for path in fresh]
    outcomes = []
    for path in scripts_to_build(workspace, ()):
        built = build_episode(workspace, path, engine=choice, progress=prefixed(progress, path.stem))
        if built.built:
            step = next((s for s in scripts if s.path == path), ScriptStep(path, built.slug, "kept"))
            outcomes.append(episode_outcome(step, built))
    moment = now or now_utc()
    if not scripts and not outcomes and not needs_publishing(workspace, moment):
        return NewRun(fetched, None, None, held_back=False)
    published = publish(workspace, now=moment, progress=prefixed(progress, "publish"))
    report = validate_feed(str(published.feed_path))
    summary = RunSummary(tuple(outcomes), published, report, choice.reason)
    held_back = report.exit_code(strict=strict) != 0
    deployed = None
    if deploy and workspace.settings.deploy is not None and not held_back:
        deployed = deploy_site(workspace, progress=prefixed(progress, "deploy"))
    return NewRun(fetched, summary, deployed, held_back)
