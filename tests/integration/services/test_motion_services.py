"""Motions: amendments are decided first, by yes/no ballots of the constituency."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from councilplan import services
from councilplan.errors import PreconditionFailed
from councilplan.store import UnitOfWork

T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_an_amended_motion_is_carried(mill: UnitOfWork) -> None:
    motion = services.table_new_motion(mill, "mill", "w01", "We ask for a 35-hour week.", T0,
                                       motion_id="mo1")
    services.propose_motion_amendment(mill, "mo1", "w02", "35-hour", "32-hour", T0,
                                      amendment_id="am1")
    with pytest.raises(PreconditionFailed, match="amendments are voted first"):
        services.open_motion_ballot(mill, motion.motion_id, T0, T0 + DAY)
    services.open_motion_ballot(mill, "mo1", T0, T0 + DAY, amendment_id="am1", ballot_id="b1")
    for i in range(20):
        services.cast_vote(mill, "b1", f"w{i:02d}", "yes" if i < 12 else "no", T0)
    assert services.close_ballot(mill, "b1", T0 + DAY).passed is True
    services.open_motion_ballot(mill, "mo1", T0 + DAY, T0 + 2 * DAY, ballot_id="b2")
    for i in range(20):
        services.cast_vote(mill, "b2", f"w{i:02d}", "abstain" if i < 5 else "yes", T0 + DAY)
    assert services.close_ballot(mill, "b2", T0 + 2 * DAY).passed is True
    (done,) = services.list_motions(mill, "mill")
    assert (done.status.value, done.text) == ("carried", "We ask for a 32-hour week.")
