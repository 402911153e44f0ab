"""Shared fixtures: the real seed issue, the repository's example show, and a fresh workspace per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from gtts_server import FakeGoogle, running_fake_google

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
    return copy_example_show(tmp_path / "show")


@pytest.fixture(scope="session")
def built_seed(tmp_path_factory, seed_issue) -> tuple[Path, str]:
    """(show root, slug): a copy of the example show in which the seed issue's script was made and built with
    espeak, once per test session. Treat it as read-only; copy it to change it."""
    from briefing.build import build_episode
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script
    from briefing.settings import find_workspace

    root = copy_example_show(tmp_path_factory.mktemp("built-seed") / "show")
    show = find_workspace(root)
    written = write_script(show, make_script(read_issue(seed_issue), show))
    return root, build_episode(show, written.path, engine="espeak").slug


@pytest.fixture
def fake_google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """A running fake Google (tests/gtts_server.py) for one test."""
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)  # gTTS sends through the environment's proxies
    with running_fake_google() as state:
        yield state


def copy_example_show(root: Path) -> Path:
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
