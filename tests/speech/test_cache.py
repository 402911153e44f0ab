"""The clip cache: content-addressed by (engine identity, spoken text), atomic, compact, and measurable."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from briefing.filestore import SEAL, unseal
from briefing.settings import find_workspace
from briefing.speech.cache import ClipCache, clip_key
from briefing.speech.engines.base import clip_from_float
from briefing.speech.engines.espeak_engine import EspeakEngine

SEALED = len(SEAL) + 32  # the header and checksum before every entry
IDENTITY = {"engine": "espeak", "voice": "ko", "rate": 165, "pitch": 45, "version": "1.52.0", "sample_rate": 22050}


@pytest.fixture(scope="module")
def spoken():
    return EspeakEngine().synthesize("캐시에 저장할 문장입니다.")


def test_a_stored_clip_comes_back_as_16_bit_audio(tmp_path, spoken):
    cache = ClipCache(tmp_path / "speech")

    stored = cache.put(IDENTITY, "캐시에 저장할 문장입니다.", spoken)
    loaded = cache.get(IDENTITY, "캐시에 저장할 문장입니다.")

    assert loaded is not None and loaded.sample_rate == spoken.sample_rate
    assert np.array_equal(loaded.samples, stored.samples)  # what a fresh build used is what a rebuild loads
    assert np.max(np.abs(loaded.samples - spoken.samples)) <= 1 / 32768  # 16-bit rounding only
    assert loaded.samples.dtype == np.float32 and not loaded.samples.flags.writeable


def test_a_clip_is_found_only_for_the_same_engine_identity_and_text(tmp_path, spoken):
    cache = ClipCache(tmp_path)
    cache.put(IDENTITY, "문장", spoken)

    assert cache.get(IDENTITY, "문장") is not None
    assert cache.get(IDENTITY | {"rate": 166}, "문장") is None
    assert cache.get(IDENTITY | {"version": "1.53.0"}, "문장") is None
    assert cache.get(IDENTITY, "문장.") is None


def test_keys_are_stable_and_independent_of_dict_order():
    reordered = dict(reversed(list(IDENTITY.items())))

    assert clip_key(IDENTITY, "가") == clip_key(reordered, "가")
    assert clip_key(IDENTITY, "가") != clip_key(IDENTITY, "나")
    assert len(clip_key(IDENTITY, "가")) == 64


def test_clips_are_sealed_wav_files_with_nothing_half_written_left_behind(tmp_path, spoken):
    cache = ClipCache(tmp_path)
    cache.put(IDENTITY, "문장", spoken)

    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert files == [cache.path(IDENTITY, "문장")]
    with wave.open(io.BytesIO(unseal(files[0].read_bytes()))) as clip_file:
        assert (clip_file.getnchannels(), clip_file.getsampwidth()) == (1, 2)
        assert clip_file.getnframes() == len(spoken.samples)
    assert files[0].stat().st_size == SEALED + 44 + 2 * len(spoken.samples)


def test_an_unreadable_clip_counts_as_missing_and_repaired(tmp_path, spoken):
    cache = ClipCache(tmp_path)
    cache.put(IDENTITY, "문장", spoken)
    cache.path(IDENTITY, "문장").write_bytes(b"RIFF\x00garbage")

    assert cache.get(IDENTITY, "문장") is None
    assert cache.repaired == 1 and not cache.path(IDENTITY, "문장").exists()


def test_a_sealed_entry_that_is_no_wav_counts_as_repaired(tmp_path):
    cache = ClipCache(tmp_path)
    cache.write(clip_key(IDENTITY, "문장"), b"RIFF\x00garbage")

    assert cache.get(IDENTITY, "문장") is None and cache.repaired == 1


def test_size_counts_clips_and_bytes_and_clear_empties_the_cache(tmp_path):
    cache = ClipCache(tmp_path / "speech")
    assert cache.size() == (0, 0)
    for seconds in (1, 2, 3):
        cache.put(IDENTITY, f"{seconds}초", clip_from_float(np.zeros(22050 * seconds), 22050))

    assert cache.size() == (3, 3 * (SEALED + 44) + 2 * 22050 * 6)
    assert cache.clear() == (3, 3 * (SEALED + 44) + 2 * 22050 * 6)
    assert cache.size() == (0, 0)
    assert cache.get(IDENTITY, "1초") is None
    assert cache.clear() == (0, 0)


def test_a_workspace_keeps_its_clips_under_dot_cache(show_dir):
    workspace = find_workspace(show_dir)

    assert ClipCache.of(workspace).folder == show_dir / ".cache" / "speech"
