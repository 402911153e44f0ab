"""A producer's check of a script's Latin words: which are said by a guess (the pronouncing dictionary, the spelling,
letter names) rather than a lexicon entry, and which reach the engine in Latin letters; each guess as a suggested
lexicon line to check and keep.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from briefing.speech.lexicon import toml_key
from briefing.speech.normalize import explain

# The rules that say a Latin word without a lexicon entry, and how a producer is told so.
_GUESSES = {
    "read_dictionary_words": "pronouncing dictionary",
    "read_words_as_spelt": "as spelt",
    "read_latin_codes": "letter names",
}
# Letter names are a guess worth checking only for a word that could be said as one (EZZY, not CEO or CCTV).
_COULD_BE_A_WORD = re.compile(r"^(?=.*[AEIOUYaeiouy])[A-Za-z]{4,}$")
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:[ '’.-][A-Za-z]+)*")


@dataclass(frozen=True)
class Guess:
    """A Latin word said by a rule's guess: how it is said, how the sound was found, how often it occurs."""

    written: str
    spoken: str
    how: str
    count: int

    def entry(self) -> str:
        """The lexicon line that would fix this saying: Pomelo = "포멜로"."""
        return f'{toml_key(self.written)} = "{self.spoken}"'


@dataclass(frozen=True)
class Report:
    guesses: list[Guess]
    latin: list[str]  # words that reach the engine in Latin letters (a lexicon entry keeps them)


def check_texts(texts: Iterable[str], lexicon: Mapping[str, str] | None) -> Report:
    """Every Latin word of `texts` said by a guess (in order of first appearance), and every Latin word the spoken
    form still holds."""
    found: dict[str, tuple[tuple[int, int], str, str]] = {}  # written → (where first, spoken, how)
    counts: dict[str, int] = {}
    latin: dict[str, None] = {}
    for number, text in enumerate(texts):
        spoken, changes = explain(text, lexicon)
        for change in changes:
            how = _GUESSES.get(change.source)
            if how is None or (change.source == "read_latin_codes" and not _COULD_BE_A_WORD.match(change.written)):
                continue
            if change.how.startswith("CMUdict"):
                how = change.how
            found.setdefault(change.written, ((number, text.find(change.written)), change.spoken, how))
            counts[change.written] = counts.get(change.written, 0) + 1
        latin.update(dict.fromkeys(_LATIN_WORD.findall(spoken)))
    in_order = sorted(found.items(), key=lambda item: item[1][0])
    guesses = [Guess(written, spoken, how, counts[written]) for written, (_, spoken, how) in in_order]
    return Report(guesses, list(latin))
