"""Each built ten-story episode (the project's own issue, then the seed), checked by independent readers (ffmpeg,
mutagen), and `briefing build` end to end."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from briefing.build import build_episode, tag_day
from briefing.ffmpeg import ffmpeg_exe
from briefing.mix.audiofile import decode_audio
from briefing.script import load_script
from briefing.settings import find_workspace
from briefing.timeline import read_timeline

RATE = 44100


def episode(built_episode):
    root, slug = built_episode
    return root / "audio" / "episodes" / f"{slug}.mp3", read_timeline(root / "audio" / "episodes" / f"{slug}.json")


def ffmpeg_chapters(mp3: Path) -> list[dict]:
    """Chapters as ffmpeg's ID3 reader sees them (FFMETADATA: TIMEBASE, START, END, title per [CHAPTER])."""
    # -copyts: as ffprobe does, report the times stored in the file, not shifted by the encoder delay.
    text = subprocess.run([ffmpeg_exe(), "-v", "error", "-copyts", "-i", str(mp3), "-f", "ffmetadata", "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    chapters = []
    for block in text.split("[CHAPTER]")[1:]:
        fields = dict(line.split("=", 1) for line in block.strip().splitlines() if "=" in line)
        assert fields["TIMEBASE"] == "1/1000"
        chapters.append({"start": int(fields["START"]), "end": int(fields["END"]), "title": fields.get("title")})
    return chapters


def ebur128(mp3: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's own EBU R128 meter."""
    report = subprocess.run(
        [ffmpeg_exe(), "-nostats", "-hide_banner", "-i", str(mp3), "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, check=True,
    ).stderr.decode("utf-8", "replace")  # fmt: skip  # ffmpeg may cut a long Korean title mid-character
    summary = report[report.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return integrated, peak


def rms_db(samples: np.ndarray) -> float:
    return 10 * np.log10(np.mean(np.square(samples.astype(np.float64))) + 1e-20)


def copy_show(built_episode, tmp_path: Path) -> Path:
    root = tmp_path / "show"
    shutil.copytree(built_episode[0], root)
    return root


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "briefing", "build", *args], cwd=root, capture_output=True,
                          text=True, timeout=600)  # fmt: skip


# ------------------------------------------------------------------------------------------ the built episode


def test_twelve_chapters_read_back_by_ffmpeg_with_the_scripts_titles_and_timeline_starts(built_episode):
    mp3, timeline = episode(built_episode)
    script = load_script(built_episode[0] / "scripts" / f"{built_episode[1]}.md")
    chapters = ffmpeg_chapters(mp3)
    assert len(chapters) == 12 == len(script.chapters)
    assert [c["title"] for c in chapters] == [chapter.title for chapter in script.chapters]
    assert [c["start"] for c in chapters] == [chapter.start_ms for chapter in timeline.chapters]
    assert chapters[0]["start"] == 0
    assert all(a["end"] == b["start"] for a, b in zip(chapters, chapters[1:], strict=False))


def test_id3_tag_read_back_by_mutagen(built_episode):
    mp3, timeline = episode(built_episode)
    tag = ID3(mp3)
    assert tag.version == (2, 4, 0)
    assert str(tag["TIT2"]) == timeline.meta.title
    assert str(tag["TRCK"]) == str(timeline.meta.episode)
    assert str(tag["TLAN"]) == "kor"
    # The episode's publication day (see briefing.publish.dates): the issue's own day for a back issue, else the
    # day the build expects the first publish on.
    assert str(tag["TDRC"]) == tag_day(find_workspace(built_episode[0]), timeline.meta).isoformat()
    assert tag.getall("APIC")[0].data[:8] in (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0\x00\x10JF"[:8])
    (toc,) = tag.getall("CTOC")
    assert toc.flags == 3  # top level, ordered
    chapters = {frame.element_id: frame for frame in tag.getall("CHAP")}
    assert len(toc.child_element_ids) == 12
    for element_id, timed in zip(toc.child_element_ids, timeline.chapters, strict=True):
        chapter = chapters[element_id]
        assert chapter.start_time == timed.start_ms
        assert chapter.sub_frames["TIT2"].text == [timed.title]
        links = chapter.sub_frames.getall("WXXX")
        if timed.kind == "story":
            assert [link.url for link in links] == [timed.sources[0].url]
        else:
            assert links == []


def test_loudness_and_true_peak_meet_the_podcast_norm_by_ffmpegs_meter(built_episode):
    mp3, timeline = episode(built_episode)
    integrated, peak = ebur128(mp3)
    assert -17.0 <= integrated <= -15.0
    assert peak <= -1.0
    assert timeline.integrated_lufs == pytest.approx(integrated, abs=0.2)


def test_duration_equals_the_timelines_end(built_episode):
    mp3, timeline = episode(built_episode)
    decoded = decode_audio(mp3, RATE)
    # To the sample: the Info frame tells decoders exactly what to trim (the issue allows ± 50 ms).
    assert abs(len(decoded) * 1000 / RATE - timeline.duration_ms) <= 0.5
    assert abs(MP3(mp3).info.length * 1000 - timeline.duration_ms) <= 0.5
    assert timeline.chapters[-1].end_ms == timeline.duration_ms
    assert timeline.mp3_bytes == mp3.stat().st_size


def test_music_is_audible_before_the_first_and_after_the_last_utterance(built_episode):
    mp3, timeline = episode(built_episode)
    audio = decode_audio(mp3, RATE)
    utterances = [u for chapter in timeline.chapters for u in chapter.utterances]
    first, last = utterances[0].start_ms, utterances[-1].end_ms
    before = audio[: (first - 300) * RATE // 1000]
    after = audio[(last + 500) * RATE // 1000 : (timeline.duration_ms - 2500) * RATE // 1000]
    assert len(before) > RATE and len(after) > RATE
    assert rms_db(before) > -35
    assert rms_db(after) > -35


def test_timeline_has_every_utterance_with_written_and_spoken_text(built_episode):
    _, timeline = episode(built_episode)
    assert timeline.engine == "espeak"
    assert timeline.build is not None and len(timeline.build.build_key) == 64
    utterances = [u for chapter in timeline.chapters for u in chapter.utterances]
    assert len(utterances) > 50
    assert all(u.written.strip() and u.spoken.strip() and u.end_ms > u.start_ms for u in utterances)
    starts = [u.start_ms for u in utterances]
    assert starts == sorted(starts)
    for chapter in timeline.chapters:
        assert all(chapter.start_ms <= u.start_ms and u.end_ms <= chapter.end_ms for u in chapter.utterances)


# ------------------------------------------------------------------------------------------------ rebuilding


def test_rebuild_is_byte_identical_and_an_unchanged_episode_is_skipped(built_episode, tmp_path):
    root = copy_show(built_episode, tmp_path)
    show = find_workspace(root)
    script = root / "scripts" / f"{built_episode[1]}.md"
    mp3, timeline_path = (
        root / "audio" / "episodes" / f"{built_episode[1]}.mp3",
        root / "audio" / "episodes" / f"{built_episode[1]}.json",
    )
    before = mp3.read_bytes(), timeline_path.read_bytes()
    skipped = build_episode(show, script, engine="espeak")
    assert not skipped.built and skipped.synthesised == 0
    rebuilt = build_episode(show, script, engine="espeak", force=True)
    assert rebuilt.built and rebuilt.synthesised == 0
    assert (mp3.read_bytes(), timeline_path.read_bytes()) == before


def test_one_edited_sentence_is_the_only_synthesis_and_later_chapters_move(built_episode, tmp_path):
    root = copy_show(built_episode, tmp_path)
    show = find_workspace(root)
    script = root / "scripts" / f"{built_episode[1]}.md"
    old = read_timeline(root / "audio" / "episodes" / f"{built_episode[1]}.json")
    text = script.read_text(encoding="utf-8")
    # A whole, short sentence of the second story that appears once in the script.
    sentence = next(u.written for u in old.chapters[2].utterances
                    if u.written.endswith(".") and len(u.written) < 60 and text.count(u.written) == 1)  # fmt: skip
    script.write_text(text.replace(sentence, "오늘 " + sentence), encoding="utf-8")

    report = build_episode(show, script, engine="espeak")
    new = read_timeline(root / "audio" / "episodes" / f"{built_episode[1]}.json")
    assert (report.synthesised, report.reused) == (1, report.utterances - 1)
    # Only the edited story's stretch of MP3 is encoded again: the episode keeps its levels, and the chapters
    # after the edit move by whole MP3 frames, so their audio is sample for sample what it was.
    assert (report.segments_encoded, report.segments_reused) == (1, len(old.chapters) - 1)
    assert new.build.mastering == old.build.mastering
    assert -16.5 <= new.integrated_lufs <= -15.5 and new.true_peak_dbtp <= -1.0
    assert [s.start_ms for s in new.chapters[:3]] == [s.start_ms for s in old.chapters[:3]]
    shifts = {b.start_ms - a.start_ms for a, b in zip(old.chapters[3:], new.chapters[3:], strict=True)}
    # Every later chapter moves by the new words' length, rounded up to whole MP3 frames (to the millisecond:
    # times are rounded from samples).
    assert min(shifts) > 0 and max(shifts) - min(shifts) <= 1
    chapters = ffmpeg_chapters(root / "audio" / "episodes" / f"{built_episode[1]}.mp3")
    assert [c["start"] for c in chapters] == [s.start_ms for s in new.chapters]


# ------------------------------------------------------------------------------------------------------ CLI


def test_cli_prints_the_engine_a_summary_line_and_json(built_episode, tmp_path):
    root = copy_show(built_episode, tmp_path)
    text = run_cli(root, "--engine", "espeak")
    assert text.returncode == 0, text.stderr
    assert "engine: espeak" in text.stdout
    assert re.search(r"up to date \S+: \d+:\d\d, -1[5-7]\.\d LUFS, -\d\.\d dBTP, [\d.]+ MB, \d+ utterances "
                     r"\(0 synthesised, \d+ reused\)", text.stdout)  # fmt: skip
    machine = run_cli(root, "--engine", "espeak", "--json")
    assert machine.returncode == 0, machine.stderr
    (report,) = json.loads(machine.stdout)
    assert report["slug"] == built_episode[1] and report["built"] is False
    assert set(report) >= {"duration_ms", "integrated_lufs", "true_peak_dbtp", "mp3_bytes", "synthesised",
                           "reused", "seconds"}  # fmt: skip


def fresh_show(built_episode, tmp_path: Path) -> Path:
    """A copy of the built show with its episodes removed (the speech cache stays, so a build is quick)."""
    root = copy_show(built_episode, tmp_path)
    shutil.rmtree(root / "audio" / "episodes")
    (root / "audio" / "episodes").mkdir()
    return root


def assert_refused(result: subprocess.CompletedProcess, root: Path, *words: str) -> None:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert message.startswith("error:") and all(word in message for word in words), message
    assert list((root / "audio" / "episodes").iterdir()) == []


def test_a_missing_music_file_is_refused_and_nothing_is_written(built_episode, tmp_path):
    root = fresh_show(built_episode, tmp_path)
    (root / "audio" / "music" / "intro.wav").unlink()
    assert_refused(run_cli(root, "--engine", "espeak"), root, "intro.wav", "not found")


def test_an_unreadable_music_file_is_refused_and_nothing_is_written(built_episode, tmp_path):
    root = fresh_show(built_episode, tmp_path)
    (root / "audio" / "music" / "outro.wav").write_bytes(b"RIFF\x00\x00not really a wave file" * 10)
    assert_refused(run_cli(root, "--engine", "espeak"), root, "outro.wav", "cannot read outro music file")


def test_a_script_with_no_chapters_is_refused_and_nothing_is_written(built_episode, tmp_path):
    root = fresh_show(built_episode, tmp_path)
    script = root / "scripts" / f"{built_episode[1]}.md"
    front_matter = script.read_text(encoding="utf-8").split("\n## ", 1)[0]
    script.write_text(front_matter + "\n", encoding="utf-8")
    assert_refused(run_cli(root, "--engine", "espeak", str(script)), root, script.name, "chapter")


def test_kept_levels_that_no_longer_fit_are_worked_out_afresh(built_episode, tmp_path):
    root = copy_show(built_episode, tmp_path)
    timeline_path = root / "audio" / "episodes" / f"{built_episode[1]}.json"
    record = json.loads(timeline_path.read_text(encoding="utf-8"))
    good_gain = record["build"]["mastering"]["gain_db"]
    record["build"]["mastering"]["gain_db"] = good_gain + 3.0  # 3 dB too loud for the show's −16 LUFS
    timeline_path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    report = build_episode(
        find_workspace(root), root / "scripts" / f"{built_episode[1]}.md", engine="espeak", force=True
    )
    rebuilt = read_timeline(timeline_path)
    assert -16.5 <= report.integrated_lufs <= -15.5 and report.true_peak_dbtp <= -1.0
    assert rebuilt.build.mastering.gain_db == pytest.approx(good_gain, abs=0.05)
    assert report.segments_encoded >= len(rebuilt.chapters)  # encoded with the kept gain, then with a fresh one


def test_levels_are_kept_only_for_the_same_loudness_and_limit(built_episode):
    from briefing.mix.mastering import Levels

    audio = find_workspace(built_episode[0]).settings.audio
    _, timeline = episode(built_episode)
    kept = Levels.of(timeline.build.mastering, audio)
    assert kept is not None and kept.music_db.keys() == {"intro", "outro", "transition"}
    assert kept.record(audio) == timeline.build.mastering
    assert Levels.of(timeline.build.mastering, audio.model_copy(update={"loudness_lufs": -14.0})) is None
    assert Levels.of(None, audio) is None
