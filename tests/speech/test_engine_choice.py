"""Choosing the engine for a build: the show's setting or --engine; `auto` takes the best usable engine —
supertonic when its model is here, else edge, else gTTS when they answer a probe, else espeak — and says why.
Online engines are probed against local stand-ins only (never the real network)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from support.supertonic_model import write_stub_model

from briefing.errors import BriefingError
from briefing.settings import ENGINE_NAMES, Speech
from briefing.speech.engines import ENGINES, Availability, choose_engine, decide_engine
from briefing.speech.engines.espeak_engine import EspeakEngine
from briefing.speech.engines.gtts_engine import PROBE_TEXT, GttsEngine


def closed_port() -> int:
    """A loopback port nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nowhere() -> dict:
    """Settings that send both online engines to a closed port."""
    port = closed_port()
    return {"gtts_endpoint": f"http://127.0.0.1:{port}", "edge_endpoint": f"ws://127.0.0.1:{port}"}


def never_probe(engine) -> bool:
    raise AssertionError("the network was probed although the engine was named")


def test_auto_picks_supertonic_when_its_model_is_here(tmp_path: Path, nowhere):
    model = write_stub_model(tmp_path / "supertonic-3", voices=("F3", "M3"))

    decision = decide_engine(Speech(model_dir=model, **nowhere), probe=lambda engine: engine.availability())

    assert decision.name == "supertonic"
    assert decision.reason.startswith("auto: supertonic: model supertonic-3 at ") and str(model) in decision.reason


def test_auto_passes_over_supertonic_without_a_model_and_takes_edge_when_it_answers(fake_edge, nowhere):
    speech = Speech(gtts_endpoint=nowhere["gtts_endpoint"], edge_endpoint=fake_edge.base)

    decision = decide_engine(speech)

    assert decision.name == "edge"
    assert "supertonic: no model at " in decision.reason and "briefing voices fetch supertonic" in decision.reason
    assert "edge: answered in " in decision.reason
    assert [r.text for r in fake_edge.requests] == ["네"]  # one probe


def test_auto_takes_gtts_when_edge_does_not_answer(fake_google, nowhere):
    engine = choose_engine(Speech(engine="auto", gtts_endpoint=fake_google.url, edge_endpoint=nowhere["edge_endpoint"]))

    assert isinstance(engine, GttsEngine)
    assert engine.endpoint == fake_google.url
    assert fake_google.requests == [PROBE_TEXT]  # one real TTS request, decided once


def test_auto_falls_back_to_espeak_with_every_reason(nowhere):
    decision = decide_engine(Speech(**nowhere))

    assert decision.name == "espeak"
    assert "edge: could not connect" in decision.reason and "gtts: could not connect" in decision.reason
    assert decision.reason.endswith("espeak: offline, always available")
    assert isinstance(choose_engine(Speech(**nowhere)), EspeakEngine)


def test_an_edge_probe_that_hangs_is_given_up_after_a_second_and_a_half(fake_edge, nowhere):
    fake_edge.respond = lambda text, seen: "hang"

    decision = decide_engine(Speech(gtts_endpoint=nowhere["gtts_endpoint"], edge_endpoint=fake_edge.base))

    assert decision.name == "espeak"
    assert "edge: no answer within 1.5 s" in decision.reason


@pytest.mark.parametrize("answer", ["garbage", "500", "429"])
def test_a_gtts_endpoint_that_answers_without_audio_counts_as_unreachable(fake_google, nowhere, answer):
    fake_google.respond = lambda text, seen: answer

    speech = Speech(gtts_endpoint=fake_google.url, edge_endpoint=nowhere["edge_endpoint"])
    assert choose_engine(speech).name == "espeak"
    assert len(fake_google.requests) == 1  # the probe does not retry


def test_a_gtts_probe_that_hangs_gives_up_after_its_timeout(fake_google):
    fake_google.respond = lambda text, seen: "hang"

    answer = GttsEngine(endpoint=fake_google.url).availability(timeout=0.2)
    assert answer == Availability(False, f"no answer within 0.2 s ({fake_google.url})")


def test_two_presenters_pass_over_the_engine_with_one_voice(fake_google, nowhere):
    speech = Speech(gtts_endpoint=fake_google.url, edge_endpoint=nowhere["edge_endpoint"])

    decision = decide_engine(speech, presenters=2)

    assert decision.name == "espeak"
    assert "gtts: one voice for 2 presenters" in decision.reason
    assert fake_google.requests == []  # not even probed


def test_a_named_engine_is_used_without_probing():
    assert choose_engine(Speech(engine="espeak"), probe=never_probe).name == "espeak"
    assert choose_engine(Speech(engine="gtts"), probe=never_probe).name == "gtts"
    assert decide_engine(Speech(engine="edge"), probe=never_probe).reason == ""


def test_the_command_line_override_wins_over_the_show_setting():
    assert choose_engine(Speech(engine="gtts"), "espeak", probe=never_probe).name == "espeak"
    assert choose_engine(Speech(engine="espeak"), "auto", probe=lambda engine: True).name == list(ENGINES)[0]


def test_an_unknown_engine_is_a_clear_error():
    with pytest.raises(BriefingError, match="unknown speech engine 'polly'.*auto, supertonic, edge, gtts, espeak"):
        choose_engine(Speech(), "polly", probe=never_probe)


def test_every_engine_name_show_toml_accepts_has_an_engine_and_every_engine_a_name():
    assert ENGINE_NAMES[0] == "auto" and list(ENGINE_NAMES[1:]) == list(ENGINES)
    for name in ENGINES:
        engine = choose_engine(Speech(engine=name), probe=never_probe)
        assert engine.name == name and engine.voice == type(engine).default_voices[0]


def test_auto_takes_the_first_usable_engine_in_order_of_preference():
    asked = []

    def probe(engine) -> bool:
        asked.append(engine.name)
        return False

    assert choose_engine(Speech(engine="auto"), probe=probe).name == list(ENGINES)[-1]
    assert asked == list(ENGINES)[:-1]  # the last (offline) engine needs no probe
