"""SIGKILL `build` and `publish` at every checkpoint between their writes and renames, and at random moments: after
each kill the published feed validates, nothing cut short is referenced, and the next run leaves exactly what a
clean run does — byte for byte, with no leftovers.

Each kill is a real process (the command line, see `support.killing`); two run at a time, each in its own copy of a tiny
show, and the next runs follow one by one in this process.
"""

from __future__ import annotations

import datetime as dt
import random
import signal
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.killing import (
    BUILD,
    EDITED_STORY,
    EPOCH,
    PUBLISH,
    SLUG,
    Case,
    checkpoints,
    copy_show,
    differences,
    killed_after,
    killed_at,
    run,
    snapshot,
    timed,
    tiny_show,
    whole_mp3,
    write_script,
)

from briefing.build import build_episode
from briefing.checkpoints import STOP_AT
from briefing.errors import BriefingError
from briefing.publish.staging import built_episodes
from briefing.release import publish
from briefing.run import needs_publishing
from briefing.settings import find_workspace
from briefing.timeline import describes, read_timeline
from briefing.validate import validate_feed

RANDOM_KILLS = 20
PUBLISHED_AT = dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)
SWAP_MOMENTS = ("staged feed", "moved aside feed", "swapped feed", "retired feed")


def next_build(root: Path) -> None:
    # A process of its own, as the clean build was: espeak's voice carries its pitch flutter from one sentence to
    # the next within a process, so a sentence is the same only when it is the first a process says.
    result = run(root, BUILD)
    assert result.returncode == 0, result.stderr


def next_publish(root: Path) -> None:
    publish(find_workspace(root), now=PUBLISHED_AT)


@pytest.fixture(scope="module")
def shows(tmp_path_factory) -> dict[str, Path]:
    """The states kills start from and the clean runs they are compared with:

    - "build": episode 1 built and published, then its script edited (a rebuild is due);
    - "built": the same after a clean rebuild, which is also where the publish kills start;
    - "published": that, published.
    """
    base = tmp_path_factory.mktemp("kills")
    build = tiny_show(base / "build")
    build_episode(find_workspace(build), build / "scripts" / f"{SLUG}.md", engine="espeak")
    publish(find_workspace(build), now=PUBLISHED_AT - dt.timedelta(days=7))
    write_script(build, EDITED_STORY)
    built = copy_show(build, base / "built")
    next_build(built)
    published = copy_show(built, base / "published")
    next_publish(published)
    return {"build": build, "built": built, "published": published}


@dataclass
class Outcome:
    case: Case
    root: Path
    problems: list[str]


def kill_all(
    cases: list[Case], start: Path, folder: Path, args: tuple[str, ...], check: Callable[[Path], list[str]],
    next_run: Callable[[Path], None] | None = None,
) -> list[Outcome]:  # fmt: skip
    """Each case in a copy of `start`, two at a time: the kill, what it left checked, and (if given) the next run."""

    def one(index_case: tuple[int, Case]) -> Outcome:
        index, case = index_case
        root = copy_show(start, folder / f"case-{index:02d}")
        if case.nth is not None:
            killed_at(root, args, case.nth, exchange=case.exchange)
        else:
            killed_after(root, args, case.seconds)
        problems = [f"after the kill: {problem}" for problem in check(root)]
        if next_run is not None:
            next_run(root)
        return Outcome(case, root, problems)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(one, enumerate(cases)))


def check_build_kill(root: Path) -> list[str]:
    """What a killed build may leave: the published site as it was, an episode whose MP3 is whole, and whose
    timeline either describes it or is caught by publish (and by the next build)."""
    problems = check_site(root)
    mp3, timeline_path = root / "audio" / "episodes" / f"{SLUG}.mp3", root / "audio" / "episodes" / f"{SLUG}.json"
    if mp3.exists() and not whole_mp3(mp3):
        problems.append("the MP3 is not whole")
    if mp3.exists() and timeline_path.exists() and not describes(read_timeline(timeline_path), mp3):
        try:
            built_episodes(root / "audio" / "episodes")
            problems.append("publish took an MP3 its timeline does not describe")
        except BriefingError as refused:
            if "is not the MP3 its timeline" not in refused.message:
                problems.append(f"publish refused it for another reason: {refused}")
    return problems


def check_site(root: Path) -> list[str]:
    """What a killed publish may leave: a feed/ that validates, with every episode it lists whole."""
    feed = root / "feed" / "feed.xml"
    if not feed.is_file():
        return ["there is no feed/feed.xml"]
    findings = validate_feed(str(feed)).findings
    problems = [f"{f.rule}: {f.message}" for f in findings]
    problems += [f"{mp3.name} is not whole" for mp3 in (root / "feed" / "episodes").glob("*.mp3") if not whole_mp3(mp3)]
    return problems


def compared(outcomes: list[Outcome], clean: Path, next_run: Callable[[Path], None] | None = None) -> list[str]:
    """Every case's problems, and what its files after the next run (made here if `next_run` is given) differ in
    from the clean run's."""
    expected = snapshot(clean)
    failures = []
    for outcome in outcomes:
        if next_run is not None:
            next_run(outcome.root)
        after = [f"after the next run: {difference}" for difference in differences(snapshot(outcome.root), expected)]
        failures += [f"{outcome.case.label}: {problem}" for problem in outcome.problems + after]
    return failures


# ------------------------------------------------------------------------------------------------------- build


def test_a_build_killed_at_every_checkpoint_is_finished_by_the_next(shows, tmp_path):
    names = checkpoints(copy_show(shows["build"], tmp_path / "count"), BUILD)
    # Every write and rename of the rebuild: the edited clip, the segments, the MP3, then the timeline.
    assert names[-4:] == [f"written {SLUG}.mp3", f"renamed {SLUG}.mp3", f"written {SLUG}.json", f"renamed {SLUG}.json"]
    assert any(name.endswith(".clip") for name in names) and any(name.endswith(".frames") for name in names)
    cases = [Case(f"checkpoint {n} ({name})", nth=n) for n, name in enumerate(names, start=1)]

    outcomes = kill_all(cases, shows["build"], tmp_path, BUILD, check_build_kill, next_build)

    assert compared(outcomes, shows["built"]) == []


def test_a_build_killed_at_random_moments_is_finished_by_the_next(shows, tmp_path):
    whole = timed(copy_show(shows["build"], tmp_path / "timed"), BUILD)
    moments = random.Random(16).sample(range(1, 1000), RANDOM_KILLS)
    cases = [Case(f"after {whole * m / 1000:.2f} s", seconds=whole * m / 1000) for m in sorted(moments)]

    outcomes = kill_all(cases, shows["build"], tmp_path, BUILD, check_build_kill, next_build)

    assert compared(outcomes, shows["built"]) == []


# ----------------------------------------------------------------------------------------------------- publish


def test_a_publish_killed_at_every_checkpoint_leaves_a_whole_site(shows, tmp_path):
    names = checkpoints(copy_show(shows["built"], tmp_path / "count"), PUBLISH)
    # The site's files are staged, the ledger to record set beside the old one, the two folders exchanged in one
    # step, and only then the ledger recorded.
    pending, ledger = ".published.json.pending", "published.json"
    assert names[-7:] == [f"written {pending}", f"renamed {pending}", "staged feed", "swapped feed", "retired feed",
                          f"written {ledger}", f"renamed {ledger}"]  # fmt: skip
    cases = [Case(f"checkpoint {n} ({name})", nth=n) for n, name in enumerate(names, start=1)]

    outcomes = kill_all(cases, shows["built"], tmp_path, PUBLISH, check_site)

    assert compared(outcomes, shows["published"], next_publish) == []


@pytest.mark.parametrize(("moment", "swapped"), [("staged feed", False), ("swapped feed", True)])
def test_the_ledger_records_a_site_only_once_it_is_swapped_in(shows, tmp_path, moment, swapped):
    """Killed before its swap, a publish has recorded nothing, and the unattended run still sees it due; killed after
    it, its ledger is recorded by the next look at the workspace, and nothing is due."""
    root = copy_show(shows["built"], tmp_path / "show")
    result = run(root, PUBLISH, **{STOP_AT: moment})
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert (root / "published.json").read_bytes() == (shows["built"] / "published.json").read_bytes()

    assert needs_publishing(find_workspace(root), PUBLISHED_AT) is not swapped
    expected = shows["published" if swapped else "built"] / "published.json"
    assert (root / "published.json").read_bytes() == expected.read_bytes()
    assert not (root / ".published.json.pending").exists()


def test_a_publish_swapping_by_two_renames_is_put_right_by_the_next(shows, tmp_path):
    """Where the file system cannot exchange two folders, a kill between the two renames leaves no feed/ for that
    moment; the next run puts the old one back first, and then publishes."""
    names = checkpoints(copy_show(shows["built"], tmp_path / "count"), PUBLISH, exchange=False)
    assert names[-6:] == [*SWAP_MOMENTS, "written published.json", "renamed published.json"]
    cases = [Case(f"two renames, checkpoint {n} ({name})", nth=n, exchange=False)
             for n, name in enumerate(names, start=1) if name in SWAP_MOMENTS]  # fmt: skip

    outcomes = kill_all(cases, shows["built"], tmp_path, PUBLISH, lambda root: [])
    between = [outcome for outcome in outcomes if "moved aside" in outcome.case.label]
    assert [(outcome.root / "feed").exists() for outcome in between] == [False]  # what two renames cannot cover
    for outcome in outcomes:
        outcome.problems = check_site(outcome.root) if outcome not in between else []

    assert compared(outcomes, shows["published"], next_publish) == []


def test_a_publish_killed_at_random_moments_leaves_a_whole_site(shows, tmp_path):
    whole = timed(copy_show(shows["built"], tmp_path / "timed"), PUBLISH)
    moments = random.Random(17).sample(range(1, 1000), RANDOM_KILLS)
    cases = [Case(f"after {whole * m / 1000:.2f} s", seconds=whole * m / 1000) for m in sorted(moments)]

    outcomes = kill_all(cases, shows["built"], tmp_path, PUBLISH, check_site)

    assert compared(outcomes, shows["published"], next_publish) == []
