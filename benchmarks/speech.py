"""Speech synthesis speed with espeak-ng on a long issue: cold (empty cache) and warm, against a one-call baseline.

The issue is the real seed (../shared/seeds/) where it is present, else the project's own ten-story issue
(issues/asia-tech-brief-002.txt); the output names which. Under CI (`CI=true`) a missing seed is an error.

Prints utterances per second and audio-seconds per wall-second. The baseline, measured in the same run, is the
episode's whole spoken text in ONE espeak call (no splitting, no cache): the least synthesis can cost.
Then gTTS's request pipeline against the tests' fake Google on 127.0.0.1 (each answer held back to stand in for
network latency): one request at a time against the default bounded concurrency.
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
sys.path.insert(0, str(REPO / "tests"))  # the fake Google server, which long issue to measure

from support.requirements import long_issue  # noqa: E402

from briefing.settings import find_workspace  # noqa: E402
from briefing.speech.cache import ClipCache  # noqa: E402
from briefing.speech.engines.espeak_engine import EspeakEngine  # noqa: E402
from briefing.speech.engines.gtts_engine import GttsEngine  # noqa: E402
from briefing.speech.synthesis import synthesize_all  # noqa: E402


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


def main(repeats: int = 3) -> None:
    issue, label = long_issue()
    texts, origin = issue_utterances(issue)
    engine = EspeakEngine()
    engine.synthesize("준비.")  # load the voice before timing
    print(f"issue: {label}")
    print(f"{len(texts)} utterances, {sum(map(len, texts)):,} characters ({origin}); best of {repeats} runs")

    baseline_seconds, whole = best_of(repeats, lambda: engine.synthesize(" ".join(texts)))
    audio_seconds = len(whole.samples) / whole.sample_rate
    print(
        f"baseline, one espeak call:  {baseline_seconds:6.2f} s wall, {audio_seconds:7.1f} s audio, "
        f"{audio_seconds / baseline_seconds:6.1f} audio-s per wall-s"
    )

    def cold() -> object:
        with tempfile.TemporaryDirectory() as folder:
            return synthesize_all(engine, texts, ClipCache(Path(folder)))

    with tempfile.TemporaryDirectory() as folder:
        cache = ClipCache(Path(folder))
        synthesize_all(engine, texts, cache)
        runs = {
            "cold (empty cache)": best_of(repeats, cold),
            "warm (all cached)": best_of(repeats, lambda: synthesize_all(engine, texts, cache)),
        }
        for label, (seconds, result) in runs.items():
            audio = sum(len(c.samples) / c.sample_rate for c in result.clips)
            print(
                f"{label:27s} {seconds:6.2f} s wall, {audio:7.1f} s audio, "
                f"{audio / seconds:6.1f} audio-s per wall-s, {len(texts) / seconds:7.1f} utterances/s, "
                f"{result.summary}, {seconds / baseline_seconds:5.2f}× baseline"
            )
        clips, size = cache.size()
        print(f"cache: {clips} clips, {size / 1e6:.1f} MB ({size / max(clips, 1) / 1e3:.0f} kB per clip)")
    gtts_concurrency(texts[:24])


def gtts_concurrency(texts: list[str], latency: float = 0.25) -> None:
    from support.gtts_server import running_fake_google, seconds_for, tone_mp3

    for text in texts:
        tone_mp3(seconds_for(text))  # the server's answers, encoded before timing so both runs get them alike
    with running_fake_google() as server:
        server.hold = latency
        timings = {}
        for concurrency in (1, 4):
            engine = GttsEngine(voice="ko", endpoint=server.url, concurrency=concurrency)
            with tempfile.TemporaryDirectory() as folder:
                cache = ClipCache(Path(folder))
                timings[concurrency], _ = timed(lambda: synthesize_all(engine, texts, cache))  # noqa: B023 (run now)
            print(
                f"gTTS, {latency * 1000:.0f} ms latency, {concurrency} at once: {timings[concurrency]:6.2f} s wall, "
                f"{len(texts) / timings[concurrency]:5.1f} utterances/s (most in flight: {server.max_in_flight})"
            )
            server.max_in_flight = 0
        print(f"gTTS speed-up from 4 requests at once: {timings[1] / timings[4]:.1f}×")


if __name__ == "__main__":
    main()
