"""An episode encoded a second time (its MP3 came out over the true-peak limit) shows that pass as a step of its
own, labelled, instead of the first bar jumping back to nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from briefing.cli.build import STEP_LABELS
from briefing.mix.mastering import encode_verified
from briefing.settings import find_workspace


def test_a_second_encode_is_reported_as_its_own_labelled_step(show_dir: Path, tmp_path: Path):
    workspace = find_workspace(show_dir)
    noise = np.random.default_rng(7).uniform(-1.0, 1.0, 1152 * 150).astype(np.float32)  # whole MP3 frames
    reports: list[tuple[str, int, int]] = []
    # Levels kept from an earlier build that limit at 0 dBTP, over the show's -1 dBTP: the first MP3 overshoots.
    mastered = encode_verified(
        noise, [], workspace, tmp_path / "episode.mp3", lambda *report: reports.append(report), previous=(0.0, 0.0)
    )
    assert mastered.measured.true_peak_dbtp <= workspace.settings.audio.true_peak_dbtp + 0.05
    steps = list(dict.fromkeys(step for step, _done, _total in reports))
    assert steps[:2] == ["encode", "encode, pass 2"], steps
    for step in steps:
        done = [d for s, d, _total in reports if s == step]
        assert done == sorted(done), (step, done)  # each bar only moves forward
        assert step in STEP_LABELS
