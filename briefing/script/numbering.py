"""An episode's number when its issue's title gives none: the number its script already has, else the next after
the show's last episode. Either way the command says so, since the number is in the slug, the feed and the audio."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import BriefingError
from briefing.models import Issue, ScriptMeta
from briefing.script.scriptfile import load_script
from briefing.settings import Workspace


@dataclass(frozen=True)
class Numbered:
    """The issue with its episode number, and the sentence that says where the number came from (None when the
    title gave it)."""

    issue: Issue
    note: str | None = None


def number_issue(issue: Issue, workspace: Workspace) -> Numbered:
    """`issue` with an episode number: the title's; else that of the script already made from this issue (so making
    it again keeps its number and slug); else one more than the show's highest in scripts/."""
    if issue.number is not None:
        return Numbered(issue)
    scripts = existing_scripts(workspace)
    source = source_reference(issue.path, workspace.root)
    for path, meta in scripts:
        if meta.source == source:
            note = f"the title gives no episode number; it keeps number {meta.episode}, from {path.name}"
            return Numbered(dataclasses.replace(issue, number=meta.episode), note)
    numbers = [meta.episode for _path, meta in scripts if meta.show == issue.show]
    number = max(numbers, default=0) + 1
    after = f"after the show's last episode, {number - 1}" if numbers else "the show's first in scripts/"
    note = f"the title gives no episode number, so this is episode {number}, {after}"
    return Numbered(dataclasses.replace(issue, number=number), note)


def existing_scripts(workspace: Workspace) -> list[tuple[Path, ScriptMeta]]:
    """Every readable script in scripts/ with its front matter (one a producer broke is passed over here; building
    it names the mistake)."""
    found = []
    for path in sorted(workspace.scripts_dir.glob("*.md")):
        try:
            found.append((path, load_script(path).meta))
        except BriefingError:
            continue
    return found


def source_reference(issue_path: Path, root: Path) -> str:
    """The issue's path relative to the workspace (`issues/x.txt`, `../seeds/x.txt`), so it reads the same anywhere."""
    absolute = issue_path.resolve()
    try:
        return Path(os.path.relpath(absolute, root.resolve())).as_posix()
    except ValueError:  # another drive on Windows: no relative path exists
        return absolute.as_posix()
