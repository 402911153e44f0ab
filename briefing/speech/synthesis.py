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
# Texts handed to an engine at once: an engine keeps the clips of one call, so an episode of any length is spoken
# a chunk at a time (a few megabytes of clips), enough texts for an online engine's requests to overlap.
CHUNK = 32

# Handed each distinct (voice, text) of an episode with its clip, as the cache stores it.
OnClip = Callable[[Engine, str, Clip], None]


@dataclass(frozen=True)
class SynthesisResult:
    """The clips of `texts`, in order, and how many were synthesised now versus reused (cached or repeated)."""

    clips: tuple[Clip, ...]
    synthesised: int
    reused: int
    repaired: int = 0  # damaged cache entries found (and synthesised again)
    fresh: tuple[int, ...] = ()  # the positions in `texts` whose clips were synthesised now (each text's first)

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
    """Clips for `lines` — each a voice (an engine) and the spoken form it says — in order (see `speak_lines`)."""
    clips: dict[tuple[int, str], Clip] = {}

    def keep(engine: Engine, text: str, clip: Clip) -> None:
        clips[(id(engine), text)] = clip

    fresh = speak_lines(lines, cache, keep, progress=progress)
    return SynthesisResult(
        clips=tuple(clips[(id(engine), text)] for engine, text in lines),
        synthesised=len(fresh),
        reused=len(lines) - len(fresh),
        fresh=fresh,
        repaired=cache.repaired,
    )


def speak_lines(
    lines: Sequence[tuple[Engine, str]],
    cache: ClipCache,
    on_clip: OnClip,
    *,
    progress: Progress = no_progress,
    stopped: Callable[[], bool] = lambda: False,
) -> tuple[int, ...]:
    """Hand each distinct (voice, text) of `lines` to `on_clip` with its clip as the cache stores it — found there,
        or synthesised and cached as soon as it is done, so work survives a failure later in the run — without keeping
        the clips: an episode's speech never has to be in memory at once. Returns the positions in `lines` synthesised
    now (each distinct line's first), so a caller can say where the new speech is.

        Cached clips come first, in order; then each new one as soon as it is stored (from another thread). Each voice
        speaks its missing lines in turn, CHUNK at a time, so an online engine keeps its requests flowing; a voice or
        chunk that fails does not stop the others, and every failure is reported at the end. Once `stopped()` says
        so, no further chunk is spoken (what was spoken stays cached).
    """
    identities = {id(engine): engine.identity() for engine, _ in lines}
    engines = {id(engine): engine for engine, _ in lines}
    missing: list[tuple[int, str]] = []
    for voice, text in dict.fromkeys((id(engine), text) for engine, text in lines):  # distinct, first-seen order
        engine = engines[voice]
        clip = engine.silence() if nothing_to_say(text) else cache.get(identities[voice], text)
        if clip is None:
            missing.append((voice, text))
        else:
            on_clip(engine, text, clip)
    done = 0
    stored: list[Future[None]] = []

    def store(voice: int, text: str, clip: Clip) -> None:
        # As stored (16-bit), so fresh and cached builds sound the same.
        on_clip(engines[voice], text, cache.put(identities[voice], text, clip))

    def storer(voice: int, texts: list[str]) -> Callable[[int, Clip], None]:
        def spoken(index: int, clip: Clip) -> None:
            nonlocal done
            if problem := clip_problem(texts[index], clip):
                name, text = engines[voice].name, quoted(texts[index])
                raise BriefingError(f"{name} gave {problem} for {text}; it was not cached")
            stored.append(writer.submit(store, voice, texts[index], clip))
            done += 1
            progress(STEP, done, len(missing))

        return spoken

    failures: list[BriefingError] = []
    progress(STEP, 0, len(missing))
    # Clips are written to the cache in a thread of their own while the engine speaks the next ones.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="clip-cache") as writer:
        try:
            for voice in dict.fromkeys(voice for voice, _ in missing):  # each voice in turn, in first-seen order
                texts = [text for key_voice, text in missing if key_voice == voice]
                for at in range(0, len(texts), CHUNK):
                    if stopped():
                        break
                    chunk = texts[at : at + CHUNK]
                    try:
                        engines[voice].synthesize_many(chunk, on_done=storer(voice, chunk))
                    except BriefingError as failure:  # the other chunks and voices still speak (and cache) theirs
                        failures.append(failure)
                    _finish(stored)  # the chunk's clips are let go before the next is spoken
        finally:
            _finish(stored)
    if failures:
        raise failures[0] if len(failures) == 1 else BriefingError("; ".join(str(f) for f in failures))
    first_position: dict[tuple[int, str], int] = {}
    for position, (engine, text) in enumerate(lines):
        first_position.setdefault((id(engine), text), position)
    return tuple(sorted(first_position[key] for key in missing))


def _finish(stored: list[Future[None]]) -> None:
    """Wait for the clips handed to the cache writer; the first failure is raised."""
    pending = list(stored)
    stored.clear()
    for future in pending:
        future.result()


def quoted(text: str, limit: int = 40) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"
