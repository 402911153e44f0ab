"""Runs `briefing` commands one after another in this process for tests/faults/test_os_faults.py, and prints what each
did as JSON. The test starts it where the operating system will refuse something: without the capabilities that let root
ignore file permissions, or in a private mount namespace where each case gets a small, nearly full tmpfs.

    python os_fault_driver.py CASES.json     (a list of {"args": [...], "cwd": "...", "disk": {...} or absent})

A case with "disk" has its workspace copied from disk["source"] onto a fresh tmpfs of disk["size"] bytes mounted at
disk["mount"], which is then filled until disk["free"] bytes are left, before the command runs there.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def run(args: list[str], cwd: str) -> dict:
    from briefing import cli

    out, err = io.StringIO(), io.StringIO()
    code = 0
    os.chdir(cwd)
    sys.argv = ["briefing", *args]
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException as error:  # noqa: BLE001 — reported to the test as the traceback it is
            import traceback

            err.write("Traceback (most recent call last):\n" + "".join(traceback.format_exception(error)))
            code = 1
    return {"code": code, "out": out.getvalue(), "err": err.getvalue()}


def listing(root: str) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), root) for folder, _folders, files in os.walk(root) for name in files
    )


def fill(mount: str, free: int) -> None:
    """Take the tmpfs's space until `free` bytes are left."""
    stats = os.statvfs(mount)
    left = stats.f_bavail * stats.f_frsize - free
    if left > 0:
        with open(os.path.join(mount, "ballast"), "wb") as handle:
            handle.write(b"\0" * left)


def on_small_disk(case: dict) -> str:
    disk = case["disk"]
    mount = disk["mount"]
    os.makedirs(mount, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={disk['size']}", "tmpfs", mount], check=True)
    shutil.copytree(disk["source"], os.path.join(mount, "show"), symlinks=True)
    fill(mount, disk["free"])
    return os.path.join(mount, "show")


def main() -> None:
    cases = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    results = []
    for case in cases:
        cwd = on_small_disk(case) if "disk" in case else case["cwd"]
        started = time.monotonic()
        result = run(case["args"], cwd)
        result["seconds"] = round(time.monotonic() - started, 2)
        result["files"] = listing(case["disk"]["mount"] if "disk" in case else case.get("watch", cwd))
        if "disk" in case:
            os.chdir("/")
            subprocess.run(["umount", case["disk"]["mount"]], check=True)
        results.append(result)
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main()
