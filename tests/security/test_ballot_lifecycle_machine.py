"""Eligibility at the service level: a hypothesis state machine over a ballot's life.

Each run opens a fresh ballot (a yes/no motion, an election by IRV, approval or
Scottish STV, or a strikers' ballot on action in a dispute of the council, whose
electorate is the roster at opening) and then, in any order: first votes by members of
the frozen electorate, attempts by non-members, by members of another council, by
members who joined after the opening, by members of the council who are not on strike
and by members who joined the strike after its ballot opened, re-votes, replays of
superseded tokens, a submission sent again, the same token with an altered paper,
invalid papers of every shape, the close, casts after the close, and the count.
After every step the database must agree with a plain model:

* marked-register rows == ballot-box rows == the members the model says voted;
* nobody outside the electorate is marked (on a strike ballot: no non-striker's paper,
  ever);
* each voter's last receipt is in the box, no superseded one is;
* after the close the published papers are exactly the model's, receipt by receipt,
  the recount matches the stored result, and a yes/no tally equals the model's.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import assume, note
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from security_helpers import DAY, T0, form_works, fuzz
from sqlalchemy import Engine

from councilplan import services
from councilplan.councils.receipt import receipt_code
from councilplan.errors import InvalidInput, PreconditionFailed
from councilplan.store import UnitOfWork

MEMBERS = [f"m{i:03d}" for i in range(10)]
CANDIDATES = MEMBERS[:4]
OUTSIDERS = ["stranger", "d001", "d002"]  # never admitted; members of the dock council
METHODS = ["yes-no", "irv", "approval", "scottish-stv", "strike"]

# anything a client could send as a paper: JSON-like values, nested
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(["yes", "no", "abstain", "spoilt", "YES", " yes", *CANDIDATES, "m099",
                       ""]),
    lambda inner: st.lists(inner, max_size=6) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=10,
)


def valid(method: str, options: Sequence[str], choice: Any) -> bool:
    """What a valid paper is, written out independently of the code under test."""
    if method == "yes-no":
        return isinstance(choice, str) and choice in ("yes", "no", "abstain")
    if method == "strike":
        return isinstance(choice, str) and choice in ("yes", "no", "spoilt")
    marks = [choice] if isinstance(choice, str) else choice
    return (isinstance(marks, list | tuple) and 0 < len(marks) <= len(options)
            and all(isinstance(m, str) and m in options for m in marks)
            and len(set(marks)) == len(marks))


def papers(method: str) -> st.SearchStrategy[Any]:
    if method == "yes-no":
        return st.sampled_from(["yes", "no", "abstain"])
    if method == "strike":
        return st.sampled_from(["yes", "no", "spoilt"])
    return st.lists(st.sampled_from(CANDIDATES), min_size=1, max_size=4, unique=True)


def canonical(method: str, choice: Any) -> Any:
    """The paper as it is read back after the close."""
    if method in ("yes-no", "strike"):
        return choice
    marks = [choice] if isinstance(choice, str) else list(choice)
    return sorted(marks, key=CANDIDATES.index) if method == "approval" else marks


@dataclass
class Model:
    ballot_id: str = ""
    method: str = "yes-no"
    options: tuple[str, ...] = ()
    now: datetime = T0
    closes_at: datetime = T0
    late: str = ""
    electorate: frozenset[str] = frozenset(MEMBERS)
    late_striker: str = ""  # on a strike ballot: joined the strike after the opening
    closed: bool = False
    steps: int = 0
    last: dict[str, tuple[bytes, Any]] = field(default_factory=dict)  # member -> token, paper
    stale: dict[str, list[bytes]] = field(default_factory=dict)


def _machine(uow: UnitOfWork, counter: list[int], seen: Counter[str]
             ) -> type[RuleBasedStateMachine]:
    class BallotLifecycle(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.m = Model()

        @initialize(method=st.sampled_from(METHODS),
                    strikers=st.sets(st.sampled_from(MEMBERS), min_size=1, max_size=9))
        def open_ballot(self, method: str, strikers: set[str]) -> None:
            counter[0] += 1
            n = counter[0]
            seen[method] += 1
            m = self.m
            m.method, m.ballot_id = method, f"b{n}"
            m.now = T0 + timedelta(days=10 * n)
            m.closes_at = m.now + DAY
            if method == "strike":
                dispute = f"d{n}"
                services.open_dispute(uow, dispute, ["works"], "Acme Ltd", ["5% on all rates"],
                                      "GB", "manufacturing", m.now)
                services.join_strike(uow, dispute, sorted(strikers), m.now)
                view = services.open_strike_ballot(uow, dispute, "action", m.now, m.closes_at,
                                                   form="strike", ballot_id=m.ballot_id).ballot
                m.electorate = frozenset(strikers)
                assert view.electorate_size == len(strikers)
                outside = sorted(set(MEMBERS) - strikers)
                if outside:  # called out after the ballot opened: not in its electorate
                    m.late_striker = outside[0]
                    services.join_strike(uow, dispute, [m.late_striker],
                                         m.now + timedelta(minutes=1))
            elif method == "yes-no":
                services.table_new_motion(uow, "works", MEMBERS[0], f"Motion {n}", m.now,
                                          motion_id=f"mo{n}")
                view = services.open_motion_ballot(uow, f"mo{n}", m.now, m.closes_at,
                                                   ballot_id=m.ballot_id)
            else:
                services.define_seat(uow, f"seat{n}", "works", f"Seat {n}", "office", m.now,
                                     term_length=365 * DAY, election_lead=28 * DAY)
                view = services.open_election(uow, [f"seat{n}"], CANDIDATES, m.now,
                                              m.closes_at, ballot_id=m.ballot_id,
                                              method=method)
            m.options = tuple(view.options)
            # joins after the opening: a member of the council, not of the frozen electorate
            m.late = f"late{n}"
            services.admit_member(uow, m.late, "works", m.now + timedelta(minutes=1))
            note(f"ballot {m.ballot_id} ({method}), electorate {sorted(m.electorate)}")

        def _cast(self, member: str, choice: Any, **kwargs: Any) -> Any:
            return services.cast_vote(uow, self.m.ballot_id, member, choice,
                                      self.m.now + timedelta(hours=1), **kwargs)

        # -- votes while the ballot is open ----------------------------------------------

        @precondition(lambda self: not self.m.closed)
        @rule(member=st.sampled_from(MEMBERS), data=st.data())
        def first_vote(self, member: str, data: st.DataObject) -> None:
            choice = data.draw(papers(self.m.method))
            token = secrets.token_bytes(32)
            if member not in self.m.electorate:  # a non-striker, on a strike ballot
                with pytest.raises(PreconditionFailed, match="electorate"):
                    self._cast(member, choice, token=token)
                assert not services.verify_receipt(uow, self.m.ballot_id, token).found
                seen["non-striker refused"] += 1
                return
            if member in self.m.last:
                with pytest.raises(PreconditionFailed, match="already"):
                    self._cast(member, choice, token=token)
                return
            receipt = self._cast(member, choice, token=token)
            assert receipt.code == receipt_code(self.m.ballot_id, token)
            self.m.last[member] = (token, choice)

        @precondition(lambda self: not self.m.closed and self.m.last)
        @rule(data=st.data())
        def revote(self, data: st.DataObject) -> None:
            member = data.draw(st.sampled_from(sorted(self.m.last)))
            choice = data.draw(papers(self.m.method))
            old, _ = self.m.last[member]
            token = secrets.token_bytes(32)
            self._cast(member, choice, previous=old, token=token)
            self.m.last[member] = (token, choice)
            self.m.stale.setdefault(member, []).append(old)

        @precondition(lambda self: not self.m.closed and self.m.last)
        @rule(data=st.data())
        def send_again(self, data: st.DataObject) -> None:
            member = data.draw(st.sampled_from(sorted(self.m.last)))
            token, choice = self.m.last[member]
            before = services.verify_receipt(uow, self.m.ballot_id, token)
            receipt = self._cast(member, choice, token=token)
            assert receipt.code == before.code

        @precondition(lambda self: not self.m.closed and self.m.last)
        @rule(data=st.data())
        def altered_in_transit(self, data: st.DataObject) -> None:
            member = data.draw(st.sampled_from(sorted(self.m.last)))
            token, choice = self.m.last[member]
            other = data.draw(papers(self.m.method).filter(
                lambda c: canonical(self.m.method, c) != canonical(self.m.method, choice)))
            with pytest.raises(InvalidInput, match="another paper"):
                self._cast(member, other, token=token)

        @precondition(lambda self: not self.m.closed and self.m.stale)
        @rule(data=st.data(), as_previous=st.booleans())
        def replay_superseded_token(self, data: st.DataObject, as_previous: bool) -> None:
            member = data.draw(st.sampled_from(sorted(self.m.stale)))
            old = data.draw(st.sampled_from(self.m.stale[member]))
            choice = data.draw(papers(self.m.method))
            if as_previous:
                with pytest.raises(PreconditionFailed, match="not the member's last vote"):
                    self._cast(member, choice, previous=old, token=secrets.token_bytes(32))
            else:
                with pytest.raises(PreconditionFailed, match="already"):
                    self._cast(member, choice, token=old)

        @rule(who=st.sampled_from(["late", "late_striker", *OUTSIDERS]), data=st.data())
        def ineligible(self, who: str, data: st.DataObject) -> None:
            member = {"late": self.m.late, "late_striker": self.m.late_striker}.get(who, who)
            assume(member)
            choice = data.draw(papers(self.m.method))
            why = "closed" if self.m.closed else "electorate"
            with pytest.raises(PreconditionFailed, match=why):
                self._cast(member, choice)

        @rule(member=st.sampled_from(MEMBERS), choice=junk)
        def invalid_paper(self, member: str, choice: Any) -> None:
            assume(not valid(self.m.method, self.m.options, choice))
            # refused as a paper before anything else is looked at, open or closed
            with pytest.raises(InvalidInput) as exc:
                self._cast(member, choice)
            assert exc.value.problems
            assert {p.where for p in exc.value.problems} == {"choice"}

        # -- the close and after -----------------------------------------------------------

        # the close comes once enough happened (or the run is getting long), so that most
        # runs see votes, re-votes and replays before it and casts and counts after it
        @precondition(lambda self: not self.m.closed and (
            (len(self.m.last) >= 4 and self.m.stale) or self.m.steps >= 18))
        @rule()
        def close(self) -> None:
            view = services.close_ballot(uow, self.m.ballot_id, self.m.closes_at)
            assert view.papers == len(self.m.last)
            self.m.closed = True

        @precondition(lambda self: self.m.closed)
        @rule(member=st.sampled_from(MEMBERS), data=st.data())
        def cast_after_close(self, member: str, data: st.DataObject) -> None:
            choice = data.draw(papers(self.m.method))
            kwargs: dict[str, Any] = {}
            if member in self.m.last and data.draw(st.booleans()):
                token, choice = self.m.last[member]
                kwargs = data.draw(st.sampled_from([{"token": token}, {"previous": token}]))
            with pytest.raises(PreconditionFailed, match="closed"):
                self._cast(member, choice, **kwargs)

        @precondition(lambda self: self.m.closed)
        @rule()
        def count(self) -> None:
            m = self.m
            recount = services.count_ballot(uow, m.ballot_id)
            assert recount.papers == len(m.last)
            assert recount.matches_stored
            published = services.published_ballots(uow, m.ballot_id)
            assert published.matches_sealed
            expected = {receipt_code(m.ballot_id, token): canonical(m.method, choice)
                        for token, choice in m.last.values()}
            assert dict(published.papers) == expected
            if m.method == "yes-no":
                tally = recount.result["decision"]
                for option in ("yes", "no", "abstain"):
                    assert tally[option] == sum(c == option for _, c in m.last.values())

        # -- what must hold after every step ---------------------------------------------

        @invariant()
        def register_and_box_agree_with_the_model(self) -> None:
            m = self.m
            m.steps += 1  # invariants run after every step: the run's clock
            if not m.ballot_id:
                return
            with uow.reading():
                marked = uow.register.count(m.ballot_id)
                boxed = uow.box.count(m.ballot_id)
                voters = set(uow.register.voters(m.ballot_id))
            assert marked == boxed == len(m.last)
            assert voters == set(m.last)
            assert voters <= m.electorate  # nobody outside the frozen electorate

        @invariant()
        def last_receipts_found_superseded_ones_not(self) -> None:
            m = self.m
            for token, _ in m.last.values():
                assert services.verify_receipt(uow, m.ballot_id, token).found
            for olds in m.stale.values():
                for old in olds:
                    assert not services.verify_receipt(uow, m.ballot_id, old).found

    return BallotLifecycle


@pytest.mark.parametrize("examples", [40])
def test_the_ballot_lifecycle_keeps_register_box_and_model_in_step(
    engine: Engine, examples: int
) -> None:
    uow = UnitOfWork(engine)
    form_works(uow, len(MEMBERS))
    services.create_council(uow, "dock", "Dock council", "workplace", T0)
    for d in OUTSIDERS[1:]:
        services.admit_member(uow, d, "dock", T0)
    if engine.dialect.name == "postgresql":
        examples //= 2
    seen: Counter[str] = Counter()
    machine = _machine(uow, [0], seen)
    run_state_machine_as_test(machine, settings=fuzz(examples, stateful_step_count=25))
    assert services.verify_audit(uow).ok
    # the run did reach what it is about: every kind of ballot, non-strikers refused
    assert set(seen) >= {*METHODS, "non-striker refused"}, seen
