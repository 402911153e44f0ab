"""Building an episode: script → speech → mix → mastering → tagged MP3 + timeline JSON, skipped when up to date.

`build_episode` does it for one script, with the voices `EngineChoice` picks for each build (one engine, a voice per
presenter); `briefing build` and `briefing run` call it. The stages do the work; this module decides what to build
and records how it was built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any, TypeGuard

from briefing import __version__
from briefing.errors import BriefingError, os_error
from briefing.filestore import FileStore
from briefing.fsutil import atomic_output, leftover_patterns, remove_leftovers
from briefing.mix.beds import EpisodeBeds, music_paths
from briefing.mix.tags import MAX_CHAPTERS, EpisodeTags, write_tags
from briefing.models import BuildRecord, Script, ScriptMeta, Speaker, Timeline
from briefing.progress import Progress, no_progress
from briefing.publish.cover import Cover, cover_for
from briefing.publish.dates import expected_day
from briefing.publish.ledger import ledger_path, read_ledger
from briefing.script import parse_script, script_files
from briefing.settings import AUTO_ENGINE, Speech, Workspace, settings_error
from briefing.speech.background import BackgroundUtterances
from briefing.speech.cast import Cast, CastProblem, make_cast
from briefing.speech.engines import Decision, Engine, decide_engine
from briefing.speech.lexicon import LEXICON, load_lexicon
from briefing.timeline import describes, file_sha256, read_timeline, write_timeline
from briefing.userfile import AUDIO_LIMIT, read_user_file, user_file_digest, user_text

# Bump when the mix itself changes (layout, levels, limiter), so every episode is rebuilt once.
MIX_VERSION = 4


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
    synthesised_chapters: tuple[str, ...] = ()  # titles of the chapters with sentences synthesised by this build
    repaired: int = 0  # damaged cache entries (speech clips, MP3 segments) found, removed and made again

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def speech_settings(workspace: Workspace) -> Speech:
    """The show's `[speech]` settings with its paths made absolute (a model folder is relative to the show)."""
    speech = workspace.settings.speech
    if speech.model_dir is not None:
        speech = speech.model_copy(update={"model_dir": workspace.path(speech.model_dir)})
    return speech


class EngineChoice:
    """The voices for each script of one build: the engine is `--engine`, else the script's own, else the show's;
    every presenter of the show speaks with their voice on it (the script's `voice` replaces the lead's).

    `auto` is decided once per build (one probe per engine at most), so every episode of a build uses the same engine.
    """

    def __init__(
        self, workspace: Workspace, override: str | None = None, *, auto: Callable[[], Decision | Engine] | None = None
    ):
        self.workspace = workspace
        self.speech = speech_settings(workspace)
        self.presenters = workspace.settings.presenters
        self.override = None if override in (None, "") else override
        count = len(self.presenters)
        self._auto = auto or (lambda: decide_engine(self.speech, AUTO_ENGINE, presenters=count))
        self._decision: Decision | None = None
        self._casts: dict[tuple[str, str | None], Cast] = {}

    def auto_decision(self) -> Decision:
        if self._decision is None:
            decided = self._auto()
            self._decision = Decision(decided.name, getattr(decided, "reason", ""))
        return self._decision

    def auto_name(self) -> str:
        return self.auto_decision().name

    @property
    def reason(self) -> str:
        """Why `auto` chose its engine, once it has ("" until then, and when an engine was named)."""
        return self._decision.reason if self._decision else ""

    def for_script(self, meta: ScriptMeta, script_path: Path | None = None) -> Cast:
        """The cast for a script; a voice the engine lacks is an error naming show.toml's line or the script."""
        name, reason = self.override or meta.engine or self.speech.engine, ""
        if name == AUTO_ENGINE:
            name, reason = self.auto_decision().name, self.auto_decision().reason
        key = (name, meta.voice)
        if key not in self._casts:
            try:
                cast = make_cast(name, self.speech, self.presenters, lead_voice=meta.voice, reason=reason)
            except CastProblem as problem:
                if problem.loc is None:
                    message = f"front matter field 'voice': {problem.message}"
                    raise BriefingError(message, script_path, _front_matter_line(script_path, "voice")) from None
                raise settings_error(self.workspace, problem.message, problem.loc) from None
            self._casts[key] = cast
        return self._casts[key]


def _front_matter_line(path: Path | None, name: str) -> int | None:
    """The line of a script's front matter that sets `name`, if the script can be read and has one."""
    try:
        lines = path.read_text(encoding="utf-8-sig").split("\n") if path else []
    except (OSError, UnicodeDecodeError):
        return None
    return next((number for number, line in enumerate(lines, 1) if line.startswith(f"{name}:")), None)


# ---------------------------------------------------------------------------------------------------- inputs


def episode_paths(workspace: Workspace, slug: str) -> tuple[Path, Path]:
    return workspace.episodes_dir / f"{slug}.mp3", workspace.episodes_dir / f"{slug}.json"


def music_digests(workspace: Workspace) -> tuple[str, ...]:
    """A hash of each of the show's music files, for the build key."""
    hint = " (see [music] in show.toml)"
    digests = []
    for name, path in music_paths(workspace).items():
        digest = hashlib.sha256()
        user_file_digest(path, f"{name} music file", digest, hint=hint, limit=AUDIO_LIMIT)
        digests.append(digest.hexdigest())
    return tuple(digests)


def checked_script(path: Path, data: bytes, presenters: Sequence[str] = ()) -> Script:
    """The script in `data` (the bytes of `path`), refused when it has nothing to build or a speaker mark names
    someone who is not one of `presenters`."""
    script = parse_script(user_text(data, path, "script"), path, presenters)
    if not script.chapters:
        raise BriefingError("the script has no chapters ('## ' headings); nothing to build", path)
    if len(script.chapters) > MAX_CHAPTERS:
        raise BriefingError(
            f"the script has {len(script.chapters)} chapters, more than the {MAX_CHAPTERS} an MP3's chapter table "
            "holds; merge some stories ('## ' headings)",
            path,
        )
    return script


def voices_identity(voices: Engine | Cast) -> dict[str, Any]:
    """What the voices add to the build key: the engine's identity for one unnamed presenter (as before presenters
    existed, so such episodes stay up to date), else each presenter's name and voice."""
    cast = voices if isinstance(voices, Cast) else Cast.solo(voices)
    if cast.lead_name is None:
        return cast.lead.identity()
    return {"presenters": [{"name": role.name, "voice": role.engine.identity()} for role in cast.roles]}


def build_key(
    script_bytes: bytes, workspace: Workspace, engine: Engine | Cast, music: Sequence[str], cover: bytes
) -> str:
    """A hash of everything the MP3 depends on; an episode whose timeline carries the same key is up to date.

    `music` holds the music files' digests. The lexicon is hashed as a file, so the check needs no text analysis.
    """
    settings = workspace.settings
    lexicon = workspace.path(settings.lexicon)
    material = {
        "mix": MIX_VERSION,
        "briefing": __version__,  # a release may say things differently (normaliser, splitter): rebuild
        "script": hashlib.sha256(script_bytes).hexdigest(),
        "lexicon": hashlib.sha256(read_user_file(lexicon, LEXICON)).hexdigest() if lexicon.exists() else None,
        "audio": settings.audio.model_dump(mode="json"),
        "show": [settings.title, settings.author, settings.description],
        "engine": voices_identity(engine),
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


@dataclass(frozen=True)
class ShowInputs:
    """What every episode of a show is built from besides its script: the cover and the music files' digests.

    A batch reads them once for all its episodes."""

    cover: Cover
    music: tuple[str, ...]


def show_inputs(workspace: Workspace) -> ShowInputs:
    return ShowInputs(cover=cover_for(workspace), music=music_digests(workspace))


@dataclass(frozen=True)
class EpisodePlan:
    """One episode before it is built: its script, its voices, its build key, where it goes and what is there now.

    Made from the script alone (no text analysis), so deciding what is up to date is cheap."""

    script_path: Path
    script_bytes: bytes
    script: Script
    cast: Cast
    key: str
    cover: Cover
    mp3: Path
    timeline: Path
    existing: Timeline | None  # the episode built before, whose levels an edited episode keeps
    day: dt.date  # the MP3's date tag: the publication day the show's ledger gives (a worker has no ledger)

    @property
    def up_to_date(self) -> bool:
        # ... and its MP3 is the one its timeline records (a build stopped between the two is built again)
        return up_to_date(self.existing, self.key) and describes(self.existing, self.mp3)


def plan_episode(
    workspace: Workspace, script_path: Path, engine: Engine | Cast | EngineChoice | str | None = None,
    show: ShowInputs | None = None,
) -> EpisodePlan:  # fmt: skip
    """Read and check one script and everything its episode is built from, and work out its build key.

    Everything that can be wrong with the input (script, music, lexicon, cover) is found here, before anything is
    written."""
    script_bytes = read_user_file(script_path, "script")
    script = checked_script(script_path, script_bytes, [p.name for p in workspace.settings.presenters])
    show = show or show_inputs(workspace)
    chosen = cast_for(workspace, script.meta, engine, script_path)
    key = build_key(script_bytes, workspace, chosen, show.music, show.cover.data)
    mp3_path, timeline_path = episode_paths(workspace, script.meta.slug)
    existing = stored_timeline(mp3_path, timeline_path)
    day = tag_day(workspace, script.meta)
    return EpisodePlan(
        script_path, script_bytes, script, chosen, key, show.cover, mp3_path, timeline_path, existing, day
    )


def build_episode(
    workspace: Workspace,
    script_path: Path,
    *,
    engine: Engine | Cast | EngineChoice | str | None = None,
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
    plan = plan_episode(workspace, script_path, engine)
    clear_leftovers(workspace, plan)
    if not force and plan.up_to_date:
        return skipped_report(plan, time.perf_counter() - started)
    return make_episode(workspace, plan, progress=progress, started=started)


def clear_leftovers(workspace: Workspace, plan: EpisodePlan, *, caches: bool = True) -> None:
    """Remove what killed builds left: the episode's files under temporary names and (with `caches`) cache entries
    half written. Only while nothing is building."""
    remove_leftovers(workspace.episodes_dir, leftover_patterns(plan.mp3) + leftover_patterns(plan.timeline))
    if caches:
        for cache in ("speech", "mp3"):
            FileStore(workspace.cache_dir / cache).sweep()


def skipped_report(plan: EpisodePlan, seconds: float) -> EpisodeReport:
    """The report of an episode left as it is, being up to date."""
    existing = plan.existing
    assert existing is not None  # up to date: there is one
    count = sum(len(chapter.utterances) for chapter in existing.chapters)
    return _report(existing, plan.script_path, plan.mp3, plan.timeline, count, 0, count, seconds, built=False)


def make_episode(
    workspace: Workspace, plan: EpisodePlan, *, progress: Progress = no_progress, started: float | None = None
) -> EpisodeReport:
    """Build the planned episode into `plan.mp3` and `plan.timeline`: speech, mix, mastering, tags, timeline.

    The one way an episode is made: `build_episode` calls it in the show's own workspace, and a batch's workers
    in a private workspace laid out from the inputs shipped to them (see `briefing.task`), so both give the same
    bytes. The MP3 and the timeline are each written atomically, the timeline last.
    """
    started = time.perf_counter() if started is None else started
    settings = workspace.settings
    rate = settings.audio.sample_rate
    script, script_path, chosen, existing, cover = plan.script, plan.script_path, plan.cast, plan.existing, plan.cover
    mp3_path, timeline_path, key = plan.mp3, plan.timeline, plan.key

    writable_folder(mp3_path.parent)  # refused now, not after minutes of synthesis and encoding
    lexicon = load_lexicon(workspace.path(settings.lexicon))
    _release_analysers()  # e.g. the full one that made the script: the text is analysed in a process of its own
    from briefing.mix.mixdown import SpeechUnderWay
    from briefing.speech.cache import ClipCache

    # The audio stack imports, and the music decodes, in a thread of its own while the text is analysed (in its own
    # process) and then spoken (the engine lets go of the interpreter while it speaks).
    with (
        BackgroundUtterances(script, lexicon, lead=chosen.lead_name) as pending,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="audio-stack") as loader,
    ):
        stack = loader.submit(_audio_stack, workspace)
        utterances = pending.result()
        if not utterances:
            raise BriefingError("the script's chapters have nothing to say; nothing to build", script_path)
        lines = [(chosen.engine_for(u.speaker), u.spoken) for u in utterances]
        speaking = SpeechUnderWay(lines, ClipCache.of(workspace), rate, progress)
        try:
            episode, beds = stack.result()
        except BaseException:  # e.g. music that does not decode: nothing more is spoken for a build that failed
            speaking.stop()
            raise

    earlier = existing.build.mastering if existing and existing.build else None
    with atomic_output(mp3_path) as partial:
        made = episode.make_episode_audio(workspace, script, utterances, speaking, beds, earlier, partial, progress)
        tags = EpisodeTags(
            meta=replace(script.meta, date=plan.day), show=settings.title,
            author=settings.author, comment=episode_comment(script), chapters=made.chapters,
            duration_ms=made.duration_ms, cover=cover.data, cover_mime=_mime(cover.file_name),
        )  # fmt: skip
        write_tags(partial, tags)
        mp3_bytes, mp3_sha256 = partial.stat().st_size, file_sha256(partial)
    mastered, chapters, duration_ms = made.mastered, made.chapters, made.duration_ms
    synthesised = made.synthesised
    reused = len(utterances) - synthesised
    fresh_chapters = sorted({utterances[position].chapter for position in made.fresh})
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
            mastering=made.mastering,
            engine_reason=chosen.reason or None,
        ),
        mp3_sha256=mp3_sha256,
        presenters=tuple(Speaker(role.name, role.engine.voice) for role in chosen.roles if role.name is not None),
    )
    write_timeline(timeline_path, timeline)
    seconds = time.perf_counter() - started
    report = _report(timeline, script_path, mp3_path, timeline_path, len(utterances), synthesised, reused, seconds,
                     built=True, segments=(mastered.encoded, mastered.reused), repaired=made.repaired)  # fmt: skip
    return replace(report, synthesised_chapters=tuple(script.chapters[index].title for index in fresh_chapters))


def _audio_stack(workspace: Workspace) -> tuple[ModuleType, EpisodeBeds]:
    """The mix's module (numpy's and scipy's signal processing: most of a second to import) and the show's music."""
    from briefing.mix import episode

    return episode, episode.load_beds(workspace)


# Between the story titles in the ID3 comment: a chapter title may hold commas and middle dots itself.
COMMENT_SEPARATOR = " / "


def _release_analysers() -> None:
    """Let go of an analyser this process loaded earlier, without loading Kiwi's library to find out."""
    if (loaded := sys.modules.get("briefing.analyser")) is not None:
        loaded.release()


def writable_folder(folder: Path) -> None:
    """Refuse, in one sentence, a folder the episode could not be written into (made when missing)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as error:
        raise os_error(error, folder, "cannot write in this folder") from None


def tag_day(workspace: Workspace, meta: ScriptMeta) -> dt.date:
    """The date the MP3's tag carries: the episode's publication day (see `briefing.publish.dates`)."""
    ledger = read_ledger(ledger_path(workspace.root))
    return expected_day(meta, ledger, dt.datetime.now(dt.UTC), workspace.settings.zone)


def episode_comment(script: Script) -> str:
    """The ID3 comment: the episode's title, then its stories' titles ("테크 소식 — 애플, 베타 공개 / 쇼피, …")."""
    stories = [chapter.title for chapter in script.chapters if chapter.kind == "story"]
    return f"{script.meta.title} — " + COMMENT_SEPARATOR.join(stories) if stories else script.meta.title


def scripts_to_build(workspace: Workspace, given: Sequence[Path]) -> list[Path]:
    """The scripts named, or every script in scripts/ (sorted; editors' lock and backup files left out) when none
    is."""
    if given:
        return list(dict.fromkeys(given))
    return script_files(workspace.scripts_dir)


def checked_scripts(workspace: Workspace, paths: Sequence[Path]) -> dict[Path, Script]:
    """Every script read and checked before any is built; two with the same slug (which would build over each
    other's episode) are refused in one sentence naming both."""
    presenters = [presenter.name for presenter in workspace.settings.presenters]
    scripts: dict[Path, Script] = {}
    by_slug: dict[str, Path] = {}
    for path in paths:
        script = checked_script(path, read_user_file(path, "script"), presenters)
        slug = script.meta.slug
        other = by_slug.setdefault(slug, path)
        if other != path:
            raise BriefingError(
                f"has the slug '{slug}', as {other} has: both would build audio/episodes/{slug}.mp3; "
                "give one of them another slug",
                path,
            )
        scripts[path] = script
    return scripts


def cast_for(
    workspace: Workspace, meta: ScriptMeta, engine: Engine | Cast | EngineChoice | str | None, script_path: Path
) -> Cast:
    """The voices for one script: a cast as given; an engine as the only voice of a show without named presenters
    (with presenters, the engine's name is used to give each their voice); else what `EngineChoice` picks."""
    if isinstance(engine, Cast):
        return engine
    if isinstance(engine, Engine):
        if not workspace.settings.presenters:
            return Cast.solo(engine)
        engine = engine.name
    choice = engine if isinstance(engine, EngineChoice) else EngineChoice(workspace, engine)
    return choice.for_script(meta, script_path)


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


__all__ = [
    "EngineChoice", "EpisodePlan", "EpisodeReport", "ShowInputs", "build_episode", "cast_for", "checked_scripts",
    "make_episode", "plan_episode", "clear_leftovers", "scripts_to_build", "show_inputs", "speech_settings",
]  # fmt: skip
