"""The presenters' clips as the mix reads them: synthesised into the speech cache (where they are not there yet),
summed up as each arrives, and read back from the cache when a stretch of the mix needs them — never all in
memory at once. The mix itself is rendered a stretch at a time when read (see `render`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from briefing.errors import BriefingError
from briefing.mix.beds import EpisodeBeds, load_beds, music_paths
from briefing.mix.render import ClipSummary, SpeechClips
from briefing.models import Clip
from briefing.progress import Progress, no_progress
from briefing.speech.cache import ClipCache
from briefing.speech.engines.base import Engine, nothing_to_say
from briefing.speech.synthesis import speak_lines

__all__ = ["EpisodeBeds", "SpeechUnderWay", "clip_loader", "load_beds", "music_paths", "speak_into"]


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


def speak_into(
    speech: SpeechClips, lines: Sequence[tuple[Engine, str]], cache: ClipCache, progress: Progress = no_progress,
    stopped: Callable[[], bool] = lambda: False,
) -> tuple[int, ...]:  # fmt: skip
    """Synthesise what the cache lacks of `lines` (a voice and its text each), handing `speech` each clip's summary as
    soon as it is there (and closing it at the end, however that comes); returns the positions in `lines` synthesised
    now (see `speak_lines`)."""
    where: dict[tuple[int, str], list[int]] = {}
    for index, (engine, text) in enumerate(lines):
        where.setdefault((id(engine), text), []).append(index)

    def arrived(engine: Engine, text: str, clip: Clip) -> None:
        speech.add(where[(id(engine), text)], ClipSummary.of(clip, speech.rate))

    try:
        return speak_lines(lines, cache, arrived, progress=progress, stopped=stopped)
    finally:
        speech.close()


class SpeechUnderWay:
    """`speak_into` running in a thread of its own from the moment it is made, so that a build can import the mix and
    start following the clips (`speech`) while the engine speaks; `result()` waits for it and gives what
    `speak_into` gives, or raises what it raised."""

    def __init__(self, lines: Sequence[tuple[Engine, str]], cache: ClipCache, rate: int,
                 progress: Progress = no_progress):  # fmt: skip
        self.cache = cache
        self.speech = SpeechClips.arriving(clip_loader(lines, cache), len(lines), rate)
        self._fresh: tuple[int, ...] | None = None
        self._failure: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._speak, args=(lines, progress), name="synthesis", daemon=True)
        self._thread.start()

    def _speak(self, lines: Sequence[tuple[Engine, str]], progress: Progress) -> None:
        try:
            self._fresh = speak_into(self.speech, lines, self.cache, progress, stopped=self._stop.is_set)
        except BaseException as error:  # noqa: BLE001  # raised in the caller's thread by `result`
            self._failure = error

    def stop(self) -> None:
        """Speak no further chunk (see `speak_lines`), and wait for the one being spoken: the build failed meanwhile."""
        self._stop.set()
        self._thread.join()

    def result(self) -> tuple[int, ...]:
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        assert self._fresh is not None  # the thread ended without a failure: it spoke
        return self._fresh
