"""Synthetic built episodes (a real tiny MP3 plus a matching timeline) for exercising publish and validate
without speech synthesis: used by the publish tests and benchmarks/feed.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import uuid
from dataclasses import replace
from pathlib import Path
from typing import cast

from briefing.ffmpeg import ffmpeg_exe
from briefing.fsutil import atomic_output, atomic_write_bytes
from briefing.models import ChapterKind, ScriptMeta, Source, TimedChapter, TimedUtterance, Timeline
from briefing.timeline import write_timeline


def encode_tone_mp3(path: Path, seconds: float) -> None:
    """A quiet sine tone as CBR MP3 (mono, 32 kb/s): real audio that mutagen and players can measure."""
    with atomic_output(path) as tmp:
        subprocess.run(
            [
                ffmpeg_exe(),
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=440:duration={seconds}:sample_rate=22050",
                "-ac",
                "1",
                "-c:a",
                "libmp3lame",
                "-b:a",
                "32k",
                "-f",
                "mp3",
                str(tmp),
            ],
            check=True,
        )


def mp3_duration_ms(path: Path) -> int:
    from mutagen.mp3 import MP3, MPEGInfo

    info = cast(MPEGInfo, MP3(path).info)  # mutagen declares FileType.info as None; an MP3's is its MPEGInfo
    return round(info.length * 1000)


def synthetic_timeline(
    number: int,
    duration_ms: int,
    *,
    show: str = "Asia Tech Brief",
    story_text: str | None = None,
    title: str | None = None,
    guid: str | None = None,
    slug: str | None = None,
) -> Timeline:
    """An opening, two stories and a closing spread evenly over `duration_ms`, two utterances each."""
    kinds: tuple[ChapterKind, ...] = ("opening", "story", "story", "closing")
    span = duration_ms // len(kinds)
    chapters = []
    for index, kind in enumerate(kinds):
        start, end = index * span, (index + 1) * span if index < len(kinds) - 1 else duration_ms
        middle = (start + end) // 2
        text = story_text if (story_text and kind == "story") else f"{number}호 {kind} {index}번째 문장입니다."
        sources = (Source(f"https://news.example.com/{number}/{index}?a=1&b=2"),) if kind == "story" else ()
        chapters.append(
            TimedChapter(
                index=index,
                kind=kind,
                title=f"{kind} {index}",
                start_ms=start,
                end_ms=end,
                paragraphs=(text,),
                sources=sources,
                utterances=(
                    TimedUtterance(start, middle, text, text, 0),
                    TimedUtterance(middle, end, f"{index}번째 마무리입니다.", f"{index}번째 마무리입니다.", 0),
                ),
            )
        )
    meta = ScriptMeta(
        show=show,
        episode=number,
        title=title or f"{show} {number}호",
        date=dt.date(2026, 1, 1) + dt.timedelta(days=number),
        slug=slug or f"episode-{number:03d}",
        guid=guid or str(uuid.uuid5(uuid.NAMESPACE_URL, f"synthetic/{number}")),
        source=f"issues/synthetic-{number:03d}.txt",
    )
    return Timeline(
        meta=meta,
        engine="synthetic",
        voice="none",
        duration_ms=duration_ms,
        integrated_lufs=-16.0,
        true_peak_dbtp=-1.0,
        mp3_bytes=0,
        chapters=tuple(chapters),
    )


def write_built_episode(episodes_dir: Path, timeline: Timeline, mp3: bytes) -> None:
    """Lay a timeline and its MP3 down the way the build does (audio/episodes/<slug>.json + .mp3)."""
    atomic_write_bytes(episodes_dir / f"{timeline.meta.slug}.mp3", mp3)
    recorded = replace(timeline, mp3_bytes=len(mp3), mp3_sha256=hashlib.sha256(mp3).hexdigest())
    write_timeline(episodes_dir / f"{timeline.meta.slug}.json", recorded)
