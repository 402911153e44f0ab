"""What a listener sees: the cover names a Korean show, show notes read as notes, chapter titles read like an
editor's, the ID3 comment keeps the titles apart, and one wording and one rounding everywhere."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from briefing.build import episode_comment
from briefing.ingest import read_issue
from briefing.ingest.chapter_titles import chapter_title
from briefing.publish.cover import TITLE_FONT, generated_cover_png
from briefing.publish.shownotes import show_notes_html
from briefing.publish.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode
from briefing.release import publish
from briefing.script import make_script, parse_script, render_script
from briefing.settings import find_workspace
from briefing.speech.utterances import script_utterances

SHOPEE = (
    "동남아시아 최대 전자상거래 플랫폼 쇼피가 서울 성수동에 첫 팝업 매장을 열었습니다. 쇼피는 이번 매장에서 한국 "
    "화장품과 패션 브랜드 30곳의 상품을 판매하고, 현장에서 주문하면 싱가포르와 태국으로 바로 배송해 줍니다. 업계에서는 "
    "쇼피가 성수동 판매자를 모으려는 것으로 보고 있으며, 쇼핑 거리 성수동의 판매 경쟁도 커질 전망입니다."
)
WHITE = (245, 245, 245)


# ---- the cover -----------------------------------------------------------------------------------------------


def _title_pixels(png: bytes) -> int:
    """How many pixels of the cover's top third are in the title's colour."""
    with Image.open(io.BytesIO(png)) as image:
        top = image.convert("RGB").crop((0, 0, image.width, image.height // 3))
        return sum(count for count, colour in top.getcolors(maxcolors=1 << 20) if colour == WHITE)


def test_a_korean_title_is_drawn_on_the_generated_cover():
    korean = generated_cover_png("서울 테크 레터")
    assert _title_pixels(korean) > 5_000
    # A longer name is wrapped, not cut: all of it is drawn, over more lines, within the picture.
    long_title = "아침마다 듣는 동남아시아와 동아시아 스타트업 업계의 모든 소식 정리"
    assert _title_pixels(generated_cover_png(long_title)) > _title_pixels(korean)
    with Image.open(io.BytesIO(korean)) as image:
        assert image.size == (1400, 1400) and image.mode == "RGB"


def test_the_generated_cover_is_the_same_bytes_in_every_process():
    code = (
        "import hashlib, sys; from briefing.publish.cover import generated_cover_png; "
        "sys.stdout.write(hashlib.sha256(generated_cover_png('서울 테크 레터 Seoul')).hexdigest())"
    )
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            for _ in range(2)}  # fmt: skip
    assert runs == {hashlib.sha256(generated_cover_png("서울 테크 레터 Seoul")).hexdigest()}


def test_the_cover_font_ships_with_its_licence():
    from PIL import ImageFont

    assert ImageFont.truetype(str(TITLE_FONT), 20).getname() == ("NanumSquare", "Bold")
    licence = (TITLE_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence and "NAVER" in licence
    assert hashlib.sha256(TITLE_FONT.read_bytes()).hexdigest() in licence  # the very file the notice speaks of


# ---- chapter titles and the ID3 comment ---------------------------------------------------------------------


def test_a_chapter_title_names_the_subject_from_the_first_sentence():
    assert chapter_title([SHOPEE]) == "쇼피, 서울 성수동에 첫 팝업 매장 열어"
    assert chapter_title(["애플이 iOS 19 베타를 공개했습니다. 이번 베타에는 받아쓰기 기능이 들어갔습니다."]) == (
        "애플, iOS 19 베타 공개"
    )


@pytest.mark.parametrize(
    ("story", "title"),
    [
        (
            "쇼피가 서울 성수동에 팝업 매장을 열었습니다. 성수동 매장에서는 한국 판매자의 상품을 판매합니다. "
            "쇼핑객들은 성수동 매장에서 바로 주문할 수 있습니다. 판매 상품은 화장품과 패션이 중심입니다.",
            "쇼피, 서울 성수동에 팝업 매장 열어",  # was "성수동 · 매장 · 상품"
        ),
        (
            "카카오가 새 인공지능 비서를 내놓았습니다. 비서는 일정과 메일을 정리해 줍니다. "
            "카카오는 비서를 내년까지 모든 이용자에게 열 계획입니다.",
            "카카오, 새 인공지능 비서 내놓아",  # was "카카오 · 비서 · 인공지능"
        ),
        (
            "네이버웹툰이 일본 시장에서 연간 거래액 1조 원을 넘겼습니다. 웹툰 거래액은 작년보다 20% 늘었습니다.",
            "네이버웹툰, 연간 거래액 1조 원 넘겨",  # was "웹툰 · 거래액 · 시장"
        ),
        (
            "정부가 내년부터 전기차 보조금을 줄이기로 했습니다. 보조금은 차 한 대에 최대 500만 원입니다. "
            "업계는 판매가 줄어들 것을 걱정합니다.",
            "정부, 전기차 보조금 줄여",  # was "보조금 · 정부 · 전기차"
        ),
    ],
)
def test_a_title_is_a_headline_not_a_keyword_list(story: str, title: str):
    assert chapter_title([story]) == title


def test_no_chapter_title_of_the_example_issue_is_a_keyword_list(repo_root: Path):
    titles = [story.title for story in read_issue(repo_root / "issues" / "asia-tech-brief-001.txt").stories]
    assert all(" · " not in title and 0 < len(title) <= 30 for title in titles), titles


def test_the_id3_comment_keeps_the_story_titles_apart(show_dir: Path):
    show = find_workspace(show_dir)
    script = make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)
    chapters = list(script.chapters)
    chapters[1] = dataclasses.replace(chapters[1], title="누리로지스 · 실적 · 물류")  # a producer's own title
    comment = episode_comment(dataclasses.replace(script, chapters=tuple(chapters)))
    title, _, listed = comment.partition(" — ")
    assert title == script.meta.title
    assert listed.split(" / ") == [chapter.title for chapter in chapters if chapter.kind == "story"]


# ---- show notes ------------------------------------------------------------------------------------------------


def test_show_notes_leave_out_the_spoken_lead_ins_and_keep_blocks_apart(show_dir: Path):
    show = find_workspace(show_dir)
    script = make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)
    first_story = script.chapters[1]
    assert first_story.paragraphs[0] == "먼저 첫 번째 소식입니다." and first_story.spoken_only == (0,)
    # The script file marks it, and reads back the same.
    text = render_script(script)
    assert "\n_먼저 첫 번째 소식입니다._\n" in text
    assert parse_script(text, Path("x.md")) == script
    # It is still said, without the marks.
    said = [u.written for u in script_utterances(script, {}) if u.chapter == 1]
    assert said[0] == "먼저 첫 번째 소식입니다."

    timeline = synthetic_timeline(1, 60_000, title=script.meta.title)
    stories = [c for c in script.chapters if c.kind == "story"]
    timed = tuple(
        dataclasses.replace(chapter, title=story.title, paragraphs=story.paragraphs, spoken_only=story.spoken_only)
        for chapter, story in zip([c for c in timeline.chapters if c.kind == "story"], stories, strict=False)
    )
    timeline = dataclasses.replace(timeline, chapters=(timeline.chapters[0], *timed, timeline.chapters[-1]))
    notes = show_notes_html(timeline)
    assert "소식입니다" not in notes
    assert script.meta.title not in notes  # the app shows the title already
    # An app that strips the tags still shows each heading on its own line.
    stripped = [line for line in re.sub(r"<[^>]+>", "", notes).splitlines() if line.strip()]
    assert stripped[0] == stories[0].title
    assert stories[1].title in stripped
    etree.fromstring(f"<notes>{notes}</notes>".encode())  # well-formed


def test_a_paragraph_of_story_text_in_underscores_is_kept_as_written():
    source = (
        "---\nshow: S\nepisode: 1\ntitle: T\ndate: 2026-11-23\nslug: s-001\nguid: g\nsource: x\n---\n\n"
        "## 오프닝\n\n안녕.\n\n## 이야기\n\n\\_밑줄_로 쓴 이름입니다_\n\n## 마무리\n\n끝.\n"
    )
    script = parse_script(source, Path("x.md"))
    assert script.chapters[1].paragraphs == ("_밑줄_로 쓴 이름입니다_",) and script.chapters[1].spoken_only == ()
    assert render_script(script).endswith(source.split("---\n", 2)[2])  # the same body, escaped the same way


# ---- one wording, one rounding ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tone(tmp_path_factory) -> tuple[bytes, int]:
    path = tmp_path_factory.mktemp("tone") / "tone.mp3"
    encode_tone_mp3(path, 2.0)
    return path.read_bytes(), mp3_duration_ms(path)


def test_pages_feed_and_command_line_say_ho_and_count_whole_seconds_as_players_do(show_dir: Path, tone):
    timeline = synthetic_timeline(12, 128_900, slug="asia-tech-brief-012")  # 2:08.9, which players show as 2:08
    write_built_episode(show_dir / "audio" / "episodes", timeline, tone[0])
    publish(find_workspace(show_dir), now=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
    feed = (show_dir / "feed" / "feed.xml").read_text(encoding="utf-8")
    assert "<itunes:duration>128</itunes:duration>" in feed
    for page in (show_dir / "feed" / "index.html", show_dir / "feed" / "episodes" / "asia-tech-brief-012.html"):
        html = page.read_text(encoding="utf-8")
        assert "12호" in html and "회" not in re.sub(r"<[^>]+>", " ", html).replace(timeline.meta.title, "")
        assert "2분 8초" in html and 'datetime="PT2M8S"' in html and "2분 9초" not in html

    from briefing.build import EpisodeReport
    from briefing.cli.build import summary_line

    report = EpisodeReport(
        slug="asia-tech-brief-012", script="s", mp3="m", timeline="t", engine="espeak", voice="ko",
        duration_ms=128_900, integrated_lufs=-16.0, true_peak_dbtp=-1.2, mp3_bytes=1_000_000, utterances=10,
        synthesised=1, reused=9, segments_encoded=1, segments_reused=3, seconds=1.0, built=True,
    )  # fmt: skip
    assert summary_line(report).startswith("built asia-tech-brief-012: 2:08,")
