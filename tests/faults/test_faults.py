"""Network faults, from a local server that drips, stalls, truncates and lies: `validate URL` and every online speech
engine end within their deadline with a message saying what happened.

The assertions are on the message and on the call having ended (a generous bound, far beyond any deadline here,
only keeps a regression from hanging the run); never on how long it took.
"""

from __future__ import annotations

import base64
import datetime as dt
import importlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.fault_server import FaultServer, http_answer, running_fault_server
from support.gtts_server import RPC_ID, rpc_body, tone_mp3
from support.synthetic import encode_tone_mp3, mp3_duration_ms, synthetic_timeline, write_built_episode

from briefing.errors import BriefingError
from briefing.release import publish
from briefing.settings import find_workspace
from briefing.speech.engines.base import Engine
from briefing.validate import validate_feed

DEADLINE = 1.0  # seconds: the timeout where the fault is time itself (a drip, a stall)
ROOMY = 10.0  # seconds: the timeout where it is not (a truncated answer, a lie), so a busy machine cannot blur them
HANG_GUARD = 60.0  # a call still running after this has hung


def ended(call: Callable[[], object]) -> object:
    """What `call()` returned or raised, asserting that it ended (it runs on a thread, so a hang fails, not hangs)."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # noqa: BLE001 — handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), f"still waiting after {HANG_GUARD:g} s"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("value")


@pytest.fixture
def faults(monkeypatch) -> Iterator[FaultServer]:
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    with running_fault_server() as server:
        yield server


# ----------------------------------------------------------------------------------------- validate URL

TIMED_OUT = f"timed out after {DEADLINE:g} s without a complete answer"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/drip", TIMED_OUT),  # a byte every 0.2 s, for ever: each read is quick, the whole never comes
        ("/drip-head", TIMED_OUT),  # even the status line and headers
        ("/drip-open", TIMED_OUT),  # no length declared: the cut at the deadline must not pass for the body's end
        ("/stall", TIMED_OUT),
        ("/stall-body", TIMED_OUT),  # half the body, then nothing
        ("/truncate", "the connection closed after 500 of 1000 bytes"),
        ("/endless", "an answer over 50 MB"),
        ("/nothing-here", "HTTP 404 Not Found"),
    ],
)
def test_validate_url_ends_within_its_deadline_with_what_went_wrong(faults, path, message):
    timeout = DEADLINE if message == TIMED_OUT else ROOMY
    with pytest.raises(BriefingError) as error:
        ended(lambda: validate_feed(faults.url + path, timeout=timeout))
    assert error.value.message == f"cannot fetch the feed ({message})"


def test_validate_url_given_a_page_that_is_not_a_feed_reports_it(faults):
    report = ended(lambda: validate_feed(faults.url + "/html", timeout=ROOMY))
    assert [finding.rule for finding in report.findings] == ["xml.well-formed"]


def test_validate_cli_says_it_in_one_sentence_and_exits_2(faults, monkeypatch, capsys):
    from briefing import cli

    monkeypatch.setattr("sys.argv", ["briefing", "validate", "--timeout", str(DEADLINE), faults.url + "/drip"])
    with pytest.raises(SystemExit) as exit_:
        ended(cli.main)
    assert exit_.value.code == 2
    assert capsys.readouterr().err.strip().endswith(f"cannot fetch the feed ({TIMED_OUT})")


@pytest.fixture
def slow_resources_feed(tmp_path, faults) -> str:
    """A feed on the fault server whose 20 episodes' chapters and whose artwork never come (`/stall`)."""
    root = tmp_path / "show"
    (root / "feed").mkdir(parents=True)
    settings = (Path(__file__).resolve().parents[2] / "show.toml").read_text(encoding="utf-8")
    base = faults.url + "/ok/"
    (root / "show.toml").write_text(
        settings.replace('base_url = "https://podcast.example.com/asia-tech-brief/"', f'base_url = "{base}"'),
        encoding="utf-8",
    )
    tone = tmp_path / "tone.mp3"
    encode_tone_mp3(tone, 1.0)
    for number in range(1, 21):
        write_built_episode(
            root / "audio" / "episodes", synthetic_timeline(number, mp3_duration_ms(tone)), tone.read_bytes()
        )
    publish(find_workspace(root), now=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    feed = (root / "feed" / "feed.xml").read_text(encoding="utf-8")
    # Every resource the validator fetches now points at a path that never answers.
    feed = feed.replace(base + "chapters/", faults.url + "/stall/chapters/").replace(
        base + "cover", faults.url + "/stall/cover"
    )
    faults.files["feed.xml"] = feed.encode("utf-8")
    return faults.url + "/ok/feed.xml"


def test_a_feeds_unanswered_resources_are_fetched_at_once_under_one_deadline(slow_resources_feed, faults):
    # A longer deadline here: on a busy machine, starting the fetches must not eat the time they are given.
    report = ended(lambda: validate_feed(slow_resources_feed, timeout=5.0))
    assert sum(path.startswith("/stall/chapters/") for path in faults.requests) >= 10
    # One after another (before), the server never had more than one of them waiting at once.
    assert faults.in_flight_max >= 10
    assert "apple.image-reachable" in {finding.rule for finding in report.findings}


# ----------------------------------------------------------------------------------- online speech engines


def _rpc_lie(audio_base64: str) -> Callable[[str, bytes], bytes]:
    first = json.dumps(
        [["wrb.fr", RPC_ID, json.dumps([audio_base64]), None, None, None, "generic"]], separators=(",", ":")
    )
    body = f")]}}'\n\n{len(first)}\n{first}\n".encode()
    return lambda path, request: http_answer("200 OK", body, "application/json")


def _short_length(path: str, request: bytes) -> bytes:
    body = rpc_body(tone_mp3(0.5))
    return http_answer("200 OK", body, "application/json", length=20)  # says 20 bytes: the audio is cut off


@dataclass(frozen=True)
class OnlineEngine:
    """How to fault one online engine: the fixture of a local server speaking its protocol, how to make the engine
    talk to it, and per fault, how to make that server misbehave and the reason the engine must then give."""

    server_fixture: str
    make: Callable[[object, float], Engine]
    faults: dict[str, tuple[Callable[[object], None], str]]


def _gtts(server: object, timeout: float) -> Engine:
    from briefing.speech.engines.gtts_engine import GttsEngine

    assert isinstance(server, FaultServer)
    return GttsEngine(endpoint=server.url, timeout=timeout, retries=0, concurrency=2)


def _mode(mode: str | None, delegate: Callable[[str, bytes], bytes] | None = None) -> Callable[[object], None]:
    def apply(server: object) -> None:
        assert isinstance(server, FaultServer)
        server.mode, server.delegate = mode, delegate

    return apply


def _edge(server: Any, timeout: float) -> Engine:
    from briefing.speech.engines.edge_engine import EdgeEngine

    return EdgeEngine(endpoint=server.base, timeout=timeout, retries=0, concurrency=2)


def _edge_does(behaviour: str, drip_pause: float = 0.0) -> Callable[[object], None]:
    def apply(server: Any) -> None:
        server.respond = lambda text, seen: behaviour
        server.drip_pause = drip_pause

    return apply


# Every online engine, each against a local server speaking its own protocol (gTTS: plain HTTP from the fault
# server; Edge: WebSocket frames from its stand-in). A new online engine joins this table with its faults.
ONLINE_ENGINES: dict[str, OnlineEngine] = {
    "gtts": OnlineEngine(
        "faults",
        _gtts,
        {
            "drip": (_mode("drip"), TIMED_OUT),
            "drip-head": (_mode("drip-head"), TIMED_OUT),
            "drip-open": (_mode("drip-open"), TIMED_OUT),
            "stall": (_mode("stall"), TIMED_OUT),
            "stall-body": (_mode("stall-body"), TIMED_OUT),
            "truncate": (_mode("truncate"), "the connection closed after 500 of 1000 bytes"),
            "endless": (_mode("endless"), "an answer over 8 MB"),
            "html": (_mode("html"), "an HTML page without audio (text/html, 48 bytes)"),
            "not-base64": (_mode(None, _rpc_lie("%%%not base64%%%")), "an undecodable answer"),
            "not-mp3": (_mode(None, _rpc_lie(base64.b64encode(b"RIFF....WAVE" * 100).decode())), "undecodable audio"),
            "short-length": (_mode(None, _short_length), "an answer without audio"),
        },
    ),
    "edge": OnlineEngine(
        "fake_edge",
        _edge,
        {
            "drip": (_edge_does("drip", drip_pause=0.6), f"no answer within {DEADLINE:g} s"),  # 1 KiB at a time
            "stall": (_edge_does("hang"), f"no answer within {DEADLINE:g} s"),
            "truncate": (_edge_does("dropped"), "a stream cut short"),  # the TCP connection cut mid-audio
            "cut-short": (_edge_does("closed"), "a stream cut short"),  # a clean close halfway: edge-tts says nothing
            "no-audio": (_edge_does("no-audio"), "no audio received"),
            "not-its-protocol": (_edge_does("bad-frame"), "an answer edge-tts does not understand"),
        },
    ),
}
ENGINE_FAULTS = [(name, fault) for name, engine in ONLINE_ENGINES.items() for fault in engine.faults]


@pytest.mark.parametrize(("engine_name", "fault"), ENGINE_FAULTS, ids=[f"{n}-{f}" for n, f in ENGINE_FAULTS])
def test_an_online_engine_ends_within_its_deadline_and_names_the_fault(request, engine_name, fault):
    online = ONLINE_ENGINES[engine_name]
    server = request.getfixturevalue(online.server_fixture)
    misbehave, reason = online.faults[fault]
    misbehave(server)
    timed = reason in (TIMED_OUT, f"no answer within {DEADLINE:g} s")
    engine = online.make(server, DEADLINE if timed else ROOMY)
    with pytest.raises(BriefingError) as error:
        ended(lambda: engine.synthesize_many(["안녕하세요", "반갑습니다"]))
    assert f"failed on 2 of 2 utterances after 0 retries ({reason}" in error.value.message


def test_a_probe_that_gets_a_drip_says_the_engine_is_not_usable(faults):
    faults.mode = "drip"
    gtts_engine = importlib.import_module("briefing.speech.engines.gtts_engine")
    engine = gtts_engine.GttsEngine(endpoint=faults.url)
    assert ended(lambda: engine.usable(timeout=DEADLINE)) is False


# ------------------------------------------------------------------------------------------ fetch a feed

TOO_LATE = "the feed did not arrive in time"


@pytest.mark.parametrize(
    ("path", "sentence"),
    [
        ("/drip", TOO_LATE),
        ("/drip-head", TOO_LATE),  # the status line and headers a byte at a time: each read is quick
        ("/drip-open", TOO_LATE),
        ("/stall", TOO_LATE),
        ("/stall-body", TOO_LATE),
        ("/truncate", "cannot be read (the connection closed after 500 of 1000 bytes)"),
        ("/endless", "the feed is over the 1 MB limit"),
        ("/nothing-here", "answered 404 Not Found"),
    ],
)
def test_fetching_a_newsletter_feed_ends_within_its_deadline_with_what_went_wrong(faults, path, sentence):
    from briefing.fetch.http import get

    timeout = DEADLINE if sentence == TOO_LATE else ROOMY
    with pytest.raises(BriefingError) as error:
        ended(lambda: get(faults.url + path, timeout=timeout, max_bytes=1 << 20))
    assert str(error.value) == f"{faults.url}{path}: {sentence}"
