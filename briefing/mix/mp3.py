"""MP3 frames: an encoder's output cut into frames, and the Info frame (Xing + LAME tag) that heads a file joined
from several encodes, so that players know its frame count and trim exactly the samples that are not the episode.

Only what the episode's encoder writes is read here: MPEG-1 Layer III, mono, no CRC.
"""

from __future__ import annotations

import array
import functools
import re
import struct
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

FRAME_SAMPLES = 1152  # samples per MPEG-1 Layer III frame
DECODER_DELAY = 529  # the synthesis filterbank's delay: a LAME tag's delay field leaves it out
_BITRATES_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)
_MONO_SIDE_INFO = 17
_XING_FLAGS = 0x0F  # frames, bytes, table of contents, quality
_TOC_SIZE = 100
_TAG_CRC_SPAN = 190  # the LAME tag's CRC covers this many bytes from the frame's start
INFO_FRAME_MIN = _TAG_CRC_SPAN


class FrameError(ValueError):
    """The bytes are not the MPEG-1 Layer III frames this module reads."""


def _fields(header: int) -> tuple[int, int, int]:
    """(bitrate in kb/s, sample rate, padding) of a frame header; FrameError when it is not MPEG-1 Layer III."""
    if header >> 21 != 0x7FF or (header >> 19) & 3 != 3 or (header >> 17) & 3 != 1:
        raise FrameError(f"not an MPEG-1 Layer III frame header: {header:08x}")
    bitrate_index, rate_index = (header >> 12) & 15, (header >> 10) & 3
    if bitrate_index in (0, 15) or rate_index == 3:
        raise FrameError(f"unsupported bitrate or sample rate in frame header {header:08x}")
    return _BITRATES_KBPS[bitrate_index], _RATES[rate_index], (header >> 9) & 1


def frame_length(header: int) -> int:
    bitrate, rate, padding = _fields(header)
    return 144_000 * bitrate // rate + padding


def _frame_walk(header_at: Callable[[int], bytes], size: int) -> Iterator[tuple[int, int]]:
    """Each frame's (position, length) in a bare MP3 stream of `size` bytes, in order, `header_at(position)` giving
    the 4 bytes there; FrameError if the stream holds anything else."""
    position = 0
    while position < size:
        if position + 4 > size:
            raise FrameError(f"{size - position} stray bytes after the last frame")
        length = frame_length(int.from_bytes(header_at(position), "big"))
        if position + length > size:
            raise FrameError("the last frame is cut short")
        yield position, length
        position += length


def split_frames(data: bytes) -> list[bytes]:
    """The frames of a bare MP3 stream (no tags), in order; FrameError if it holds anything else."""
    return [data[at : at + length] for at, length in _frame_walk(lambda at: data[at : at + 4], len(data))]


_READ_BLOCK = 1 << 20  # bytes of a file read at a time when its frames are only counted


def count_frames(path: Path) -> int:
    """How many frames the bare MP3 stream in `path` holds (read a block at a time, so a file of any length costs a
    megabyte); FrameError if it holds anything else (see `split_frames`)."""
    with path.open("rb") as stream:
        data, offset = b"", 0  # data holds the file's bytes from `offset` on

        def header_at(position: int) -> bytes:
            nonlocal data, offset
            if position + 4 > offset + len(data):
                stream.seek(position)
                data, offset = stream.read(_READ_BLOCK), position
            return data[position - offset : position - offset + 4]

        return sum(1 for _ in _frame_walk(header_at, path.stat().st_size))


def _crc_table() -> np.ndarray:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return np.array(table, dtype=np.uint16)


_CRC_TABLE = _crc_table()


_CRC_LANE = 1024  # bytes whose CRCs are worked out side by side


def _crc_rows(rows: np.ndarray, crc: np.ndarray) -> np.ndarray:
    """The CRC of each row of bytes, every row at once, from the registers `crc`."""
    for column in range(rows.shape[1]):
        crc = (crc >> 8) ^ _CRC_TABLE[(crc ^ rows[:, column]) & 0xFF]
    return crc


@functools.cache
def _carry_tables() -> tuple[list[int], list[int]]:
    """What _CRC_LANE zero bytes make of a register's low and high byte (the CRC is linear, so the two add up)."""
    zeros = np.zeros((256, _CRC_LANE), dtype=np.uint8)
    low = np.arange(256, dtype=np.uint16)
    return _crc_rows(zeros, low).tolist(), _crc_rows(zeros, low << 8).tolist()


class Crc16:
    """CRC-16 (polynomial 0x8005, bit-reversed, starting at 0), as the LAME tag uses for the music and the tag, fed
    a piece at a time.

    Worked out a lane of bytes at a time, every lane of a piece at once: each lane's CRC from 0, chained to the
    running one carried through a lane of zero bytes (the CRC is linear); the bytes short of a whole lane wait for
    the next piece, and the last of them are taken one by one.
    """

    def __init__(self) -> None:
        self._crc = 0
        self._rest = b""

    def update(self, data: bytes) -> None:
        data = self._rest + data if self._rest else data
        whole = len(data) // _CRC_LANE * _CRC_LANE
        if whole:
            rows = np.frombuffer(data, dtype=np.uint8, count=whole).reshape(-1, _CRC_LANE)
            low, high = _carry_tables()
            crc = self._crc
            for own in _crc_rows(rows, np.zeros(len(rows), np.uint16)).tolist():
                crc = low[crc & 0xFF] ^ high[crc >> 8] ^ own
            self._crc = crc
        self._rest = bytes(data[whole:])

    def value(self) -> int:
        crc = self._crc
        for byte in self._rest:
            crc = (crc >> 8) ^ int(_CRC_TABLE[(crc ^ byte) & 0xFF])
        return crc


def crc16(data: bytes) -> int:
    """CRC-16 (polynomial 0x8005, bit-reversed, starting at 0), as the LAME tag uses for the music and the tag."""
    crc = Crc16()
    crc.update(data)
    return crc.value()


def _info_header(first_frame: bytes) -> tuple[int, int]:
    """The stream's own header (without padding), or the lowest bitrate whose frame holds the Info tag if the
    stream's does not; and its frame length."""
    header = int.from_bytes(first_frame[:4], "big")
    if (header >> 6) & 3 != 3:
        raise FrameError("only mono streams are supported")
    header &= ~(1 << 9)  # no padding byte
    if frame_length(header) >= INFO_FRAME_MIN:
        return header, frame_length(header)
    for index in range(1, 15):
        candidate = (header & ~(15 << 12)) | (index << 12)
        if frame_length(candidate) >= INFO_FRAME_MIN:
            return candidate, frame_length(candidate)
    raise FrameError("no bitrate holds the Info tag")  # unreachable for MPEG-1 rates


_LAME_VERSION = re.compile(rb"LAME(\d)\.(\d+)(?: \((a|b))?")


def lame_version(frames: Sequence[bytes]) -> bytes:
    """The encoder's short version for the LAME tag (e.g. LAME3.100, or LAME4.1a for 4.1 alpha), read from the
    version string LAME leaves in frames with bits to spare (silence has them); plain LAME if none does."""
    return _found_version(frames) or b"LAME"


def _found_version(frames: Sequence[bytes]) -> bytes | None:
    for frame in frames:
        if b"LAME" in frame and (found := _LAME_VERSION.search(frame)):
            return b"LAME" + found[1] + b"." + found[2] + (found[3] or b"")
    return None


class FrameTally:
    """What an Info frame says about the frames of a file, gathered as they are written a run at a time: their
    count, sizes and offsets, CRC, and the encoder's version."""

    def __init__(self) -> None:
        self.first: bytes | None = None  # the first frame, whose header the Info frame takes
        self.lengths = array.array("I")
        self.crc = Crc16()
        self.encoder: bytes | None = None

    def add(self, frames: Sequence[bytes]) -> None:
        if not frames:
            return
        if self.first is None:
            self.first = frames[0]
        self.lengths.extend(len(frame) for frame in frames)
        self.crc.update(b"".join(frames))
        if self.encoder is None:
            self.encoder = _found_version(frames)

    def info_frame(self, delay: int, padding: int, encoder: bytes | None = None) -> bytes:
        """The Info frame for a CBR file of the frames tallied: their count and size, a seek table, and a LAME tag
        saying that `delay` samples (not counting the decoder's own DECODER_DELAY) open the decoded audio and
        `padding` samples (counting it) close it. Decoders that read it (ffmpeg, browsers, mutagen) give exactly
        the audio in between."""
        if not (0 <= delay < 4096 and 0 <= padding < 4096):
            raise ValueError("delay and padding must each fit in 12 bits")
        if self.first is None:
            raise ValueError("an MP3 file needs at least one frame")
        encoder = (self.encoder or b"LAME") if encoder is None else encoder
        header, length = _info_header(self.first)
        count = len(self.lengths)
        sizes = np.frombuffer(self.lengths, dtype=np.uint32).astype(np.int64)
        audio_bytes = int(sizes.sum())
        total = length + audio_bytes
        offsets = length + np.concatenate([[0], np.cumsum(sizes)[:-1]])
        toc = bytes([0] + [min(255, 256 * int(offsets[i * count // _TOC_SIZE]) // total) for i in range(1, _TOC_SIZE)])
        lame = (
            encoder[:9].ljust(9, b"\0")
            + bytes([0x01, 0])  # tag revision 0, CBR; no lowpass recorded
            + bytes(4 + 2 + 2)  # peak, track gain, album gain: not recorded
            + bytes([0, 0])  # encoding flags, bitrate
            + ((delay << 12) | padding).to_bytes(3, "big")
            + bytes([0, 0, 0, 0])  # misc, MP3Gain, surround and preset
            + struct.pack(">IH", total, self.crc.value())
        )
        body = bytearray(length)
        body[:4] = header.to_bytes(4, "big")
        at = 4 + _MONO_SIDE_INFO
        tag = b"Info" + struct.pack(">III", _XING_FLAGS, count, total) + toc + struct.pack(">I", 0) + lame
        body[at : at + len(tag)] = tag
        body[at + len(tag) : at + len(tag) + 2] = crc16(bytes(body[:_TAG_CRC_SPAN])).to_bytes(2, "big")
        return bytes(body)


def info_frame_length(first_frame: bytes) -> int:
    """How long the Info frame heading a file that starts with `first_frame` is."""
    return _info_header(first_frame)[1]


def info_frame(frames: Sequence[bytes], delay: int, padding: int, encoder: bytes | None = None) -> bytes:
    """The Info frame for a CBR file of `frames` (see `FrameTally.info_frame`)."""
    tally = FrameTally()
    tally.add(frames)
    return tally.info_frame(delay, padding, encoder)
