"""Crash points for the crash-safety tests.

``MAILFLOW_CRASH_AT=name`` (or ``name:N`` for the N-th time the point is
reached) makes the process kill itself with SIGKILL at that point, the way a
power cut or the OOM killer would: no cleanup, no flush, no rollback handler.
Unset, a crash point costs one dictionary look-up.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "MAILFLOW_CRASH_AT"
_hits: Counter[str] = Counter()


def crash_point(name: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, count = wanted.partition(":")
    if point != name:
        return
    _hits[name] += 1
    if _hits[name] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
