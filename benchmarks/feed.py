"""Publish + validate for a show of many episodes (synthetic timelines sharing one tiny real MP3).

Prints seconds and per-episode milliseconds (re-publish, validate and copy: best of three), and ratios against
baselines measured in the same run:
the same work for a tenth of the episodes (is it linear?) and a plain copy of the finished feed/ folder
(the file-system floor any publish pays).

    .venv/bin/python benchmarks/feed.py [EPISODES]
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))  # the synthetic episodes the tests use too

from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode  # noqa: E402

from briefing.release import publish  # noqa: E402
from briefing.settings import find_workspace  # noqa: E402
from briefing.validate import validate_feed  # noqa: E402

NOW = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)


def make_show(folder: Path, episodes: int, mp3: bytes, duration_ms: int) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(REPO / "show.toml", folder / "show.toml")
    for number in range(1, episodes + 1):
        write_built_episode(folder / "audio" / "episodes", synthetic_timeline(number, duration_ms), mp3)
    return folder


def timed(action) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def best_of(runs: int, action) -> float:
    """The fastest of several runs: the machine's other work only ever adds time."""
    return min(timed(action)[0] for _ in range(runs))


def measure(root: Path, episodes: int, mp3: bytes, duration_ms: int, runs: int = 3) -> dict[str, float]:
    show = make_show(root / f"show-{episodes}", episodes, mp3, duration_ms)
    workspace = find_workspace(show)
    first, _ = timed(lambda: publish(workspace, now=NOW))
    again = best_of(runs, lambda: publish(workspace, now=NOW + dt.timedelta(days=1)))
    report = validate_feed(str(show / "feed" / "feed.xml"))
    assert not report.findings, report.findings[:3]
    check = best_of(runs, lambda: validate_feed(str(show / "feed" / "feed.xml")))
    copies = iter(range(runs))
    copy = best_of(runs, lambda: shutil.copytree(show / "feed", root / f"copy-{episodes}-{next(copies)}"))
    return {
        "publish": first,
        "republish": again,
        "validate": check,
        "copy": copy,
        "feed_kb": (show / "feed" / "feed.xml").stat().st_size / 1024,
    }


def main() -> None:
    episodes = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    small = max(episodes // 10, 1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        tone = root / "tone.mp3"
        encode_tone_mp3(tone, 2.0)
        mp3, duration_ms = tone.read_bytes(), mp3_duration_ms(tone)
        measure(root / "warm-up", 5, mp3, duration_ms)  # imports, template compilation, cover
        big = measure(root, episodes, mp3, duration_ms)
        base = measure(root, small, mp3, duration_ms)

    print(f"feed benchmark: {episodes} episodes (baseline: {small} episodes), feed.xml {big['feed_kb']:.0f} KiB")
    for stage in ("publish", "republish", "validate"):
        per = big[stage] / episodes * 1000
        print(
            f"  {stage:<10} {big[stage]:7.2f} s  {per:6.2f} ms/episode  "
            f"×{big[stage] / base[stage]:5.1f} vs {small} episodes (×{episodes / small:.0f} would be linear)"
        )
    print(f"  copy of feed/ {big['copy']:5.2f} s  (publish costs ×{big['publish'] / big['copy']:.1f} a plain copy)")


if __name__ == "__main__":
    main()
