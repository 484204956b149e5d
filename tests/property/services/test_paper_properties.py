"""Any paper a client can send is either a valid paper (and then canonical) or refused with
an InvalidInput naming the field ``choice`` -- never another exception, whatever its shape."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilplan.councils.strike_ballot import STRIKE_METHOD
from councilplan.errors import InvalidInput
from councilplan.services.papers import (
    KNOWN_METHODS,
    STRIKE_CHOICES,
    YES_NO,
    canonical_paper,
    read_paper,
)

OPTIONS = ("ada", "bea", "cy", "dee")
RANKED = sorted(KNOWN_METHODS - {YES_NO, "approval"})

junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.binary(max_size=6)
    | st.text(max_size=10)
    | st.sampled_from(["yes", "no", "abstain", "spoilt", *OPTIONS, "Ada", ""]),
    lambda inner: st.lists(inner, max_size=8) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=4), inner, max_size=3) | st.frozensets(st.text(
        max_size=3), max_size=3),
    max_leaves=12,
)


def _valid(method: str, choice: Any) -> bool:
    if method == YES_NO:
        return isinstance(choice, str) and choice in ("yes", "no", "abstain")
    if method == STRIKE_METHOD:
        return isinstance(choice, str) and choice in ("yes", "no", "spoilt")
    marks = [choice] if isinstance(choice, str) else choice
    return (isinstance(marks, list | tuple) and 0 < len(marks) <= len(OPTIONS)
            and all(isinstance(m, str) and m in OPTIONS for m in marks)
            and len(set(marks)) == len(marks))


@settings(max_examples=600, deadline=None, derandomize=True)
@given(method=st.sampled_from(sorted(KNOWN_METHODS)), choice=junk)
def test_every_paper_is_canonical_or_refused_naming_the_choice(method: str, choice: Any) -> None:
    refused: InvalidInput | None = None
    try:
        text = canonical_paper(method, OPTIONS, choice)
    except InvalidInput as exc:
        refused = exc
    if refused is not None:
        assert not _valid(method, choice)
        assert refused.problems
        assert {p.where for p in refused.problems} == {"choice"}
        assert all(len(p.message) < 200 for p in refused.problems)  # no echo of a huge value
        return
    assert _valid(method, choice)
    paper = read_paper(text)
    assert text == json.dumps(paper, separators=(",", ":"))
    marks: Sequence[str] = [choice] if isinstance(choice, str) else choice
    if method == "approval":
        assert paper == sorted(marks, key=OPTIONS.index)
    elif method == STRIKE_METHOD:
        assert paper in STRIKE_CHOICES
    elif method != YES_NO:
        assert paper == list(marks)


@pytest.mark.parametrize("method", RANKED)
def test_a_huge_paper_is_refused_at_once(method: str) -> None:
    with pytest.raises(InvalidInput, match="not a valid paper") as exc:
        canonical_paper(method, OPTIONS, ["ada"] * 10**6)
    assert len(exc.value.problems) == 1
    with pytest.raises(InvalidInput) as exc:
        canonical_paper(method, OPTIONS, ["x" * 10**6])
    assert len(str(exc.value)) < 300
