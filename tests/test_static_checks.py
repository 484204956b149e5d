"""ruff, mypy (strict on the cores), the import-linter contracts and bandit are part of the
test run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    paths = [p for p in ("src", "tests", "benchmarks") if (ROOT / p).is_dir()]
    res = _run(sys.executable, "-m", "ruff", "check", *paths)
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy() -> None:
    res = _run(sys.executable, "-m", "mypy")
    assert res.returncode == 0, res.stdout + res.stderr


def test_import_contracts() -> None:
    exe = shutil.which("lint-imports")
    if exe is None:
        pytest.fail("import-linter is not installed: pip install -e '.[dev]'")
    res = _run(exe)
    assert res.returncode == 0, res.stdout + res.stderr


def test_bandit_finds_nothing_of_medium_or_high_severity() -> None:
    """Security lint of the package: no finding of medium or high severity (any
    confidence). A ``# nosec`` must name the test it silences and say why on its line."""
    res = _run(sys.executable, "-m", "bandit", "-r", "src", "-q", "--severity-level", "medium",
               "--format", "txt")
    assert res.returncode == 0, res.stdout + res.stderr
    for path in (ROOT / "src").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "# nosec" in line:
                test, _, why = line.split("# nosec", 1)[1].strip().partition(" ")
                where = f"{path.relative_to(ROOT)}:{number}"
                assert test.startswith("B"), f"{where}: a # nosec names the test it silences"
                assert why.strip(), f"{where}: a # nosec says why on its line"
