"""An episode's podcast:soundbite: the range its script names, else the first story's opening.

The opening is cut at sentence ends: from the start of the first story (its lead-in included) to the end of the
first sentence that reaches `TARGET_MS`, never past the story's end nor, where a sentence ends before it, past
`LONGEST_MS` — within the 15–120 s the namespace recommends when the story is long enough.
"""

from __future__ import annotations

from briefing.models import TimedChapter, Timeline
from briefing.publish.ext import Soundbite

TARGET_MS = 30_000
LONGEST_MS = 60_000


def episode_soundbite(timeline: Timeline) -> Soundbite | None:
    named = timeline.meta.soundbite
    if named is not None:
        start, end = named
        return Soundbite(start / 1000, (end - start) / 1000, "")
    chapter = first_story(timeline)
    if chapter is None:
        return None
    end = opening_end(chapter)
    return Soundbite(chapter.start_ms / 1000, (end - chapter.start_ms) / 1000, chapter.title)


def first_story(timeline: Timeline) -> TimedChapter | None:
    stories = [chapter for chapter in timeline.chapters if chapter.kind == "story" and chapter.utterances]
    return stories[0] if stories else None


def opening_end(chapter: TimedChapter) -> int:
    """Where the story's opening ends: a sentence end from TARGET_MS on, within LONGEST_MS when one ends there."""
    start = chapter.start_ms
    ends = [u.end_ms for u in chapter.utterances if u.end_ms > start]
    for end in ends:
        if end - start >= TARGET_MS:
            if end - start <= LONGEST_MS:
                return end
            earlier = [e for e in ends if e - start <= LONGEST_MS]
            return earlier[-1] if earlier else start + LONGEST_MS
    return chapter.end_ms
