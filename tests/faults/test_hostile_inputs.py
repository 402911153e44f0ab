"""Hostile input that is not an error: it must simply work. Editors' files beside the scripts, a number of thousands of
digits, a title naming year 0, an episode number of 29 digits, and what a killed build left behind."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pytest

from briefing import cli
from briefing.build import checked_scripts, scripts_to_build
from briefing.errors import BriefingError
from briefing.ingest import read_issue
from briefing.script import parse_script
from briefing.settings import find_workspace
from briefing.speech.utterances import script_utterances


def run_cli(args: list[str], cwd: Path, monkeypatch, capsys) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(sys, "argv", ["briefing", *args])
    try:
        cli.main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def tiny_show(built_tiny_show, tmp_path) -> Path:
    root = tmp_path / "show"
    shutil.copytree(built_tiny_show, root, symlinks=True)
    return root


def test_editors_lock_backup_and_swap_files_beside_the_scripts_are_left_alone(tiny_show, monkeypatch, capsys):
    scripts = tiny_show / "scripts"
    os.symlink("root@host.12345:1700000000", scripts / ".#tiny-001.md")  # Emacs' lock: a link to nowhere
    (scripts / "tiny-001.md~").write_text("old", encoding="utf-8")  # Emacs' backup
    (scripts / "#tiny-001.md#").write_text("autosave", encoding="utf-8")
    (scripts / ".tiny-001.md.swp").write_bytes(b"b0VIM 9.0\0")  # Vim's swap file
    (scripts / "._tiny-001.md").write_bytes(b"\0\5\26\7")  # macOS' resource fork on a shared drive
    assert [path.name for path in scripts_to_build(find_workspace(tiny_show), [])] == ["tiny-001.md"]
    code, out, err = run_cli(["build"], tiny_show, monkeypatch, capsys)
    assert (code, err) == (0, "")
    assert "up to date tiny-001" in out


def test_two_scripts_with_one_slug_are_refused_naming_both(tiny_show):
    copy = tiny_show / "scripts" / "tiny-001-old.md"
    shutil.copy(tiny_show / "scripts" / "tiny-001.md", copy)
    with pytest.raises(BriefingError) as error:
        show = find_workspace(tiny_show)
        checked_scripts(show, scripts_to_build(show, []))
    sentence = str(error.value)
    assert copy.name in sentence and "/tiny-001.md" in sentence, sentence


def test_a_number_of_five_thousand_digits_is_said_digit_by_digit(built_tiny_show):
    text = (built_tiny_show / "scripts" / "tiny-001.md").read_text(encoding="utf-8")
    script = parse_script(text.replace("오늘은 짧습니다.", "오늘의 숫자는 " + "7" * 5000 + "입니다."), Path("s.md"))
    spoken = " ".join(utterance.spoken for utterance in script_utterances(script, {}))
    assert spoken.count("칠") == 5000 and "7" not in spoken


@pytest.mark.parametrize("title", ["0000년 11월 셋째 주 소식", "9999년 12월 마지막 주 소식", "2017년 2월 30일 소식"])
def test_a_title_naming_an_impossible_date_is_read_with_the_days_date(tmp_path, title):
    path = tmp_path / "issue-007.txt"
    path.write_text(f"[쇼] 7. {title}\n오늘의 소식입니다. URL: https://news.example.com/a\n", encoding="utf-8")
    issue = read_issue(path, today=dt.date(2026, 11, 30))
    assert issue.date == dt.date(2026, 11, 30) and issue.number == 7


def test_an_episode_number_of_29_digits_is_never_cut_to_fit(tmp_path):
    digits = "12345678901234567890123456789"
    path = tmp_path / "issue.txt"
    path.write_text(f"[쇼] {digits}. 소식\n오늘의 소식입니다. URL: https://news.example.com/a\n", encoding="utf-8")
    try:
        issue = read_issue(path, today=dt.date(2026, 11, 30))
    except BriefingError as error:  # refused: it names the line and says why
        assert error.line == 1 and "29 digits" in error.message
        return
    # ... or handled: the number is not one a piece of the digits made, and no digit is lost from the title.
    assert str(issue.number) not in digits or digits in issue.title


def test_the_next_build_removes_the_mp3s_killed_builds_left(tiny_show, monkeypatch, capsys):
    episodes = tiny_show / "audio" / "episodes"
    leftovers = [episodes / ".tiny-001.k3j_9x2a.mp3", episodes / ".tiny-001.q0w8e7r6.mp3"]
    for path in leftovers:
        path.write_bytes(b"\xff\xfb" * 1000)  # half an MP3, as a kill leaves it
    others = [episodes / ".tiny-002.k3j_9x2a.mp3", episodes / "notes.mp3"]  # another episode's, and not ours
    for path in others:
        path.write_bytes(b"keep")
    code, out, _err = run_cli(["build"], tiny_show, monkeypatch, capsys)
    assert code == 0 and "up to date" in out
    assert not any(path.exists() for path in leftovers)
    assert all(path.exists() for path in others)
