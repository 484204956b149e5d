"""Shared test fixtures.

Real published data lives outside the repository in ``../shared/data`` (relative
to the repository root); tests that need it take the ``shared_data`` fixture and
skip with a clear reason when it is absent. ``COUNCILPLAN_SHARED_DATA`` may point
elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path | None:
    env = os.environ.get("COUNCILPLAN_SHARED_DATA")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / "shared" / "data")
    for c in candidates:
        if c.is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` or skip."""
    d = shared_data_dir()
    if d is None:
        pytest.skip("../shared/data is absent: real published tables are not available here")
    return d


@pytest.fixture(scope="session")
def io_tables(shared_data: Path) -> Path:
    d = shared_data / "io-tables"
    if not d.is_dir():
        pytest.skip("../shared/data/io-tables is absent")
    return d


@pytest.fixture(scope="session")
def elections(shared_data: Path) -> Path:
    d = shared_data / "elections"
    if not d.is_dir():
        pytest.skip("../shared/data/elections is absent")
    return d
