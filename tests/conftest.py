"""Shared fixtures: the real seed issue, the repository's example show, and a fresh workspace per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "tech-in-china-007.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seed_issue() -> Path:
    if not SEED.is_file():
        pytest.fail(f"the seed issue is missing: {SEED} (CI always has ../shared/)")
    return SEED


@pytest.fixture
def show_dir(tmp_path: Path) -> Path:
    """A copy of the repository's example show (show.toml, issues, lexicon, music) in a temporary folder."""
    root = tmp_path / "show"
    root.mkdir()
    shutil.copy(REPO / "show.toml", root / "show.toml")
    for name in ("issues", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    if (REPO / "lexicon.toml").is_file():
        shutil.copy(REPO / "lexicon.toml", root / "lexicon.toml")
    music = REPO / "audio" / "music"
    if music.is_dir():
        shutil.copytree(music, root / "audio" / "music")
    for name in ("scripts", "audio/episodes", "feed"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return root
