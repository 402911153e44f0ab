"""A show left with the placeholders `briefing init` wrote is warned about (and fails --strict); briefing's own
example show is checked strictly in CI without tripping it, and a real show cannot pass for the example."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.init import ShowDetails, init_workspace
from briefing.release import publish
from briefing.settings import find_workspace
from briefing.validate import validate_feed
from briefing.validate.rules.placeholders import is_reserved_host

NOW = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 2.0)
    return path.read_bytes(), mp3_duration_ms(path)


def published(root: Path, tone) -> Path:
    write_built_episode(root / "audio" / "episodes", synthetic_timeline(1, tone[1]), tone[0])
    publish(find_workspace(root), now=NOW)
    return root / "feed" / "feed.xml"


def rules_found(feed: Path) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in validate_feed(str(feed)).findings if f.rule.startswith("placeholder.")]


@pytest.mark.parametrize(
    ("host", "reserved"),
    [
        ("example.com", True),
        ("podcast.example.com", True),
        ("EXAMPLE.org.", True),
        ("feeds.example", True),
        ("show.invalid", True),
        ("pod.test", True),
        ("example.co.kr", False),
        ("myexample.com", False),
        ("pod.morning.kr", False),
    ],
)
def test_reserved_example_hosts(host: str, reserved: bool):
    assert is_reserved_host(host) is reserved


def test_a_show_left_as_init_made_it_is_warned_about_and_fails_strict(tmp_path: Path, tone):
    root = tmp_path / "morning"
    init_workspace(root)
    feed = published(root, tone)
    found = rules_found(feed)
    messages = " | ".join(message for _rule, message in found)
    assert "https://example.com/morning/ is at a reserved example domain" in messages
    assert "the owner's e-mail editor@example.com" in messages and messages.count("editor@example.com") == 1
    assert "the description is still the sample 'briefing init' wrote" in messages
    assert "the title is still the show folder's name 'morning'" in messages
    assert {rule for rule, _ in found} == {"placeholder.host", "placeholder.text"}
    report = validate_feed(str(feed))
    assert report.exit_code() == 0 and report.exit_code(strict=True) == 1

    run = subprocess.run(
        [sys.executable, "-m", "briefing", "validate", "--strict"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "400"},
    )
    assert run.returncode == 1 and "placeholder.host" in run.stdout
    assert "[owner] email" in run.stdout  # the fix's words print as written


def test_a_show_with_its_own_details_has_no_placeholder_findings(tmp_path: Path, tone):
    root = tmp_path / "morning"
    details = ShowDetails(
        title="아침 테크 브리핑", author="아침 편집팀", description="매일 아침 테크 소식을 전합니다.",
        base_url="https://pod.morning.kr/tech/", email="desk@morning.kr",
    )  # fmt: skip
    init_workspace(root, details)
    assert rules_found(published(root, tone)) == []


def test_the_example_show_passes_strict_and_a_real_show_cannot_pass_for_it(show_dir: Path, tone):
    feed = published(show_dir, tone)
    assert rules_found(feed) == []  # briefing's own example: its example.com addresses are expected
    assert validate_feed(str(feed)).exit_code(strict=True) == 0

    # Renamed but still at the example's address: a real show in the making, warned about.
    show_toml = show_dir / "show.toml"
    show_toml.write_text(
        show_toml.read_text(encoding="utf-8").replace('title = "Asia Tech Brief"', 'title = "서울 테크 레터"'),
        encoding="utf-8",
    )
    feed = published(show_dir, tone)
    assert [rule for rule, _ in rules_found(feed)] == ["placeholder.host", "placeholder.host"]
