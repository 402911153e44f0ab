"""Episodes with two presenters, built end to end: on espeak-ng (real synthesis), on Supertonic (the package's own
inference on the generated model) and on Edge (edge-tts against the local stand-in). The timeline records every
utterance's speaker; the transcripts, the page and the feed name both presenters; mistakes stop the build before
anything is written."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import feedparser
import numpy as np
import pytest
from bs4 import BeautifulSoup
from support.cli_run import briefing
from support.pitch import median_pitch
from support.shows import copy_example_show
from support.supertonic_model import tone_hz, write_stub_model

from briefing.build import EngineChoice, build_episode
from briefing.ingest import read_issue
from briefing.mix.audiofile import decode_audio
from briefing.release import publish
from briefing.script import make_script, write_script
from briefing.settings import find_workspace
from briefing.timeline import read_timeline
from briefing.validate import validate_feed

ISSUE = "issues/asia-tech-brief-001.txt"
PRESENTERS = """
[[presenters]]
name = "지수"
espeak = "ko+f3"
edge = "ko-KR-SunHiNeural"
supertonic = "F3"

[[presenters]]
name = "민호"
espeak = "ko"
edge = "ko-KR-InJoonNeural"
supertonic = "M3"
"""


def two_presenter_show(root: Path, speech: str = "") -> Path:
    """The example show with two presenters (and extra [speech] lines), its issue made into a script."""
    toml = root / "show.toml"
    text = toml.read_text(encoding="utf-8").replace("[speech]\n", f"[speech]\n{speech}")
    toml.write_text(text + PRESENTERS, encoding="utf-8")
    show = find_workspace(root)
    return write_script(show, make_script(read_issue(root / ISSUE), show)).path


def nothing_built(root: Path) -> bool:
    return not any((root / "audio" / "episodes").iterdir())


def speakers(timeline) -> list[str | None]:
    return [u.speaker for chapter in timeline.chapters for u in chapter.utterances]


@pytest.fixture(scope="module")
def espeak_episode(tmp_path_factory) -> tuple[Path, str]:
    """(show root, slug): the example issue built and published with two presenters on espeak-ng, once."""
    root = copy_example_show(tmp_path_factory.mktemp("two") / "show")
    script = two_presenter_show(root)
    slug = build_episode(find_workspace(root), script, engine="espeak").slug
    publish(find_workspace(root))
    return root, slug


def test_the_timeline_records_both_presenters_and_who_says_each_utterance(espeak_episode):
    root, slug = espeak_episode
    timeline = read_timeline(root / "audio" / "episodes" / f"{slug}.json")

    assert [(p.name, p.voice) for p in timeline.presenters] == [("지수", "ko+f3"), ("민호", "ko")]
    assert set(speakers(timeline)) == {"지수", "민호"}
    opening = timeline.chapters[0].utterances
    assert (opening[0].speaker, opening[0].written) == ("지수", "안녕하십니까, Asia Tech Brief의 지수입니다.")
    assert timeline.chapters[1].utterances[0].speaker == "민호"  # the first story is the second presenter's
    raw = json.loads((root / "audio" / "episodes" / f"{slug}.json").read_text(encoding="utf-8"))
    assert raw["format"] == 2 and raw["presenters"][1] == {"name": "민호", "voice": "ko"}


def test_the_two_voices_are_a_female_and_a_male_one_in_the_episode(espeak_episode):
    root, slug = espeak_episode
    timeline = read_timeline(root / "audio" / "episodes" / f"{slug}.json")
    audio = decode_audio(root / "audio" / "episodes" / f"{slug}.mp3", 44100)
    opening = timeline.chapters[0].utterances

    def pitch(utterance) -> float:
        start, end = utterance.start_ms * 44100 // 1000, utterance.end_ms * 44100 // 1000
        return median_pitch(audio[start:end], 44100)

    assert pitch(opening[0]) > 1.5 * pitch(opening[1])  # 지수 (ko+f3) over 민호 (ko), heard in the mixed episode


def test_transcripts_name_the_speaker_of_every_cue(espeak_episode):
    root, slug = espeak_episode
    vtt = (root / "feed" / "transcripts" / f"{slug}.vtt").read_text(encoding="utf-8")
    srt = (root / "feed" / "transcripts" / f"{slug}.srt").read_text(encoding="utf-8")

    blocks = [block for block in vtt.split("\n\n")[1:] if block.strip() and not block.startswith("NOTE")]  # comments
    cues = [block.splitlines()[1] for block in blocks]
    assert cues[0] == "<v 지수>안녕하십니까, Asia Tech Brief의 지수입니다."
    assert all(cue.startswith(("<v 지수>", "<v 민호>")) for cue in cues)
    assert {cue[:5] for cue in cues} == {"<v 지수", "<v 민호"}
    assert "\n지수: 안녕하십니까, Asia Tech Brief의 지수입니다.\n" in srt and "\n민호: " in srt


def test_the_page_shows_who_speaks_when_the_voice_changes(espeak_episode):
    root, slug = espeak_episode
    page = BeautifulSoup((root / "feed" / "episodes" / f"{slug}.html").read_text(encoding="utf-8"), "html.parser")
    opening = page.select("#chapter-1 .line")

    assert [line.select_one(".speaker").get_text() if line.select_one(".speaker") else None for line in opening][
        :3
    ] == ["지수", "민호", None]  # 민호 says two sentences in a row: named once
    assert {span.get_text() for span in page.select(".speaker")} == {"지수", "민호"}


def test_the_feed_lists_both_presenters_as_hosts_of_the_show_and_the_episode(espeak_episode):
    root, _ = espeak_episode
    feed = (root / "feed" / "feed.xml").read_text(encoding="utf-8")
    channel, item = feed.split("<item>", 1)

    for part in (channel, item):
        assert '<podcast:person role="host" group="cast">지수</podcast:person>' in part
        assert '<podcast:person role="host" group="cast">민호</podcast:person>' in part
    assert not feedparser.parse(feed.encode()).bozo
    report = validate_feed(str(root / "feed" / "feed.xml"))
    assert not report.findings


def test_a_rebuild_with_the_same_presenters_is_up_to_date_and_a_new_voice_is_not(espeak_episode, tmp_path):
    root, slug = espeak_episode
    script = root / "scripts" / f"{slug}.md"
    assert not build_episode(find_workspace(root), script, engine="espeak").built

    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(root, copy)
    toml = copy / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('espeak = "ko+f3"', 'espeak = "ko+f2"'), encoding="utf-8")
    report = build_episode(find_workspace(copy), copy / "scripts" / f"{slug}.md", engine="espeak")
    assert report.built and 0 < report.synthesised < report.utterances  # only 지수's lines are new


# ------------------------------------------------------------------------------------------- other engines


def test_a_supertonic_episode_with_two_presenters_on_the_generated_model(show_dir):
    model = write_stub_model(show_dir / "models" / "supertonic-3", voices=("F3", "M3"))
    script = two_presenter_show(show_dir, 'model_dir = "models/supertonic-3"\n')

    report = build_episode(find_workspace(show_dir), script, engine="supertonic")
    timeline = read_timeline(Path(report.timeline))

    assert report.engine == "supertonic" and report.synthesised == report.utterances
    assert [(p.name, p.voice) for p in timeline.presenters] == [("지수", "F3"), ("민호", "M3")]
    audio = decode_audio(Path(report.mp3), 44100)
    first = timeline.chapters[0].utterances[0]
    piece = audio[first.start_ms * 441 // 10 : first.end_ms * 441 // 10].astype(np.float64)
    spectrum = np.abs(np.fft.rfft(piece))
    assert np.fft.rfftfreq(len(piece), 1 / 44100)[spectrum.argmax()] == pytest.approx(tone_hz("F3"), abs=5)
    assert model.is_dir()


def test_an_edge_episode_with_two_presenters_against_the_stand_in(show_dir, fake_edge):
    script = two_presenter_show(show_dir, f'edge_endpoint = "{fake_edge.base}"\n')

    report = build_episode(find_workspace(show_dir), script, engine="edge")
    timeline = read_timeline(Path(report.timeline))

    assert report.engine == "edge" and report.synthesised == report.utterances
    voices = {r.short_voice for r in fake_edge.requests}
    assert voices == {"ko-KR-SunHiNeural", "ko-KR-InJoonNeural"}
    said_by = {r.text: r.short_voice for r in fake_edge.requests}
    for chapter in timeline.chapters:
        for u in chapter.utterances:
            expected = "ko-KR-SunHiNeural" if u.speaker == "지수" else "ko-KR-InJoonNeural"
            assert said_by[u.spoken] == expected


def test_auto_records_why_it_chose_its_engine(show_dir):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = two_presenter_show(show_dir, f'edge_endpoint = "ws://127.0.0.1:{port}"\n')

    report = build_episode(find_workspace(show_dir), script, engine=EngineChoice(find_workspace(show_dir), "auto"))
    reason = read_timeline(Path(report.timeline)).build.engine_reason

    assert report.engine == "espeak"
    assert reason.startswith("auto: supertonic: no model at ") and "edge: could not connect" in reason
    assert "gtts: one voice for 2 presenters" in reason and reason.endswith("espeak: offline, always available")


# -------------------------------------------------------------------------------------------------- bad input


def test_gtts_with_two_presenters_exits_2_naming_show_toml_and_builds_nothing(show_dir, capsys):
    script = two_presenter_show(show_dir)
    toml = show_dir / "show.toml"
    tables = [n for n, text in enumerate(toml.read_text(encoding="utf-8").splitlines(), 1) if text == "[[presenters]]"]

    outcome = briefing(["build", "--engine", "gtts", str(script)], capsys, cwd=show_dir)

    assert outcome.code == 2 and "Traceback" not in outcome.err
    # Paths are printed as the user would type them: relative to the folder the command runs in.
    assert outcome.err.strip().startswith(
        f"error: show.toml:{tables[1]}: gTTS has one Korean voice, so presenters 지수"
    )
    assert nothing_built(show_dir)


def test_an_unknown_voice_exits_2_naming_its_line(show_dir, capsys):
    script = two_presenter_show(show_dir)
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('edge = "ko-KR-InJoonNeural"', 'edge = "ko-KR-Minho"'),
                    encoding="utf-8")  # fmt: skip
    line = toml.read_text(encoding="utf-8").splitlines().index('edge = "ko-KR-Minho"') + 1

    outcome = briefing(["build", "--engine", "edge", str(script)], capsys, cwd=show_dir)

    assert outcome.code == 2
    assert outcome.err.strip().startswith(f"error: show.toml:{line}: edge has no voice 'ko-KR-Minho' (its voices: ")
    assert nothing_built(show_dir)


def test_a_speaker_mark_naming_nobody_exits_2_naming_the_script_line(show_dir, capsys):
    script = two_presenter_show(show_dir)
    text = script.read_text(encoding="utf-8").replace("**민호:** _먼저", "**철수:** _먼저", 1)
    script.write_text(text, encoding="utf-8")
    line = text.splitlines().index("**철수:** _먼저 첫 번째 소식입니다._") + 1

    outcome = briefing(["build", "--engine", "espeak", str(script)], capsys, cwd=show_dir)

    assert outcome.code == 2
    assert outcome.err.strip() == (
        f"error: {script.relative_to(show_dir)}:{line}: the speaker mark names 철수, who is not a presenter "
        "(show.toml has 지수, 민호)"
    )
    assert nothing_built(show_dir)


def test_supertonic_without_its_model_exits_2_naming_the_fetch_command(show_dir, capsys):
    script = write_script(find_workspace(show_dir), make_script(read_issue(show_dir / ISSUE), find_workspace(show_dir)))

    outcome = briefing(["build", "--engine", "supertonic", str(script.path)], capsys, cwd=show_dir)

    assert outcome.code == 2 and "Traceback" not in outcome.err
    assert outcome.err.strip().startswith("error: supertonic cannot speak: no model at ")
    assert "run 'briefing voices fetch supertonic', or set [speech] model_dir" in outcome.err
    assert nothing_built(show_dir)


def test_a_corrupt_model_file_exits_2_naming_it(show_dir, capsys):
    model = write_stub_model(show_dir / "models" / "supertonic-3", voices=("F3", "M3"))
    (model / "onnx" / "text_encoder.onnx").write_bytes(b"not a model")
    script = two_presenter_show(show_dir, 'model_dir = "models/supertonic-3"\n')

    outcome = briefing(["build", "--engine", "supertonic", str(script)], capsys, cwd=show_dir)

    assert outcome.code == 2 and "Traceback" not in outcome.err
    assert outcome.err.strip().startswith(f"error: {model / 'onnx' / 'text_encoder.onnx'}: the Supertonic model")
    assert nothing_built(show_dir)


def test_a_scripts_own_voice_the_engine_lacks_exits_2_naming_its_line(show_dir, capsys):
    script = write_script(find_workspace(show_dir), make_script(read_issue(show_dir / ISSUE), find_workspace(show_dir)))
    text = script.path.read_text(encoding="utf-8").replace("\nvoice:\n", "\nvoice: ko-KR-SunHiNeural\n")
    script.path.write_text(text, encoding="utf-8")
    line = text.split("\n").index("voice: ko-KR-SunHiNeural") + 1

    outcome = briefing(["build", "--engine", "espeak", str(script.path)], capsys, cwd=show_dir)

    assert outcome.code == 2
    assert outcome.err.strip().startswith(
        f"error: {script.path.relative_to(show_dir)}:{line}: front matter field 'voice': espeak has no voice "
        "'ko-KR-SunHiNeural'"
    )
    assert nothing_built(show_dir)
