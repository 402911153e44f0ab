"""MP3 frames: an encoder's output cut into frames, and the Info frame (Xing + LAME tag) that heads a file joined
from several encodes, so that players know its frame count and trim exactly the samples that are not the episode.

Only what the episode's encoder writes is read here: MPEG-1 Layer III, mono, no CRC.
"""

from __future__ import annotations

import functools
import re
import struct
from collections.abc import Sequence

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


def split_frames(data: bytes) -> list[bytes]:
    """The frames of a bare MP3 stream (no tags), in order; FrameError if it holds anything else."""
    frames, position = [], 0
    while position < len(data):
        if position + 4 > len(data):
            raise FrameError(f"{len(data) - position} stray bytes after the last frame")
        length = frame_length(int.from_bytes(data[position : position + 4], "big"))
        if position + length > len(data):
            raise FrameError("the last frame is cut short")
        frames.append(data[position : position + length])
        position += length
    return frames


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


def crc16(data: bytes) -> int:
    """CRC-16 (polynomial 0x8005, bit-reversed, starting at 0), as the LAME tag uses for the music and the tag.

    Worked out a lane of bytes at a time, every lane at once: zero bytes in front leave a CRC that starts at 0
    unchanged, so the data is padded in front to whole lanes; the lanes' CRCs are then chained, each earlier one
    carried through a lane of zero bytes.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    rows = np.concatenate([np.zeros(-len(raw) % _CRC_LANE, np.uint8), raw]).reshape(-1, _CRC_LANE)
    low, high = _carry_tables()
    crc = 0
    for own in _crc_rows(rows, np.zeros(len(rows), np.uint16)).tolist():
        crc = low[crc & 0xFF] ^ high[crc >> 8] ^ own
    return crc


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
    for frame in frames:
        if b"LAME" in frame and (found := _LAME_VERSION.search(frame)):
            return b"LAME" + found[1] + b"." + found[2] + (found[3] or b"")
    return b"LAME"


def info_frame(frames: Sequence[bytes], delay: int, padding: int, encoder: bytes | None = None) -> bytes:
    """The Info frame for a CBR file of `frames`: their count and size, a seek table, and a LAME tag saying that
    `delay` samples (not counting the decoder's own DECODER_DELAY) open the decoded audio and `padding` samples
    (counting it) close it. Decoders that read it (ffmpeg, browsers, mutagen) give exactly the audio in between.
    """
    if not (0 <= delay < 4096 and 0 <= padding < 4096):
        raise ValueError("delay and padding must each fit in 12 bits")
    encoder = lame_version(frames) if encoder is None else encoder
    header, length = _info_header(frames[0])
    audio_bytes = sum(len(frame) for frame in frames)
    total = length + audio_bytes
    offsets, position = [], length
    for frame in frames:
        offsets.append(position)
        position += len(frame)
    toc = bytes([0] + [min(255, 256 * offsets[i * len(frames) // _TOC_SIZE] // total) for i in range(1, _TOC_SIZE)])
    music_crc = crc16(b"".join(frames))
    lame = (
        encoder[:9].ljust(9, b"\0")
        + bytes([0x01, 0])  # tag revision 0, CBR; no lowpass recorded
        + bytes(4 + 2 + 2)  # peak, track gain, album gain: not recorded
        + bytes([0, 0])  # encoding flags, bitrate
        + ((delay << 12) | padding).to_bytes(3, "big")
        + bytes([0, 0, 0, 0])  # misc, MP3Gain, surround and preset
        + struct.pack(">IH", total, music_crc)
    )
    body = bytearray(length)
    body[:4] = header.to_bytes(4, "big")
    at = 4 + _MONO_SIDE_INFO
    tag = b"Info" + struct.pack(">III", _XING_FLAGS, len(frames), total) + toc + struct.pack(">I", 0) + lame
    body[at : at + len(tag)] = tag
    body[at + len(tag) : at + len(tag) + 2] = crc16(bytes(body[:_TAG_CRC_SPAN])).to_bytes(2, "big")
    return bytes(body)
