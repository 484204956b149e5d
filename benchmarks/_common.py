"""Shared helpers for the benchmark scripts: timing, memory, tables, JSON and RESULTS.md.

Every script measures its baseline in the same run as the thing it judges and records
ratios against it; absolute seconds are kept for context only. Nothing here asserts a
time: benchmarks are measurements, not tests.

Memory is measured two ways while a call runs (see :class:`PeakMemory`):

* ``tracemalloc``: the peak of bytes allocated through Python's allocators during the
  call (numpy registers its array buffers with tracemalloc), above what was allocated
  when the call began. Exact for numpy/scipy temporaries, blind to C++ libraries.
* RSS sampling: a thread reads the process's resident set size (psutil) every
  ``interval`` seconds; the peak minus the RSS at the start. Coarser, but it sees all
  allocations (HiGHS included); memory the process already holds and reuses is not seen.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import re
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import psutil

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"

T = TypeVar("T")

_HEADER = """# councilplan benchmark results

Written by the scripts in `benchmarks/` (each rewrites only its own section). Every
figure that judges councilplan is a ratio against a baseline measured in the same run
on the same data; absolute seconds are given for context. The machine is shared and
noisy: other work was running on it, so treat single figures as +-20%.

"""


# ---------------------------------------------------------------------------- arguments


def size_arg(text: str) -> int:
    """``1e6``, ``1000000`` or ``1_000_000`` -> 1000000."""
    value = float(text.replace("_", ""))
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(value)


def parser(description: str, default_sizes: Sequence[int]) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--sizes",
        nargs="+",
        type=size_arg,
        default=list(default_sizes),
        help="problem sizes (products), e.g. 1e3 1e4 (default: %(default)s)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes, a few seconds in all; records JSON only (never RESULTS.md)",
    )
    p.add_argument("--seed", type=int, default=0, help="generator seed (default: %(default)s)")
    p.add_argument(
        "--out", type=Path, default=OUT, help="folder for the JSON figures (default: %(default)s)"
    )
    p.add_argument(
        "--no-record", action="store_true", help="do not rewrite this script's RESULTS.md section"
    )
    return p


# ---------------------------------------------------------------------------- timing


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Wall seconds of one call, and its value."""
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def median_time(fn: Callable[[], object], repeats: int, *, warmup: int = 1) -> float:
    """Median wall seconds over ``repeats`` calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# ---------------------------------------------------------------------------- memory


@dataclass
class PeakMemory:
    """Context manager: peak bytes above the start, by tracemalloc and by sampled RSS."""

    interval: float = 0.002
    traced_peak: int = 0
    rss_peak: int = 0
    seconds: float = 0.0

    def __enter__(self) -> PeakMemory:
        gc.collect()
        self._proc = psutil.Process()
        self._stop = threading.Event()
        self._rss0 = self._proc.memory_info().rss
        self._max_rss = self._rss0
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        tracemalloc.start()
        tracemalloc.reset_peak()
        self._traced0 = tracemalloc.get_traced_memory()[0]
        self._t0 = time.perf_counter()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss = self._proc.memory_info().rss
            self._max_rss = max(self._max_rss, rss)
            self._stop.wait(self.interval)

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        self._stop.set()
        self._thread.join()
        self._max_rss = max(self._max_rss, self._proc.memory_info().rss)
        self.traced_peak = max(0, peak - self._traced0)
        self.rss_peak = max(0, self._max_rss - self._rss0)


def gib(nbytes: float) -> str:
    return f"{nbytes / 2**30:.2f} GiB" if nbytes >= 2**30 else f"{nbytes / 2**20:.1f} MiB"


# ---------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    """What the figures were measured on (the brief's description plus what we can see)."""
    vm = psutil.virtual_memory()
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    from importlib.metadata import version

    import numpy
    import scipy

    return {
        "cores": os.cpu_count(),
        "memory_gib": round(vm.total / 2**30, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "highspy": version("highspy"),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "blas_threads": blas_threads(),
    }


def machine_line(m: dict[str, Any]) -> str:
    return (
        f"{m['cores']} cores, {m['memory_gib']:.0f} GiB ({m['cpu']}); Python {m['python']}, "
        f"numpy {m['numpy']}, scipy {m['scipy']}, highspy {m['highspy']}; "
        f"OpenBLAS threads {m['blas_threads']}; load average at start {m['load_average']}"
    )


# ---------------------------------------------------------------------------- output


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A GitHub-flavoured markdown table (also readable on a terminal)."""
    body = [[str(c) for c in r] for r in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in body]
    return "\n".join(out)


def write_json(out_dir: Path, name: str, payload: dict[str, Any]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=_jsonable) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def _jsonable(obj: Any) -> Any:
    if hasattr(obj, "item"):
        return obj.item()
    if hasattr(obj, "tolist"):
        return obj.tolist()
    return str(obj)


def record_section(name: str, markdown: str, results: Path = RESULTS) -> None:
    """Replace (or append) the section between this script's markers in RESULTS.md."""
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    block = f"{begin}\n{markdown.rstrip()}\n{end}\n"
    text = results.read_text(encoding="utf-8") if results.exists() else _HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block
    tmp = results.with_suffix(".md.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(results)


def today() -> str:
    return _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


def command_line(script: str, argv: Sequence[str]) -> str:
    """The command that reproduces this run, as typed from the repository root."""
    return " ".join(["python", f"benchmarks/{Path(script).name}", *argv])


# ---------------------------------------------------------------------------- BLAS threads


def _openblas_libs() -> list[Any]:
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as fh:
            paths = {ln.split()[-1] for ln in fh if "openblas" in ln.lower() and ".so" in ln}
    except OSError:
        return []
    libs = []
    for path in sorted(paths):
        try:
            libs.append(ctypes.CDLL(path))
        except OSError:
            continue
    return libs


def _blas_fn(lib: Any, verb: str) -> Any:
    for name in (
        f"scipy_openblas_{verb}_num_threads64_",
        f"scipy_openblas_{verb}_num_threads",
        f"openblas_{verb}_num_threads64_",
        f"openblas_{verb}_num_threads",
    ):
        fn = getattr(lib, name, None)
        if fn is not None:
            return fn
    return None


def blas_threads() -> list[int]:
    """Thread counts of the OpenBLAS libraries loaded (numpy's, scipy's)."""
    out = []
    for lib in _openblas_libs():
        fn = _blas_fn(lib, "get")
        if fn is not None:
            out.append(int(fn()))
    return out


def set_blas_threads(n: int) -> None:
    """Set every loaded OpenBLAS to ``n`` threads (numpy and scipy each ship one)."""
    import scipy.linalg  # noqa: F401  (load scipy's OpenBLAS too)

    for lib in _openblas_libs():
        fn = _blas_fn(lib, "set")
        if fn is not None:
            fn(int(n))
