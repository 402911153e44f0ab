"""Two presenters: [[presenters]] in show.toml, their voices per engine, speaker marks in scripts, the two-presenter
templates. Every mistake is one sentence naming the file and line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from briefing.errors import BriefingError
from briefing.ingest import read_issue
from briefing.models import Script
from briefing.script import make_script, parse_script, render_script
from briefing.script.marks import resolve_speakers, split_mark
from briefing.settings import Presenter, Speech, find_workspace, load_settings
from briefing.speech.cast import Cast, CastProblem, make_cast
from briefing.speech.engines import make_engine
from briefing.speech.utterances import script_utterances

TWO = """
[[presenters]]
name = "지수"
espeak = "ko+f3"
edge = "ko-KR-SunHiNeural"

[[presenters]]
name = "민호"
espeak = "ko"
pitch = 40
edge = "ko-KR-InJoonNeural"
"""


def with_presenters(show_dir: Path, block: str = TWO) -> Path:
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + block, encoding="utf-8")
    return toml


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if line.strip().startswith(needle)]
    return found[occurrence - 1]


def median_pitch(samples: np.ndarray, rate: int) -> float:
    """The voice's fundamental frequency: autocorrelation over voiced 40 ms frames."""
    frame, found = int(0.04 * rate), []
    for start in range(0, len(samples) - frame, frame // 2):
        window = np.asarray(samples[start : start + frame], dtype=np.float64)
        if np.sqrt(np.mean(window**2)) < 0.02:
            continue
        correlation = np.correlate(window, window, "full")[frame - 1 :]
        low, high = rate // 400, rate // 60
        lag = low + int(np.argmax(correlation[low:high]))
        if correlation[lag] > 0.3 * correlation[0]:
            found.append(rate / lag)
    return float(np.median(found))


# ------------------------------------------------------------------------------------------------- show.toml


def test_presenters_are_read_with_a_voice_per_engine(show_dir):
    settings = load_settings(with_presenters(show_dir))

    assert [p.name for p in settings.presenters] == ["지수", "민호"]
    assert settings.presenters[0].voice_for("edge") == "ko-KR-SunHiNeural"
    assert (settings.presenters[1].voice_for("espeak"), settings.presenters[1].pitch) == ("ko", 40)
    assert settings.presenters[1].voice_for("supertonic") is None  # the engine's default for the second place


@pytest.mark.parametrize(
    ("block", "needle", "occurrence", "message"),
    [
        ('\n[[presenters]]\nname = "지수"\n\n[[presenters]]\nname = "지수"\n', 'name = "지수"', 2,
         "two presenters are called '지수'; each needs a name of their own"),
        ('\n[[presenters]]\nname = "지수"\n\n[[presenters]]\nname = "민호:"\n', 'name = "민호:"', 1,
         "field 'presenters.1.name': value error, must be a name without"),
        ('\n[[presenters]]\nname = "지수"\nedgy = "x"\n', 'edgy = "x"', 1, "unknown field 'presenters.0.edgy'"),
        ('\n[[presenters]]\nname = "지수"\npitch = 120\n', "pitch = 120", 1, "field 'presenters.0.pitch'"),
    ],
)  # fmt: skip
def test_a_wrong_presenter_is_named_with_its_line(show_dir, block, needle, occurrence, message):
    toml = with_presenters(show_dir, block)

    with pytest.raises(BriefingError) as caught:
        load_settings(toml)
    assert caught.value.message.startswith(message)
    assert (caught.value.path, caught.value.line) == (toml, line_of(toml, needle, occurrence))


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('engine = "auto"', 'engine = "auto"\nedge_endpoint = "127.0.0.1:8765"', "speech.edge_endpoint"),
        ('engine = "auto"', 'engine = "auto"\nedge_endpoint = "http://mirror.example"', "speech.edge_endpoint"),
        ('engine = "auto"', 'engine = "auto"\nedge_rate = "10%"', "speech.edge_rate"),
        ('engine = "auto"', 'engine = "auto"\nedge_pitch = "+5%"', "speech.edge_pitch"),
        ('engine = "auto"', 'engine = "auto"\nsupertonic_model = "supertonic"', "speech.supertonic_model"),
    ],
)
def test_a_wrong_voice_setting_is_named_with_its_line(show_dir, old, new, field):
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    with pytest.raises(BriefingError) as caught:
        load_settings(toml)
    assert f"'{field}'" in caught.value.message
    assert caught.value.line == line_of(toml, new.splitlines()[-1])


# ------------------------------------------------------------------------------------------------------ voices


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


# ------------------------------------------------------------------------------------------------------- marks

SCRIPT = """---
show: S
episode: 1
title: T
date: 2026-12-01
slug: s-001
guid: g
source: i.txt
---

## 오프닝

**지수:** 안녕하십니까.

**민호**: 안녕하세요.

같은 사람이 이어서 말합니다.

## 첫 소식

**민호:**

이 장은 민호가 읽습니다.

두 번째 문단도 민호입니다.

## 마무리

\\**강조:** 이것은 표시가 아니라 문장입니다.

**지수:** 고맙습니다.
"""


def test_marks_give_paragraphs_to_presenters_until_the_next_mark():
    script = parse_script(SCRIPT, Path("s.md"), ["지수", "민호"])
    opening, story, closing = script.chapters

    assert opening.paragraphs == ("안녕하십니까.", "안녕하세요.", "같은 사람이 이어서 말합니다.")
    assert resolve_speakers(opening.marks, 3) == ["지수", "민호", "민호"]
    assert resolve_speakers(story.marks, 2) == ["민호", "민호"]  # a mark alone under the heading: the whole chapter
    assert closing.paragraphs[0] == "**강조:** 이것은 표시가 아니라 문장입니다."  # escaped: text, not a mark
    assert resolve_speakers(closing.marks, 2) == [None, "지수"]  # a chapter starts with the lead


def test_utterances_carry_their_speaker_and_the_lead_reads_the_rest():
    script = parse_script(SCRIPT, Path("s.md"), ["지수", "민호"])
    speakers = [(u.written, u.speaker) for u in script_utterances(script, lead="지수")]

    assert speakers[:3] == [
        ("안녕하십니까.", "지수"),
        ("안녕하세요.", "민호"),
        ("같은 사람이 이어서 말합니다.", "민호"),
    ]
    assert speakers[-2] == ("**강조:** 이것은 표시가 아니라 문장입니다.", "지수")


def test_a_script_with_marks_renders_back_to_the_same_marks():
    script = parse_script(SCRIPT, Path("s.md"))
    rendered = render_script(script)

    assert parse_script(rendered, Path("s.md")) == script
    assert render_script(parse_script(rendered, Path("s.md"))) == rendered
    assert "**민호:** 안녕하세요." in rendered and "\\**강조:** 이것은" in rendered


@pytest.mark.parametrize(
    ("edit", "presenters", "message", "needle"),
    [
        (("**민호**: 안녕하세요.", "**철수:** 안녕하세요."), ["지수", "민호"],
         "the speaker mark names 철수, who is not a presenter (show.toml has 지수, 민호)", "**철수:** 안녕하세요."),
        (("", ""), [], "a speaker mark names 지수, but show.toml has no [[presenters]]", "**지수:** 안녕하십니까."),
        (("**지수:** 고맙습니다.", "고맙습니다.\n\n**지수:**"), ["지수", "민호"],
         "the speaker mark for 지수 has no paragraph after it", "**지수:**"),
        (("**민호:**\n\n이 장은", "**민호:**\n\n> 출처: https://example.com/a\n\n이 장은"), ["지수", "민호"],
         "the speaker mark for 민호 has no paragraph after it", "**민호:**"),
    ],
)  # fmt: skip
def test_a_wrong_mark_is_one_sentence_with_its_line(edit, presenters, message, needle):
    text = SCRIPT.replace(*edit) if edit[0] else SCRIPT
    with pytest.raises(BriefingError) as caught:
        parse_script(text, Path("s.md"), presenters)
    assert caught.value.message == message
    assert caught.value.line == text.splitlines().index(needle) + 1


def test_split_mark_reads_both_spellings_and_nothing_else():
    assert split_mark("**지수:** 안녕") == ("지수", "안녕")
    assert split_mark("**지수**: 안녕") == ("지수", "안녕")
    assert split_mark("**Kim Ji-su:**안녕") == ("Kim Ji-su", "안녕")
    assert split_mark("**굵게** 쓴 말") == (None, "**굵게** 쓴 말")
    assert split_mark("지수: 안녕") == (None, "지수: 안녕")


# --------------------------------------------------------------------------------------------------- templates


def story_readers(script: Script) -> list[str | None]:
    return [resolve_speakers(c.marks, len(c.paragraphs))[0] for c in script.chapters if c.kind == "story"]


def test_two_presenters_get_the_two_presenter_templates(show_dir):
    show = find_workspace(with_presenters(show_dir).parent)
    script = make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)
    opening, closing = script.chapters[0], script.chapters[-1]

    assert opening.paragraphs[:2] == ("안녕하십니까, Asia Tech Brief의 지수입니다.", "안녕하세요, 민호입니다.")
    assert resolve_speakers(opening.marks, 3) == ["지수", "민호", "지수"]
    assert "민호 씨와 번갈아 전해 드리겠습니다" in opening.paragraphs[2]
    assert story_readers(script) == ["민호", "지수", "민호", "지수"][: len(story_readers(script))]  # in turn
    assert resolve_speakers(closing.marks, 2) == ["지수", "민호"]
    assert re.search(r"\*\*민호:\*\* 먼저 첫 번째 소식입니다\.", render_script(script))


def test_one_presenter_keeps_the_one_presenter_wording(show_dir):
    plain = find_workspace(show_dir)
    named = find_workspace(with_presenters(show_dir, '\n[[presenters]]\nname = "지수"\n').parent)
    issue = read_issue(show_dir / "issues" / "asia-tech-brief-001.txt")

    assert make_script(issue, named).chapters == make_script(issue, plain).chapters
    assert all(not chapter.marks for chapter in make_script(issue, named).chapters)
