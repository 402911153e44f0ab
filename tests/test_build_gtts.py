"""An episode built end to end with the gTTS engine, against the local server that speaks Google's protocol: its
24 kHz MP3 answers are decoded, resampled to the episode's rate, mixed, encoded in segments and measured."""

from __future__ import annotations

import re
import subprocess

from briefing.build import build_episode
from briefing.ffmpeg import ffmpeg_exe
from briefing.ingest import read_issue
from briefing.mix.audiofile import decode_audio
from briefing.script import make_script, write_script
from briefing.settings import find_workspace
from briefing.timeline import read_timeline

RATE = 44100


def test_a_gtts_episode_is_built_measured_and_chaptered(show_dir, fake_google):
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        "[speech]\n", f'[speech]\ngtts_endpoint = "{fake_google.url}"\n'), encoding="utf-8")  # fmt: skip
    show = find_workspace(show_dir)
    script = write_script(show, make_script(read_issue(show_dir / "issues" / "asia-tech-brief-001.txt"), show)).path

    report = build_episode(show, script, engine="gtts")
    timeline = read_timeline(show_dir / "audio" / "episodes" / f"{report.slug}.json")
    mp3 = show_dir / "audio" / "episodes" / f"{report.slug}.mp3"

    assert report.engine == "gtts" and report.synthesised == report.utterances
    spoken = [u.spoken for chapter in timeline.chapters for u in chapter.utterances]
    assert all(fake_google.count(text) == 1 for text in set(spoken))  # each text asked for once
    # Cut only where a chapter pause is silent (here the short opening and closing have music across theirs).
    assert 1 < report.segments_encoded <= len(timeline.chapters)
    assert abs(len(decode_audio(mp3, RATE)) * 1000 / RATE - timeline.duration_ms) <= 0.5
    command = [ffmpeg_exe(), "-nostats", "-hide_banner", "-i", str(mp3), "-af", "ebur128=peak=true", "-f", "null", "-"]
    summary = subprocess.run(command, capture_output=True, check=True).stderr.decode("utf-8", "replace")
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary[summary.rindex("Summary:") :]).group(1))
    assert -17.0 <= integrated <= -15.0 and report.true_peak_dbtp <= -1.0
