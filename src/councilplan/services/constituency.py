"""Who elects a seat: a council's constituency through the tree, or a dispute's strikers.

A council's own seats are elected (and recalled) by the council's constituency: its
members and those of the councils below it. A strike committee's seats belong to a
dispute: their constituency is the dispute's roster -- the strikers -- whatever
council the seat is kept under.
"""

from __future__ import annotations

from datetime import datetime

from councilplan.councils.constituency import Constituency, constituency_of
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["electing_constituency", "load_constituency", "roster_constituency"]


def load_constituency(uow: UnitOfWork, council_id: str) -> Constituency:
    """The constituency of ``council_id`` as the database stands in this transaction."""
    tree = uow.councils.tree()
    tree.get(council_id)
    ids = [council_id, *(c.council_id for c in tree.descendants(council_id))]
    return constituency_of(tree, uow.members.own_members(ids), council_id)


def roster_constituency(uow: UnitOfWork, dispute_id: str, council_id: str,
                        at: datetime | None = None) -> Constituency:
    """The strikers of ``dispute_id`` at ``at`` (default: by every event recorded), as the
    constituency of a committee seat kept under ``council_id``."""
    return Constituency(council_id, uow.disputes.roster(dispute_id).strikers(at))


def electing_constituency(uow: UnitOfWork, seat_id: str, council_id: str,
                          at: datetime | None = None) -> Constituency:
    """Who elects and may recall the holder of ``seat_id``: the strikers for a strike
    committee's seat, the council's constituency otherwise."""
    dispute_id = uow.disputes.dispute_of_seat(seat_id)
    if dispute_id is None:
        return load_constituency(uow, council_id)
    return roster_constituency(uow, dispute_id, council_id, at)
