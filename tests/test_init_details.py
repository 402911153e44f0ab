"""`briefing init` takes the show's details as options and asks for them on a terminal; `briefing templates copy`
puts the shipped templates into the show; the closing knows the show's cadence."""

from __future__ import annotations

import datetime as dt
import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefing.ingest import read_issue
from briefing.script import make_script
from briefing.script.templating import SHIPPED_TEMPLATES, TEMPLATE_NAMES
from briefing.settings import find_workspace, load_settings


def briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_init_takes_the_shows_details_as_options(tmp_path: Path):
    run = briefing(
        "init", "morning", "--title", "아침 테크 브리핑", "--author", "아침 편집팀", "--description",
        "매일 아침 테크 소식을 전합니다.", "--language", "ko", "--base-url", "https://pod.morning.kr/tech/",
        "--email", "desk@morning.kr", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    settings = load_settings(tmp_path / "morning" / "show.toml")
    assert (settings.title, settings.author, settings.owner.name) == ("아침 테크 브리핑", "아침 편집팀", "아침 편집팀")
    assert settings.description == "매일 아침 테크 소식을 전합니다."
    assert (str(settings.base_url), settings.owner.email) == ("https://pod.morning.kr/tech/", "desk@morning.kr")
    assert "placeholders" not in run.stdout


def test_init_without_details_names_the_placeholders_it_left(tmp_path: Path):
    run = briefing("init", "morning", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "placeholders left in morning/show.toml: title, description, base_url, [owner] email" in run.stdout
    settings = load_settings(tmp_path / "morning" / "show.toml")
    assert (settings.title, str(settings.base_url)) == ("morning", "https://example.com/morning/")


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--email", "desk-at-morning", "--email: value is not a valid email address"),
        ("--base-url", "pod.morning.kr", "--base-url: input should be a valid URL"),
        ("--language", "en", "--language: input should be 'ko'"),
    ],
)
def test_a_bad_detail_is_one_sentence_and_makes_nothing(tmp_path: Path, option: str, value: str, said: str):
    run = briefing("init", "morning", option, value, cwd=tmp_path)
    assert run.returncode == 2 and said in run.stderr, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "morning").exists()


def _converse(command: list[str], cwd: Path, answers: list[tuple[str, str]], timeout: float = 60.0) -> tuple[int, str]:
    """Run `command` on a pseudo-terminal, typing each answer once its prompt has appeared; (exit code, screen)."""
    controller, terminal = os.openpty()
    process = subprocess.Popen(command, cwd=cwd, stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True)
    os.close(terminal)
    screen, pending, deadline = "", list(answers), time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(controller, 4096)
                except OSError:  # the process closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk.decode("utf-8", errors="replace")
            if pending and pending[0][0] in screen.rsplit("\n", 1)[-1]:
                os.write(controller, (pending.pop(0)[1] + "\n").encode("utf-8"))
            if process.poll() is not None and not ready:
                break
        return process.wait(timeout=10), screen
    finally:
        process.kill() if process.poll() is None else None
        os.close(controller)


def test_init_on_a_terminal_asks_for_each_detail_and_again_for_a_bad_one(tmp_path: Path):
    code, screen = _converse(
        [sys.executable, "-m", "briefing", "init", "morning", "--author", "아침 편집팀"],
        tmp_path,
        [
            ("The podcast's name", "아침 테크 브리핑"),
            ("a sentence or two", "매일 아침 테크 소식을 전합니다."),
            ("Where feed/ will be published", "https://pod.morning.kr/tech/"),
            ("e-mail", "desk-at-morning"),  # refused: asked again
            ("e-mail", "desk@morning.kr"),
        ],
    )
    assert code == 0, screen
    assert "Its author" not in screen  # given as an option, so not asked
    assert screen.count("The owner's e-mail") == 2 and "not a valid email address" in screen
    settings = load_settings(tmp_path / "morning" / "show.toml")
    assert (settings.title, settings.author, settings.owner.email) == (
        "아침 테크 브리핑",
        "아침 편집팀",
        "desk@morning.kr",
    )
    assert settings.description == "매일 아침 테크 소식을 전합니다."


def test_templates_copy_puts_the_shipped_templates_in_the_show_and_keeps_its_own(show_dir: Path):
    own = show_dir / "templates" / "closing.j2"
    own.write_text('{% set title = "끝" %}\n우리 식의 인사.\n', encoding="utf-8")
    run = briefing("templates", "copy", cwd=show_dir)
    assert run.returncode == 0, run.stderr
    for name in ("opening.j2", "story.j2"):
        assert (show_dir / "templates" / name).read_bytes() == (SHIPPED_TEMPLATES / name).read_bytes()
        assert f"templates/{name} copied" in run.stdout
    assert "templates/closing.j2 kept" in run.stdout and "우리 식의 인사" in own.read_text(encoding="utf-8")

    forced = briefing("templates", "copy", "closing.j2", "--force", cwd=show_dir)
    assert forced.returncode == 0 and "replaced" in forced.stdout
    assert own.read_bytes() == (SHIPPED_TEMPLATES / "closing.j2").read_bytes()
    assert [p.read_text(encoding="utf-8") for p in (show_dir / "templates").glob("closing.j2.*.bak")] == [
        '{% set title = "끝" %}\n우리 식의 인사.\n'
    ]
    unknown = briefing("templates", "copy", "intro.j2", cwd=show_dir)
    assert unknown.returncode == 2 and "no shipped template 'intro.j2'" in unknown.stderr
    assert set(TEMPLATE_NAMES) == {"opening.j2", "story.j2", "closing.j2"}


@pytest.mark.parametrize(
    ("cadence", "date", "said"),
    [
        ("weekly", dt.date(2026, 11, 23), "다음 주에 다시 찾아뵙겠습니다."),
        ("daily", dt.date(2026, 11, 23), "내일 다시 찾아뵙겠습니다."),
        ("weekdays", dt.date(2026, 11, 24), "내일 다시 찾아뵙겠습니다."),
        ("weekdays", dt.date(2026, 11, 27), "다음 주 월요일에 다시 찾아뵙겠습니다."),
        ("biweekly", dt.date(2026, 11, 23), "2주 뒤에 다시 찾아뵙겠습니다."),
        ("monthly", dt.date(2026, 11, 23), "다음 달에 다시 찾아뵙겠습니다."),
        ("irregular", dt.date(2026, 11, 23), "다음 호에서 다시 찾아뵙겠습니다."),
    ],
)
def test_the_closing_knows_the_shows_cadence_and_says_episode_once(show_dir, cadence, date, said):
    show_toml = show_dir / "show.toml"
    text = show_toml.read_text(encoding="utf-8")
    show_toml.write_text(text.replace('cadence = "weekly"', f'cadence = "{cadence}"'), encoding="utf-8")
    show = find_workspace(show_dir)
    issue = read_issue(show_dir / "issues" / "asia-tech-brief-001.txt", date=date)
    closing = " ".join(make_script(issue, show).chapters[-1].paragraphs)
    assert said in closing
    assert closing.count("에피소드") == 1
    if cadence != "weekly":
        assert "다음 주에" not in closing
