"""Speech for a whole episode: every utterance's clip, from the cache where it is there, synthesised once where not."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from briefing.errors import BriefingError
from briefing.models import Clip
from briefing.progress import Progress, no_progress
from briefing.speech.cache import ClipCache
from briefing.speech.engines.base import Engine, nothing_to_say

# The step `synthesis_all` reports: (clips synthesised so far, clips to synthesise in all), (0, n) first.
STEP = "synthesis"
# Texts handed to the engine at once: an engine keeps the clips of one call, so an episode of any length is spoken
# a chunk at a time (a few megabytes of clips), enough texts for an online engine's requests to overlap.
CHUNK = 32


@dataclass(frozen=True)
class SynthesisResult:
    """The clips of `texts`, in order, and how many were synthesised now versus reused (cached or repeated)."""

    clips: tuple[Clip, ...]
    synthesised: int
    reused: int

    @property
    def summary(self) -> str:
        return f"synthesised {self.synthesised}, reused {self.reused}"


def synthesize_all(
    engine: Engine, texts: Sequence[str], cache: ClipCache, *, progress: Progress = no_progress
) -> SynthesisResult:
    """Clips for `texts` (spoken forms), each distinct text synthesised at most once and cached as soon as it is done,
    so work survives a failure later in the run."""
    clips: dict[str, Clip] = {}
    synthesised = synthesize_each(engine, texts, cache, clips.__setitem__, progress=progress)
    return SynthesisResult(
        clips=tuple(clips[text] for text in texts), synthesised=synthesised, reused=len(texts) - synthesised
    )


def synthesize_each(
    engine: Engine, texts: Sequence[str], cache: ClipCache, on_clip: Callable[[str, Clip], None],
    *, progress: Progress = no_progress,
) -> int:  # fmt: skip
    """Hand each distinct text of `texts` to `on_clip` with its clip (as the cache stores it), found in the cache or
    synthesised and cached, without keeping the clips: an episode's speech never has to fit in memory at once.

    Cached clips come first, in order; then each new clip as soon as it is stored (from another thread). Returns
    how many texts were synthesised.
    """
    identity = engine.identity()
    missing = []
    for text in dict.fromkeys(texts):  # distinct texts, first-seen order
        clip = engine.silence() if nothing_to_say(text) else cache.get(identity, text)
        if clip is None:
            missing.append(text)
        else:
            on_clip(text, clip)
    done = 0
    stored: list[Future] = []

    def store(text: str, clip: Clip) -> None:
        on_clip(text, cache.put(identity, text, clip))  # as stored (16-bit), so fresh and cached builds sound alike

    failures: list[BriefingError] = []
    progress(STEP, 0, len(missing))
    # Clips are written to the cache in a thread of their own while the engine speaks the next ones.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="clip-cache") as writer:
        try:
            for at in range(0, len(missing), CHUNK):
                chunk = missing[at : at + CHUNK]

                def spoken(index: int, clip: Clip, chunk: list[str] = chunk) -> None:
                    nonlocal done
                    stored.append(writer.submit(store, chunk[index], clip))
                    done += 1
                    progress(STEP, done, len(missing))

                try:
                    engine.synthesize_many(chunk, on_done=spoken)
                except BriefingError as failure:  # e.g. an online engine's failed requests: every text is tried
                    failures.append(failure)
                _finish(stored)  # the chunk's clips are let go before the next chunk is spoken
        finally:
            _finish(stored)
    if failures:
        raise failures[0] if len(failures) == 1 else BriefingError("; ".join(str(f) for f in failures))
    return len(missing)


def _finish(stored: list[Future]) -> None:
    """Wait for the clips handed to the cache writer; the first failure is raised."""
    pending = list(stored)
    stored.clear()
    for future in pending:
        future.result()
