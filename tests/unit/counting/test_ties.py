"""The look-back tie rule (SSI 2011/399 Sch. 1 rules 49(2)-(3), 51(2)) and the lot."""

from __future__ import annotations

from councilplan.councils.counting import Lot
from councilplan.councils.counting.ties import break_tie

NAMES = ("A", "B", "C", "D")


def test_not_tied() -> None:
    assert break_tie([2], [[0, 0, 0, 0]], lowest=True, names=NAMES, lot=Lot(), purpose="x",
                     stage=1) == (2, None)  # fmt: skip


def test_most_recent_unequal_stage_decides() -> None:
    history = [[1, 5, 2, 9], [4, 3, 3, 9], [6, 6, 6, 9]]  # A, B, C tied now
    chosen, tie = break_tie([0, 1, 2], history, lowest=True, names=NAMES, lot=Lot(),
                            purpose="exclusion", stage=3)  # fmt: skip
    # stage 2: B = C = 3 lowest, A out; stage 1: B 5 > C 2: C excluded
    assert chosen == 2
    assert tie is not None
    assert (tie.resolved_by, tie.by_stage, tie.chosen) == ("earlier-stage", 1, "C")
    chosen, tie = break_tie([0, 1, 2], history, lowest=False, names=NAMES, lot=Lot(),
                            purpose="surplus", stage=3)  # fmt: skip
    assert chosen == 0
    assert tie is not None
    assert tie.by_stage == 2


def test_equal_at_every_stage_goes_to_lot() -> None:
    history = [[1, 1, 0, 0], [2, 2, 0, 0]]
    chosen, tie = break_tie([0, 1], history, lowest=True, names=NAMES, lot=Lot("seed"),
                            purpose="exclusion", stage=2)  # fmt: skip
    assert tie is not None
    assert tie.resolved_by == "lot"
    assert NAMES[chosen] == Lot("seed").draw(["A", "B"], "exclusion", 2)


def test_lot_is_a_documented_hash() -> None:
    import hashlib

    lot = Lot("42")
    expected = hashlib.sha256(
        "\x1f".join(["councilplan-lot-v1", "42", "exclusion", "3", "B"]).encode()
    ).hexdigest()
    assert lot.key("B", "exclusion", 3) == expected
    order = lot.order(["A", "B", "C"], "exclusion", 3)
    assert sorted(order) == ["A", "B", "C"]
    assert lot.draw(["C", "A", "B"], "exclusion", 3) == order[0]
    draws = {Lot(str(k)).draw(["A", "B", "C"], "exclusion", 3) for k in range(30)}
    assert draws == {"A", "B", "C"}
