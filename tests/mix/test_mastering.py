"""A build never writes an episode that fails its own measurement: short episodes meet the loudness target too, a
gain that missed is corrected from the MP3's own measurement, and an MP3 that still misses, peaks over the limit or
does not decode cleanly is refused in one sentence, with nothing written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from support.requirements import REPO

from briefing.build import build_episode
from briefing.errors import BriefingError
from briefing.mix import mastering, segments
from briefing.mix.encode import encode_frames, write_frames
from briefing.mix.loudness import Loudness
from briefing.mix.mp3 import FRAME_SAMPLES
from briefing.settings import find_workspace, load_settings

SHORT_SCRIPT = """---
show: Asia Tech Brief
episode: 2
title: 짧은 소식
date: 2026-11-30
slug: short
guid: 0b1c2d3e-4f50-5a6b-8c7d-8e9fa0b1c2d3
source: issues/short.txt
---

## 오프닝

안녕하십니까, 짧은 소식입니다.

## 새 소식

오늘은 한 가지 소식입니다. {extra}

> 출처: https://news.example.com/short

## 클로징

감사합니다.
"""
EXTRA = ["좋은 하루 되세요.", "다음 주에 다시 만나요.", "고맙습니다.", "오늘 날씨는 맑습니다.", "새 기능이 나왔습니다."]


def short_episode(show_dir: Path, sentences: int) -> Path:
    """An episode of the example show (its own music) of about 28 s plus two seconds a sentence."""
    path = show_dir / "scripts" / "short.md"
    extra = " ".join(EXTRA[index % len(EXTRA)] for index in range(sentences))
    path.write_text(SHORT_SCRIPT.format(extra=extra), encoding="utf-8")
    return path


@pytest.mark.parametrize("sentences", [2, 7])
def test_a_short_episode_meets_the_loudness_target(show_dir, sentences):
    """31.8 s and 41 s: the gain search used to try its gains on one or two 3-second stretches of such an episode,
    which were music or pauses, and the 31.8-second one came out at −13.7 LUFS."""
    report = build_episode(find_workspace(show_dir), short_episode(show_dir, sentences), engine="espeak")
    assert 30_000 < report.duration_ms < 45_000
    assert report.integrated_lufs == pytest.approx(-16.0, abs=0.5)
    assert report.true_peak_dbtp <= -1.0


def test_a_gain_that_misses_is_corrected_from_the_mp3(show_dir, monkeypatch):
    found = mastering.fresh_gain
    monkeypatch.setattr(mastering, "fresh_gain", lambda *args: found(*args) + 3.0)  # a search that went 3 dB wrong

    report = build_episode(find_workspace(show_dir), short_episode(show_dir, 2), engine="espeak")

    assert report.integrated_lufs == pytest.approx(-16.0, abs=0.5) and report.true_peak_dbtp <= -1.0


# ------------------------------------------------------------------------------------------------------ the gate


@pytest.fixture
def encoded(tmp_path) -> tuple[Path, int]:
    """A real MP3 as the build writes it (Info frame, frames), not yet tagged: (path, its frame count)."""
    rate = 44100
    t = np.arange(20 * FRAME_SAMPLES) / rate
    frames = encode_frames((0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), rate, 96)
    path = tmp_path / "episode.mp3"
    write_frames(path, frames)
    return path, len(frames) + 1


AUDIO = load_settings(REPO / "show.toml").audio


def test_an_mp3_that_measures_right_passes(encoded):
    mastering.check_measured(Loudness(-16.3, -1.4), AUDIO, *encoded)


@pytest.mark.parametrize(
    ("measured", "words"),
    [
        (Loudness(-12.7, -1.5), "measures -12.7 LUFS, 3.3 LU off the show's -16 LUFS"),
        (Loudness(-19.5, -3.0), "measures -19.5 LUFS, 3.5 LU off"),
        (Loudness(-16.0, 2.05), "peaks at 2.05 dBTP, over the show's limit of -1 dBTP"),
        (Loudness(-70.0, -120.0), "measures -70.0 LUFS"),
    ],
)
def test_an_mp3_that_misses_its_measurement_is_refused(encoded, measured, words):
    with pytest.raises(BriefingError, match="it was not written") as refused:
        mastering.check_measured(measured, AUDIO, *encoded)
    assert words in refused.value.message


def test_an_mp3_that_does_not_decode_cleanly_is_refused(encoded):
    path, frames = encoded
    data = path.read_bytes()
    path.write_bytes(data[:-100])
    with pytest.raises(BriefingError, match="does not decode cleanly"):
        mastering.check_measured(Loudness(-16.0, -1.5), AUDIO, path, frames)
    path.write_bytes(data)
    with pytest.raises(BriefingError, match=f"has {frames} MP3 frames, not {frames + 1}"):
        mastering.check_measured(Loudness(-16.0, -1.5), AUDIO, path, frames + 1)


def nothing_written(show_dir: Path) -> list[str]:
    return sorted(path.name for path in (show_dir / "audio" / "episodes").iterdir() if path.name != ".gitkeep")


def test_a_build_whose_mp3_peaks_over_the_limit_writes_nothing(show_dir, monkeypatch):
    """The +2.05 dBTP episode (a bad segment reused) shipped with exit 0; now every try measures over, and the build
    says so instead."""
    monkeypatch.setattr(mastering, "measure_mp3", lambda *args: Loudness(-16.0, 2.05))

    with pytest.raises(BriefingError, match="peaks at 2.05 dBTP, over the show's limit of -1 dBTP"):
        build_episode(find_workspace(show_dir), short_episode(show_dir, 0), engine="espeak")
    assert nothing_written(show_dir) == []


def test_a_build_whose_mp3_lost_a_frame_writes_nothing(show_dir, monkeypatch):
    whole = segments.EncodedEpisode.runs

    def one_frame_short(self):
        runs = list(whole(self))
        return [*runs[:-1], runs[-1][:-1]]

    monkeypatch.setattr(segments.EncodedEpisode, "runs", one_frame_short)
    with pytest.raises(BriefingError, match="MP3 frames, not"):
        build_episode(find_workspace(show_dir), short_episode(show_dir, 0), engine="espeak")
    assert nothing_written(show_dir) == []
