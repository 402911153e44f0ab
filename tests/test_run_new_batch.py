"""`briefing run --new` builds what is new as one batch: an issue that cannot make an episode is reported, the exit
code says so, and the other episodes are published and deployed all the same."""

from __future__ import annotations

import subprocess
import sys

import feedparser
from support.batch_shows import copy_show, issue_text


def test_a_broken_new_issue_holds_back_no_other_episode(built_batch, tmp_path):
    root = copy_show(built_batch, tmp_path / "show", episodes=True)  # episodes 2–4 built, not yet published
    for example in (root / "issues").glob("asia-tech-brief-*.txt"):
        example.unlink()  # the repository's own examples: not this show's issues
    (root / "issues" / "small-005.txt").write_text(issue_text(5, "2026년 10월 5일"), encoding="utf-8")
    (root / "issues" / "broken.txt").write_text("", encoding="utf-8")
    site = tmp_path / "site"
    toml = root / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f'\n[deploy]\ntarget = "folder"\npath = "{site}"\n',
                    encoding="utf-8")  # fmt: skip

    run = subprocess.run([sys.executable, "-m", "briefing", "run", "--new", "--engine", "espeak", "--jobs", "2"],
                         cwd=root, capture_output=True, text=True, timeout=900, check=False)  # fmt: skip

    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    (error,) = [line for line in run.stderr.splitlines() if line.startswith("error:")]
    assert "broken.txt" in error
    assert "asia-tech-brief-005: " in run.stdout and "built with espeak (" in run.stdout
    assert "2 episodes in this process: 1 built, 0 up to date, 1 failed" in " ".join(run.stdout.split())
    deployed = feedparser.parse((site / "feed.xml").read_bytes())
    assert sorted(int(entry.itunes_episode) for entry in deployed.entries) == [2, 3, 4, 5]
    assert (site / "episodes" / "asia-tech-brief-005.mp3").is_file()
