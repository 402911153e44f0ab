"""What a build reads before any audio is made: the engine per script, the show's music in any format, the key."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess

import pytest

from briefing.build import EngineChoice, build_key, music_digests
from briefing.errors import BriefingError
from briefing.ffmpeg import ffmpeg_exe
from briefing.mix.audiofile import decode_audio
from briefing.mix.mixdown import load_beds
from briefing.models import ScriptMeta
from briefing.settings import find_workspace
from briefing.speech.engines import make_engine

META = ScriptMeta(show="S", episode=1, title="T", date=dt.date(2024, 1, 1), slug="s-001", guid="g", source="i.txt")


def test_engine_comes_from_the_flag_then_the_script_then_the_show(show_dir):
    show = find_workspace(show_dir)
    espeak_script = dataclasses.replace(META, engine="espeak", voice="ko")
    assert EngineChoice(show, "espeak").for_script(META).name == "espeak"
    assert (
        EngineChoice(show, None, auto=lambda: pytest.fail("no probe needed")).for_script(espeak_script).name == "espeak"
    )


def test_auto_is_decided_once_per_build(show_dir):
    show = find_workspace(show_dir)
    probes = []

    def probe():
        probes.append(1)
        return make_engine("espeak", show.settings.speech)

    choice = EngineChoice(show, "auto", auto=probe)
    engines = [choice.for_script(dataclasses.replace(META, slug=f"s-{n}")) for n in range(3)]
    assert len(probes) == 1
    assert {engine.name for engine in engines} == {"espeak"} and engines[0] is engines[2]


def test_show_music_can_be_any_format_ffmpeg_reads(show_dir):
    wav = show_dir / "audio" / "music" / "intro.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(wav), "-c:a", "libvorbis", str(wav.with_suffix(".ogg"))],
                   check=True)  # fmt: skip
    settings = (show_dir / "show.toml").read_text(encoding="utf-8")
    settings = settings.replace('intro = "audio/music/intro.wav"', 'intro = "audio/music/intro.ogg"')
    (show_dir / "show.toml").write_text(settings, encoding="utf-8")
    music = load_beds(find_workspace(show_dir))
    assert abs(len(music.intro) - len(decode_audio(wav, 44100))) < 44100 // 20  # Ogg Vorbis trims its own padding


def test_a_missing_music_file_is_named(show_dir):
    (show_dir / "audio" / "music" / "transition.wav").unlink()
    with pytest.raises(BriefingError) as error:
        music_digests(find_workspace(show_dir))
    assert error.value.path.name == "transition.wav" and "transition music file not found" in error.value.message


def test_the_build_key_changes_with_the_script_the_music_and_the_settings(show_dir):
    show = find_workspace(show_dir)
    engine = make_engine("espeak", show.settings.speech)
    digests = music_digests(show)
    key = build_key(b"script", show, engine, digests, b"cover")
    assert key == build_key(b"script", show, engine, digests, b"cover")
    assert key != build_key(b"script!", show, engine, digests, b"cover")
    assert key != build_key(b"script", show, engine, (*digests[:2], "other"), b"cover")
    assert key != build_key(b"script", show, engine, digests, b"other cover")
    louder = dataclasses.replace(show, settings=show.settings.model_copy(
        update={"audio": show.settings.audio.model_copy(update={"loudness_lufs": -14.0})}))  # fmt: skip
    assert key != build_key(b"script", louder, engine, digests, b"cover")
