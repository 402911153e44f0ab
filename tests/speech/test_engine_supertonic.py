"""The Supertonic engine: the `supertonic` package's own loading and inference code (ONNX Runtime) on a tiny model
folder the tests write with the real file names, inputs, outputs, shapes and config formats (supertonic_model.py).
What only the real weights can show — how Korean sounds, real speed — is not tested here."""

from __future__ import annotations

import json
import os
import socket
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from supertonic import TTS
from support.supertonic_model import SAMPLE_RATE, VOICE_MEANS, tone_hz, write_stub_model

import briefing.speech.engines.supertonic_engine as module
from briefing.errors import BriefingError
from briefing.settings import Speech
from briefing.speech.engines import UnknownVoice, make_engine
from briefing.speech.engines.supertonic_engine import SupertonicEngine
from briefing.speech.voicemodels import MANIFEST, MODEL_FILES, sha256_of

SENTENCE = "안녕하십니까, 오늘의 브리핑입니다."


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test: nothing may reach for Hugging Face."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    return write_stub_model(tmp_path / "supertonic-3", voices=("F3", "M3", "F1"))


@pytest.fixture(autouse=True)
def _fresh_models():
    """Each test loads its own folder (the engine keeps loaded models for the process)."""
    module._loaded.clear()
    yield
    module._loaded.clear()


def expected_seconds(text: str, voice: str, speed: float = 1.05) -> float:
    """What the stand-in's duration predictor says for `text` after the package's preprocessing."""
    said = text if text.endswith((".", "!", "?", ",")) else text + "."
    tokens = len("<ko>" + unicodedata.normalize("NFKD", said) + "</ko>")
    return (0.2 + (0.06 + 0.01 * VOICE_MEANS[voice][1]) * tokens) / speed


def dominant_hz(clip) -> float:
    spectrum = np.abs(np.fft.rfft(np.asarray(clip.samples, dtype=np.float64)))
    return float(np.fft.rfftfreq(len(clip.samples), 1 / clip.sample_rate)[spectrum.argmax()])


def test_speaks_korean_offline_through_the_packages_pipeline(model_dir, no_network):
    clip = SupertonicEngine(voice="F3", model_dir=model_dir).synthesize(SENTENCE)

    assert clip.sample_rate == SAMPLE_RATE
    # trimmed to the predicted duration, not the model's whole latent frames
    assert len(clip.samples) == int(SAMPLE_RATE * np.float32(expected_seconds(SENTENCE, "F3")))
    assert dominant_hz(clip) == pytest.approx(tone_hz("F3"), abs=3)


def test_two_presenters_get_audibly_different_voices(model_dir):
    female = SupertonicEngine(voice="F3", model_dir=model_dir).synthesize(SENTENCE)
    male = SupertonicEngine(voice="M3", model_dir=model_dir).synthesize(SENTENCE)

    assert dominant_hz(female) == pytest.approx(495, abs=3) and dominant_hz(male) == pytest.approx(275, abs=3)


def test_the_same_sentence_gives_the_same_samples_every_time(model_dir):
    engine = SupertonicEngine(voice="F1", model_dir=model_dir)
    first = engine.synthesize(SENTENCE)
    engine.synthesize("다른 문장이 끼어듭니다.")
    again = SupertonicEngine(voice="F1", model_dir=model_dir).synthesize(SENTENCE)

    assert np.array_equal(first.samples, again.samples)
    # the package alone draws fresh noise each call, which would change the audio from build to build
    tts = TTS(model="supertonic-3", model_dir=model_dir, auto_download=False)
    style = tts.get_voice_style("F1")
    one, _ = tts.synthesize(SENTENCE, voice_style=style, lang="ko")
    two, _ = tts.synthesize(SENTENCE, voice_style=style, lang="ko")
    assert not np.array_equal(one, two)


def test_speed_and_model_come_from_the_settings(model_dir):
    speech = Speech(supertonic_model="supertonic-2", model_dir=model_dir, supertonic_speed=1.5, supertonic_steps=5)
    engine = make_engine("supertonic", speech, "M3")

    clip = engine.synthesize(SENTENCE)

    assert (engine.model, engine.steps, engine.speed) == ("supertonic-2", 5, 1.5)
    assert len(clip.samples) == int(SAMPLE_RATE * np.float32(expected_seconds(SENTENCE, "M3", speed=1.5)))


def test_a_long_utterance_is_spoken_chunk_by_chunk_each_trimmed(model_dir):
    sentence = "오늘은 세 번째 소식을 전해 드립니다."
    text = " ".join([sentence] * 8)  # over the 120 characters the package takes at once for Korean

    clip = SupertonicEngine(voice="F3", model_dir=model_dir).synthesize(text)

    from supertonic.utils import chunk_text

    chunks = chunk_text(text, 120)
    assert len(chunks) >= 2
    expected = sum(int(SAMPLE_RATE * np.float32(expected_seconds(c, "F3"))) for c in chunks)
    expected += int(SAMPLE_RATE * module.CHUNK_PAUSE_S) * (len(chunks) - 1)
    # each chunk cut at its own duration (to a sample's rounding), none of the model's frame padding (up to 3071)
    assert abs(len(clip.samples) - expected) <= len(chunks)


def test_characters_the_model_cannot_say_are_left_out(model_dir):
    engine = SupertonicEngine(voice="F3", model_dir=model_dir)

    with_symbol = engine.synthesize("가격은 ₩ 오천 원입니다.")  # the stand-in's indexer has no ₩
    without = engine.synthesize("가격은 오천 원입니다.")

    assert len(with_symbol.samples) == len(without.samples)
    assert engine.synthesize("₩₩").samples.size == 0


def test_identity_holds_the_revision_and_the_hash_of_every_file_that_shapes_the_sound(model_dir):
    manifest = {"repo": "Supertone/supertonic-3", "revision": "724fb5abbf5502583fb520898d45929e62f02c0b", "files": {}}
    (model_dir / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    identity = SupertonicEngine(voice="F3", model_dir=model_dir).identity()

    assert identity["revision"] == manifest["revision"]
    assert set(identity["files"]) == {*MODEL_FILES, "voice_styles/F3.json"}
    assert identity["files"]["onnx/vocoder.onnx"] == sha256_of(model_dir / "onnx" / "vocoder.onnx")
    assert {"model", "voice", "steps", "speed", "library", "onnxruntime", "sample_rate"} <= set(identity)

    config = model_dir / "onnx" / "tts.json"
    config.write_text(config.read_text(encoding="utf-8").replace('"stand-in"', '"stand-in 2"'), encoding="utf-8")
    changed = SupertonicEngine(voice="F3", model_dir=model_dir).identity()
    assert changed["files"]["onnx/tts.json"] != identity["files"]["onnx/tts.json"]
    assert SupertonicEngine(voice="M3", model_dir=model_dir).identity()["files"].keys() != identity["files"].keys()


def test_a_hash_the_fetch_recorded_is_trusted_while_the_file_is_unchanged(model_dir):
    vocoder = model_dir / "onnx" / "vocoder.onnx"
    stat = vocoder.stat()
    recorded = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": "recorded-at-fetch"}
    (model_dir / MANIFEST).write_text(json.dumps({"files": {"onnx/vocoder.onnx": recorded}}), encoding="utf-8")

    assert SupertonicEngine(model_dir=model_dir).identity()["files"]["onnx/vocoder.onnx"] == "recorded-at-fetch"
    os.utime(vocoder, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # touched: hashed afresh
    assert SupertonicEngine(model_dir=model_dir).identity()["files"]["onnx/vocoder.onnx"] == sha256_of(vocoder)


def test_without_a_model_it_is_not_usable_and_says_how_to_fetch_one(tmp_path, no_network):
    engine = SupertonicEngine(model_dir=tmp_path / "nowhere")

    answer = engine.availability()
    assert not answer.usable
    assert answer.reason == f"no model at {tmp_path / 'nowhere'} (run 'briefing voices fetch supertonic', or set " + (
        "[speech] model_dir)"
    )
    with pytest.raises(BriefingError, match="briefing voices fetch supertonic"):
        engine.identity()
    with pytest.raises(BriefingError, match="briefing voices fetch supertonic"):
        engine.synthesize(SENTENCE)


def test_the_default_folder_is_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    write_stub_model(tmp_path / "briefing" / "supertonic-3", voices=("F3", "M3"))

    engine = make_engine("supertonic", Speech())

    assert engine.folder == tmp_path / "briefing" / "supertonic-3"
    assert engine.availability().usable


def test_a_model_folder_missing_a_file_names_it(model_dir):
    (model_dir / "onnx" / "unicode_indexer.json").unlink()

    assert SupertonicEngine(model_dir=model_dir).availability().reason == (
        f"the model at {model_dir} has no onnx/unicode_indexer.json (run 'briefing voices fetch supertonic' again)"
    )


def test_a_corrupt_model_file_is_one_sentence_naming_it(model_dir):
    vocoder = model_dir / "onnx" / "vocoder.onnx"
    vocoder.write_bytes(vocoder.read_bytes()[:100])

    with pytest.raises(BriefingError) as caught:
        SupertonicEngine(model_dir=model_dir).synthesize(SENTENCE)
    assert caught.value.path == vocoder
    assert "would not load" in caught.value.message and "fetch it again" in caught.value.message


def test_a_broken_config_is_one_sentence_naming_the_folder(model_dir):
    (model_dir / "onnx" / "tts.json").write_text("{", encoding="utf-8")

    with pytest.raises(BriefingError, match="would not load .*malformed") as caught:
        SupertonicEngine(model_dir=model_dir).synthesize(SENTENCE)
    assert caught.value.path in (model_dir, model_dir / "onnx" / "tts.json")


def test_an_unknown_voice_lists_the_models_voices(model_dir):
    with pytest.raises(UnknownVoice, match=r"supertonic has no voice 'F9' \(its voices: F1, F3, M3\)"):
        SupertonicEngine(voice="F9", model_dir=model_dir)
    assert [voice.name for voice in SupertonicEngine(model_dir=model_dir).voices()] == ["F1", "F3", "M3"]
