"""HiGHS prints a banner on stdout the first time a solver is made in a process, which
would corrupt ``--json`` output; :func:`quiet_highs` makes that first solver with the
process's standard output pointed at the null device, so the banner never shows."""

from __future__ import annotations

import contextlib
import os
import sys

__all__ = ["quiet_highs"]

_DONE = False


def quiet_highs() -> None:
    """Swallow HiGHS's start-up banner (once per process; harmless if HiGHS is absent)."""
    global _DONE
    if _DONE:
        return
    _DONE = True
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a dependency
        return
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real file descriptor 1 (some test runners)
        highspy.Highs()  # type: ignore[no-untyped-call]
        return
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        with contextlib.suppress(OSError):
            os.dup2(saved, 1)
            os.close(saved)
