"""An episode's audio from its utterances: speech, layout, mix, loudness and the MP3, for `briefing.build`.

The build imports this module in a thread of its own while the text is analysed (in a process of its own) and
spoken (see `mixdown.SpeechUnderWay`): the audio stack (numpy's and scipy's signal processing) takes most of a
second to import, time better spent beside them than before them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing import memory
from briefing.mix import assemble
from briefing.mix.beds import EpisodeBeds, load_beds
from briefing.mix.levels import LevelsWhileSpeaking
from briefing.mix.mastering import Levels, Mastered, check_measured, encode_verified, excerpt_codec_loss
from briefing.mix.mixdown import SpeechUnderWay
from briefing.mix.mp3 import FRAME_SAMPLES
from briefing.mix.render import EpisodeMix
from briefing.models import MasteringRecord, Script, TimedChapter, Utterance
from briefing.progress import Progress
from briefing.settings import Workspace

__all__ = ["EpisodeAudio", "EpisodeBeds", "SpeechUnderWay", "load_beds", "make_episode_audio"]


@dataclass(frozen=True)
class EpisodeAudio:
    """What making an episode's audio gave: its chapters and length, the clips synthesised (the rest reused), and
    the levels it was mastered at with the finished MP3's measurement."""

    chapters: tuple[TimedChapter, ...]
    duration_ms: int
    synthesised: int
    fresh: tuple[int, ...]  # the positions of the utterances synthesised now (each distinct line's first)
    mastering: MasteringRecord
    mastered: Mastered
    repaired: int = 0  # damaged cache entries (speech clips and MP3 segments) found, and made again


def make_episode_audio(
    workspace: Workspace, script: Script, utterances: Sequence[Utterance], speaking: SpeechUnderWay,
    beds: EpisodeBeds, earlier: MasteringRecord | None, target: Path, progress: Progress,
) -> EpisodeAudio:  # fmt: skip
    """Once the utterances are spoken (`speaking`: each in its voice, into the speech cache), lay the episode out,
    mix and master it into `target` (an MP3 without tags). `earlier` is the mastering of the episode this one
    replaces: its levels are kept while they fit. The MP3 must pass the build's own measurement (see
    `check_measured`), or nothing is written."""
    audio = workspace.settings.audio
    rate = audio.sample_rate
    kinds = [chapter.kind for chapter in script.chapters]
    pauses = assemble.Pauses.from_settings(audio)
    speech = speaking.speech
    # The levels are found on the other core while the clips are still being synthesised.
    codec = functools.partial(excerpt_codec_loss, workspace, target)
    following = LevelsWhileSpeaking(speech, kinds, utterances, beds, pauses, rate, Levels.of(earlier, audio), codec)
    fresh = speaking.result()
    memory.give_back()  # what speaking and caching the clips left behind
    progress("mix", 0, 1)
    levels = following.result()
    layout = assemble.plan_layout(
        kinds, utterances, speech.lengths(), beds.lengths(), pauses, rate, frame=FRAME_SAMPLES
    )
    mix = EpisodeMix(layout, speech, beds.sounds(), levels.music_db)
    progress("mix", 1, 1)
    previous = (levels.kept.gain_db, levels.kept.ceiling_dbtp) if levels.kept else None
    mastered = encode_verified(mix, layout.cuts, workspace, target, progress, previous, known=levels.measured)
    check_measured(mastered.measured, audio, target, layout.length // FRAME_SAMPLES + 2)
    return EpisodeAudio(
        chapters=assemble.timed_chapters(layout, script, utterances),
        duration_ms=round(layout.length * 1000 / rate),
        synthesised=len(fresh),
        fresh=fresh,
        mastering=Levels(levels.speech_lufs, levels.music_db, mastered.gain_db, mastered.ceiling_dbtp).record(audio),
        mastered=mastered,
        repaired=speaking.cache.repaired + mastered.repaired,
    )
