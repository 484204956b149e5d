"""``councilplan dispute ...``: strikes run by the strikers.

Every command takes ``--db`` (see ``councilplan db``), ``--at`` (the time of the
action; default now) where time matters, and ``--json``. Commands only translate
arguments into service calls and views into lines, tables or JSON.

    councilplan dispute open pay-2025 --council mill --employer "Acme Ltd" \\
        --demand "5% on all rates" --jurisdiction GB --sector manufacturing
    councilplan dispute roster join pay-2025 w01 w02 w03      # called out
    councilplan dispute roster return pay-2025 w03            # back at work
    councilplan dispute roster dismiss pay-2025 w02           # sacked by the employer
    councilplan dispute roster reinstate pay-2025 w02
    councilplan dispute committee seat pay-2025 pay-2025/chair "Strike committee chair"
    councilplan dispute committee election pay-2025 pay-2025/chair --candidates w01,w02
    councilplan dispute committee recall MANDATE --by w05     # strikers sign, as any recall
    councilplan dispute ballot open pay-2025 --kind action --form strike --days 14
    councilplan dispute ballot cast BALLOT w01 yes            # yes, no or spoilt
    councilplan dispute ballot close BALLOT
    councilplan dispute ballot notice BALLOT                  # the results notice
    councilplan dispute action call pay-2025 --form strike --from 2025-04-07 --to 2025-04-08
    councilplan dispute offer record pay-2025 --text-file offer.txt --summary "3% now"
    councilplan dispute ballot open pay-2025 --kind offer --offer OFFER --days 7
    councilplan dispute settle pay-2025 --offer OFFER         # only after a ballot accepted it
    councilplan dispute fund contribute pay-2025 2500.00 --source "branch levy"
    councilplan dispute fund pay pay-2025 w01 2025-W15 60.00
    councilplan dispute fund pay-all pay-2025 2025-W15 60.00   # every striker of the week
    councilplan dispute fund runway pay-2025
    councilplan dispute rules --jurisdiction GB --sector health --on 2025-03-01
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from councilplan import services
from councilplan.cli.db import AtOpt, DbOpt, JsonOpt, emit, moment, money, open_uow
from councilplan.cli.errors import handle_errors
from councilplan.cli.recall import open_petition, sign_petition
from councilplan.councils.counting import DEFAULT_METHOD, Method
from councilplan.councils.strike_ballot import ActionForm, StrikeBallotKind
from councilplan.councils.threshold import zone
from councilplan.errors import InvalidInput, Problem
from councilplan.services.dispute_views import (
    DisputeDetail,
    OfferView,
    RosterView,
    StrikeBallotView,
)
from councilplan.services.disputes import record_roster_change

__all__ = ["app"]

app = typer.Typer(help="Strikes run by the strikers: roster, committee, offers, ballots, "
                       "action, settlement, strike fund.", no_args_is_help=True)
roster_app = typer.Typer(help="The roster: who is called out (changed only by events).",
                         no_args_is_help=True)
committee_app = typer.Typer(help="The strike committee: elected by and from the strikers, "
                                 "recallable by them.", no_args_is_help=True)
offer_app = typer.Typer(help="Employer offers: recorded as they arrive, published to every "
                             "striker.", no_args_is_help=True)
ballot_app = typer.Typer(help="Strikers' ballots: action, continuing, offers, settling.",
                         no_args_is_help=True)
mandate_app = typer.Typer(help="Mandates for action granted by strikers' ballots.",
                          no_args_is_help=True)
action_app = typer.Typer(help="Calls to action under a strikers' mandate.",
                         no_args_is_help=True)
fund_app = typer.Typer(help="The strike fund: contributions, strike pay, runway.",
                       no_args_is_help=True)
for sub, name in ((roster_app, "roster"), (committee_app, "committee"), (offer_app, "offer"),
                  (ballot_app, "ballot"), (mandate_app, "mandate"), (action_app, "action"),
                  (fund_app, "fund")):
    app.add_typer(sub, name=name)

console = Console()

MemberArgs = Annotated[list[str], typer.Argument(help="member ids")]


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("not a date", [Problem(where, f"{text!r}: use YYYY-MM-DD")]) from None


# -- disputes -----------------------------------------------------------------------------


@app.command("open")
@handle_errors
def open_command(
    dispute_id: Annotated[str, typer.Argument(help="an id for the dispute")],
    council: Annotated[list[str], typer.Option(
        "--council", help="a council whose members are called out (repeat for several)")],
    employer: Annotated[str, typer.Option("--employer", help="the employer")],
    demand: Annotated[list[str], typer.Option("--demand", help="a demand (repeat)")],
    jurisdiction: Annotated[str, typer.Option(
        "--jurisdiction", help="GB, or union-rules (no statute: the union's own rules)")],
    sector: Annotated[str, typer.Option(
        "--sector", help="what most of those balloted work in (health, education, fire, "
                         "transport, border-security, nuclear-decommissioning are important "
                         "public services)")],
    timezone: Annotated[str | None, typer.Option(
        "--timezone", help="IANA zone for dates (union rules; GB uses Europe/London)")] = None,
    union_mandate_months: Annotated[int | None, typer.Option(
        "--union-mandate-months", help="the union's own mandate period (union rules)")] = None,
    currency: Annotated[str, typer.Option("--currency")] = "GBP",
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open a dispute of one or more councils with an employer over demands."""
    view = services.open_dispute(open_uow(db), dispute_id, council, employer, demand,
                                 jurisdiction, sector, moment(at), timezone=timezone,
                                 union_mandate_months=union_mandate_months, currency=currency)
    emit(view.to_dict(), as_json,
          f"dispute {view.dispute_id} with {view.employer} opened ({', '.join(view.council_ids)});"
          f" ballots now under {view.rules_title} [{view.rules}]")


@app.command("list")
@handle_errors
def list_command(
    council: Annotated[str | None, typer.Option("--council")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Every dispute: employer, councils, status, strikers on the roster, rule set."""
    views = services.list_disputes(open_uow(db), moment(at), council)
    if as_json:
        emit([v.to_dict() for v in views], True, "")
        return
    table = Table("dispute", "employer", "councils", "status", "strikers", "rules")
    for v in views:
        table.add_row(v.dispute_id, v.employer, ", ".join(v.council_ids), v.status,
                      str(v.strikers), v.rules)
    console.print(table)


def _print_detail(d: DisputeDetail) -> None:
    v = d.dispute
    console.print(f"dispute {v.dispute_id} with {v.employer} ({v.status}); councils "
                  f"{', '.join(v.council_ids)}; {v.jurisdiction}, sector {v.sector}",
                  highlight=False, markup=False)
    for i, demand in enumerate(v.demands, start=1):
        console.print(f"  demand {i}: {demand}", highlight=False, markup=False)
    console.print(f"  ballots now under {v.rules_title} [{v.rules}]", highlight=False,
                  markup=False)
    console.print(f"  roster: {d.roster.size} on strike (sha256 {d.roster.sha256})",
                  highlight=False)
    committee = Table("seat", "title", "holder", "term end", "on roster", title="committee")
    for s in d.committee:
        committee.add_row(s.seat_id, s.title, s.holder_id or "(vacant)",
                          f"{s.term_end:%Y-%m-%d}" if s.term_end else "",
                          "" if s.holder_on_roster is None
                          else ("yes" if s.holder_on_roster else "NO"))
    console.print(committee)
    _print_offers(d.offers)
    _print_ballots(d.ballots)
    mandates = Table("ballot", "form", "date of ballot", "last day", "status", title="mandates")
    for m in d.mandates:
        mandates.add_row(m.ballot_id, m.form, str(m.date_of_ballot), str(m.last_day),
                         m.status + (" (extended)" if m.extended_at else ""))
    console.print(mandates)
    tz = zone(v.timezone)
    calls = Table("call", "form", "from", "until", "status",
                  title=f"calls to action ({v.timezone})")
    for c in d.calls:
        calls.add_row(c.call_id, c.form, f"{c.starts_at.astimezone(tz):%Y-%m-%d %H:%M}",
                      f"{c.ends_at.astimezone(tz):%Y-%m-%d %H:%M}", c.status)
    console.print(calls)
    for line in d.fund.lines:
        console.print(f"  {line}", highlight=False, markup=False)
    if d.settlement is not None:
        st = d.settlement
        console.print(f"  settled {st.settled_at:%Y-%m-%d} on offer {st.offer_id}, accepted by "
                      f"the strikers in ballot {st.ballot_id}", highlight=False)


@app.command("show")
@handle_errors
def show_command(
    dispute_id: Annotated[str, typer.Argument()],
    weeks: Annotated[int, typer.Option("--weeks", help="runway window in weeks")] = 4,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """One dispute: demands, roster, committee, offers, ballots, mandates, calls, fund."""
    detail = services.show_dispute(open_uow(db), dispute_id, moment(at), window_weeks=weeks)
    if as_json:
        emit(detail.to_dict(), True, "")
    else:
        _print_detail(detail)


@app.command("settle")
@handle_errors
def settle_command(
    dispute_id: Annotated[str, typer.Argument()],
    offer: Annotated[str, typer.Option("--offer", help="the offer the strikers accepted")],
    ballot: Annotated[str | None, typer.Option(
        "--ballot", help="the strikers' ballot that accepted it (default: the latest)")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Record the settlement on an offer: refused unless a strikers' ballot accepted it."""
    view = services.settle(open_uow(db), dispute_id, offer, moment(at), ballot_id=ballot)
    emit(view.to_dict(), as_json,
          f"dispute {dispute_id} settled on offer {view.offer_id} (accepted in ballot "
          f"{view.ballot_id}; terms sha256 {view.terms_sha256})")


@app.command("rules")
@handle_errors
def rules_command(
    jurisdiction: Annotated[str | None, typer.Option("--jurisdiction")] = None,
    sector: Annotated[str | None, typer.Option("--sector")] = None,
    on: Annotated[str | None, typer.Option("--on", help="a ballot's opening date")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The legal threshold rule sets; with --jurisdiction, --sector and --on the one in force."""
    day = None if on is None else _day(on, "--on")
    if (day is not None or sector is not None) and (jurisdiction is None or sector is None
                                                    or day is None):
        raise InvalidInput("name --jurisdiction, --sector and --on together to choose one")
    views = services.rule_sets(jurisdiction, sector, day)
    if as_json:
        emit([v.to_dict() for v in views], True, "")
        return
    for v in views:
        typer.echo(f"{v.key}: {v.title}\n  {v.jurisdiction}, {v.sectors}; {v.dates}\n"
                   f"  action ballots: {v.action_rule}\n  offers and settlements: "
                   f"{v.internal_rule}\n  mandate: {v.mandate}\n  notice: {v.notice}\n"
                   f"  source: {v.source}"
                   + "".join(f"\n  note: {n}" for n in v.notes))


# -- the roster ----------------------------------------------------------------------------


def _roster_text(view: RosterView, verb: str) -> str:
    return (f"{verb}; {view.size} on strike in {view.dispute_id} (roster sha256 "
            f"{view.sha256[:16]}...)")


def _roster_command(kind: str, verb: str, dispute_id: str, members: list[str],
                    db: str | None, at: str | None, as_json: bool) -> None:
    view = record_roster_change(open_uow(db), dispute_id, members, kind, moment(at))
    emit(view.to_dict(), as_json, _roster_text(view, f"{', '.join(members)} {verb}"))


@roster_app.command("join")
@handle_errors
def roster_join(dispute_id: Annotated[str, typer.Argument()], members: MemberArgs,
                db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Members of the dispute's councils are called out (all or none recorded)."""
    _roster_command("joined", "joined the strike", dispute_id, members, db, at, as_json)


@roster_app.command("return")
@handle_errors
def roster_return(dispute_id: Annotated[str, typer.Argument()], members: MemberArgs,
                  db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Strikers returned to work: off the roster."""
    _roster_command("returned", "returned to work", dispute_id, members, db, at, as_json)


@roster_app.command("dismiss")
@handle_errors
def roster_dismiss(dispute_id: Annotated[str, typer.Argument()], members: MemberArgs,
                   db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """The employer dismissed strikers: off the roster until reinstated."""
    _roster_command("dismissed", "dismissed", dispute_id, members, db, at, as_json)


@roster_app.command("reinstate")
@handle_errors
def roster_reinstate(dispute_id: Annotated[str, typer.Argument()], members: MemberArgs,
                     db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Dismissed strikers taken back: on the roster again."""
    _roster_command("reinstated", "reinstated", dispute_id, members, db, at, as_json)


@roster_app.command("show")
@handle_errors
def roster_show(
    dispute_id: Annotated[str, typer.Argument()],
    history: Annotated[bool, typer.Option("--history", help="every roster event too")] = False,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """The roster at --at: who is on strike, and everybody ever on it."""
    view = services.roster_of(open_uow(db), dispute_id, moment(at))
    if as_json:
        emit(view.to_dict(), True, "")
        return
    table = Table("member", "name", "status", "since", title=f"roster of {dispute_id}: "
                  f"{view.size} on strike, sha256 {view.sha256[:16]}...")
    for m in view.members:
        table.add_row(m.member_id, m.name, m.status, f"{m.since:%Y-%m-%d %H:%M}")
    console.print(table)
    if history:
        for e in view.events:
            typer.echo(f"{e.sequence:>5}  {e.at:%Y-%m-%d %H:%M}  {e.member_id} {e.kind}")


# -- the committee ----------------------------------------------------------------------------


@committee_app.command("seat")
@handle_errors
def committee_seat(
    dispute_id: Annotated[str, typer.Argument()],
    seat_id: Annotated[str, typer.Argument(help="an id for the seat")],
    title: Annotated[str, typer.Argument()],
    term_days: Annotated[int, typer.Option("--term-days", help="fixed term length")] = 90,
    lead_days: Annotated[int, typer.Option(
        "--lead-days", help="the next election falls due this long before a term ends")] = 14,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Define a seat on the strike committee (fixed term, elected by the strikers)."""
    view = services.define_committee_seat(open_uow(db), dispute_id, seat_id, title, moment(at),
                                          term_length=timedelta(days=term_days),
                                          election_lead=timedelta(days=lead_days))
    emit(view.to_dict(), as_json, f"committee seat {seat_id} of {dispute_id} defined "
          f"({term_days}-day term)")


@committee_app.command("election")
@handle_errors
def committee_election(
    dispute_id: Annotated[str, typer.Argument()],
    seats: Annotated[list[str], typer.Argument(help="the committee seat(s) to fill")],
    candidates: Annotated[str, typer.Option("--candidates", help="comma-separated strikers")],
    days: Annotated[float, typer.Option("--days", help="voting runs this many days")] = 7.0,
    method: Annotated[Method, typer.Option("--method", help="counting method")] = DEFAULT_METHOD,
    ballot_id: Annotated[str | None, typer.Option("--ballot-id")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open the election of committee seats: the strikers elect from among themselves."""
    now = moment(at)
    names = [c.strip() for c in candidates.split(",") if c.strip()]
    view = services.open_committee_election(open_uow(db), dispute_id, seats, names, now,
                                            now + timedelta(days=days), method=method.value,
                                            ballot_id=ballot_id)
    emit(view.to_dict(), as_json,
          f"committee election {view.ballot_id} open until {view.closes_at:%Y-%m-%d %H:%M} UTC;"
          f" electorate: {view.electorate_size} strikers, sha256 {view.electorate_hash}\n"
          f"cast with: councilplan council election cast {view.ballot_id} MEMBER RANKING...")


@committee_app.command("show")
@handle_errors
def committee_show(dispute_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                   at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """The committee's seats and who holds them (and whether they are still strikers)."""
    detail = services.show_dispute(open_uow(db), dispute_id, moment(at))
    if as_json:
        emit([s.to_dict() for s in detail.committee], True, "")
        return
    table = Table("seat", "title", "holder", "mandate", "term end", "on roster")
    for s in detail.committee:
        table.add_row(s.seat_id, s.title, s.holder_id or "(vacant)", s.mandate_id or "",
                      f"{s.term_end:%Y-%m-%d}" if s.term_end else "",
                      "" if s.holder_on_roster is None else str(s.holder_on_roster).lower())
    console.print(table)


@committee_app.command("recall")
@handle_errors
def committee_recall(
    mandate_id: Annotated[str, typer.Argument(help="the committee member's mandate")],
    by: Annotated[str, typer.Option("--by", help="the striker opening the petition")],
    threshold: Annotated[str, typer.Option(
        "--threshold", help="share of the strikers that must sign")] = "1/10",
    window_days: Annotated[int, typer.Option("--window-days")] = 42,
    petition_id: Annotated[str | None, typer.Option("--petition-id")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open a petition to recall a committee member; the strikers sign it."""
    open_petition(db, at, mandate_id, by, threshold, window_days, petition_id, as_json,
                  strikers=True)


@committee_app.command("sign")
@handle_errors
def committee_sign(
    petition_id: Annotated[str, typer.Argument()],
    member_id: Annotated[str, typer.Argument()],
    ballot_days: Annotated[float, typer.Option("--ballot-days")] = 7.0,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Sign a recall petition; at the threshold the strikers' recall ballot opens."""
    sign_petition(db, at, petition_id, member_id, ballot_days, as_json)


# -- offers ---------------------------------------------------------------------------------


def _print_offers(offers: tuple[OfferView, ...]) -> None:
    table = Table("offer", "received", "summary", "status", "published to", title="offers")
    for o in offers:
        table.add_row(o.offer_id, f"{o.received_at:%Y-%m-%d %H:%M}", o.summary, o.status,
                      str(o.published_to))
    console.print(table)


@offer_app.command("record")
@handle_errors
def offer_record(
    dispute_id: Annotated[str, typer.Argument()],
    summary: Annotated[str, typer.Option("--summary", help="a summary for the strikers")],
    text: Annotated[str | None, typer.Option("--text", help="the offer's full text")] = None,
    text_file: Annotated[Path | None, typer.Option(
        "--text-file", help="a UTF-8 file holding the full text")] = None,
    received: Annotated[str | None, typer.Option(
        "--received", help="when it arrived, ISO-8601 (default: --at)")] = None,
    by: Annotated[str | None, typer.Option("--by", help="who recorded it")] = None,
    offer_id: Annotated[str | None, typer.Option("--offer-id")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Record an employer's offer as it arrived and publish it to every striker."""
    if (text is None) == (text_file is None):
        raise InvalidInput("give the offer's full text with --text or --text-file (one)")
    if text_file is not None:
        try:
            text = text_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput("the offer's text cannot be read",
                               [Problem(str(text_file), str(exc))]) from None
    assert text is not None
    now = moment(at)
    view = services.record_employer_offer(
        open_uow(db), dispute_id, text, summary, now,
        received_at=None if received is None else moment(received), recorded_by=by,
        offer_id=offer_id)
    emit(view.to_dict(), as_json,
          f"offer {view.offer_id} recorded and published to {view.published_to} strikers "
          f"(text sha256 {view.text_sha256})")


@offer_app.command("list")
@handle_errors
def offer_list(dispute_id: Annotated[str, typer.Argument()], db: DbOpt = None,
               as_json: JsonOpt = False) -> None:
    """The dispute's offers in the order they arrived."""
    views = services.list_offers(open_uow(db), dispute_id)
    if as_json:
        emit([v.to_dict() for v in views], True, "")
    else:
        _print_offers(views)


@offer_app.command("show")
@handle_errors
def offer_show(offer_id: Annotated[str, typer.Argument()], db: DbOpt = None,
               as_json: JsonOpt = False) -> None:
    """One offer: summary, full text, status and the ballot that decided it."""
    o = services.show_offer(open_uow(db), offer_id)
    decided = (f"{o.status} by ballot {o.ballot_id} at {o.decided_at:%Y-%m-%d %H:%M}"
               if o.decided_at else o.status)
    emit(o.to_dict(), as_json,
          f"offer {o.offer_id} in dispute {o.dispute_id}, received "
          f"{o.received_at:%Y-%m-%d %H:%M} UTC: {decided}; published to {o.published_to} "
          f"strikers\nsummary: {o.summary}\ntext (sha256 {o.text_sha256}):\n{o.text}")


# -- strikers' ballots ---------------------------------------------------------------------


def _print_ballots(ballots: tuple[StrikeBallotView, ...]) -> None:
    table = Table("ballot", "kind", "form / offer", "rules", "status", "result",
                  title="strikers' ballots")
    for b in ballots:
        result = "" if b.passed is None else ("carried" if b.passed else "not carried")
        table.add_row(b.ballot_id, b.kind, b.form or b.offer_id or "", b.rules, b.status,
                      result)
    console.print(table)


def _ballot_text(b: StrikeBallotView) -> str:
    v = b.ballot
    return "\n".join([
        f"strikers' ballot {b.ballot_id} ({b.kind}) in {b.dispute_id}: {b.status}",
        f"  question: {v.question}",
        f"  rules: {b.rules_title} [{b.rules}]: {v.rule}",
        f"  {v.opens_at:%Y-%m-%d %H:%M} .. {v.closes_at:%Y-%m-%d %H:%M} UTC",
        f"  electorate (the roster at opening): {v.electorate_size} strikers, sha256 "
        f"{v.electorate_hash}",
        f"  cast with: councilplan dispute ballot cast {b.ballot_id} MEMBER yes|no|spoilt",
    ])


@ballot_app.command("open")
@handle_errors
def ballot_open(
    dispute_id: Annotated[str, typer.Argument()],
    kind: Annotated[StrikeBallotKind, typer.Option("--kind", help="what the ballot decides")],
    form: Annotated[ActionForm | None, typer.Option(
        "--form", help="action and continue ballots: strike or short_of_strike")] = None,
    offer: Annotated[str | None, typer.Option(
        "--offer", help="offer and settle ballots: the offer")] = None,
    days: Annotated[float, typer.Option("--days", help="voting runs this many days")] = 14.0,
    ballot_id: Annotated[str | None, typer.Option("--ballot-id")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open a strikers' ballot on the roster as it stands (frozen and hashed)."""
    now = moment(at)
    view = services.open_strike_ballot(open_uow(db), dispute_id, kind, now,
                                       now + timedelta(days=days), form=form, offer_id=offer,
                                       ballot_id=ballot_id)
    emit(view.to_dict(), as_json, _ballot_text(view))


@ballot_app.command("cast")
@handle_errors
def ballot_cast(
    ballot_id: Annotated[str, typer.Argument()],
    member_id: Annotated[str, typer.Argument()],
    choice: Annotated[str, typer.Argument(help="yes, no or spoilt")],
    replace: Annotated[str | None, typer.Option(
        "--replace", help="the receipt token of your last vote: this vote replaces it")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Cast a striker's vote; prints the receipt token -- keep it secret."""
    receipt = services.cast_vote(open_uow(db), ballot_id, member_id, choice.strip().lower(),
                                 moment(at), previous=replace)
    emit({"ballot_id": ballot_id, "receipt_token": receipt.token_hex, "code": receipt.code},
          as_json,
          f"vote cast in {ballot_id}\nreceipt token (keep it secret): {receipt.token_hex}\n"
          f"receipt code (appears in the published ballots): {receipt.code}")


@ballot_app.command("close")
@handle_errors
def ballot_close(ballot_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                 at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Close a strikers' ballot at or after its closing time: count it, publish the notice."""
    uow = open_uow(db)
    services.close_ballot(uow, ballot_id, moment(at))
    notice = services.results_notice(uow, ballot_id)
    emit(notice.to_dict(), as_json, notice.statement)


@ballot_app.command("notice")
@handle_errors
def ballot_notice(ballot_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                  as_json: JsonOpt = False) -> None:
    """The results notice: entitled, cast, yes, no, spoilt, turnout, each threshold met or
    missed, and when the mandate expires."""
    notice = services.results_notice(open_uow(db), ballot_id)
    emit(notice.to_dict(), as_json, notice.statement)


@ballot_app.command("show")
@handle_errors
def ballot_show(ballot_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                as_json: JsonOpt = False) -> None:
    """A strikers' ballot: question, rule set, electorate hash and size, status."""
    view = services.show_strike_ballot(open_uow(db), ballot_id)
    emit(view.to_dict(), as_json, _ballot_text(view))


# -- mandates and action ---------------------------------------------------------------------


@mandate_app.command("extend")
@handle_errors
def mandate_extend(ballot_id: Annotated[str, typer.Argument(help="the ballot that granted it")],
                   db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Record the employer's agreement to the longer mandate (before it expires)."""
    view = services.extend_mandate(open_uow(db), ballot_id, moment(at))
    emit(view.to_dict(), as_json, f"mandate of ballot {ballot_id} extended by agreement: "
          f"action up to and including {view.last_day}")


@action_app.command("call")
@handle_errors
def action_call(
    dispute_id: Annotated[str, typer.Argument()],
    form: Annotated[ActionForm, typer.Option("--form", help="strike or short_of_strike")],
    first: Annotated[str, typer.Option("--from", help="first day of action, YYYY-MM-DD")],
    last: Annotated[str, typer.Option("--to", help="last day of action, YYYY-MM-DD")],
    notice_agreed: Annotated[bool, typer.Option(
        "--notice-agreed", help="the employer agreed to the shorter notice")] = False,
    call_id: Annotated[str | None, typer.Option("--call-id")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Call the strikers out for whole days: refused without a mandate in force."""
    view = services.call_action_days(open_uow(db), dispute_id, form, _day(first, "--from"),
                                     _day(last, "--to"), moment(at),
                                     notice_agreed=notice_agreed, call_id=call_id)
    emit(view.to_dict(), as_json,
          f"{form.words} called from {first} to {last} ({view.call_id}) under the mandate of "
          f"ballot {view.ballot_id}")


# -- the strike fund --------------------------------------------------------------------------


@fund_app.command("contribute")
@handle_errors
def fund_contribute(
    dispute_id: Annotated[str, typer.Argument()],
    amount: Annotated[str, typer.Argument(help="e.g. 2500.00")],
    source: Annotated[str, typer.Option("--source", help="where the money came from")],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Money into the strike fund."""
    view = services.contribute(open_uow(db), dispute_id, money(amount, "AMOUNT"), source,
                               moment(at))
    emit(view.to_dict(), as_json, f"{view.amount} into the strike fund of {dispute_id}")


@fund_app.command("pay")
@handle_errors
def fund_pay(
    dispute_id: Annotated[str, typer.Argument()],
    member_id: Annotated[str, typer.Argument()],
    period: Annotated[str, typer.Argument(
        help="2025-W15 (ISO week), 2025-04 (month), 2025-04-07 or 2025-04-07..2025-04-11")],
    amount: Annotated[str, typer.Argument(help="e.g. 60.00")],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Strike pay to a striker for a period (once per period, never beyond the fund)."""
    view = services.pay_strike_pay(open_uow(db), dispute_id, member_id, period,
                                   money(amount, "AMOUNT"), moment(at))
    emit(view.to_dict(), as_json, f"{view.amount} strike pay to {member_id} for {view.period}")


@fund_app.command("pay-all")
@handle_errors
def fund_pay_all(
    dispute_id: Annotated[str, typer.Argument()],
    period: Annotated[str, typer.Argument(help="the period, e.g. 2025-W15")],
    amount: Annotated[str, typer.Argument(help="to each striker, e.g. 60.00")],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Strike pay for a period to every striker on the roster in it not yet paid for it."""
    view = services.pay_strike_pay_run(open_uow(db), dispute_id, period,
                                       money(amount, "AMOUNT"), moment(at))
    text = (f"{view.amount} strike pay for {view.period} to {len(view.paid)} strikers: "
            f"{view.total} in all")
    if view.skipped:
        text += f"; {len(view.skipped)} paid for it already: {', '.join(view.skipped)}"
    emit(view.to_dict(), as_json, text)


@fund_app.command("runway")
@handle_errors
def fund_runway(
    dispute_id: Annotated[str, typer.Argument()],
    weeks: Annotated[int, typer.Option("--weeks", help="the recent window, in weeks")] = 4,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """The fund's balance, recent weekly outflow and runway (balance / weekly outflow)."""
    view = services.fund_of(open_uow(db), dispute_id, moment(at), window_weeks=weeks)
    emit(view.to_dict(), as_json, "\n".join(view.lines))
