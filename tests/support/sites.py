"""A small synthetic published site (five chapters, hostile text in one of them, a real MP3 tone) that the page,
serve and browser tests share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from briefing.models import ScriptMeta, Source, TimedChapter, TimedUtterance, Timeline
from briefing.release import publish
from briefing.settings import find_workspace
from support.synthetic import encode_tone_mp3, write_built_episode

HOSTILE_TEXT = '<script>window.__injected = 1</script> & "따옴표" </p>'
HOSTILE_URL = "javascript:window.__injected=2"
UTTERANCE_MS = 2500
INTRO_MS = 3000


def page_timeline(slug: str = "atb-001", episode: int = 1, date: dt.date = dt.date(2026, 11, 20)) -> Timeline:
    """Five chapters of three Korean lines each, 2.5 s a line after a 3 s intro; story 2 carries hostile text."""
    titles = ("오프닝", "알리바바 클라우드 실적", "위험한 <script> 제목", "BYD 해외 공장", "클로징")
    kinds = ("opening", "story", "story", "story", "closing")
    chapters = []
    clock = INTRO_MS
    for index, (title, kind) in enumerate(zip(titles, kinds, strict=True)):
        start = clock
        lines = [f"{title}에 대한 {n + 1}번째 문장입니다. 어제 발표된 내용을 짧게 정리해 드립니다." for n in range(3)]
        if index == 2:
            lines[1] = HOSTILE_TEXT
        if index == 3:  # a long run with no break opportunity under keep-all must still wrap on a phone
            lines[2] = "징동금융글로벌데이터탐색자대회'(京东金融全球数据探索者大会)를 열고 전략을 강조했습니다."
        utterances = []
        for n, text in enumerate(lines):
            utterances.append(TimedUtterance(clock, clock + UTTERANCE_MS - 300, text, text, paragraph=n // 2))
            clock += UTTERANCE_MS
        sources = ()
        if kind == "story":
            sources = (
                Source(f"https://news.example.com/{slug}/{index}?lang=ko"),
                Source(HOSTILE_URL) if index == 2 else Source(f"https://img.example.com/{index}.jpg", "thumbnail"),
            )
        chapters.append(TimedChapter(index, kind, title, start, clock, tuple(lines), sources, tuple(utterances)))
    meta = ScriptMeta(
        show="Asia Tech Brief",
        episode=episode,
        title=f"제{episode}호 아시아 테크 브리프",
        date=date,
        slug=slug,
        guid=f"urn:uuid:00000000-0000-4000-8000-{episode:012d}",
        source="issues/asia-tech-brief-001.txt",
    )
    return Timeline(meta, "espeak", "ko", clock + 2000, -16.0, -1.2, 0, tuple(chapters))


def publish_synthetic_site(show_root: Path, timeline: Timeline | None = None) -> tuple[Path, Timeline]:
    """feed/ as `briefing publish` writes it (feed.xml, MP3, chapters, transcripts, cover, these pages) for one
    synthetic built episode: the timeline above over a real MP3 tone of the same length."""
    workspace = find_workspace(show_root)
    timeline = timeline or page_timeline()
    tone = show_root / ".cache" / "tone.mp3"
    encode_tone_mp3(tone, timeline.duration_ms / 1000)
    write_built_episode(workspace.episodes_dir, timeline, tone.read_bytes())
    publish(workspace)
    return workspace.feed_dir, timeline
