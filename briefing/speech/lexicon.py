"""A show's pronunciation lexicon (`lexicon.toml`: written form = "spoken form"), loaded and applied to text."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from briefing.errors import BriefingError
from briefing.userfile import read_user_text

_APOSTROPHES = "'‘’`´"
_ASCII_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
_APOSTROPHE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
_TOML_ERROR_LINE = re.compile(r"at line (\d+)")


def load_lexicon(path: Path) -> dict[str, str]:
    """The lexicon in `path`; a missing file is an empty lexicon. Bad TOML or a non-text entry is a BriefingError."""
    if not path.exists():
        return {}
    text = read_user_text(path, "the pronunciation lexicon")
    try:
        entries = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_ERROR_LINE.search(str(exc))
        raise BriefingError(
            f"the pronunciation lexicon is not valid TOML ({exc})", path, int(found.group(1)) if found else None
        ) from None
    for written, spoken in entries.items():
        if not isinstance(spoken, str):
            raise BriefingError(
                f"the pronunciation of '{written}' must be text in quotes, like {_toml_key(written)} = \"…\"",
                path,
                _line_of_key(text, written),
            )
        if not written.strip():
            raise BriefingError(
                "a pronunciation lexicon entry has an empty written form", path, _line_of_key(text, written)
            )
    return entries


# Particles whose form follows the sound they come after: (after a final consonant, after a vowel).
_PARTICLE_PAIRS = (("이라는", "라는"), ("이라고", "라고"), ("이랑", "랑"), ("이나", "나"), ("으로", "로"),
                   ("은", "는"), ("이", "가"), ("을", "를"), ("과", "와"))  # fmt: skip
_PAIR_OF = {form: pair for pair in _PARTICLE_PAIRS for form in pair}
_PARTICLE = re.compile(
    "(?:(?P<particle>" + "|".join(sorted(_PAIR_OF, key=len, reverse=True)) + ")(?![가-힣]))"
    "|(?P<direction>으로|로)(?=(?:서|써|부터|도|는|의|만)?(?![가-힣]))"
)
_RIEUL = 8  # ㄹ as a final consonant: 로, not 으로, follows it (서울로)


def apply_lexicon(text: str, lexicon: Mapping[str, str] | None) -> str:
    """Replace every written form in `text` by its spoken form: longest first, Latin forms only as whole words.

    A particle right after it is made to agree with the spoken form: JD는 with JD = 징동 is said 징동은.
    """
    if not lexicon:
        return text
    pattern, spoken_by_key = _compiled(_frozen(lexicon))
    parts, position = [], 0
    for match in pattern.finditer(text):
        if match.start() < position:
            continue  # inside a particle already agreed
        spoken = spoken_by_key[_unify_apostrophes(match.group())]
        parts += [text[position : match.start()], spoken]
        position = match.end()
        particle = _PARTICLE.match(text, position)
        if particle and (agreed := _agreeing(particle.group(), match.group(), spoken)):
            parts.append(agreed)
            position = particle.end()
    parts.append(text[position:])
    return "".join(parts)


def _final_consonant(word: str) -> int | None:
    """The final consonant's index (0: none) of the word's last syllable; None when it does not end in Hangul."""
    code = ord(word[-1]) - 0xAC00 if word else -1
    return code % 28 if 0 <= code < 11172 else None


def _particle_form(pair: tuple[str, str], final: int) -> str:
    if pair == ("으로", "로"):
        return pair[1] if final in (0, _RIEUL) else pair[0]
    return pair[0] if final else pair[1]


def _agreeing(particle: str, written: str, spoken: str) -> str | None:
    """`particle` in the form the spoken word takes; None to leave it as it is: the spoken word does not end in
    Hangul, or the written word does and the particle does not agree with it (so it is no particle: 콰이 → 콰 + 이)."""
    pair = _PAIR_OF[particle]
    written_final, spoken_final = _final_consonant(written), _final_consonant(spoken)
    if spoken_final is None or (written_final is not None and _particle_form(pair, written_final) != particle):
        return None
    return _particle_form(pair, spoken_final)


def lexicon_spans(text: str, lexicon: Mapping[str, str] | None) -> list[tuple[int, int]]:
    """Where lexicon entries occur in `text`, as (start, end) offsets: places a sentence must not be cut."""
    if not lexicon:
        return []
    pattern, _ = _compiled(_frozen(lexicon))
    return [match.span() for match in pattern.finditer(text)]


def _frozen(lexicon: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(lexicon.items()))


@functools.lru_cache(maxsize=16)
def _compiled(entries: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    spoken_by_key = {_unify_apostrophes(written): spoken for written, spoken in entries if written}
    # Longest first, so "JD Central" wins over "JD".
    alternatives = [_key_pattern(key) for key in sorted(spoken_by_key, key=len, reverse=True)]
    return re.compile("|".join(alternatives)), spoken_by_key


def _key_pattern(key: str) -> str:
    """A key as a regex: any apostrophe matches any other; a Latin edge must be a word edge (JD is not in JDD)."""
    body = "".join(f"[{re.escape(_APOSTROPHES)}]" if char in _APOSTROPHES else re.escape(char) for char in key)
    before = r"(?<![A-Za-z0-9])" if _ASCII_WORD_CHAR.match(key[0]) else ""
    after = r"(?![A-Za-z0-9])" if _ASCII_WORD_CHAR.match(key[-1]) else ""
    return f"{before}{body}{after}"


def _unify_apostrophes(text: str) -> str:
    return _APOSTROPHE.sub("'", text)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key.replace('"', '\\"') + '"'


def _line_of_key(text: str, key: str) -> int | None:
    """The line that defines `key` (TOML errors about values carry no position of their own)."""
    candidates = (re.escape(key), re.escape('"' + key + '"'), re.escape("'" + key + "'"))
    definition = re.compile(rf"^\s*\[?\s*(?:{'|'.join(candidates)})\s*[=.\]]")
    for number, line in enumerate(text.splitlines(), start=1):
        if definition.match(line):
            return number
    return None
