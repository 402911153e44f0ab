"""The batch's one progress display: a bar for the episodes finished above a line per episode under way, fed by a
real batch in two local processes."""

from __future__ import annotations

import io
import re

from rich.console import Console
from support.batch_shows import copy_show

from briefing.batch import build_batch
from briefing.cli.build import STEP_LABELS
from briefing.cli.progress import BatchBars
from briefing.settings import find_workspace

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def test_one_display_shows_the_batch_and_each_episode_under_way(built_batch, tmp_path):
    root = copy_show(built_batch, tmp_path / "show")
    show = find_workspace(root)
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    bars = BatchBars(console, STEP_LABELS)

    with bars:
        result = build_batch(show, sorted(show.scripts_dir.glob("*.md")), engine="espeak", jobs=2, progress=bars)

    assert result.count("built") == 3
    frames = ANSI.sub("", screen.getvalue())
    assert re.search(r"episodes\s.*3/3", frames), frames  # the batch's bar reached the end
    for number in (2, 3, 4):  # each episode had a line of its own, naming its step, while it was built
        assert re.search(rf"asia-tech-brief-00{number}: (synthesis|mix|loudness \+ encode)", frames), frames
    assert bars.rows == {}  # every episode's line went when it finished
    assert bars.finished == {f"asia-tech-brief-00{number}" for number in (2, 3, 4)}
