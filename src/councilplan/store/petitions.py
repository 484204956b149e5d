"""Recall petitions: the frozen constituency, the signatures, the status."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from sqlalchemy import Connection, insert, select, update

from councilplan.councils.decision import DecisionRule
from councilplan.councils.electorate import Electorate
from councilplan.councils.recall import PetitionStatus, RecallPetition
from councilplan.errors import NotFound
from councilplan.store.ballots import rule_from_payload
from councilplan.store.tables import petition_constituents, petition_signatures, petitions
from councilplan.store.types import AnyRow

__all__ = ["PetitionRepository"]

_COLUMNS = (
    petitions.c.petition_id, petitions.c.mandate_id, petitions.c.seat_id, petitions.c.council_id,
    petitions.c.opened_by, petitions.c.opened_at, petitions.c.closes_at, petitions.c.threshold,
    petitions.c.required, petitions.c.constituency_size, petitions.c.constituency_hash,
    petitions.c.status, petitions.c.decided_at, petitions.c.ballot_id, petitions.c.ballot_rule,
)


class PetitionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, petition: RecallPetition, ballot_rule: DecisionRule) -> None:
        self._conn.execute(insert(petitions).values(
            petition_id=petition.petition_id, mandate_id=petition.mandate_id,
            seat_id=petition.seat_id, council_id=petition.council_id,
            opened_by=petition.opened_by, opened_at=petition.opened_at,
            closes_at=petition.closes_at, threshold=str(petition.threshold),
            required=petition.required, constituency_size=petition.constituency.size,
            constituency_hash=petition.constituency.digest, ballot_rule=ballot_rule.to_payload(),
            status=petition.status.value, decided_at=petition.decided_at,
            ballot_id=petition.ballot_id,
        ))
        if petition.constituency.member_ids:
            self._conn.execute(insert(petition_constituents), [
                {"petition_id": petition.petition_id, "member_id": m}
                for m in petition.constituency.member_ids
            ])

    def _load(self, row: AnyRow) -> tuple[RecallPetition, DecisionRule]:
        pid = row[0]
        ids = self._conn.execute(
            select(petition_constituents.c.member_id)
            .where(petition_constituents.c.petition_id == pid)
        ).scalars().all()
        signed = self._conn.execute(
            select(petition_signatures.c.member_id)
            .where(petition_signatures.c.petition_id == pid)
        ).scalars().all()
        petition = RecallPetition(
            petition_id=pid, mandate_id=row[1], seat_id=row[2], council_id=row[3],
            opened_by=row[4], opened_at=row[5], closes_at=row[6], threshold=Fraction(row[7]),
            required=row[8], constituency=Electorate(tuple(sorted(ids)), row[10], row[9]),
            signatures=frozenset(signed), status=PetitionStatus(row[11]), decided_at=row[12],
            ballot_id=row[13],
        )
        return petition, rule_from_payload(row[14])

    def get(self, petition_id: str, *, lock: bool = False) -> tuple[RecallPetition, DecisionRule]:
        """The petition and the decision rule its recall ballot will use."""
        stmt = select(*_COLUMNS).where(petitions.c.petition_id == petition_id)
        row = self._conn.execute(stmt.with_for_update() if lock else stmt).first()
        if row is None:
            raise NotFound(f"petition {petition_id} does not exist")
        return self._load(row)

    def of_mandate(self, mandate_id: str) -> list[RecallPetition]:
        rows = self._conn.execute(
            select(*_COLUMNS).where(petitions.c.mandate_id == mandate_id)
            .order_by(petitions.c.opened_at, petitions.c.petition_id)
        ).all()
        return [self._load(r)[0] for r in rows]

    def of_council(self, council_id: str) -> list[RecallPetition]:
        rows = self._conn.execute(
            select(*_COLUMNS).where(petitions.c.council_id == council_id)
            .order_by(petitions.c.opened_at, petitions.c.petition_id)
        ).all()
        return [self._load(r)[0] for r in rows]

    def pending(self) -> list[RecallPetition]:
        """Petitions still open or succeeded (awaiting their recall ballot)."""
        rows = self._conn.execute(
            select(*_COLUMNS).where(petitions.c.status.in_(
                [PetitionStatus.OPEN.value, PetitionStatus.SUCCEEDED.value]))
            .order_by(petitions.c.opened_at, petitions.c.petition_id)
        ).all()
        return [self._load(r)[0] for r in rows]

    def by_ballot(self, ballot_id: str) -> RecallPetition | None:
        row = self._conn.execute(
            select(*_COLUMNS).where(petitions.c.ballot_id == ballot_id)
        ).first()
        return None if row is None else self._load(row)[0]

    def add_signature(self, petition_id: str, member_id: str, at: datetime) -> None:
        self._conn.execute(insert(petition_signatures).values(
            petition_id=petition_id, member_id=member_id, signed_at=at,
        ))

    def save(self, petition: RecallPetition) -> None:
        """Store the status, decision time and recall ballot of a petition."""
        self._conn.execute(
            update(petitions).where(petitions.c.petition_id == petition.petition_id).values(
                status=petition.status.value, decided_at=petition.decided_at,
                ballot_id=petition.ballot_id,
            )
        )
