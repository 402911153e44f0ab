"""Deploying to a folder on this machine (one a web server publishes): each changed file copied under a temporary
name and renamed into place, the feed last."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefing.deploy.site import DeployResult, SiteFile
from briefing.errors import BriefingError
from briefing.fsutil import atomic_output
from briefing.progress import Progress


def deploy_to_folder(files: list[SiteFile], folder: Path, *, delete: bool, progress: Progress) -> DeployResult:
    if folder.exists() and not folder.is_dir():
        raise BriefingError("the deploy folder is a file", folder)
    pending = [file for file in files if not same_file(file.path, folder / file.key)]
    try:
        for number, file in enumerate(pending, start=1):
            with atomic_output(folder / file.key) as partial:
                shutil.copyfile(file.path, partial)
            progress("copy", number, len(pending))
        wanted = {file.key for file in files}
        stale = sorted(
            path.relative_to(folder).as_posix()
            for path in folder.rglob("*")
            if path.is_file() and path.relative_to(folder).as_posix() not in wanted
        ) if delete else []  # fmt: skip
        for key in stale:
            (folder / key).unlink()
    except OSError as error:
        raise BriefingError(f"cannot write the deploy folder ({error.strerror})", folder) from None
    return DeployResult(str(folder), tuple(file.key for file in pending), len(files) - len(pending), tuple(stale))


def same_file(source: Path, target: Path) -> bool:
    """The same bytes: sizes first, then the contents (a deploy is rare; reading is cheaper than a wrong guess)."""
    if not target.is_file() or target.stat().st_size != source.stat().st_size:
        return False
    with source.open("rb") as one, target.open("rb") as other:
        while chunk := one.read(1 << 20):
            if chunk != other.read(len(chunk)):
                return False
    return True
