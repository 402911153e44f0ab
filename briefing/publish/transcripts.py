"""Transcripts derived from a timeline: WebVTT and SubRip, one cue per utterance, in the written form, with the
speaker's name where the show names its presenters (a WebVTT voice span, which Apple Podcasts shows; "Name: " in
SubRip, which has no markup for it)."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.models import TimedUtterance, Timeline
from briefing.publish.text import one_line

VTT_TYPE = "text/vtt"
SRT_TYPE = "application/x-subrip"


def utterances(timeline: Timeline) -> Iterator[TimedUtterance]:
    for chapter in timeline.chapters:
        yield from chapter.utterances


def cue_time(ms: int, decimal_mark: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{decimal_mark}{millis:03d}"


def vtt_cue_text(text: str) -> str:
    # WebVTT cue text is markup: &, < and > are escaped, and so no "-->" can appear in it.
    return one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def srt_cue_text(text: str) -> str:
    # SubRip has no escaping; an arrow inside the text would read as a timing line.
    return one_line(text).replace("-->", "→")


def vtt_voice(speaker: str | None) -> str:
    """The opening of a WebVTT voice span, `<v 지수>`, or nothing for an unnamed presenter. The name is an annotation:
    escaped like cue text, and it cannot hold a '>' (presenter names never do)."""
    return f"<v {vtt_cue_text(speaker)}>" if speaker else ""


def webvtt(timeline: Timeline) -> str:
    cues = [
        f"{cue_time(u.start_ms, '.')} --> {cue_time(u.end_ms, '.')}\n{vtt_voice(u.speaker)}{vtt_cue_text(u.written)}"
        for u in utterances(timeline)
        if one_line(u.written)
    ]
    return "WEBVTT\n\n" + date_note(timeline) + "".join(cue + "\n\n" for cue in cues)


def date_note(timeline: Timeline) -> str:
    """A NOTE block naming the episode and its date (the publication day, like the feed and the page)."""
    return f"NOTE\n{vtt_cue_text(timeline.meta.title)} · {timeline.meta.date.isoformat()}\n\n"


def subrip(timeline: Timeline) -> str:
    cues = [u for u in utterances(timeline) if one_line(u.written)]
    return "".join(
        f"{number}\n{cue_time(u.start_ms, ',')} --> {cue_time(u.end_ms, ',')}\n"
        f"{srt_cue_text(f'{u.speaker}: {u.written}' if u.speaker else u.written)}\n\n"
        for number, u in enumerate(cues, start=1)
    )
