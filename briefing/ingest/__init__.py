"""Ingest stage: a newsletter issue file (plain text, Markdown or HTML; UTF-8 or CP949) → an `Issue`.

`read_issue` is the one entry point; bad input raises a BriefingError naming the file (and line).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from briefing.errors import BriefingError
from briefing.ingest.chapter_titles import chapter_titles
from briefing.ingest.dates import infer_episode_date
from briefing.ingest.decoding import MAX_ISSUE_BYTES, read_issue_text
from briefing.ingest.formats import detect_format, parse_issue
from briefing.ingest.heading import parse_heading
from briefing.ingest.stories import segment_stories
from briefing.models import Issue, Story

__all__ = ["MAX_ISSUE_BYTES", "read_issue"]


def read_issue(
    path: Path,
    *,
    encoding: str | None = None,
    date: dt.date | None = None,
    today: dt.date | None = None,
) -> Issue:
    """Read, decode, parse and segment one issue.

    The episode date is `date`, else the publication date a web page gives, else the date the title names (see
    `briefing.ingest.dates`), else `today`
    (default: the current date).
    """
    path = Path(path)
    text = read_issue_text(path, encoding)
    if not text.strip():
        raise BriefingError("is empty", path)
    issue_format = detect_format(path, text)
    parsed = parse_issue(text, issue_format, path)
    heading = parse_heading(parsed.title, path, parsed.title_line, strict=issue_format == "text")
    if parsed.site and not parsed.title.lstrip().startswith("["):
        heading = replace(heading, show=parsed.site)  # a web page's own name for its newsletter
    story_texts = segment_stories(parsed.paragraphs)
    if not story_texts:
        raise BriefingError("has a title but no paragraphs of story text", path)
    titles = chapter_titles([story.paragraphs for story in story_texts])
    stories = tuple(Story(title, s.paragraphs, s.sources) for title, s in zip(titles, story_texts, strict=True))
    urls = [source.url for story in stories for source in story.sources]
    published = parsed.published.date() if parsed.published else None  # on the clock the page gives
    episode_date = date or published or infer_episode_date(heading.title, urls, today or dt.date.today())
    return Issue(path, heading.show, heading.number, heading.title, episode_date, stories)
