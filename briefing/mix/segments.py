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
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from briefing.ffmpeg import ffmpeg_exe
from briefing.filestore import FileStore
from briefing.mix.encode import encode_stream, write_frame_runs
from briefing.mix.loudness.limiter import limited_blocks
from briefing.mix.loudness.meter import blocks_with_context
from briefing.mix.mp3 import FRAME_SAMPLES, FrameError, split_frames
from briefing.mix.signal import Signal, as_signal
from briefing.progress import Progress, no_progress
from briefing.settings import Workspace

SILENCE = 10 ** (-90 / 20)  # what counts as silence around a cut (−90 dBFS)
CUT_MARGIN = 2 * FRAME_SAMPLES  # silence needed either side of a cut, so both encodes agree on what is there
# Bump when what a segment's frames are made from changes. 2: keyed by its source's fingerprint; 3: the true-peak
# search sums its taps as vectors, which may round the limiter's gain a last bit differently.
SEGMENT_FORMAT = 3

Span = tuple[int, int]


def silent_cuts(source: Signal | np.ndarray, candidates: Sequence[int]) -> list[int]:
    """The candidate cut points (frame boundaries) with silence at least CUT_MARGIN samples either side."""
    audio = as_signal(source)
    return [
        cut for cut in candidates
        if CUT_MARGIN <= cut <= audio.length - CUT_MARGIN and cut % FRAME_SAMPLES == 0
        and float(np.max(np.abs(audio.render(cut - CUT_MARGIN, cut + CUT_MARGIN)))) <= SILENCE
    ]  # fmt: skip


def segment_spans(length: int, cuts: Sequence[int]) -> list[Span]:
    return list(itertools.pairwise([0, *cuts, length]))


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

    def key(self, fingerprint: str) -> str:
        """The cache key of the segment whose samples have `fingerprint` (see `Signal.fingerprint`)."""
        material = json.dumps(
            {"format": SEGMENT_FORMAT, "encoder": encoder_version(), "gain": self.gain_db,
             "ceiling": self.ceiling_dbtp, "rate": self.rate, "bitrate": self.bitrate_kbps, "source": fingerprint},
            sort_keys=True,
        )  # fmt: skip
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def frames(self, source: Signal | np.ndarray, start: int = 0, end: int | None = None) -> list[bytes]:
        """Samples [start, end) of `source` limited and encoded on their own: frames 0..m (see `encode_frames`).

        They are read, limited and handed to the encoder a block at a time (each block limited with its
        neighbours' samples as context, within the segment: as if the segment were limited whole)."""
        audio = as_signal(source)
        end = audio.length if end is None else end
        blocks = [(start + lo, start + s, start + e, start + hi) for lo, s, e, hi in blocks_with_context(end - start)]
        limited = limited_blocks(audio, self.gain_db, self.ceiling_dbtp, self.rate, blocks)
        return encode_stream((block for *_, block in limited), end - start, self.rate, self.bitrate_kbps)


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
    """An episode's segments, each encoded into the cache (by this build, or one before it)."""

    source: Signal
    spans: tuple[Span, ...]
    keys: tuple[str, ...]
    mastering: Mastering
    cache: SegmentCache
    encoded: int  # segments encoded by this build
    reused: int  # segments whose frames were in the cache

    def segment_frames(self, index: int) -> list[bytes]:
        """Segment `index`'s frames 0..m, from the cache (encoded again should the entry be gone by now)."""
        start, end = self.spans[index]
        count = (end - start) // FRAME_SAMPLES + 1
        frames = self.cache.get(self.keys[index], count)
        if frames is None:
            frames = self.mastering.frames(self.source, start, end)
            self.cache.put(self.keys[index], frames)
        return frames

    def runs(self) -> Iterator[list[bytes]]:
        """The file's frames a segment at a time: the first segment's frame 0, then every segment's frames 1..m."""
        for index in range(len(self.spans)):
            frames = self.segment_frames(index)
            yield frames if index == 0 else frames[1:]

    @property
    def frames(self) -> list[bytes]:
        """All of the file's frames at once (for a short episode)."""
        return [frame for run in self.runs() for frame in run]

    def write(self, target: Path) -> None:
        """The episode's MP3 file (see `write_frame_runs`), one segment in memory at a time."""
        write_frame_runs(target, self.runs())


def encode_segments(
    source: Signal | np.ndarray, cuts: Sequence[int], mastering: Mastering, cache: SegmentCache,
    progress: Progress = no_progress, workers: int | None = None,
) -> EncodedEpisode:  # fmt: skip
    """Limit and encode `source` (a whole number of frames long) in the segments between `cuts`, into the cache;
    stored ones are reused (found by the segment's fingerprint, without reading its samples).

    Reports the step "encode": (segments ready, segments in all)."""
    audio = as_signal(source)
    spans = segment_spans(audio.length, cuts)
    keys = [mastering.key(audio.fingerprint(start, end)) for start, end in spans]
    counts = [(end - start) // FRAME_SAMPLES + 1 for start, end in spans]
    stored = [cache.get(key, count) is not None for key, count in zip(keys, counts, strict=True)]
    # Longest first, so that two encoders finish together rather than one waiting on the last long segment.
    missing = sorted((index for index, found in enumerate(stored) if not found),
                     key=lambda index: spans[index][0] - spans[index][1])  # fmt: skip
    done = len(spans) - len(missing)
    progress("encode", done, len(spans))

    def encode(index: int) -> None:
        start, end = spans[index]
        cache.put(keys[index], mastering.frames(audio, start, end))

    workers = workers or max(1, min(len(missing), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mp3-segment") as pool:
        for _ in pool.map(encode, missing):
            done += 1
            progress("encode", done, len(spans))
    return EncodedEpisode(audio, tuple(spans), tuple(keys), mastering, cache, len(missing), len(spans) - len(missing))
