"""Issue → Script: the shipped Korean templates, per-show overrides, template errors, slugs and GUIDs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefing.errors import BriefingError
from briefing.models import Issue, Source, Story
from briefing.script import make_script, parse_script, render_script
from briefing.script.identity import episode_guid, episode_slug
from briefing.script.korean import native_count, ordinal
from briefing.settings import find_workspace


def make_issue(path: Path, count: int = 3, show: str = "Asia Tech Brief") -> Issue:
    stories = tuple(
        Story(
            title=f"소식 {number}",
            paragraphs=(
                f"{number}번 이야기의 첫 문단입니다. 매출은 1682억 위안입니다.",
                f"{number}번 이야기의 둘째 문단입니다.",
            ),
            sources=(
                Source(f"https://news.example.com/{number}"),
                Source(f"https://img.example.com/{number}.jpg", "thumbnail"),
            ),
        )
        for number in range(1, count + 1)
    )
    return Issue(
        path=path,
        show=show,
        number=3,
        title="12월 첫째 주의 아시아 IT 소식",
        date=dt.date(2026, 12, 1),
        stories=stories,
    )


@pytest.fixture
def workspace(show_dir: Path):
    return find_workspace(show_dir)


@pytest.fixture
def issue(show_dir: Path) -> Issue:
    return make_issue(show_dir / "issues" / "asia-tech-brief-003.txt")


@pytest.mark.parametrize(
    ("number", "count", "ordinal_word"),
    [
        (1, "한", "첫 번째"),
        (2, "두", "두 번째"),
        (3, "세", "세 번째"),
        (4, "네", "네 번째"),
        (5, "다섯", "다섯 번째"),
        (10, "열", "열 번째"),
        (11, "열한", "열한 번째"),
        (12, "열두", "열두 번째"),
        (20, "스무", "스무 번째"),
        (21, "스물한", "스물한 번째"),
        (34, "서른네", "서른네 번째"),
        (99, "아흔아홉", "아흔아홉 번째"),
        (100, "백", "백 번째"),
        (101, "백한", "백한 번째"),
        (120, "백스무", "백스무 번째"),
        (250, "이백쉰", "이백쉰 번째"),
    ],
)
def test_native_counting_and_ordinal_words(number: int, count: str, ordinal_word: str):
    assert native_count(number) == count
    assert ordinal(number) == ordinal_word


def test_there_is_no_counting_word_for_zero():
    with pytest.raises(ValueError):
        native_count(0)


def test_the_shipped_templates_word_opening_lead_ins_and_closing(workspace, issue: Issue):
    script = make_script(issue, workspace)
    assert [chapter.kind for chapter in script.chapters] == ["opening", "story", "story", "story", "closing"]
    opening = " ".join(script.chapters[0].paragraphs)
    assert "Asia Tech Brief" in opening and "3호" in opening and issue.title in opening
    assert "세 가지 소식" in opening
    assert [chapter.paragraphs[0] for chapter in script.chapters[1:4]] == [
        "먼저 첫 번째 소식입니다.",
        "다음은 두 번째 소식입니다.",
        "마지막 세 번째 소식입니다.",
    ]
    closing = " ".join(script.chapters[-1].paragraphs)
    assert "원문 링크" in closing and "에피소드 설명" in closing


def test_the_opening_names_a_newsletter_that_is_not_the_show(workspace, show_dir: Path):
    own = make_script(make_issue(show_dir / "issues" / "x.txt"), workspace).chapters[0]
    assert " ".join(own.paragraphs).count("Asia Tech Brief") == 1  # not "Asia Tech Brief입니다 ... Asia Tech Brief 3호"
    other = make_script(make_issue(show_dir / "issues" / "x.txt", show="Tech in China"), workspace).chapters[0]
    assert other.paragraphs[1].startswith("오늘은 Tech in China 3호, ")


def test_story_chapters_carry_the_issue_text_as_written_and_its_sources(workspace, issue: Issue):
    script = make_script(issue, workspace)
    for chapter, story in zip(script.chapters[1:-1], issue.stories, strict=True):
        assert chapter.title == story.title
        assert chapter.paragraphs[1:] == story.paragraphs  # digits stay digits: speech reads them at build time
        assert chapter.sources == story.sources


def test_ten_stories_are_counted_as_yeol_and_end_with_the_tenth(workspace, show_dir: Path):
    script = make_script(make_issue(show_dir / "issues" / "x.txt", count=10), workspace)
    assert len(script.chapters) == 12
    assert "열 가지 소식" in script.chapters[0].paragraphs[1]
    assert script.chapters[10].paragraphs[0] == "마지막 열 번째 소식입니다."


def test_front_matter_comes_from_the_issue(workspace, issue: Issue, show_dir: Path):
    meta = make_script(issue, workspace).meta
    assert (meta.show, meta.episode, meta.title, meta.date) == ("Asia Tech Brief", 3, issue.title, issue.date)
    assert meta.slug == "asia-tech-brief-003"
    assert meta.source == "issues/asia-tech-brief-003.txt"
    assert meta.guid == episode_guid(workspace.feed_url, "asia-tech-brief-003")
    assert meta.engine is None and meta.voice is None


def test_an_issue_outside_the_workspace_is_referred_to_relatively(workspace, tmp_path: Path):
    outside = tmp_path / "seeds" / "weekly.txt"
    meta = make_script(make_issue(outside), workspace).meta
    assert meta.source == "../seeds/weekly.txt"


def test_a_made_script_renders_and_parses_back_unchanged(workspace, issue: Issue):
    script = make_script(issue, workspace)
    text = render_script(script)
    assert parse_script(text, Path("x.md")) == script
    assert render_script(parse_script(text, Path("x.md"))) == text


@pytest.mark.parametrize(
    ("show", "stem", "slug"),
    [
        ("Tech in China", "whatever", "tech-in-china-007"),
        ("테크인 차이나", "whatever", "tekeuin-chaina-007"),
        ("中国科技", "whatever", "zhongguokeji-007"),
        ("★☆★", "weekly-letter-007", "weekly-letter-007"),
        ("★☆★", "★", "episode-007"),
    ],
)
def test_slugs_are_ascii_with_a_three_digit_number(show: str, stem: str, slug: str):
    assert episode_slug(show, 7, Path(f"issues/{stem}.txt")) == slug


def test_guids_are_stable_and_differ_between_episodes():
    feed = "https://podcast.example.com/feed.xml"
    assert episode_guid(feed, "a-001") == episode_guid(feed, "a-001")
    assert episode_guid(feed, "a-001") != episode_guid(feed, "a-002")
    assert episode_guid(feed, "a-001") != episode_guid("https://other.example.com/feed.xml", "a-001")


# ---- per-show templates ---------------------------------------------------------------------------------------


def test_a_template_in_the_show_folder_replaces_the_shipped_one(workspace, issue: Issue, show_dir: Path):
    templates = show_dir / "templates"
    templates.mkdir(exist_ok=True)
    (templates / "opening.j2").write_text(
        '{% set title = "인사" %}\n'
        "반갑습니다. {{ show.title }}의 {{ issue.number }}번째 방송, {{ stories | length | native }} 꼭지입니다.\n",
        encoding="utf-8",
    )
    script = make_script(issue, workspace)
    assert script.chapters[0].title == "인사"
    assert script.chapters[0].paragraphs == ("반갑습니다. Asia Tech Brief의 3번째 방송, 세 꼭지입니다.",)
    assert script.chapters[1].paragraphs[0] == "먼저 첫 번째 소식입니다."  # the other templates stay the shipped ones


def test_the_show_template_folder_setting_is_honoured(show_dir: Path, issue: Issue):
    toml = show_dir / "show.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('templates = "templates"', 'templates = "wording"'), encoding="utf-8"
    )
    (show_dir / "wording").mkdir()
    (show_dir / "wording" / "closing.j2").write_text('{% set title = "끝" %}\n안녕히 계세요.\n', encoding="utf-8")
    script = make_script(issue, find_workspace(show_dir))
    assert (script.chapters[-1].title, script.chapters[-1].paragraphs) == ("끝", ("안녕히 계세요.",))


def _override(show_dir: Path, name: str, text: str) -> Path:
    path = show_dir / "templates" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_undefined_variable_names_the_template_and_line(workspace, issue: Issue, show_dir: Path):
    path = _override(
        show_dir, "story.j2", "{% set title = story.title %}\n{{ number | ordinal }} 소식.\n\n{{ story.summary }}\n"
    )
    with pytest.raises(BriefingError) as caught:
        make_script(issue, workspace)
    assert caught.value.path == path
    assert caught.value.line == 4
    expected = "template error: story has no field 'summary' (its fields: title, paragraphs, sources)"
    assert caught.value.message == expected


def test_a_template_syntax_error_names_the_template_and_line(workspace, issue: Issue, show_dir: Path):
    path = _override(show_dir, "closing.j2", '{% set title = "끝" %}\n끝.\n{% if show.title %}\n')
    with pytest.raises(BriefingError) as caught:
        make_script(issue, workspace)
    assert caught.value.path == path and caught.value.line is not None


def test_a_template_without_a_chapter_title_is_refused(workspace, issue: Issue, show_dir: Path):
    path = _override(show_dir, "opening.j2", "안녕하십니까.\n")
    with pytest.raises(BriefingError, match="chapter title") as caught:
        make_script(issue, workspace)
    assert caught.value.path == path


def test_a_template_that_says_nothing_is_refused(workspace, issue: Issue, show_dir: Path):
    path = _override(show_dir, "closing.j2", '{% set title = "끝" %}\n\n')
    with pytest.raises(BriefingError, match="no spoken text") as caught:
        make_script(issue, workspace)
    assert caught.value.path == path
