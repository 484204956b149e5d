"""Helpers of the security tests (imported by their conftest and by the tests).

Hypothesis runs here are bounded (fixed ``max_examples``) and derandomised, so CI sees
the same examples every time; ``COUNCILPLAN_FUZZ_EXAMPLES=N`` runs N random examples
of each fuzz test instead, for a longer search on demand.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from tests.two_databases import skip_without_postgresql

from councilplan import services
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)

__all__ = ["DAY", "T0", "form_works", "fuzz", "skip_without_postgresql"]


def fuzz(examples: int, **more_settings: Any) -> settings:
    """Hypothesis settings of a bounded, derandomised fuzz run (see the module docstring)."""
    more = os.environ.get("COUNCILPLAN_FUZZ_EXAMPLES")
    return settings(max_examples=int(more) if more else examples, derandomize=not more,
                    deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much],
                    **more_settings)


def form_works(uow: UnitOfWork, members: int, *, council: str = "works") -> list[str]:
    """A workplace council ``council`` with members ``m000``.. and a secretary's seat
    ``{council}/sec``; returns the member ids."""
    services.create_council(uow, council, "Works council", "workplace", T0)
    ids = [f"m{i:03d}" for i in range(members)]
    for m in ids:
        services.admit_member(uow, m, council, T0)
    services.define_seat(uow, f"{council}/sec", council, "Secretary", "office", T0,
                         term_length=365 * DAY, election_lead=28 * DAY)
    return ids
