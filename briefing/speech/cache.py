"""Content-addressed store of synthesised utterances: (engine identity, spoken text) → a 16-bit mono WAV clip.

Clips are sealed with a checksum and written atomically (see `FileStore`), so an interrupted build leaves only whole
clips behind, a later build reuses them, and a damaged one is synthesised again rather than used.
"""

from __future__ import annotations

import hashlib
import json
import wave
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefing.filestore import FileStore
from briefing.models import Clip
from briefing.settings import Workspace
from briefing.speech.engines.base import clip_from_pcm16, clip_to_pcm16
from briefing.wavfile import wav_bytes, wav_samples

CLIP_SUFFIX = ".clip"  # a 16-bit mono WAV file, sealed (see `FileStore`)


def clip_key(identity: Mapping[str, Any], text: str) -> str:
    """A stable hash of everything that decides the audio of one utterance."""
    material = json.dumps({"engine": identity, "text": text}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class ClipCache(FileStore):
    """Clips under `folder` (a workspace's `.cache/speech/`)."""

    suffix = CLIP_SUFFIX

    @classmethod
    def of(cls, workspace: Workspace) -> ClipCache:
        return cls(workspace.cache_dir / "speech")

    def path(self, identity: Mapping[str, Any], text: str) -> Path:
        return self.file(clip_key(identity, text))

    def get(self, identity: Mapping[str, Any], text: str) -> Clip | None:
        """The stored clip, or None when there is none (or it is damaged: it is then removed, counted in
        `repaired`, and synthesised again)."""
        key = clip_key(identity, text)
        data = self.read(key)
        if data is None:
            return None
        try:
            return clip_from_pcm16(*wav_samples(data))
        except (wave.Error, EOFError):
            self.drop(key)
            return None

    def put(self, identity: Mapping[str, Any], text: str, clip: Clip) -> Clip:
        """Store `clip`; returns it as stored (16-bit), so a fresh build and a cached one give identical audio.

        Where another build (a process of the same batch) stored this text's clip first, that one is returned: an
        engine may say the same text a few samples differently, and every episode must use the clip the cache keeps.
        """
        pcm16 = clip_to_pcm16(clip)
        key = clip_key(identity, text)
        data = wav_bytes(pcm16, clip.sample_rate)
        if not self.write_once(key, data):
            if (stored := self.get(identity, text)) is not None:
                return stored
            self.write(key, data)  # the one there is unreadable
        return clip_from_pcm16(pcm16, clip.sample_rate)
