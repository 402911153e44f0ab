"""Eight episodes at once: one local process, two local processes and a two-worker Dask cluster, against the sum
of the same eight episodes built one by one, measured in the same run.

Every configuration starts from a cold show (no speech or MP3 segment cache, no episodes) with the same eight
scripts (issues we write here, three stories each, about a minute and a half of audio), and builds with espeak-ng.
Single builds run one episode each in a show of its own, in this process; the batches go through
`briefing.batch.build_batch` as `briefing build` does (the cluster is started before the clock, its workers warmed
by one task, as a standing cluster would be). Times are wall seconds around the work; the client's CPU seconds
are counted for the cluster. The machine's load is printed before and after: the figures are only as quiet as it.
Run: .venv/bin/python benchmarks/batch.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from briefing.settings import find_workspace  # noqa: E402

EPISODES = 8
WORKERS = 2
NOOP_TASKS = 2000
STORIES = (
    "서울의 로봇 회사 한빛로보가 새 창고 로봇 {n}종을 내놓았습니다. 로봇은 하루 8시간 움직이며 {m}상자를 옮깁니다.",
    "대만의 반도체 회사가 공장을 늘립니다. 투자액은 {n}억 달러로, 새 공장은 {y}년부터 가동됩니다.",
    "싱가포르의 배달 스타트업이 로봇 {m}대를 더 들여옵니다. 비가 오는 날에도 시속 6km로 배달합니다.",
)
MORE = " 이 회사의 {k}번째 계획은 {c}개 도시로 넓히는 것이고, 올해 매출 목표는 {w}억 원입니다."


def issue_text(number: int) -> str:
    lines = [f"[Asia Tech Brief] {number}. 2026년 9월 {number}일 아시아 테크 소식"]
    for index, story in enumerate(STORIES):
        body = story.format(n=number + index, m=number * 7 + index, y=2027 + index)
        body += "".join(MORE.format(k=k + 1, c=number * 3 + k, w=number * 11 + k * 5) for k in range(4))
        lines.append(f"{body} 내용 출처 URL: https://news.example.com/2026/09/{number:02d}/story-{index}")
    return "\n".join(lines) + "\n"


def make_show(root: Path) -> tuple[list[Path], float]:
    """The example show with the eight issues scripted; returns the scripts and the seconds scripting took."""
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script

    root.mkdir(parents=True)
    shutil.copy(REPO / "show.toml", root / "show.toml")
    shutil.copy(REPO / "lexicon.toml", root / "lexicon.toml")
    shutil.copytree(REPO / "audio" / "music", root / "audio" / "music")
    for name in ("issues", "scripts", "audio/episodes"):
        (root / name).mkdir(parents=True, exist_ok=True)
    show = find_workspace(root)
    started = time.perf_counter()
    scripts = []
    for number in range(1, EPISODES + 1):
        issue = root / "issues" / f"issue-{number:03d}.txt"
        issue.write_text(issue_text(number), encoding="utf-8")
        scripts.append(write_script(show, make_script(read_issue(issue), show)).path)
    return scripts, time.perf_counter() - started


def cold_copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".cache", "*.mp3", "*.json"))
    return target


def timed_batch(root: Path, **options) -> tuple[float, float, object]:
    from briefing.batch import build_batch

    show = find_workspace(root)
    scripts = sorted(show.scripts_dir.glob("*.md"))
    wall, cpu = time.perf_counter(), time.process_time()
    result = build_batch(show, scripts, engine="espeak", **options)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    failed = [outcome.error for outcome in result.outcomes if outcome.status != "built"]
    if failed:
        raise SystemExit(f"a build failed: {failed}")
    return wall, cpu, result


def warm_up() -> None:
    import briefing.cluster  # noqa: F401


def noop(value: int) -> int:
    return value


def task_seconds(records: list[dict]) -> dict[str, float]:
    """Compute seconds on the workers by kind of task (texts, speech, build), from Dask's task stream."""
    seconds: dict[str, float] = {}
    for record in records:
        kind = str(record["key"]).split("-", 1)[0]
        for part in record["startstops"]:
            if part["action"] == "compute":
                seconds[kind] = seconds.get(kind, 0.0) + part["stop"] - part["start"]
    return seconds


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def main() -> None:
    from distributed import Client, LocalCluster, get_task_stream

    from briefing.build import build_episode

    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as temporary:
        base = Path(temporary)
        scripts, scripting = make_show(base / "source")

        singles = []
        for number, script in enumerate(scripts):
            root = cold_copy(base / "source", base / f"single-{number}")
            started = time.perf_counter()
            report = build_episode(find_workspace(root), root / "scripts" / script.name, engine="espeak")
            singles.append(time.perf_counter() - started)
            assert report.built
        audio_s = report.duration_ms / 1000
        total = sum(singles)

        one, _, _ = timed_batch(cold_copy(base / "source", base / "jobs-1"), jobs=1)
        two, _, _ = timed_batch(cold_copy(base / "source", base / "jobs-2"), jobs=2)
        with LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:  # fmt: skip
            with Client(cluster.scheduler_address) as client:
                client.run(warm_up)  # the workers import briefing once, as standing ones have
                root = cold_copy(base / "source", base / "cluster")
                with get_task_stream(client) as stream:
                    on_cluster, client_cpu, _ = timed_batch(root, scheduler=cluster.scheduler_address)
                kinds = task_seconds(stream.data)
                started = time.perf_counter()
                client.gather(client.map(noop, range(NOOP_TASKS), pure=False))
                per_task_ms = (time.perf_counter() - started) * 1000 / NOOP_TASKS
            shipped_mb = folder_mb(root / "audio" / "episodes") + folder_mb(root / ".cache")

    n = EPISODES
    print(f"load after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{n} episodes of about {audio_s:.0f} s of audio each, espeak-ng; scripting them took {scripting:.1f} s "
          f"({scripting / n:.2f} s per issue, on the client)")  # fmt: skip
    print(f"sum of single builds       {total:7.1f} s   ({total / n:.1f} s per episode)")
    for label, wall, workers in (("1 local job", one, 1), ("2 local jobs", two, 2),
                                 (f"Dask, {WORKERS} workers", on_cluster, WORKERS)):  # fmt: skip
        overhead = (wall * workers - total) / n
        print(f"{label:<26} {wall:7.1f} s   speed-up {total / wall:4.2f}×   "
              f"overhead {overhead:+5.2f} worker-s per episode")  # fmt: skip
    print("cluster worker seconds by task: " + ", ".join(f"{kind} {seconds:.1f} s ({seconds / n:.2f} per episode)"
                                                         for kind, seconds in kinds.items()))  # fmt: skip
    print(f"scheduler: {per_task_ms:.2f} ms per task ({NOOP_TASKS} empty tasks); a batch has 3 tasks per episode "
          "(what it says, its missing clips, its build)")  # fmt: skip
    print(
        f"cluster client: {client_cpu:.1f} CPU s in all, {client_cpu / n:.2f} s per episode; "
        f"{shipped_mb / n:.1f} MB per episode came back (MP3, timeline, clips, MP3 segments)"
    )


if __name__ == "__main__":
    main()
