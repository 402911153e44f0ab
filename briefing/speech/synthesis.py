"""Speech for a whole episode: every utterance's clip, from the cache where it is there, synthesised once where not."""

from __future__ import annotations

from collections.abc import Sequence
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
    """Clips for `texts` (spoken forms), each distinct text synthesised at most once and cached as soon as it is done,
    so work survives a failure later in the run."""
    identity = engine.identity()
    clips: dict[str, Clip | None] = {text: None for text in texts}  # distinct texts, first-seen order
    for text in clips:
        clips[text] = engine.silence() if nothing_to_say(text) else cache.get(identity, text)
    missing = [text for text, clip in clips.items() if clip is None]
    done = 0
    stored: dict[str, Future[Clip]] = {}

    def store(index: int, clip: Clip) -> None:
        nonlocal done
        text = missing[index]
        if problem := clip_problem(text, clip):
            raise BriefingError(f"{engine.name} gave {problem} for {quoted(text)}; it was not cached")
        stored[text] = writer.submit(cache.put, identity, text, clip)
        done += 1
        progress(STEP, done, len(missing))

    progress(STEP, 0, len(missing))
    # Clips are written to the cache in a thread of their own while the engine speaks the next ones.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="clip-cache") as writer:
        try:
            if missing:
                engine.synthesize_many(missing, on_done=store)
        finally:
            for text, future in stored.items():
                clips[text] = future.result()  # as stored (16-bit), so fresh and cached builds sound the same
    return SynthesisResult(
        clips=tuple(clips[text] for text in texts),  # type: ignore[misc]  # all filled by now
        synthesised=len(missing),
        reused=len(texts) - len(missing),
        repaired=cache.repaired,
    )


def quoted(text: str, limit: int = 40) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"
