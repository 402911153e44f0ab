"""The presenter's clips as the mix reads them: synthesised into the speech cache (where they are not there yet),
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
from briefing.speech.synthesis import synthesize_each

__all__ = ["EpisodeBeds", "clip_loader", "load_beds", "music_paths", "speak_into", "spoken_clips"]


def clip_loader(engine: Engine, texts: Sequence[str], cache: ClipCache) -> Callable[[int], Clip]:
    """Utterance i's clip (the one for texts[i]), read from the speech cache."""
    identity = engine.identity()

    def load(index: int) -> Clip:
        text = texts[index]
        if nothing_to_say(text):
            return engine.silence()
        clip = cache.get(identity, text)
        if clip is None:
            raise BriefingError(f"the speech cache lost the clip of '{text[:40]}' during the build; build again",
                                cache.path(identity, text))  # fmt: skip
        return clip

    return load


def speak_into(speech: SpeechClips, engine: Engine, texts: Sequence[str], cache: ClipCache,
               progress: Progress = no_progress) -> int:  # fmt: skip
    """Synthesise what the cache lacks of `texts`, handing `speech` each clip's summary as soon as it is there (and
    closing it at the end, however that comes); returns how many clips were synthesised."""
    where: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        where.setdefault(text, []).append(index)

    def arrived(text: str, clip: Clip) -> None:
        speech.add(where[text], ClipSummary.of(clip, speech.rate))

    try:
        return synthesize_each(engine, texts, cache, arrived, progress=progress)
    finally:
        speech.close()


def spoken_clips(engine: Engine, texts: Sequence[str], cache: ClipCache, rate: int,
                 progress: Progress = no_progress) -> tuple[SpeechClips, int]:  # fmt: skip
    """The presenter's clips for `texts`, all there, and how many were synthesised (see `speak_into`)."""
    speech = SpeechClips.arriving(clip_loader(engine, texts, cache), len(texts), rate)
    return speech, speak_into(speech, engine, texts, cache, progress)
