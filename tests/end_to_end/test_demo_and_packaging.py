"""`make demo` leaves the repository as it found it (the example episode's script is part of the example show), and
the package's metadata is in the form setuptools asks for (no deprecation warning while installing)."""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from pathlib import Path

from briefing.ingest import read_issue
from briefing.script import load_script, make_script
from briefing.settings import find_workspace


def test_the_licence_is_an_spdx_expression_with_a_setuptools_that_reads_it(repo_root: Path):
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    # A table ({text = "MIT"}) is what setuptools warns about on every install; a string needs setuptools 77.
    assert project["project"]["license"] == "MIT"
    assert "setuptools>=77" in " ".join(project["build-system"]["requires"])


def test_the_cover_font_and_its_licence_are_package_data(repo_root: Path):
    project = tomllib.loads((repo_root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = project["tool"]["setuptools"]["package-data"]["briefing"]
    for name in ("publish/fonts/NanumSquareB.ttf", "publish/fonts/OFL.txt"):
        assert (repo_root / "briefing" / name).is_file()
        assert any(fnmatch.fnmatch(name, pattern.replace("**/", "*")) for pattern in patterns), name


def test_the_demo_episodes_script_is_tracked_and_is_what_run_keeps(repo_root: Path, show_dir: Path):
    script = repo_root / "scripts" / "asia-tech-brief-001.md"
    if (repo_root / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", "-q", str(script)], cwd=repo_root)
        assert ignored.returncode == 1  # not ignored: git shows it
        tracked = subprocess.run(
            ["git", "ls-files", "--error-unmatch", str(script)], cwd=repo_root, capture_output=True
        )
        assert tracked.returncode == 0, "scripts/asia-tech-brief-001.md must be committed with the example show"
    # `briefing run issues/asia-tech-brief-001.txt` finds this very script (same slug) and uses it as it is.
    kept = load_script(script)
    show = find_workspace(show_dir)
    made = make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)
    assert (kept.meta.slug, kept.meta.guid, kept.meta.source) == (made.meta.slug, made.meta.guid, made.meta.source)
