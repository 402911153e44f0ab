"""What a synthesised clip must be before it is cached and used: sound, whole, and of a length its text can take.

An answer cut short (a gTTS reply truncated to 30 % still decodes) or gone silent would otherwise be cached for
good and ship in every later build; a clip refused here is asked for again, or the build fails naming its text.
"""

from __future__ import annotations

import numpy as np

from briefing.models import Clip

# No voice says more than 25 letters or syllables a second (fast Korean speech is 8 to 10; espeak at its fastest
# setting, 450 words a minute, 13), nor spends more than a second and a half on one, after a start of 3 s.
FASTEST_S_PER_CHARACTER = 0.04
SLOWEST_S_PER_CHARACTER = 1.5
SLOWEST_START_S = 3.0
SILENT_PEAK = 10 ** (-60 / 20)  # a clip whose loudest sample is below −60 dBFS says nothing
# Length and silence are judged from this many letters on: a voice may say a lone letter or sign it cannot read
# (espeak's Korean voice and an Arabic digit) as next to nothing, and that is its answer, not a fault.
MIN_JUDGED_CHARACTERS = 3


def spoken_characters(text: str) -> int:
    """The letters and digits of `text` (Hangul syllables count one each): what takes time to say."""
    return sum(character.isalnum() for character in text)


def clip_problem(text: str, clip: Clip) -> str | None:
    """Why `clip` cannot be the speech of `text` (a short phrase, e.g. "0.12 s of audio, too short for 30
    letters"), or None when it can. Text with nothing to say is not checked, and only the audio of a text shorter
    than MIN_JUDGED_CHARACTERS."""
    characters = spoken_characters(text)
    if not characters:
        return None
    samples = np.asarray(clip.samples)
    seconds = len(samples) / clip.sample_rate
    if len(samples) == 0:
        return "no audio"
    if not np.all(np.isfinite(samples)):
        return "audio with samples that are not numbers"
    if characters < MIN_JUDGED_CHARACTERS:
        return None
    if float(np.max(np.abs(samples))) < SILENT_PEAK:
        return f"{seconds:.2f} s of silence"
    if seconds < FASTEST_S_PER_CHARACTER * characters:
        return f"{seconds:.2f} s of audio, too short for {characters} letters (cut short?)"
    if seconds > SLOWEST_START_S + SLOWEST_S_PER_CHARACTER * characters:
        return f"{seconds:.1f} s of audio, too long for {characters} letters"
    return None
