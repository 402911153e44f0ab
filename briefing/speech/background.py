"""A script's utterances worked out in a process of its own.

The morphological analyser takes a second or more to load and holds the interpreter while it does, so a build
sets it going here and meanwhile does what needs no text (importing the audio stack, decoding the music); the
analyser's memory goes with the process. The result is `script_utterances`'s: should the process fail, they are
worked out in this one, where any error is raised as it would be anyway.

The process loads the analyser before it reads its question, so `start_early` can set one going as a command
starts — while it imports the build and reads the script — for the first build to take.
"""

from __future__ import annotations

import atexit
import contextlib
import pickle
import subprocess
import sys
import threading
from collections.abc import Mapping
from types import TracebackType

from briefing.models import Script, Utterance

_early: subprocess.Popen[bytes] | None = None  # a process set going by `start_early`, not yet taken


def _start() -> subprocess.Popen[bytes] | None:
    try:
        # -P: the folder the build runs in (a show's workspace) is not searched for modules.
        return subprocess.Popen([sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)  # fmt: skip
    except OSError:
        return None


def start_early() -> None:
    """Set an analysing process going now, for the next `BackgroundUtterances` of this process to take (stopped at
    exit if none does)."""
    global _early
    if _early is None:
        _early = _start()
        atexit.register(_stop_early)


def _stop_early() -> None:
    global _early
    if _early is not None:
        with contextlib.suppress(OSError):
            _early.kill()
            _early.wait()
        _early = None


def _take_early() -> subprocess.Popen[bytes] | None:
    global _early
    process, _early = _early, None
    return process if process is not None and process.poll() is None else None


class BackgroundUtterances:
    """`script_utterances(script, lexicon, lead=lead)` under way in another process; `result()` waits for it.

    Use it as a context manager: leaving the block stops the process if its result was never asked for.
    """

    def __init__(self, script: Script, lexicon: Mapping[str, str] | None, *, lead: str | None = None):
        self.script, self.lexicon, self.lead = script, dict(lexicon or {}), lead
        self._reply: bytes | None = None
        self._process = _take_early() or _start()
        # The question is written and the answer read in a thread, so a large script never blocks the build.
        self._talk = threading.Thread(target=self._converse, name="utterances", daemon=True)
        self._talk.start()

    def _converse(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(OSError, ValueError):
            reply, _ = self._process.communicate(pickle.dumps((self.script, self.lexicon, self.lead)))
            if self._process.returncode == 0:
                self._reply = reply

    def result(self) -> list[Utterance]:
        self._talk.join()
        if self._reply is not None:
            with contextlib.suppress(Exception):
                utterances = pickle.loads(self._reply)  # noqa: S301  # our own child process's answer
                if isinstance(utterances, list) and all(isinstance(u, Utterance) for u in utterances):
                    return utterances
        from briefing.speech.utterances import script_utterances  # the analyser loads here instead

        return script_utterances(self.script, self.lexicon, lead=self.lead)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        self._talk.join()

    def __enter__(self) -> BackgroundUtterances:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()


def _serve() -> None:
    """The child's side: a pickled (script, lexicon, lead) on stdin, the pickled utterances on stdout. The analyser
    is loaded first, while the question may still be on its way."""
    from briefing.analyser import splitter
    from briefing.speech.utterances import script_utterances

    splitter()
    script, lexicon, lead = pickle.load(sys.stdin.buffer)  # noqa: S301  # from the parent build
    sys.stdout.buffer.write(pickle.dumps(script_utterances(script, lexicon, lead=lead)))


if __name__ == "__main__":
    _serve()
