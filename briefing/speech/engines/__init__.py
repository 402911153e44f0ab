"""Text-to-speech engines by name, and the choice of one per build (`auto`: gTTS when reachable, else espeak).

Adding an engine is one class implementing `Engine` (with a `from_settings(speech)` constructor) and one entry in
`ENGINES`.
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.errors import BriefingError
from briefing.settings import Speech
from briefing.speech.engines.base import Engine
from briefing.speech.engines.espeak_engine import EspeakEngine
from briefing.speech.engines.gtts_engine import GttsEngine, gtts_reachable

__all__ = ["ENGINES", "Engine", "EspeakEngine", "GttsEngine", "choose_engine", "engine_names", "make_engine"]

ENGINES: dict[str, Callable[[Speech], Engine]] = {
    "gtts": GttsEngine.from_settings,
    "espeak": EspeakEngine.from_settings,
}
AUTO = "auto"


def engine_names() -> list[str]:
    """What `--engine` and show.toml's `speech.engine` accept."""
    return [AUTO, *ENGINES]


def make_engine(name: str, speech: Speech) -> Engine:
    try:
        factory = ENGINES[name]
    except KeyError:
        raise BriefingError(f"unknown speech engine '{name}' (choose one of: {', '.join(engine_names())})") from None
    return factory(speech)


def choose_engine(
    speech: Speech, override: str | None = None, *, probe: Callable[[Speech], bool] = gtts_reachable
) -> Engine:
    """The engine for one build: `override` (e.g. --engine) or the show's setting; `auto` probes gTTS once and
    falls back to offline espeak, so one episode never mixes voices."""
    name = override or speech.engine
    if name == AUTO:
        name = "gtts" if probe(speech) else "espeak"
    return make_engine(name, speech)
