"""The timeline JSON: a build's record (key, encoding, mastering) read into typed values and written back unchanged."""

from __future__ import annotations

import json

from briefing.timeline import read_timeline, timeline_from_dict, timeline_to_dict, write_timeline

# A timeline as a build writes it (one chapter, one utterance), its build record under "extra".
TIMELINE_JSON = """\
{
  "format": 1,
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
  "sections": [
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
  "extra": {
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
    del data["extra"]
    timeline = timeline_from_dict(data)
    assert timeline.build is None
    assert "extra" not in timeline_to_dict(timeline)


def test_a_damaged_build_record_reads_as_none_so_the_episode_is_built_again():
    data = json.loads(TIMELINE_JSON)
    del data["extra"]["bitrate_kbps"]
    assert timeline_from_dict(data).build is None

    data = json.loads(TIMELINE_JSON)
    data["extra"]["mastering"]["music_db"] = "loud"
    damaged = timeline_from_dict(data)
    assert damaged.build.build_key == data["extra"]["build_key"] and damaged.build.mastering is None
