"""The one Korean morphological analyser (Kiwi) of the process, shared by ingest (chapter titles) and speech
(sentence and clause boundaries): loading it costs seconds and hundreds of megabytes, so it is loaded once."""

from __future__ import annotations

import functools

from kiwipiepy import Kiwi


@functools.cache
def kiwi() -> Kiwi:
    # The typo and multi-word dictionaries add seconds and ~200 MB and change neither the nouns chapter titles
    # are made from nor where sentences and clauses end.
    analyser = Kiwi(load_typo_dict=False, load_multi_dict=False)
    # Kiwi finishes setting up on its first analysis; do it here rather than inside whichever paragraph is first.
    analyser.split_into_sents("준비합니다. 끝.")
    return analyser
