"""The episode's MP3: libmp3lame CBR, mono, through ffmpeg, with nothing in it that changes from run to run."""

from __future__ import annotations

import queue
import subprocess
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from briefing.errors import BriefingError
from briefing.ffmpeg import ffmpeg_exe
from briefing.mix.audiofile import decode_command, pcm_chunks
from briefing.mix.loudness import Loudness, measure_stream


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


def encode_mp3(samples: np.ndarray, rate: int, bitrate_kbps: int, target: Path) -> None:
    """Encode `samples` (mono float32) into `target` (a temporary path the caller renames into place)."""
    pcm = np.ascontiguousarray(samples, dtype="<f4")
    process = subprocess.Popen(encode_command(rate, bitrate_kbps, target), stdin=subprocess.PIPE,
                               stderr=subprocess.PIPE)  # fmt: skip
    try:
        process.stdin.write(memoryview(pcm).cast("B"))  # no copy of the episode's samples
        process.stdin.close()
    except BrokenPipeError:
        pass  # ffmpeg stopped early; its message follows
    stderr = process.stderr.read()
    if process.wait() != 0:
        message = stderr.decode("utf-8", "replace").strip().splitlines()
        raise BriefingError(f"MP3 encoding failed: {message[-1] if message else 'ffmpeg exited with an error'}", target)


def tee_command(rate: int, bitrate_kbps: int, target: Path) -> list[str]:
    """Like `encode_command`, but the same MP3 frames also go to stdout (without the Xing header) for checking."""
    command = encode_command(rate, bitrate_kbps, target)
    file_options = "f=mp3:id3v2_version=0:write_id3v1=0:fflags=+bitexact"
    outputs = f"[{file_options}]{target}|[{file_options}:write_xing=0]pipe:1"
    return [*command[: command.index("-id3v2_version")], "-map", "0:a", "-f", "tee", outputs]


def encode_and_measure(blocks: Iterable[np.ndarray], rate: int, bitrate_kbps: int, target: Path) -> Loudness:
    """Encode the audio arriving in `blocks` into `target` and measure the MP3 itself while it is made.

    Three things run at once: this process feeds the encoder (in a thread), the encoder writes the file and
    copies its frames to a decoder, and the decoded audio is metered here. Measuring costs almost no extra time.
    """
    encoder = subprocess.Popen(tee_command(rate, bitrate_kbps, target), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    decode = decode_command("pipe:0", rate)
    decode[decode.index("-i") : decode.index("-i")] = ["-f", "mp3"]  # a pipe cannot be probed by seeking
    decoder = subprocess.Popen(decode, stdin=encoder.stdout,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    encoder.stdout.close()  # the decoder holds the pipe now; it sees its end when the encoder finishes
    failure: list[BaseException] = []

    def feed() -> None:
        try:
            for block in blocks:
                encoder.stdin.write(memoryview(np.ascontiguousarray(block, dtype="<f4")).cast("B"))
        except BrokenPipeError:
            pass  # the encoder stopped early; its message follows
        except BaseException as error:  # noqa: BLE001  # re-raised in the caller's thread
            failure.append(error)
        finally:
            encoder.stdin.close()

    # The decoded audio is drained as fast as it comes, so a slow moment of metering never holds up the encoder
    # (whose copy of the frames to the decoder would otherwise block on a full pipe).
    decoded: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()

    def drain() -> None:
        try:
            for chunk in pcm_chunks(decoder.stdout):
                decoded.put(chunk)
        finally:
            decoded.put(None)

    feeder = threading.Thread(target=feed, name="mp3-feed")
    drainer = threading.Thread(target=drain, name="mp3-drain")
    feeder.start()
    drainer.start()
    try:
        measured = measure_stream(_until_none(decoded), rate)
    finally:
        feeder.join()
        drainer.join()
        decoder.stdout.close()
        encoder_error, decoder_error = encoder.stderr.read(), decoder.stderr.read()
        encoder.wait(), decoder.wait()
    if failure:
        raise failure[0]
    for process, stderr in ((encoder, encoder_error), (decoder, decoder_error)):
        if process.returncode != 0:
            lines = stderr.decode("utf-8", "replace").strip().splitlines()
            raise BriefingError(f"MP3 encoding failed: {lines[-1] if lines else 'ffmpeg exited with an error'}", target)
    return measured


def _until_none(items: queue.SimpleQueue) -> Iterator[np.ndarray]:
    while (item := items.get()) is not None:
        yield item
