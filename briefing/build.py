"""Building an episode: script → speech → mix → mastering → tagged MP3 + timeline JSON, skipped when up to date.

`build_episode` does it for one script, with the engine `EngineChoice` picks for each build; `briefing build` and
`briefing run` call it. The stages do the work; this module decides what to build and records how it was built.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeGuard

from briefing import __version__, analyser, memory
from briefing.errors import BriefingError
from briefing.fsutil import atomic_output, leftover_patterns, remove_leftovers
from briefing.mix import assemble
from briefing.mix.mastering import Levels, check_measured, encode_verified
from briefing.mix.mixdown import load_beds, mix_episode, music_paths, speech_bounds
from briefing.mix.mp3 import FRAME_SAMPLES
from briefing.mix.segments import SegmentCache
from briefing.mix.tags import EpisodeTags, write_tags
from briefing.models import BuildRecord, Script, ScriptMeta, Timeline
from briefing.progress import Progress, no_progress
from briefing.publish.cover import cover_for
from briefing.script import parse_script
from briefing.settings import AUTO_ENGINE, Workspace
from briefing.speech.cache import ClipCache
from briefing.speech.engines import Engine, choose_engine, make_engine
from briefing.speech.lexicon import load_lexicon
from briefing.speech.synthesis import synthesize_all
from briefing.speech.utterances import script_utterances
from briefing.timeline import describes, file_sha256, read_timeline, write_timeline
from briefing.userfile import read_user_file, user_text

# Bump when the mix itself changes (layout, levels, limiter), so every episode is rebuilt once.
MIX_VERSION = 3


@dataclass(frozen=True)
class EpisodeReport:
    """What one `build_episode` did, for the summary line and `--json`."""

    slug: str
    script: str
    mp3: str
    timeline: str
    engine: str
    voice: str
    duration_ms: int
    integrated_lufs: float
    true_peak_dbtp: float
    mp3_bytes: int
    utterances: int
    synthesised: int
    reused: int
    segments_encoded: int  # MP3 segments encoded by this build
    segments_reused: int  # ... and reused from the cache
    repaired: int  # damaged cache entries (speech clips, MP3 segments) found, removed and made again
    seconds: float
    built: bool  # False: it was already up to date

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class EngineChoice:
    """The engine for each script of one build: `--engine`, else the script's own, else the show's.

    `auto` is decided once per build (one probe), so every episode of a build uses the same engine.
    """

    def __init__(self, workspace: Workspace, override: str | None = None, *, auto: Callable[[], Engine] | None = None):
        self.speech = workspace.settings.speech
        self.override = None if override in (None, "") else override
        self._auto = auto or (lambda: choose_engine(self.speech, AUTO_ENGINE))
        self._auto_name: str | None = None
        self._engines: dict[tuple[str, str], Engine] = {}

    def auto_name(self) -> str:
        if self._auto_name is None:
            self._auto_name = self._auto().name
        return self._auto_name

    def for_script(self, meta: ScriptMeta) -> Engine:
        name = self.override or meta.engine or self.speech.engine
        if name == AUTO_ENGINE:
            name = self.auto_name()
        voice = meta.voice or self.speech.voice
        if (name, voice) not in self._engines:
            self._engines[(name, voice)] = make_engine(name, self.speech.model_copy(update={"voice": voice}))
        return self._engines[(name, voice)]


# ---------------------------------------------------------------------------------------------------- inputs


def episode_paths(workspace: Workspace, slug: str) -> tuple[Path, Path]:
    return workspace.episodes_dir / f"{slug}.mp3", workspace.episodes_dir / f"{slug}.json"


def music_digests(workspace: Workspace) -> tuple[str, ...]:
    """A hash of each of the show's music files, for the build key."""
    hint = " (see [music] in show.toml)"
    return tuple(
        hashlib.sha256(read_user_file(path, f"{name} music file", hint=hint)).hexdigest()
        for name, path in music_paths(workspace).items()
    )


def checked_script(path: Path, data: bytes) -> Script:
    """The script in `data` (the bytes of `path`), refused when it has nothing to build."""
    script = parse_script(user_text(data, path, "script"), path)
    if not script.chapters:
        raise BriefingError("the script has no chapters ('## ' headings); nothing to build", path)
    return script


def build_key(script_bytes: bytes, workspace: Workspace, engine: Engine, music: Sequence[str], cover: bytes) -> str:
    """A hash of everything the MP3 depends on; an episode whose timeline carries the same key is up to date.

    `music` holds the music files' digests. The lexicon is hashed as a file, so the check needs no text analysis.
    """
    settings = workspace.settings
    lexicon = workspace.path(settings.lexicon)
    material = {
        "mix": MIX_VERSION,
        "briefing": __version__,  # a release may say things differently (normaliser, splitter): rebuild
        "script": hashlib.sha256(script_bytes).hexdigest(),
        "lexicon": hashlib.sha256(lexicon.read_bytes()).hexdigest() if lexicon.is_file() else None,
        "audio": settings.audio.model_dump(mode="json"),
        "show": [settings.title, settings.author, settings.description],
        "engine": engine.identity(),
        "music": list(music),
        "cover": hashlib.sha256(cover).hexdigest(),
    }
    text = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_timeline(mp3: Path, timeline: Path) -> Timeline | None:
    if not (mp3.is_file() and timeline.is_file()):
        return None
    try:
        return read_timeline(timeline)
    except BriefingError:
        return None


def up_to_date(timeline: Timeline | None, key: str) -> TypeGuard[Timeline]:
    """Whether the stored episode was built from exactly what the build key sums up."""
    return timeline is not None and timeline.build is not None and timeline.build.build_key == key


# ----------------------------------------------------------------------------------------------------- build


def build_episode(
    workspace: Workspace,
    script_path: Path,
    *,
    engine: Engine | EngineChoice | str | None = None,
    progress: Progress = no_progress,
    force: bool = False,
) -> EpisodeReport:
    """Build (or, when up to date, skip) the episode of one script; returns what happened.

    Everything that can be wrong with the input (script, music, lexicon, cover) is checked before anything is
    written; the MP3 is measured before it is written (see `check_measured`); the MP3 and the timeline are each
    written atomically, the timeline last, and it records the MP3's hash: an MP3 without its timeline (a build
    stopped between the two) is built again.
    """
    started = time.perf_counter()
    settings = workspace.settings
    rate = settings.audio.sample_rate
    script_bytes = read_user_file(script_path, "script")
    script = checked_script(script_path, script_bytes)
    cover = cover_for(workspace)
    chosen = _engine_for(workspace, script.meta, engine)
    key = build_key(script_bytes, workspace, chosen, music_digests(workspace), cover.data)
    mp3_path, timeline_path = episode_paths(workspace, script.meta.slug)
    clip_cache, segment_cache = ClipCache.of(workspace), SegmentCache.of(workspace)
    remove_leftovers(workspace.episodes_dir, leftover_patterns(mp3_path) + leftover_patterns(timeline_path))
    clip_cache.sweep(), segment_cache.sweep()  # what builds killed while writing an entry left

    existing = stored_timeline(mp3_path, timeline_path)
    if not force and up_to_date(existing, key) and describes(existing, mp3_path):
        count = sum(len(chapter.utterances) for chapter in existing.chapters)
        return _report(existing, script_path, mp3_path, timeline_path, count, 0, count,
                       time.perf_counter() - started, built=False)  # fmt: skip

    beds = load_beds(workspace)
    analyser.release()  # e.g. the full analyser that made the script: only the splitter is needed now
    utterances = script_utterances(script, load_lexicon(workspace.path(settings.lexicon)))
    analyser.release()  # the text is analysed; the audio needs the memory
    if not utterances:
        raise BriefingError("the script's chapters have nothing to say; nothing to build", script_path)

    synthesis = synthesize_all(chosen, [u.spoken for u in utterances], clip_cache, progress=progress)
    memory.give_back()  # what speaking and caching the clips left behind, before the mix takes its buffer
    bounds = speech_bounds(synthesis.clips, rate)
    layout = assemble.plan_layout(
        [chapter.kind for chapter in script.chapters], utterances, [b[2] for b in bounds], beds.lengths(),
        assemble.Pauses.from_settings(settings.audio), rate, frame=FRAME_SAMPLES,
    )  # fmt: skip
    earlier = Levels.of(existing.build.mastering if existing and existing.build else None, settings.audio)
    buffer, speech_lufs, music_db = mix_episode(layout, synthesis.clips, bounds, beds, progress, earlier)
    synthesised, reused, repaired = synthesis.synthesised, synthesis.reused, synthesis.repaired
    del synthesis, bounds  # the clips are in the buffer now; their memory is better spent on encoding
    memory.give_back()
    chapters = assemble.timed_chapters(layout, script, utterances)
    duration_ms = round(layout.length * 1000 / rate)
    tags = EpisodeTags(
        meta=script.meta, show=settings.title, author=settings.author, comment=episode_comment(script),
        chapters=chapters, duration_ms=duration_ms, cover=cover.data, cover_mime=_mime(cover.file_name),
    )  # fmt: skip
    with atomic_output(mp3_path) as partial:
        kept = (earlier.gain_db, earlier.ceiling_dbtp) if earlier else None
        mastered = encode_verified(buffer, layout.cuts, workspace, partial, progress, kept)
        check_measured(mastered.measured, settings.audio, partial, layout.length // FRAME_SAMPLES + 2)
        write_tags(partial, tags)
        mp3_bytes, mp3_sha256 = partial.stat().st_size, file_sha256(partial)
    del buffer
    measured = mastered.measured
    timeline = Timeline(
        meta=script.meta,
        engine=chosen.name,
        voice=chosen.voice,
        duration_ms=duration_ms,
        integrated_lufs=measured.integrated_lufs,
        true_peak_dbtp=measured.true_peak_dbtp,
        mp3_bytes=mp3_bytes,
        chapters=chapters,
        build=BuildRecord(
            build_key=key,
            bitrate_kbps=settings.audio.bitrate,
            sample_rate=rate,
            mastering=Levels(speech_lufs, music_db, mastered.gain_db, mastered.ceiling_dbtp).record(settings.audio),
        ),
        mp3_sha256=mp3_sha256,
    )
    write_timeline(timeline_path, timeline)
    return _report(timeline, script_path, mp3_path, timeline_path, len(utterances), synthesised, reused,
                   time.perf_counter() - started, built=True, segments=(mastered.encoded, mastered.reused),
                   repaired=repaired + mastered.repaired)  # fmt: skip


def episode_comment(script: Script) -> str:
    stories = [chapter.title for chapter in script.chapters if chapter.kind == "story"]
    return f"{script.meta.title} — " + " · ".join(stories) if stories else script.meta.title


def scripts_to_build(workspace: Workspace, given: Sequence[Path]) -> list[Path]:
    """The scripts named, or every script in scripts/ (sorted) when none is."""
    if given:
        return list(given)
    return sorted(workspace.scripts_dir.glob("*.md"))


def _engine_for(workspace: Workspace, meta: ScriptMeta, engine: Engine | EngineChoice | str | None) -> Engine:
    if isinstance(engine, Engine):
        return engine
    choice = engine if isinstance(engine, EngineChoice) else EngineChoice(workspace, engine)
    return choice.for_script(meta)


def _mime(file_name: str) -> str:
    return "image/jpeg" if file_name.lower().endswith((".jpg", ".jpeg")) else "image/png"


def _report(
    timeline: Timeline, script: Path, mp3: Path, timeline_path: Path, utterances: int, synthesised: int,
    reused: int, seconds: float, *, built: bool, segments: tuple[int, int] = (0, 0), repaired: int = 0,
) -> EpisodeReport:  # fmt: skip
    return EpisodeReport(
        slug=timeline.meta.slug, script=str(script), mp3=str(mp3), timeline=str(timeline_path),
        engine=timeline.engine, voice=timeline.voice, duration_ms=timeline.duration_ms,
        integrated_lufs=round(timeline.integrated_lufs, 2), true_peak_dbtp=round(timeline.true_peak_dbtp, 2),
        mp3_bytes=timeline.mp3_bytes, utterances=utterances, synthesised=synthesised, reused=reused,
        segments_encoded=segments[0], segments_reused=segments[1], repaired=repaired, seconds=round(seconds, 2),
        built=built,
    )  # fmt: skip


__all__ = ["EngineChoice", "EpisodeReport", "build_episode", "scripts_to_build"]
