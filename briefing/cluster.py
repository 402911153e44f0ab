"""A batch built on a Dask distributed cluster (`--scheduler tcp://HOST:PORT`, or `[cluster] scheduler`).

Workers need only briefing installed: the client ships each build its inputs as bytes (`briefing.task`), the show's
once per worker, and writes what comes back into the workspace. When the cluster has more worker threads than the
batch has episodes (one long episode, say), each episode's synthesis is first spread over the workers in chunks,
and its build then finds every clip cached. A worker lost mid-task is Dask's to survive: the scheduler runs the
task again elsewhere. Needs the optional `cluster` extra (dask and distributed).
"""

from __future__ import annotations

import dataclasses
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence

from briefing.build import EpisodePlan
from briefing.errors import BriefingError
from briefing.progress import Progress, no_progress
from briefing.settings import Workspace
from briefing.speech.cache import ClipCache
from briefing.task import (
    EpisodeOutcome,
    EpisodeResult,
    EpisodeTask,
    ShowBundle,
    SpeechTask,
    TaskFailure,
    missing_texts,
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


def connect(address: str):  # -> distributed.Client
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

    def on_event(event: tuple[float, dict]) -> None:
        message = event[1]
        if isinstance(message, dict) and message.get("batch") == batch:
            with lock:
                progress(message["step"], message["done"], message["total"])

    client.subscribe_topic(TOPIC, on_event)
    try:
        run = ClusterRun(client, workspace, batch, len(plans))
        return [finished(outcome) for outcome in run.outcomes(plans)]
    finally:
        client.unsubscribe_topic(TOPIC)
        client.close()


class ClusterRun:
    """One batch on a cluster: a few episodes in flight per worker thread (so neither the client nor the workers
    hold the whole batch's inputs at once), each packed when its turn comes and written back when it is done."""

    def __init__(self, client, workspace: Workspace, batch: str, episodes: int):
        self.client, self.workspace, self.batch = client, workspace, batch
        self.show = pack_show(workspace)
        self.shipped_show = client.scatter(self.show, broadcast=True, hash=False)  # once to each worker
        self.threads = max(1, sum(client.nthreads().values()))
        self.spread = episodes < self.threads  # workers would be idle: spread each episode's synthesis over them
        self.warm = any(ClipCache.of(workspace).folder.glob("*/*"))  # clips that a new episode may find cached

    def outcomes(self, plans: Sequence[EpisodePlan]) -> Iterator[EpisodeOutcome]:
        from distributed import as_completed

        waiting = deque(plans)
        running = as_completed(loop=self.client.loop)
        roles: dict = {}  # future → (what it computes, plan, task)

        def start() -> None:
            plan = waiting.popleft()
            task = pack_episode(self.workspace, plan)
            if self.spread or (plan.existing is None and self.warm):
                # What it will say, first: the clips of it already cached are shipped, the rest maybe spread.
                future = self.client.submit(spoken_texts, self.shipped_show, task, pure=False,
                                            key=f"texts-{task.slug}-{self.batch}")  # fmt: skip
                roles[future] = ("texts", plan, task)
            else:
                future = self.submit_build(task, [])
                roles[future] = ("build", plan, task)
            running.add(future)

        for _ in range(min(2 * self.threads, len(waiting))):
            start()
        for future in running:
            role, plan, task = roles.pop(future)
            if role == "texts":
                said = future.result() if future.status == "finished" else None
                task, spread = self.prepared(plan, task, said)
                build = self.submit_build(task, spread)
                roles[build] = ("build", plan, task)
                running.add(build)
            else:
                yield outcome_of(self.workspace, self.show, plan, future)
                if waiting:
                    start()
            future.release()

    def submit_build(self, task: EpisodeTask, spread: list):
        return self.client.submit(_build_on_worker, self.shipped_show, task, self.batch, spread, pure=False,
                                  key=f"build-{task.slug}-{self.batch}")  # fmt: skip

    def prepared(self, plan: EpisodePlan, task: EpisodeTask, said: list[str] | TaskFailure | None):
        """The task with every clip of `said` that the workspace has cached, and the futures of the missing ones
        synthesised in chunks over the workers (when spreading)."""
        if not isinstance(said, list):
            return task, []  # the build will say what is wrong
        cache = ClipCache.of(self.workspace)
        identity = plan.engine.identity()
        cached = read_entries(self.workspace, [cache.path(identity, text) for text in dict.fromkeys(said)])
        task = dataclasses.replace(task, cache={**task.cache, **cached})
        missing = missing_texts(self.workspace, plan.engine, said, task.cache)
        if not self.spread or len(missing) < 2 * CHUNK_MIN:
            return task, []  # not worth spreading
        chunk = max(CHUNK_MIN, -(-len(missing) // self.threads))
        speech = [
            self.client.submit(speech_entries, self.shipped_show, SpeechTask(plan.engine.name, plan.engine.voice,
                               tuple(missing[at : at + chunk])), pure=False)
            for at in range(0, len(missing), chunk)
        ]  # fmt: skip
        return task, speech


def outcome_of(workspace: Workspace, show: ShowBundle, plan: EpisodePlan, future) -> EpisodeOutcome:
    """The outcome of one build future: its result written into the workspace, or why there is none."""
    path = plan.script_path
    if future.status != "finished":
        error = future.exception()
        if type(error).__name__ == "KilledWorker":
            return EpisodeOutcome(path, error=f"{path}: the workers building it died ({error})", bad_input=False)
        return EpisodeOutcome(path, error=f"{path}: {type(error).__name__} on a worker: {error}", bad_input=False)
    result = future.result()
    if isinstance(result, TaskFailure):
        return EpisodeOutcome(path, error=str(result.error(workspace, show)))
    try:
        return EpisodeOutcome(path, report=store_result(workspace, plan, result))
    except BriefingError as error:
        return EpisodeOutcome(path, error=str(error), bad_input=False)


# ------------------------------------------------------------------------------------------------------ workers


def _build_on_worker(
    show: ShowBundle, task: EpisodeTask, batch: str, spread: list[dict[str, bytes]]
) -> EpisodeResult | TaskFailure:
    """On a worker: the episode built in a folder of the worker's own, with the clips synthesised for it elsewhere
    in its cache; they go back to the client with the entries the build made."""
    from distributed import get_worker

    worker = get_worker()
    synthesised = {name: data for entries in spread for name, data in entries.items()}
    if synthesised:
        task = dataclasses.replace(task, cache={**task.cache, **synthesised})
    result = run_episode_task(
        show, task, progress=_worker_progress(worker, batch, task.slug), workdir=worker.local_directory
    )
    if isinstance(result, EpisodeResult) and synthesised:
        result = dataclasses.replace(result, cache={**synthesised, **result.cache})
    return result


def _worker_progress(worker, batch: str, slug: str) -> Progress:
    last = [0.0]

    def report(step: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done in (0, total) or now - last[0] >= 1 / REPORTS_PER_SECOND:
            last[0] = now
            worker.log_event(TOPIC, {"batch": batch, "step": f"{slug}: {step}", "done": done, "total": total})

    return report
