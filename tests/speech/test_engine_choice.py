"""Choosing the engine for a build: the show's setting or --engine; `auto` probes gTTS once (never the real network)."""

from __future__ import annotations

import socket

import pytest

from briefing.errors import BriefingError
from briefing.settings import ENGINE_NAMES, Speech
from briefing.speech.engines import ENGINES, choose_engine
from briefing.speech.engines.espeak_engine import EspeakEngine
from briefing.speech.engines.gtts_engine import PROBE_TEXT, GttsEngine


@pytest.fixture
def closed_port_url() -> str:
    """A loopback address nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def never_probe(engine) -> bool:
    raise AssertionError("the network was probed although the engine was named")


def test_auto_picks_gtts_when_the_endpoint_answers(fake_google):
    engine = choose_engine(Speech(engine="auto", gtts_endpoint=fake_google.url))

    assert isinstance(engine, GttsEngine)
    assert engine.endpoint == fake_google.url
    assert fake_google.requests == [PROBE_TEXT]  # one real TTS request, decided once


def test_auto_falls_back_to_espeak_when_the_endpoint_is_unreachable(closed_port_url):
    engine = choose_engine(Speech(engine="auto", gtts_endpoint=closed_port_url))

    assert isinstance(engine, EspeakEngine)
    assert engine.name == "espeak" and engine.voice == "ko"


@pytest.mark.parametrize("answer", ["garbage", "500", "429"])
def test_an_endpoint_that_answers_without_audio_counts_as_unreachable(fake_google, answer):
    fake_google.respond = lambda text, seen: answer

    assert choose_engine(Speech(gtts_endpoint=fake_google.url)).name == "espeak"
    assert len(fake_google.requests) == 1  # the probe does not retry


def test_a_probe_that_hangs_gives_up_after_its_timeout(fake_google):
    fake_google.respond = lambda text, seen: "hang"

    assert GttsEngine(endpoint=fake_google.url).usable(timeout=0.2) is False


def test_a_named_engine_is_used_without_probing():
    assert choose_engine(Speech(engine="espeak"), probe=never_probe).name == "espeak"
    assert choose_engine(Speech(engine="gtts"), probe=never_probe).name == "gtts"


def test_the_command_line_override_wins_over_the_show_setting():
    assert choose_engine(Speech(engine="gtts"), "espeak", probe=never_probe).name == "espeak"
    assert choose_engine(Speech(engine="espeak"), "auto", probe=lambda engine: True).name == "gtts"


def test_an_unknown_engine_is_a_clear_error():
    with pytest.raises(BriefingError, match="unknown speech engine 'edge'.*auto, gtts, espeak"):
        choose_engine(Speech(), "edge", probe=never_probe)


def test_every_engine_name_show_toml_accepts_has_an_engine_and_every_engine_a_name():
    assert ENGINE_NAMES[0] == "auto" and list(ENGINE_NAMES[1:]) == list(ENGINES)
    for name in ENGINES:
        engine = choose_engine(Speech(engine=name), probe=never_probe)
        assert engine.name == name and engine.voice == "ko"


def test_auto_takes_the_first_usable_engine_in_order_of_preference():
    asked = []

    def probe(engine) -> bool:
        asked.append(engine.name)
        return False

    assert choose_engine(Speech(engine="auto"), probe=probe).name == list(ENGINES)[-1]
    assert asked == list(ENGINES)[:-1]  # the last (offline) engine needs no probe
