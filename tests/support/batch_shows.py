"""Small shows of several episodes for the batch, cluster and backfill tests: issues we write ourselves, a few
sentences each, so that a build takes seconds."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.shows import copy_example_show

STORIES = (
    ("서울의 로봇 회사 한빛로보가 새 창고 로봇 {n}종을 내놓았습니다. 로봇은 하루 8시간 움직입니다.", "hanbit-robot"),
    ("대만의 반도체 회사가 공장을 늘립니다. 투자액은 {n}억 달러입니다.", "taiwan-fab"),
    ("싱가포르의 배달 스타트업이 로봇 {n}0대를 더 들여옵니다. 비가 와도 배달합니다.", "orbit-delivery"),
)


def issue_text(number: int, date: str, stories: int = 2, extra_sentences: int = 0) -> str:
    """An issue of our example show: `[Asia Tech Brief] N. <date> 소식`, then `stories` stories with sources."""
    lines = [f"[Asia Tech Brief] {number}. {date} 아시아 테크 소식"]
    for index in range(stories):
        text, slug = STORIES[index % len(STORIES)]
        body = text.format(n=number + index)
        body += "".join(f" 이 회사의 {k + 1}번째 계획은 {number * 10 + k}개 도시로 넓히는 것입니다." for k in
                        range(extra_sentences))  # fmt: skip
        lines.append(f"{body} 내용 출처 URL: https://news.example.com/2026/10/{number:02d}/{slug}-{number}")
    return "\n".join(lines) + "\n"


def show_with_scripts(root: Path, numbers: tuple[int, ...]) -> list[Path]:
    """The example show at `root` with one small issue and its script for each episode number; returns the
    scripts."""
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script
    from briefing.settings import find_workspace

    copy_example_show(root)
    show = find_workspace(root)
    scripts = []
    for number in numbers:
        issue = root / "issues" / f"small-{number:03d}.txt"
        issue.write_text(issue_text(number, f"2026년 10월 {number}일"), encoding="utf-8")
        scripts.append(write_script(show, make_script(read_issue(issue), show)).path)
    return scripts


def copy_show(source: Path, target: Path, *, episodes: bool = False, cache: bool = True) -> Path:
    """A copy of a built show: with or without its episodes and its caches."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*(() if cache else (".cache",))))
    if not episodes:
        shutil.rmtree(target / "audio" / "episodes")
        (target / "audio" / "episodes").mkdir()
    for leftover in ("feed", "published.json"):
        path = target / leftover
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    return target


def episode_files(root: Path) -> dict[str, bytes]:
    """Every file in the show's audio/episodes/, by name."""
    return {path.name: path.read_bytes() for path in sorted((root / "audio" / "episodes").iterdir())}
