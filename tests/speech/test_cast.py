"""Who speaks with which voice: every engine gives two presenters two voices (espeak-ng through its variants and
pitch), gTTS cannot, and a voice an engine lacks points at the setting that asked for it."""

from __future__ import annotations

import pytest
from support.pitch import median_pitch

from briefing.settings import Presenter, Speech
from briefing.speech.cast import Cast, CastProblem, make_cast
from briefing.speech.engines import make_engine


def test_each_engine_gives_two_presenters_two_voices_by_default():
    two = (Presenter(name="지수"), Presenter(name="민호"))
    voices = {engine: [r.engine.voice for r in make_cast(engine, Speech(), two).roles]
              for engine in ("supertonic", "edge", "espeak")}  # fmt: skip

    assert voices == {"supertonic": ["F3", "M3"], "edge": ["ko-KR-SunHiNeural", "ko-KR-InJoonNeural"],
                      "espeak": ["ko", "ko+f3"]}  # fmt: skip


def test_espeak_presenters_sound_audibly_different():
    cast = make_cast("espeak", Speech(), (Presenter(name="지수", espeak="ko+f3"), Presenter(name="민호")))
    sentence = "오늘의 첫 번째 소식입니다. 알리바바 클라우드의 수익이 크게 늘었습니다."

    pitches = [median_pitch(role.engine.synthesize(sentence).samples, role.engine.sample_rate) for role in cast.roles]

    assert pitches[0] > 1.6 * pitches[1]  # a female variant against the low default: most of an octave apart


def test_gtts_cannot_give_two_presenters_two_voices():
    with pytest.raises(CastProblem) as caught:
        make_cast("gtts", Speech(), (Presenter(name="지수"), Presenter(name="민호")))
    assert caught.value.message.startswith("gTTS has one Korean voice, so presenters 지수 and 민호 would sound alike")
    assert caught.value.loc == ("presenters", 1)


def test_two_presenters_given_the_same_voice_are_refused():
    same = (Presenter(name="지수", edge="ko-KR-InJoonNeural"), Presenter(name="민호", edge="ko-KR-InJoonNeural"))
    with pytest.raises(CastProblem, match="presenters 지수 and 민호 would sound alike on edge"):
        make_cast("edge", Speech(), same)


def test_an_unknown_voice_points_at_the_setting_that_asked_for_it():
    with pytest.raises(CastProblem) as caught:
        make_cast("espeak", Speech(), (Presenter(name="지수"), Presenter(name="민호", espeak="ko+nobody")))
    assert caught.value.loc == ("presenters", 1, "espeak") and "espeak has no voice 'ko+nobody'" in caught.value.message
    with pytest.raises(CastProblem) as caught:
        make_cast("espeak", Speech(voice="xx"))
    assert caught.value.loc == ("speech", "voice")


def test_one_unnamed_presenter_keeps_the_engines_identity_as_the_build_key_had_it():
    from briefing.build import voices_identity

    engine = make_engine("espeak", Speech())
    assert voices_identity(Cast.solo(engine)) == engine.identity()
    named = make_cast("espeak", Speech(), (Presenter(name="지수"),))
    assert voices_identity(named) == {"presenters": [{"name": "지수", "voice": engine.identity()}]}
