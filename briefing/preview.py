"""Hear before you build: one sentence (`briefing say`) or one chapter of a script (`briefing build --chapter N`)
spoken into a WAV file, with the voices a build would use, without touching the episode.

Clips come from, and go into, the show's speech cache, so what a preview synthesised the build reuses.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyloudnorm

from briefing.build import cast_for, checked_script, speech_settings
from briefing.errors import BriefingError
from briefing.fsutil import atomic_write_bytes
from briefing.mix.assemble import to_rate, trim_bounds
from briefing.models import Clip, Script
from briefing.progress import Progress, no_progress
from briefing.settings import AUTO_ENGINE, Presenter, Speech, Workspace, settings_error
from briefing.speech.cache import ClipCache
from briefing.speech.cast import CastProblem, Role, make_role
from briefing.speech.engines import UnknownVoice, decide_engine, make_engine
from briefing.speech.engines.base import Engine, clip_to_pcm16
from briefing.speech.lexicon import load_lexicon
from briefing.speech.synthesis import synthesize_voices
from briefing.speech.utterances import script_utterances, split_utterances
from briefing.userfile import read_user_file
from briefing.wavfile import wav_bytes

PREVIEW_LUFS = -16.0  # the episodes' own loudness, so a preview sounds as the episode will
PREVIEW_PEAK = 10 ** (-1 / 20)  # at most -1 dBFS
# Players tried in turn by `say --play` (the first one installed plays the file).
PLAYERS = (
    ("afplay",),
    ("paplay",),
    ("pw-play",),
    ("aplay", "-q"),
    ("ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"),
)


@dataclass(frozen=True)
class Heard:
    """A preview written: where, how long, which voices, and how much was synthesised now."""

    path: Path
    duration_ms: int
    spoken: tuple[str, ...]
    voices: str  # e.g. "espeak (지수: ko+f3, 민호: ko)"
    reason: str
    synthesised: int
    reused: int


# ----------------------------------------------------------------------------------------------------- a chapter


def preview_path(workspace: Workspace, slug: str, number: int) -> Path:
    return workspace.root / "audio" / "previews" / f"{slug}-chapter-{number}.wav"


def preview_chapter(
    workspace: Workspace,
    script_path: Path,
    number: int,
    *,
    engine: str | None = None,
    output: Path | None = None,
    progress: Progress = no_progress,
) -> Heard:
    """Chapter `number` (1-based, as `briefing build` counts) of a script, spoken by the voices the build would use,
    with the show's pauses, into `output` (default: audio/previews/<slug>-chapter-<N>.wav)."""
    settings = workspace.settings
    script = checked_script(script_path, read_user_file(script_path, "script"), [p.name for p in settings.presenters])
    if not 1 <= number <= len(script.chapters):
        raise BriefingError(f"there is no chapter {number}: the script has chapters 1 to {len(script.chapters)}",
                            script_path)  # fmt: skip
    cast = cast_for(workspace, script.meta, engine, script_path)
    chapter = Script(script.meta, (script.chapters[number - 1],))
    utterances = script_utterances(chapter, load_lexicon(workspace.path(settings.lexicon)), lead=cast.lead_name)
    if not utterances:
        raise BriefingError(f"chapter {number} has nothing to say", script_path)
    lines = [(cast.engine_for(u.speaker), u.spoken) for u in utterances]
    synthesis = synthesize_voices(lines, ClipCache.of(workspace), progress=progress)
    audio = settings.audio
    pauses = [
        0 if index == 0 else audio.pause_sentence_ms if u.paragraph == utterances[index - 1].paragraph
        else audio.pause_paragraph_ms
        for index, u in enumerate(utterances)
    ]  # fmt: skip
    samples = joined(synthesis.clips, pauses, audio.sample_rate)
    path = output or preview_path(workspace, script.meta.slug, number)
    atomic_write_bytes(path, wav_bytes(clip_to_pcm16(Clip(samples, audio.sample_rate)), audio.sample_rate))
    return Heard(path, round(len(samples) * 1000 / audio.sample_rate), tuple(u.spoken for u in utterances),
                 cast.describe(), cast.reason, synthesis.synthesised, synthesis.reused)  # fmt: skip


def joined(clips: Sequence[Clip], pauses_ms: Sequence[int], rate: int) -> np.ndarray:
    """The clips without their silent edges, at `rate`, each after its pause, at the episodes' loudness."""
    parts = []
    for clip, pause in zip(clips, pauses_ms, strict=True):
        first, last = trim_bounds(np.asarray(clip.samples), clip.sample_rate)
        parts.append(np.zeros(pause * rate // 1000, dtype=np.float32))
        parts.append(to_rate(np.asarray(clip.samples)[first:last], clip.sample_rate, rate))
    samples = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    return at_loudness(samples, rate)


def at_loudness(samples: np.ndarray, rate: int) -> np.ndarray:
    """`samples` at PREVIEW_LUFS, turned down where a peak would pass -1 dBFS (too short to measure: as they are)."""
    if len(samples) < rate // 2 or not np.any(samples):
        return samples
    loudness = pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64))
    if not np.isfinite(loudness):
        return samples
    gained = samples * np.float32(10 ** ((PREVIEW_LUFS - loudness) / 20))
    peak = float(np.abs(gained).max())
    return (gained * np.float32(PREVIEW_PEAK / peak) if peak > PREVIEW_PEAK else gained).astype(np.float32)


# ---------------------------------------------------------------------------------------------------- a sentence


def say(
    text: str,
    output: Path,
    *,
    workspace: Workspace | None = None,
    engine: str | None = None,
    presenter: str | None = None,
    voice: str | None = None,
) -> Heard:
    """`text` after normalisation, said by `presenter` (default: the lead) or in `voice` on the chosen engine, into
    `output`. Inside a show its settings, presenters, lexicon and cache are used; outside one, the defaults."""
    speech = speech_settings(workspace) if workspace else Speech()
    presenters = workspace.settings.presenters if workspace else ()
    names = [p.name for p in presenters]
    if presenter is not None and presenter not in names:
        known = f"show.toml has {', '.join(names)}" if names else "show.toml has no [[presenters]]"
        raise BriefingError(f"there is no presenter called {presenter} ({known})")
    lexicon = load_lexicon(workspace.path(workspace.settings.lexicon)) if workspace else {}
    pieces = [spoken for _, spoken in split_utterances(text, lexicon) if spoken]
    if not pieces:
        raise BriefingError("there is nothing to say in that text")
    name, reason = _engine_name(speech, engine, len(presenters))
    place = names.index(presenter) if presenter is not None else 0
    try:
        speaker = _presenter_engine(name, speech, presenters, place) if voice is None else None
    except CastProblem as problem:
        if workspace is None or problem.loc is None:
            raise BriefingError(problem.message) from None
        raise settings_error(workspace, problem.message, problem.loc) from None
    if speaker is None:
        speaker = _voice(name, speech, voice or "", presenters, presenter)
    cache = ClipCache.of(workspace) if workspace else None
    if cache is not None:
        synthesis = synthesize_voices([(speaker, piece) for piece in pieces], cache)
        clips, synthesised, reused = synthesis.clips, synthesis.synthesised, synthesis.reused
    else:
        clips, synthesised, reused = tuple(speaker.synthesize_many(pieces)), len(pieces), 0
    rate = clips[0].sample_rate
    samples = joined(clips, [0, *([speech_pause(workspace)] * (len(clips) - 1))], rate)
    atomic_write_bytes(output, wav_bytes(clip_to_pcm16(Clip(samples, rate)), rate))
    voices = f"{name} (voice {speaker.voice})"
    return Heard(output, round(len(samples) * 1000 / rate), tuple(pieces), voices, reason, synthesised, reused)


def speech_pause(workspace: Workspace | None) -> int:
    return workspace.settings.audio.pause_sentence_ms if workspace else 350


def _engine_name(speech: Speech, engine: str | None, presenters: int) -> tuple[str, str]:
    """(the engine to say it with, why: `auto`'s reason)."""
    name = engine or speech.engine
    if name != AUTO_ENGINE:
        return name, ""
    decision = decide_engine(speech, AUTO_ENGINE, presenters=presenters)
    return decision.name, decision.reason


def _presenter_engine(engine: str, speech: Speech, presenters: Sequence[Presenter], place: int) -> Engine:
    """The engine speaking for the presenter at `place`, with the voice the build would give them."""
    roles: list[Role] = []
    for earlier in range(place + 1):
        roles.append(make_role(engine, speech, presenters, earlier, taken=[role.engine.voice for role in roles]))
    return roles[-1].engine


def _voice(engine: str, speech: Speech, voice: str, presenters: Sequence[Presenter], presenter: str | None) -> Engine:
    """The engine speaking `voice` (with the presenter's espeak pitch and rate, when one is named)."""
    from briefing.speech.cast import presenter_voice

    chosen = next((p for p in presenters if p.name == presenter), None)
    _, settings = presenter_voice(engine, chosen, 0, speech)
    try:
        return make_engine(engine, settings, voice)
    except UnknownVoice as error:
        raise BriefingError(str(error)) from None


def play(path: Path) -> str | None:
    """Play `path` with the first audio player found; its name, or None when there is none."""
    for command in PLAYERS:
        if shutil.which(command[0]):
            subprocess.run([*command, str(path)], check=False, stdin=subprocess.DEVNULL)
            return command[0]
    return None
