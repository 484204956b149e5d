"""Run readers on hostile files in a fresh process and report, as JSON, how each was
refused and how far the process's peak memory rose above what it had before reading.

Usage: ``python hostile_probe.py SPEC.json``; the spec is a list of ``[reader, path...]``.
"""

from __future__ import annotations

import json
import resource
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from councilplan.errors import InvalidInput
from councilplan.io import read_bundle, read_npz, read_symmetric, read_wiod
from councilplan.io.blt import read_blt
from councilplan.io.checkpoints import read_checkpoints
from councilplan.io.needs import read_needs
from councilplan.planning import Economy


def _status_kib(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def _rise_from_here() -> Callable[[], int]:
    """Start measuring: returns how far the peak resident size has risen above the
    resident size now. The kernel's high-water mark is reset first (``clear_refs``);
    where it cannot be, the peak so far counts against the reader (an overestimate)."""
    now = _status_kib("VmRSS")
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        def rise() -> int:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - now
        return rise
    return lambda: _status_kib("VmHWM") - now


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    eco = Economy.from_matrix(sp.csr_array(np.array([[0.1, 0.2], [0.3, 0.1]])),
                              np.array([1.0, 1.0]), products=["bread", "power"])
    readers: dict[str, Any] = {
        "bundle": read_bundle, "npz": read_npz, "symmetric": read_symmetric,
        "wiod": read_wiod, "blt": read_blt, "checkpoints": read_checkpoints,
        "needs": lambda path: read_needs(path, eco),
    }
    report: dict[str, Any] = {"cases": []}
    for reader, *paths in spec:
        case: dict[str, Any] = {"reader": reader, "path": paths[0]}
        rise = _rise_from_here()
        try:
            readers[reader](*paths)
            case["outcome"] = "accepted"
        except InvalidInput as exc:
            case.update(outcome="refused", error=type(exc).__name__, message=exc.message,
                        where=exc.problems[0].where if exc.problems else "",
                        problem=str(exc.problems[0]) if exc.problems else "")
        except Exception as exc:  # the test fails on this: reported, not hidden
            case.update(outcome="crashed", error=type(exc).__name__, message=str(exc)[:300])
        case["peak_rise_kib"] = rise()
        report["cases"].append(case)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
