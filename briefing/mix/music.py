"""The show's original music (intro, outro, transition sting), composed and synthesised here with numpy.

`render_music(folder)` writes intro.wav, outro.wav and transition.wav; the same code always writes the same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.signal import fftconvolve

from briefing.fsutil import atomic_write_bytes
from briefing.wavfile import wav_bytes

RATE = 44100
BPM = 100
BEAT = 60.0 / BPM
BAR = 4 * BEAT

# D major, bright but calm: the usual news-bed palette.
TONIC_MIDI = 62

MUSIC_FILES = ("intro.wav", "outro.wav", "transition.wav")

# An instrument: (frequency in Hz, seconds) → its samples.
Voice = Callable[[float, float], np.ndarray]


@dataclass(frozen=True)
class Note:
    """One note of a part: when it starts (beats), how long it lasts (beats), its pitch (MIDI) and level."""

    beat: float
    beats: float
    midi: int
    level: float = 1.0


def midi_hz(midi: float) -> float:
    return 440.0 * 2.0 ** ((midi - 69) / 12)


def _time(seconds: float) -> np.ndarray:
    return np.arange(int(round(seconds * RATE))) / RATE


def adsr(n: int, attack: float, decay: float, sustain: float, release: float) -> np.ndarray:
    """A linear attack, exponential decay to `sustain`, and a cosine release over the last `release` seconds."""
    t = np.arange(n) / RATE
    env = np.where(
        t < attack, t / max(attack, 1e-9), sustain + (1 - sustain) * np.exp(-(t - attack) / max(decay, 1e-9))
    )
    tail = min(n, int(release * RATE))
    if tail:
        env[n - tail :] *= 0.5 + 0.5 * np.cos(np.linspace(0, np.pi, tail))
    return env


@functools.cache  # chords repeat: each (pitch, length) is synthesised once
def electric_piano(freq: float, seconds: float) -> np.ndarray:
    """A two-operator FM tone whose brightness fades as it decays: the melody's bell-like voice."""
    t = _time(seconds)
    index = 1.6 * np.exp(-t * 5.0)
    tone = np.sin(2 * np.pi * freq * t + index * np.sin(2 * np.pi * freq * t))
    tone += 0.18 * np.sin(2 * np.pi * 4 * freq * t) * np.exp(-t * 9.0)  # the hammer's "tine"
    return tone * adsr(len(t), 0.004, 0.9, 0.0, 0.08)


@functools.cache  # chords repeat: each (pitch, length) is synthesised once
def pad_voice(freq: float, seconds: float) -> np.ndarray:
    """A soft, slightly detuned additive pad (odd and even harmonics rolled off): the chords' warmth."""
    t = _time(seconds)
    tone = np.zeros_like(t)
    for harmonic, amplitude in ((1, 1.0), (2, 0.35), (3, 0.18), (4, 0.08), (5, 0.04)):
        for cents in (-4.0, 4.0):
            f = freq * harmonic * 2 ** (cents / 1200)
            tone += amplitude * np.sin(2 * np.pi * f * t + harmonic * 0.7)
    return tone / 3.3 * adsr(len(t), 0.35, 1.5, 0.7, 0.6)


@functools.cache  # chords repeat: each (pitch, length) is synthesised once
def bass_voice(freq: float, seconds: float) -> np.ndarray:
    """A round plucked bass: a sine with a little second harmonic that fades faster."""
    t = _time(seconds)
    tone = np.sin(2 * np.pi * freq * t) + 0.3 * np.sin(2 * np.pi * 2 * freq * t) * np.exp(-t * 6)
    return tone * adsr(len(t), 0.006, 0.5, 0.35, 0.08)


def soft_kick(seconds: float = 0.35) -> np.ndarray:
    t = _time(seconds)
    sweep = 48 + 70 * np.exp(-t * 30)  # pitch falls from ~120 Hz to ~50 Hz
    phase = 2 * np.pi * np.cumsum(sweep) / RATE
    return np.sin(phase) * np.exp(-t * 14)


def shaker(rng: np.random.Generator, seconds: float = 0.09) -> np.ndarray:
    """Bright noise (first difference of white noise) with a short envelope: a quiet off-beat shaker."""
    noise = np.diff(rng.standard_normal(int(seconds * RATE) + 1))
    return noise * np.exp(-_time(seconds) * 45) * 0.5


def place(buffer: np.ndarray, sound: np.ndarray, seconds: float, level: float) -> None:
    start = int(round(seconds * RATE))
    end = min(len(buffer), start + len(sound))
    if end > start:
        buffer[start:end] += level * sound[: end - start]


def room_reverb(seconds: float = 1.6, seed: int = 7) -> np.ndarray:
    """A small room's impulse response: exponentially decaying noise, darker as it decays."""
    rng = np.random.default_rng(seed)
    t = _time(seconds)
    noise = rng.standard_normal(len(t)) * np.exp(-t * 4.2)
    # A gentle running average darkens the tail (high frequencies die first in a real room).
    kernel = np.ones(6) / 6
    ir = np.convolve(noise, kernel, mode="same")
    ir[: int(0.012 * RATE)] = 0.0  # pre-delay: early reflections arrive after the dry sound
    return ir / np.sqrt(np.sum(ir**2))


def render_part(notes: Sequence[Note], voice: Voice, level: float, total: float, transpose: int = 0) -> np.ndarray:
    out = np.zeros(int(round(total * RATE)))
    for note in notes:
        sound = voice(midi_hz(note.midi + transpose), note.beats * BEAT + 0.25)
        place(out, sound, note.beat * BEAT, level * note.level)
    return out


def chord_notes(progression: Sequence[tuple[float, float, Sequence[int]]]) -> list[Note]:
    """(beat, beats, MIDI pitches) triples → one pad note per pitch."""
    return [Note(beat, beats, midi) for beat, beats, pitches in progression for midi in pitches]


def finish(dry: np.ndarray, fade_in: float = 0.0, fade_out: float = 0.0, wet: float = 0.22) -> np.ndarray:
    """Room reverb, gentle tape-like saturation, fades, and a peak level of −1 dBFS."""
    mixed = dry + wet * fftconvolve(dry, room_reverb())[: len(dry)]
    mixed = np.tanh(1.2 * mixed / np.max(np.abs(mixed))) / np.tanh(1.2)
    if fade_in:
        n = int(fade_in * RATE)
        mixed[:n] *= np.linspace(0.0, 1.0, n) ** 2
    if fade_out:
        n = int(fade_out * RATE)
        mixed[-n:] *= np.cos(np.linspace(0, np.pi / 2, n)) ** 2
    return mixed / np.max(np.abs(mixed)) * 10 ** (-1 / 20)


# Chords in MIDI, voiced close around middle C: D, Bm, G, A (I–vi–IV–V) and their bass roots.
Chord = tuple[int, int, int]
D: Chord = (62, 66, 69)
BM: Chord = (59, 62, 66)
G: Chord = (55, 59, 62)
A: Chord = (57, 61, 64)
BASS: dict[Chord, int] = {D: 38, BM: 35, G: 43, A: 45}


def _groove(bars: int, rng: np.random.Generator, total: float) -> np.ndarray:
    out = np.zeros(int(round(total * RATE)))
    for beat in range(bars * 4):
        if beat % 2 == 0:
            place(out, soft_kick(), beat * BEAT, 0.55)
        place(out, shaker(rng), (beat + 0.5) * BEAT, 0.10)
    return out


def _bass_line(chords: Sequence[tuple[float, Chord]]) -> list[Note]:
    notes = []
    for start, chord in chords:
        root = BASS[chord]
        notes += [Note(start, 1.5, root), Note(start + 1.5, 0.5, root, 0.7), Note(start + 2, 2, root + 7, 0.8)]
    return notes


def _band(
    chords: Sequence[tuple[float, Chord]], melody: list[Note], total: float, *, groove_bars: int, seed: int
) -> np.ndarray:
    """Pads, bass, the melody and a groove over `chords` (beat, chord), the last chord held to the end on D."""
    final_beat = chords[-1][0]
    pads = chord_notes([(beat, 4, chord) for beat, chord in chords[:-1]] + [(final_beat, 5, D)])
    return (
        render_part(pads, pad_voice, 0.22, total)
        + render_part(_bass_line(chords[:-1]) + [Note(final_beat, 4, 38)], bass_voice, 0.55, total)
        + render_part(melody, electric_piano, 0.42, total)
        + _groove(groove_bars, np.random.default_rng(seed), total)
    )


def intro() -> np.ndarray:
    """Five bars (≈12 s with the tail): the chords, a bass, a light groove and a rising melody."""
    chords = [(0, D), (4, BM), (8, G), (12, A), (16, D)]
    total = 5 * BAR + 2.0
    melody = [
        Note(0.0, 1, 74), Note(1.0, 0.5, 76), Note(1.5, 1.5, 78), Note(3.0, 1, 81),
        Note(4.0, 1.5, 78), Note(5.5, 0.5, 76), Note(6.0, 2, 74),
        Note(8.0, 1, 71), Note(9.0, 1, 74), Note(10.0, 1, 79), Note(11.0, 1, 78),
        Note(12.0, 1.5, 76), Note(13.5, 0.5, 78), Note(14.0, 2, 73),
        Note(16.0, 4, 74, 0.9),
    ]  # fmt: skip
    return finish(_band(chords, melody, total, groove_bars=4, seed=11), fade_in=0.02, fade_out=1.8)


def outro() -> np.ndarray:
    """The intro's theme turned homeward (G–A–Bm–G–A–D), ending on a long held D chord (≈14 s)."""
    chords = [(0, G), (4, A), (8, BM), (12, G), (16, A), (20, D)]
    total = 6 * BAR + 1.5
    melody = [
        Note(0.0, 1.5, 79), Note(1.5, 0.5, 78), Note(2.0, 2, 76),
        Note(4.0, 1, 76), Note(5.0, 1, 78), Note(6.0, 2, 81),
        Note(8.0, 1.5, 78), Note(9.5, 0.5, 76), Note(10.0, 2, 74),
        Note(12.0, 1, 71), Note(13.0, 1, 74), Note(14.0, 2, 79),
        Note(16.0, 1, 78), Note(17.0, 1, 76), Note(18.0, 2, 73),
        Note(20.0, 4, 74, 0.9),
    ]  # fmt: skip
    return finish(_band(chords, melody, total, groove_bars=5, seed=12), fade_in=0.5, fade_out=2.5)


def transition() -> np.ndarray:
    """A 1.5 s sting: a quick rising arpeggio on the electric piano over a soft D chord."""
    total = 1.5
    arpeggio = [Note(i * 0.25, 0.6, midi, 0.8 + 0.05 * i) for i, midi in enumerate((62, 66, 69, 74))]
    dry = render_part(arpeggio, electric_piano, 0.5, total) + render_part(
        chord_notes([(0, 2.0, D)]), pad_voice, 0.18, total
    )
    return finish(dry, fade_in=0.005, fade_out=0.5, wet=0.3)


def pcm16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] as 16-bit integers (full scale 32767, so +1 and -1 both fit)."""
    return np.round(np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")


def render_music(folder: Path) -> dict[str, Path]:
    """Write intro.wav, outro.wav and transition.wav into `folder`; returns their paths by name."""
    pieces = {"intro.wav": intro, "outro.wav": outro, "transition.wav": transition}
    written = {}
    for name, compose in pieces.items():
        path = folder / name
        atomic_write_bytes(path, wav_bytes(pcm16(compose()), RATE))
        written[name] = path
    return written


if __name__ == "__main__":  # python -m briefing.mix.music [FOLDER]
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("audio/music")
    for path in render_music(target).values():
        print(path)
