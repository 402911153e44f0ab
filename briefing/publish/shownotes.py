"""Show notes: the episode's stories as HTML, each with its source links, for content:encoded and description."""

from __future__ import annotations

from markupsafe import escape

from briefing.models import TimedChapter, Timeline, source_links
from briefing.publish.text import one_line


def _story_html(chapter: TimedChapter) -> str:
    parts = [f"<h3>{escape(one_line(chapter.title))}</h3>"]
    parts += [f"<p>{escape(one_line(p))}</p>" for p in chapter.paragraphs if one_line(p)]
    links = source_links(chapter.sources)  # http(s) only, even from a timeline built before that was checked
    if links:
        items = "".join(f'<li><a href="{escape(one_line(url))}">{escape(one_line(url))}</a></li>' for url in links)
        parts.append(f"<p>출처:</p><ul>{items}</ul>")
    return "".join(parts)


def show_notes_html(timeline: Timeline) -> str:
    """HTML listing every story of the episode; the opening and closing are spoken only."""
    stories = [s for s in timeline.chapters if s.kind == "story"]
    summary = f"<p>{escape(one_line(timeline.meta.title))}</p>"
    return summary + "".join(_story_html(s) for s in stories)
