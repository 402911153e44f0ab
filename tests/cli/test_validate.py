"""`briefing validate` and `briefing publish` on the command line: output, JSON, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import shutil
import sys

import pytest
import typer
from support.requirements import FIXTURES
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode
from typer.testing import CliRunner

from briefing.cli import app

FEEDS = FIXTURES / "feeds"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_a_valid_feed_exits_0_and_says_so():
    result = run("validate", str(FEEDS / "podlove-show.xml"))
    assert result.exit_code == 0
    assert "valid, no findings" in result.output


def test_errors_exit_1_with_a_table_and_json_on_request(tmp_path):
    broken = tmp_path / "feed.xml"
    broken.write_text((FEEDS / "indie-weekly.xml").read_text().replace("<itunes:type>episodic", "<itunes:type>weekly"))
    human = run("validate", str(broken))
    assert human.exit_code == 1
    assert "apple.type" in human.output and "1 error(s)" in human.output

    machine = run("validate", "--json", str(broken))
    assert machine.exit_code == 1
    report = json.loads(machine.output)
    assert report["errors"] == 1
    (finding,) = [f for f in report["findings"] if f["severity"] == "error"]
    assert finding["rule"] == "apple.type"
    assert finding["location"].startswith("line ") and "itunes:type" in finding["location"]
    assert set(finding) == {"rule", "severity", "location", "message", "fix"}


def test_warnings_fail_only_when_strict(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        (FEEDS / "indie-weekly.xml")
        .read_text()
        .replace("<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>no</itunes:explicit>", 1)
    )
    assert run("validate", str(feed)).exit_code == 0
    assert run("validate", "--strict", str(feed)).exit_code == 1


def test_a_missing_feed_exits_2_with_one_sentence(tmp_path, monkeypatch, capsys):
    from briefing.cli import main

    monkeypatch.setattr(sys, "argv", ["briefing", "validate", str(tmp_path / "nope.xml")])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "nope.xml: feed file not found" in error
    assert "Traceback" not in error


def test_publish_then_validate_from_the_show_folder(show_dir, monkeypatch, tmp_path):
    tone = tmp_path / "tone.mp3"
    encode_tone_mp3(tone, 2.0)
    write_built_episode(
        show_dir / "audio" / "episodes", synthetic_timeline(1, mp3_duration_ms(tone)), tone.read_bytes()
    )
    monkeypatch.chdir(show_dir)
    published = run("publish")
    assert published.exit_code == 0, published.output
    assert "published 1 episode(s) to feed/feed.xml" in published.output
    assert run("validate", "--strict").exit_code == 0
    assert (show_dir / "feed" / ".gitkeep").exists()
    assert (show_dir / "published.json").exists()

    shutil.rmtree(show_dir / "audio" / "episodes")
    (show_dir / "audio" / "episodes").mkdir()
    withdrawn = run("unpublish", "episode-001")
    assert withdrawn.exit_code == 0
    assert "feed lists 0 episode(s)" in withdrawn.output


def test_validate_and_publish_find_the_show_by_workspace_from_anywhere(show_dir, monkeypatch, tmp_path):
    tone = tmp_path / "tone.mp3"
    encode_tone_mp3(tone, 2.0)
    write_built_episode(
        show_dir / "audio" / "episodes", synthetic_timeline(1, mp3_duration_ms(tone)), tone.read_bytes()
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run("publish", "--workspace", str(show_dir)).exit_code == 0
    checked = run("validate", "--json", "--workspace", str(show_dir))
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.output)["source"] == str(show_dir / "feed" / "feed.xml")


@pytest.mark.parametrize(
    "command",
    ["script", "build", "publish", "unpublish", "validate", "run", "serve", "normalize", "cache size", "cache clear"],
)
def test_every_command_on_a_show_takes_the_same_workspace_option(command):
    found = typer.main.get_command(app)
    for word in command.split():
        found = found.commands[word]
    (option,) = [param for param in found.params if "--workspace" in param.opts]
    assert option.help == "The show folder (default: found from here)." and option.default is None
