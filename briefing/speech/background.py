"""A script's utterances worked out in a process of its own.

The morphological analyser takes a second or more to load and holds the interpreter while it does, so a build
sets it going here and meanwhile does what needs no text (importing the audio stack, decoding the music); the
analyser's memory goes with the process. The result is `script_utterances`'s: should the process fail, they are
worked out in this one, where any error is raised as it would be anyway.
"""

from __future__ import annotations

import contextlib
import pickle
import subprocess
import sys
import threading
from collections.abc import Mapping
from types import TracebackType

from briefing.models import Script, Utterance


class BackgroundUtterances:
    """`script_utterances(script, lexicon, lead=lead)` under way in another process; `result()` waits for it.

    Use it as a context manager: leaving the block stops the process if its result was never asked for.
    """

    def __init__(self, script: Script, lexicon: Mapping[str, str] | None, *, lead: str | None = None):
        self.script, self.lexicon, self.lead = script, dict(lexicon or {}), lead
        self._reply: bytes | None = None
        try:
            # -P: the folder the build runs in (a show's workspace) is not searched for modules.
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
        except OSError:
            self._process = None
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
    """The child's side: a pickled (script, lexicon, lead) on stdin, the pickled utterances on stdout."""
    from briefing.speech.utterances import script_utterances

    script, lexicon, lead = pickle.load(sys.stdin.buffer)  # noqa: S301  # from the parent build
    sys.stdout.buffer.write(pickle.dumps(script_utterances(script, lexicon, lead=lead)))


if __name__ == "__main__":
    _serve()
