"""Who speaks, as the timeline keeps it and the transcripts and feed tell it: optional fields of timeline format 2,
absent (one unnamed presenter) in every timeline written before presenters existed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

from briefing.models import BuildRecord, Speaker, TimedChapter, TimedUtterance, Timeline
from briefing.publish.feed import PublishedEpisode, feed_xml
from briefing.publish.transcripts import subrip, webvtt
from briefing.settings import Presenter, load_settings
from briefing.timeline import read_timeline, timeline_from_dict, timeline_to_dict, write_timeline

FORMAT_2 = Path(__file__).resolve().parent / "fixtures" / "timeline" / "format-2.json"


def with_speakers(timeline: Timeline) -> Timeline:
    """The fixture's episode as two presenters said it, in turn, with the reason its engine was chosen."""
    names = ["지수", "민호"]
    chapters = tuple(
        replace(c, utterances=tuple(replace(u, speaker=names[i % 2]) for i, u in enumerate(c.utterances)))
        for c in timeline.chapters
    )
    build = replace(timeline.build, engine_reason="auto: supertonic: no model at /x; edge: answered in 0.3 s")
    return replace(
        timeline, chapters=chapters, build=build, presenters=(Speaker("지수", "ko+f3"), Speaker("민호", "ko"))
    )


def test_speakers_presenters_and_the_engines_reason_are_written_and_read_back(tmp_path):
    timeline = with_speakers(read_timeline(FORMAT_2))
    path = tmp_path / "episode.json"
    write_timeline(path, timeline)

    again = read_timeline(path)
    assert again == timeline and again.build.engine_reason == timeline.build.engine_reason
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["presenters"] == [{"name": "지수", "voice": "ko+f3"}, {"name": "민호", "voice": "ko"}]
    assert data["chapters"][0]["utterances"][0]["speaker"] == "지수"
    write_timeline(tmp_path / "again.json", again)
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()


def test_a_timeline_written_before_presenters_reads_as_one_unnamed_presenter():
    timeline = read_timeline(FORMAT_2)

    assert timeline.presenters == () and timeline.build.engine_reason is None
    assert {u.speaker for c in timeline.chapters for u in c.utterances} == {None}
    assert timeline_to_dict(timeline) == json.loads(FORMAT_2.read_text(encoding="utf-8"))  # nothing added


def test_a_speaker_that_is_not_a_name_makes_the_timeline_invalid():
    data = json.loads(FORMAT_2.read_text(encoding="utf-8"))
    data["chapters"][0]["utterances"][0]["speaker"] = 7
    try:
        timeline_from_dict(data)
    except ValueError as error:
        assert "a speaker must be a name" in str(error)
    else:
        raise AssertionError("a numeric speaker was accepted")


def test_transcripts_carry_voice_spans_and_names_only_for_named_presenters():
    utterances = (
        TimedUtterance(1000, 2000, "안녕하십니까.", "안녕하십니까.", 0, "지수"),
        TimedUtterance(2500, 3000, "R&D <팀>입니다.", "알앤디 팀입니다.", 0, "A&B"),
        TimedUtterance(3500, 4000, "이름 없는 진행자.", "이름 없는 진행자.", 1, None),
    )
    chapter = TimedChapter(0, "opening", "오프닝", 0, 5000, ("x",), (), utterances)
    timeline = replace(read_timeline(FORMAT_2), chapters=(chapter,))

    vtt = webvtt(timeline)
    assert "\n<v 지수>안녕하십니까.\n" in vtt
    assert "\n<v A&amp;B>R&amp;D &lt;팀&gt;입니다.\n" in vtt  # the name is escaped like cue text
    assert "\n이름 없는 진행자.\n" in vtt
    srt = subrip(timeline)
    assert "\n지수: 안녕하십니까.\n" in srt and "\nA&B: R&D <팀>입니다.\n" in srt and "\n이름 없는 진행자.\n" in srt


def test_the_feed_names_the_shows_and_each_episodes_presenters(repo_root):
    settings = load_settings(repo_root / "show.toml")
    timeline = with_speakers(read_timeline(FORMAT_2))
    when = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    episode = PublishedEpisode(timeline, 1000, when, when)
    hosts = settings.model_copy(
        update={"presenters": (Presenter(name="지수"), Presenter(name="민호"), Presenter(name="서연"))}
    )

    feed = feed_xml(hosts, [episode], "cover.png", when).decode("utf-8")
    channel, item = feed.split("<item>", 1)

    assert channel.count("<podcast:person") == 3 and '<podcast:person role="host" group="cast">서연' in channel
    assert item.count("<podcast:person") == 2 and "서연" not in item  # who presented this episode
    plain = feed_xml(settings, [replace(episode, timeline=read_timeline(FORMAT_2))], "cover.png", when)
    assert b"podcast:person" not in plain  # one unnamed presenter: nobody to name


def test_build_record_defaults_keep_older_records_equal():
    assert BuildRecord("k", 96, 44100) == BuildRecord("k", 96, 44100, None, None)
