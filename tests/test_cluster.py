"""Episodes built on a Dask cluster: workers get only what the client ships, and the episodes come back byte for
byte what a build here makes — from a LocalCluster of two worker processes, and from a scheduler and two workers
started as separate processes with `dask scheduler` / `dask worker`, one of them killed during the run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.batch_shows import copy_show, episode_files, issue_text

from briefing.batch import build_batch
from briefing.settings import find_workspace

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def local_cluster():
    """Two worker processes of one thread each on 127.0.0.1, closed after the module's tests."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def scripts_of(root: Path) -> list[Path]:
    return sorted((root / "scripts").glob("*.md"))


def test_a_local_cluster_builds_what_a_build_here_makes(built_batch, tmp_path, local_cluster):
    root = copy_show(built_batch, tmp_path / "show")  # the clips are cached: the client ships them

    result = build_batch(find_workspace(root), scripts_of(root), engine="espeak", scheduler=local_cluster)

    assert [outcome.status for outcome in result.outcomes] == ["built"] * 3, result.outcomes
    assert result.where == f"on the Dask cluster at {local_cluster}"
    assert episode_files(root) == episode_files(built_batch)


def test_a_cold_cluster_build_sends_back_the_clips_it_spoke(built_batch, tmp_path, local_cluster):
    root = copy_show(built_batch, tmp_path / "show", cache=False)
    show = find_workspace(root)

    on_cluster = build_batch(show, scripts_of(root), engine="espeak", scheduler=local_cluster)
    assert [outcome.status for outcome in on_cluster.outcomes] == ["built"] * 3, on_cluster.outcomes
    made = episode_files(root)

    # Built again here from the clips that came back: nothing to speak, and the very same bytes.
    here = build_batch(show, scripts_of(root), engine="espeak", force=True, jobs=1)
    assert [outcome.report.synthesised for outcome in here.outcomes] == [0, 0, 0]
    assert episode_files(root) == made
    assert build_batch(show, scripts_of(root), engine="espeak").count("up to date") == 3


def test_one_long_episode_has_its_synthesis_spread_over_the_workers(tmp_path, local_cluster):
    from support.batch_shows import show_with_scripts

    root = tmp_path / "show"
    (script,) = show_with_scripts(root, (9,))
    (root / "issues" / "small-009.txt").write_text(issue_text(9, "2026년 10월 9일", 3, 6), encoding="utf-8")
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script

    show = find_workspace(root)
    write_script(show, make_script(read_issue(root / "issues" / "small-009.txt"), show), force=True)
    seen: list[tuple[str, int, int]] = []
    with distributed.Client(local_cluster, set_as_default=False) as watcher:
        watcher.get_task_stream()  # the scheduler records which worker ran each task from now on
        started = time.time()

        result = build_batch(show, [script], engine="espeak", scheduler=local_cluster,
                             progress=lambda step, done, total: seen.append((step, done, total)))  # fmt: skip

        stream = watcher.get_task_stream(start=started)

    (outcome,) = result.outcomes
    assert outcome.status == "built", outcome.error
    chunks = [(done, total) for step, done, total in seen if step == "asia-tech-brief-009: synthesis over the cluster"]
    assert chunks and chunks[-1][0] == chunks[-1][1] >= 2  # every chunk came back
    assert outcome.report.synthesised >= 16
    speakers = {task["worker"] for task in stream if str(task["key"]).startswith("speech-asia-tech-brief-009-")}
    assert len(speakers) == 2, stream  # both workers spoke some of its utterances
    made = episode_files(root)
    again = build_batch(show, [script], engine="espeak", force=True, jobs=1)
    assert again.outcomes[0].report.synthesised == 0 and episode_files(root) == made


def test_show_toml_names_the_cluster_and_jobs_keep_a_build_here(built_batch, tmp_path, local_cluster, monkeypatch,
                                                                capsys):  # fmt: skip
    from briefing.cli import main

    root = copy_show(built_batch, tmp_path / "show")
    toml = root / "show.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(
        text.replace('# scheduler = "tcp://10.0.0.5:8786"', f'scheduler = "{local_cluster}"'), encoding="utf-8"
    )
    monkeypatch.chdir(root)

    def build(*args: str) -> str:
        monkeypatch.setattr(sys, "argv", ["briefing", "build", "--engine", "espeak", *args])
        with pytest.raises(SystemExit) as exited:
            main()
        out = " ".join(capsys.readouterr().out.split())
        assert exited.value.code == 0, out
        return out

    assert f"3 episodes on the Dask cluster at {local_cluster}: 3 built" in build()
    assert episode_files(root) == episode_files(built_batch)
    assert "3 episodes in this process: 3 built" in build("--force", "--jobs", "1")
    assert episode_files(root) == episode_files(built_batch)


def test_worker_slots_take_each_worker_in_turn():
    from briefing.cluster import worker_slots

    assert worker_slots({"tcp://b:1": 2, "tcp://a:1": 1}) == ["tcp://a:1", "tcp://b:1", "tcp://b:1"]
    assert worker_slots({}) == []


# ------------------------------------------------------------------------------ scheduler and workers by hand


def dask_command(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("dask")
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "dask", *args]


@pytest.fixture
def dask_processes(tmp_path_factory):
    """A `dask scheduler` and two `dask worker` processes (one thread each, no nanny: killing one kills it) on
    127.0.0.1, working in a folder of their own; all of them stopped after the test."""
    home = tmp_path_factory.mktemp("dask-cluster")
    scheduler_file = home / "scheduler.json"
    started: list[subprocess.Popen] = []

    def start(*args: str, name: str) -> subprocess.Popen:
        log = open(home / f"{name}.log", "wb")  # noqa: SIM115  # closed with the process
        process = subprocess.Popen(dask_command(*args), cwd=home, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
        log.close()
        started.append(process)
        return process

    try:
        start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file",
              str(scheduler_file), name="scheduler")  # fmt: skip
        for number in (1, 2):
            start("worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--no-nanny",
                  "--no-dashboard", "--host", "127.0.0.1", "--local-directory", str(home / f"worker-{number}"),
                  name=f"worker-{number}")  # fmt: skip
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            assert time.monotonic() < deadline, (home / "scheduler.log").read_text()
            time.sleep(0.2)
        client = distributed.Client(scheduler_file=str(scheduler_file), timeout="30s")
        client.wait_for_workers(2, timeout=60)
        yield client, home
        client.close()
    finally:
        for process in started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def test_dask_workers_started_by_hand_survive_one_killed_mid_build(built_batch, tmp_path, dask_processes):
    client, home = dask_processes
    root = copy_show(built_batch, tmp_path / "show")
    address = client.scheduler.address
    pids = client.run(os.getpid)  # worker address → its process
    build = subprocess.Popen([sys.executable, "-m", "briefing", "build", "--engine", "espeak", "--scheduler", address],
                             cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    killed = None
    try:
        deadline = time.monotonic() + 300
        while killed is None and build.poll() is None and time.monotonic() < deadline:
            for worker, keys in client.processing().items():
                if any(str(key).startswith("build-") for key in keys):
                    os.kill(pids[worker], signal.SIGKILL)  # mid-build
                    killed = worker
                    break
            time.sleep(0.05)
        out, err = build.communicate(timeout=600)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()

    assert killed is not None, "no build was seen running"
    assert build.returncode == 0, err
    assert f"3 episodes on the Dask cluster at {address}: 3 built, 0 up to date, 0 failed" in out
    assert episode_files(root) == episode_files(built_batch)
    (survivor,) = client.scheduler_info()["workers"].values()  # it did the killed one's work
    folder = Path(survivor["local_directory"])
    assert folder.is_relative_to(home) and not list(folder.glob("briefing-task-*"))  # its task folders are gone


# ------------------------------------------------------------------------------------------------- bad input


def test_a_scheduler_nobody_runs_is_one_sentence_and_exit_2(built_batch, tmp_path, monkeypatch, capsys):
    import socket

    from briefing import cluster
    from briefing.cli import main

    root = copy_show(built_batch, tmp_path / "show")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "2s")
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "argv", ["briefing", "build", "--engine", "espeak", "--scheduler",
                                      f"tcp://127.0.0.1:{port}"])  # fmt: skip
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in error and "Traceback" not in error
    assert episode_files(root) == {}


@pytest.mark.parametrize(
    ("args", "toml", "words"),
    [
        (["--scheduler", "10.0.0.5:8786"], "", ["--scheduler '10.0.0.5:8786'", "tcp://"]),
        (["--jobs", "0"], "", ["--jobs must be at least 1"]),
        ([], 'scheduler = "10.0.0.5"', ["show.toml", "cluster.scheduler", "Dask scheduler address"]),
    ],
)
def test_a_wrong_scheduler_or_jobs_is_refused(built_batch, tmp_path, monkeypatch, capsys, args, toml, words):
    from briefing.cli import main

    root = copy_show(built_batch, tmp_path / "show")
    text = (root / "show.toml").read_text(encoding="utf-8")
    if toml:  # in place of the commented example in the show's [cluster] table
        assert '# scheduler = "tcp://10.0.0.5:8786"' in text
        text = text.replace('# scheduler = "tcp://10.0.0.5:8786"', toml)
    (root / "show.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setattr(sys, "argv", ["briefing", "build", "--engine", "espeak", *args])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    error = " ".join(capsys.readouterr().err.split())
    assert all(word in error for word in words), error
    assert episode_files(root) == {}
