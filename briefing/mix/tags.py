"""The MP3's ID3v2.4 tag: episode facts, cover art, and one CHAP frame per chapter under an ordered CTOC.

The tag is a function of the timeline and the show only (no clock, no tool versions), so rebuilds are
byte-identical.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TRCK,
    WXXX,
    CTOCFlags,
    Encoding,
    Frame,
    ID3NoHeaderError,
    PictureType,
)
from mutagen.id3._tags import save_frame

from briefing.errors import os_error
from briefing.fsutil import atomic_output
from briefing.models import ScriptMeta, TimedChapter, source_links

if TYPE_CHECKING:
    from mutagen.id3._util import ID3SaveConfig

LANGUAGE = "kor"  # ISO 639-2, as ID3 wants
TAG_PADDING = 1024  # fixed, so the file's size never depends on mutagen's defaults
TOC_ID = "toc"
MAX_CHAPTERS = 255  # the CTOC frame counts its entries in one byte


@dataclass(frozen=True)
class EpisodeTags:
    """Everything the tag says about one episode."""

    meta: ScriptMeta
    show: str
    author: str
    comment: str
    chapters: tuple[TimedChapter, ...]
    duration_ms: int
    cover: bytes
    cover_mime: str  # image/png or image/jpeg


class _InOrderID3(ID3):
    """An ID3 tag whose frames are written in the order they were added.

    mutagen sorts frames by size; readers that ignore the CTOC (ffmpeg, ffprobe and some apps) then list the
    chapters out of order. The tag is always made fresh here, so there are no unknown frames to carry over.
    """

    def _write(self, config: ID3SaveConfig) -> bytearray:
        return bytearray().join(save_frame(frame, config=config) for frame in self.values())


def chapter_id(index: int) -> str:
    return f"chp{index}"


def chapter_frame(chapter: TimedChapter, end_ms: int) -> CHAP:
    frames: list[Frame] = [TIT2(encoding=Encoding.UTF8, text=[chapter.title])]
    sources = source_links(chapter.sources)
    if chapter.kind == "story" and sources:
        frames.append(WXXX(encoding=Encoding.UTF8, desc="", url=sources[0]))
    return CHAP(
        element_id=chapter_id(chapter.index),
        start_time=chapter.start_ms,
        end_time=end_ms,
        sub_frames=frames,
    )


def build_tag(tags: EpisodeTags) -> ID3:
    """The whole tag, frames in a fixed order: facts, comment, the chapter table, chapters by time, cover."""
    meta = tags.meta
    tag = _InOrderID3()
    tag.add(TIT2(encoding=Encoding.UTF8, text=[meta.title]))
    tag.add(TPE1(encoding=Encoding.UTF8, text=[tags.author]))
    tag.add(TALB(encoding=Encoding.UTF8, text=[tags.show]))
    tag.add(TRCK(encoding=Encoding.UTF8, text=[str(meta.episode)]))
    tag.add(TDRC(encoding=Encoding.UTF8, text=[meta.date.isoformat()]))
    tag.add(TLAN(encoding=Encoding.UTF8, text=[LANGUAGE]))
    tag.add(TCON(encoding=Encoding.UTF8, text=["Podcast"]))
    tag.add(COMM(encoding=Encoding.UTF8, lang=LANGUAGE, desc="", text=[tags.comment]))
    tag.add(
        CTOC(
            element_id=TOC_ID,
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[chapter_id(chapter.index) for chapter in tags.chapters],
            sub_frames=[TIT2(encoding=Encoding.UTF8, text=[meta.title])],
        )
    )
    for chapter in tags.chapters:
        # The last chapter ends where the audio ends, whatever rounding the timeline did.
        end = tags.duration_ms if chapter is tags.chapters[-1] else chapter.end_ms
        tag.add(chapter_frame(chapter, end))
    # The picture last: readers find the small frames without reading past it.
    tag.add(APIC(encoding=Encoding.UTF8, mime=tags.cover_mime, type=PictureType.COVER_FRONT, desc="Cover",
                 data=tags.cover))  # fmt: skip
    return tag


def write_tags(path: Path, tags: EpisodeTags) -> None:
    """Put the episode's ID3v2.4 tag at the front of the MP3 at `path` (replacing any tag there)."""
    build_tag(tags).save(path, v2_version=4, v1=0, padding=lambda _info: TAG_PADDING)


def tag_date(path: Path) -> str | None:
    """The recording date (TDRC) the MP3's tag holds, as written ("2026-12-07"); None without one."""
    try:
        frame = ID3(path).get("TDRC")
    except ID3NoHeaderError:
        return None
    except MutagenError as error:  # mutagen wraps the operating system's refusal (a file without read permission)
        if isinstance(error.__cause__, OSError):
            raise os_error(error.__cause__, path, "cannot read the episode's MP3") from None
        raise
    return str(frame.text[0]) if frame is not None and frame.text else None


def set_tag_date(path: Path, day: dt.date) -> None:
    """Give the MP3 at `path` another date, leaving every other frame, their order and the file's size as they
    are; the file is replaced whole (a published hard link keeps the old one)."""
    with atomic_output(path) as partial:
        shutil.copyfile(path, partial)
        tag = _InOrderID3(partial)
        tag["TDRC"] = TDRC(encoding=Encoding.UTF8, text=[day.isoformat()])
        tag.save(partial, v2_version=4, v1=0, padding=lambda _info: TAG_PADDING)
