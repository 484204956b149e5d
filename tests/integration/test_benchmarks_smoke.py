"""The benchmark scripts still run: each in ``--quick`` mode (seconds, tiny sizes);
``http_casting`` and ``http_load`` need locust (in the ``test`` extra; skipped without it).

Nothing here times anything or checks a goal: benchmarks are measurements, recorded in
``benchmarks/RESULTS.md`` by running them in full. ``--quick`` writes its JSON to a
temporary folder and never touches RESULTS.md.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT / "benchmarks"


@pytest.mark.parametrize(
    ("script", "needs"),
    [("leontief", None), ("pymrio_compare", "pymrio"), ("optimise", "highspy"),
     ("plan_cycle", "highspy"), ("http_casting", "locust"), ("http_load", "locust")],
)
def test_benchmark_runs_quick(script: str, needs: str | None, tmp_path: Path) -> None:
    if needs and importlib.util.find_spec(needs) is None:  # not imported here: locust
        pytest.skip(f"{needs} is not installed")  # patches the process with gevent
    results = BENCHMARKS / "RESULTS.md"
    before = results.read_bytes() if results.exists() else None
    proc = subprocess.run(
        [sys.executable, str(BENCHMARKS / f"{script}.py"), "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    payload = json.loads((tmp_path / f"{script}-quick.json").read_text(encoding="utf-8"))
    assert payload["rows"], "no figures recorded"
    assert "|" in proc.stdout  # the table was printed
    after = results.read_bytes() if results.exists() else None
    assert after == before, "--quick must not rewrite RESULTS.md"
