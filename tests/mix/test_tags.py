"""The episode's ID3v2.4 tag: facts, cover, chapters in time order under an ordered CTOC, identical every time."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from support.plain_mp3 import encode_mp3

from briefing.ffmpeg import ffmpeg_exe
from briefing.mix.tags import EpisodeTags, write_tags
from briefing.models import ScriptMeta, Source, TimedChapter

META = ScriptMeta(show="Show", episode=3, title="세 번째 이야기", date=dt.date(2024, 5, 6), slug="show-003",
                  guid="guid-3", source="issues/3.txt")  # fmt: skip
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def chapters() -> tuple[TimedChapter, ...]:
    spans = [("opening", "오프닝", 0, 9000, ()), ("story", "첫 소식", 9000, 21000, (Source("https://a.example/1"),)),
             ("story", "두 번째 소식이고 제목이 조금 깁니다", 21000, 30000,
              (Source("https://b.example/thumb.jpg", "thumbnail"), Source("https://b.example/2"))),
             ("closing", "마무리", 30000, 36000, ())]  # fmt: skip
    return tuple(TimedChapter(index=i, kind=kind, title=title, start_ms=start, end_ms=end, paragraphs=(),
                              sources=sources, utterances=())
                 for i, (kind, title, start, end, sources) in enumerate(spans))  # fmt: skip


def tags() -> EpisodeTags:
    return EpisodeTags(meta=META, show="Asia Tech Brief", author="편집팀", comment="설명", chapters=chapters(),
                       duration_ms=36012, cover=PNG, cover_mime="image/png")  # fmt: skip


@pytest.fixture(scope="module")
def silent_mp3(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tags") / "silence.mp3"
    encode_mp3(np.zeros(44100 * 36, np.float32), 44100, 96, path)
    return path


def tagged(source: Path, target: Path) -> Path:
    target.write_bytes(source.read_bytes())
    write_tags(target, tags())
    return target


def test_tagging_twice_gives_identical_bytes(silent_mp3, tmp_path):
    assert tagged(silent_mp3, tmp_path / "a.mp3").read_bytes() == tagged(silent_mp3, tmp_path / "b.mp3").read_bytes()


def test_facts_cover_and_chapters_read_back(silent_mp3, tmp_path):
    tag = ID3(tagged(silent_mp3, tmp_path / "a.mp3"))
    assert tag.version == (2, 4, 0)
    assert (str(tag["TIT2"]), str(tag["TALB"]), str(tag["TPE1"])) == (META.title, "Asia Tech Brief", "편집팀")
    assert (str(tag["TRCK"]), str(tag["TDRC"]), str(tag["TLAN"])) == ("3", "2024-05-06", "kor")
    assert tag.getall("COMM")[0].text == ["설명"]
    assert tag.getall("APIC")[0].data == PNG and tag.getall("APIC")[0].type == 3
    (toc,) = tag.getall("CTOC")
    assert toc.child_element_ids == ["chp0", "chp1", "chp2", "chp3"]
    chapters = {c.element_id: c for c in tag.getall("CHAP")}
    assert [(chapters[i].start_time, chapters[i].end_time) for i in toc.child_element_ids] == [
        (0, 9000),
        (9000, 21000),
        (21000, 30000),
        (30000, 36012),
    ]  # the last ends where the audio does
    # A story's link is its first *source*, never a thumbnail credit; the opening and closing have none.
    assert [[w.url for w in chapters[i].sub_frames.getall("WXXX")] for i in toc.child_element_ids] == [
        [],
        ["https://a.example/1"],
        ["https://b.example/2"],
        [],
    ]


def test_chapter_frames_are_stored_in_time_order(silent_mp3, tmp_path):
    """Readers that ignore the CTOC (ffmpeg/ffprobe among them) list chapters in the order they are stored."""
    path = tagged(silent_mp3, tmp_path / "a.mp3")
    text = subprocess.run([ffmpeg_exe(), "-v", "error", "-copyts", "-i", str(path), "-f", "ffmetadata", "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")  # fmt: skip
    titles = [line.removeprefix("title=") for block in text.split("[CHAPTER]")[1:]
              for line in block.splitlines() if line.startswith("title=")]  # fmt: skip
    assert titles == [s.title for s in chapters()]
