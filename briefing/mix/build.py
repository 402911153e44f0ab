"""Building an episode: script → speech → mix → loudness → tagged MP3 + timeline JSON, skipped when up to date.

`build_episode` is the whole stage for one script; the CLI (`briefing build`) and `briefing run` call it.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from briefing import __version__, analyser, memory
from briefing.errors import BriefingError
from briefing.fsutil import atomic_output
from briefing.mix import assemble, loudness, segments
from briefing.mix.audiofile import decode_audio
from briefing.mix.encode import encode_frames, measure_mp3, write_frames
from briefing.mix.mp3 import FRAME_SAMPLES
from briefing.mix.segments import SegmentCache
from briefing.mix.tags import EpisodeTags, write_tags
from briefing.models import Clip, Script, ScriptMeta, Timeline
from briefing.publish.cover import cover_for
from briefing.script import load_script
from briefing.settings import Workspace
from briefing.speech.cache import ClipCache
from briefing.speech.engines import Engine, choose_engine, make_engine
from briefing.speech.lexicon import load_lexicon
from briefing.speech.synthesis import synthesize_all
from briefing.speech.utterances import script_utterances
from briefing.timeline import read_timeline, write_timeline

# Bump when the mix itself changes (layout, levels, limiter), so every episode is rebuilt once.
MIX_VERSION = 3
ENCODE_CEILING_MARGIN_DB = 0.5  # MP3 encoding adds overshoot; limit this far below the show's true-peak target
MUSIC_LEVEL_LU = {"intro": -2.0, "outro": -2.0, "transition": -4.0}  # at full level, relative to the speech
MAX_ENCODE_ATTEMPTS = 3
MIX_THREADS = 2
# An edited episode keeps its earlier levels while its speech (and then the MP3) stays this close to them.
KEPT_LEVEL_TOLERANCE_LU = 0.5

# Told (stage, done, total) as a build goes: stages are "synthesis", "mix" and "encode".
Progress = Callable[[str, int, int], None]


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
    seconds: float
    built: bool  # False: it was already up to date

    def as_dict(self) -> dict:
        return asdict(self)


class EngineChoice:
    """The engine for each script of one build: `--engine`, else the script's own, else the show's.

    `auto` is decided once per build (one probe), so every episode of a build uses the same engine.
    """

    def __init__(self, workspace: Workspace, override: str | None = None, *, auto: Callable[[], Engine] | None = None):
        self.speech = workspace.settings.speech
        self.override = None if override in (None, "") else override
        self._auto = auto or (lambda: choose_engine(self.speech, "auto"))
        self._auto_name: str | None = None
        self._engines: dict[tuple[str, str], Engine] = {}

    def auto_name(self) -> str:
        if self._auto_name is None:
            self._auto_name = self._auto().name
        return self._auto_name

    def for_script(self, meta: ScriptMeta) -> Engine:
        name = self.override or meta.engine or self.speech.engine
        if name == "auto":
            name = self.auto_name()
        voice = meta.voice or self.speech.voice
        if (name, voice) not in self._engines:
            self._engines[(name, voice)] = make_engine(name, self.speech.model_copy(update={"voice": voice}))
        return self._engines[(name, voice)]


@dataclass(frozen=True)
class Music:
    intro: np.ndarray
    outro: np.ndarray
    transition: np.ndarray
    digests: tuple[str, str, str]

    def lengths(self) -> dict[str, int]:
        return {"intro": len(self.intro), "outro": len(self.outro), "transition": len(self.transition)}


# ---------------------------------------------------------------------------------------------------- inputs


def episode_paths(workspace: Workspace, slug: str) -> tuple[Path, Path]:
    return workspace.episodes_dir / f"{slug}.mp3", workspace.episodes_dir / f"{slug}.json"


def music_paths(workspace: Workspace) -> dict[str, Path]:
    music = workspace.settings.music
    files = {"intro": music.intro, "outro": music.outro, "transition": music.transition}
    return {name: workspace.path(relative) for name, relative in files.items()}


def music_digests(workspace: Workspace) -> tuple[str, ...]:
    digests = []
    for name, path in music_paths(workspace).items():
        try:
            digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
        except (FileNotFoundError, IsADirectoryError):
            raise BriefingError(f"{name} music file not found (see [music] in show.toml)", path) from None
    return tuple(digests)


def load_music(workspace: Workspace) -> Music:
    """The show's intro, outro and transition, decoded at the episode rate; a bad file is a BriefingError."""
    rate = workspace.settings.audio.sample_rate
    paths = music_paths(workspace)
    with ThreadPoolExecutor(max_workers=len(paths), thread_name_prefix="music") as pool:  # three ffmpeg at once
        decoded = dict(
            zip(
                paths,
                pool.map(lambda name: decode_audio(paths[name], rate, what=f"{name} music file"), paths),
                strict=True,
            )
        )
    return Music(**decoded, digests=music_digests(workspace))


def checked_script(path: Path) -> Script:
    script = load_script(path)
    if not script.sections:
        raise BriefingError("the script has no sections (chapters starting with '## '); nothing to build", path)
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


# ------------------------------------------------------------------------------------------------------- mix


def speech_bounds(clips: Sequence[Clip], rate: int) -> list[tuple[int, int, int]]:
    """(first, last, length at the episode rate) of each clip once its silent edges are trimmed."""
    bounds = []
    for clip in clips:
        first, last = assemble.trim_bounds(np.asarray(clip.samples), clip.sample_rate)
        bounds.append((first, last, assemble.resampled_length(last - first, clip.sample_rate, rate)))
    return bounds


@dataclass(frozen=True)
class Levels:
    """The levels an episode was mixed and mastered at. A rebuild keeps those of the episode before it while they
    still fit, so the stretches an edit left alone come out sample for sample the same and are not encoded again."""

    speech_lufs: float  # the speech's loudness in the mix, which the music's levels were set against
    music_db: dict[str, float]
    gain_db: float
    ceiling_dbtp: float

    def record(self, settings) -> dict:
        return {"speech_lufs": self.speech_lufs, "music_db": self.music_db, "gain_db": self.gain_db,
                "ceiling_dbtp": self.ceiling_dbtp, "loudness_lufs": settings.audio.loudness_lufs,
                "limit_dbtp": settings.audio.true_peak_dbtp}  # fmt: skip

    @classmethod
    def of(cls, timeline: Timeline | None, settings) -> Levels | None:
        """The levels recorded in an earlier episode's timeline, if it was made for the same loudness and limit."""
        record = timeline.extra.get("mastering") if timeline is not None else None
        audio = settings.audio
        if not isinstance(record, dict) or (record.get("loudness_lufs"), record.get("limit_dbtp")) != (
            audio.loudness_lufs, audio.true_peak_dbtp,
        ):  # fmt: skip
            return None
        try:
            music = {name: float(record["music_db"][name]) for name in MUSIC_LEVEL_LU}
            return cls(float(record["speech_lufs"]), music, float(record["gain_db"]), float(record["ceiling_dbtp"]))
        except (KeyError, TypeError, ValueError):
            return None


def mix_episode(
    layout: assemble.Layout, clips: Sequence[Clip], bounds: Sequence[tuple[int, int, int]], music: Music,
    progress: Progress, earlier: Levels | None = None,
) -> tuple[np.ndarray, float, dict[str, float]]:  # fmt: skip
    """Speech first (trimmed and resampled clip by clip), then the music at levels set against the speech.

    Returns the mix, the speech's loudness and the music's levels: the earlier episode's, while its speech was
    within KEPT_LEVEL_TOLERANCE_LU of this one's.
    """
    rate = layout.rate
    buffer = np.zeros(layout.length, dtype=np.float32)
    speech_cues = [cue for cue in layout.cues if cue.sound == "speech"]
    total = len(speech_cues) + 2
    progress("mix", 0, total)

    def speech(cue: assemble.Cue) -> np.ndarray:
        clip = clips[cue.utterance]
        first, last, _ = bounds[cue.utterance]
        return assemble.to_rate(np.asarray(clip.samples)[first:last], clip.sample_rate, rate)

    # Clips are resampled two at a time (numpy lets go of the GIL) and added in order, a few ahead at most.
    with ThreadPoolExecutor(max_workers=MIX_THREADS, thread_name_prefix="mix") as pool:
        ahead: deque = deque()
        for done, cue in enumerate(speech_cues, 1):
            ahead.append((cue, pool.submit(speech, cue)))
            if len(ahead) > 2 * MIX_THREADS:
                ready, future = ahead.popleft()
                assemble.add_cue(buffer, ready, future.result())
            if done % 16 == 0:
                progress("mix", done, total)
        for ready, future in ahead:
            assemble.add_cue(buffer, ready, future.result())
    # The speech's loudness, from a sample of the episode: it only sets the music's level against it.
    speech_lufs = loudness.sampled_loudness(buffer, rate)
    progress("mix", len(speech_cues) + 1, total)
    sounds = {"intro": music.intro, "outro": music.outro, "transition": music.transition}
    if earlier is not None and abs(earlier.speech_lufs - speech_lufs) <= KEPT_LEVEL_TOLERANCE_LU:
        speech_lufs, level_db = earlier.speech_lufs, earlier.music_db
    else:
        level_db = {
            name: music_gain_db(sound, speech_lufs + MUSIC_LEVEL_LU[name], rate) for name, sound in sounds.items()
        }
    for cue in layout.cues:
        if cue.sound in sounds:
            assemble.add_cue(buffer, cue, sounds[cue.sound], gain_db=level_db[cue.sound])
    progress("mix", total, total)
    return buffer, speech_lufs, level_db


def music_gain_db(sound: np.ndarray, target_lufs: float, rate: int) -> float:
    """The gain that sets a music file at `target_lufs`; silent (or nearly) music is left as it is."""
    measured = loudness.integrated_loudness(sound, rate)
    return 0.0 if measured <= loudness.SILENCE_LUFS else target_lufs - measured


@dataclass(frozen=True)
class Mastered:
    """What `encode_verified` made: the MP3's measurement, the gain and ceiling it was made with, and how many
    segments it encoded and reused."""

    measured: loudness.Loudness
    gain_db: float
    ceiling_dbtp: float
    encoded: int
    reused: int


def fresh_gain(buffer: np.ndarray, workspace: Workspace, ceiling: float, target: Path) -> float:
    """The gain that brings the mix to the show's loudness once limited and encoded (see `loudness_gain`); the
    encoder is tried on an excerpt written beside `target`."""
    audio = workspace.settings.audio
    rate = audio.sample_rate
    probe = target.with_name(target.name + ".probe.mp3")

    def codec_loss(excerpt: np.ndarray) -> float:
        """What the MP3 encoder takes from an excerpt's loudness (≈0.4 LU for speech at 96 kb/s)."""
        whole = np.concatenate([excerpt, np.zeros(-len(excerpt) % FRAME_SAMPLES, np.float32)])
        try:
            write_frames(probe, encode_frames(whole, rate, audio.bitrate))
            decoded = loudness.integrated_loudness(decode_audio(probe, rate), rate)
        finally:
            probe.unlink(missing_ok=True)
        return loudness.integrated_loudness(whole, rate) - decoded

    return loudness.loudness_gain(buffer, rate, audio.loudness_lufs, ceiling, codec_loss=codec_loss)


def encode_verified(
    buffer: np.ndarray, cuts: Sequence[int], workspace: Workspace, target: Path, progress: Progress,
    previous: tuple[float, float] | None = None,
) -> Mastered:  # fmt: skip
    """Loudness-normalise, limit and encode into `target` segment by segment, then measure the MP3 itself.

    `previous` is the (gain, ceiling) the episode was last built with: kept while the result stays within
    KEPT_LEVEL_TOLERANCE_LU of the show's loudness, so the segments an edit left alone are not encoded again.
    If encoding pushed the true peak over the show's limit, the ceiling goes lower and it is encoded again.
    """
    audio = workspace.settings.audio
    rate = audio.sample_rate
    cache = SegmentCache.of(workspace)
    cuts = segments.silent_cuts(buffer, cuts)
    progress("encode", 0, len(cuts) + 1)
    if previous is None:
        ceiling = audio.true_peak_dbtp - ENCODE_CEILING_MARGIN_DB
        gain = fresh_gain(buffer, workspace, ceiling, target)
    else:
        gain, ceiling = previous
    encoded = reused = 0
    # The encoders need the cores: BLAS helper threads (which spin while they wait) would take them.
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(MAX_ENCODE_ATTEMPTS):
            result = segments.encode_segments(
                buffer, cuts, segments.Mastering(gain, ceiling, rate, audio.bitrate), cache,
                progress=progress,
            )  # fmt: skip
            encoded, reused = encoded + result.encoded, reused + result.reused
            write_frames(target, result.frames)
            measured = measure_mp3(target, rate)
            overshoot = measured.true_peak_dbtp - audio.true_peak_dbtp
            if overshoot > 0:
                ceiling -= overshoot + 0.2
            elif previous is not None and abs(measured.integrated_lufs - audio.loudness_lufs) > KEPT_LEVEL_TOLERANCE_LU:
                previous, ceiling = None, audio.true_peak_dbtp - ENCODE_CEILING_MARGIN_DB
                gain = fresh_gain(buffer, workspace, ceiling, target)
            else:
                break
    return Mastered(measured, gain, ceiling, encoded, reused)


# ----------------------------------------------------------------------------------------------------- build


def _ignore(_stage: str, _done: int, _total: int) -> None:
    pass


def build_episode(
    workspace: Workspace,
    script_path: Path,
    *,
    engine: Engine | EngineChoice | str | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> EpisodeReport:
    """Build (or, when up to date, skip) the episode of one script; returns what happened.

    Everything that can be wrong with the input (script, music, lexicon, cover) is checked before anything is
    written; the MP3 and the timeline are each written atomically, the timeline last.
    """
    started = time.perf_counter()
    progress = progress or _ignore
    settings = workspace.settings
    rate = settings.audio.sample_rate
    script_bytes = _read_bytes(script_path)
    script = checked_script(script_path)
    cover = cover_for(workspace)
    chosen = _engine_for(workspace, script.meta, engine)
    key = build_key(script_bytes, workspace, chosen, music_digests(workspace), cover.data)
    mp3_path, timeline_path = episode_paths(workspace, script.meta.slug)

    existing = stored_timeline(mp3_path, timeline_path)
    if not force and existing is not None and existing.extra.get("build_key") == key:
        count = sum(len(section.utterances) for section in existing.sections)
        return _report(existing, script_path, mp3_path, timeline_path, count, 0, count,
                       time.perf_counter() - started, built=False)  # fmt: skip

    music = load_music(workspace)
    analyser.release()  # e.g. the full analyser that made the script: only the splitter is needed now
    utterances = script_utterances(script, load_lexicon(workspace.path(settings.lexicon)))
    analyser.release()  # the text is analysed; the audio needs the memory
    if not utterances:
        raise BriefingError("the script's sections have nothing to say; nothing to build", script_path)

    synthesis = synthesize_all(
        chosen, [u.spoken for u in utterances], ClipCache.of(workspace),
        progress=progress,
    )  # fmt: skip
    memory.give_back()  # what speaking and caching the clips left behind, before the mix takes its buffer
    bounds = speech_bounds(synthesis.clips, rate)
    layout = assemble.plan_layout(
        [section.kind for section in script.sections], utterances, [b[2] for b in bounds], music.lengths(),
        assemble.Pauses.from_settings(settings.audio), rate, frame=FRAME_SAMPLES,
    )  # fmt: skip
    earlier = Levels.of(existing, settings)
    buffer, speech_lufs, music_db = mix_episode(layout, synthesis.clips, bounds, music, progress, earlier)
    synthesised, reused = synthesis.synthesised, synthesis.reused
    del synthesis, bounds  # the clips are in the buffer now; their memory is better spent on encoding
    memory.give_back()
    sections = assemble.timed_sections(layout, script, utterances)
    duration_ms = round(layout.length * 1000 / rate)
    tags = EpisodeTags(
        meta=script.meta, show=settings.title, author=settings.author, comment=episode_comment(script),
        sections=sections, duration_ms=duration_ms, cover=cover.data, cover_mime=_mime(cover.file_name),
    )  # fmt: skip
    with atomic_output(mp3_path) as partial:
        kept = (earlier.gain_db, earlier.ceiling_dbtp) if earlier else None
        mastered = encode_verified(buffer, layout.cuts, workspace, partial, progress, kept)
        write_tags(partial, tags)
        mp3_bytes = partial.stat().st_size
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
        sections=sections,
        extra={
            "build_key": key, "bitrate_kbps": settings.audio.bitrate, "sample_rate": rate,
            "mastering": Levels(speech_lufs, music_db, mastered.gain_db, mastered.ceiling_dbtp).record(settings),
        },
    )  # fmt: skip
    write_timeline(timeline_path, timeline)
    return _report(timeline, script_path, mp3_path, timeline_path, len(utterances), synthesised, reused,
                   time.perf_counter() - started, built=True, segments=(mastered.encoded, mastered.reused))  # fmt: skip


def episode_comment(script: Script) -> str:
    stories = [section.title for section in script.sections if section.kind == "story"]
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


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BriefingError("script not found", path) from None
    except IsADirectoryError:
        raise BriefingError("is a folder, not a script file", path) from None


def _mime(file_name: str) -> str:
    return "image/jpeg" if file_name.lower().endswith((".jpg", ".jpeg")) else "image/png"


def _report(
    timeline: Timeline, script: Path, mp3: Path, timeline_path: Path, utterances: int, synthesised: int,
    reused: int, seconds: float, *, built: bool, segments: tuple[int, int] = (0, 0),
) -> EpisodeReport:  # fmt: skip
    return EpisodeReport(
        slug=timeline.meta.slug, script=str(script), mp3=str(mp3), timeline=str(timeline_path),
        engine=timeline.engine, voice=timeline.voice, duration_ms=timeline.duration_ms,
        integrated_lufs=round(timeline.integrated_lufs, 2), true_peak_dbtp=round(timeline.true_peak_dbtp, 2),
        mp3_bytes=timeline.mp3_bytes, utterances=utterances, synthesised=synthesised, reused=reused,
        segments_encoded=segments[0], segments_reused=segments[1], seconds=round(seconds, 2), built=built,
    )  # fmt: skip


__all__ = ["EngineChoice", "EpisodeReport", "Progress", "build_episode", "scripts_to_build"]
