"""The Korean analysers are let go, with their memory, once a build has analysed its text."""

from __future__ import annotations

import subprocess
import sys


def test_release_hands_the_analysers_memory_back():
    probe = """
from briefing import analyser
from briefing.speech.utterances import split_utterances

def resident_mb():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 1e6

before = resident_mb()
split_utterances("첫 문장입니다. 둘째 문장은 조금 더 깁니다.")
loaded = resident_mb()
analyser.release()
print(loaded - before, resident_mb() - before, analyser.splitter.cache_info().currsize)
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    grown, left, cached = result.stdout.split()
    assert float(grown) > 100  # the splitter takes well over 100 MB ...
    assert float(left) < float(grown) / 3  # ... and most of it is back with the system after release()
    assert cached == "0"
