"""`briefing run`: the producer's one command — for each issue, its script (an existing one is reused, never
overwritten), its build, then one publish and one validation of the feed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.build import EngineChoice, build_episode
from briefing.ingest import read_issue
from briefing.progress import Progress, no_progress, prefixed
from briefing.release import PublishResult, publish
from briefing.script import make_script, script_path, write_script
from briefing.settings import Workspace
from briefing.validate import Report, validate_feed


@dataclass(frozen=True)
class ScriptStep:
    path: Path
    slug: str
    status: str  # "created", "unchanged" or "kept" (a script already there, possibly edited, is used as it is)


@dataclass(frozen=True)
class EpisodeOutcome:
    script: ScriptStep
    duration_ms: int
    built: bool  # False: the build was already up to date
    engine: str


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
    script = make_script(read_issue(issue_path), workspace)
    path = script_path(workspace, script.meta.slug)
    if path.exists():
        return ScriptStep(path, script.meta.slug, "kept")
    result = write_script(workspace, script)
    return ScriptStep(result.path, script.meta.slug, result.status)


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
        outcomes.append(EpisodeOutcome(step, built.duration_ms, built.built, built.engine))
    progress("publish", 0, 1)
    published = publish(workspace, progress=prefixed(progress, "publish"))
    progress("validate", 0, 1)
    report = validate_feed(str(published.feed_path))
    progress("done", 1, 1)
    return RunSummary(tuple(outcomes), published, report, choice.reason)
