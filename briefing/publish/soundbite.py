"""An episode's podcast:soundbite: the range its script names, else the first story's opening (none for an episode
too short to give one of 15 seconds).

The opening runs from the start of the first story (its lead-in included) to a sentence end some 30 seconds on,
within the 15–120 s the namespace recommends (see `opening_end`).
"""

from __future__ import annotations

from briefing.models import TimedChapter, Timeline
from briefing.publish.ext import Soundbite

SHORTEST_MS = 15_000
TARGET_MS = 30_000
LONGEST_MS = 60_000


def episode_soundbite(timeline: Timeline) -> Soundbite | None:
    named = timeline.meta.soundbite
    if named is not None:
        start, end = named
        return Soundbite(start / 1000, (end - start) / 1000, "")
    story = first_story(timeline)
    if story is None:
        return None
    end = opening_end(timeline, story)
    if end - story.start_ms < SHORTEST_MS:
        return None  # an episode too short for a soundbite of the recommended length gets none
    return Soundbite(story.start_ms / 1000, (end - story.start_ms) / 1000, story.title)


def first_story(timeline: Timeline) -> TimedChapter | None:
    stories = [chapter for chapter in timeline.chapters if chapter.kind == "story" and chapter.utterances]
    return stories[0] if stories else None


def opening_end(timeline: Timeline, story: TimedChapter) -> int:
    """Where the story's opening ends: the first sentence end from TARGET_MS on, within the story (or, for a story
    shorter than SHORTEST_MS, the episode) and within LONGEST_MS; else the last sentence end before that limit."""
    start = story.start_ms
    limit = story.end_ms if story.end_ms - start >= SHORTEST_MS else timeline.duration_ms
    limit = min(limit, start + LONGEST_MS)
    ends = [
        u.end_ms
        for chapter in timeline.chapters[story.index :]
        for u in chapter.utterances
        if start < u.end_ms <= limit
    ]
    reaching = [end for end in ends if end - start >= TARGET_MS]
    if reaching:
        return reaching[0]
    return ends[-1] if ends and ends[-1] - start >= SHORTEST_MS else limit
