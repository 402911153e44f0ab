"""Shared fixtures: the real seed issue and the project's own issues, episodes built from them once per session,
the repository's example show, and a fresh workspace per test.

Tests of what a ten-story issue proves (stories, date, chapter titles, spoken form, a built and published
episode) take `ten_story_issue` or `built_episode`, which run each test on the project's own issue and again on
the real seed. The seed lives outside the repository: where it is missing its runs skip, naming the file, and
under CI (`CI=true`) they fail."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support.edge_server import FakeEdge, running_fake_edge
from support.gtts_server import FakeGoogle, running_fake_google
from support.hub_server import FakeHub, running_fake_hub
from support.requirements import OWN_ISSUE, REPO, SEED, require, seed_missing_reason
from support.shows import copy_example_show
from support.tiny_show import TINY_SCRIPT

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEN_STORY_ISSUES = ["own", "seed"]


@pytest.fixture(autouse=True)
def _user_cache_of_its_own(tmp_path_factory, monkeypatch) -> None:
    """No test sees the machine's own downloaded voice models, or writes beside them: the user cache
    ($XDG_CACHE_HOME, where `briefing voices fetch` puts models) is a fresh folder for each test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache", numbered=True)))
    monkeypatch.delenv("HF_ENDPOINT", raising=False)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seed_issue() -> Path:
    """The real newsletter issue (../shared/seeds/): skipped where it is missing, a failure under CI."""
    require(SEED.is_file(), seed_missing_reason())
    return SEED


@pytest.fixture(scope="session")
def own_issue() -> Path:
    """The project's own ten-story issue, written in the seed's plain-text format (issues/asia-tech-brief-002.txt)."""
    return OWN_ISSUE


@pytest.fixture(scope="session", params=TEN_STORY_ISSUES)
def ten_story_issue(request) -> Path:
    """Each ten-story issue in turn: the project's own, then the real seed."""
    return request.getfixturevalue(f"{request.param}_issue")


@pytest.fixture
def show_dir(tmp_path: Path) -> Path:
    """A copy of the repository's example show (show.toml, issues, lexicon, music) in a temporary folder."""
    return copy_example_show(tmp_path / "show")


@pytest.fixture(scope="session")
def built_seed(tmp_path_factory, seed_issue) -> tuple[Path, str]:
    """(show root, slug): a copy of the example show in which the seed issue's script was made and built with
    espeak, once per test session. Treat it as read-only; copy it to change it."""
    return build_in_example_show(tmp_path_factory.mktemp("built-seed") / "show", seed_issue)


@pytest.fixture(scope="session")
def built_own(tmp_path_factory, own_issue) -> tuple[Path, str]:
    """(show root, slug): as `built_seed`, for the project's own ten-story issue."""
    return build_in_example_show(tmp_path_factory.mktemp("built-own") / "show", own_issue)


@pytest.fixture(scope="session", params=TEN_STORY_ISSUES)
def built_episode(request) -> tuple[Path, str]:
    """Each built ten-story episode in turn (`built_own`, then `built_seed`). Read-only; copy it to change it."""
    return request.getfixturevalue(f"built_{request.param}")


def build_in_example_show(root: Path, issue: Path) -> tuple[Path, str]:
    from briefing.build import build_episode
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script
    from briefing.settings import find_workspace

    copy_example_show(root)
    show = find_workspace(root)
    written = write_script(show, make_script(read_issue(issue), show))
    return root, build_episode(show, written.path, engine="espeak").slug


@pytest.fixture
def fake_google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    """A running fake Google (tests/gtts_server.py) for one test."""
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)  # gTTS sends through the environment's proxies
    with running_fake_google() as state:
        yield state


EDGE_PROXY_VARIABLES = ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ws_proxy", "WS_PROXY",
                        "wss_proxy", "WSS_PROXY", "all_proxy", "ALL_PROXY")  # fmt: skip


@pytest.fixture
def fake_edge(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEdge]:
    """A running fake Edge speech service (tests/edge_server.py) for one test; `.base` is an `edge_endpoint`."""
    from briefing.speech.engines.edge_engine import point_edge_tts_at

    for variable in EDGE_PROXY_VARIABLES:  # edge-tts opens its aiohttp session with trust_env=True: proxies apply
        monkeypatch.delenv(variable, raising=False)
    with running_fake_edge() as state:
        yield state
    point_edge_tts_at(None)


@pytest.fixture
def fake_hub(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A fake Hugging Face hub (tests/hub_server.py) holding Supertone/supertonic-3 at briefing's pinned revision,
    its files the tests' generated stand-in model (tests/supertonic_model.py)."""
    from support.supertonic_model import write_stub_model

    from briefing.speech.voicemodels import PINNED

    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    folder = write_stub_model(tmp_path_factory.mktemp("hub") / "repo", voices=("F3", "M3"))
    (folder / "LICENSE").write_text("OpenRAIL-M (the stand-in's copy)\n", encoding="utf-8")
    (folder / "README.md").write_text("# supertonic-3 (stand-in)\n", encoding="utf-8")
    (folder / ".gitattributes").write_text("*.onnx filter=lfs diff=lfs merge=lfs -text\n", encoding="utf-8")
    pinned = PINNED["supertonic-3"]
    with running_fake_hub(folder, pinned.repo, pinned.revision) as hub:
        yield hub


@pytest.fixture(scope="session")
def built_tiny_show(tmp_path_factory) -> Path:
    """A copy of the example show with one small script (TINY_SCRIPT, scripts/tiny-001.md) built with espeak and
    published, once per test session. Treat it as read-only; copy it to change it."""
    from briefing.build import build_episode
    from briefing.release import publish
    from briefing.settings import find_workspace

    root = copy_example_show(tmp_path_factory.mktemp("tiny-show") / "show")
    (root / "scripts" / "tiny-001.md").write_text(TINY_SCRIPT, encoding="utf-8")
    show = find_workspace(root)
    build_episode(show, root / "scripts" / "tiny-001.md")
    publish(show)
    return root
