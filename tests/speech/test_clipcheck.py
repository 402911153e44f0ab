"""A synthesised clip is checked before it is cached: a gTTS answer cut short (mid-frame, or whole but far too short
for its text) or silent is asked for again and, if it stays so, fails the build naming the sentence — never cached."""

from __future__ import annotations

import numpy as np
import pytest
from support.gtts_server import seconds_for, tone_mp3

from briefing.errors import BriefingError
from briefing.models import Clip
from briefing.speech.cache import ClipCache
from briefing.speech.clipcheck import clip_problem
from briefing.speech.engines.base import Engine, clip_from_float
from briefing.speech.engines.espeak_engine import EspeakEngine
from briefing.speech.engines.gtts_engine import GttsEngine
from briefing.speech.engines.online import mp3_cut_short
from briefing.speech.synthesis import synthesize_all

SENTENCES = ["첫 번째 문장은 조금 길게 씁니다.", "두 번째 문장입니다.", "세 번째 문장도 있습니다."]


def gtts(fake_google) -> GttsEngine:
    return GttsEngine(voice="ko", endpoint=fake_google.url, retries=2, backoff=0.001, timeout=5)


@pytest.mark.parametrize("answer", ["short", "short-whole", "silent"])
def test_a_bad_answer_is_asked_for_again_and_the_good_one_cached(tmp_path, fake_google, answer):
    fake_google.respond = lambda text, seen: answer if text == SENTENCES[0] and seen == 0 else "ok"
    cache = ClipCache(tmp_path)

    result = synthesize_all(gtts(fake_google), SENTENCES, cache)

    assert fake_google.count(SENTENCES[0]) == 2
    assert len(result.clips[0].samples) / result.clips[0].sample_rate == pytest.approx(
        seconds_for(SENTENCES[0]), abs=0.1
    )
    cached = cache.get(GttsEngine(voice="ko").identity(), SENTENCES[0])
    assert cached is not None and np.array_equal(cached.samples, result.clips[0].samples)


@pytest.mark.parametrize(("answer", "reason"), [("short", "audio cut short"), ("short-whole", "too short for"),
                                                ("silent", "of silence")])  # fmt: skip
def test_an_answer_that_stays_bad_fails_naming_the_sentence_and_is_never_cached(tmp_path, fake_google, answer, reason):
    fake_google.respond = lambda text, seen: answer if text == SENTENCES[0] else "ok"
    cache = ClipCache(tmp_path)

    with pytest.raises(BriefingError) as failed:
        synthesize_all(gtts(fake_google), SENTENCES, cache)

    assert "failed on 1 of 3 utterances" in failed.value.message and reason in failed.value.message
    assert SENTENCES[0][:20] in failed.value.message
    assert fake_google.count(SENTENCES[0]) == 3  # the first answer and two retries
    assert cache.get(GttsEngine(voice="ko").identity(), SENTENCES[0]) is None
    assert cache.size()[0] == 2  # the good ones are kept for the next build


class CutShort(Engine):
    """espeak, but every clip is cut to its first tenth (an engine that lost the end of its answers)."""

    name = "cut-espeak"
    voice = "ko"

    def __init__(self) -> None:
        self.espeak = EspeakEngine()
        self.sample_rate = self.espeak.sample_rate

    def identity(self) -> dict:
        return {**self.espeak.identity(), "engine": self.name}

    def synthesize(self, text: str) -> Clip:
        samples = self.espeak.synthesize(text).samples
        return clip_from_float(samples[: len(samples) // 10], self.sample_rate)


def test_any_engine_s_implausible_clip_fails_the_build_and_is_not_cached(tmp_path):
    cache = ClipCache(tmp_path)
    with pytest.raises(BriefingError, match=r"cut-espeak gave .* too short for 13 letters .* it was not cached"):
        synthesize_all(CutShort(), SENTENCES, cache)
    assert cache.size() == (0, 0)


@pytest.mark.parametrize("rate", [80, 165, 450])
def test_espeak_at_any_rate_it_accepts_passes_the_check(rate):
    engine = EspeakEngine(rate=rate)
    for text in [*SENTENCES, "네.", "일", "ㅋㅋㅋ", "에이아이 기반 무인 창고 일곱 개가 스물네 시간 가동되면서"]:
        assert clip_problem(text, engine.synthesize(text)) is None, (rate, text)


def test_an_mp3_answer_is_whole_only_to_its_last_frame():
    whole = tone_mp3(1.0)
    assert not mp3_cut_short(whole)
    assert mp3_cut_short(whole[: len(whole) * 3 // 10])
    assert mp3_cut_short(whole[:-1])
    assert not mp3_cut_short(whole + b"TAG" + bytes(125))  # an ID3v1 tag after the last frame
    assert not mp3_cut_short(b"<html>not audio</html>")  # not audio at all: undecodable, not cut short
    assert mp3_cut_short(whole[:10])  # the ID3v2 tag alone, or part of it
