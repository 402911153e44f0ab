"""Latin letters reach the engine only where a lexicon entry chooses them: the scripts of the example issue, the
project's own ten-story issue and the seed, spoken, hold none (with the show's lexicon or without), and espeak-ng's
Korean voice, which switches to an English voice for a Latin word, never switches while saying them (its phonemes,
in a process of their own, are the ear)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.ingest import read_issue
from briefing.script import make_script
from briefing.settings import find_workspace
from briefing.speech.lexicon import load_lexicon
from briefing.speech.utterances import script_utterances

# espeak-ng's phonemes for each text of a JSON list on stdin; a switch of language shows as '(en)'.
PHONEMES = r"""
import ctypes, json, sys
import espeakng_loader
lib = ctypes.CDLL(espeakng_loader.get_library_path())
lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
if lib.espeak_Initialize(2, 0, espeakng_loader.get_data_path().encode(), 0) <= 0:
    sys.exit("espeak-ng did not start")
if lib.espeak_SetVoiceByName(b"ko") != 0:
    sys.exit("no Korean voice")
lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
said = []
for text in json.load(sys.stdin):
    rest = ctypes.c_char_p(text.encode())
    pieces = []
    while rest.value:
        pieces.append(lib.espeak_TextToPhonemes(ctypes.pointer(rest), 1, 0).decode())
    said.append(" ".join(pieces))
json.dump(said, sys.stdout)
"""
LATIN = re.compile(r"[A-Za-z]")


def espeak_phonemes(texts: list[str]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", PHONEMES],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)


def spoken_script(issue: Path, show_root: Path, lexicon: dict[str, str]) -> list[str]:
    script = make_script(read_issue(issue), find_workspace(show_root))
    return [utterance.spoken for utterance in script_utterances(script, lexicon)]


@pytest.fixture(params=["example", "own", "seed"])
def issue(request, repo_root) -> Path:
    """The shipped example issue, the project's own ten-story issue, and the real seed (skipped where missing)."""
    if request.param == "example":
        return repo_root / "issues" / "asia-tech-brief-001.txt"
    return request.getfixturevalue(f"{request.param}_issue")


def test_the_spoken_scripts_hold_no_latin_letters(issue, show_dir):
    show_lexicon = load_lexicon(show_dir / "lexicon.toml")
    for lexicon in ({}, show_lexicon):
        spoken = spoken_script(issue, show_dir, lexicon)
        assert len(spoken) > 30
        assert [line for line in spoken if LATIN.search(line)] == [], issue.name


def test_espeak_never_switches_to_an_english_voice(issue, show_dir):
    spoken = spoken_script(issue, show_dir, {})
    phonemes = espeak_phonemes(["구글은 Google이라고 씁니다", *spoken])
    assert "(en)" in phonemes[0]  # the ear hears a switch where there is one
    switched = [(line, said) for line, said in zip(spoken, phonemes[1:], strict=True) if "(en)" in said]
    assert switched == []
