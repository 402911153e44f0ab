"""The presenters' clips as the mix reads them: synthesised into the speech cache (where they are not there yet),
summed up as each arrives, and read back from the cache when a stretch of the mix needs them — never all in
memory at once. The mix itself is rendered a stretch at a time when read (see `render`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from briefing.errors import BriefingError
from briefing.mix.beds import EpisodeBeds, load_beds, music_paths
from briefing.mix.render import ClipSummary, SpeechClips
from briefing.models import Clip
from briefing.progress import Progress, no_progress
from briefing.speech.cache import ClipCache
from briefing.speech.engines.base import Engine, nothing_to_say
from briefing.speech.synthesis import speak_lines

__all__ = ["EpisodeBeds", "clip_loader", "load_beds", "music_paths", "speak_into", "spoken_clips"]


def clip_loader(lines: Sequence[tuple[Engine, str]], cache: ClipCache) -> Callable[[int], Clip]:
    """Utterance i's clip (the one lines[i]'s voice says its text with), read from the speech cache."""
    identities = {id(engine): engine.identity() for engine, _ in lines}

    def load(index: int) -> Clip:
        engine, text = lines[index]
        if nothing_to_say(text):
            return engine.silence()
        clip = cache.get(identities[id(engine)], text)
        if clip is None:
            raise BriefingError(f"the speech cache lost the clip of '{text[:40]}' during the build; build again",
                                cache.path(identities[id(engine)], text))  # fmt: skip
        return clip

    return load


def speak_into(speech: SpeechClips, lines: Sequence[tuple[Engine, str]], cache: ClipCache,
               progress: Progress = no_progress) -> tuple[int, ...]:  # fmt: skip
    """Synthesise what the cache lacks of `lines` (a voice and its text each), handing `speech` each clip's summary as
    soon as it is there (and closing it at the end, however that comes); returns the positions in `lines` synthesised
    now (see `speak_lines`)."""
    where: dict[tuple[int, str], list[int]] = {}
    for index, (engine, text) in enumerate(lines):
        where.setdefault((id(engine), text), []).append(index)

    def arrived(engine: Engine, text: str, clip: Clip) -> None:
        speech.add(where[(id(engine), text)], ClipSummary.of(clip, speech.rate))

    try:
        return speak_lines(lines, cache, arrived, progress=progress)
    finally:
        speech.close()


def spoken_clips(lines: Sequence[tuple[Engine, str]], cache: ClipCache, rate: int,
                 progress: Progress = no_progress) -> tuple[SpeechClips, int]:  # fmt: skip
    """The presenters' clips for `lines`, all there, and how many were synthesised (see `speak_into`)."""
    speech = SpeechClips.arriving(clip_loader(lines, cache), len(lines), rate)
    return speech, len(speak_into(speech, lines, cache, progress))
