"""Named moments between the writes and renames of a build or a publish, where the kill tests stop the process.

`BRIEFING_STOP_AT=name` stops the process at the first moment of that name (`name#3`: its third; `*#7`: the seventh
moment of any name) with SIGKILL, or with the signal `BRIEFING_STOP_SIGNAL` names (STOP, to look at the files while
it is frozen there); `BRIEFING_CHECKPOINTS=file` appends the name of every moment reached to that file. With neither
set, as always outside the tests, a checkpoint costs two environment lookups.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter

STOP_AT = "BRIEFING_STOP_AT"
STOP_SIGNAL = "BRIEFING_STOP_SIGNAL"
LOG = "BRIEFING_CHECKPOINTS"

_lock = threading.Lock()
_seen: Counter[str] = Counter()


def checkpoint(name: str) -> None:
    """Mark the moment `name` (e.g. "renamed feed.xml"); stop here if asked to."""
    stop_at, log = os.environ.get(STOP_AT), os.environ.get(LOG)
    if not stop_at and not log:
        return
    with _lock:
        _seen[name] += 1
        _seen["*"] += 1
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(name + "\n")
        if stop_at and _is_the_moment(stop_at, name):
            os.kill(os.getpid(), getattr(signal, "SIG" + os.environ.get(STOP_SIGNAL, "KILL").upper()))


def _is_the_moment(stop_at: str, name: str) -> bool:
    wanted, _, nth = stop_at.partition("#")
    count = int(nth) if nth else 1
    return _seen[wanted] == count and wanted in (name, "*")
