"""`briefing script` and `briefing init` run as real subprocesses in a copy of the example show."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.requirements import FIXTURES

from briefing.script import load_script

SAMPLE = FIXTURES / "script" / "sample.md"


def briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def assert_bad_input(run: subprocess.CompletedProcess, names: str) -> None:
    assert run.returncode == 2, run.stderr
    assert names in run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1  # one sentence, no help text or stack


# What each ten-story issue's first story cites, and the script's identity.
FIRST_SOURCES = {
    "asia-tech-brief-002": [
        ("https://news.example.com/2026/12/08/palapa-live-commerce", "source"),
        ("https://images.example.com/photos/2026/12/palapa-app.png", "thumbnail"),
    ],
    "tech-in-china-007": [
        ("https://www.sohu.com/a/118572909_539506", "source"),
        ("https://www.analysys.cn/analysis/trade/detail/1000975/", "thumbnail"),
    ],
}
IDENTITY = {"asia-tech-brief-002": ("Asia Tech Brief", 2), "tech-in-china-007": ("Tech in China", 7)}


def test_a_ten_story_issue_becomes_a_twelve_chapter_script(show_dir: Path, ten_story_issue: Path):
    slug = ten_story_issue.stem
    outside = os.path.relpath(ten_story_issue, show_dir)  # like ../shared/seeds/... from the repository
    run = briefing("script", outside, cwd=show_dir)
    assert run.returncode == 0, run.stderr
    path = show_dir / "scripts" / f"{slug}.md"
    assert f"scripts/{slug}.md" in run.stdout and "12 chapters, 10 stories" in run.stdout
    script = load_script(path)
    assert [chapter.kind for chapter in script.chapters] == ["opening", *["story"] * 10, "closing"]
    assert "열 가지 소식" in script.chapters[0].paragraphs[1]
    assert script.chapters[10].paragraphs[0] == "마지막 열 번째 소식입니다."
    stories = script.chapters[1:-1]
    assert [(source.url, source.kind) for source in stories[0].sources] == FIRST_SOURCES[slug]
    assert all(story.sources for story in stories)
    assert not any("http" in paragraph for chapter in script.chapters for paragraph in chapter.paragraphs)
    assert (script.meta.show, script.meta.episode, script.meta.slug) == (*IDENTITY[slug], slug)
    assert Path(show_dir, script.meta.source).resolve() == ten_story_issue.resolve()

    again = briefing("script", outside, cwd=show_dir)
    assert again.returncode == 0 and "unchanged" in again.stdout


def test_an_edited_script_is_refused_then_replaced_with_force(show_dir: Path):
    # A script a producer has worked on: it differs from what the issue makes, and has its own GUID.
    path = show_dir / "scripts" / "asia-tech-brief-001.md"
    edited = SAMPLE.read_text(encoding="utf-8")
    path.write_text(edited, encoding="utf-8")
    issue = "issues/asia-tech-brief-001.txt"

    refused = briefing("script", issue, cwd=show_dir)
    assert_bad_input(refused, "scripts/asia-tech-brief-001.md")
    assert "--force" in refused.stderr
    assert path.read_text(encoding="utf-8") == edited
    assert [p.name for p in (show_dir / "scripts").iterdir()] == [path.name]

    forced = briefing("script", "--force", issue, cwd=show_dir)
    assert forced.returncode == 0, forced.stderr
    backups = list((show_dir / "scripts").glob("asia-tech-brief-001.md.*.bak"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == edited
    assert backups[0].name in forced.stdout
    replaced = load_script(path)
    assert replaced.meta.title != load_script(SAMPLE).meta.title  # now the issue's script...
    assert replaced.meta.guid == load_script(SAMPLE).meta.guid  # ...with the identity it was created with


def test_the_workspace_option_and_a_forced_date(show_dir: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    issue = show_dir / "issues" / "asia-tech-brief-001.txt"
    run = briefing("script", str(issue), "--workspace", str(show_dir), "--date", "2026-11-23", cwd=elsewhere)
    assert run.returncode == 0, run.stderr
    meta = load_script(show_dir / "scripts" / "asia-tech-brief-001.md").meta
    assert meta.date.isoformat() == "2026-11-23" and meta.source == "issues/asia-tech-brief-001.txt"


BAD_ISSUES = {
    "missing": None,
    "empty": b"",
    "binary": bytes(range(256)) * 40,
    "no-title": "그냥 문단으로 시작하는 파일입니다.\n둘째 문단입니다.\n".encode(),
    "no-paragraphs": "[Tech in China] 8. 제목만 있는 호\n".encode(),
    "undecodable": b"[Tech in China] 8. \xff\xfe\xfa\xfb\xfc\n\x80\x81\x82\x83\xff\n",
    "too-big": "[Tech in China] 9. 아주 큰 호\n".encode() + ("가" * 100 + "\n").encode() * (20 * 1024 * 1024 // 301),
    "html-without-article": b"<html><head><title>x</title></head><body><script>var a = 1;</script>"
    b"<nav><a href='/'>home</a></nav></body></html>",
}


@pytest.mark.parametrize("case", sorted(BAD_ISSUES))
def test_bad_issues_are_one_sentence_exit_2_and_nothing_written(case: str, show_dir: Path):
    suffix = ".html" if case.startswith("html") else ".txt"
    path = show_dir / "issues" / f"{case}{suffix}"
    if BAD_ISSUES[case] is not None:
        path.write_bytes(BAD_ISSUES[case])
    run = briefing("script", f"issues/{path.name}", cwd=show_dir)
    assert_bad_input(run, f"issues/{path.name}")
    assert list((show_dir / "scripts").iterdir()) == []


def test_an_unknown_encoding_name_is_bad_input(show_dir: Path, own_issue: Path):
    run = briefing("script", "--encoding", "klingon", str(own_issue), cwd=show_dir)
    assert_bad_input(run, own_issue.name)
    assert list((show_dir / "scripts").iterdir()) == []


def test_outside_a_show_the_error_says_how_to_make_one(tmp_path: Path, own_issue: Path):
    run = briefing("script", str(own_issue), cwd=tmp_path)
    assert_bad_input(run, "show.toml")
    assert "briefing init" in run.stderr


def test_a_wrong_show_setting_is_named_with_file_and_line(show_dir: Path, own_issue: Path):
    toml = show_dir / "show.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('engine = "auto"', 'engine = "festival"'), encoding="utf-8"
    )
    lines = toml.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if text.startswith('engine = "festival"'))
    run = briefing("script", str(own_issue), cwd=show_dir)
    assert_bad_input(run, f"show.toml:{line}")
    assert "speech.engine" in run.stderr
    assert list((show_dir / "scripts").iterdir()) == []


def test_init_makes_a_show_the_script_command_works_in(tmp_path: Path):
    run = briefing("init", "new-show", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    root = tmp_path / "new-show"
    assert (root / "show.toml").is_file() and (root / "scripts").is_dir()
    issue = root / "issues" / "weekly-001.txt"
    issue.write_text("[New Show] 1. 첫 호\n첫 소식의 문단입니다. 출처: https://news.example.com/1\n", encoding="utf-8")
    made = briefing("script", "issues/weekly-001.txt", cwd=root)
    assert made.returncode == 0, made.stderr
    assert (root / "scripts" / "new-show-001.md").is_file()

    again = briefing("init", "new-show", cwd=tmp_path)
    assert_bad_input(again, "show.toml")
