"""`briefing build` speed and memory with espeak-ng, against a baseline measured in the same run.

The issue is the real seed (../shared/seeds/) where it is present, else the project's own ten-story issue
(issues/asia-tech-brief-002.txt); the output names which. Under CI (`CI=true`) a missing seed is an error. Longer
issues are made from it: every story told again with its sentences made new text, 4× and 12× as long (about an
hour and three hours).

- Baseline: the issue's whole spoken text in ONE espeak call plus ONE MP3 encode of audio as long as the episode
  (the least work an episode can cost), timed around those two calls alone.
- Cold build: the whole `briefing build` command as a user runs it, in a new process (interpreter start-up,
  imports and model loading included), with no speech or MP3 segment cache and no earlier episode. Baseline and
  cold build take turns, so that a busy moment of the machine falls on both alike; best and median of N. These
  runs are timed alone: sampling a process's memory from /proc takes CPU the build would otherwise have (on two
  cores, enough to slow it by a tenth), so memory is sampled in runs of its own.
- Rebuild after a one-sentence edit: the whole command again, the earlier episode and both caches there.
- Peak memory: every process of a build at once (the build, its text-analysis process, its encoders; their
  proportional set sizes, so a page two of them share counts once), sampled from /proc every 10 ms, and the
  largest single process's own peak RSS (getrusage) — for the issue and its 4× and 12× longer versions, built cold.

Run: .venv/bin/python benchmarks/build.py [repeats]
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # which long issue to measure, and the plain MP3 encoder of the baseline

import numpy as np  # noqa: E402
from support.requirements import long_issue  # noqa: E402

from briefing.settings import find_workspace  # noqa: E402

RATE = 44100
# Words that make each retelling of a story new text (and so new speech): 11 retellings make a 12× issue.
RETELLINGS = ("첫째", "둘째", "셋째", "넷째", "다섯째", "여섯째", "일곱째", "여덟째", "아홉째", "열째", "열한째")
SAMPLE_EVERY_S = 0.01


# ------------------------------------------------------------------------------------------------ measuring


@dataclasses.dataclass
class Run:
    seconds: float
    peak_mb: float  # every process of the build at once, sampled
    largest_mb: float  # the largest single process's own peak
    report: dict


def process_tree(pid: int) -> list[tuple[int, int | None]]:
    """`pid` and every process below it, each with its parent (children are listed per thread: a pool thread
    starts the encoders)."""
    found: list[tuple[int, int | None]] = []
    todo: list[tuple[int, int | None]] = [(pid, None)]
    while todo:
        current, parent = todo.pop()
        found.append((current, parent))
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend((int(child), current) for child in children.read().split())
        except OSError:
            continue  # it ended meanwhile
    return found


def command_line(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as line:
            return line.read()
    except OSError:
        return b""


def tree_memory_bytes(pid: int) -> int:
    """The memory `pid` and the processes below it hold, each shared page counted once (the sum of their PSS).

    A child that has not yet run its own program is left out: Python starts programs with vfork, and until the
    exec such a child shares its parent's whole address space (its PSS is its parent's, counted twice if summed).
    Its command line is read before its memory, so a child counted has already become its own program."""
    total = 0
    for member, parent in process_tree(pid):
        if parent is not None and command_line(member) == command_line(parent):
            continue  # vforked, not yet exec'd
        try:
            with open(f"/proc/{member}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) * 1024
        except (OSError, StopIteration, ValueError):
            continue  # it ended meanwhile
    return total


def run_build(root: Path, script: Path, *, force: bool = False, sample: bool = True) -> Run:
    """`briefing build --engine espeak SCRIPT --json` in a new process, timed from start to exit, its memory
    sampled meanwhile (unless not to `sample`: then only the largest process's own peak is known)."""
    command = [sys.executable, "-m", "briefing", "build", "--engine", "espeak", "--json", str(script)]
    command += ["--force"] if force else []
    peak = 0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample_memory() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory_bytes(process.pid))
            time.sleep(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample_memory, daemon=True)
    if sample:
        sampler.start()
    outputs: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda name=name, pipe=pipe: outputs.__setitem__(name, pipe.read()))
               for name, pipe in (("out", process.stdout), ("err", process.stderr))]  # fmt: skip
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)  # its usage includes its own children's (the largest of them all)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    for thread in (*([sampler] if sample else []), *readers):
        thread.join()
    out, err = outputs["out"], outputs["err"]
    if process.returncode != 0:
        sys.exit(f"briefing build failed:\n{err.decode(errors='replace')}")
    largest = usage.ru_maxrss / 1024  # kB on Linux
    (report,) = json.loads(out)
    return Run(seconds, peak / 2**20, largest, report)


def child_baseline(root: Path, script: Path, episode_ms: int) -> dict:
    """One espeak call on the whole spoken text, one MP3 encode of the episode's length of that speech."""
    from support.plain_mp3 import encode_mp3

    from briefing.mix.assemble import to_rate
    from briefing.script import load_script
    from briefing.speech.engines import make_engine
    from briefing.speech.lexicon import load_lexicon
    from briefing.speech.utterances import script_utterances

    workspace = find_workspace(root)
    lexicon = load_lexicon(workspace.path(workspace.settings.lexicon))
    texts = [u.spoken for u in script_utterances(load_script(script), lexicon)]
    engine = make_engine("espeak", workspace.settings.speech)
    engine.synthesize("준비.")  # the voice loaded, as in the build's engine
    started = time.perf_counter()
    clip = engine.synthesize(" ".join(texts))
    synthesis = time.perf_counter() - started
    speech = to_rate(np.asarray(clip.samples), clip.sample_rate, RATE)
    audio = np.resize(speech, episode_ms * RATE // 1000)  # repeated to the episode's length
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        encode_mp3(audio, RATE, workspace.settings.audio.bitrate, Path(folder) / "baseline.mp3")
        encode = time.perf_counter() - started
    return {"seconds": synthesis + encode, "synthesis": synthesis, "encode": encode}


def run_baseline(root: Path, script: Path, episode_ms: int) -> dict:
    args = ["baseline", str(root), str(script), str(episode_ms)]
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"the baseline failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------- set-up


def make_show(folder: Path, issue: Path) -> tuple[Path, Path, dict[int, Path]]:
    """A copy of the example show with the issue's script and longer ones; returns (root, script, {times: script})."""
    from briefing.ingest import read_issue
    from briefing.script import make_script, write_script

    root = folder / "show"
    root.mkdir()
    for name in ("show.toml", "lexicon.toml"):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, root / name)
    for name in ("templates", "audio/music"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    workspace = find_workspace(root)
    script = make_script(read_issue(issue), workspace)
    written = write_script(workspace, script).path
    return root, written, {times: longer_script(root, script, times) for times in (4, 12)}


def longer_script(root: Path, script, times: int) -> Path:
    """The script with every story told `times` times in all, each retelling's sentences made new text."""
    from briefing.models import Chapter
    from briefing.script import render_script

    stories = [s for s in script.chapters if s.kind == "story"]
    retold = [
        Chapter(kind="story", title=f"{s.title} {word}", sources=s.sources,
                paragraphs=tuple(p.replace("니다.", f"니다, {word}.") for p in s.paragraphs))
        for word in RETELLINGS[: times - 1] for s in stories
    ]  # fmt: skip
    chapters = (script.chapters[0], *stories, *retold, script.chapters[-1])
    slug = f"{script.meta.slug}-x{times}"
    meta = dataclasses.replace(script.meta, slug=slug, guid=f"{script.meta.guid}-x{times}")
    path = root / "scripts" / f"{slug}.md"
    path.write_text(render_script(dataclasses.replace(script, meta=meta, chapters=chapters)), encoding="utf-8")
    return path


def edit_one_sentence(script: Path, timeline: Path) -> None:
    from briefing.timeline import read_timeline

    text = script.read_text(encoding="utf-8")
    chapters = read_timeline(timeline).chapters
    sentence = next(u.written for u in chapters[2].utterances if len(u.written) < 60 and text.count(u.written) == 1)
    script.write_text(text.replace(sentence, "오늘 " + sentence), encoding="utf-8")


def from_scratch(root: Path) -> None:
    """No speech or MP3 segment cache and no earlier episode (whose gain a rebuild would start from)."""
    for folder in (root / ".cache", root / "audio" / "episodes"):
        shutil.rmtree(folder, ignore_errors=True)
    (root / "audio" / "episodes").mkdir(parents=True)


# -------------------------------------------------------------------------------------------------- report


def main(repeats: int) -> None:
    issue, label = long_issue()
    with tempfile.TemporaryDirectory() as folder:
        root, script, longer = make_show(Path(folder), issue)
        episode_ms = run_build(root, script).report["duration_ms"]
        baselines, colds = [], []
        for _ in range(repeats):
            baselines.append(run_baseline(root, script, episode_ms))
            from_scratch(root)
            colds.append(run_build(root, script, sample=False))
        cold = min(colds, key=lambda run: run.seconds)
        edits = []
        for _ in range(repeats):
            edit_one_sentence(script, root / "audio" / "episodes" / f"{cold.report['slug']}.json")
            edits.append(run_build(root, script, sample=False))
        edit_one_sentence(script, root / "audio" / "episodes" / f"{cold.report['slug']}.json")
        edited_memory = run_build(root, script)
        from_scratch(root)
        cold_memory = run_build(root, script)
        long_runs = {}
        for times, path in longer.items():
            from_scratch(root)
            long_runs[times] = run_build(root, path)

    baseline = min(baselines, key=lambda run: run["seconds"])
    ratios = [c.seconds / b["seconds"] for b, c in zip(baselines, colds, strict=True)]
    edited = min(edits, key=lambda run: run.seconds)
    report = cold.report
    print(f"issue: {label}; load average before {os.getloadavg()[0]:.2f} (1 min)")
    print(f"best of {repeats} runs each, baseline and cold build taking turns; the longer issues one run each")
    print(f"episode: {episode_ms / 60000:.1f} min, {report['utterances']} utterances, {report['integrated_lufs']} "
          f"LUFS, {report['true_peak_dbtp']} dBTP, {report['mp3_bytes'] / 1e6:.1f} MB")  # fmt: skip
    print(f"baseline (1 espeak call + 1 encode): {baseline['seconds']:6.2f} s "
          f"(synthesis {baseline['synthesis']:.2f} s, encode {baseline['encode']:.2f} s)")  # fmt: skip
    print(f"cold build, the whole command:       {cold.seconds:6.2f} s = {cold.seconds / baseline['seconds']:.2f}× "
          f"the best baseline (target ≤ 1.5×); run by run {min(ratios):.2f}× best, "
          f"{statistics.median(ratios):.2f}× median ({', '.join(f'{r:.2f}' for r in ratios)})")  # fmt: skip
    print(f"rebuild after a one-sentence edit:   {edited.seconds:6.2f} s = {edited.seconds / cold.seconds:.2f}× cold "
          f"(target ≤ 0.6×); synthesised {edited.report['synthesised']}, reused {edited.report['reused']}; "
          f"MP3 segments encoded {edited.report['segments_encoded']} of "
          f"{edited.report['segments_encoded'] + edited.report['segments_reused']}")  # fmt: skip
    print("peak memory, every process of a build at once (largest single process in brackets), target ≤ 500 MB:")
    rows = [("issue", cold_memory), ("rebuild", edited_memory), *((f"{t}× issue", run) for t, run in long_runs.items())]
    for name, run in rows:
        minutes = run.report["duration_ms"] / 60000
        print(f"  {name:10s} {minutes:6.1f} min  {run.peak_mb:5.0f} MB ({run.largest_mb:.0f} MB)  built in "
              f"{run.seconds:6.1f} s = {run.seconds / minutes:.2f} s per minute of audio")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "baseline":
        print(json.dumps(child_baseline(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
