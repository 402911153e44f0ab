"""Speech synthesis speed on a long issue, for every engine usable on this machine, against an espeak baseline.

The issue is the real seed (../shared/seeds/) where it is present, else the project's own ten-story issue
(issues/asia-tech-brief-002.txt); the output names which. Under CI (`CI=true`) a missing seed is an error.

For each engine (supertonic, edge, gtts, espeak, best first) that is usable here — `auto`'s own check: a model
folder, or a probe answered — prints utterances per second and audio-seconds per wall-second, cold (empty cache) and
warm (all cached), and the cold time against the baseline: the episode's whole spoken text in ONE espeak call (no
splitting, no cache), the least synthesis can cost. An engine that is not usable is listed as not measured, with the
reason. Online engines are measured once (their service is not hammered); offline ones best of several runs.

Then the request pipelines against the tests' local stand-ins, which say nothing about the real services' or model's
speed: gTTS and Edge, each answer held back to stand in for network latency, one request at a time against the
default bounded concurrency; and Supertonic on the tests' generated model (its own compute is trivial, so this is the
package's and ONNX Runtime's overhead per utterance).
Run: .venv/bin/python benchmarks/speech.py
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the local stand-ins, which long issue to measure

from support.requirements import long_issue  # noqa: E402

from briefing.build import speech_settings  # noqa: E402
from briefing.settings import find_workspace  # noqa: E402
from briefing.speech.cache import ClipCache  # noqa: E402
from briefing.speech.engines import ENGINES, Engine, make_engine  # noqa: E402
from briefing.speech.engines.espeak_engine import EspeakEngine  # noqa: E402
from briefing.speech.synthesis import SynthesisResult, synthesize_all  # noqa: E402


def issue_utterances(issue: Path) -> tuple[list[str], str]:
    """The issue's spoken utterances, and how they were made (the real pipeline where it is importable)."""
    try:
        from briefing.ingest import read_issue
        from briefing.script import make_script
        from briefing.speech.lexicon import load_lexicon
        from briefing.speech.utterances import script_utterances

        workspace = find_workspace(REPO)
        script = make_script(read_issue(issue), workspace)
        lexicon = load_lexicon(workspace.path(workspace.settings.lexicon))
        return [u.spoken for u in script_utterances(script, lexicon)], "script → utterances (normalised)"
    except ImportError as missing:
        lines = issue.read_text(encoding="utf-8").splitlines()
        sentences = [s for line in lines for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
        return sentences, f"issue lines split at sentence ends, not normalised ({missing.name} not importable)"


def timed(action: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def best_of(repeats: int, action: Callable[[], object]) -> tuple[float, object]:
    """The fastest of several runs: the machine's other load only ever adds time."""
    return min((timed(action) for _ in range(repeats)), key=lambda run: run[0])


def audio_seconds(result: SynthesisResult) -> float:
    return sum(len(c.samples) / c.sample_rate for c in result.clips)


def measure(engine: Engine, texts: list[str], repeats: int, baseline: float) -> None:
    """Cold and warm synthesis of `texts` with `engine`, printed as one line each."""

    def cold() -> SynthesisResult:
        with tempfile.TemporaryDirectory() as folder:
            return synthesize_all(engine, texts, ClipCache(Path(folder)))

    with tempfile.TemporaryDirectory() as folder:
        cache = ClipCache(Path(folder))
        first_seconds, first = timed(lambda: synthesize_all(engine, texts, cache))
        runs = {
            "cold (empty cache)": best_of(repeats - 1, cold) if repeats > 1 else (first_seconds, first),
            "warm (all cached)": best_of(max(repeats, 1), lambda: synthesize_all(engine, texts, cache)),
        }
        for label, (seconds, result) in runs.items():
            print(
                f"  {label:20s} {seconds:7.2f} s wall, {audio_seconds(result):7.1f} s audio, "
                f"{audio_seconds(result) / seconds:7.1f} audio-s per wall-s, {len(texts) / seconds:7.1f} utterances/s, "
                f"{seconds / baseline:6.2f}× baseline"
            )


def main(repeats: int = 3) -> None:
    issue, label = long_issue()
    texts, origin = issue_utterances(issue)
    workspace = find_workspace(REPO)
    speech = speech_settings(workspace)
    print(f"issue: {label}")
    print(f"{len(texts)} utterances, {sum(map(len, texts)):,} characters ({origin})")

    espeak = EspeakEngine(voice=speech.voice, rate=speech.rate, pitch=speech.pitch)
    espeak.synthesize("준비.")  # load the voice before timing
    baseline, whole = best_of(repeats, lambda: espeak.synthesize(" ".join(texts)))
    audio = len(whole.samples) / whole.sample_rate
    rate = audio / baseline
    print(f"baseline, one espeak call: {baseline:6.2f} s wall, {audio:7.1f} s audio, {rate:6.1f} audio-s per wall-s")

    for name in ENGINES:
        engine = make_engine(name, speech)
        answer = engine.availability()
        if not answer.usable:
            print(f"{name}: not measured — {answer.reason}")
            continue
        runs = 1 if engine.online else repeats
        print(f"{name} (voice {engine.voice}; {answer.reason}; {'one run' if runs == 1 else f'best of {runs}'}):")
        measure(engine, texts, runs, baseline)

    print("local stand-ins (pipeline only, not the real services' or model's speed):")
    gtts_concurrency(texts[:24])
    edge_concurrency(texts[:24])
    supertonic_stand_in(texts, repeats, baseline)


def concurrency_runs(label: str, make: Callable[[int], Engine], texts: list[str], server, latency: float) -> None:
    timings = {}
    for concurrency in (1, 4):
        engine = make(concurrency)
        with tempfile.TemporaryDirectory() as folder:
            timings[concurrency], _ = timed(lambda: synthesize_all(engine, texts, ClipCache(Path(folder))))  # noqa: B023
        print(
            f"  {label}, {latency * 1000:.0f} ms latency, {concurrency} at once: {timings[concurrency]:6.2f} s wall, "
            f"{len(texts) / timings[concurrency]:5.1f} utterances/s (most in flight: {server.max_in_flight})"
        )
        server.max_in_flight = 0
    print(f"  {label} speed-up from 4 requests at once: {timings[1] / timings[4]:.1f}×")


def gtts_concurrency(texts: list[str], latency: float = 0.25) -> None:
    from support.gtts_server import running_fake_google, seconds_for, tone_mp3

    from briefing.speech.engines.gtts_engine import GttsEngine

    for text in texts:
        tone_mp3(seconds_for(text))  # the server's answers, encoded before timing so both runs get them alike
    with running_fake_google() as server:
        server.hold = latency
        make = lambda n: GttsEngine(voice="ko", endpoint=server.url, concurrency=n)  # noqa: E731
        concurrency_runs("gTTS", make, texts, server, latency)


def edge_concurrency(texts: list[str], latency: float = 0.25) -> None:
    from support.edge_server import TONE_FOR_VOICE, running_fake_edge, seconds_for, tone_mp3

    from briefing.speech.engines.edge_engine import EdgeEngine, point_edge_tts_at

    for text in texts:
        tone_mp3(seconds_for(text), TONE_FOR_VOICE["SunHiNeural"])
    with running_fake_edge() as server:
        server.hold = latency
        make = lambda n: EdgeEngine(endpoint=server.base, concurrency=n, timeout=30)  # noqa: E731
        concurrency_runs("Edge", make, texts, server, latency)
    point_edge_tts_at(None)


def supertonic_stand_in(texts: list[str], repeats: int, baseline: float) -> None:
    from support.supertonic_model import write_stub_model

    from briefing.speech.engines.supertonic_engine import SupertonicEngine, package_installed

    if not package_installed():
        print("  Supertonic stand-in: not measured — the supertonic package is not installed")
        return
    with tempfile.TemporaryDirectory() as folder:
        engine = SupertonicEngine(voice="F3", model_dir=write_stub_model(Path(folder) / "m", voices=("F3",)))
        load, _ = timed(lambda: engine.synthesize("준비."))
        print(f"  Supertonic on the generated model: load and first utterance {load:.2f} s, then per utterance:")
        measure(engine, texts, repeats, baseline)


if __name__ == "__main__":
    main()
