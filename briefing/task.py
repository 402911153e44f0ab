"""An episode's build as a task that needs nothing but what it is given, so that it can run anywhere the package is
installed: the show's inputs and one script go in as bytes, the MP3, the timeline and the new cache entries come back.

The client packs a task (`pack_show`, `pack_episode`), a worker runs it in a private folder of its own
(`run_episode_task`) with the very function a local build uses (`briefing.build.make_episode`), and the client writes
what comes back into the workspace (`store_result`). The worker never sees the workspace: no shared file system.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefing import __version__
from briefing.build import EpisodePlan, EpisodeReport, make_episode, plan_episode, speech_settings
from briefing.errors import BriefingError
from briefing.fsutil import atomic_create_bytes, atomic_write_bytes
from briefing.mix.beds import music_paths
from briefing.progress import Progress, no_progress
from briefing.settings import Music, ShowSettings, Workspace
from briefing.speech.cache import ClipCache
from briefing.speech.cast import Cast, make_cast
from briefing.speech.engines.base import nothing_to_say
from briefing.speech.lexicon import load_lexicon
from briefing.speech.synthesis import synthesize_voices
from briefing.speech.utterances import script_utterances
from briefing.timeline import timeline_from_dict
from briefing.userfile import read_user_file

# A cache entry as it travels: its path under the workspace's .cache/ (store, fan-out folder, key and suffix).
CACHE_ENTRY = re.compile(r"(?:speech/[0-9a-f]{2}/[0-9a-f]{64}\.clip|mp3/[0-9a-f]{2}/[0-9a-f]{64}\.frames)")
LEXICON_NAME = "lexicon.toml"

Status = Literal["built", "up to date", "failed"]


@functools.cache
def environment() -> dict[str, str]:
    """What besides the inputs decides an episode's bytes: a worker with other versions would build other bytes."""
    # The audio stack is imported only here, when a task is made or run: a local build imports it beside its text
    # analysis (see `briefing.build.make_episode`), not before it.
    from briefing.mix.segments import encoder_version

    return {"briefing": __version__, "encoder": encoder_version()}


@dataclass(frozen=True)
class ShowBundle:
    """The show as a build reads it: its settings, with the music, cover and lexicon renamed to private names, and
    those files' bytes. Shipped to each worker once per batch."""

    settings: ShowSettings
    files: dict[str, bytes]  # private name → content


@dataclass(frozen=True)
class EpisodeTask:
    """One episode's build: its script, the engine (decided by the client: `auto` probes once per batch), the build
    key the client worked out, the episode built before (whose levels an edit keeps) and the cache entries it can
    reuse."""

    slug: str
    script_name: str
    script: bytes
    engine: str
    reason: str  # why `auto` chose the engine: the timeline records it
    key: str
    day: dt.date  # the MP3's date tag, from the show's ledger of publications (which the worker does not get)
    previous: bytes | None
    cache: dict[str, bytes]  # path under .cache/ → entry, as stored (checksums included)
    environment: dict[str, str]


@dataclass(frozen=True)
class EpisodeResult:
    """What a task made: the report, the MP3, the timeline and the cache entries it wrote that it was not given."""

    report: EpisodeReport
    mp3: bytes
    timeline: bytes
    cache: dict[str, bytes]


@dataclass(frozen=True)
class TaskFailure:
    """A task refused its input: the sentence, and the file it names as a path inside the workspace."""

    message: str
    path: str | None
    line: int | None

    def error(self, workspace: Workspace, origins: dict[str, Path]) -> BriefingError:
        """The error, naming the file in the workspace that the worker's copy stood for (see `pack_show`)."""
        if self.path is None:
            return BriefingError(self.message)
        return BriefingError(self.message, origins.get(self.path) or workspace.root / self.path, self.line)


@dataclass(frozen=True)
class SpeechTask:
    """Some of an episode's utterances for one presenter, synthesised on their own before its build (each text once
    per batch; a long episode's spread over the workers)."""

    engine: str
    lead_voice: str | None  # the script's own voice for the lead, as its cast has it
    speaker: str | None  # the presenter (None: the show's one unnamed presenter)
    texts: tuple[str, ...]


@dataclass(frozen=True)
class EpisodeOutcome:
    """What became of one script of the batch: its report, or the sentence saying why it failed."""

    script: Path
    report: EpisodeReport | None = None
    error: str | None = None
    bad_input: bool = True  # False: something other than the input failed (a lost worker, a fault in briefing)
    cause: tuple[str, str | None, int | None] | None = None  # the refusal's message, file (as named) and line

    @classmethod
    def refused(cls, script: Path, error: BriefingError) -> EpisodeOutcome:
        """The outcome of a script whose input was refused, keeping the error's parts for the printer."""
        named = str(error.place or error.path) if error.path is not None else None
        return cls(script, error=str(error), cause=(error.message, named, error.line))

    def refusal(self) -> BriefingError | None:
        """The refusal as an error again (None: the episode did not fail on its input)."""
        return BriefingError(*self.cause) if self.cause is not None else None

    @property
    def status(self) -> Status:
        if self.report is None:
            return "failed"
        return "built" if self.report.built else "up to date"

    @property
    def slug(self) -> str:
        return self.report.slug if self.report else self.script.stem


# ------------------------------------------------------------------------------------------------------ client


def pack_show(workspace: Workspace) -> tuple[ShowBundle, dict[str, Path]]:
    """The show's settings and the files a build reads (music, cover, lexicon), under private names; and, kept by
    the client, which file of the workspace each private name stands for."""
    settings = workspace.settings
    files: dict[str, bytes] = {}
    origins: dict[str, Path] = {}

    def ship(name: str, path: Path, what: str, hint: str = "") -> Path:
        files[name], origins[name] = read_user_file(path, what, hint=hint), path
        return Path(name)

    music = {
        name: ship(f"music/{name}{path.suffix}", path, f"{name} music file", " (see [music] in show.toml)")
        for name, path in music_paths(workspace).items()
    }
    update: dict[str, Path | Music] = {
        "music": Music(**music),
        "lexicon": Path(LEXICON_NAME),
        "templates": Path("templates"),
    }
    lexicon = workspace.path(settings.lexicon)
    if lexicon.is_file():
        ship(LEXICON_NAME, lexicon, "the pronunciation lexicon")
    if settings.cover is not None:
        cover = workspace.path(settings.cover)
        update["cover"] = ship("cover" + cover.suffix, cover, "cover image")
    return ShowBundle(settings=settings.model_copy(update=update), files=files), origins


def read_entries(workspace: Workspace, files: Iterator[Path] | Sequence[Path]) -> dict[str, bytes]:
    """The cache files among `files` that exist, by their path under .cache/."""
    entries = {}
    for path in files:
        try:
            entries[path.relative_to(workspace.cache_dir).as_posix()] = path.read_bytes()
        except FileNotFoundError:
            continue
    return entries


def pack_episode(plan: EpisodePlan, cache: dict[str, bytes] | None = None) -> EpisodeTask:
    """One episode's task, with the cache entries `cache` (by their path under .cache/) that it can reuse."""
    previous = plan.timeline.read_bytes() if plan.existing is not None else None
    return EpisodeTask(
        slug=plan.script.meta.slug,
        script_name=plan.script_path.name,
        script=plan.script_bytes,
        engine=plan.cast.name,
        reason=plan.cast.reason,
        key=plan.key,
        day=plan.day,
        previous=previous,
        cache=cache or {},
        environment=environment(),
    )


def store_result(workspace: Workspace, plan: EpisodePlan, result: EpisodeResult) -> EpisodeReport:
    """Write what a task made into the workspace: the new cache entries, the MP3, then the timeline (each
    atomically, the timeline last, as a local build does); returns the report with the workspace's paths."""
    store_entries(workspace, result.cache)
    atomic_write_bytes(plan.mp3, result.mp3)
    atomic_write_bytes(plan.timeline, result.timeline)
    return dataclasses.replace(
        result.report, script=str(plan.script_path), mp3=str(plan.mp3), timeline=str(plan.timeline)
    )


def store_entries(workspace: Workspace, entries: dict[str, bytes]) -> None:
    """Cache entries from a worker, written as they came unless the cache has them already (as a clip cache keeps
    the first clip of a text); a name that is not a cache entry's is refused."""
    for name, data in entries.items():
        if not CACHE_ENTRY.fullmatch(name):
            raise BriefingError(f"a worker sent back '{name}', which is not a cache entry")
        atomic_create_bytes(workspace.cache_dir / name, data)


# ------------------------------------------------------------------------------------------------------ worker


def run_episode_task(
    show: ShowBundle, task: EpisodeTask, *, progress: Progress = no_progress, workdir: str | None = None
) -> EpisodeResult | TaskFailure:
    """Build one episode from what the task carries, in a private folder (removed afterwards) under `workdir`
    (default: the system's temporary folder); a refused input comes back as a TaskFailure."""
    check_environment(task.environment)
    with private_workspace(show, workdir) as workspace:
        try:
            return build_in(workspace, task, progress)
        except BriefingError as error:
            return failure(error, workspace)


def build_in(workspace: Workspace, task: EpisodeTask, progress: Progress) -> EpisodeResult:
    script_path = workspace.scripts_dir / task.script_name
    script_path.parent.mkdir(parents=True)
    script_path.write_bytes(task.script)
    for name, data in task.cache.items():
        if CACHE_ENTRY.fullmatch(name):
            path = workspace.cache_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    plan = planned_with(workspace, script_path, task.engine, task.reason)
    if plan.key != task.key:
        raise BriefingError(
            f"this worker would build {task.slug} from other inputs than the client (another version of briefing or "
            "of the speech engine?); install the same versions on the workers"
        )
    plan = dataclasses.replace(plan, day=task.day)
    if task.previous is not None:
        plan = dataclasses.replace(plan, existing=timeline_from_dict(json.loads(task.previous)))
    report = make_episode(workspace, plan, progress=progress)
    new = {name: data for name, data in cache_files(workspace).items() if name not in task.cache}
    return EpisodeResult(report=report, mp3=plan.mp3.read_bytes(), timeline=plan.timeline.read_bytes(), cache=new)


def planned_with(workspace: Workspace, script_path: Path, engine: str, reason: str) -> EpisodePlan:
    """The episode planned on the engine the client chose, with the reason it gave (which the timeline records)."""
    plan = plan_episode(workspace, script_path, engine)
    return dataclasses.replace(plan, cast=dataclasses.replace(plan.cast, reason=reason))


Line = tuple[str | None, str]  # what a build says: the speaker (None: the unnamed presenter) and the spoken text


def spoken_texts(show: ShowBundle, task: EpisodeTask, *, workdir: str | None = None) -> list[Line] | TaskFailure:
    """What the episode's build will say, utterance by utterance and by whom (the analysis the build makes)."""
    check_environment(task.environment)
    with private_workspace(show, workdir) as workspace:
        try:
            path = workspace.scripts_dir / task.script_name
            path.parent.mkdir(parents=True)
            path.write_bytes(task.script)
            plan = plan_episode(workspace, path, task.engine)
            lexicon = load_lexicon(workspace.path(workspace.settings.lexicon))
            utterances = script_utterances(plan.script, lexicon, lead=plan.cast.lead_name)
            return [(utterance.speaker, utterance.spoken) for utterance in utterances]
        except BriefingError as error:
            return failure(error, workspace)


def speech_entries(show: ShowBundle, task: SpeechTask, *, workdir: str | None = None) -> dict[str, bytes]:
    """Some utterances synthesised and returned as cache entries, for a build that then finds them cached."""
    with private_workspace(show, workdir) as workspace:
        cast = make_cast(task.engine, speech_settings(workspace), workspace.settings.presenters,
                         lead_voice=task.lead_voice)  # fmt: skip  # as `EngineChoice.for_script` makes it
        voice = cast.engine_for(task.speaker)
        synthesize_voices([(voice, text) for text in task.texts], ClipCache.of(workspace))
        return cache_files(workspace)


def missing_lines(workspace: Workspace, cast: Cast, lines: Sequence[Line], shipped: dict[str, bytes]) -> list[Line]:
    """The distinct lines that need synthesising: not silence, not in the workspace's cache or among the entries
    already shipped."""
    missing = []
    for line in dict.fromkeys(lines):
        if not nothing_to_say(line[1]) and clip_name(workspace, cast, line) not in shipped:
            if not (workspace.cache_dir / clip_name(workspace, cast, line)).is_file():
                missing.append(line)
    return missing


def clip_name(workspace: Workspace, cast: Cast, line: Line) -> str:
    """Where the line's clip is kept, under .cache/."""
    speaker, text = line
    path = ClipCache.of(workspace).path(cast.engine_for(speaker).identity(), text)
    return path.relative_to(workspace.cache_dir).as_posix()


def check_environment(wanted: dict[str, str]) -> None:
    if wanted != environment():
        theirs = ", ".join(f"{name} {value}" for name, value in sorted(wanted.items()))
        ours = ", ".join(f"{name} {value}" for name, value in sorted(environment().items()))
        raise BriefingError(
            f"this worker has {ours} and the client {theirs}: its episodes would not be byte-identical; "
            "install the same versions on the workers"
        )


@contextlib.contextmanager
def private_workspace(show: ShowBundle, workdir: str | None = None) -> Iterator[Workspace]:
    """A workspace of the task's own, laid out from the show's bundle in a temporary folder that is removed after."""
    root = Path(tempfile.mkdtemp(prefix="briefing-task-", dir=workdir))
    try:
        for name, data in show.files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield Workspace(root=root, settings=show.settings)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def cache_files(workspace: Workspace) -> dict[str, bytes]:
    """Every entry in the workspace's caches, by its path under .cache/ (temporary files left out)."""
    folder = workspace.cache_dir
    if not folder.is_dir():
        return {}
    return {
        name: path.read_bytes()
        for path in sorted(folder.glob("*/*/*"))
        if CACHE_ENTRY.fullmatch(name := path.relative_to(folder).as_posix())
    }


def failure(error: BriefingError, workspace: Workspace) -> TaskFailure:
    """The error as the client shows it: a file inside the private workspace named by its place in the show's."""
    path = None
    if error.path is not None:
        try:
            path = error.path.relative_to(workspace.root).as_posix()
        except ValueError:
            path = None
    message = error.message.replace(str(workspace.root) + "/", "")
    return TaskFailure(message, path, error.line)
