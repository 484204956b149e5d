"""Motions and amendments: a council's motions, tabling one, one motion with its
amendments and ballots, proposing an amendment, putting an amendment or the motion to
the vote (its council's officers or its proposer)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import Response

from councilplan import services
from councilplan.api import actions
from councilplan.api.deps import Now, UoW
from councilplan.api.schemas import IdPath
from councilplan.api.web.pages import _fields as fields
from councilplan.api.web.pages._forms import page_router, refused, signed_in
from councilplan.api.web.pages.councils import council_context
from councilplan.api.web.render import page, redirect
from councilplan.councils.motion import Motion
from councilplan.errors import CouncilplanError, InvalidInput, Problem

__all__ = ["router"]

router = page_router()

MAX_TEXT = 20_000
_NEW_AMENDMENT = re.compile(r"am-[0-9a-f]{16}")  # services.ids.new_id("am")


def motions_context(request: Request, uow: UoW, now: Now, council_id: str) -> dict[str, Any]:
    me = signed_in(request)
    detail = actions.see_council(me, uow, council_id, now)
    motions = services.list_motions(uow, council_id)
    return {"council": detail.council, "motions": motions,
            "names": services.member_names(uow, {m.proposed_by for m in motions}),
            "constituent": me.is_constituent(council_id)}


@router.get("/councils/{council_id}/motions")
def council_motions(request: Request, council_id: IdPath, uow: UoW, now: Now) -> Response:
    return page(request, "motions.html", motions_context(request, uow, now, council_id))


def _text(value: str, field: str, *, required: bool) -> str:
    text = value.replace("\r\n", "\n").strip()
    if required and not text:
        raise InvalidInput("the text is missing", [Problem(field, "write the text")])
    if len(text) > MAX_TEXT:
        raise InvalidInput("the text is too long", [Problem(field, f"at most {MAX_TEXT} "
                                                         "characters")])
    return text


@router.post("/councils/{council_id}/motions")
def table_motion(request: Request, council_id: IdPath, uow: UoW, now: Now,
                 text: Annotated[str, Form(max_length=MAX_TEXT + 1000)] = "",
                 back: Annotated[str, Form(max_length=16)] = "") -> Response:
    """Table a motion from the council page (``back=council``) or the motions page."""
    me = signed_in(request)
    try:
        motion = actions.table_motion(me, uow, council_id, _text(text, "text", required=True),
                                      now)
    except CouncilplanError as exc:
        if back == "council":
            return refused(request, exc, "council.html",
                           lambda: council_context(request, uow, now, council_id, None), "motion",
                           values={"text": text})
        return refused(request, exc, "motions.html",
                       lambda: motions_context(request, uow, now, council_id), "motion",
                       values={"text": text})
    return redirect(f"/motions/{motion.motion_id}")


def _ballots_on(uow: UoW, motion: Motion) -> dict[str, Any]:
    """The ballots on the motion (key: the motion id) and its amendments (their ids)."""
    out: dict[str, Any] = {}
    for b in services.list_ballots(uow, motion.council_id):
        subject = b.subject_id or ""
        mid, _, aid = subject.partition("#")
        if mid == motion.motion_id:
            out[aid or mid] = b  # the latest one wins
    return out


def motion_context(request: Request, uow: UoW, now: Now, motion_id: str) -> dict[str, Any]:
    me = signed_in(request)
    motion = actions.see_motion(me, uow, motion_id)
    council = next(c for c in actions.my_councils(me, uow) if c.council_id == motion.council_id)
    people = {motion.proposed_by, *(a.proposed_by for a in motion.amendments)}
    ballots = _ballots_on(uow, motion)
    tabled = motion.status.value == "tabled"
    return {
        "motion": motion, "council": council, "names": services.member_names(uow, people),
        "ballots": ballots,
        "open_subjects": {k for k, b in ballots.items() if b.status != "closed"},
        "may_amend": tabled and me.is_constituent(motion.council_id),
        "may_put": tabled and (me.runs(motion.council_id) or motion.proposed_by == me.member_id),
    }


@router.get("/motions/{motion_id}")
def motion(request: Request, motion_id: IdPath, uow: UoW, now: Now) -> Response:
    return page(request, "motion.html", motion_context(request, uow, now, motion_id))


@router.post("/motions/{motion_id}/amendments")
def amend(request: Request, motion_id: IdPath, uow: UoW, now: Now,
          old_text: Annotated[str, Form(max_length=MAX_TEXT + 1000)] = "",
          new_text: Annotated[str, Form(max_length=MAX_TEXT + 1000)] = "") -> Response:
    """``old_text`` empty: the amendment replaces the whole text (then ``new_text`` is
    needed); otherwise it replaces that fragment (an empty ``new_text`` deletes it)."""
    me = signed_in(request)
    try:
        old = _text(old_text, "old_text", required=False) or None
        new = _text(new_text, "new_text", required=old is None)
        actions.amend_motion(me, uow, motion_id, old, new, now)
    except CouncilplanError as exc:
        _name_the_text(exc)
        return refused(request, exc, "motion.html",
                       lambda: motion_context(request, uow, now, motion_id), "amend",
                       values={"old_text": old_text, "new_text": new_text})
    return redirect(f"/motions/{motion_id}#amendments")


def _name_the_text(exc: CouncilplanError) -> None:
    """The rules name the new amendment (its fresh id) where its text is at fault (it does
    not occur once in the motion, or changes nothing): the form calls that "old_text"."""
    exc.problems = tuple(Problem("old_text", p.message) if _NEW_AMENDMENT.fullmatch(p.where)
                         else p for p in exc.problems)


@router.post("/motions/{motion_id}/ballot")
def motion_ballot(request: Request, motion_id: IdPath, uow: UoW, now: Now,
                  days: Annotated[str, Form(max_length=16)] = "7",
                  amendment_id: Annotated[str, Form(max_length=64)] = "",
                  back: Annotated[str, Form(max_length=16)] = "") -> Response:
    """Put an amendment (``amendment_id``) or, once none is pending, the motion to a
    yes/no ballot of the council's constituency."""
    me = signed_in(request)
    found = actions.see_motion(me, uow, motion_id)
    form = f"ballot-{amendment_id or motion_id}"
    try:
        view = actions.open_motion_ballot(me, uow, motion_id, now, days=fields.days(days),
                                          amendment_id=amendment_id.strip() or None)
    except CouncilplanError as exc:
        if back == "council":
            return refused(request, exc, "council.html",
                           lambda: council_context(request, uow, now, found.council_id, None),
                           f"motion-{motion_id}")
        return refused(request, exc, "motion.html",
                       lambda: motion_context(request, uow, now, motion_id), form)
    return redirect(f"/ballots/{view.ballot_id}")

