"""The episode's MP3: libmp3lame CBR, mono, through ffmpeg, with nothing in it that changes from run to run.

An episode is encoded in segments (see `segments`): each is encoded on its own into bare frames, and the file is
those frames joined behind one Info frame.
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import subprocess
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import soundfile

from briefing.errors import BriefingError
from briefing.ffmpeg import ffmpeg_error, ffmpeg_exe
from briefing.mix.audiofile import STREAM_CHUNK_SAMPLES
from briefing.mix.loudness import Loudness, measure_stream
from briefing.mix.mp3 import DECODER_DELAY, FRAME_SAMPLES, FrameTally, info_frame_length, split_frames

# libmp3lame's delay as a decoder sees it: decoded sample n is input sample n − 1105 (576 encoder + 529 decoder)
ENCODER_DELAY = 1105


def encode_command(rate: int, bitrate_kbps: int, target: Path) -> list[str]:
    """ffmpeg reading float32 mono PCM on stdin and writing a bit-exact CBR MP3 without any tags of its own.

    The Xing/LAME header stays (ffmpeg writes it when it can seek): it carries the encoder delay and padding, so
    players trim them and the decoded length equals the timeline's.
    """
    return [
        ffmpeg_exe(), "-nostdin", "-v", "error", "-y",
        "-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", "-",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
        "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k", "-ar", str(rate), "-ac", "1",
        "-id3v2_version", "0", "-write_id3v1", "0",
        "-f", "mp3", str(target),
    ]  # fmt: skip


def frames_command(rate: int, bitrate_kbps: int) -> list[str]:
    """Like `encode_command`, but the bare frames go to stdout, and without the bit reservoir: no frame borrows
    bytes from the one before it, so frames from separate encodes can follow one another."""
    command = encode_command(rate, bitrate_kbps, Path("-"))
    at = command.index("-id3v2_version")
    return [*command[:at], "-reservoir", "0", "-write_xing", "0", *command[at:]]


def encode_frames(samples: np.ndarray, rate: int, bitrate_kbps: int,
                  prepare: Callable[[np.ndarray], None] | None = None) -> list[bytes]:  # fmt: skip
    """`samples` (a whole number of frames long) encoded on their own, as frames 0..m: frame k+1 decodes to exactly
    samples [k·1152, (k+1)·1152), and frame 0 to the silence before them (a decoder needs it only at a file's start).

    `prepare`, if given, works on the copy that is encoded, in place (e.g. gain and limiting), before it is.
    """
    pcm = np.array(samples, dtype=np.float32)
    if prepare is not None:
        prepare(pcm)
    return encode_stream([pcm], len(pcm), rate, bitrate_kbps)


def encode_stream(chunks: Iterable[np.ndarray], length: int, rate: int, bitrate_kbps: int) -> list[bytes]:
    """Like `encode_frames`, for `length` samples arriving in `chunks` (e.g. rendered and limited a block at a
    time, while the encoder works on the blocks before): only the frames are ever whole in memory."""
    if length % FRAME_SAMPLES:
        raise ValueError("a segment must be a whole number of MP3 frames long")
    lead = np.zeros(FRAME_SAMPLES - ENCODER_DELAY, dtype="<f4")  # puts frame 1's first sample on the first sample
    encoder = subprocess.Popen(frames_command(rate, bitrate_kbps), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    stdin, stdout, stderr_pipe = encoder.stdin, encoder.stdout, encoder.stderr
    assert stdin is not None and stdout is not None and stderr_pipe is not None  # all three are pipes
    failure: list[BaseException] = []

    def feed() -> None:
        # Each chunk in one write, in C without the GIL (communicate() would pass it 4 kB at a time through Python).
        try:
            for chunk in itertools.chain([lead], chunks):
                stdin.write(np.ascontiguousarray(chunk, dtype="<f4").data.cast("B"))
        except BrokenPipeError:
            pass  # ffmpeg stopped early; its message follows
        except BaseException as error:  # noqa: BLE001  # e.g. a clip that cannot be read: raised by the caller
            failure.append(error)
        finally:
            with contextlib.suppress(BrokenPipeError):
                stdin.close()

    feeder = threading.Thread(target=feed, name="mp3-feed")
    feeder.start()
    output = stdout.read()
    feeder.join()
    stderr = stderr_pipe.read()
    status = encoder.wait()
    if failure:
        raise failure[0]
    if status != 0:
        raise ffmpeg_error("MP3 encoding failed", stderr)
    frames = split_frames(output)
    count = length // FRAME_SAMPLES + 1
    if len(frames) < count:
        raise BriefingError(f"MP3 encoding failed: {len(frames)} frames for {count - 1} frames of audio")
    return frames[:count]


def write_frames(target: Path, frames: Sequence[bytes]) -> None:
    """An MP3 file of `frames` (the first of them frame 0 of its encode), headed by an Info frame that has players
    skip that first frame's silence: its decoded audio is exactly the samples the frames after it were made from."""
    write_frame_runs(target, [frames])


def write_frame_runs(target: Path, runs: Iterable[Sequence[bytes]]) -> None:
    """Like `write_frames`, for frames arriving a run at a time (e.g. an episode's segments): one run is in memory
    at a time. The Info frame, which sums them all up, is written last, in the room left for it at the start."""
    tally = FrameTally()
    with open(target, "wb") as out:
        for run in runs:
            if tally.first is None and run:
                out.write(bytes(info_frame_length(run[0])))
            tally.add(run)
            out.write(b"".join(run))
        info = tally.info_frame(delay=FRAME_SAMPLES - DECODER_DELAY, padding=DECODER_DELAY)
        out.seek(0)
        out.write(info)


def measure_mp3(path: Path, rate: int) -> Loudness:
    """Integrated loudness and true peak of an MP3 file as players decode it (libsndfile's mpg123, which honours
    the Info frame's delay and padding), decoded in a thread of its own while it is metered."""
    try:
        mp3 = soundfile.SoundFile(path)
    except (soundfile.LibsndfileError, RuntimeError) as error:
        raise BriefingError(f"cannot decode the encoded MP3: {error}", path) from None
    with mp3:
        if mp3.samplerate != rate or mp3.channels != 1:
            raise BriefingError(f"the encoded MP3 is {mp3.channels} channel(s) at {mp3.samplerate} Hz", path)
        blocks = mp3.blocks(blocksize=STREAM_CHUNK_SAMPLES, dtype="float32")
        with contextlib.closing(_read_ahead(blocks)) as decoded:  # its thread is done before the file closes
            return measure_stream(decoded, rate)


def _read_ahead(items: Iterator[np.ndarray], depth: int = 4) -> Generator[np.ndarray, None, None]:
    """`items`, produced in a thread of their own up to `depth` ahead of the consumer."""
    # Each item, or the error that stopped the producer, then None: the end.
    ahead: queue.Queue[np.ndarray | BaseException | None] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                ahead.put(item)
        except BaseException as error:  # noqa: BLE001  # handed to the consumer
            ahead.put(error)
        ahead.put(None)

    producer = threading.Thread(target=produce, name="read-ahead", daemon=True)
    producer.start()
    try:
        while (item := ahead.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while producer.is_alive():  # unblock a producer waiting on a full queue
            try:
                ahead.get(timeout=0.1)
            except queue.Empty:
                pass
        producer.join()
