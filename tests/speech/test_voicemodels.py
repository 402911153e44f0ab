"""`briefing voices fetch supertonic`: the pinned revision from a fake Hugging Face hub on 127.0.0.1 (never the real
one), every file checked against the hub's hash, the folder moved into place only when whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.cli_run import briefing
from typer.testing import CliRunner

from briefing.cli import app
from briefing.errors import BriefingError
from briefing.settings import Speech
from briefing.speech.engines import make_engine
from briefing.speech.voicemodels import MANIFEST, MODEL_FILES, PINNED, default_model_dir, fetch_model, sha256_of

PIN = PINNED["supertonic-3"]


def test_fetches_the_pinned_revision_into_the_user_cache_and_the_engine_then_speaks(fake_hub, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)  # the variable Hugging Face's own tools read for a mirror
    result = CliRunner().invoke(app, ["voices", "fetch", "supertonic"])

    assert result.exit_code == 0, result.output
    folder = default_model_dir("supertonic-3")
    assert "fetched 10 files" in result.output and "OpenRAIL-M" in result.output
    for name in [*MODEL_FILES, "voice_styles/F3.json", "voice_styles/M3.json", "LICENSE", "README.md"]:
        assert (folder / name).read_bytes() == (fake_hub.folder / name).read_bytes()
    assert not (folder / ".gitattributes").exists()  # only what a model folder needs
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert (manifest["repo"], manifest["revision"]) == (PIN.repo, PIN.revision)
    assert manifest["files"]["onnx/vocoder.onnx"]["sha256"] == sha256_of(folder / "onnx" / "vocoder.onnx")
    assert f"/{PIN.repo}/resolve/{PIN.revision}/onnx/vocoder.onnx" in fake_hub.requests
    assert sum(r.startswith(f"/api/models/{PIN.repo}/tree/") for r in fake_hub.requests) >= 3  # every page read

    engine = make_engine("supertonic", Speech(), "M3")
    assert engine.availability().usable and engine.identity()["revision"] == PIN.revision
    assert engine.synthesize("잘 들립니다.").samples.size > 0


def test_fetching_again_finds_the_revision_there_and_downloads_nothing(fake_hub, tmp_path):
    fetch_model("supertonic-3", tmp_path / "model", endpoint=fake_hub.url)
    asked = len(fake_hub.requests)

    again = fetch_model("supertonic-3", tmp_path / "model", endpoint=fake_hub.url)

    assert not again.fetched and again.files == 10 and len(fake_hub.requests) == asked


def test_a_folder_already_there_is_replaced_whole(fake_hub, tmp_path):
    target = tmp_path / "model"
    (target / "onnx").mkdir(parents=True)
    (target / "onnx" / "old.onnx").write_bytes(b"old")

    fetch_model("supertonic-3", target, endpoint=fake_hub.url, force=True)

    assert not (target / "onnx" / "old.onnx").exists() and (target / "onnx" / "vocoder.onnx").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no partial or old folder left beside it


@pytest.mark.parametrize(
    ("failure", "path", "message"),
    [
        ("altered", "onnx/vocoder.onnx", "onnx/vocoder.onnx does not match the hub's hash of it"),
        ("altered", "onnx/tts.json", "onnx/tts.json does not match the hub's hash of it"),  # a git blob id
        ("cut_short", "onnx/text_encoder.onnx", "onnx/text_encoder.onnx"),
        ("missing", "voice_styles/F3.json", "HTTP 404 from "),
        ("unlisted", "onnx/unicode_indexer.json", "has no onnx/unicode_indexer.json; it is not a Supertonic model"),
    ],
)
def test_a_bad_download_leaves_nothing_behind(fake_hub, tmp_path, failure, path, message):
    getattr(fake_hub, failure).add(path)
    target = tmp_path / "cache" / "supertonic-3"

    with pytest.raises(BriefingError, match=message.replace("(", r"\(")):
        fetch_model("supertonic-3", target, endpoint=fake_hub.url)

    assert not target.exists()
    assert list((tmp_path / "cache").iterdir()) == [] if (tmp_path / "cache").exists() else True


def test_an_unknown_revision_or_repository_is_one_sentence(fake_hub, tmp_path):
    with pytest.raises(
        BriefingError,
        match=r"HTTP 404 from .*/tree/0123456789\?recursive=true \(is the repository or revision right\?\)",
    ):
        fetch_model("supertonic-3", tmp_path / "m", endpoint=fake_hub.url, revision="0123456789")
    with pytest.raises(BriefingError, match="HTTP 404"):
        fetch_model("supertonic-3", tmp_path / "m", endpoint=fake_hub.url, repo="someone/else")


def test_no_hub_answering_is_one_sentence(tmp_path):
    with pytest.raises(BriefingError, match="could not reach http://127.0.0.1:9/"):
        fetch_model("supertonic-3", tmp_path / "m", endpoint="http://127.0.0.1:9", timeout=2)


def test_the_command_fetches_into_the_shows_model_dir(fake_hub, show_dir: Path):
    toml = show_dir / "show.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[speech]\n", '[speech]\nmodel_dir = "models/st"\n'),
                    encoding="utf-8")  # fmt: skip

    result = CliRunner().invoke(app, ["voices", "fetch", "supertonic", "--workspace", str(show_dir),
                                      "--endpoint", fake_hub.url])  # fmt: skip

    assert result.exit_code == 0, result.output
    assert (show_dir / "models" / "st" / "onnx" / "vocoder.onnx").is_file()


def test_only_supertonic_has_a_model_to_fetch(capsys, tmp_path):
    outcome = briefing(["voices", "fetch", "edge"], capsys, cwd=tmp_path)
    assert (
        outcome.code == 2 and outcome.err.strip() == "error: only supertonic has a model to fetch ('edge' needs none)"
    )


def test_a_hub_that_is_not_a_url_is_one_sentence(capsys, tmp_path):
    outcome = briefing(["voices", "fetch", "supertonic", "--endpoint", "hub.example"], capsys, cwd=tmp_path)
    assert outcome.code == 2
    assert outcome.err.strip() == "error: the model hub must be an http:// or https:// URL, not 'hub.example'"
    assert not default_model_dir("supertonic-3").exists()
