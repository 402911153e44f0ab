"""Synthesis of an episode's utterances: each distinct text once, then from the cache; failures keep finished work."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pytest

from briefing.errors import BriefingError
from briefing.models import Clip
from briefing.speech.cache import ClipCache
from briefing.speech.engines.base import Engine, OnDone
from briefing.speech.engines.espeak_engine import EspeakEngine
from briefing.speech.engines.gtts_engine import GttsEngine
from briefing.speech.synthesis import synthesize_all


class Counting(Engine):
    """A real engine, with a record of every text it was asked to speak."""

    def __init__(self, inner: Engine):
        self.inner = inner
        self.name, self.voice, self.sample_rate = inner.name, inner.voice, inner.sample_rate
        self.spoken: list[str] = []

    def identity(self) -> dict:
        return self.inner.identity()

    def synthesize(self, text: str) -> Clip:
        self.spoken.append(text)
        return self.inner.synthesize(text)

    def synthesize_many(self, texts: Sequence[str], on_done: OnDone | None = None) -> list[Clip]:
        self.spoken.extend(texts)
        return self.inner.synthesize_many(texts, on_done)


@pytest.fixture(scope="module")
def issue_sentences(ten_story_issue) -> list[str]:
    """Twelve sentences of a ten-story issue (the project's own, then the real seed), as printed."""
    lines = ten_story_issue.read_text(encoding="utf-8").splitlines()
    sentences = [s for line in lines[1:5] for s in re.split(r"(?<=다\.)\s+", line) if s.strip()]
    assert len(sentences) >= 12
    return sentences[:12]


@pytest.fixture
def espeak() -> Counting:
    return Counting(EspeakEngine())


def test_identical_texts_in_one_episode_are_synthesised_once(tmp_path, espeak):
    texts = ["다음 소식입니다.", "콰이는 짧은 동영상 앱입니다.", "다음 소식입니다.", "다음 소식입니다."]

    result = synthesize_all(espeak, texts, ClipCache(tmp_path))

    assert espeak.spoken == ["다음 소식입니다.", "콰이는 짧은 동영상 앱입니다."]
    assert (result.synthesised, result.reused) == (2, 2)
    assert result.summary == "synthesised 2, reused 2"
    assert result.clips[0] is result.clips[2] is result.clips[3]
    assert len(result.clips[1].samples) > len(result.clips[0].samples)


def test_a_second_run_synthesises_nothing_and_gives_identical_audio(tmp_path, espeak, issue_sentences):
    cache = ClipCache(tmp_path)
    first = synthesize_all(espeak, issue_sentences, cache)
    espeak.spoken.clear()

    second = synthesize_all(espeak, issue_sentences, cache)

    assert espeak.spoken == []
    assert (second.synthesised, second.reused) == (0, len(issue_sentences))
    for before, after in zip(first.clips, second.clips, strict=True):
        assert np.array_equal(before.samples, after.samples) and before.sample_rate == after.sample_rate


def test_editing_one_sentence_synthesises_exactly_that_sentence(tmp_path, espeak, issue_sentences):
    cache = ClipCache(tmp_path)
    synthesize_all(espeak, issue_sentences, cache)
    espeak.spoken.clear()
    edited = list(issue_sentences)
    edited[5] = edited[5].replace("다.", "다고 합니다.")

    result = synthesize_all(espeak, edited, cache)

    assert espeak.spoken == [edited[5]]
    assert (result.synthesised, result.reused) == (1, len(edited) - 1)


def test_a_different_engine_setting_does_not_reuse_clips(tmp_path, issue_sentences):
    cache = ClipCache(tmp_path)
    synthesize_all(Counting(EspeakEngine(rate=165)), issue_sentences[:3], cache)
    faster = Counting(EspeakEngine(rate=200))

    result = synthesize_all(faster, issue_sentences[:3], cache)

    assert faster.spoken == issue_sentences[:3] and result.synthesised == 3


def test_progress_counts_the_clips_to_synthesise(tmp_path, espeak):
    cache = ClipCache(tmp_path)
    synthesize_all(espeak, ["이미 있는 문장."], cache)
    seen = []
    texts = ["이미 있는 문장.", "새 문장 하나.", "새 문장 둘."]

    synthesize_all(espeak, texts, cache, progress=lambda *progress: seen.append(progress))

    assert seen == [("synthesis", 0, 2), ("synthesis", 1, 2), ("synthesis", 2, 2)]


def test_blank_or_punctuation_only_text_is_silence_and_never_reaches_the_engine(tmp_path, espeak):
    result = synthesize_all(espeak, ["말할 문장.", "  ", "…"], ClipCache(tmp_path))

    assert espeak.spoken == ["말할 문장."]
    assert len(result.clips[1].samples) == len(result.clips[2].samples) == 0


def test_after_a_failed_run_only_the_failed_utterances_are_requested_again(tmp_path, fake_google):
    texts = ["첫 문장입니다.", "두 번째 문장은 실패합니다.", "세 번째 문장입니다.", "네 번째 문장입니다."]
    cache = ClipCache(tmp_path)
    engine = GttsEngine(voice="ko", endpoint=fake_google.url, retries=1, backoff=0.001, timeout=2)
    fake_google.respond = lambda text, seen: "500" if text == texts[1] else "ok"

    with pytest.raises(BriefingError, match="failed on 1 of 4 utterances") as caught:
        synthesize_all(engine, texts, cache)
    assert texts[1] in str(caught.value)
    assert cache.size()[0] == 3  # finished work was kept

    fake_google.respond = lambda text, seen: "ok"
    fake_google.requests.clear()
    result = synthesize_all(engine, texts, cache)

    assert fake_google.requests == [texts[1]]
    assert (result.synthesised, result.reused) == (1, 3)
