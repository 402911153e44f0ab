"""The Edge engine through edge-tts's real WebSocket client, against a fake Edge service on 127.0.0.1 that speaks
the same protocol and fails on demand (never the real service)."""

from __future__ import annotations

import socket

import edge_tts.communicate
import edge_tts.voices
import numpy as np
import pytest
from support.edge_server import TONE_FOR_VOICE, seconds_for

from briefing.errors import BriefingError
from briefing.settings import Speech
from briefing.speech.engines import UnknownVoice, make_engine
from briefing.speech.engines.edge_engine import (
    DEFAULT_VOICE_LIST,
    DEFAULT_WSS_URL,
    EDGE_SAMPLE_RATE,
    EdgeEngine,
    endpoint_urls,
    point_edge_tts_at,
)

TEXTS = ["알리바바 클라우드의 수익이 늘었습니다.", "징동은 새 물류 센터를 열었습니다.", "다음 소식입니다."]


def engine_for(server, **overrides) -> EdgeEngine:
    options = {"endpoint": server.base, "timeout": 2.0, "retries": 3, "backoff": 0.001, "seed": 7}
    return EdgeEngine(**(options | overrides))


def dominant_hz(clip) -> float:
    spectrum = np.abs(np.fft.rfft(np.asarray(clip.samples, dtype=np.float64)))
    return float(np.fft.rfftfreq(len(clip.samples), 1 / clip.sample_rate)[spectrum.argmax()])


def assert_is_served_audio(clip, text: str, voice: str = "SunHiNeural") -> None:
    assert clip.sample_rate == EDGE_SAMPLE_RATE
    assert clip.samples.dtype == np.float32
    assert abs(clip.duration_ms - seconds_for(text) * 1000) < 120  # MP3 adds a little delay and padding
    assert dominant_hz(clip) == pytest.approx(TONE_FOR_VOICE[voice], abs=5)  # the voice asked for


def recording_sleep(waits: list[float]):
    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return sleep


def test_speaks_with_the_voice_rate_and_pitch_asked_for(fake_edge):
    text = "안녕하세요. 오늘의 소식입니다 & <끝>."
    clip = engine_for(fake_edge, voice="ko-KR-InJoonNeural", rate="+10%", pitch="-5Hz").synthesize(text)

    assert_is_served_audio(clip, text, "InJoonNeural")
    request = fake_edge.requests[-1]
    assert request.text == text  # escaped by edge-tts for SSML, unescaped by the service
    assert request.voice == "Microsoft Server Speech Text to Speech Voice (ko-KR, InJoonNeural)"
    assert (request.rate, request.pitch) == ("+10%", "-5Hz")


def test_settings_build_an_engine_on_the_configured_endpoint(fake_edge):
    speech = Speech(engine="edge", edge_endpoint=fake_edge.base, edge_rate="-10%", concurrency=2, timeout=3)
    engine = make_engine("edge", speech, "ko-KR-HyunsuMultilingualNeural")

    clip = engine.synthesize(TEXTS[0])

    assert_is_served_audio(clip, TEXTS[0], "HyunsuMultilingualNeural")
    assert fake_edge.requests[-1].rate == "-10%"
    assert (engine.concurrency, engine.timeout) == (2, 3)


def test_many_texts_come_back_in_order_whatever_order_they_finish_in(fake_edge):
    texts = [f"{'가' * n} 문장" for n in (12, 1, 7, 3, 9, 5)]
    done = []

    clips = engine_for(fake_edge).synthesize_many(texts, on_done=lambda index, clip: done.append(index))

    for text, clip in zip(texts, clips, strict=True):
        assert_is_served_audio(clip, text)
    assert sorted(done) == list(range(len(texts)))


def test_concurrent_streams_never_exceed_the_bound(fake_edge):
    fake_edge.respond = lambda text, seen: "drip"  # slow streams, so they overlap as much as the engine lets them
    fake_edge.drip_pause = 0.02
    texts = [f"문장 {'하나' * n}" for n in range(1, 9)]

    engine_for(fake_edge, concurrency=3).synthesize_many(texts)

    assert fake_edge.max_in_flight == 3 and len(fake_edge.requests) == len(texts)


@pytest.mark.parametrize("status", ["429", "500", "503"])
def test_a_refused_handshake_is_retried(fake_edge, status):
    fake_edge.handshake = lambda n: status if n == 1 else "ok"
    waits: list[float] = []

    clip = engine_for(fake_edge, sleep=recording_sleep(waits)).synthesize(TEXTS[0])

    assert_is_served_audio(clip, TEXTS[0])
    assert fake_edge.connections == 2  # edge-tts itself does not retry these; the engine does
    assert waits == ([2.0] if status == "429" else [pytest.approx(waits[0])])  # a 429's Retry-After is obeyed


@pytest.mark.parametrize("failure", ["no-audio", "dropped", "closed"])
def test_a_stream_that_brings_no_or_half_the_audio_is_retried(fake_edge, failure):
    fake_edge.respond = lambda text, seen: failure if seen == 0 else "ok"

    clip = engine_for(fake_edge).synthesize(TEXTS[1])

    assert_is_served_audio(clip, TEXTS[1])  # the whole clip: a cut-short stream is never taken as the answer
    assert fake_edge.behaviours == [failure, "ok"]


def test_a_stream_that_stalls_is_given_up_at_the_deadline_and_retried(fake_edge):
    fake_edge.respond = lambda text, seen: "hang" if seen == 0 else "ok"

    clip = engine_for(fake_edge, timeout=1.0).synthesize(TEXTS[2])

    assert_is_served_audio(clip, TEXTS[2])
    assert fake_edge.behaviours == ["hang", "ok"]


def test_a_slow_stream_within_the_deadline_completes(fake_edge):
    fake_edge.respond = lambda text, seen: "drip"

    assert_is_served_audio(engine_for(fake_edge).synthesize(TEXTS[2]), TEXTS[2])
    assert fake_edge.behaviours == ["drip"]


@pytest.mark.parametrize("failure", ["bad-frame", "unknown-path"])
def test_an_answer_in_a_protocol_edge_tts_does_not_speak_is_not_retried(fake_edge, failure):
    fake_edge.respond = lambda text, seen: failure

    with pytest.raises(BriefingError, match="does not understand"):
        engine_for(fake_edge).synthesize(TEXTS[0])
    assert fake_edge.count(TEXTS[0]) == 1


def test_two_403s_are_a_refusal_that_names_the_likely_cure(fake_edge):
    fake_edge.handshake = lambda n: "403"

    with pytest.raises(BriefingError, match="HTTP 403.*upgrading edge-tts"):
        engine_for(fake_edge).synthesize(TEXTS[0])
    assert fake_edge.connections == 2  # edge-tts's own clock-skew retry, and no more


def test_a_storm_ends_in_one_error_naming_the_utterances_that_failed_and_keeps_the_others(fake_edge):
    failing = {TEXTS[0], TEXTS[2]}
    fake_edge.respond = lambda text, seen: "no-audio" if text in failing else "ok"
    done = []

    with pytest.raises(BriefingError) as caught:
        engine_for(fake_edge, retries=2).synthesize_many(TEXTS, on_done=lambda index, clip: done.append(index))

    message = str(caught.value)
    assert message.startswith(f"Edge ({fake_edge.base}) failed on 2 of 3 utterances after 2 retries (no audio")
    assert TEXTS[0] in message and TEXTS[2] in message and TEXTS[1] not in message
    assert fake_edge.count(TEXTS[0]) == 3  # the first try and two retries
    assert done == [1]  # the utterance that worked was handed over (and so cached) before the error


def test_nothing_listening_fails_clearly_after_the_retries(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = EdgeEngine(endpoint=f"ws://127.0.0.1:{port}", retries=1, backoff=0.001)

    with pytest.raises(BriefingError, match="could not connect"):
        engine.synthesize(TEXTS[0])


def test_retries_wait_longer_each_time(fake_edge):
    fake_edge.handshake = lambda n: "503" if n <= 4 else "ok"
    waits: list[float] = []

    engine_for(fake_edge, retries=4, backoff=0.01, sleep=recording_sleep(waits)).synthesize(TEXTS[0])

    assert len(waits) == 4
    assert all(0.01 * 2**n / 2 <= wait <= 0.01 * 2**n for n, wait in enumerate(waits))


def test_punctuation_only_text_is_silence_without_a_request(fake_edge):
    clips = engine_for(fake_edge).synthesize_many(["…", TEXTS[0], " ?! "])

    assert [len(clip.samples) for clip in (clips[0], clips[2])] == [0, 0]
    assert [request.text for request in fake_edge.requests] == [TEXTS[0]]


def test_the_probe_says_how_it_went(fake_edge):
    engine = engine_for(fake_edge)
    assert engine.availability().usable and engine.availability().reason.startswith("answered in ")

    fake_edge.handshake = lambda n: "503"
    assert engine.availability().reason == f"HTTP 503 ({fake_edge.base})"

    fake_edge.handshake = lambda n: "ok"
    fake_edge.respond = lambda text, seen: "hang"
    assert engine.availability(timeout=0.3).reason == f"no answer within 0.3 s ({fake_edge.base})"


def test_identity_names_what_changes_the_audio_but_not_the_endpoint():
    here = EdgeEngine(endpoint="ws://127.0.0.1:9").identity()
    microsoft = EdgeEngine().identity()

    assert here == microsoft
    assert EdgeEngine(voice="ko-KR-InJoonNeural").identity() != microsoft
    assert EdgeEngine(rate="+5%").identity() != microsoft
    assert {"engine", "voice", "rate", "pitch", "library", "sample_rate"} <= set(microsoft)


def test_an_unknown_voice_or_a_bad_rate_is_refused_before_any_connection():
    with pytest.raises(UnknownVoice, match="edge has no voice 'ko-KR-JiMinNeural'.*ko-KR-SunHiNeural"):
        EdgeEngine(voice="ko-KR-JiMinNeural")
    with pytest.raises(BriefingError, match="Invalid rate"):
        EdgeEngine(rate="10%")


def test_the_endpoint_setting_points_edge_tts_and_none_restores_microsoft():
    ws, voices = endpoint_urls("ws://127.0.0.1:8765")
    assert ws == "ws://127.0.0.1:8765/consumer/speech/synthesize/readaloud/edge/v1?TrustedClientToken=" + (
        "6A5AA1D4EAFF4E9FB37E23D68491D6F4"
    )
    assert voices.startswith("http://127.0.0.1:8765/consumer/speech/synthesize/readaloud/voices/list?")
    assert endpoint_urls("wss://mirror.example/tts")[0].startswith("wss://mirror.example/tts/consumer/speech/")

    point_edge_tts_at("ws://127.0.0.1:8765")
    assert (edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST) == (ws, voices)
    point_edge_tts_at(None)
    assert (edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST) == (DEFAULT_WSS_URL, DEFAULT_VOICE_LIST)
    assert DEFAULT_WSS_URL.startswith("wss://speech.platform.bing.com/")
