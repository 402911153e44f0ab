"""A back catalogue in one go: `briefing run` over an archive of issues gives every episode its issue's number and
date, and the feed lists them in order, whatever order the files were named in."""

from __future__ import annotations

import subprocess
import sys

import feedparser
import yaml
from support.batch_shows import issue_text
from support.shows import copy_example_show


def test_run_over_an_archive_numbers_dates_and_orders_every_episode(tmp_path):
    root = copy_example_show(tmp_path / "show")
    archive = root / "issues" / "archive"
    archive.mkdir()
    for name, number in (("c.txt", 7), ("a.txt", 5), ("b.txt", 6)):
        (archive / name).write_text(issue_text(number, f"2026년 10월 {number}일"), encoding="utf-8")
    issues = [str(archive / name) for name in ("c.txt", "a.txt", "b.txt")]

    run = subprocess.run([sys.executable, "-m", "briefing", "run", "--engine", "espeak", "--jobs", "2", *issues],
                         cwd=root, capture_output=True, text=True, timeout=900, check=False)  # fmt: skip

    assert run.returncode == 0, run.stderr
    assert "3 episodes in 2 local processes: 3 built, 0 up to date, 0 failed" in run.stdout
    for number in (5, 6, 7):
        script = (root / "scripts" / f"asia-tech-brief-{number:03d}.md").read_text(encoding="utf-8")
        meta = yaml.safe_load(script.split("---")[1])
        assert (meta["episode"], str(meta["date"])) == (number, f"2026-10-{number:02d}")
    feed = feedparser.parse((root / "feed" / "feed.xml").read_bytes())
    assert [int(entry.itunes_episode) for entry in feed.entries] == [7, 6, 5]  # newest first
    assert [entry.link.rsplit("/", 1)[1] for entry in feed.entries] == [
        f"asia-tech-brief-{number:03d}.html" for number in (7, 6, 5)
    ]

    # An issue that claims a number already in the archive is refused alone; the rest stay published.
    (archive / "d.txt").write_text(issue_text(6, "2026년 10월 8일"), encoding="utf-8")
    again = subprocess.run([sys.executable, "-m", "briefing", "run", "--engine", "espeak", *issues,
                            str(archive / "d.txt")], cwd=root, capture_output=True, text=True, timeout=900,
                           check=False)  # fmt: skip

    assert again.returncode == 2, again.stderr
    assert "Traceback" not in again.stderr
    (error,) = [line for line in again.stderr.splitlines() if line.startswith("error:")]
    assert "d.txt" in error and "same episode (asia-tech-brief-006)" in error and "b.txt" in error
    assert "4 episodes in this process: 0 built, 3 up to date, 1 failed" in again.stdout
    feed = feedparser.parse((root / "feed" / "feed.xml").read_bytes())
    assert [int(entry.itunes_episode) for entry in feed.entries] == [7, 6, 5]
