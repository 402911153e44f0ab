"""The command line's messages, as a producer meets them in the first hour: each says what is wrong with the
user's own words in it (paths, URLs, show.toml's table names printed as written), and help shows flags as flags."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

MINIMAL_SCRIPT = """\
---
show: Asia Tech Brief
episode: 3
title: 시험 방송
date: {date}
slug: asia-tech-brief-003
guid: 3f1c1d0e-0000-4000-8000-000000000003
source: issues/asia-tech-brief-003.txt
---

## 오프닝

안녕하십니까.

## 마무리

고맙습니다.
"""


def briefing(*args: str, cwd: Path, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )


def one_sentence(run: subprocess.CompletedProcess) -> str:
    """The run's error: exit 2, one line, no traceback."""
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 2.0)
    return path.read_bytes(), mp3_duration_ms(path)


# ---- the error printer prints user text as written ------------------------------------------------------------


def test_a_missing_music_file_names_the_music_table(show_dir: Path):
    (show_dir / "audio" / "music" / "intro.wav").unlink()
    (show_dir / "scripts" / "asia-tech-brief-003.md").write_text(MINIMAL_SCRIPT.format(date="2026-11-23"), "utf-8")
    error = one_sentence(briefing("build", "--engine", "espeak", cwd=show_dir))
    assert "intro.wav" in error and "(see [music] in show.toml)" in error


def test_brackets_and_a_closing_tag_in_a_path_print_as_written(show_dir: Path):
    error = one_sentence(briefing("script", "issues/[draft]/[/]old.txt", cwd=show_dir))
    assert error == "error: issues/[draft]/[/]old.txt: no such issue file"


def test_a_feed_url_is_named_with_both_slashes(show_dir: Path):
    error = one_sentence(briefing("validate", "http://127.0.0.1:9/podcast/feed.xml", "--timeout", "2", cwd=show_dir))
    assert error.startswith("error: http://127.0.0.1:9/podcast/feed.xml: cannot fetch the feed")


def test_an_impossible_front_matter_date_is_one_sentence_with_its_line(show_dir: Path):
    path = show_dir / "scripts" / "asia-tech-brief-003.md"
    path.write_text(MINIMAL_SCRIPT.format(date="2023-13-02"), "utf-8")
    error = one_sentence(briefing("build", "--engine", "espeak", cwd=show_dir))
    assert error.startswith("error: scripts/asia-tech-brief-003.md:5: front matter field 'date'")
    assert "2023-13-02" in error and "no day on the calendar" in error
    assert not list((show_dir / "audio" / "episodes").glob("asia-tech-brief-003*"))


def test_an_unknown_apple_sub_category_names_the_line_and_lists_the_valid_ones(show_dir: Path, tone):
    write_built_episode(show_dir / "audio" / "episodes", synthetic_timeline(1, tone[1]), tone[0])
    show_toml = show_dir / "show.toml"
    show_toml.write_text(show_toml.read_text("utf-8").replace('sub = "Tech News"', 'sub = "Tech Newz"'), "utf-8")
    line = next(n for n, text in enumerate(show_toml.read_text("utf-8").splitlines(), 1) if "Tech Newz" in text)
    error = one_sentence(briefing("publish", cwd=show_dir))
    assert error.startswith(f"error: show.toml:{line}: [category] sub: 'Tech Newz' is not a sub-category")
    assert "Daily News" in error and "Tech News" in error and "Politics" in error


def test_a_guid_edited_after_publishing_is_named_as_such(show_dir: Path, tone):
    episodes = show_dir / "audio" / "episodes"
    first = synthetic_timeline(1, tone[1], slug="asia-tech-brief-001")
    write_built_episode(episodes, first, tone[0])
    assert briefing("publish", cwd=show_dir).returncode == 0
    script = show_dir / "scripts" / "asia-tech-brief-001.md"
    script.write_text(MINIMAL_SCRIPT.replace("003", "001").format(date="2026-11-23"), "utf-8")
    edited = synthetic_timeline(1, tone[1], slug="asia-tech-brief-001", guid="3f1c1d0e-0000-4000-8000-000000000001")
    write_built_episode(episodes, edited, tone[0])  # as a build of the edited script would
    error = one_sentence(briefing("publish", cwd=show_dir))
    assert error.startswith("error: scripts/asia-tech-brief-001.md:7: the episode's GUID was changed")
    assert f"put back 'guid: {first.meta.guid}'" in error
    assert "no longer built" not in error


def test_publishing_a_withdrawn_slug_lists_it_again_under_its_first_date(show_dir: Path, tone):
    episodes = show_dir / "audio" / "episodes"
    for number in (1, 2):
        write_built_episode(episodes, synthetic_timeline(number, tone[1], slug=f"asia-tech-brief-00{number}"), tone[0])
    assert briefing("publish", cwd=show_dir).returncode == 0
    feed = show_dir / "feed" / "feed.xml"
    first_date = feed.read_text("utf-8").split("asia-tech-brief-001.html")[1].split("<pubDate>")[1].split("<")[0]
    assert briefing("unpublish", "asia-tech-brief-001", cwd=show_dir).returncode == 0
    assert "asia-tech-brief-001" not in feed.read_text("utf-8")

    back = briefing("publish", "asia-tech-brief-001", cwd=show_dir)
    assert back.returncode == 0, back.stderr
    assert "asia-tech-brief-001 is listed again" in back.stdout and "published 2 episode(s)" in back.stdout
    text = feed.read_text("utf-8")
    assert text.split("asia-tech-brief-001.html")[1].split("<pubDate>")[1].split("<")[0] == first_date

    unknown = one_sentence(briefing("publish", "asia-tech-brief-009", cwd=show_dir))
    assert "no episode has the slug 'asia-tech-brief-009'" in unknown


def test_a_misspelt_template_field_names_the_template_variable_not_the_class(show_dir: Path):
    (show_dir / "templates" / "closing.j2").write_text('{% set title = "마무리" %}\n{{ show.titel }}.\n', "utf-8")
    error = one_sentence(briefing("script", "issues/asia-tech-brief-001.txt", cwd=show_dir))
    assert error == "error: templates/closing.j2:2: template error: show has no field 'titel' (did you mean 'title'?)"
    assert "briefing.settings" not in error


# ---- help and usage -------------------------------------------------------------------------------------------


def _commands(group, path=()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def test_no_flag_is_shown_taking_a_value_in_any_help(repo_root: Path):
    import typer.main

    from briefing.cli import app

    root = typer.main.get_command(app)
    helps = {(): briefing("--help", cwd=repo_root).stdout}
    for path, _command in _commands(root):
        helps[path] = briefing(*path, "--help", cwd=repo_root).stdout
    assert len(helps) > 10
    for path, text in helps.items():
        assert "--help" in text, path
        assert "<bool>" not in text, (path, text)
    force = next(line for line in helps[("build",)].splitlines() if "--force" in line)
    assert force.split("--force")[1].split()[0] == "Build"


def test_normalize_with_nothing_to_read_on_a_terminal_says_how_to_use_it(tmp_path: Path):
    controller, terminal = os.openpty()
    try:
        run = briefing("normalize", cwd=tmp_path, stdin=terminal)
    finally:
        os.close(controller)
        os.close(terminal)
    error = one_sentence(run)
    assert 'briefing normalize "' in error and "pipe lines in" in error


def test_normalize_still_reads_a_pipe_without_an_argument(tmp_path: Path):
    run = subprocess.run(
        [sys.executable, "-m", "briefing", "normalize"], cwd=tmp_path, input="3명\n", capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stdout == "세 명\n"
