"""The unit of work: one transaction, its repositories, commit on success, rollback on error.

Three ways in, one per kind of use case::

    with uow:               # a governance write (create council, open ballot, recall...)
    with uow.casting():     # casting a vote: many at once, no governance lock
    with uow.reading():     # a read model: read-only, one snapshot
    with uow.bookkeeping(): # accounts, sessions, failed logins: no governance record

Leaving the block normally commits; any exception rolls everything back, so a
failure leaves nothing half-done. A block can be entered again after it ended
(each time a new transaction); it is not shared between threads.

Concurrency:

* SQLite: every write transaction starts ``BEGIN IMMEDIATE`` (one writer at a
  time; threads of one process queue on :func:`~councilplan.store.engine.writer_lock`,
  other processes on the busy timeout), reads start a plain ``BEGIN``; concurrent
  casts share a transaction (group commit), each in its own savepoint.
* PostgreSQL (READ COMMITTED): a governance write first locks the audit log's
  head row (``SELECT ... FOR UPDATE``), so governance writes run one after the
  other and the chain stays linear, and every check they make sees what the last
  one committed. A cast takes only a shared lock on its ballot's row; closing
  a ballot takes it exclusively, so a close waits for the casts in flight and
  every later cast sees the ballot closed. The marked register's primary key
  stops a member being marked twice.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from councilplan.store.accounts import AccountRepository
from councilplan.store.audit_log import AuditLog
from councilplan.store.ballots import BallotRepository
from councilplan.store.box import BallotBox
from councilplan.store.commit_group import commit_group
from councilplan.store.councils import CouncilRepository
from councilplan.store.desk import CastingDesk
from councilplan.store.disputes import DisputeRepository
from councilplan.store.engine import READ_ONLY, is_postgresql, writer_lock
from councilplan.store.mandates import MandateRepository
from councilplan.store.members import MemberRepository
from councilplan.store.motions import MotionRepository
from councilplan.store.offers import OfferRepository
from councilplan.store.petitions import PetitionRepository
from councilplan.store.plan_targets import TargetRepository
from councilplan.store.plan_variants import VariantRepository
from councilplan.store.plans import PlanRepository
from councilplan.store.register import MarkedRegister
from councilplan.store.seats import SeatRepository
from councilplan.store.strike_fund import StrikeFundRepository

__all__ = ["UnitOfWork"]


class UnitOfWork:
    """Repositories over one transaction of ``engine``."""

    councils: CouncilRepository
    members: MemberRepository
    seats: SeatRepository
    mandates: MandateRepository
    ballots: BallotRepository
    register: MarkedRegister
    box: BallotBox
    petitions: PetitionRepository
    motions: MotionRepository
    audit: AuditLog
    desk: CastingDesk
    accounts: AccountRepository
    disputes: DisputeRepository
    offers: OfferRepository
    fund: StrikeFundRepository
    plans: PlanRepository
    variants: VariantRepository
    targets: TargetRepository

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._lock: threading.Lock | None = None
        self._mode = ""

    # -- entering --------------------------------------------------------------

    def _begin(self, mode: str) -> Self:
        if self._conn is not None:
            raise RuntimeError("this unit of work is already in a transaction")
        lock = None if mode == "read" else writer_lock(self.engine)
        if lock is not None:
            lock.acquire()
        try:
            conn = self.engine.connect()
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        if mode == "read":
            conn = conn.execution_options(**{READ_ONLY: True})
            if is_postgresql(self.engine):  # one snapshot for the whole read model
                conn = conn.execution_options(isolation_level="REPEATABLE READ",
                                              postgresql_readonly=True)
        try:
            conn.begin()
            self._bind(conn)
            if mode == "governance" and is_postgresql(self.engine):
                self.audit.lock()
        except BaseException:
            conn.close()
            self._conn = None
            if lock is not None:
                lock.release()
            raise
        self._mode = mode
        self._lock = lock
        return self

    def _bind(self, conn: Connection) -> None:
        self._conn = conn
        self.councils = CouncilRepository(conn)
        self.members = MemberRepository(conn)
        self.seats = SeatRepository(conn)
        self.mandates = MandateRepository(conn)
        self.ballots = BallotRepository(conn)
        self.register = MarkedRegister(conn)
        self.box = BallotBox(conn)
        self.petitions = PetitionRepository(conn)
        self.motions = MotionRepository(conn)
        self.audit = AuditLog(conn)
        self.desk = CastingDesk(conn, self.register, self.box)
        self.accounts = AccountRepository(conn)
        self.disputes = DisputeRepository(conn)
        self.offers = OfferRepository(conn)
        self.fund = StrikeFundRepository(conn)
        self.plans = PlanRepository(conn)
        self.variants = VariantRepository(conn)
        self.targets = TargetRepository(conn)

    def _end(self, failed: bool) -> None:
        conn, lock = self._conn, self._lock
        self._conn, self._lock = None, None
        if conn is None:
            return
        try:
            if failed or self._mode == "read":
                conn.rollback()
            else:
                conn.commit()
        finally:
            conn.close()
            if lock is not None:
                lock.release()

    def __enter__(self) -> Self:
        return self._begin("governance")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._end(failed=exc_type is not None)

    @contextmanager
    def casting(self, *, single_statement: bool = False) -> Iterator[Self]:
        """A write transaction for casting votes (no governance lock).

        On SQLite, concurrent casts of one process share a transaction (group commit,
        :mod:`councilplan.store.commit_group`), each in its own savepoint; the block
        returns once that transaction committed, so a receipt is never handed out for
        a paper that is not stored.

        ``single_statement``: the block writes with at most one statement (a vote through
        :class:`~councilplan.store.desk.CastingDesk`); on PostgreSQL it then runs in
        autocommit, the statement being atomic on its own.
        """
        if single_statement and is_postgresql(self.engine):
            if self._conn is not None:
                raise RuntimeError("this unit of work is already in a transaction")
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                self._bind(conn)
                self._mode = "cast"
                yield self
            finally:
                self._conn = None
                conn.close()
            return
        group = commit_group(self.engine)
        if group is not None:
            if self._conn is not None:
                raise RuntimeError("this unit of work is already in a transaction")
            try:
                with group.join() as conn:
                    self._bind(conn)
                    self._mode = "cast"
                    yield self
            finally:
                self._conn = None
            return
        self._begin("cast")
        try:
            yield self
        except BaseException:
            self._end(failed=True)
            raise
        self._end(failed=False)

    @contextmanager
    def bookkeeping(self) -> Iterator[Self]:
        """A write transaction for rows outside the governance record (accounts, sessions,
        failed logins): it appends nothing to the audit log, so it takes no governance
        lock (SQLite writers still queue on the one write lock)."""
        self._begin("bookkeeping")
        try:
            yield self
        except BaseException:
            self._end(failed=True)
            raise
        self._end(failed=False)

    @contextmanager
    def reading(self) -> Iterator[Self]:
        """A read-only transaction (rolled back at the end)."""
        self._begin("read")
        try:
            yield self
        except BaseException:
            self._end(failed=True)
            raise
        self._end(failed=False)

    @property
    def connection(self) -> Connection:
        """The transaction's connection (inside a block only)."""
        if self._conn is None:
            raise RuntimeError("the unit of work is not in a transaction")
        return self._conn

    @property
    def in_transaction(self) -> bool:
        return self._conn is not None
