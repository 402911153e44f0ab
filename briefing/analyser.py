"""The Korean morphological analyser (Kiwi) of the process: the full one for ingest (chapter titles) and a lighter
one for speech (sentence and clause boundaries). Loading one costs a second or two and hundreds of megabytes, so
each is loaded once, and a build lets them go before the audio needs the memory."""

from __future__ import annotations

import functools
import gc
import os

# Kiwi allocates through its own mimalloc, which keeps freed memory for a while; told to hand it back at once,
# `release()` returns the analyser's hundreds of megabytes to the system. It is read when kiwipiepy loads.
os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")

from kiwipiepy import Kiwi  # noqa: E402

from briefing import memory  # noqa: E402


@functools.cache
def kiwi() -> Kiwi:
    """The full analyser, for the nouns chapter titles are made from (its dictionary knows names)."""
    # The typo and multi-word dictionaries add seconds and ~200 MB and change neither the nouns chapter titles
    # are made from nor where sentences and clauses end.
    return _ready(Kiwi(load_typo_dict=False, load_multi_dict=False))


@functools.cache
def splitter() -> Kiwi:
    """A lighter analyser for where sentences and clauses end: without the default dictionary of names it loads in
    half the time and memory, and it cuts the same places (names are nouns either way)."""
    return _ready(Kiwi(load_typo_dict=False, load_multi_dict=False, load_default_dict=False, num_workers=1))


def _ready(analyser: Kiwi) -> Kiwi:
    # Kiwi finishes setting up on its first analysis; do it here rather than inside whichever paragraph is first.
    analyser.split_into_sents("준비합니다. 끝.")
    return analyser


def release() -> None:
    """Let the analysers go and hand their memory back to the system (they load again when next asked for)."""
    if kiwi.cache_info().currsize == 0 and splitter.cache_info().currsize == 0:
        return
    kiwi.cache_clear()
    splitter.cache_clear()
    gc.collect()
    memory.give_back()
