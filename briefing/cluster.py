"""A batch built on a Dask distributed cluster (`--scheduler tcp://HOST:PORT`, or `[cluster] scheduler`).

Workers need only briefing installed: the client ships each build its inputs as bytes (`briefing.task`), the show's
once per worker, and writes what comes back into the workspace. Each episode's missing clips are synthesised first,
in tasks of their own (each text once per batch; spread over every worker when the cluster has more threads than
the batch has episodes: one long episode, say), and its build then finds every clip cached. A worker lost mid-task
is Dask's to survive: the scheduler runs the task again elsewhere. Needs the optional `cluster` extra.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.build import EpisodePlan
from briefing.errors import BriefingError
from briefing.progress import Progress, no_progress
from briefing.settings import Workspace
from briefing.task import (
    EpisodeOutcome,
    EpisodeResult,
    EpisodeTask,
    Line,
    ShowBundle,
    SpeechTask,
    TaskFailure,
    clip_name,
    missing_lines,
    pack_episode,
    pack_show,
    read_entries,
    run_episode_task,
    speech_entries,
    spoken_texts,
    store_result,
)

TOPIC = "briefing-progress"  # the workers' progress reports, as Dask events
CONNECT_TIMEOUT = "15s"
CHUNK_MIN = 8  # utterances: a smaller chunk costs more in shipping than it saves in synthesis
REPORTS_PER_SECOND = 4  # per task, from a worker
SPREAD_STEP = "synthesis over the cluster"  # an episode's progress step: (chunks synthesised, chunks)

if TYPE_CHECKING:  # distributed is an optional extra, imported when a batch goes to a cluster
    from distributed import Client, Future, Worker

    Chunks = list[Future[dict[str, bytes]]]  # chunks of synthesised clips, as cache entries


def connect(address: str) -> Client:
    """A client of the scheduler at `address`, or one sentence saying why there is none."""
    try:
        from distributed import Client
    except ImportError:
        raise BriefingError(
            "building on a Dask cluster needs dask and distributed: pip install 'briefing[cluster]'"
        ) from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise BriefingError(f"cannot reach the Dask scheduler at {address} ({error})") from None


def build_on_cluster(
    workspace: Workspace, plans: Sequence[EpisodePlan], address: str, *, progress: Progress = no_progress,
    finished: Callable[[EpisodeOutcome], EpisodeOutcome] = lambda outcome: outcome,
) -> list[EpisodeOutcome]:  # fmt: skip
    """Build the planned episodes on the cluster at `address`; returns their outcomes as they finish."""
    if not plans:
        return []
    client = connect(address)
    batch = uuid.uuid4().hex[:12]
    lock = threading.Lock()

    def on_event(event: tuple[float, object]) -> None:
        message = event[1]
        if isinstance(message, dict) and message.get("batch") == batch:
            with lock:
                progress(message["step"], message["done"], message["total"])

    def report(step: str, done: int, total: int) -> None:
        with lock:
            progress(step, done, total)

    client.subscribe_topic(TOPIC, on_event)
    try:
        run = ClusterRun(client, workspace, batch, len(plans), report)
        return [finished(outcome) for outcome in run.outcomes(plans)]
    finally:
        client.unsubscribe_topic(TOPIC)
        client.close()


class ClusterRun:
    """One batch on a cluster, a few episodes in flight per worker thread (so that neither the client nor the
    workers hold the whole batch's inputs at once), each in three steps:

    1. what it says, worked out on a worker (`spoken_texts`);
    2. its clips: those the workspace has cached are shipped with it; the missing ones are synthesised in tasks of
       their own, each text once for the whole batch (an engine may say a text a few samples differently each time,
       and every episode must use the one clip the cache keeps), in chunks over every worker when the batch has
       fewer episodes than the cluster has threads;
    3. its build, with every clip cached (`_build_on_worker`), written back into the workspace when it is done.
    """

    def __init__(
        self, client: Client, workspace: Workspace, batch: str, episodes: int, progress: Progress = no_progress
    ):
        self.client, self.workspace, self.batch, self.progress = client, workspace, batch, progress
        self.show, self.origins = pack_show(workspace)
        # A task whose result is the show, not scattered data: a worker that fetched it from another and then died
        # loses nothing, and if every copy is lost the scheduler runs the task again. Each worker fetches it once.
        self.shipped_show = client.submit(_the_show, self.show, pure=False, key=f"show-{batch}")
        self.slots = worker_slots(client.nthreads())
        self.threads = max(1, len(self.slots))
        self.spread = episodes < self.threads  # workers would be idle: spread each episode's synthesis over them
        # clip (its cache entry's name) → the future of the chunk synthesising it
        self.speaking: dict[str, Future[dict[str, bytes]]] = {}
        self.spoken_by: dict[Path, list[str]] = {}  # script → the clips its chunks synthesise

    def outcomes(self, plans: Sequence[EpisodePlan]) -> Iterator[EpisodeOutcome]:
        from distributed import as_completed

        waiting = deque(plans)
        running = as_completed(loop=self.client.loop)
        roles: dict[Future[Any], tuple[str, EpisodePlan, EpisodeTask]] = {}  # future → (what, plan, task)

        def start() -> None:
            plan = waiting.popleft()
            task = pack_episode(plan)
            future = self.client.submit(spoken_texts, self.shipped_show, task, pure=False,
                                        key=f"texts-{task.slug}-{self.batch}")  # fmt: skip
            roles[future] = ("texts", plan, task)
            running.add(future)

        for _ in range(min(2 * self.threads, len(waiting))):
            start()
        for future in running:
            role, plan, task = roles.pop(future)
            said = future.result() if role == "texts" and future.status == "finished" else None
            if isinstance(said, list):
                task, own, shared = self.clips_for(plan, task, said)
                build = self.client.submit(_build_on_worker, self.shipped_show, task, self.batch, own, shared,
                                           pure=False, key=f"build-{task.slug}-{self.batch}")  # fmt: skip
                roles[build] = ("build", plan, task)
                running.add(build)
            else:
                yield outcome_of(self.workspace, self.origins, plan, future)
                for name in self.spoken_by.pop(plan.script_path, []):
                    self.speaking.pop(name, None)  # in the workspace's cache now, or lost with the episode
                if waiting:
                    start()
            future.release()

    def clips_for(self, plan: EpisodePlan, task: EpisodeTask, said: list[Line]) -> tuple[EpisodeTask, Chunks, Chunks]:
        """The task with every clip of `said` that the workspace has cached; the futures of the chunks that
        synthesise its other clips for it, and of those that synthesise some of them for other episodes."""
        cast, workspace = plan.cast, self.workspace
        names = {line: clip_name(workspace, cast, line) for line in dict.fromkeys(said)}
        cached = read_entries(workspace, [workspace.cache_dir / name for name in names.values()])
        task = dataclasses.replace(task, cache={**task.cache, **cached})
        missing = missing_lines(workspace, cast, said, task.cache)
        shared = list({id(future): future for line in missing if (future := self.speaking.get(names[line]))}.values())
        mine = [line for line in missing if names[line] not in self.speaking]
        if not mine:
            return task, [], shared
        parts = self.threads if self.spread and len(mine) >= 2 * CHUNK_MIN else 1
        size = max(CHUNK_MIN, -(-len(mine) // parts))
        own: Chunks = []
        for speaker in dict.fromkeys(speaker for speaker, _ in mine):  # a chunk speaks for one presenter
            texts = [text for who, text in mine if who == speaker]
            for at in range(0, len(texts), size):
                part = SpeechTask(cast.name, plan.script.meta.voice, speaker, tuple(texts[at : at + size]))
                # Spread: each chunk asks for a thread of its own, else the scheduler would keep them all beside the
                # show's data; a chunk whose worker is gone runs elsewhere.
                where = [self.slots[len(own) % len(self.slots)]] if parts > 1 and self.slots else None
                future = self.client.submit(speech_entries, self.shipped_show, part, pure=False, workers=where,
                                            allow_other_workers=where is not None,
                                            key=f"speech-{task.slug}-{len(own)}-{self.batch}")  # fmt: skip
                own.append(future)
                for text in part.texts:
                    self.speaking[names[(speaker, text)]] = future
        self.spoken_by[plan.script_path] = [names[line] for line in mine]
        if len(own) > 1:
            self.follow(f"{task.slug}: {SPREAD_STEP}", own)
        return task, own, shared

    def follow(self, step: str, futures: Chunks) -> None:
        """Report `step` as the futures finish: (finished, all)."""
        done = [0]
        self.progress(step, 0, len(futures))

        def one_more(_future: Future[dict[str, bytes]]) -> None:
            done[0] += 1
            self.progress(step, done[0], len(futures))

        for future in futures:
            future.add_done_callback(one_more)


def worker_slots(threads: dict[str, int]) -> list[str]:
    """The workers' addresses, one per thread, taking each worker in turn: [A, B, A, B] for two of two threads."""
    slots = []
    for turn in range(max(threads.values(), default=0)):
        slots += [address for address, count in sorted(threads.items()) if count > turn]
    return slots


def outcome_of(
    workspace: Workspace, origins: dict[str, Path], plan: EpisodePlan, future: Future[Any]
) -> EpisodeOutcome:
    """The outcome of one build future: its result written into the workspace, or why there is none."""
    path = plan.script_path
    if future.status in ("cancelled", "lost"):
        return EpisodeOutcome(path, error=f"{path}: the cluster lost its build ({future.status})", bad_input=False)
    if future.status != "finished":
        error = future.exception()
        if type(error).__name__ == "KilledWorker":
            return EpisodeOutcome(path, error=f"{path}: the workers building it died ({error})", bad_input=False)
        return EpisodeOutcome(path, error=f"{path}: {type(error).__name__} on a worker: {error}", bad_input=False)
    result = future.result()
    if isinstance(result, TaskFailure):
        return EpisodeOutcome.refused(path, result.error(workspace, origins))
    try:
        return EpisodeOutcome(path, report=store_result(workspace, plan, result))
    except BriefingError as error:
        return EpisodeOutcome(path, error=str(error), bad_input=False)


# ------------------------------------------------------------------------------------------------------ workers


def _the_show(show: ShowBundle) -> ShowBundle:
    """On a worker: the show, as every task of the batch reads it."""
    return show


def _build_on_worker(
    show: ShowBundle, task: EpisodeTask, batch: str, own: list[dict[str, bytes]], shared: list[dict[str, bytes]]
) -> EpisodeResult | TaskFailure:
    """On a worker: the episode built in a folder of the worker's own, its clips all cached — those synthesised for
    it (`own`, which go back to the client with the entries the build made) and for other episodes (`shared`)."""
    from distributed import get_worker

    worker = get_worker()
    synthesised = {name: data for entries in own for name, data in entries.items()}
    others = {name: data for entries in shared for name, data in entries.items()}
    task = dataclasses.replace(task, cache={**others, **task.cache, **synthesised})
    result = run_episode_task(
        show, task, progress=_worker_progress(worker, batch, task.slug), workdir=worker.local_directory
    )
    if isinstance(result, EpisodeResult) and synthesised:
        # Spoken for this build in tasks of their own: the report counts them, and the client gets them.
        report = dataclasses.replace(result.report, synthesised=result.report.synthesised + len(synthesised),
                                     reused=result.report.reused - len(synthesised))  # fmt: skip
        result = dataclasses.replace(result, report=report, cache={**synthesised, **result.cache})
    return result


def _worker_progress(worker: Worker, batch: str, slug: str) -> Progress:
    last = [0.0]

    def report(step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= 1 / REPORTS_PER_SECOND:
            last[0] = now
            worker.log_event(TOPIC, {"batch": batch, "step": f"{slug}: {step}", "done": done, "total": total})

    return report
