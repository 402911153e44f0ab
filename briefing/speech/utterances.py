"""A script cut into utterances: sentences, and long sentences cut at clause boundaries, so that every spoken form
fits an engine's limit (gTTS cuts at 100 characters) and speech never breaks inside a word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping

from briefing.analyser import splitter
from briefing.models import Script, Utterance
from briefing.script.marks import resolve_speakers
from briefing.speech.lexicon import lexicon_in_force, lexicon_spans
from briefing.speech.normalize import normalize, unspoken_spans

MAX_SPOKEN_CHARS = 100

# Connective endings that close a clause (했고, 있으며, 늘었지만, 좋은데, 라며): a presenter breathes after them.
# Endings like -게 and -어 join a verb to the next one (쉽게 얹을, 만들어 낸) and are no place to stop.
CLAUSE_ENDINGS = frozenset(
    {
        "고",
        "며",
        "으며",
        "면서",
        "으면서",
        "는데",
        "은데",
        "ㄴ데",
        "지만",
        "어서",
        "아서",
        "여서",
        "니까",
        "으니까",
        "므로",
        "으므로",
        "면",
        "으면",
        "거나",
        "든지",
        "도록",
        "다가",
        "어도",
        "아도",
        "더라도",
        "려고",
        "으려고",
        "라며",
        "다며",
        "자",
    }
)
_PUNCTUATION_BREAK = re.compile(r"[,;:)](?=\s)")
_SPACE = re.compile(r"\s+")
# Cut points are looked for in the middle of a too-long sentence first, so that both halves are worth saying.
_CENTRAL = (0.2, 0.8)

Piece = tuple[str, str]  # (written, spoken)


def script_utterances(
    script: Script, lexicon: Mapping[str, str] | None = None, *, lead: str | None = None
) -> list[Utterance]:
    """Every utterance of a script, in order, with its speaker: the one its paragraph's mark (or an earlier one in
    the chapter) names, else `lead`. Pieces with nothing to say (a source line) are left out."""
    return [
        Utterance(chapter=c, paragraph=p, written=written, spoken=spoken, speaker=speakers[p] or lead)
        for c, chapter in enumerate(script.chapters)
        for speakers in [resolve_speakers(chapter.marks, len(chapter.paragraphs))]
        for p, paragraph in enumerate(chapter.paragraphs)
        for written, spoken in split_utterances(paragraph, lexicon)
        if spoken
    ]


def split_utterances(
    paragraph: str, lexicon: Mapping[str, str] | None = None, limit: int = MAX_SPOKEN_CHARS
) -> list[Piece]:
    """A paragraph as (written, spoken) pieces. The written pieces are consecutive slices of the paragraph (their
    concatenation is the paragraph, whitespace aside); each spoken piece is its written piece normalised, at most
    `limit` characters long, and may be empty where nothing is said.
    """
    return [piece for sentence in sentences(paragraph, lexicon) for piece in _fitted(sentence, lexicon, limit)]


def sentences(paragraph: str, lexicon: Mapping[str, str] | None = None) -> list[str]:
    """The paragraph's sentences as slices of it, never cutting a link, a source line or a lexicon entry."""
    if not paragraph.strip():
        return []
    protected = unspoken_spans(paragraph) + lexicon_spans(paragraph, lexicon_in_force(lexicon))
    ends = [s.end for s in splitter().split_into_sents(paragraph)][:-1]
    cuts = [0, *(end for end in ends if not _inside(end, protected)), len(paragraph)]
    pieces = (paragraph[start:end].strip() for start, end in itertools.pairwise(cuts))
    return [piece for piece in pieces if piece]


def _fitted(written: str, lexicon: Mapping[str, str] | None, limit: int) -> Iterator[Piece]:
    if not written:
        return
    spoken = normalize(written, lexicon)
    if len(spoken) <= limit:
        yield written, spoken
        return
    cut = _best_cut(written, lexicon)
    if cut is None:
        yield from _chunked(written, spoken, limit)
        return
    for part in (written[:cut].rstrip(), written[cut:].lstrip()):
        yield from _fitted(part, lexicon, limit)


def _best_cut(text: str, lexicon: Mapping[str, str] | None) -> int | None:
    """Where to cut a sentence that is too long to say at once: after punctuation, else after a clause ending,
    else at a space; near the middle where possible. None when there is no space to cut at.
    """
    protected = unspoken_spans(text) + lexicon_spans(text, lexicon_in_force(lexicon))
    tiers = [_punctuation_cuts(text), _clause_cuts(text), _space_cuts(text)]
    tiers = [[cut for cut in tier if 0 < cut < len(text) and not _inside(cut, protected)] for tier in tiers]
    low, high = (len(text) * edge for edge in _CENTRAL)
    middle = len(text) / 2
    for tier in tiers:
        central = [cut for cut in tier if low <= cut <= high]
        if central:
            return min(central, key=lambda cut: abs(cut - middle))
    anywhere = [cut for tier in tiers for cut in tier]
    if anywhere:
        return min(anywhere, key=lambda cut: abs(cut - middle))
    # No space at all: a last resort cut inside the word, at its middle.
    return len(text) // 2 if len(text) > 1 else None


def _punctuation_cuts(text: str) -> list[int]:
    return [m.end() for m in _PUNCTUATION_BREAK.finditer(text)]


def _clause_cuts(text: str) -> list[int]:
    cuts = []
    for token in splitter().tokenize(text):
        end = token.start + token.len
        if token.tag == "EC" and token.form in CLAUSE_ENDINGS and end < len(text) and text[end].isspace():
            cuts.append(end)
    return cuts


def _space_cuts(text: str) -> list[int]:
    return [m.start() for m in _SPACE.finditer(text)]


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    """A cut at a span's first character would part it from what it belongs to: 있었습니다(http://…)."""
    return any(start <= position < end for start, end in spans)


def _chunked(written: str, spoken: str, limit: int) -> Iterator[Piece]:
    """A piece that cannot be cut in writing but says too much (a long lexicon entry): its speech in word chunks,
    the written text with the first of them.
    """
    chunks: list[str] = []
    for word in spoken.split():
        for start in range(0, len(word), limit):
            part = word[start : start + limit]
            if chunks and len(chunks[-1]) + 1 + len(part) <= limit:
                chunks[-1] += " " + part
            else:
                chunks.append(part)
    for index, chunk in enumerate(chunks):
        yield (written if index == 0 else ""), chunk
