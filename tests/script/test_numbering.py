"""Episode numbers are taken only where an issue's title gives one; otherwise the episode follows the show's last,
keeps its number when its script is made again, and the command says so. `--slug` chooses the slug."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.ingest import read_issue
from briefing.ingest.heading import split_number
from briefing.script import load_script, make_script, write_script
from briefing.settings import find_workspace

STORY = "동남아시아 최대 전자상거래 플랫폼 쇼피가 서울 성수동에 첫 팝업 매장을 열었습니다. 출처: https://news.example.com/2026/10/01/a\n"


def briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def issue_file(folder: Path, name: str, title: str) -> Path:
    path = folder / "issues" / name
    path.write_text(f"{title}\n\n{STORY}", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "number", "title"),
    [
        ("7. 테크 소식", 7, "테크 소식"),
        ("제7호 테크 소식", 7, "테크 소식"),
        ("제 12 호 - 테크 소식", 12, "테크 소식"),
        ("#7 테크 소식", 7, "테크 소식"),
        ("Vol. 7 테크 소식", 7, "테크 소식"),
        ("vol.7 — 테크 소식", 7, "테크 소식"),
        ("No. 12: 테크 소식", 12, "테크 소식"),
        ("7호 테크 소식", 7, "테크 소식"),
        ("10월 첫째 주 테크 소식", None, "10월 첫째 주 테크 소식"),
        ("2024.11.3 테크 소식", None, "2024.11.3 테크 소식"),
        ("2024. 11. 3. 테크 소식", None, "2024. 11. 3. 테크 소식"),
        ("3가지 테크 소식", None, "3가지 테크 소식"),
        ("2호선 연장 소식", None, "2호선 연장 소식"),
        ("제2의 실리콘밸리", None, "제2의 실리콘밸리"),
        ("12.5% 성장한 시장", None, "12.5% 성장한 시장"),
        ("#1234567 테크 소식", None, "#1234567 테크 소식"),  # never a number cut to fit
    ],
)
def test_a_number_is_taken_only_where_the_title_gives_one(text: str, number: int | None, title: str):
    assert split_number(text) == (number, title)


def test_a_month_in_the_title_is_neither_the_number_nor_cut_from_the_title(tmp_path: Path):
    path = tmp_path / "weekly.md"
    path.write_text(f"# [서울 테크 레터] 10월 첫째 주 테크 소식\n\n{STORY}", encoding="utf-8")
    issue = read_issue(path, today=dt.date(2026, 10, 5))
    assert (issue.show, issue.number, issue.title) == ("서울 테크 레터", None, "10월 첫째 주 테크 소식")
    assert issue.date == dt.date(2026, 9, 28)  # the Monday of October's first week


def test_an_unnumbered_issue_follows_the_shows_last_episode_and_keeps_its_number(show_dir: Path):
    show = find_workspace(show_dir)
    numbered = issue_file(show_dir, "letter-a.md", "# [서울 테크 레터] 7. 첫 소식")
    write_script(show, make_script(read_issue(numbered), show))
    unnumbered = issue_file(show_dir, "letter-b.md", "# [서울 테크 레터] 10월 첫째 주 테크 소식")

    first = briefing("script", "issues/letter-b.md", cwd=show_dir)
    assert first.returncode == 0, first.stderr
    script = load_script(show_dir / "scripts" / "seoul-tekeu-leteo-008.md")
    assert (script.meta.episode, script.meta.title) == (8, "10월 첫째 주 테크 소식")
    assert "the title gives no episode number, so this is episode 8, after the show's last episode, 7" in first.stdout
    assert script.chapters[0].paragraphs[1].startswith("오늘은 서울 테크 레터 8호, 10월 첫째 주 테크 소식입니다.")
    assert "10호" not in script.chapters[0].paragraphs[1]

    again = briefing("script", str(unnumbered), cwd=show_dir)
    assert again.returncode == 0 and "unchanged scripts/seoul-tekeu-leteo-008.md" in again.stdout
    assert "keeps number 8" in again.stdout
    assert sorted(p.name for p in (show_dir / "scripts").glob("*.md")) == [
        "seoul-tekeu-leteo-007.md",
        "seoul-tekeu-leteo-008.md",
    ]


def test_the_first_unnumbered_issue_of_a_show_is_episode_one(show_dir: Path):
    issue_file(show_dir, "first.md", "# [서울 테크 레터] 창간 소식")
    run = briefing("script", "issues/first.md", cwd=show_dir)
    assert run.returncode == 0, run.stderr
    assert load_script(show_dir / "scripts" / "seoul-tekeu-leteo-001.md").meta.episode == 1
    assert "episode 1, the show's first" in run.stdout


def test_the_slug_can_be_chosen(show_dir: Path):
    run = briefing("script", "issues/asia-tech-brief-001.txt", "--slug", "asia-weekly-1", cwd=show_dir)
    assert run.returncode == 0, run.stderr
    script = load_script(show_dir / "scripts" / "asia-weekly-1.md")
    assert (script.meta.slug, script.meta.episode) == ("asia-weekly-1", 1)
    bad = briefing("script", "issues/asia-tech-brief-001.txt", "--slug", "Asia Weekly", cwd=show_dir)
    assert bad.returncode == 2 and "slug 'Asia Weekly' must be lower-case ASCII" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
