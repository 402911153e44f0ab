"""What a test needs from outside the repository (the real seed issue, Chromium), and the project's own issues.

Where something is missing a test skips, naming it; under CI (`CI=true`) it fails instead, so a green CI run
never hides a check that did not run."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The real newsletter issue lives beside the repository, never in it: a fresh clone does not have it.
FIXTURES = REPO / "tests" / "fixtures"
SEED = REPO.parent / "shared" / "seeds" / "tech-in-china-007.txt"
# Issues the project wrote itself: the shipped example (four stories) and a ten-story one as long as the seed.
EXAMPLE_ISSUE = REPO / "issues" / "asia-tech-brief-001.txt"
OWN_ISSUE = REPO / "issues" / "asia-tech-brief-002.txt"

_TRUE = {"1", "true", "yes", "on"}


def in_ci() -> bool:
    """True under CI: `CI=true`, as GitHub Actions, GitLab CI and most others set it, and as `.ci/run` does."""
    return os.environ.get("CI", "").strip().lower() in _TRUE


def required(env: str | None = None) -> bool:
    """Whether a missing requirement fails rather than skips: under CI, or when `env` (e.g.
    BRIEFING_REQUIRE_BROWSER) is set."""
    return in_ci() or (env is not None and os.environ.get(env, "").strip().lower() in _TRUE)


def require(available: bool, reason: str, env: str | None = None) -> None:
    """Skip the calling test (or fixture) with `reason` when `available` is false; fail instead where required."""
    if available:
        return
    import pytest  # here, so that the benchmarks can use this module without pytest's import cost

    if required(env):
        pytest.fail(f"{reason}; it is required here (CI{' or ' + env if env else ''} is set)", pytrace=False)
    pytest.skip(reason)


def seed_missing_reason() -> str:
    return f"the seed issue is missing: {SEED} (it lives beside the repository, in ../shared/seeds/)"


def long_issue() -> tuple[Path, str]:
    """The issue the benchmarks measure and how to name it: the real seed where it is present, else the project's
    own ten-story issue. Under CI a missing seed is an error (SystemExit with the reason)."""
    if SEED.is_file():
        return SEED, f"the seed issue {SEED.name}"
    if in_ci():
        raise SystemExit(f"{seed_missing_reason()}; CI is set, so the benchmarks do not fall back")
    return OWN_ISSUE, f"the project's own issue {OWN_ISSUE.relative_to(REPO)} (no seed issue at {SEED})"
