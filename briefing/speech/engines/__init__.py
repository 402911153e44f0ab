"""Text-to-speech engines by name, and the choice of one per build (`auto`: gTTS when reachable, else espeak).

Adding an engine is one class implementing `Engine` (with a `from_settings(speech)` constructor) and one entry in
`ENGINES`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from briefing.errors import BriefingError

if TYPE_CHECKING:  # settings validates engine names against this registry, so no import cycle at run time
    from briefing.settings import Speech
    from briefing.speech.engines.base import Engine

__all__ = ["ENGINES", "Engine", "EspeakEngine", "GttsEngine", "choose_engine", "engine_names", "make_engine"]

# name → "module:class"; imported only when used, so reading show.toml stays cheap.
ENGINES: dict[str, str] = {
    "gtts": "briefing.speech.engines.gtts_engine:GttsEngine",
    "espeak": "briefing.speech.engines.espeak_engine:EspeakEngine",
}
AUTO = "auto"


def __getattr__(name: str):
    lazy = {
        "Engine": "briefing.speech.engines.base:Engine",
        "EspeakEngine": ENGINES["espeak"],
        "GttsEngine": ENGINES["gtts"],
    }
    if name in lazy:
        return _load(lazy[name])
    raise AttributeError(name)


def _load(target: str):
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def engine_names() -> list[str]:
    """What `--engine` and show.toml's `speech.engine` accept."""
    return [AUTO, *ENGINES]


def make_engine(name: str, speech: Speech) -> Engine:
    try:
        target = ENGINES[name]
    except KeyError:
        raise BriefingError(f"unknown speech engine '{name}' (choose one of: {', '.join(engine_names())})") from None
    return _load(target).from_settings(speech)


def choose_engine(
    speech: Speech, override: str | None = None, *, probe: Callable[[Speech], bool] | None = None
) -> Engine:
    """The engine for one build: `override` (e.g. --engine) or the show's setting; `auto` probes gTTS once and
    falls back to offline espeak, so one episode never mixes voices."""
    name = override or speech.engine
    if name == AUTO:
        if probe is None:
            from briefing.speech.engines.gtts_engine import gtts_reachable as probe
        name = "gtts" if probe(speech) else "espeak"
    return make_engine(name, speech)
