"""The timeline JSON: a build's record (key, encoding, mastering) read into typed values and written back unchanged;
timelines of format 1 still read, and still count as built."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from support.requirements import FIXTURES

from briefing.build import build_episode
from briefing.errors import BriefingError
from briefing.release import publish
from briefing.settings import find_workspace
from briefing.timeline import FORMAT_VERSION, read_timeline, timeline_from_dict, timeline_to_dict, write_timeline

SAMPLE = FIXTURES / "script" / "sample.md"
# The sample script's episode, built with espeak: its timeline as briefing 0.1.0 wrote it (format 1, chapters
# under "sections", the build record under "extra"; written by that release, never edited) and as this version
# writes it (format 2).
FORMAT_1 = FIXTURES / "timeline" / "format-1.json"
FORMAT_2 = FIXTURES / "timeline" / "format-2.json"

# A timeline as a build writes it (one chapter, one utterance), its build record under "build".
TIMELINE_JSON = """\
{
  "format": 2,
  "show": "Asia Tech Brief",
  "episode": 1,
  "title": "아시아 테크 브리프 1호",
  "date": "2026-11-02",
  "slug": "asia-tech-brief-001",
  "guid": "6f0f3a5e-8c3b-5d43-9d0c-5a4f3b0e1c2d",
  "source": "issues/asia-tech-brief-001.txt",
  "engine": "espeak",
  "voice": "ko",
  "duration_ms": 9000,
  "integrated_lufs": -16.02,
  "true_peak_dbtp": -1.61,
  "mp3_bytes": 108000,
  "chapters": [
    {
      "index": 0,
      "kind": "opening",
      "title": "오프닝",
      "start_ms": 0,
      "end_ms": 9000,
      "paragraphs": [
        "안녕하세요."
      ],
      "sources": [],
      "utterances": [
        {
          "start_ms": 4000,
          "end_ms": 5200,
          "paragraph": 0,
          "written": "안녕하세요.",
          "spoken": "안녕하세요."
        }
      ]
    }
  ],
  "build": {
    "build_key": "645b889d3d1947c03f699e04f860e4406de9208e2da82adede477b3d796d7b3e",
    "bitrate_kbps": 96,
    "sample_rate": 44100,
    "mastering": {
      "speech_lufs": -20.38096330820491,
      "music_db": {
        "intro": -8.73566319985302,
        "outro": -8.732190302681206,
        "transition": -13.259979291022455
      },
      "gain_db": 6.15894243839611,
      "ceiling_dbtp": -1.5,
      "loudness_lufs": -16.0,
      "limit_dbtp": -1.0
    }
  }
}
"""


def test_the_build_record_is_typed_and_written_back_byte_for_byte(tmp_path):
    source = tmp_path / "in.json"
    source.write_text(TIMELINE_JSON, encoding="utf-8")
    timeline = read_timeline(source)

    assert timeline.build is not None
    assert (timeline.build.bitrate_kbps, timeline.build.sample_rate) == (96, 44100)
    assert timeline.build.mastering.gain_db == 6.15894243839611
    assert timeline.build.mastering.music_db["transition"] == -13.259979291022455
    copy = tmp_path / "out.json"
    write_timeline(copy, timeline)
    assert copy.read_text(encoding="utf-8") == TIMELINE_JSON


def test_a_timeline_without_a_build_record_has_none_and_writes_none():
    data = json.loads(TIMELINE_JSON)
    del data["build"]
    timeline = timeline_from_dict(data)
    assert timeline.build is None
    assert "build" not in timeline_to_dict(timeline)


def test_a_damaged_build_record_reads_as_none_so_the_episode_is_built_again():
    data = json.loads(TIMELINE_JSON)
    del data["build"]["bitrate_kbps"]
    assert timeline_from_dict(data).build is None

    data = json.loads(TIMELINE_JSON)
    data["build"]["mastering"]["music_db"] = "loud"
    damaged = timeline_from_dict(data)
    assert damaged.build.build_key == data["build"]["build_key"] and damaged.build.mastering is None


# ------------------------------------------------------------------------------------------------- formats


def as_format_1(text: str) -> str:
    """A format-2 timeline written as briefing 0.1.0 wrote it (checked against that release's own file below)."""
    data = json.loads(text)
    data["format"] = 1
    renamed = {"chapters": "sections", "build": "extra"}
    data = {renamed.get(key, key): value for key, value in data.items()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_this_version_writes_format_2():
    assert FORMAT_VERSION == 2
    assert json.loads(TIMELINE_JSON)["format"] == 2 and "chapters" in json.loads(TIMELINE_JSON)


def test_a_format_1_timeline_reads_as_the_same_episode_and_is_written_back_as_format_2(tmp_path):
    old, new = read_timeline(FORMAT_1), read_timeline(FORMAT_2)
    assert old == new and old.build == new.build
    assert [c.kind for c in old.chapters] == ["opening", "story", "story", "closing"]
    assert old.chapters[1].sources[1].kind == "thumbnail" and len(old.chapters[1].utterances) == 4
    copy = tmp_path / "copy.json"
    write_timeline(copy, old)
    assert copy.read_bytes() == FORMAT_2.read_bytes()


def test_the_format_1_writing_here_is_what_briefing_0_1_0_wrote():
    assert as_format_1(FORMAT_2.read_text(encoding="utf-8")) == FORMAT_1.read_text(encoding="utf-8")


def test_an_episode_built_in_format_1_is_up_to_date_and_publishes_as_one_in_format_2(show_dir, tmp_path):
    # An episode built by 0.1.0 is not built again (same MP3, same build key): its timeline is left as it is,
    # so publishing sees no change in it, and what is published equals what a format-2 timeline gives.
    shutil.copy(SAMPLE, show_dir / "scripts" / "asia-tech-brief-003.md")
    script = show_dir / "scripts" / "asia-tech-brief-003.md"
    assert build_episode(find_workspace(show_dir), script, engine="espeak").built
    twin = shutil.copytree(show_dir, tmp_path / "twin")
    timeline = show_dir / "audio" / "episodes" / "asia-tech-brief-003.json"
    timeline.write_text(as_format_1(timeline.read_text(encoding="utf-8")), encoding="utf-8")
    written = timeline.read_bytes()

    report = build_episode(find_workspace(show_dir), script, engine="espeak")
    assert not report.built and report.utterances == 10
    assert timeline.read_bytes() == written

    now = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
    for root in (show_dir, twin):
        publish(find_workspace(root), now=now)
    published = sorted(p.relative_to(show_dir / "feed") for p in (show_dir / "feed").rglob("*") if p.is_file())
    assert Path("chapters/asia-tech-brief-003.json") in published and Path("feed.xml") in published
    for name in published:
        assert (show_dir / "feed" / name).read_bytes() == (twin / "feed" / name).read_bytes(), name


def test_a_timeline_from_a_later_briefing_is_refused_in_one_sentence_naming_it(tmp_path):
    path = tmp_path / "later.json"
    data = json.loads(TIMELINE_JSON)
    data["format"] = FORMAT_VERSION + 1
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BriefingError) as refused:
        read_timeline(path)
    assert refused.value.path == path and refused.value.message.startswith("the timeline is in format 3,")
    assert "upgrade briefing" in refused.value.message and "\n" not in str(refused.value)


@pytest.mark.parametrize("format_", [None, "2", 0, True, 1.0])
def test_a_timeline_without_a_known_format_is_not_valid(tmp_path, format_):
    path = tmp_path / "odd.json"
    data = json.loads(TIMELINE_JSON)
    if format_ is None:
        del data["format"]
    else:
        data["format"] = format_
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(BriefingError, match="not a valid episode timeline"):
        read_timeline(path)


def test_a_timeline_that_is_not_a_json_object_is_not_valid(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(BriefingError, match="not a valid episode timeline"):
        read_timeline(path)
