"""Loading a council's constituency through the tree (its members and those below)."""

from __future__ import annotations

from councilplan.councils.constituency import Constituency, constituency_of
from councilplan.store.unit_of_work import UnitOfWork

__all__ = ["load_constituency"]


def load_constituency(uow: UnitOfWork, council_id: str) -> Constituency:
    """The constituency of ``council_id`` as the database stands in this transaction."""
    tree = uow.councils.tree()
    tree.get(council_id)
    ids = [council_id, *(c.council_id for c in tree.descendants(council_id))]
    return constituency_of(tree, uow.members.own_members(ids), council_id)
