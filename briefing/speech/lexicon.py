"""A show's pronunciation lexicon (`lexicon.toml`: written form = "spoken form"), loaded and applied to text."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TypeAlias

from briefing.errors import BriefingError
from briefing.korean.particles import agreeing_particle
from briefing.userfile import read_user_text

_APOSTROPHES = "'‘’`´"
_ASCII_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
_APOSTROPHE = re.compile(f"[{re.escape(_APOSTROPHES)}]")
_TOML_ERROR_LINE = re.compile(r"at line (\d+)")
LEXICON = "the pronunciation lexicon"


def load_lexicon(path: Path) -> dict[str, str]:
    """The lexicon in `path`; a missing file is an empty lexicon. Bad TOML or a non-text entry is a BriefingError."""
    if not path.exists():
        return {}
    text = read_user_text(path, LEXICON)
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
                f"the pronunciation of '{written}' must be text in quotes, like {toml_key(written)} = \"…\"",
                path,
                _line_of_key(text, written),
            )
        if not written.strip():
            raise BriefingError(
                "a pronunciation lexicon entry has an empty written form", path, _line_of_key(text, written)
            )
    return entries


# briefing's own word list: global and Korean tech names, products and everyday IT words said in Hangul.
WORD_LIST = Path(__file__).parent / "data" / "words.toml"


@functools.cache
def shipped_lexicon() -> dict[str, str]:
    """The word list briefing ships (briefing/speech/data/words.toml), in the same format as a show's lexicon."""
    return load_lexicon(WORD_LIST)


def lexicon_in_force(show: Mapping[str, str] | None) -> dict[str, str]:
    """What the build says names with: briefing's word list, and the show's lexicon over it (an entry with the same
    written form replaces briefing's)."""
    return {**shipped_lexicon(), **show} if show else shipped_lexicon()


def apply_lexicon(
    text: str,
    lexicon: Mapping[str, str] | None,
    *,
    keep: Callable[[str], str] | None = None,
    skip: Sequence[tuple[int, int]] = (),
) -> str:
    """Replace every written form in `text` by its spoken form: longest first, Latin forms only as whole words.

    A particle right after it is made to agree with the spoken form: JD는 with JD = 징동 is said 징동은. `keep`, when
    given, turns each spoken form into what is put in the text (the normaliser keeps Latin letters a producer chose
    that way); matches starting inside a `skip` span (a link) are left alone.
    """
    if not lexicon:
        return text
    parts, position = [], 0
    for match, spoken in _matches(text, lexicon):
        if match.start() < position or any(start <= match.start() < end for start, end in skip):
            continue  # inside a particle already agreed, or inside a link
        parts += [text[position : match.start()], keep(spoken) if keep else spoken]
        position = match.end()
        if agreed := agreeing_particle(text, position, match.group(), spoken):
            parts.append(agreed[0])
            position = agreed[1]
    parts.append(text[position:])
    return "".join(parts)


def used_entries(
    text: str, lexicon: Mapping[str, str] | None, *, skip: Sequence[tuple[int, int]] = ()
) -> list[tuple[str, str]]:
    """The (written, spoken) entries `apply_lexicon` would use in `text`, in order of appearance."""
    if not lexicon:
        return []
    used, position = [], 0
    for match, spoken in _matches(text, lexicon):
        if match.start() >= position and not any(start <= match.start() < end for start, end in skip):
            used.append((match.group(), spoken))
            position = match.end()
    return used


def _matches(text: str, lexicon: Mapping[str, str]) -> Iterator[tuple[re.Match[str], str]]:
    pattern, spoken_by_key = _compiled(_frozen(lexicon))
    for match in pattern.finditer(text):
        yield match, spoken_by_key[_unify_apostrophes(match.group())]


def lexicon_spans(text: str, lexicon: Mapping[str, str] | None) -> list[tuple[int, int]]:
    """Where lexicon entries occur in `text`, as (start, end) offsets: places a sentence must not be cut."""
    if not lexicon:
        return []
    pattern, _ = _compiled(_frozen(lexicon))
    return [match.span() for match in pattern.finditer(text)]


def _frozen(lexicon: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(lexicon.items()))


# A trie of written forms: each letter → the trie of what may follow it; "" → {} where an entry ends.
_Trie: TypeAlias = dict[str, "_Trie"]


@functools.lru_cache(maxsize=16)
def _compiled(entries: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for all written forms, as a trie of their letters: a match is the longest entry at its place
    ("JD Central" over "JD"), found without trying hundreds of alternatives one by one."""
    spoken_by_key = {_unify_apostrophes(written): spoken for written, spoken in entries if written}
    trie: _Trie = {}
    for key in spoken_by_key:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_trie_pattern(trie, "")), spoken_by_key


def _trie_pattern(node: _Trie, last: str) -> str:
    """The regex of a trie node: its longer continuations first, then the end of an entry here, where a Latin last
    letter must be a word's last (JD is not found in JDD) and a Latin first letter a word's first."""
    branches = []
    for char, child in node.items():
        if not char:
            continue
        body = f"[{re.escape(_APOSTROPHES)}]" if char in _APOSTROPHES else re.escape(char)
        before = r"(?<![A-Za-z0-9])" if not last and _ASCII_WORD_CHAR.match(char) else ""
        branches.append(before + body + _trie_pattern(child, char))
    if "" in node:
        branches.append(r"(?![A-Za-z0-9])" if _ASCII_WORD_CHAR.match(last) else "")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _unify_apostrophes(text: str) -> str:
    return _APOSTROPHE.sub("'", text)


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key.replace('"', '\\"') + '"'


def _line_of_key(text: str, key: str) -> int | None:
    """The line that defines `key` (TOML errors about values carry no position of their own)."""
    candidates = (re.escape(key), re.escape('"' + key + '"'), re.escape("'" + key + "'"))
    definition = re.compile(rf"^\s*\[?\s*(?:{'|'.join(candidates)})\s*[=.\]]")
    for number, line in enumerate(text.splitlines(), start=1):
        if definition.match(line):
            return number
    return None
