"""`briefing lexicon check`: the Latin words a script would have said by a guess, as lexicon lines to check and keep;
exit codes from the real command, the rest in-process through the same Typer app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import BriefingError


def run(*args: str, cwd: Path):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        return CliRunner().invoke(app, list(args))


@pytest.fixture
def scripted_show(show_dir) -> Path:
    """The example show with the example issue's script, and a paragraph of Latin words added to its last chapter."""
    root = show_dir
    result = run("script", "issues/asia-tech-brief-001.txt", cwd=root)
    assert result.exit_code == 0, result.output
    script = next((root / "scripts").glob("*.md"))
    text = script.read_text(encoding="utf-8").rstrip("\n")
    script.write_text(text + "\n\nHarbor와 Zepeto, EZZY가 Gartner를 만났고 Harbor는 웃었습니다.\n", encoding="utf-8")
    return root


def test_guesses_are_listed_as_lexicon_lines(scripted_show):
    (scripted_show / "lexicon.toml").write_text('"Asia Tech Brief" = "아시아 테크 브리프"\n', encoding="utf-8")
    result = run("lexicon", "check", cwd=scripted_show)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("scripts/asia-tech-brief-001.md: 3 Latin words said by a guess; check them")
    assert lines[1:4] == [
        'Harbor = "하버"          # CMUdict HH AA1 R B ER0, 2 times',
        'Zepeto = "제페토"        # as spelt',
        'EZZY = "이제트제트와이"  # letter names',
    ]
    assert len(lines) == 4  # Gartner is in briefing's word list; CEO, B2C and AI are initialisms


def test_words_kept_in_latin_letters_are_named_and_entries_silence_guesses(scripted_show):
    (scripted_show / "lexicon.toml").write_text(
        '"Asia Tech Brief" = "아시아 테크 브리프"\nHarbor = "하버"\nZepeto = "제페토"\nEZZY = "이지"\n'
        'Gartner = "Gartner"\n',
        encoding="utf-8",
    )
    result = run("lexicon", "check", "scripts/asia-tech-brief-001.md", cwd=scripted_show)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "scripts/asia-tech-brief-001.md: every Latin word is said by a lexicon entry or as an initialism",
        "scripts/asia-tech-brief-001.md: reaching the engine in Latin letters (a lexicon entry keeps them): Gartner",
    ]


def test_a_missing_script_is_one_sentence_and_exit_code_2(scripted_show):
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "lexicon", "check", "scripts/nowhere.md"],
        cwd=scripted_show,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "scripts/nowhere.md: no such script" in result.stderr and "Traceback" not in result.stderr


def test_a_show_without_scripts_says_so(show_dir):
    result = run("lexicon", "check", cwd=show_dir)
    assert isinstance(result.exception, BriefingError)
    assert result.exception.message.startswith("no scripts to check")
