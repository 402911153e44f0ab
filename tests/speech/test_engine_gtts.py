"""The gTTS engine through gTTS's real request and response code, over real HTTP to a fake Google on 127.0.0.1."""

from __future__ import annotations

import random

import numpy as np
import pytest
from support.gtts_server import seconds_for, tone_mp3

from briefing.errors import BriefingError
from briefing.settings import Speech
from briefing.speech.engines import make_engine
from briefing.speech.engines.gtts_engine import GTTS_SAMPLE_RATE, GttsEngine, backoff_delay

TEXTS = ["알리바바 클라우드의 수익이 늘었습니다.", "징동은 새 물류 센터를 열었습니다.", "다음 소식입니다."]


def engine_for(server, **overrides) -> GttsEngine:
    options = {"endpoint": server.url, "timeout": 2.0, "retries": 3, "backoff": 0.001, "seed": 7}
    return GttsEngine(voice="ko", **(options | overrides))


def rms(clip) -> float:
    return float(np.sqrt(np.mean(np.square(clip.samples, dtype=np.float64))))


def assert_is_served_audio(clip, text: str) -> None:
    assert clip.sample_rate == GTTS_SAMPLE_RATE
    assert clip.samples.dtype == np.float32
    # MP3 adds encoder delay and padding of a few tens of milliseconds.
    assert abs(clip.duration_ms - seconds_for(text) * 1000) < 120
    assert rms(clip) > 0.05  # the served tone (lavfi sine: amplitude 1/8), not silence


def test_speaks_through_gtts_and_sends_the_text_and_language(fake_google):
    clip = engine_for(fake_google).synthesize(TEXTS[0])

    assert_is_served_audio(clip, TEXTS[0])
    assert fake_google.requests == [TEXTS[0]]


def test_settings_build_an_engine_that_uses_the_configured_endpoint(fake_google):
    engine = make_engine("gtts", Speech(engine="gtts", gtts_endpoint=fake_google.url, concurrency=2, timeout=3))

    clip = engine.synthesize(TEXTS[1])

    assert_is_served_audio(clip, TEXTS[1])
    assert (engine.concurrency, engine.timeout) == (2, 3)


def test_many_texts_come_back_in_order_whatever_order_they_finish_in(fake_google):
    texts = [f"{'가' * n} 문장" for n in (12, 1, 7, 3, 9, 5)]
    done = []

    clips = engine_for(fake_google).synthesize_many(texts, on_done=lambda index, clip: done.append(index))

    for text, clip in zip(texts, clips, strict=True):
        assert_is_served_audio(clip, text)
    assert sorted(done) == list(range(len(texts)))


def test_rate_limit_then_success_is_retried(fake_google):
    fake_google.respond = lambda text, seen: "429" if seen < 2 else "ok"

    clip = engine_for(fake_google).synthesize(TEXTS[0])

    assert_is_served_audio(clip, TEXTS[0])
    assert fake_google.behaviours == ["429", "429", "ok"]


@pytest.mark.parametrize("failure", ["500", "503", "truncated", "garbage", "noise", "dropped"])
def test_a_bad_answer_is_retried(fake_google, failure):
    fake_google.respond = lambda text, seen: failure if seen == 0 else "ok"

    clip = engine_for(fake_google).synthesize(TEXTS[1])

    assert_is_served_audio(clip, TEXTS[1])
    assert fake_google.behaviours == [failure, "ok"]


def test_a_request_that_hangs_times_out_and_is_retried(fake_google):
    fake_google.respond = lambda text, seen: "hang" if seen == 0 else "ok"
    tone_mp3(seconds_for(TEXTS[2]))  # encoded now, so that the good answer comes well within the short timeout

    clip = engine_for(fake_google, timeout=0.5).synthesize(TEXTS[2])

    assert_is_served_audio(clip, TEXTS[2])
    assert fake_google.behaviours == ["hang", "ok"]


def test_a_500_storm_ends_in_one_error_naming_the_utterances_that_failed(fake_google):
    failing = {TEXTS[0], TEXTS[2]}
    fake_google.respond = lambda text, seen: "500" if text in failing else "ok"
    done = []

    with pytest.raises(BriefingError) as caught:
        engine_for(fake_google, retries=2).synthesize_many(TEXTS, on_done=lambda index, clip: done.append(index))

    message = str(caught.value)
    assert "failed on 2 of 3 utterances after 2 retries" in message
    assert "HTTP 500" in message
    assert TEXTS[0] in message and TEXTS[2] in message and TEXTS[1] not in message
    assert fake_google.count(TEXTS[0]) == 3  # the first try and two retries
    assert done == [1]  # the utterance that worked was handed over (and so cached) before the error


def test_timeouts_that_never_end_fail_clearly(fake_google):
    fake_google.respond = lambda text, seen: "hang"

    with pytest.raises(BriefingError, match="timed out"):
        engine_for(fake_google, timeout=0.2, retries=1).synthesize(TEXTS[0])
    assert fake_google.count(TEXTS[0]) == 2


def test_a_refusal_that_retrying_cannot_fix_is_not_retried(fake_google):
    fake_google.respond = lambda text, seen: "403"

    with pytest.raises(BriefingError, match="HTTP 403"):
        engine_for(fake_google).synthesize(TEXTS[0])
    assert fake_google.count(TEXTS[0]) == 1


def test_concurrent_requests_never_exceed_the_bound(fake_google):
    fake_google.hold = 0.15  # each answer waits, so requests overlap as much as the engine lets them
    texts = [f"문장 {'하나' * n}" for n in range(1, 11)]

    clips = engine_for(fake_google, concurrency=3).synthesize_many(texts)

    assert len(clips) == len(texts)
    assert fake_google.max_in_flight == 3


def test_one_request_at_a_time_when_concurrency_is_one(fake_google):
    fake_google.hold = 0.05
    engine_for(fake_google, concurrency=1).synthesize_many(TEXTS)

    assert fake_google.max_in_flight == 1
    assert fake_google.requests == TEXTS


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    rng = random.Random(1)
    delays = [backoff_delay(attempt, 0.5, rng, cap=8.0) for attempt in range(8)]

    for attempt, delay in enumerate(delays):
        ceiling = min(8.0, 0.5 * 2**attempt)
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 6) for d in delays}) == len(delays)  # jittered, not a fixed schedule


def test_identity_names_what_changes_the_audio_but_not_the_endpoint():
    here = GttsEngine(voice="ko", endpoint="http://127.0.0.1:9").identity()
    google = GttsEngine(voice="ko").identity()
    other_accent = GttsEngine(voice="ko", tld="co.kr").identity()

    assert here == google
    assert other_accent != google
    assert {"engine", "voice", "library"} <= set(google)


def test_punctuation_only_text_is_silence_without_a_request(fake_google):
    clips = engine_for(fake_google).synthesize_many(["…", TEXTS[0], " ?! "])

    assert [len(clip.samples) for clip in (clips[0], clips[2])] == [0, 0]
    assert fake_google.requests == [TEXTS[0]]


def test_text_longer_than_google_takes_is_sent_in_parts_and_joined(fake_google):
    text = "콰이는 짧은 동영상 공유 앱으로 발전하면서 일상을 기록하고 공유하는 플랫폼으로 진화했습니다, " * 3
    assert len(text) > 100

    clip = engine_for(fake_google).synthesize(text)

    parts = fake_google.requests
    assert len(parts) >= 2 and all(len(part) <= 100 for part in parts)
    expected_ms = sum(seconds_for(part) for part in parts) * 1000
    assert abs(clip.duration_ms - expected_ms) < 120 * len(parts)


def test_a_rate_limit_that_says_how_long_to_wait_is_obeyed(fake_google):
    fake_google.respond = lambda text, seen: "429-wait" if seen == 0 else "ok"
    waits = []

    clip = engine_for(fake_google, sleep=waits.append).synthesize(TEXTS[0])

    assert_is_served_audio(clip, TEXTS[0])
    assert waits == [2.0]  # the server's Retry-After, not the (tiny) backoff


def test_retries_wait_longer_each_time(fake_google):
    fake_google.respond = lambda text, seen: "503" if seen < 4 else "ok"
    waits = []

    engine_for(fake_google, retries=4, backoff=0.01, sleep=waits.append).synthesize(TEXTS[0])

    assert len(waits) == 4
    assert all(0.01 * 2**n / 2 <= wait <= 0.01 * 2**n for n, wait in enumerate(waits))
