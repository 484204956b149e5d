"""``councilplan council ...``: form councils, admit members, elect, recall, set pay.

Every command takes ``--db`` (see ``councilplan db``) and ``--at`` (the time of the
action; default now). Commands only translate arguments into service calls and
views into lines, tables or ``--json``; the rules are in the services and cores.

    councilplan council create area "Riverside area council" --kind area
    councilplan council create mill "Mill workers' council" --kind workplace --parent area
    councilplan council admit mill w01 --name "Ada"
    councilplan council seat mill mill/delegate "Delegate to Riverside" --delegate-to area
    councilplan council election open mill/delegate --candidates w01,w02,w03 --days 7
    councilplan council election cast BALLOT w05 w02 w01          # a ranking
    councilplan council election cast BALLOT w05 w03 --replace TOKEN
    councilplan council election close BALLOT
    councilplan council election count BALLOT --json
    councilplan council wage w05 2025-03 2450.00
    councilplan council pay set MANDATE 2025-03 2400.00
    councilplan council recall open MANDATE --by w05
    councilplan council recall sign PETITION w06
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from councilplan import services
from councilplan.cli.db import AtOpt, DbOpt, JsonOpt, emit, moment, money, open_uow
from councilplan.cli.errors import handle_errors
from councilplan.cli.recall import open_petition, sign_petition
from councilplan.councils.council import CouncilKind
from councilplan.councils.counting import DEFAULT_METHOD, Method
from councilplan.councils.strike_ballot import STRIKE_METHOD
from councilplan.services.papers import YES_NO
from councilplan.services.views import BallotView

__all__ = ["app"]

app = typer.Typer(help="Councils: form them, admit members, elect, recall, cap pay.",
                  no_args_is_help=True)
election_app = typer.Typer(help="Elections and ballots: open, cast, close, count, verify.",
                           no_args_is_help=True)
recall_app = typer.Typer(help="The right of recall: petitions and recall ballots.",
                         no_args_is_help=True)
pay_app = typer.Typer(help="The pay rule: officials paid at most their constituents' average.",
                      no_args_is_help=True)
app.add_typer(election_app, name="election")
app.add_typer(recall_app, name="recall")
app.add_typer(pay_app, name="pay")

console = Console()


# -- councils and members -------------------------------------------------------------


@app.command("create")
@handle_errors
def create(
    council_id: Annotated[str, typer.Argument(help="an id for the council (e.g. mill)")],
    name: Annotated[str, typer.Argument(help="its name")],
    kind: Annotated[CouncilKind, typer.Option("--kind", help="what it federates")],
    parent: Annotated[str | None, typer.Option("--parent", help="the council above")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Form a council (a parent ranks above its child: workplace < area < regional ...)."""
    view = services.create_council(open_uow(db), council_id, name, kind, moment(at),
                                   parent_id=parent)
    emit(view.to_dict(), as_json, f"council {view.council_id} ({view.kind}) formed"
          + (f" under {view.parent_id}" if view.parent_id else ""))


@app.command("admit")
@handle_errors
def admit(
    council_id: Annotated[str, typer.Argument()],
    member_id: Annotated[str, typer.Argument(help="the member's id")],
    name: Annotated[str | None, typer.Option("--name", help="display name (new member)")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Admit a member (their workplace council first)."""
    view = services.admit_member(open_uow(db), member_id, council_id, moment(at), name=name)
    emit(view.to_dict(), as_json, f"{member_id} admitted to {council_id}")


@app.command("leave")
@handle_errors
def leave(
    council_id: Annotated[str, typer.Argument()],
    member_id: Annotated[str, typer.Argument()],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """A member leaves a council (their workplace council last)."""
    view = services.leave_council(open_uow(db), member_id, council_id, moment(at))
    emit(view.to_dict(), as_json, f"{member_id} left {council_id}")


@app.command("wage")
@handle_errors
def wage(
    member_id: Annotated[str, typer.Argument()],
    period: Annotated[str, typer.Argument(help="pay period label, e.g. 2025-03")],
    amount: Annotated[str, typer.Argument(help="what the member was paid, e.g. 2450.00")],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Report a member's wage for a pay period (once a period; the amount stays private)."""
    report = services.report_wage(open_uow(db), member_id, period, money(amount, "AMOUNT"),
                                  moment(at))
    emit({"member_id": report.member_id, "period": report.period}, as_json,
          f"wage of {member_id} for {period} reported")


@app.command("seat")
@handle_errors
def seat(
    council_id: Annotated[str, typer.Argument()],
    seat_id: Annotated[str, typer.Argument(help="an id for the seat")],
    title: Annotated[str, typer.Argument()],
    delegate_to: Annotated[str | None, typer.Option(
        "--delegate-to", help="a delegate seat to this (parent) council; else an office")] = None,
    term_days: Annotated[int, typer.Option("--term-days", help="fixed term length")] = 365,
    lead_days: Annotated[int, typer.Option(
        "--lead-days", help="the next election falls due this long before a term ends")] = 28,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Define an office of a council or a delegate seat to its parent council."""
    kind = "delegate" if delegate_to else "office"
    view = services.define_seat(open_uow(db), seat_id, council_id, title, kind, moment(at),
                                term_length=timedelta(days=term_days),
                                election_lead=timedelta(days=lead_days), delegate_to=delegate_to)
    emit(view.to_dict(), as_json, f"{kind} seat {seat_id} of {council_id} defined")


@app.command("list")
@handle_errors
def list_councils(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Every council: kind, parent, direct members and the constituency it represents."""
    views = services.list_councils(open_uow(db))
    if as_json:
        emit([v.to_dict() for v in views], True, "")
        return
    table = Table("council", "name", "kind", "parent", "members", "constituency")
    for v in views:
        table.add_row(v.council_id, v.name, v.kind, v.parent_id or "", str(v.members),
                      str(v.constituency))
    console.print(table)


@app.command("show")
@handle_errors
def show(
    council_id: Annotated[str, typer.Argument()],
    period: Annotated[str | None, typer.Option(
        "--period", help="show each mandate's pay cap for this pay period")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """One council: members, seats and holders, mandates with pay and cap, ballots,
    petitions and elections due."""
    detail = services.show_council(open_uow(db), council_id, moment(at), period=period)
    if as_json:
        emit(detail.to_dict(), True, "")
        return
    c = detail.council
    console.print(f"[bold]{c.name}[/] ({c.council_id}, {c.kind}"
                  + (f", under {c.parent_id}" if c.parent_id else "")
                  + f"): {c.members} members, constituency {c.constituency}")
    seats = Table("seat", "title", "kind", "holder", title="seats")
    for s in detail.seats:
        seats.add_row(s.seat_id, s.title, s.kind + (f" -> {s.delegate_to}" if s.delegate_to
                                                    else ""), s.holder_id or "(vacant)")
    console.print(seats)
    mandates = Table("mandate", "seat", "holder", "term", "status", "pay", "cap",
                     title="mandates")
    for m in detail.mandates:
        pay = m.pay[-1] if m.pay else None
        mandates.add_row(m.mandate_id, m.seat_id, m.holder_id,
                         f"{m.term_start:%Y-%m-%d} .. {m.term_end:%Y-%m-%d}", m.status,
                         f"{pay.amount} ({pay.period})" if pay else "",
                         str(m.cap.cap) if m.cap else "")
    console.print(mandates)
    _print_ballots(detail.ballots)
    for p in detail.petitions:
        console.print(f"petition {p.petition_id} against {p.mandate_id}: {p.signatures} of "
                      f"{p.required} signatures, {p.status}")
    for call in detail.elections_due:
        console.print(f"election due: {call.seat_id} ({call.reason}) since "
                      f"{call.due_at:%Y-%m-%d}")


@app.command("members")
@handle_errors
def members(council_id: Annotated[str, typer.Argument()], db: DbOpt = None,
            as_json: JsonOpt = False) -> None:
    """A council's direct members."""
    views = services.list_members(open_uow(db), council_id)
    if as_json:
        emit([v.to_dict() for v in views], True, "")
        return
    table = Table("member", "name", "councils")
    for v in views:
        table.add_row(v.member_id, v.name, ", ".join(v.councils))
    console.print(table)


@app.command("mandates")
@handle_errors
def mandates(
    council_id: Annotated[str, typer.Argument()],
    period: Annotated[str | None, typer.Option("--period", help="pay period for the cap")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """A council's mandates: terms, status, pay and cap."""
    views = services.list_mandates(open_uow(db), council_id, moment(at), period=period)
    if as_json:
        emit([v.to_dict() for v in views], True, "")
        return
    table = Table("mandate", "seat", "holder", "term start", "term end", "status", "pay", "cap")
    for m in views:
        pay = m.pay[-1] if m.pay else None
        table.add_row(m.mandate_id, m.seat_id, m.holder_id, f"{m.term_start:%Y-%m-%d %H:%M}",
                      f"{m.term_end:%Y-%m-%d %H:%M}", m.status,
                      f"{pay.amount} ({pay.period})" if pay else "",
                      str(m.cap.cap) if m.cap else "")
    console.print(table)


@app.command("tick")
@handle_errors
def tick(db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Record what time did: expired terms, failed and lapsed petitions, expired strikers'
    mandates; close the ballots whose closing time has come; list the elections due."""
    now = moment(at)
    uow = open_uow(db)
    closed = services.close_due_ballots(uow, now)
    report = services.tick(uow, now)
    data = {**report.to_dict(), "closed_ballots": [b.ballot_id for b in closed]}
    lines = [f"closed ballot {b.ballot_id}" for b in closed]
    lines += [f"term of mandate {m} expired" for m in report.expired_mandates]
    lines += [f"petition {p} failed" for p in report.failed_petitions]
    lines += [f"petition {p} lapsed" for p in report.lapsed_petitions]
    lines += [f"strikers' mandate of ballot {b} expired" for b in report.expired_action_mandates]
    lines += [f"election due: {c.seat_id} ({c.reason})" for c in report.elections_due]
    emit(data, as_json, "\n".join(lines) or "nothing to record")


# -- elections and ballots ------------------------------------------------------------


def _print_ballots(ballots: tuple[BallotView, ...]) -> None:
    table = Table("ballot", "purpose", "method", "status", "closes", "result", title="ballots")
    for b in ballots:
        result = ""
        if b.status == "closed":
            result = (", ".join(b.elected) if b.passed is None
                      else ("carried" if b.passed else "not carried"))
        table.add_row(b.ballot_id, b.purpose, b.method, b.status, f"{b.closes_at:%Y-%m-%d %H:%M}",
                      result)
    console.print(table)


def _ballot_lines(b: BallotView) -> str:
    lines = [f"ballot {b.ballot_id} ({b.purpose}, {b.method}): {b.status}",
             f"  question: {b.question}",
             f"  options: {', '.join(b.options)}",
             f"  {b.opens_at:%Y-%m-%d %H:%M} .. {b.closes_at:%Y-%m-%d %H:%M} UTC"
             + (f"; {b.rule}" if b.method in (YES_NO, STRIKE_METHOD) else ""),
             f"  electorate: {b.electorate_size} members, sha256 {b.electorate_hash}",
             f"  lot seed commitment: sha256 {b.seed_sha256}"]
    for cp in b.checkpoints:
        lines.append(f"  audit checkpoint at {cp['moment']}: size {cp['size']}, head "
                     f"{cp['head_hash']}")
    if b.status == "closed":
        lines.append(f"  papers: {b.papers}; box sha256 {b.box_sha256}; seed {b.seed}")
        if b.passed is not None:
            lines.append(f"  result: {'CARRIED' if b.passed else 'NOT CARRIED'}")
        else:
            lines.append(f"  elected: {', '.join(b.elected) or '(nobody)'}")
    return "\n".join(lines)


@election_app.command("open")
@handle_errors
def election_open(
    seats: Annotated[list[str], typer.Argument(help="the seat(s) to fill, of one council")],
    candidates: Annotated[str, typer.Option("--candidates",
                                            help="comma-separated member ids")],
    days: Annotated[float, typer.Option("--days", help="voting runs this many days")] = 7.0,
    method: Annotated[Method, typer.Option("--method", help="counting method")] = DEFAULT_METHOD,
    ballot_id: Annotated[str | None, typer.Option("--ballot-id")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open the election for seats that are due (Scottish STV by default)."""
    now = moment(at)
    names = [c.strip() for c in candidates.split(",") if c.strip()]
    view = services.open_election(open_uow(db), seats, names, now, now + timedelta(days=days),
                                  method=method.value, ballot_id=ballot_id)
    emit(view.to_dict(), as_json, _ballot_lines(view))


@election_app.command("cast")
@handle_errors
def election_cast(
    ballot_id: Annotated[str, typer.Argument()],
    member_id: Annotated[str, typer.Argument()],
    choice: Annotated[list[str], typer.Argument(
        help="ranked: the candidates in order of preference; approval: those approved; "
             "yes-no: yes, no or abstain; a strikers' ballot: yes, no or spoilt")],
    replace: Annotated[str | None, typer.Option(
        "--replace", help="the receipt token of your last vote: this vote replaces it")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Cast a vote; prints the receipt token -- keep it secret: it checks and replaces it."""
    uow = open_uow(db)
    paper: Any = choice
    method = services.show_ballot(uow, ballot_id).method
    if method in (YES_NO, STRIKE_METHOD):
        paper = choice[0] if len(choice) == 1 else choice
    receipt = services.cast_vote(uow, ballot_id, member_id, paper, moment(at), previous=replace)
    emit({"ballot_id": ballot_id, "receipt_token": receipt.token_hex, "code": receipt.code},
          as_json,
          f"vote cast in {ballot_id}\nreceipt token (keep it secret): {receipt.token_hex}\n"
          f"receipt code (appears in the published ballots): {receipt.code}")


@election_app.command("close")
@handle_errors
def election_close(
    ballot_id: Annotated[str, typer.Argument()],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Close a ballot at or after its closing time: seal, count, apply the result."""
    view = services.close_ballot(open_uow(db), ballot_id, moment(at))
    emit(view.to_dict(), as_json, _ballot_lines(view))


@election_app.command("count")
@handle_errors
def election_count(
    ballot_id: Annotated[str, typer.Argument()],
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Recount a closed ballot from its published papers: the elected and every stage."""
    count = services.count_ballot(open_uow(db), ballot_id)
    if as_json:
        emit({"elected": list(count.elected), "passed": count.passed,
               "stages": list(count.stages), "result": count.result,
               "matches_stored": count.matches_stored}, True, "")
        return
    if count.passed is not None:
        typer.echo(str(count.result.get("statement", "")))
    else:
        for stage in count.stages:
            votes = ", ".join(f"{c} {v}" for c, v in stage.get("votes", {}).items())
            typer.echo(f"stage {stage['number']}: {stage['action']['description']}: {votes}")
        typer.echo(f"elected: {', '.join(count.elected) or '(nobody)'}")
    typer.echo("recount matches the declared result" if count.matches_stored
               else "RECOUNT DIFFERS from the declared result")


@election_app.command("show")
@handle_errors
def election_show(ballot_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                  as_json: JsonOpt = False) -> None:
    """A ballot: electorate hash and size, checkpoints, and the result after close."""
    view = services.show_ballot(open_uow(db), ballot_id)
    emit(view.to_dict(), as_json, _ballot_lines(view))


@election_app.command("list")
@handle_errors
def election_list(
    council: Annotated[str | None, typer.Option("--council")] = None,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Ballots with their status, and results after close."""
    views = services.list_ballots(open_uow(db), council)
    if as_json:
        emit([v.to_dict() for v in views], True, "")
    else:
        _print_ballots(views)


@election_app.command("verify")
@handle_errors
def election_verify(
    ballot_id: Annotated[str, typer.Argument()],
    token: Annotated[str, typer.Argument(help="your receipt token")],
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Did my vote count? Finds your paper by its receipt."""
    check = services.verify_receipt(open_uow(db), ballot_id, token)
    if check.counted:
        text = f"your paper is in the counted ballots of {ballot_id}: {check.paper}"
    elif check.found:
        text = f"your paper is in the ballot box of {ballot_id} (counted at the close)"
    else:
        text = f"NO paper of this receipt is in the ballot box of {ballot_id}"
    emit(check.to_dict(), as_json, text)
    if not check.found:
        raise typer.Exit(1)


@election_app.command("papers")
@handle_errors
def election_papers(ballot_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                    as_json: JsonOpt = False) -> None:
    """The anonymised ballots of a closed ballot (receipt code, paper), for anyone to recount."""
    published = services.published_ballots(open_uow(db), ballot_id)
    if as_json:
        emit(published.to_dict(), True, "")
        return
    for code, paper in published.papers:
        typer.echo(f"{code}  {json.dumps(paper, ensure_ascii=False)}")
    typer.echo(f"{len(published.papers)} papers; sha256 {published.box_sha256}"
               + ("" if published.matches_sealed else " -- DIFFERS from the sealed box"))


# -- recall ---------------------------------------------------------------------------


@recall_app.command("open")
@handle_errors
def recall_open(
    mandate_id: Annotated[str, typer.Argument()],
    by: Annotated[str, typer.Option("--by", help="the constituent opening the petition")],
    threshold: Annotated[str, typer.Option(
        "--threshold", help="share of the constituency that must sign")] = "1/10",
    window_days: Annotated[int, typer.Option("--window-days",
                                             help="days to gather signatures")] = 42,
    petition_id: Annotated[str | None, typer.Option("--petition-id")] = None,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Open a petition to recall a mandate."""
    open_petition(db, at, mandate_id, by, threshold, window_days, petition_id, as_json)


@recall_app.command("sign")
@handle_errors
def recall_sign(
    petition_id: Annotated[str, typer.Argument()],
    member_id: Annotated[str, typer.Argument()],
    ballot_days: Annotated[float, typer.Option(
        "--ballot-days", help="the recall ballot, once the threshold is reached, runs this "
                              "many days")] = 7.0,
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Sign a recall petition; the signature reaching the threshold opens the recall ballot."""
    sign_petition(db, at, petition_id, member_id, ballot_days, as_json)


@recall_app.command("list")
@handle_errors
def recall_list(council_id: Annotated[str, typer.Argument()], db: DbOpt = None,
                at: AtOpt = None, as_json: JsonOpt = False) -> None:
    """Recall petitions against a council's mandates."""
    views = services.list_petitions(open_uow(db), council_id, moment(at))
    if as_json:
        emit([v.to_dict() for v in views], True, "")
        return
    table = Table("petition", "mandate", "signatures", "status", "closes", "ballot")
    for p in views:
        table.add_row(p.petition_id, p.mandate_id, f"{p.signatures}/{p.required}", p.status,
                      f"{p.closes_at:%Y-%m-%d}", p.ballot_id or "")
    console.print(table)


# -- pay ------------------------------------------------------------------------------


@pay_app.command("set")
@handle_errors
def pay_set(
    mandate_id: Annotated[str, typer.Argument()],
    period: Annotated[str, typer.Argument()],
    amount: Annotated[str, typer.Argument()],
    db: DbOpt = None, at: AtOpt = None, as_json: JsonOpt = False,
) -> None:
    """Set an official's pay for a period; refused above the cap (the average of those
    they represent)."""
    view = services.set_pay(open_uow(db), mandate_id, period, money(amount, "AMOUNT"),
                            moment(at))
    emit(view.to_dict(), as_json,
          f"pay of {mandate_id} for {period}: {view.amount} (cap {view.cap})")


@pay_app.command("cap")
@handle_errors
def pay_cap(
    mandate_id: Annotated[str, typer.Argument()],
    period: Annotated[str, typer.Argument()],
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """The cap on a mandate's pay for a period, and how it was computed."""
    view = services.pay_cap_for(open_uow(db), mandate_id, period)
    emit(view.to_dict(), as_json, view.explanation)
