"""What `briefing voices` shows: every engine (best first), whether it is usable here and why not, its voices, and
which of the show's presenters speaks with which voice on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefing.errors import BriefingError
from briefing.settings import Presenter, Speech
from briefing.speech.cast import CastProblem, make_cast
from briefing.speech.engines import ENGINES, UnknownVoice, make_engine


@dataclass(frozen=True)
class VoiceLine:
    name: str
    description: str
    presenters: tuple[str, ...]  # the show's presenters who speak with this voice on this engine


@dataclass(frozen=True)
class EngineEntry:
    name: str
    usable: bool | None  # None: an online engine not asked (--no-probe)
    reason: str
    voices: tuple[VoiceLine, ...]
    cast_problem: str | None  # why the show's presenters cannot all speak on this engine, if they cannot


def engine_listing(speech: Speech, presenters: Sequence[Presenter] = (), *, probe: bool = True) -> list[EngineEntry]:
    return [_entry(name, speech, presenters, probe) for name in ENGINES]


def _entry(name: str, speech: Speech, presenters: Sequence[Presenter], probe: bool) -> EngineEntry:
    try:
        engine = make_engine(name, speech)
    except (BriefingError, UnknownVoice) as error:
        return EngineEntry(name, False, str(error), (), None)
    if engine.online and not probe:
        usable, reason = None, "online (--no-probe: not asked whether it answers)"
    else:
        answer = engine.availability()
        usable, reason = answer.usable, answer.reason
    who: dict[str, list[str]] = {}
    problem = None
    try:
        cast = make_cast(name, speech, presenters)
        for role in cast.roles:
            if role.name is not None:
                who.setdefault(role.engine.voice, []).append(role.name)
    except CastProblem as error:
        problem = error.message
    lines = [VoiceLine(v.name, v.description, tuple(who.pop(v.name, ()))) for v in engine.voices()]
    lines += [VoiceLine(voice, "", tuple(names)) for voice, names in who.items()]  # e.g. an espeak variant
    return EngineEntry(name, usable, reason, tuple(lines), problem)
