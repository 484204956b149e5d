"""Ballot papers: what a vote looks like for each counting method, in canonical text.

=========================  ==============================================
``yes-no``                 one of ``"yes"``, ``"no"``, ``"abstain"``
ranked methods             a ranking: distinct options, best first, >= 1
(``scottish-stv``,
``meek``, ``irv``,
``schulze[-wv]``,
``ranked-pairs[-wv]``)
``approval``               the options approved: distinct, >= 1 (stored
                           sorted, so the paper shows no marking order)
``yes-no-spoilt``          a strikers' ballot: ``"yes"``, ``"no"`` or
                           ``"spoilt"`` (returned, counted in the turnout,
                           neither yes nor no; no abstention)
=========================  ==============================================

The stored paper is canonical JSON (``"yes"``, ``["b","a"]``): one text per
paper, the same bytes whoever cast it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from councilplan.councils.counting import Choice, Method
from councilplan.councils.strike_ballot import SPOILT, STRIKE_METHOD
from councilplan.errors import InvalidInput, Problem, quoted
from councilplan.store.types import canonical_text

__all__ = ["KNOWN_METHODS", "STRIKE_CHOICES", "YES_NO", "canonical_paper", "read_paper"]

YES_NO = "yes-no"
KNOWN_METHODS = frozenset({YES_NO, STRIKE_METHOD, *(m.value for m in Method)})
STRIKE_CHOICES = ("yes", "no", SPOILT)



def _refused(message: str) -> InvalidInput:
    return InvalidInput("not a valid paper", [Problem("choice", message)])


def canonical_paper(method: str, options: Sequence[str], choice: Any) -> str:
    """The canonical text of a valid paper; :class:`InvalidInput` naming what is wrong
    (always the field ``choice``), whatever ``choice`` is."""
    if method == YES_NO:
        if not isinstance(choice, str) or choice not in {c.value for c in Choice}:
            raise _refused(f"yes, no or abstain, not {quoted(choice)}")
        return canonical_text(choice)
    if method == STRIKE_METHOD:
        if not isinstance(choice, str) or choice not in STRIKE_CHOICES:
            raise _refused(f"yes, no or spoilt, not {quoted(choice)}")
        return canonical_text(choice)
    if isinstance(choice, str):
        choice = [choice]
    if (isinstance(choice, bytes | bytearray | memoryview) or not isinstance(choice, Sequence)
            or not choice):
        raise _refused("mark at least one option (a list of the options' names)")
    if len(choice) > len(options):
        raise _refused(f"{len(choice)} marks, but the ballot has {len(options)} options")
    marks = list(choice)
    known = set(options)
    problems = [Problem("choice", f"{quoted(m)} is not an option of this ballot")
                for m in marks if not isinstance(m, str) or m not in known]
    names = [m for m in marks if isinstance(m, str)]
    if len(set(names)) != len(names):
        problems.append(Problem("choice", "an option is marked more than once"))
    if problems:
        raise InvalidInput("not a valid paper", problems)
    if method == Method.APPROVAL.value:
        marks = sorted(marks, key=list(options).index)
    return canonical_text(marks)


def read_paper(text: str) -> Any:
    """A stored paper back as data (``"yes"`` or a list of options)."""
    return json.loads(text)
