"""Who speaks with which voice: the show's presenters (or its one unnamed presenter), all on one engine.

A presenter's voice on an engine is the one `[[presenters]]` names for it, else the engine's default for their place
in the list (the first presenter's espeak and gTTS voice is `[speech] voice`). Two presenters who would sound the
same — gTTS has one Korean voice — are refused: a listener could not tell them apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefing.settings import Presenter, Speech
from briefing.speech.engines import UnknownVoice, engine_class, make_engine
from briefing.speech.engines.base import Engine


class CastProblem(Exception):
    """A presenter the engine cannot voice; `loc` is the show.toml setting at fault (None: the script's voice)."""

    def __init__(self, message: str, loc: tuple[str | int, ...] | None):
        super().__init__(message)
        self.message, self.loc = message, loc


@dataclass(frozen=True)
class Role:
    """One presenter as the engine speaks them: `name` None is a show's one unnamed presenter."""

    name: str | None
    engine: Engine


@dataclass(frozen=True)
class Cast:
    """Every presenter of an episode with their voice, on one engine; the first is the lead, who reads whatever the
    script does not give to someone else. `reason` says why this engine (empty when it was named)."""

    roles: tuple[Role, ...]
    reason: str = ""

    @property
    def lead(self) -> Engine:
        return self.roles[0].engine

    @property
    def lead_name(self) -> str | None:
        return self.roles[0].name

    @property
    def name(self) -> str:
        """The engine's name (the same for every presenter)."""
        return self.lead.name

    @property
    def voice(self) -> str:
        """The lead's voice."""
        return self.lead.voice

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(role.name for role in self.roles if role.name is not None)

    def engine_for(self, speaker: str | None) -> Engine:
        """The engine speaking for `speaker` (None: the lead)."""
        for role in self.roles:
            if role.name == speaker:
                return role.engine
        if speaker is None:
            return self.lead
        raise KeyError(speaker)

    def describe(self) -> str:
        """ "espeak (voice ko)", or "espeak (지수: ko+f3, 민호: ko)" for named presenters."""
        if self.lead_name is None:
            return f"{self.name} (voice {self.voice})"
        return f"{self.name} (" + ", ".join(f"{role.name}: {role.engine.voice}" for role in self.roles) + ")"

    @classmethod
    def solo(cls, engine: Engine, reason: str = "") -> Cast:
        return cls((Role(None, engine),), reason)


def presenter_voice(
    engine: str, presenter: Presenter | None, place: int, speech: Speech, taken: Sequence[str] = ()
) -> tuple[str | None, Speech]:
    """(voice, speech settings) for the presenter at `place` (0-based) on `engine`: their own voice for it, else the
    engine's first default voice that no one before them (`taken`) speaks with (None: the engine's first voice);
    espeak also takes the presenter's pitch and rate."""
    asked = presenter.voice_for(engine) if presenter else None
    if presenter is not None and engine == "espeak":
        updates = {key: getattr(presenter, key) for key in ("pitch", "rate") if getattr(presenter, key) is not None}
        speech = speech.model_copy(update=updates)
    if asked or place == 0:
        return asked, speech
    defaults = engine_class(engine).default_voices
    free = [voice for voice in defaults if voice not in taken]
    return (free or defaults)[0], speech


def make_role(
    engine: str,
    speech: Speech,
    presenters: Sequence[Presenter],
    place: int,
    *,
    lead_voice: str | None = None,
    taken: Sequence[str] = (),
) -> Role:
    """The presenter at `place` (0 for a show with no named presenters) on `engine`, where the presenters before
    speak with the voices `taken`; raises CastProblem for a voice the engine does not have."""
    presenter = presenters[place] if presenters else None
    voice, settings = presenter_voice(engine, presenter, place, speech, taken)
    if place == 0 and lead_voice:
        voice = lead_voice
    try:
        return Role(presenter.name if presenter else None, make_engine(engine, settings, voice))
    except UnknownVoice as error:
        raise CastProblem(str(error), _voice_loc(engine, presenter, place, lead_voice)) from None


def make_cast(
    engine: str,
    speech: Speech,
    presenters: Sequence[Presenter] = (),
    *,
    lead_voice: str | None = None,
    reason: str = "",
) -> Cast:
    """The cast on `engine`: one role per presenter (one unnamed role when the show names none). `lead_voice` (a
    script's own `voice`) replaces the first presenter's. Raises CastProblem for a voice the engine does not have, or
    two presenters who would sound alike."""
    roles: list[Role] = []
    for place in range(max(1, len(presenters))):
        taken = [role.engine.voice for role in roles]
        roles.append(make_role(engine, speech, presenters, place, lead_voice=lead_voice, taken=taken))
    _check_distinct(roles, engine)
    return Cast(tuple(roles), reason)


def _voice_loc(
    engine: str, presenter: Presenter | None, place: int, lead_voice: str | None
) -> tuple[str | int, ...] | None:
    """The show.toml setting that asked for the voice (None: the script's own `voice`)."""
    if place == 0 and lead_voice:
        return None
    if presenter is not None and presenter.voice_for(engine):
        return ("presenters", place, engine)
    if place == 0 and engine in ("espeak", "gtts"):
        return ("speech", "voice")
    return ("presenters", place) if presenter is not None else ("speech", "engine")


def _check_distinct(roles: Sequence[Role], engine: str) -> None:
    heard: dict[tuple[object, ...], str] = {}
    for place, role in enumerate(roles):
        timbre = role.engine.timbre()
        if timbre in heard:
            if engine == "gtts":
                message = (
                    f"gTTS has one Korean voice, so presenters {heard[timbre]} and {role.name} would sound alike; "
                    "use espeak, edge or supertonic for a show with two presenters"
                )
            else:
                message = (
                    f"presenters {heard[timbre]} and {role.name} would sound alike on {engine} "
                    f"(both {role.engine.voice}); give one of them another {engine} voice"
                )
            raise CastProblem(message, ("presenters", place))
        heard[timbre] = role.name or "the presenter"
