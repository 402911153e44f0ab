"""Writing `scripts/<slug>.md` without ever losing a producer's edits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefing.errors import BriefingError
from briefing.fsutil import atomic_write_bytes, atomic_write_text
from briefing.models import Script
from briefing.script.scriptfile import parse_script, render_script
from briefing.settings import Workspace

WriteStatus = Literal["created", "unchanged", "replaced"]


@dataclass(frozen=True)
class WriteResult:
    """What `write_script` did: the script file, what happened to it, the backup of the old one, and the script."""

    path: Path
    status: WriteStatus
    script: Script
    backup: Path | None = None


def script_path(workspace: Workspace, slug: str) -> Path:
    return workspace.scripts_dir / f"{slug}.md"


def script_files(folder: Path) -> list[Path]:
    """The scripts in `folder` (scripts/), sorted: its `*.md` files, without the hidden ones and the lock and backup
    files editors leave beside a file they edit (Emacs' `.#x.md`, `#x.md#`, `x.md~`; Vim's `.x.md.swp`)."""
    return sorted(path for path in folder.glob("*.md") if not path.name.startswith((".", "#", "~")))


def write_script(workspace: Workspace, script: Script, *, force: bool = False) -> WriteResult:
    """Write `script` to scripts/<slug>.md.

    A new file is created; an identical one is left untouched. One that differs (a producer edited it) is refused
    unless `force`, and then kept beside it as `<slug>.md.<UTC time>.bak`. An existing script's GUID is kept.
    """
    path = script_path(workspace, script.meta.slug)
    if not path.exists():
        atomic_write_text(path, render_script(script))
        return WriteResult(path, "created", script)
    old = path.read_bytes()
    guid = existing_guid(old, path)
    if guid:
        script = dataclasses.replace(script, meta=dataclasses.replace(script.meta, guid=guid))
    new = render_script(script).encode("utf-8")
    if new == old:
        return WriteResult(path, "unchanged", script)
    if not force:
        raise BriefingError(
            "this script differs from what the issue makes (edited by hand?) and was left as it is; "
            "use --force to replace it (the old one is kept as a backup)",
            path,
        )
    backup = backup_path(path, dt.datetime.now(dt.UTC))
    atomic_write_bytes(backup, old)
    atomic_write_bytes(path, new)
    return WriteResult(path, "replaced", script, backup)


def existing_guid(data: bytes, path: Path) -> str | None:
    """The GUID of an existing script, even one a producer broke (then read from its `guid:` line)."""
    text = data.decode("utf-8", errors="replace")
    try:
        return parse_script(text, path).meta.guid
    except BriefingError:
        match = re.search(r"^guid:\s*['\"]?([^'\"\s#]+)", text, flags=re.MULTILINE)
        return match[1] if match else None


def backup_path(path: Path, now: dt.datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.{stamp}.bak")
    counter = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{stamp}-{counter}.bak")
        counter += 1
    return candidate
