"""`briefing normalize`: one spoken line per input line, the show's lexicon when in a show. The exit codes are seen
from the real command in a subprocess; the rest is run in-process through the same Typer app.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app

DONE_WHEN = "알리바바 클라우드의 올 3분기 수익은 29.75억 위안, 전년 대비 99% 성장했습니다."


def briefing(*args: str, cwd: Path, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    result = subprocess.run(
        [sys.executable, "-m", "briefing", *args], cwd=cwd, input=data, capture_output=True, timeout=120, check=False
    )
    result.stdout, result.stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    return result


def normalize_in_process(*args: str, cwd: Path, stdin: str | None = None) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        result = CliRunner().invoke(app, ["normalize", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_done_when_sentence_is_said_without_digits(tmp_path):
    result = briefing("normalize", DONE_WHEN, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == "알리바바 클라우드의 올 삼 분기 수익은 이십구 점 칠오억 위안, 전년 대비 구십구 퍼센트 성장했습니다.\n"
    )
    assert not re.search(r"[0-9]", result.stdout)


def test_one_output_line_per_input_line_from_stdin(tmp_path):
    lines = ["3명이 왔습니다.", "", "내용 출처 URL: http://a.example.com/x", "快手", "6월"]
    said = normalize_in_process(cwd=tmp_path, stdin="\n".join(lines) + "\n")
    assert said.split("\n") == ["세 명이 왔습니다.", "", "", "", "유월", ""]


def test_a_dash_reads_stdin_too_and_a_last_line_needs_no_newline(ten_story_issue, tmp_path):
    text = ten_story_issue.read_text(encoding="utf-8")
    output = normalize_in_process("-", cwd=tmp_path, stdin=text.rstrip("\n"))
    said = output.split("\n")
    assert said[-1] == "" and len(said) - 1 == len(text.rstrip("\n").split("\n"))
    assert not re.search(r"[0-9\u4e00-\u9fff]|http", output)


def test_a_text_argument_with_several_lines(tmp_path):
    assert normalize_in_process("1위\n2위", cwd=tmp_path) == "일 위\n이 위\n"


def test_inside_a_show_its_lexicon_is_used(show_dir):
    (show_dir / "lexicon.toml").write_text('JD = "징동"\nEZZY = "이지"\n', encoding="utf-8")
    inside = normalize_in_process("JD와 EZZY", cwd=show_dir / "scripts")  # found from a sub-folder
    outside = normalize_in_process("JD와 EZZY", cwd=show_dir.parent)
    named = normalize_in_process("--workspace", str(show_dir), "JD와 EZZY", cwd=show_dir.parent)
    assert inside == "징동과 이지\n" and named == "징동과 이지\n"
    assert outside == "제이디와 이제트제트와이\n"


def test_a_lexicon_can_be_named(tmp_path):
    (tmp_path / "names.toml").write_text('TOGO = "토고"\n', encoding="utf-8")
    assert normalize_in_process("--lexicon", "names.toml", "TOGO가", cwd=tmp_path) == "토고가\n"


def test_a_broken_lexicon_is_one_sentence_naming_file_and_line(show_dir):
    (show_dir / "lexicon.toml").write_text('JD = "징동"\nEZZY = 이지\n', encoding="utf-8")
    result = briefing("normalize", "JD", cwd=show_dir)
    assert result.returncode == 2 and result.stdout == ""
    assert "lexicon.toml:2: the pronunciation lexicon is not valid TOML" in result.stderr
    assert "Traceback" not in result.stderr


def test_input_that_is_not_utf8_is_one_clear_error(tmp_path):
    result = briefing("normalize", cwd=tmp_path, stdin="3명\n".encode() + "한글\n".encode("cp949"))
    assert result.returncode == 2
    assert "<stdin>:2: standard input is not UTF-8 text" in result.stderr and "Traceback" not in result.stderr


def test_explain_shows_the_entry_or_rule_behind_each_change(show_dir):
    (show_dir / "lexicon.toml").write_text('JD = "징동"\n', encoding="utf-8")
    output = normalize_in_process("--explain", "JD는 $7M를, Apple과 Harbor", cwd=show_dir)
    lines = output.splitlines()
    assert lines[0] == "징동은 칠백만 달러를, 애플과 하버"
    assert re.fullmatch(r"  lexicon\.toml +JD → 징동", lines[1])
    assert re.fullmatch(r"  briefing word list +Apple → 애플", lines[2])
    assert re.fullmatch(r"  read_money +\$7M를, → 칠백만 달러를,", lines[3])
    assert re.fullmatch(r"  read_dictionary_words +Harbor → 하버  \(CMUdict HH AA1 R B ER0\)", lines[4])
    assert len(lines) == 5


def test_explain_keeps_one_spoken_line_per_input_line_first(tmp_path):
    output = normalize_in_process("--explain", cwd=tmp_path, stdin="3명\n\n6월\n")
    assert output == "세 명\n  read_native_counters     3명 → 세 명\n\n유월\n  read_months              6월 → 유월\n"
