"""The script's utterances worked out in a process of its own, which a command may set going before it has a script."""

from __future__ import annotations

import datetime as dt

from briefing.models import Chapter, Script, ScriptMeta
from briefing.speech import background
from briefing.speech.utterances import script_utterances


def a_script() -> Script:
    meta = ScriptMeta(show="쇼", episode=1, title="제목", date=dt.date(2026, 11, 26), slug="ep-1", guid="g", source="i")
    chapters = (
        Chapter(kind="opening", title="시작", paragraphs=("안녕하세요. 3월 소식입니다.",)),
        Chapter(kind="story", title="콰이", paragraphs=("콰이는 7개 나라에 있습니다. 매출은 $7M입니다.",)),
    )
    return Script(meta=meta, chapters=chapters)


def test_utterances_come_from_another_process_as_this_one_would_work_them_out():
    script = a_script()
    with background.BackgroundUtterances(script, {"콰이": "콰이"}) as pending:
        assert pending._process is not None and pending._process.pid > 0
        assert pending.result() == script_utterances(script, {"콰이": "콰이"})
        assert pending._reply is not None  # answered by the other process, not worked out here instead


def test_an_analyser_started_early_is_taken_by_the_next_build():
    background.start_early()
    early = background._early
    assert early is not None and early.poll() is None
    script = a_script()
    with background.BackgroundUtterances(script, None) as pending:
        assert pending._process is early  # taken, not a second process
        assert background._early is None
        assert pending.result() == script_utterances(script, None)
        assert pending._reply is not None
    assert early.wait(timeout=30) == 0  # it answered and ended


def test_an_analyser_started_early_that_no_build_takes_is_stopped():
    background.start_early()
    early = background._early
    assert early is not None
    background._stop_early()  # as at the command's exit
    assert early.wait(timeout=30) != 0 and background._early is None
    background.start_early()  # and a later command may start one again
    assert background._early is not None and background._early is not early
    background._stop_early()
