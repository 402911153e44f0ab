"""The speech engines by name: a registry of factories, and the choice of one engine per build.

An engine is a class that takes plain keyword arguments (`EspeakEngine(voice="ko", rate=165, pitch=45)`, as gTTS's
`gTTS(text, lang=..., tld=...)`); its factory here turns the show's `[speech]` settings into those keywords.

Adding an engine: write its class in this folder (subclass `Engine`), add a factory below and its entry in `ENGINES`
(in order of preference: `auto` takes the first one usable), and add its name to `ENGINE_NAMES` in
`briefing/settings.py` (with any settings it needs in `Speech`).
"""

from __future__ import annotations

from collections.abc import Callable

from briefing.errors import BriefingError
from briefing.settings import AUTO_ENGINE, Speech, unknown_engine
from briefing.speech.engines.base import Engine

__all__ = ["ENGINES", "Engine", "choose_engine", "make_engine"]

Factory = Callable[[Speech], Engine]


# The engine modules are imported when an engine is made: reading the registry stays cheap.
def gtts_engine(speech: Speech) -> Engine:
    from briefing.speech.engines.gtts_engine import GttsEngine

    return GttsEngine(
        voice=speech.voice,
        tld=speech.gtts_tld,
        endpoint=speech.gtts_endpoint,
        concurrency=speech.concurrency,
        timeout=speech.timeout,
        retries=speech.retries,
    )


def espeak_engine(speech: Speech) -> Engine:
    from briefing.speech.engines.espeak_engine import EspeakEngine

    return EspeakEngine(voice=speech.voice, rate=speech.rate, pitch=speech.pitch)


# name → factory, best first: `auto` takes the first engine that is usable (online ones probe; espeak always is).
ENGINES: dict[str, Factory] = {
    "gtts": gtts_engine,
    "espeak": espeak_engine,
}


def make_engine(name: str, speech: Speech) -> Engine:
    """The engine called `name`, set up from the show's `[speech]` settings."""
    try:
        factory = ENGINES[name]
    except KeyError:
        raise BriefingError(unknown_engine(name)) from None
    return factory(speech)


def usable(engine: Engine) -> bool:
    return engine.usable()


def choose_engine(speech: Speech, override: str | None = None, *, probe: Callable[[Engine], bool] = usable) -> Engine:
    """The engine for one build: `override` (e.g. --engine) or the show's setting. `auto` takes the first engine in
    `ENGINES` that `probe` finds usable (gTTS: one short request answered in time), the last one (espeak, offline)
    regardless, so one episode never mixes voices."""
    name = override or speech.engine
    if name != AUTO_ENGINE:
        return make_engine(name, speech)
    *preferred, fallback = ENGINES
    for candidate in preferred:
        engine = make_engine(candidate, speech)
        if probe(engine):
            return engine
    return make_engine(fallback, speech)
