"""The episode encoded in segments, each stored by its content, so that a rebuild encodes only what changed.

The layout starts every chapter on an MP3 frame boundary and offers a cut point in the silent pause before it
(`Layout.cuts`). Where the mix really is silent around such a point, the episode is cut there: each segment is
limited and encoded on its own (two at a time on two cores), and its frames are kept in `.cache/mp3/` under a
hash of its samples and of everything else that decides them. An edit shifts the chapters after it by whole
frames, so their segments are the same samples as before and their frames are reused.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from briefing.ffmpeg import ffmpeg_exe
from briefing.filestore import FileStore
from briefing.mix import loudness
from briefing.mix.encode import encode_frames
from briefing.mix.mp3 import FRAME_SAMPLES, FrameError, split_frames
from briefing.progress import Progress, no_progress
from briefing.settings import Workspace

SILENCE = 10 ** (-90 / 20)  # what counts as silence around a cut (−90 dBFS)
CUT_MARGIN = 2 * FRAME_SAMPLES  # silence needed either side of a cut, so both encodes agree on what is there
SEGMENT_FORMAT = 1  # bump when what a segment's frames are made from changes


def silent_cuts(buffer: np.ndarray, candidates: Sequence[int]) -> list[int]:
    """The candidate cut points (frame boundaries) with silence at least CUT_MARGIN samples either side."""
    return [
        cut for cut in candidates
        if CUT_MARGIN <= cut <= len(buffer) - CUT_MARGIN and cut % FRAME_SAMPLES == 0
        and float(np.max(np.abs(buffer[cut - CUT_MARGIN : cut + CUT_MARGIN]))) <= SILENCE
    ]  # fmt: skip


@functools.cache
def encoder_version() -> str:
    """ffmpeg's version line: frames from another encoder build are not reused."""
    result = subprocess.run([ffmpeg_exe(), "-version"], capture_output=True, text=True, check=False)
    return result.stdout.splitlines()[0] if result.stdout else ffmpeg_exe()


@dataclass(frozen=True)
class Mastering:
    """Everything besides its samples that decides a segment's frames."""

    gain_db: float
    ceiling_dbtp: float
    rate: int
    bitrate_kbps: int

    def key(self, samples: np.ndarray) -> str:
        material = json.dumps(
            {"format": SEGMENT_FORMAT, "encoder": encoder_version(), "gain": self.gain_db,
             "ceiling": self.ceiling_dbtp, "rate": self.rate, "bitrate": self.bitrate_kbps},
            sort_keys=True,
        )  # fmt: skip
        digest = hashlib.sha256(material.encode("utf-8"))
        digest.update(np.ascontiguousarray(samples, dtype="<f4").data)
        return digest.hexdigest()

    def frames(self, samples: np.ndarray) -> list[bytes]:
        """The segment limited and encoded: frames 0..m (see `encode_frames`)."""

        def master(copy: np.ndarray) -> None:
            loudness.apply_gain_and_limit(copy, self.gain_db, self.ceiling_dbtp, self.rate)

        return encode_frames(samples, self.rate, self.bitrate_kbps, prepare=master)


class SegmentCache(FileStore):
    """Encoded segments under `folder` (a workspace's `.cache/mp3/`): each its frames 0..m as a bare MP3 stream."""

    suffix = ".frames"  # a bare MP3 stream, sealed (see `FileStore`)

    @classmethod
    def of(cls, workspace: Workspace) -> SegmentCache:
        return cls(workspace.cache_dir / "mp3")

    def get(self, key: str, count: int) -> list[bytes] | None:
        """The stored frames, or None when there are none (or they are damaged, or not the `count` expected: they
        are then removed, counted in `repaired`, and encoded again)."""
        data = self.read(key)
        if data is None:
            return None
        try:
            frames = split_frames(data)
        except FrameError:
            frames = []
        if len(frames) != count:
            self.drop(key)
            return None
        return frames

    def put(self, key: str, frames: Sequence[bytes]) -> None:
        self.write(key, b"".join(frames))


@dataclass(frozen=True)
class EncodedEpisode:
    frames: list[bytes]  # the file's frames: the first segment's frame 0, then every segment's frames 1..m
    encoded: int  # segments encoded by this build
    reused: int  # segments whose frames were in the cache


def encode_segments(
    buffer: np.ndarray, cuts: Sequence[int], mastering: Mastering, cache: SegmentCache,
    progress: Progress = no_progress, workers: int | None = None,
) -> EncodedEpisode:  # fmt: skip
    """Limit and encode `buffer` (a whole number of frames long) in the segments between `cuts`; reuse stored ones.

    Reports the step "encode": (segments ready, segments in all)."""
    edges = [0, *cuts, len(buffer)]
    spans = list(itertools.pairwise(edges))
    keys = [mastering.key(buffer[start:end]) for start, end in spans]
    counts = [(end - start) // FRAME_SAMPLES + 1 for start, end in spans]
    cached = [cache.get(key, count) for key, count in zip(keys, counts, strict=True)]
    found = {index: frames for index, frames in enumerate(cached) if frames is not None}
    # Longest first, so that two encoders finish together rather than one waiting on the last long segment.
    missing = sorted((index for index in range(len(spans)) if index not in found),
                     key=lambda index: spans[index][0] - spans[index][1])  # fmt: skip
    done = len(spans) - len(missing)
    progress("encode", done, len(spans))

    def encode(index: int) -> list[bytes]:
        start, end = spans[index]
        frames = mastering.frames(buffer[start:end])
        cache.put(keys[index], frames)
        return frames

    workers = workers or max(1, min(len(missing), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mp3-segment") as pool:
        for index, frames in zip(missing, pool.map(encode, missing), strict=True):
            found[index] = frames
            done += 1
            progress("encode", done, len(spans))
    frames = [frame for index in range(len(spans)) for frame in found[index][0 if index == 0 else 1 :]]
    return EncodedEpisode(frames=frames, encoded=len(missing), reused=len(spans) - len(missing))
