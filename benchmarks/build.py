"""`briefing build` speed and memory on a long issue with espeak-ng, against a baseline measured in the same run.

The issue is the real seed (../shared/seeds/) where it is present, else the project's own ten-story issue
(issues/asia-tech-brief-002.txt); the output names which. Under CI (`CI=true`) a missing seed is an error.
Baseline: the issue's whole spoken text in ONE espeak call plus ONE MP3 encode of audio as long as the episode
(the least work an episode can cost). Then, each in its own process (so peak memory is that build's alone):
a cold build (no speech or MP3 segment cache, no earlier episode), a rebuild after a one-sentence edit (the
earlier episode and both caches there), and a cold build of a 4× longer issue.
Times are measured inside each process around the work itself (imports excluded, alike for all).
Run: .venv/bin/python benchmarks/build.py
"""

from __future__ import annotations

import dataclasses
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # which long issue to measure

import numpy as np  # noqa: E402
from support.requirements import long_issue  # noqa: E402

from briefing.settings import find_workspace  # noqa: E402

RATE = 44100
LONGER = ("첫째", "둘째", "셋째")  # words that make each repeat of a story's sentences new text


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kB


# ------------------------------------------------------------------------------------------ child processes


def child_build(root: Path, script: Path) -> dict:
    from briefing.build import build_episode

    workspace = find_workspace(root)
    stages: dict[str, float] = {}
    started = time.perf_counter()

    def progress(stage: str, _done: int, _total: int) -> None:
        stages.setdefault(stage, time.perf_counter() - started)

    report = build_episode(workspace, script, engine="espeak", progress=progress, force=True)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "stages": stages, "report": dataclasses.asdict(report), "peak_mb": peak_memory_mb()}


def child_baseline(root: Path, script: Path, episode_ms: int) -> dict:
    """One espeak call on the whole spoken text, one MP3 encode of the episode's length of that speech."""
    from support.plain_mp3 import encode_mp3

    from briefing import analyser
    from briefing.mix.assemble import to_rate
    from briefing.script import load_script
    from briefing.speech.engines import make_engine
    from briefing.speech.lexicon import load_lexicon
    from briefing.speech.utterances import script_utterances

    workspace = find_workspace(root)
    texts = [
        u.spoken
        for u in script_utterances(load_script(script), load_lexicon(workspace.path(workspace.settings.lexicon)))
    ]
    analyser.release()  # as a build does: nothing of the text analysis is left to weigh on the timed work
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
    return {"seconds": synthesis + encode, "synthesis": synthesis, "encode": encode,
            "speech_s": len(clip.samples) / clip.sample_rate, "peak_mb": peak_memory_mb()}  # fmt: skip


def child_text(root: Path, script: Path) -> dict:
    """Only the script's text analysis (utterance splitting), to attribute the build's peak memory."""
    from briefing.script import load_script
    from briefing.speech.lexicon import load_lexicon
    from briefing.speech.utterances import script_utterances

    workspace = find_workspace(root)
    started = time.perf_counter()
    script_utterances(load_script(script), load_lexicon(workspace.path(workspace.settings.lexicon)))
    return {"seconds": time.perf_counter() - started, "peak_mb": peak_memory_mb()}


def run_child(*args: str) -> dict:
    result = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"benchmark step {args[0]} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------------- set-up


def make_show(folder: Path, issue: Path) -> tuple[Path, Path, Path]:
    """A copy of the example show with the issue's script and a 4× longer one; returns (root, script, longer)."""
    from briefing.ingest import read_issue
    from briefing.models import Chapter
    from briefing.script import make_script, render_script, write_script

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

    stories = [s for s in script.chapters if s.kind == "story"]
    repeats = [
        Chapter(kind="story", title=f"{s.title} {word}", sources=s.sources,
                paragraphs=tuple(p.replace("니다.", f"니다, {word}.") for p in s.paragraphs))
        for word in LONGER for s in stories
    ]  # fmt: skip
    chapters = (script.chapters[0], *stories, *repeats, script.chapters[-1])
    meta = dataclasses.replace(script.meta, slug=script.meta.slug + "-x4", guid=script.meta.guid + "-x4")
    longer = root / "scripts" / f"{meta.slug}.md"
    longer.write_text(render_script(dataclasses.replace(script, meta=meta, chapters=chapters)), encoding="utf-8")
    return root, written, longer


def edit_one_sentence(script: Path, timeline: Path) -> None:
    from briefing.timeline import read_timeline

    text = script.read_text(encoding="utf-8")
    chapters = read_timeline(timeline).chapters
    sentence = next(u.written for u in chapters[2].utterances if len(u.written) < 60 and text.count(u.written) == 1)
    script.write_text(text.replace(sentence, "오늘 " + sentence), encoding="utf-8")


def best(runs: list[dict]) -> dict:
    """The fastest run: the machine's other load only ever adds time."""
    return min(runs, key=lambda run: run["seconds"])


def from_scratch(root: Path) -> None:
    """No speech or MP3 segment cache and no earlier episode (whose gain a rebuild would start from)."""
    for folder in (root / ".cache", root / "audio" / "episodes"):
        shutil.rmtree(folder, ignore_errors=True)
    (root / "audio" / "episodes").mkdir(parents=True)


def main(repeats: int = 5) -> None:
    issue, label = long_issue()
    with tempfile.TemporaryDirectory() as folder:
        root, script, longer = make_show(Path(folder), issue)
        episode_ms = run_child("build", str(root), str(script))["report"]["duration_ms"]
        # Baseline and cold build take turns, so that a busy moment of the machine falls on both alike.
        baselines, colds = [], []
        for _ in range(repeats):
            baselines.append(run_child("baseline", str(root), str(script), str(episode_ms)))
            from_scratch(root)
            colds.append(run_child("build", str(root), str(script)))
        baseline = best(baselines)
        cold = best(colds)
        edits = []
        for _ in range(repeats):
            edit_one_sentence(script, root / "audio" / "episodes" / f"{cold['report']['slug']}.json")
            edits.append(run_child("build", str(root), str(script)))
        edited = best(edits)
        from_scratch(root)
        large = run_child("build", str(root), str(longer))
        text = run_child("text", str(root), str(script))

    print(f"issue: {label}")
    print(f"best of {repeats} runs each, baseline and cold build taking turns (the 4× issue: one run)")
    report = cold["report"]
    print(f"episode: {episode_ms / 60000:.1f} min, {report['utterances']} utterances, "
          f"{report['integrated_lufs']} LUFS, {report['true_peak_dbtp']} dBTP, "
          f"{report['mp3_bytes'] / 1e6:.1f} MB")  # fmt: skip
    print(f"baseline (1 espeak call + 1 encode): {baseline['seconds']:6.2f} s "
          f"(synthesis {baseline['synthesis']:.2f} s, encode {baseline['encode']:.2f} s)")  # fmt: skip
    print(f"cold build:                          {cold['seconds']:6.2f} s = "
          f"{cold['seconds'] / baseline['seconds']:.2f}× baseline (target ≤ 1.5×); "
          f"stages start at {_stages(cold)}")  # fmt: skip
    print(f"rebuild after a one-sentence edit:   {edited['seconds']:6.2f} s = "
          f"{edited['seconds'] / cold['seconds']:.2f}× cold (target ≤ 0.6×); "
          f"synthesised {edited['report']['synthesised']}, reused {edited['report']['reused']}; "
          f"MP3 segments encoded {edited['report']['segments_encoded']}, reused {edited['report']['segments_reused']} "
          f"(cold: {cold['report']['segments_encoded']} encoded)")  # fmt: skip
    print(f"peak memory: cold {cold['peak_mb']:.0f} MB, rebuild {edited['peak_mb']:.0f} MB (target ≤ 500 MB); "
          f"baseline process {baseline['peak_mb']:.0f} MB; text analysis alone (Kiwi) {text['peak_mb']:.0f} MB "
          f"and {text['seconds']:.1f} s")  # fmt: skip
    length_ratio = large["report"]["duration_ms"] / episode_ms
    time_ratio = large["seconds"] / cold["seconds"]
    print(f"4× longer issue: {large['report']['duration_ms'] / 60000:.1f} min ({length_ratio:.2f}× the audio) "
          f"built cold in {large['seconds']:.2f} s = {time_ratio:.2f}× the issue's time "
          f"({time_ratio / length_ratio:.2f}× per minute of audio; 1.00 is linear), "
          f"peak memory {large['peak_mb']:.0f} MB")  # fmt: skip


def _stages(run: dict) -> str:
    return ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in run["stages"].items())


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "build":
        print(json.dumps(child_build(Path(sys.argv[2]), Path(sys.argv[3]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "text":
        print(json.dumps(child_text(Path(sys.argv[2]), Path(sys.argv[3]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "baseline":
        print(json.dumps(child_baseline(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
