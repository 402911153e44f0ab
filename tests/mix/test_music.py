"""The show's original music: rendered by code, committed, and re-rendered identically."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from briefing.mix import music

LIMITS_S = {"intro.wav": (8, 20), "outro.wav": (8, 20), "transition.wav": (0.3, 2)}


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as source:
        assert (source.getnchannels(), source.getsampwidth()) == (1, 2)
        return np.frombuffer(source.readframes(source.getnframes()), "<i2").astype(np.int32), source.getframerate()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    return music.render_music(tmp_path_factory.mktemp("music"))


@pytest.mark.parametrize("name", music.MUSIC_FILES)
def test_rendered_music_matches_the_committed_files(rendered, repo_root, name):
    fresh, rate = read_wav(rendered[name])
    committed, committed_rate = read_wav(repo_root / "audio" / "music" / name)
    assert rate == committed_rate == music.RATE
    assert len(fresh) == len(committed)
    # Byte-identical here; a different CPU's libm may round a last bit differently, never more.
    assert np.max(np.abs(fresh - committed)) <= 1


def test_rendering_twice_gives_the_same_bytes(rendered, tmp_path):
    again = music.render_music(tmp_path)
    for name in music.MUSIC_FILES:
        assert again[name].read_bytes() == rendered[name].read_bytes()


@pytest.mark.parametrize("name", music.MUSIC_FILES)
def test_each_piece_has_its_length_and_a_safe_peak(rendered, name):
    samples, rate = read_wav(rendered[name])
    low, high = LIMITS_S[name]
    assert low <= len(samples) / rate <= high
    assert 0.5 * 32767 < np.max(np.abs(samples)) <= 32767 * 10 ** (-0.9 / 20)


def test_the_intro_is_music_not_a_beep(rendered):
    """Several distinct pitches sound at once and over time (chords and a melody), and the level moves."""
    samples, rate = read_wav(rendered["intro.wav"])
    x = samples / 32768.0
    window = rate // 2
    strongest = set()
    for start in range(0, len(x) - window, window):
        spectrum = np.abs(np.fft.rfft(x[start : start + window] * np.hanning(window)))
        freqs = np.fft.rfftfreq(window, 1 / rate)
        band = (freqs > 200) & (freqs < 2000)
        peaks = freqs[band][np.argsort(spectrum[band])[-3:]]
        strongest.update(np.round(12 * np.log2(peaks / 440)).astype(int).tolist())
    assert len(strongest) >= 6  # at least six different semitones among the loudest partials
    rms = [np.sqrt(np.mean(x[i : i + window] ** 2)) for i in range(0, len(x) - window, window)]
    assert max(rms) > 2 * np.median(rms[-2:])  # it fades at the end
