"""Kill-test support: a tiny show (short music, a three-chapter script) whose build and publish are killed by SIGKILL,
at a random moment or at a named checkpoint (briefing/checkpoints.py), and what is checked after each kill.

A run is the real command line in a process of its own; the next run after a kill, and the clean run it is compared
with, are the same library calls in this process, with SOURCE_DATE_EPOCH fixing the moment a publish records.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefing.checkpoints import LOG, STOP_AT
from briefing.mix.mp3 import FrameError, split_frames
from briefing.wavfile import wav_bytes
from support.requirements import REPO

EPOCH = "1780000000"  # the moment every publish of these tests records
SLUG = "kill-test"
RATE = 44100

SCRIPT = """---
show: Asia Tech Brief
episode: 2
title: 짧은 소식
date: 2026-11-30
slug: kill-test
guid: 0b1c2d3e-4f50-5a6b-8c7d-8e9fa0b1c2d3
source: issues/kill-test.txt
---

## 오프닝

안녕하십니까, 짧은 소식입니다.

## 새 소식

{story}

> 출처: https://news.example.com/kill-test

## 클로징

감사합니다.
"""
FIRST_STORY = "오늘은 한 가지 소식입니다."
EDITED_STORY = "오늘은 한 가지 소식을 전해 드립니다."

# Runs the command line with the one-step exchange taken away, so that a folder is swapped by two renames.
WITHOUT_EXCHANGE = (
    "import briefing.fsutil as f; f.exchange = lambda *paths: False; from briefing.cli import main; main()"
)


def music(path: Path, seconds: float, frequency: float) -> None:
    t = np.arange(int(RATE * seconds)) / RATE
    tone = 0.3 * np.sin(2 * np.pi * frequency * t) * np.minimum(1.0, (seconds - t) * 4)
    path.write_bytes(wav_bytes(np.round(tone * 32767).astype(np.int16), RATE))


def tiny_show(root: Path) -> Path:
    """The example show's settings and lexicon with one-second music and a three-chapter script: a build takes
    seconds."""
    (root / "audio" / "music").mkdir(parents=True)
    for name in ("show.toml", "lexicon.toml"):
        shutil.copy(REPO / name, root / name)
    for name in ("scripts", "audio/episodes", "feed"):
        (root / name).mkdir(parents=True, exist_ok=True)
    for name, seconds, frequency in (("intro", 1.5, 220), ("outro", 1.5, 330), ("transition", 0.4, 440)):
        music(root / "audio" / "music" / f"{name}.wav", seconds, frequency)
    write_script(root, FIRST_STORY)
    return root


def write_script(root: Path, story: str) -> Path:
    path = root / "scripts" / f"{SLUG}.md"
    path.write_text(SCRIPT.format(story=story), encoding="utf-8")
    return path


def environment(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in (STOP_AT, LOG)}
    return {**env, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONUNBUFFERED": "1", **extra}


def command(*args: str, exchange: bool = True) -> list[str]:
    return [sys.executable, *(("-m", "briefing") if exchange else ("-c", WITHOUT_EXCHANGE)), *args]


BUILD = ("build", "--engine", "espeak")
PUBLISH = ("publish",)


def run(root: Path, args: tuple[str, ...], *, exchange: bool = True, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command(*args, exchange=exchange), cwd=root, env=environment(**env), capture_output=True,
                          text=True, timeout=300)  # fmt: skip


def checkpoints(root: Path, args: tuple[str, ...], *, exchange: bool = True) -> list[str]:
    """The moments a whole run passes, in order (each a place to stop it)."""
    log = root.parent / f"{root.name}.checkpoints"
    result = run(root, args, exchange=exchange, **{LOG: str(log)})
    assert result.returncode == 0, result.stderr
    names = log.read_text(encoding="utf-8").splitlines()
    log.unlink()
    return names


def killed_at(root: Path, args: tuple[str, ...], nth: int, *, exchange: bool = True) -> None:
    """Run until the `nth` checkpoint (1-based), where the process kills itself."""
    result = run(root, args, exchange=exchange, **{STOP_AT: f"*#{nth}"})
    assert result.returncode == -signal.SIGKILL, (nth, result.returncode, result.stderr)


def killed_after(root: Path, args: tuple[str, ...], seconds: float) -> int:
    """Run and SIGKILL the process after `seconds` (if it has not finished by then); its exit status."""
    process = subprocess.Popen(command(*args), cwd=root, env=environment(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
    return process.returncode


def timed(root: Path, args: tuple[str, ...]) -> float:
    started = time.perf_counter()
    result = run(root, args)
    assert result.returncode == 0, result.stderr
    return time.perf_counter() - started


def copy_show(template: Path, root: Path) -> Path:
    shutil.copytree(template, root, symlinks=True)
    return root


# ---------------------------------------------------------------------------------------------- what is checked


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under `root` (the cache's files by name only): what a next run must leave, byte for
    byte, as a clean run does."""
    files: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink() or path.is_dir():
            files[relative + "/"] = None
        elif relative.startswith(".cache/"):
            files[relative] = None  # sealed and checked on every read; the set of entries is what must agree
        else:
            files[relative] = path.read_bytes()
    return files


def differences(found: dict[str, bytes | None], expected: dict[str, bytes | None]) -> list[str]:
    extra = sorted(set(found) - set(expected))
    missing = sorted(set(expected) - set(found))
    changed = sorted(name for name in set(found) & set(expected) if found[name] != expected[name])
    return (
        [f"left over: {name}" for name in extra]
        + [f"missing: {name}" for name in missing]
        + [f"differs: {name}" for name in changed]
    )


def whole_mp3(path: Path) -> bool:
    """Whether an episode's MP3 is whole: an ID3 tag, then MPEG frames to the last byte."""
    data = path.read_bytes()
    if data[:3] != b"ID3":
        return False
    size = sum((byte & 0x7F) << (21 - 7 * index) for index, byte in enumerate(data[6:10]))  # syncsafe
    try:
        return len(split_frames(data[10 + size :])) > 2
    except FrameError:
        return False


@dataclass(frozen=True)
class Case:
    """One kill: where (a checkpoint's number and name, or a moment in seconds) and how the folder is swapped."""

    label: str
    nth: int | None = None
    seconds: float | None = None
    exchange: bool = True
