"""Double voting and races over HTTP, against a real ``councilplan serve`` process, on
SQLite and PostgreSQL.

1,000 members, each signed in over HTTP, act at once through one bounded connection
pool (:class:`live_server.Crowd`); every answer is checked against what the member sent,
and the database against the answers:

* 10,000 ballot submissions, ten per member at once: copies of one submission with the
  device's own receipt token (every copy answers the same receipt), the same token with
  another paper (altered in transit: refused), first votes without a token (one goes
  in, the rest are refused) and re-votes racing each other from one receipt (one
  replaces it). Exactly 1,000 papers and 1,000 marks; after the close every member's
  accepted paper is in the published set under their receipt, and the count has 1,000.
* recall-petition signatures, each member signing three times at once: one signature
  each, exactly the threshold's number accepted, one recall ballot opened.
* re-votes racing the close: members keep re-voting while the ballot's time runs out
  and the close is asked for. Every accepted vote that was a member's last is counted,
  every later one refused, register = box at every point, no server error.

429/503 answers are waited out (``Retry-After``) and counted; the figures (submissions
per second, pushed-back answers) are printed for ``-s`` runs. No timed assertions.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from live_server import Crowd, LiveServer, Voter, give_accounts, in_thread, utc_now
from security_helpers import skip_without_postgresql
from sqlalchemy import Engine, func, select

from councilplan import services
from councilplan.councils.receipt import receipt_code
from councilplan.store import UnitOfWork, make_engine
from councilplan.store.scratch import scratch_database
from councilplan.store.tables import ballots as ballots_table

MEMBERS = [f"m{i:04d}" for i in range(1000)]
CANDIDATES = ["m0001", "m0002", "m0003"]
DAY = timedelta(days=1)


@dataclass
class Live:
    server: LiveServer
    engine: Engine
    uow: UnitOfWork
    voters: dict[str, Voter]
    mandate: str
    seats: list[int]

    def new_ballot(self, closes_in: timedelta, method: str = "irv") -> tuple[str, Any]:
        """An election open now in the Works council (all 1,000 members); its id and
        closing time."""
        self.seats[0] += 1
        n = self.seats[0]
        now = utc_now()
        services.define_seat(self.uow, f"works/s{n}", "works", f"Seat {n}", "office",
                             now - DAY, term_length=365 * DAY, election_lead=28 * DAY)
        view = services.open_election(self.uow, [f"works/s{n}"], CANDIDATES, now,
                                      now + closes_in, ballot_id=f"race{n}", method=method)
        return view.ballot_id, now + closes_in


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
         ) -> Iterator[Live]:
    """The Works council of 1,000 members with accounts, m0000 its secretary (elected
    yesterday), served by ``councilplan serve``; every member signed in (twenty by
    logging in over HTTP, the rest with sessions written as a login writes them)."""
    if request.param == "postgresql":
        skip_without_postgresql()
    folder = tmp_path_factory.mktemp(f"live-{request.param}")
    with scratch_database(request.param, folder) as url:
        engine = make_engine(url)
        uow = UnitOfWork(engine)
        at = utc_now() - 2 * DAY
        services.create_council(uow, "works", "Works council", "workplace", at)
        services.admit_members(uow, [(m, "works") for m in MEMBERS], at)
        services.define_seat(uow, "works/sec", "works", "Secretary", "office", at,
                             term_length=365 * DAY, election_lead=28 * DAY)
        services.open_election(uow, ["works/sec"], ["m0000"], at, at + DAY, ballot_id="sec")
        services.cast_vote(uow, "sec", "m0000", ["m0000"], at + DAY / 2)
        services.close_ballot(uow, "sec", at + DAY)
        (mandate,) = services.list_mandates(uow, "works", utc_now())
        voters = give_accounts(uow, MEMBERS[20:], utc_now(), signed_in=True)
        give_accounts(uow, MEMBERS[:20], at)
        server = LiveServer(url, folder / "server.log")
        server.start()
        try:

            async def sign_in() -> dict[str, Voter]:  # twenty of them log in over HTTP
                async with Crowd(server.base) as crowd:
                    return await crowd.login_all(MEMBERS[:20])

            voters |= in_thread(sign_in)
            yield Live(server, engine, uow, voters, mandate.mandate_id, [0])
        finally:
            server.stop()
            engine.dispose()


def _counts(live: Live, ballot: str) -> tuple[int, int]:
    with live.uow.reading():
        return live.uow.register.count(ballot), live.uow.box.count(ballot)


def _token() -> str:
    return secrets.token_bytes(32).hex()


def _problem(r: Any) -> str:
    body = r.json()
    return " ".join([body.get("title", "")] + [p["message"] for p in body.get("problems", [])])


# -- 10,000 submissions from 1,000 members ------------------------------------------------------


@dataclass
class Outcome:
    """What one member's device saw."""

    member: str
    codes: Counter[int]
    accepted: set[tuple[str, str]]  # (receipt code, paper as sent) of the 201s
    expected: tuple[str, Any]  # the receipt code and paper that must be counted


async def _member_sends_ten(crowd: Crowd, voter: Voter, ballot: str, kind: int,
                            rng: random.Random) -> Outcome:
    """Ten submissions at once, of one of four kinds (see the module docstring)."""
    paper = rng.sample(CANDIDATES, rng.randint(1, 3))
    other = [c for c in CANDIDATES if c not in paper] or list(reversed(paper))
    token = _token()
    sends: list[tuple[Any, str | None, str | None]]
    if kind == 0:  # ten copies of one submission, with the device's token
        sends = [(paper, token, None)] * 10
    elif kind == 1:  # the same token, three of the copies altered in transit
        sends = [(paper, token, None)] * 7 + [(other, token, None)] * 3
    elif kind == 2:  # ten first votes, no token, two papers
        sends = [(paper, None, None)] * 5 + [(other, None, None)] * 5
    else:  # a first vote, then nine re-votes racing from its receipt
        first = await crowd.vote(voter, ballot, other, token=token)
        assert first.status_code == 201, first.text
        sends = [(paper if k % 2 else other, _token(), token) for k in range(9)]
    answers = await asyncio.gather(*(crowd.vote(voter, ballot, p, token=t, previous=prev)
                                     for p, t, prev in sends))
    codes: Counter[int] = Counter(r.status_code for r in answers)
    if kind == 3:
        codes[201] += 1
    accepted = {(r.json()["code"], repr(p)) for r, (p, _, _) in zip(answers, sends, strict=True)
                if r.status_code == 201}
    for r in answers:
        if r.status_code != 201:
            assert r.status_code in (409, 422), (voter.member, r.status_code, r.text)
    kept = [(r.json()["code"], p) for r, (p, _, _) in zip(answers, sends, strict=True)
            if r.status_code == 201]
    if kind in (0, 1):
        # every copy that went in answered the device's receipt, for one paper
        assert {c for c, _ in kept} == {receipt_code(ballot, bytes.fromhex(token))}
        assert len({repr(p) for _, p in kept}) == 1
        assert all("another paper" in _problem(r) or "used before" in _problem(r)
                   for r in answers if r.status_code == 422), voter.member
    else:
        assert len(kept) == 1, (voter.member, codes)  # exactly one went in
        why = "already" if kind == 2 else "cannot be replaced"
        assert all(why in _problem(r) for r in answers if r.status_code == 409), voter.member
    return Outcome(voter.member, codes, accepted, kept[0])


def test_10000_concurrent_submissions_from_1000_members_leave_1000_papers(live: Live) -> None:
    ballot, closes_at = live.new_ballot(timedelta(hours=1))
    rng = random.Random(7)
    plan = [(live.voters[m], k % 4, random.Random(rng.random())) for k, m in enumerate(MEMBERS)]

    async def load() -> tuple[list[Outcome], Counter[int], int, float]:
        async with Crowd(live.server.base) as crowd:
            started = time.perf_counter()
            outcomes = await asyncio.gather(*(_member_sends_ten(crowd, v, ballot, kind, r)
                                              for v, kind, r in plan))
            return outcomes, crowd.pushed_back, crowd.sent, time.perf_counter() - started

    outcomes, pushed_back, sent, took = in_thread(load)
    submissions = sum(sum(o.codes.values()) for o in outcomes)
    assert submissions == 10_000
    statuses = sum((o.codes for o in outcomes), Counter())
    print(f"\n[{live.engine.dialect.name}] {submissions} submissions in {took:.1f} s "
          f"({submissions / took:.0f}/s); answers {dict(statuses)}; pushed back "
          f"{dict(pushed_back)} (requests sent {sent})")
    assert _counts(live, ballot) == (1000, 1000)
    with live.uow.reading():
        assert set(live.uow.register.voters(ballot)) == set(MEMBERS)

    closed = services.close_ballot(live.uow, ballot, closes_at)
    assert closed.papers == 1000

    async def published() -> tuple[dict[str, Any], dict[str, Any]]:
        async with Crowd(live.server.base) as crowd:
            v = live.voters["m0000"]
            papers = await crowd.request("GET", f"/api/ballots/{ballot}/papers", v)
            count = await crowd.request("GET", f"/api/ballots/{ballot}/count", v)
            assert papers.status_code == count.status_code == 200
            return papers.json(), count.json()

    papers, count = in_thread(published)
    assert count["papers"] == 1000
    assert count["matches_stored"]
    boxed = {code: paper for code, paper in papers["papers"]}
    assert len(boxed) == 1000
    for o in outcomes:  # each member's accepted paper, under their receipt, once
        code, paper = o.expected
        assert boxed[code] == paper, o.member


# -- recall-petition signatures ---------------------------------------------------------------


def test_each_member_signing_three_times_at_once_signs_once_and_the_threshold_holds(
        live: Live) -> None:
    petition = services.open_recall_petition(live.uow, live.mandate, "m0999", utc_now(),
                                             threshold=Fraction(1, 2))
    required = petition.required
    assert required == 500

    async def sign_three(crowd: Crowd, voter: Voter) -> list[int]:
        answers = await asyncio.gather(*(crowd.request(
            "POST", f"/api/petitions/{petition.petition_id}/signatures", voter,
            {"ballot_days": 7}) for _ in range(3)))
        for r in answers:
            if r.status_code != 200:
                assert r.status_code == 409, r.text
                why = _problem(r)
                assert "already signed" in why or "succeeded" in why, why
        return [r.status_code for r in answers]

    async def load() -> tuple[dict[str, list[int]], Counter[int], float]:
        async with Crowd(live.server.base) as crowd:
            started = time.perf_counter()
            got = await asyncio.gather(*(sign_three(crowd, live.voters[m]) for m in MEMBERS))
            return dict(zip(MEMBERS, got, strict=True)), crowd.pushed_back, \
                time.perf_counter() - started

    answers, pushed_back, took = in_thread(load)
    signed = {m for m, codes in answers.items() if 200 in codes}
    print(f"\n[{live.engine.dialect.name}] 3000 signatures sent in {took:.1f} s "
          f"({3000 / took:.0f}/s); pushed back {dict(pushed_back)}")
    assert all(codes.count(200) <= 1 for codes in answers.values())  # one signature each
    assert len(signed) == required  # exactly the threshold, then it succeeded
    view = services.show_petition(live.uow, petition.petition_id, utc_now())
    assert (view.status, view.signatures) == ("succeeded", required)
    with live.uow.reading():
        petition_now, _ = live.uow.petitions.get(petition.petition_id)
    assert set(petition_now.signatures) == signed
    assert view.ballot_id is not None
    with live.engine.connect() as conn:  # one recall ballot, not one per racing signature
        recall_ballots = conn.execute(select(func.count()).select_from(ballots_table).where(
            ballots_table.c.ballot_id.like("rc%"))).scalar_one()
    assert recall_ballots == 1
    assert services.verify_audit(live.uow).ok


# -- re-votes racing the close ----------------------------------------------------------------


def test_revotes_racing_the_close_are_counted_or_refused_never_half(live: Live) -> None:
    racers = MEMBERS[:400]
    ballot, closes_at = live.new_ballot(timedelta(seconds=4))
    closer = live.voters["m0000"]

    @dataclass
    class Chain:
        accepted: list[tuple[str, Any]]  # (token, paper) of every 201, in order
        refused: list[str]

    async def keep_voting(crowd: Crowd, voter: Voter, rng: random.Random) -> Chain:
        chain = Chain([], [])
        while True:
            paper = rng.sample(CANDIDATES, rng.randint(1, 3))
            token = _token()
            previous = chain.accepted[-1][0] if chain.accepted else None
            r = await crowd.vote(voter, ballot, paper, token=token, previous=previous)
            if r.status_code == 201:
                assert r.json()["code"] == receipt_code(ballot, bytes.fromhex(token))
                chain.accepted.append((token, paper))
                continue
            assert r.status_code == 409, (voter.member, r.status_code, r.text)
            chain.refused.append(_problem(r))
            return chain  # refused only once the ballot is no longer open

    async def close_when_due(crowd: Crowd) -> int:
        tries = 0
        while True:
            await asyncio.sleep(max(0.0, (closes_at - utc_now()).total_seconds()) + 0.05)
            r = await crowd.request("POST", f"/api/ballots/{ballot}/close", closer)
            tries += 1
            if r.status_code == 200:
                return tries
            assert r.status_code == 409, r.text  # not yet due by the server's clock

    async def race() -> tuple[list[Chain], Counter[int]]:
        async with Crowd(live.server.base) as crowd:
            rng = random.Random(11)
            voting = asyncio.gather(*(keep_voting(crowd, live.voters[m],
                                                  random.Random(rng.random()))
                                      for m in racers))
            await close_when_due(crowd)
            return await voting, crowd.pushed_back

    chains, pushed_back = in_thread(race)
    accepted = sum(len(c.accepted) for c in chains)
    print(f"\n[{live.engine.dialect.name}] racing the close: {accepted} votes accepted, "
          f"{len(chains)} refused at the end; pushed back {dict(pushed_back)}")
    for c in chains:
        assert any(w in c.refused[0] for w in ("closed", "no vote in ballot")), c.refused
    voted = [c for c in chains if c.accepted]
    assert _counts(live, ballot) == (len(voted), len(voted))  # register = box, after all
    view = services.show_ballot(live.uow, ballot)
    assert view.status == "closed"
    published = dict(services.published_ballots(live.uow, ballot).papers)
    assert len(published) == len(voted)
    for c in voted:  # the last accepted vote is counted; every earlier one was replaced
        token, paper = c.accepted[-1]
        assert published[receipt_code(ballot, bytes.fromhex(token))] == paper
        for old, _ in c.accepted[:-1]:
            assert receipt_code(ballot, bytes.fromhex(old)) not in published
    assert services.verify_audit(live.uow).ok


def test_the_server_log_holds_no_error(live: Live) -> None:
    """Run last in the module: nothing above made the server log an exception."""
    log = live.server.log_tail(10**7)
    assert "Traceback" not in log, log[-3000:]
    assert Path(live.server.log).exists()
