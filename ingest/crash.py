"""Named crash points for fault-injection tests of ingest (`tests/reliability`).

`BUDGETQA_CRASH_AT=index-committed#2` kills the process with SIGKILL the second time ingest reaches
the point `index-committed`, exactly as a power cut or `kill -9` would; `#1` may be left out.
Unset (always, outside tests), a crash point costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "BUDGETQA_CRASH_AT"
_reached: Counter[str] = Counter()


def crash_point(name: str) -> None:
    """Die here, without any clean-up, when the environment names this point and occurrence."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, occurrence = wanted.partition("#")
    if point != name:
        return
    _reached[name] += 1
    if _reached[name] == int(occurrence or 1):
        os.kill(os.getpid(), signal.SIGKILL)
