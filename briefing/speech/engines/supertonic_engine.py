"""Offline neural speech: Supertone's Supertonic (2 or 3) on the CPU through ONNX Runtime, with the `supertonic`
package's own pipeline, from a model folder the producer fetched (`briefing voices fetch supertonic`).

The package is an optional extra (`pip install 'briefing[supertonic]'`), imported only when the engine first speaks.
Its noise comes from numpy's global random generator, so every utterance seeds it from the text and voice: the same
sentence gives the same samples in every build.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from briefing.errors import BriefingError
from briefing.models import Clip
from briefing.speech.engines.base import (
    PROBE_TIMEOUT,
    Availability,
    Engine,
    UnknownVoice,
    VoiceInfo,
    clip_from_float,
    nothing_to_say,
)
from briefing.speech.voicemodels import (
    FETCH_COMMAND,
    MODEL_FILES,
    VOICE_STYLES,
    default_model_dir,
    file_digests,
    missing_files,
    read_manifest,
    voice_style_names,
)

# Upstream's own descriptions of the ten voices both models ship.
VOICES = {
    "F1": "female, calm, slightly low",
    "F2": "female, bright, cheerful",
    "F3": "female, clear announcer: news-style narration",
    "F4": "female, crisp, confident",
    "F5": "female, kind, gentle",
    "M1": "male, lively, upbeat",
    "M2": "male, deep, calm, serious",
    "M3": "male, polished, authoritative",
    "M4": "male, soft, young",
    "M5": "male, warm, soft-spoken",
}
# Always given: without it the package marks the text "no language", which Supertonic 2 never learnt.
LANGUAGE = "ko"
KOREAN_CHUNK = 120  # characters per synthesis call, the package's own limit for Korean
CHUNK_PAUSE_S = 0.25  # between the chunks of one (rare) over-long utterance
INSTALL_HINT = "pip install 'briefing[supertonic]'"

_loaded: dict[tuple[str, str], Any] = {}  # (model folder, model) → supertonic.TTS: loaded once per process
_load_lock = threading.Lock()
_noise_lock = threading.Lock()  # numpy's global generator is seeded and drawn from under this lock


def package_installed() -> bool:
    return importlib.util.find_spec("supertonic") is not None and importlib.util.find_spec("onnxruntime") is not None


def utterance_seed(voice: str, text: str) -> int:
    """A seed for numpy's generator from the voice and text: the same utterance always gets the same noise."""
    return int.from_bytes(hashlib.sha256(f"{voice}\0{text}".encode()).digest()[:4], "big")


def _damaged(folder: Path, error: Exception) -> BriefingError:
    """One sentence for a model that would not load, naming the file when the loader's message does."""
    message = str(error)
    named = next((name for name in MODEL_FILES if Path(name).name in message), None)
    where = folder / named if named else folder
    detail = re.sub(r"\s+", " ", message).strip()
    detail = detail if len(detail) <= 160 else detail[:159] + "…"
    return BriefingError(
        f"the Supertonic model would not load ({detail}); fetch it again with '{FETCH_COMMAND}'", where
    )


def load_tts(folder: Path, model: str) -> Any:
    """The package's TTS on `folder`, never downloading (auto_download=False); loaded once per process."""
    key = (str(folder.resolve()), model)
    with _load_lock:
        if key not in _loaded:
            from supertonic import TTS

            try:
                _loaded[key] = TTS(model=model, model_dir=folder, auto_download=False)
            except Exception as error:  # noqa: BLE001 — ONNX Runtime's InvalidProtobuf derives from Exception alone
                raise _damaged(folder, error) from None
        return _loaded[key]


class SupertonicEngine(Engine):
    """Supertonic: natural neural voices, offline, far faster than real time on a CPU — once its weights are here."""

    name = "supertonic"
    default_voices = ("F3", "M3", "F1", "M2")

    def __init__(
        self,
        *,
        voice: str = "F3",
        model: str = "supertonic-3",
        model_dir: Path | None = None,
        steps: int = 8,
        speed: float = 1.05,
    ):
        self.voice = voice
        self.model = model
        self.folder = Path(model_dir) if model_dir is not None else default_model_dir(model)
        self.steps = steps
        self.speed = speed
        known = voice_style_names(self.folder)
        if known and voice not in known:  # a folder not fetched yet is reported when the engine is used, not here
            raise UnknownVoice(self.name, voice, known)

    # ------------------------------------------------------------------------------------------------ checks

    def problem(self) -> str | None:
        """Why the engine cannot speak here (cheap: nothing is loaded), or None."""
        if not package_installed():
            return f"the supertonic package is not installed ({INSTALL_HINT})"
        if not self.folder.is_dir():
            return f"no model at {self.folder} (run '{FETCH_COMMAND}', or set [speech] model_dir)"
        if lacking := missing_files(self.folder):
            return f"the model at {self.folder} has no {lacking[0]} (run '{FETCH_COMMAND}' again)"
        if self.voice not in voice_style_names(self.folder):
            return f"the model at {self.folder} has no voice {self.voice}"
        return None

    def _require(self) -> None:
        if problem := self.problem():
            raise BriefingError(f"supertonic cannot speak: {problem}")

    def availability(self, timeout: float = PROBE_TIMEOUT) -> Availability:
        if problem := self.problem():
            return Availability(False, problem)
        revision = read_manifest(self.folder).get("revision")
        fetched = f"revision {str(revision)[:12]}" if revision else "a folder not fetched by briefing"
        return Availability(True, f"model {self.model} at {self.folder} ({fetched})")

    @property
    def sample_rate(self) -> int:  # type: ignore[override]
        try:
            config = json.loads((self.folder / "onnx" / "tts.json").read_text(encoding="utf-8"))
            return int(config["ae"]["sample_rate"])
        except (OSError, ValueError, KeyError, TypeError):
            return 44100

    def voices(self) -> list[VoiceInfo]:
        names = voice_style_names(self.folder) or list(VOICES)
        return [VoiceInfo(name, VOICES.get(name, "a voice style of this model")) for name in names]

    def identity(self) -> dict[str, Any]:
        """The model's revision and the hash of every file that shapes the sound (the six model files and the voice),
        the settings, and the libraries that run it: ONNX Runtime versions can differ in the last bits."""
        self._require()
        voice_file = f"{VOICE_STYLES}/{self.voice}.json"
        return {
            "engine": self.name,
            "model": self.model,
            "revision": read_manifest(self.folder).get("revision"),
            "files": file_digests(self.folder, [*MODEL_FILES, voice_file]),
            "voice": self.voice,
            "steps": self.steps,
            "speed": self.speed,
            "library": importlib.metadata.version("supertonic"),
            "onnxruntime": importlib.metadata.version("onnxruntime"),
            "sample_rate": self.sample_rate,
        }

    # --------------------------------------------------------------------------------------------- synthesis

    def _sayable(self, tts: Any, text: str) -> str:
        """`text` without the characters this model cannot say (the normaliser leaves few: quotes, rare symbols)."""
        processor = tts.model.text_processor
        ok, unsupported = processor.validate_text(text)
        if ok:
            return text
        return " ".join("".join(" " if ch in unsupported else ch for ch in text).split())

    def synthesize(self, text: str) -> Clip:
        if nothing_to_say(text):
            return self.silence()
        self._require()
        from supertonic.utils import chunk_text

        tts = load_tts(self.folder, self.model)
        style = tts.get_voice_style(self.voice)
        rate = tts.sample_rate
        said = self._sayable(tts, text)
        if nothing_to_say(said):
            return self.silence()
        pieces: list[np.ndarray] = []
        # Chunk by chunk, each trimmed to its own duration: the model pads every chunk to whole latent frames, so
        # trimming a joined result would cut the end of the last chunk's speech.
        for chunk in chunk_text(said, KOREAN_CHUNK):
            with _noise_lock:
                np.random.seed(utterance_seed(self.voice, chunk))
                wav, duration = tts.synthesize(
                    chunk, voice_style=style, total_steps=self.steps, speed=self.speed, lang=LANGUAGE,
                    silence_duration=0.0,
                )  # fmt: skip
            if pieces:
                pieces.append(np.zeros(int(rate * CHUNK_PAUSE_S), dtype=np.float32))
            pieces.append(np.asarray(wav[0, : int(rate * float(duration[0]))], dtype=np.float32))
        return clip_from_float(np.concatenate(pieces), rate)
