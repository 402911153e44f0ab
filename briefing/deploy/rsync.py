"""Deploying with rsync (to `host:/path/` over the machine's own ssh set-up, or to a local path): everything but the
feed first, then the feed alone, so the feed never names audio that is not there yet."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from briefing.deploy.site import FEED_FILE, DeployResult, SiteFile
from briefing.errors import BriefingError

TIMEOUT_SECONDS = 3600
# --itemize-changes: "<f.st...... path" (sent) or ">f+++++++++ path" (received, for a local destination)
_ITEM = re.compile(r"^[<>](?P<kind>[fdLDS])\S+ (?P<path>.+)$")


def deploy_with_rsync(site: Path, files: list[SiteFile], destination: str, *, delete: bool) -> DeployResult:
    rsync = shutil.which("rsync")
    if rsync is None:
        raise BriefingError("rsync is not installed on this machine; install it, or deploy to s3 or a folder")
    target = destination if destination.endswith("/") else destination + "/"
    base = [rsync, "--recursive", "--times", "--checksum", "--mkpath", "--itemize-changes", "--exclude=.*"]
    first = [*base, f"--exclude=/{FEED_FILE}", *(["--delete-after"] if delete else []), f"{site}/", target]
    second = [*base, str(site / FEED_FILE), target]
    changes = _run(first, destination) + _run(second, destination)
    sent = tuple(match["path"] for line in changes if (match := _ITEM.match(line)) and match["kind"] == "f")
    deleted = tuple(line.split(None, 1)[1] for line in changes if line.startswith("*deleting"))
    return DeployResult(destination, sent, len(files) - len(sent), deleted)


def _run(command: list[str], destination: str) -> list[str]:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise BriefingError(f"rsync to {destination} did not finish in {TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        problem = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise BriefingError(f"rsync to {destination} failed (exit {done.returncode}: {problem})")
    return [line.strip() for line in done.stdout.splitlines() if line.strip()]
