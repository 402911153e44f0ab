"""Operating-system faults: files and folders the command may not read or write, and a full disk. Each ends in one
sentence naming the path and what to do, exit 2, no traceback, and nothing half written left behind.

The commands run in one child process (tests/support/os_fault_driver.py) per kind of fault: as root, without the
capabilities that let root ignore file permissions (setpriv); for a full disk, in a private mount namespace with a
small tmpfs per case (unshare). Where the machine allows neither, the tests say so and skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DRIVER = Path(__file__).resolve().parents[1] / "support" / "os_fault_driver.py"
WITHOUT_DAC = ["--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
TEMPORARY_NAMES = (".tmp", ".new.", ".old.")  # what an interrupted atomic write or swap would leave


def _works(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def permission_prefix() -> list[str] | None:
    """How to run a command that file permissions bind: as is for an ordinary user; for root, without
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH. None when root cannot drop them here."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv and _works([setpriv, *WITHOUT_DAC, "true"]):
        return [setpriv, *WITHOUT_DAC]
    return None


def mount_prefix() -> list[str] | None:
    """How to run a command in a private mount namespace where it may mount a tmpfs; None where that is refused."""
    unshare = shutil.which("unshare")
    if not unshare or not shutil.which("mount"):
        return None
    probe = "d=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs $d && umount $d && rmdir $d"
    for flags in (["-m"], ["-r", "-m"]):  # as root; else as root of a new user namespace
        if _works([unshare, *flags, "sh", "-c", probe]):
            return [unshare, *flags]
    return None


@dataclass(frozen=True)
class Fault:
    id: str
    args: tuple[str, ...]
    names: str  # the path (its end) the sentence must name
    says: str  # what it must say the trouble is
    locked: tuple[str, ...] = ()  # chmod 000 (files) or 555 (folders) before the command
    source_edit: tuple[str, str] = ("", "")  # (old, new) in the script first, so that the build has work to do
    cwd: str = ""
    may_change: tuple[str, ...] = (".cache/",)  # what the command may legitimately have written before failing
    extra: dict = field(default_factory=dict)
    pending: str = ""  # why this case does not hold yet (it is then expected to fail)


PERMISSION = "permission denied"
ISSUE = "issues/asia-tech-brief-001.txt"
PERMISSION_FAULTS = [
    # The script stage first: its analyser is then loaded once for the three.
    Fault("issue", ("script", ISSUE), "asia-tech-brief-001.txt", PERMISSION, locked=(ISSUE,)),
    Fault("template", ("script", ISSUE), "story.j2", PERMISSION, locked=("templates/story.j2",),
          extra={"template": True}),
    Fault("scripts-folder", ("script", ISSUE), "scripts", PERMISSION, locked=("scripts",)),
    Fault("show-toml", ("build",), "show.toml", PERMISSION, locked=("show.toml",)),
    Fault("lexicon", ("build",), "lexicon.toml", PERMISSION, locked=("lexicon.toml",)),
    Fault("music", ("build",), "intro.wav", PERMISSION, locked=("audio/music/intro.wav",)),
    Fault("cover", ("build",), "cover.png", PERMISSION, locked=("cover.png",), extra={"cover": True}),
    Fault("script", ("build",), "tiny-001.md", PERMISSION, locked=("scripts/tiny-001.md",)),
    Fault("ledger", ("publish",), "published.json", PERMISSION, locked=("published.json",)),
    Fault("timeline", ("publish",), "tiny-001.json", PERMISSION, locked=("audio/episodes/tiny-001.json",)),
    Fault("episode-mp3", ("publish",), "tiny-001.mp3", PERMISSION, locked=("audio/episodes/tiny-001.mp3",)),
    Fault("episodes-folder", ("build", "--force"), "episodes", PERMISSION, locked=("audio/episodes",)),
    Fault("cache-folder", ("build",), ".cache", PERMISSION, locked=(".cache/speech",),
          source_edit=("고맙습니다.", "다음 주에 뵙겠습니다.")),
    Fault("feed-folder", ("publish",), "feed", PERMISSION, locked=("feed",), extra={"new_build": True}),
    Fault("workspace", ("publish",), "feed", PERMISSION, locked=(".",), extra={"new_build": True}),
    Fault("cache-clear", ("cache", "clear"), "speech", PERMISSION, locked=(".cache",), may_change=()),
    Fault("init", ("init", "locked/new-show"), "new-show", PERMISSION, locked=("locked",), extra={"mkdir": "locked"}),
    Fault("validate", ("validate", "feed/feed.xml"), "feed.xml", PERMISSION, locked=("feed/feed.xml",)),
]  # fmt: skip

FULL = "the disk is full"
DISK_FAULTS = [
    # (id, args, free bytes left, what the sentence names)
    ("build", ("build", "--force"), 64 << 10, ""),
    ("publish", ("publish",), 16 << 10, "feed"),
    ("script", ("script", "issues/asia-tech-brief-001.txt"), 0, "asia-tech-brief-001.md"),
    ("init", ("init", "new-show"), 256 << 10, "new-show"),
]


def _lock(root: Path, relative: str) -> None:
    path = root / relative
    path.chmod(0o555 if path.is_dir() else 0o000)


def _prepare(fault: Fault, source: Path, root: Path) -> Path:
    shutil.copytree(source, root, symlinks=True)
    if fault.extra.get("cover"):
        from PIL import Image

        Image.new("RGB", (1400, 1400), (10, 20, 30)).save(root / "cover.png")
        with (root / "show.toml").open("a", encoding="utf-8") as settings:
            settings.write("")
        text = (root / "show.toml").read_text(encoding="utf-8")
        (root / "show.toml").write_text('cover = "cover.png"\n' + text, encoding="utf-8")
    if fault.extra.get("template"):
        (root / "templates" / "story.j2").write_text("{% set title = story.title %}{{ story.paragraphs[0] }}\n")
    if fault.extra.get("new_build"):  # publish has something new to write
        ledger = root / "published.json"
        ledger.unlink()
    if "mkdir" in fault.extra:
        (root / fault.extra["mkdir"]).mkdir()
    old, new = fault.source_edit
    if old:
        script = root / "scripts" / "tiny-001.md"
        script.write_text(script.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return root


def _tree(root: Path) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.fixture(scope="module")
def permission_results(built_tiny_show, tmp_path_factory) -> dict[str, tuple[Fault, Path, dict, set[str]]]:
    prefix = permission_prefix()
    if prefix is None:
        pytest.skip("running as root, and the capabilities that ignore file permissions cannot be dropped here")
    base = tmp_path_factory.mktemp("permissions")
    cases, prepared = [], {}
    for fault in PERMISSION_FAULTS:
        root = _prepare(fault, built_tiny_show, base / fault.id)
        before = _tree(root)
        for relative in fault.locked:
            _lock(root, relative)
        cases.append({"args": list(fault.args), "cwd": str(root / fault.cwd), "watch": str(root)})
        prepared[fault.id] = (fault, root, before)
    (base / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    base.chmod(0o755)
    done = subprocess.run([*prefix, sys.executable, str(DRIVER), str(base / "cases.json")],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(done.stdout)
    for fault in PERMISSION_FAULTS:  # unlock, so that the test's folders can be removed
        for folder, folders, files in os.walk(prepared[fault.id][1]):
            for name in folders + files:
                os.chmod(os.path.join(folder, name), 0o755, follow_symlinks=False)
        os.chmod(prepared[fault.id][1], 0o755)
    return {
        fault.id: (fault, prepared[fault.id][1], result, prepared[fault.id][2])
        for fault, result in zip(PERMISSION_FAULTS, results, strict=True)
    }


def _one_sentence(result: dict) -> str:
    lines = [line for line in result["err"].splitlines() if line.strip()]
    assert "Traceback" not in result["err"] + result["out"], result["err"]
    assert result["code"] == 2, result
    assert len(lines) == 1 and lines[0].startswith("error: "), result["err"]
    return lines[0]


@pytest.mark.parametrize(
    "fault_id",
    [
        pytest.param(fault.id, marks=[pytest.mark.xfail(reason=fault.pending, strict=False)] if fault.pending else [])
        for fault in PERMISSION_FAULTS
    ],
)
def test_a_path_the_command_may_not_use_is_one_sentence_naming_it(permission_results, fault_id):
    fault, root, result, before = permission_results[fault_id]
    sentence = _one_sentence(result)
    assert fault.names in sentence and fault.says in sentence, sentence
    assert "give this user" in sentence or "chmod" in sentence, sentence  # what to do about it
    after = {path for path in _tree(root) if not path.startswith(fault.may_change)}
    assert after <= before, f"left behind: {sorted(after - before)}"
    assert not [path for path in result["files"] if any(mark in path for mark in TEMPORARY_NAMES)]


@pytest.fixture(scope="module")
def disk_results(built_tiny_show, tmp_path_factory) -> list[tuple[tuple, dict]]:
    prefix = mount_prefix()
    if prefix is None:
        pytest.skip("no private mount namespace with tmpfs here (needs CAP_SYS_ADMIN or user namespaces)")
    base = tmp_path_factory.mktemp("disk-full")
    source = base / "source"
    shutil.copytree(built_tiny_show, source, symlinks=True)
    shutil.rmtree(source / ".cache")  # the build must synthesise and encode: it writes what a real one writes
    (source / "published.json").unlink()
    cases = [
        {
            "args": list(args),
            "disk": {"source": str(source), "mount": str(base / f"disk-{name}"), "size": 24 << 20, "free": free},
        }  # fmt: skip
        for name, args, free, _names in DISK_FAULTS
    ]
    (base / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    done = subprocess.run([*prefix, sys.executable, str(DRIVER), str(base / "cases.json")],
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return list(zip(DISK_FAULTS, json.loads(done.stdout), strict=True))


@pytest.mark.parametrize("index", range(len(DISK_FAULTS)), ids=[name for name, *_rest in DISK_FAULTS])
def test_a_full_disk_is_one_sentence_and_leaves_nothing_half_written(disk_results, index):
    (_name, _args, _free, names), result = disk_results[index]
    sentence = _one_sentence(result)
    assert FULL in sentence and "free some space" in sentence, sentence
    assert names in sentence, sentence
    assert not [path for path in result["files"] if any(mark in path for mark in TEMPORARY_NAMES)], result["files"]
