"""Show notes: the episode's stories as HTML, each with its source links, for content:encoded and description.

Notes read as notes: each story's heading, its paragraphs as written (the spoken lead-ins such as "먼저 첫 번째
소식입니다." are left out) and its sources. Every block stands on its own line, so an app that strips the tags
still shows the heading apart from the text around it."""

from __future__ import annotations

from markupsafe import escape

from briefing.models import TimedChapter, Timeline, source_links
from briefing.publish.text import one_line


def _story_html(chapter: TimedChapter) -> list[str]:
    blocks = [f"<h3>{escape(one_line(chapter.title))}</h3>"]
    blocks += [
        f"<p>{escape(one_line(paragraph))}</p>"
        for index, paragraph in enumerate(chapter.paragraphs)
        if one_line(paragraph) and index not in chapter.spoken_only
    ]
    links = source_links(chapter.sources)  # http(s) only, even from a timeline built before that was checked
    if links:
        items = "\n".join(f'<li><a href="{escape(one_line(url))}">{escape(one_line(url))}</a></li>' for url in links)
        blocks.append(f"<p>출처:</p>\n<ul>\n{items}\n</ul>")
    return blocks


def show_notes_html(timeline: Timeline) -> str:
    """HTML listing every story of the episode, one block a line; the opening and closing are spoken only."""
    stories = [chapter for chapter in timeline.chapters if chapter.kind == "story"]
    return "\n".join(block for chapter in stories for block in _story_html(chapter))
