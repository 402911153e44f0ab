"""The offline engine: real espeak-ng synthesis of Korean from the library espeakng-loader ships."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from briefing.settings import Speech
from briefing.speech.engines import make_engine
from briefing.speech.engines.espeak_engine import EspeakEngine

SENTENCE = "알리바바 클라우드의 올 삼 분기 수익은 이십구 점 칠오억 위안으로, 전년 대비 구십구 퍼센트 성장했습니다."
# A news presenter says about six to seven syllables a second.
SECONDS_PER_SYLLABLE = 0.15


def syllables(text: str) -> int:
    return len(re.findall(r"[가-힣]", text))


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    return EspeakEngine()


def test_korean_speech_is_audible_and_of_plausible_length(engine):
    clip = engine.synthesize(SENTENCE)

    expected = syllables(SENTENCE) * SECONDS_PER_SYLLABLE
    seconds = len(clip.samples) / clip.sample_rate
    assert 0.5 * expected <= seconds <= 3 * expected
    assert rms(clip.samples) > 0.02
    assert clip.samples.dtype == np.float32 and clip.samples.ndim == 1
    assert np.abs(clip.samples).max() <= 1.0
    assert not clip.samples.flags.writeable  # clips are immutable values


def test_speech_is_voiced_throughout_not_one_blip(engine):
    clip = engine.synthesize(SENTENCE)
    windows = clip.samples[: len(clip.samples) // 2205 * 2205].reshape(-1, 2205)  # 100 ms at 22.05 kHz
    loud = np.sqrt(np.mean(np.square(windows, dtype=np.float64), axis=1)) > 0.01

    assert loud.mean() > 0.6


def test_a_faster_rate_speaks_the_same_text_in_less_time():
    slow = EspeakEngine(rate=120).synthesize(SENTENCE)
    fast = EspeakEngine(rate=240).synthesize(SENTENCE)

    assert len(fast.samples) < 0.7 * len(slow.samples)


def test_settings_choose_voice_rate_and_pitch_and_the_identity_says_so():
    engine = make_engine("espeak", Speech(engine="espeak", rate=200, pitch=60))
    identity = engine.identity()

    assert (identity["engine"], identity["voice"], identity["rate"], identity["pitch"]) == ("espeak", "ko", 200, 60)
    assert re.fullmatch(r"\d+\.\d+.*", identity["version"])
    assert identity != EspeakEngine(rate=200, pitch=61).identity()


def same_speech(one: np.ndarray, other: np.ndarray) -> bool:
    """Whether two clips say the same thing. espeak-ng's pitch flutter carries over from one call to the next, so
    repeated synthesis differs by a few samples: compare length and the waveform's envelope, not bytes."""
    if abs(len(one) - len(other)) > 0.01 * len(one):
        return False
    frames = min(len(one), len(other)) // 441
    envelope = [np.abs(x[: frames * 441]).reshape(frames, 441).mean(axis=1) for x in (one, other)]
    return float(np.corrcoef(*envelope)[0, 1]) > 0.9


def test_the_same_text_gives_the_same_speech(engine):
    first = engine.synthesize("오늘의 소식입니다.")
    second = engine.synthesize("오늘의 소식입니다.")
    other = engine.synthesize("다음 소식은 조금 다릅니다.")

    assert same_speech(first.samples, second.samples)
    assert not same_speech(first.samples, other.samples)


def test_calls_from_many_threads_give_the_same_speech_as_one_at_a_time(engine):
    texts = ["첫째 문장입니다.", "둘째 문장은 조금 더 깁니다.", "셋째.", "넷째 문장입니다, 그렇죠?"] * 3
    alone = [engine.synthesize(text) for text in texts]

    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(engine.synthesize, texts))

    for one, other in zip(alone, together, strict=True):
        assert same_speech(one.samples, other.samples)


def test_nothing_to_say_gives_an_empty_clip(engine):
    clip = engine.synthesize("   ")

    assert len(clip.samples) == 0 and clip.sample_rate == engine.sample_rate


def test_synthesize_many_reports_each_clip_in_order(engine):
    done = []
    clips = engine.synthesize_many(["하나.", "둘 셋 넷 다섯."], on_done=lambda index, clip: done.append(index))

    assert done == [0, 1]
    assert len(clips[0].samples) < len(clips[1].samples)
