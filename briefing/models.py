"""The plain values passed between stages: issue → script → timeline. Frozen, no I/O."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import numpy as np

SourceKind = Literal["source", "thumbnail"]
ChapterKind = Literal["opening", "story", "closing"]

# The only links that leave a script for the feed, the chapters and the MP3: a podcast app or a browser opens
# them, and any other scheme (javascript:, data:, file:, an app's own) would run or open something there.
WEB_SCHEMES = frozenset({"http", "https"})


def is_web_url(url: str) -> bool:
    """Whether `url` is an absolute http(s) link with a host, and nothing a reader could take another way (no
    spaces or control characters)."""
    if not url or any(ord(character) <= 0x20 or ord(character) == 0x7F for character in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


@dataclass(frozen=True)
class Source:
    """A link a story cites: its source article, or a thumbnail credit."""

    url: str
    kind: SourceKind = "source"

    @property
    def is_web(self) -> bool:
        return is_web_url(self.url)


def source_links(sources: tuple[Source, ...]) -> list[str]:
    """The http(s) source articles among `sources`, in order (thumbnail credits are not links to the story)."""
    return [source.url for source in sources if source.kind == "source" and source.is_web]


@dataclass(frozen=True)
class Story:
    """One story of an issue: its paragraphs as printed (source links removed) and its sources."""

    title: str  # short chapter title, at most 30 characters
    paragraphs: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Issue:
    """A newsletter issue as received, segmented into stories."""

    path: Path
    show: str
    number: int | None  # None: the title gives none, and the script stage numbers it after the show's last
    title: str
    date: dt.date
    stories: tuple[Story, ...]


@dataclass(frozen=True)
class Chapter:
    """One chapter of a spoken script: opening, a story, or closing."""

    kind: ChapterKind
    title: str
    paragraphs: tuple[str, ...]  # what the presenter says, as written text
    sources: tuple[Source, ...] = ()
    spoken_only: tuple[int, ...] = ()  # paragraphs said but left out of the show notes (a story's lead-in)
    # The speaker mark in front of each paragraph (a presenter's name, or None); () when the chapter has none.
    # A mark holds for the paragraphs after it, until the next (see briefing.script.marks).
    marks: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class ScriptMeta:
    """A script's front matter."""

    show: str
    episode: int
    title: str
    date: dt.date
    slug: str
    guid: str
    source: str  # path of the issue it was made from
    engine: str | None = None
    voice: str | None = None
    # Optional, set by the producer: not in the feed before this moment (no offset: the show's time zone)
    publish_at: dt.datetime | None = None
    season: int | None = None  # podcast:season; None: the show's
    soundbite: tuple[int, int] | None = None  # (start, end) in ms; None: the first story's opening


@dataclass(frozen=True)
class Script:
    """A spoken script: the source of truth for one episode."""

    meta: ScriptMeta
    chapters: tuple[Chapter, ...]


@dataclass(frozen=True)
class Utterance:
    """One short unit of speech: the written text a listener reads, the spoken form an engine says."""

    chapter: int  # index into Script.chapters
    paragraph: int  # index into that chapter's paragraphs
    written: str
    spoken: str
    speaker: str | None = None  # the presenter who says it; None: the show's one unnamed presenter


@dataclass(frozen=True)
class TimedUtterance:
    start_ms: int
    end_ms: int
    written: str
    spoken: str
    paragraph: int
    speaker: str | None = None  # the presenter who says it; None: the show's one unnamed presenter


@dataclass(frozen=True)
class TimedChapter:
    index: int
    kind: ChapterKind
    title: str
    start_ms: int
    end_ms: int
    paragraphs: tuple[str, ...]
    sources: tuple[Source, ...]
    utterances: tuple[TimedUtterance, ...]
    spoken_only: tuple[int, ...] = ()  # indices of paragraphs said but left out of the show notes


@dataclass(frozen=True)
class MasteringRecord:
    """The levels an episode was mixed and mastered at, and the show's loudness and limit they were made for.

    A rebuild keeps them while they still fit, so the stretches an edit left alone are not encoded again.
    """

    speech_lufs: float  # the speech's loudness in the mix, which the music's levels were set against
    music_db: dict[str, float]  # gain of each music file: intro, outro, transition
    gain_db: float
    ceiling_dbtp: float
    loudness_lufs: float  # the show's target when these levels were found
    limit_dbtp: float  # ... and its true-peak limit


@dataclass(frozen=True)
class BuildRecord:
    """How a built episode was made: the key that tells whether it is up to date, its encoding, its mastering, and
    why its engine was chosen (`auto`'s reason; None when the engine was named)."""

    build_key: str
    bitrate_kbps: int
    sample_rate: int
    mastering: MasteringRecord | None = None
    engine_reason: str | None = None


@dataclass(frozen=True)
class Speaker:
    """A named presenter of an episode and the voice they spoke with."""

    name: str
    voice: str


@dataclass(frozen=True)
class Timeline:
    """Everything a built episode is: the single source for chapters, transcripts, the feed and the page.

    Stored as `audio/episodes/<slug>.json` beside the MP3 (see `briefing.timeline`).
    """

    meta: ScriptMeta
    engine: str
    voice: str
    duration_ms: int
    integrated_lufs: float
    true_peak_dbtp: float
    mp3_bytes: int
    chapters: tuple[TimedChapter, ...]
    build: BuildRecord | None = field(default=None, compare=False, hash=False)  # None: not made by a build
    presenters: tuple[Speaker, ...] = ()  # the named presenters, lead first; () for one unnamed presenter
    # The SHA-256 of the MP3 this timeline was written for (None in timelines from before it was recorded): an MP3
    # that does not match was written by a build that did not get to write its timeline.
    mp3_sha256: str | None = field(default=None, compare=False, hash=False)


@dataclass(frozen=True, eq=False)
class Clip:
    """Synthesised speech: mono float32 samples in [-1, 1] (a read-only numpy array) and their rate."""

    samples: np.ndarray  # dtype float32, ndim 1
    sample_rate: int

    @property
    def duration_ms(self) -> int:
        return round(len(self.samples) * 1000 / self.sample_rate)
