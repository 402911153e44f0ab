"""Speech for a whole episode: every utterance's clip, from the cache where it is there, synthesised once where not."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from briefing.errors import BriefingError
from briefing.models import Clip
from briefing.progress import Progress, no_progress
from briefing.speech.cache import ClipCache
from briefing.speech.clipcheck import clip_problem
from briefing.speech.engines.base import Engine, nothing_to_say

# The step `synthesis_all` reports: (clips synthesised so far, clips to synthesise in all), (0, n) first.
STEP = "synthesis"


@dataclass(frozen=True)
class SynthesisResult:
    """The clips of `texts`, in order, and how many were synthesised now versus reused (cached or repeated)."""

    clips: tuple[Clip, ...]
    synthesised: int
    reused: int
    repaired: int = 0  # damaged cache entries found (and synthesised again)

    @property
    def summary(self) -> str:
        return f"synthesised {self.synthesised}, reused {self.reused}"


def synthesize_all(
    engine: Engine, texts: Sequence[str], cache: ClipCache, *, progress: Progress = no_progress
) -> SynthesisResult:
    """Clips for `texts` (spoken forms) in one voice: see `synthesize_voices`."""
    return synthesize_voices([(engine, text) for text in texts], cache, progress=progress)


def synthesize_voices(
    lines: Sequence[tuple[Engine, str]], cache: ClipCache, *, progress: Progress = no_progress
) -> SynthesisResult:
    """Clips for `lines` — each a voice (an engine) and the spoken form it says — in order. Each distinct (voice,
    text) is synthesised at most once and cached as soon as it is done, so work survives a failure later in the run;
    each voice speaks all its missing lines in one `synthesize_many`, so an online engine keeps its requests flowing.
    """
    identities = {id(engine): engine.identity() for engine, _ in lines}
    engines = {id(engine): engine for engine, _ in lines}
    clips: dict[tuple[int, str], Clip | None] = {}  # distinct (voice, text), first-seen order
    for engine, text in lines:
        key = (id(engine), text)
        if key not in clips:
            clips[key] = engine.silence() if nothing_to_say(text) else cache.get(identities[id(engine)], text)
    missing = [key for key, clip in clips.items() if clip is None]
    done = 0
    stored: dict[tuple[int, str], Future[Clip]] = {}

    def storer(voice: int, texts: list[str]) -> Callable[[int, Clip], None]:
        def store(index: int, clip: Clip) -> None:
            nonlocal done
            key = (voice, texts[index])
            if problem := clip_problem(texts[index], clip):
                name, text = engines[voice].name, quoted(texts[index])
                raise BriefingError(f"{name} gave {problem} for {text}; it was not cached")
            stored[key] = writer.submit(cache.put, identities[voice], texts[index], clip)
            done += 1
            progress(STEP, done, len(missing))

        return store

    progress(STEP, 0, len(missing))
    # Clips are written to the cache in a thread of their own while the engine speaks the next ones.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="clip-cache") as writer:
        failures: list[BriefingError] = []
        try:
            for voice in dict.fromkeys(key[0] for key in missing):  # each voice in turn, in first-seen order
                texts = [text for key_voice, text in missing if key_voice == voice]
                try:
                    engines[voice].synthesize_many(texts, on_done=storer(voice, texts))
                except BriefingError as failure:  # the other voices still speak (and cache) theirs
                    failures.append(failure)
        finally:
            for key, future in stored.items():
                clips[key] = future.result()  # as stored (16-bit), so fresh and cached builds sound the same
    if failures:
        raise failures[0] if len(failures) == 1 else BriefingError("; ".join(str(f) for f in failures))
    return SynthesisResult(
        clips=tuple(clips[(id(engine), text)] for engine, text in lines),  # type: ignore[misc]  # all filled by now
        synthesised=len(missing),
        reused=len(lines) - len(missing),
        repaired=cache.repaired,
    )


def quoted(text: str, limit: int = 40) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"
