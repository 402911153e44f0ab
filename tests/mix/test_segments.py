"""The episode encoded in segments: MP3 frames, the Info frame, joining separate encodes, and reusing them.

Decoding is done by ffmpeg and mpg123 (through soundfile) and the tag read by mutagen: readers written
independently of the code under test.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile
from mutagen.mp3 import MP3

from briefing.ffmpeg import ffmpeg_exe
from briefing.mix import mp3, segments
from briefing.mix.audiofile import decode_audio
from briefing.mix.encode import encode_command, encode_frames, measure_mp3, write_frames
from briefing.mix.loudness import integrated_loudness

RATE = 44100
F = mp3.FRAME_SAMPLES
NO_LIMIT = segments.Mastering(gain_db=0.0, ceiling_dbtp=120.0, rate=RATE, bitrate_kbps=96)


def decode_bare(frames: list[bytes]) -> np.ndarray:
    """Frames decoded by ffmpeg with nothing trimmed (no Info frame to say what to trim)."""
    result = subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "mp3", "-i", "-", "-f", "f32le", "-"],
                            input=b"".join(frames), capture_output=True, check=True)  # fmt: skip
    return np.frombuffer(result.stdout, dtype="<f4")


def tone_bursts(seconds: list[float], gap_frames: int = 40) -> tuple[np.ndarray, list[int]]:
    """Tone bursts (each a whole number of frames) with `gap_frames` of silence around each; the cut points are
    in the middle of the silences."""
    parts, cuts, position = [], [], 0
    for index, length in enumerate(seconds):
        n = int(length * RATE) // F * F
        t = np.arange(n) / RATE
        burst = (0.3 * np.sin(2 * np.pi * (220 + 110 * index) * t) * np.hanning(n)).astype(np.float32)
        silence = np.zeros(gap_frames // 2 * F, np.float32)
        parts += [silence, burst, silence]
        position += 2 * len(silence) + n
        cuts.append(position)
    return np.concatenate(parts), cuts[:-1]


def snr_db(decoded: np.ndarray, original: np.ndarray) -> float:
    return 10 * np.log10(
        np.sum(original.astype(np.float64) ** 2) / np.sum((decoded - original).astype(np.float64) ** 2)
    )


# ------------------------------------------------------------------------------------------------------- frames


def test_frame_k_plus_1_decodes_to_samples_of_frame_k():
    """The one constant the joining rests on: libmp3lame's delay, as ffmpeg's decoder sees it."""
    signal = np.zeros(20 * F, np.float32)
    signal[7 * F + 300] = 0.9
    frames = encode_frames(signal, RATE, 96)
    assert len(frames) == 21
    decoded = decode_bare(frames)
    assert int(np.argmax(np.abs(decoded))) == 8 * F + 300  # frame 0 decodes first: one frame later


def test_split_frames_refuses_what_is_not_frames():
    frames = encode_frames(np.zeros(4 * F, np.float32), RATE, 96)
    assert mp3.split_frames(b"".join(frames)) == frames
    with pytest.raises(mp3.FrameError):
        mp3.split_frames(b"ID3" + b"".join(frames))
    with pytest.raises(mp3.FrameError):
        mp3.split_frames(b"".join(frames)[:-10])


def test_frames_are_counted_in_a_file_a_block_at_a_time(tmp_path, monkeypatch):
    frames = encode_frames(np.sin(np.arange(30 * F, dtype=np.float32) / 9), RATE, 96)
    monkeypatch.setattr(mp3, "_READ_BLOCK", 700)  # a frame is 313 or 314 bytes: headers fall across blocks
    path = tmp_path / "bare.mp3"
    path.write_bytes(b"".join(frames))
    assert mp3.count_frames(path) == len(frames) == len(mp3.split_frames(path.read_bytes()))
    whole = b"".join(frames)
    damages = {b"ID3" + whole: "not an MPEG-1 Layer III", whole[:-10]: "cut short", whole + b"\xff": "1 stray"}
    for damaged, words in damages.items():
        path.write_bytes(damaged)
        with pytest.raises(mp3.FrameError, match=words):
            mp3.count_frames(path)


def test_crc16_is_the_arc_crc():
    assert mp3.crc16(b"123456789") == 0xBB3D  # CRC-16/ARC's check value
    assert mp3.crc16(b"") == 0 and mp3.crc16(b"\x00" * 5000) == 0


def test_crcs_agree_with_the_info_frame_ffmpeg_writes(tmp_path):
    path = tmp_path / "ffmpeg.mp3"
    pcm = (0.2 * np.sin(np.arange(RATE * 3) / 7)).astype("<f4")
    subprocess.run(encode_command(RATE, 96, path), input=pcm.tobytes(), check=True)
    info, *audio = mp3.split_frames(path.read_bytes())
    tag = 4 + 17 + 4 + 12 + 100 + 4  # header, side information, "Info", flags/frames/bytes, TOC, quality
    assert info[tag : tag + 4] == b"Lavf"
    music_crc, tag_crc = info[tag + 32 : tag + 34], info[tag + 34 : tag + 36]
    assert mp3.crc16(b"".join(audio)).to_bytes(2, "big") == music_crc
    assert mp3.crc16(info[: tag + 34] + bytes(190 - tag - 34)).to_bytes(2, "big") == tag_crc


def test_the_lame_tag_names_the_encoder_as_lame_itself_does():
    frames = encode_frames(np.zeros(8 * F, np.float32), RATE, 96)  # silence: LAME signs its spare bits
    ancillary = next(frame for frame in frames if b"LAME" in frame)
    version = mp3.lame_version(frames)
    assert version.startswith(b"LAME") and ancillary[ancillary.index(b"LAME") :].startswith(version[:7])
    assert mp3.lame_version([bytes(313)]) == b"LAME"


def test_an_info_frame_tells_every_reader_the_exact_length(tmp_path):
    signal, _ = tone_bursts([1.0, 0.5])
    path = tmp_path / "joined.mp3"
    write_frames(path, encode_frames(signal, RATE, 96))

    assert len(decode_audio(path, RATE)) == len(signal)  # ffmpeg
    assert soundfile.info(str(path)).frames == len(signal)  # mpg123
    info = MP3(path).info  # mutagen
    assert info.encoder_info.startswith("LAME") and round(info.length * RATE) == len(signal)
    assert info.bitrate == 96000 and info.sample_rate == RATE


# ----------------------------------------------------------------------------------------------------- joining


def test_segments_encoded_apart_and_joined_sound_like_one_encode(tmp_path):
    signal, cuts = tone_bursts([1.2, 0.8, 1.5])
    cache = segments.SegmentCache(tmp_path / "cache")
    joined = segments.encode_segments(signal, segments.silent_cuts(signal, cuts), NO_LIMIT, cache)
    assert (joined.encoded, joined.reused) == (3, 0)
    path, whole = tmp_path / "joined.mp3", tmp_path / "whole.mp3"
    write_frames(path, joined.frames)
    write_frames(whole, encode_frames(signal, RATE, 96))

    decoded, reference = decode_audio(path, RATE), decode_audio(whole, RATE)
    assert len(decoded) == len(signal)
    assert snr_db(decoded, signal) > 25 and abs(snr_db(decoded, signal) - snr_db(reference, signal)) < 1
    for cut in cuts:  # no click where two encodes meet
        assert np.max(np.abs(decoded[cut - F : cut + F])) < 1e-3


def test_only_silence_is_cut():
    signal, cuts = tone_bursts([0.5, 0.5])
    assert segments.silent_cuts(signal, cuts) == cuts
    noisy = signal.copy()
    noisy[cuts[0] + 100] = 0.01
    assert segments.silent_cuts(noisy, cuts) == []
    assert segments.silent_cuts(signal, [cuts[0] + 1]) == []  # not on a frame boundary
    assert segments.silent_cuts(signal, [F]) == []  # too near the start for silence either side


def test_an_edit_encodes_only_its_own_segment_again(tmp_path):
    cache = segments.SegmentCache(tmp_path / "cache")
    before, cuts = tone_bursts([1.0, 1.0, 1.0])
    first = segments.encode_segments(before, cuts, NO_LIMIT, cache)
    # The middle burst grows by three frames: the last segment moves by whole frames but is otherwise the same.
    after, moved = tone_bursts([1.0, 1.0 + 3 * F / RATE, 1.0])
    second = segments.encode_segments(after, moved, NO_LIMIT, cache)
    again = segments.encode_segments(after, moved, NO_LIMIT, cache)

    assert (first.encoded, second.encoded, second.reused, again.encoded) == (3, 1, 2, 0)
    assert again.frames == second.frames
    last = (len(before) - cuts[-1]) // F  # the last segment's frames, the same bytes as before
    assert (len(after) - moved[-1]) // F == last and second.frames[-last:] == first.frames[-last:]
    other = segments.encode_segments(after, moved, segments.Mastering(-3.0, 120.0, RATE, 96), cache)
    assert other.encoded == 3  # another gain: every segment is different audio


def test_a_damaged_cache_entry_is_encoded_again(tmp_path):
    cache = segments.SegmentCache(tmp_path / "cache")
    signal, cuts = tone_bursts([0.5, 0.5])
    first = segments.encode_segments(signal, cuts, NO_LIMIT, cache)
    damaged = next(cache.folder.glob("*/*.frames"))
    damaged.write_bytes(damaged.read_bytes()[:-50])
    second = segments.encode_segments(signal, cuts, NO_LIMIT, cache)
    assert (second.encoded, second.reused) == (1, 1) and second.frames == first.frames
    assert cache.repaired == 1


def test_segments_are_limited_to_the_ceiling_and_measured_from_the_file(tmp_path):
    signal, cuts = tone_bursts([2.0, 2.0])
    loud = segments.Mastering(gain_db=12.0, ceiling_dbtp=-2.0, rate=RATE, bitrate_kbps=96)
    path = tmp_path / "limited.mp3"
    write_frames(path, segments.encode_segments(signal, cuts, loud, segments.SegmentCache(tmp_path / "c")).frames)

    measured = measure_mp3(path, RATE)
    decoded = decode_audio(path, RATE)
    assert measured.true_peak_dbtp < -1.0  # the limiter's ceiling plus what the encoder adds
    assert 20 * np.log10(np.max(np.abs(decoded))) < -1.0
    assert abs(measured.integrated_lufs - integrated_loudness(decoded, RATE)) < 0.05


def test_segment_lengths_must_be_whole_frames():
    with pytest.raises(ValueError):
        encode_frames(np.zeros(F + 1, np.float32), RATE, 96)


def test_measuring_an_unreadable_file_is_a_clear_error(tmp_path):
    from briefing.errors import BriefingError

    path = tmp_path / "broken.mp3"
    path.write_bytes(b"not audio at all" * 100)
    with pytest.raises(BriefingError, match="cannot decode"):
        measure_mp3(path, RATE)


def test_frames_from_files_in_the_cache_folder_layout(tmp_path):
    cache = segments.SegmentCache(tmp_path / "cache")
    cache.put("cd" * 32, encode_frames(np.zeros(3 * F, np.float32), RATE, 96))
    assert cache.file("cd" * 32) == Path(tmp_path / "cache" / "cd" / f"{'cd' * 32}.frames")
    assert cache.size()[0] == 1 and cache.get("cd" * 32, 4) is not None and cache.get("cd" * 32, 5) is None
