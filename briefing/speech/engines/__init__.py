"""The speech engines by name: a registry of factories, and the choice of one engine per build.

An engine is a class that takes plain keyword arguments (`EspeakEngine(voice="ko", rate=165, pitch=45)`, as gTTS's
`gTTS(text, lang=..., tld=...)`); its factory here turns the show's `[speech]` settings and a voice into those
keywords.

Adding an engine: write its class in this folder (subclass `Engine`), add a factory below and its entry in `ENGINES`
(in order of preference: `auto` takes the first one usable), and add its name to `ENGINE_NAMES` in
`briefing/settings.py` (with any settings it needs in `Speech`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from briefing.errors import BriefingError
from briefing.settings import AUTO_ENGINE, Speech, unknown_engine
from briefing.speech.engines.base import PROBE_TIMEOUT, Availability, Engine, UnknownVoice, VoiceInfo

__all__ = [
    "ENGINES",
    "Availability",
    "Decision",
    "Engine",
    "UnknownVoice",
    "VoiceInfo",
    "choose_engine",
    "decide_engine",
    "engine_class",
    "make_engine",
]

# (the show's speech settings, a voice or None for the engine's first) → an engine
Factory = Callable[[Speech, str | None], Engine]


# (Named make_*: a function named like its engine's module would be shadowed by it once imported.)
# The engine modules are imported when an engine is made: reading the registry stays cheap, and an engine whose
# optional package is missing still has a name, a place in the order and a reason not to be used.
def make_supertonic(speech: Speech, voice: str | None) -> Engine:
    from briefing.speech.engines.supertonic_engine import SupertonicEngine

    return SupertonicEngine(
        voice=voice or SupertonicEngine.default_voices[0],
        model=speech.supertonic_model,
        model_dir=speech.model_dir,
        steps=speech.supertonic_steps,
        speed=speech.supertonic_speed,
    )


def make_edge(speech: Speech, voice: str | None) -> Engine:
    from briefing.speech.engines.edge_engine import EdgeEngine

    return EdgeEngine(
        voice=voice or EdgeEngine.default_voices[0],
        rate=speech.edge_rate,
        pitch=speech.edge_pitch,
        endpoint=speech.edge_endpoint,
        concurrency=speech.concurrency,
        timeout=speech.timeout,
        retries=speech.retries,
    )


def make_gtts(speech: Speech, voice: str | None) -> Engine:
    from briefing.speech.engines.gtts_engine import GttsEngine

    return GttsEngine(
        voice=voice or speech.voice.partition("+")[0],  # gTTS speaks a language: "ko" of espeak's "ko+f3"
        tld=speech.gtts_tld,
        endpoint=speech.gtts_endpoint,
        concurrency=speech.concurrency,
        timeout=speech.timeout,
        retries=speech.retries,
    )


def make_espeak(speech: Speech, voice: str | None) -> Engine:
    from briefing.speech.engines.espeak_engine import EspeakEngine

    return EspeakEngine(voice=voice or speech.voice, rate=speech.rate, pitch=speech.pitch)


# name → factory, best first: `auto` takes the first engine that is usable (online ones probe; espeak always is).
ENGINES: dict[str, Factory] = {
    "supertonic": make_supertonic,
    "edge": make_edge,
    "gtts": make_gtts,
    "espeak": make_espeak,
}


_CLASSES = {
    "supertonic": "briefing.speech.engines.supertonic_engine:SupertonicEngine",
    "edge": "briefing.speech.engines.edge_engine:EdgeEngine",
    "gtts": "briefing.speech.engines.gtts_engine:GttsEngine",
    "espeak": "briefing.speech.engines.espeak_engine:EspeakEngine",
}


def engine_class(name: str) -> type[Engine]:
    """The class of the engine called `name` (its module imported now), e.g. for its `default_voices`."""
    if name not in _CLASSES:
        raise BriefingError(unknown_engine(name))
    module, _, cls = _CLASSES[name].partition(":")
    return getattr(importlib.import_module(module), cls)


def make_engine(name: str, speech: Speech, voice: str | None = None) -> Engine:
    """The engine called `name`, set up from the show's `[speech]` settings, speaking `voice` (None: its first)."""
    try:
        factory = ENGINES[name]
    except KeyError:
        raise BriefingError(unknown_engine(name)) from None
    return factory(speech, voice)


@dataclass(frozen=True)
class Decision:
    """The engine a build uses, and why: "auto: supertonic: no model at …; edge: answered in 0.3 s"."""

    name: str
    reason: str = ""


def availability(engine: Engine) -> Availability:
    return engine.availability(PROBE_TIMEOUT)


def _as_availability(answer: Availability | bool) -> Availability:
    return answer if isinstance(answer, Availability) else Availability(bool(answer), "")


def decide_engine(
    speech: Speech,
    override: str | None = None,
    *,
    presenters: int = 1,
    probe: Callable[[Engine], Availability | bool] = availability,
) -> Decision:
    """The engine for one build: `override` (e.g. --engine) or the show's setting. `auto` asks each engine in
    `ENGINES` in turn and takes the first usable one — the last (espeak, offline) regardless — so one episode never
    mixes voices; the reason lists what each engine it passed over said. With two presenters or more, an engine with
    one voice is passed over."""
    name = override or speech.engine
    if name != AUTO_ENGINE:
        make_engine(name, speech)  # an unknown name is an error now, not after a probe
        return Decision(name)
    *preferred, fallback = ENGINES
    said = []
    for candidate in preferred:
        try:
            engine = make_engine(candidate, speech)
        except (BriefingError, UnknownVoice) as error:
            said.append(f"{candidate}: {error}")
            continue
        if presenters > 1 and len(engine.default_voices) < 2:
            said.append(f"{candidate}: one voice for {presenters} presenters")
            continue
        answer = _as_availability(probe(engine))
        said.append(f"{candidate}: {answer.reason}" if answer.reason else candidate)
        if answer.usable:
            return Decision(candidate, "auto: " + "; ".join(said))
    said.append(f"{fallback}: offline, always available")
    return Decision(fallback, "auto: " + "; ".join(said))


def choose_engine(
    speech: Speech, override: str | None = None, *, probe: Callable[[Engine], Availability | bool] = availability
) -> Engine:
    """The engine `decide_engine` picks, speaking its first voice."""
    return make_engine(decide_engine(speech, override, probe=probe).name, speech)
