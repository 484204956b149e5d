"""The .blt reader and writer: format, extensions, decisions, every bad line."""

from __future__ import annotations

from pathlib import Path

import pytest

from councilplan.councils.counting import Profile
from councilplan.errors import BallotFileError, InvalidInput
from councilplan.io.blt import parse_blt, read_blt, write_blt

HILL = """4 2
-2
3 1 3 4 0
4 1 3 2 0
2 4 1 3 0
1 2 0
2 2 4 3 1 0
1 3 4 2 0
0
"Adam"
"Basil"
"Charlotte"
"Donald"
"Title"
"""


def test_hill_wichmann_woodall_example_with_a_withdrawn_candidate() -> None:
    e = parse_blt(HILL)
    assert e.seats == 2
    assert e.names == ("Adam", "Basil", "Charlotte", "Donald")
    assert e.withdrawn == ("Basil",)
    assert e.candidates == ("Adam", "Charlotte", "Donald")
    assert e.title == "Title"
    assert e.ballot_lines == 6
    # "1 2 0" named only Basil: no valid preference left
    assert e.empty_ballots == 1
    assert e.profile.total_weight == 12
    assert sorted(e.profile.ballots()) == [
        (("Adam", "Charlotte"), 4),
        (("Adam", "Charlotte", "Donald"), 3),
        (("Charlotte", "Donald"), 1),
        (("Donald", "Adam", "Charlotte"), 2),
        (("Donald", "Charlotte", "Adam"), 2),
    ]


def test_round_trip_text_and_file(tmp_path: Path) -> None:
    e = parse_blt(HILL)
    text = e.to_text()
    again = parse_blt(text)
    assert again.profile == e.profile
    assert (again.seats, again.title, again.withdrawn) == (e.seats, e.title, e.withdrawn)
    path = tmp_path / "x.blt"
    write_blt(e.profile, e.seats, title="T", withdrawn=e.withdrawn, path=path)
    assert read_blt(path).profile == e.profile
    assert read_blt(str(path)).title == "T"


def test_extensions_comments_ids_blank_lines_names_notes() -> None:
    text = (
        "\ufeff# a comment\n3 1   # header\n\n(b1) 2 1 2 0\n(b2) 1 3 0 # trailing\n0\n"
        '"Ann   Smith " "Bob"\n"C # not a comment"\n"Title" "source" "comment"\n'
    )
    e = parse_blt(text)
    assert e.names == ("Ann Smith", "Bob", "C # not a comment")
    assert e.notes == ("source", "comment")
    assert e.profile.total_weight == 3


def test_equal_rankings_truncate_the_ballot() -> None:
    e = parse_blt('3 1\n2 1 2=3 0\n1 2=3 1 0\n4 3 1 0\n0\n"A"\n"B"\n"C"\n"t"\n')
    assert e.truncated_ballots == 3
    assert e.empty_ballots == 1  # the paper whose first preference was 2=3
    assert sorted(e.profile.ballots()) == [(("A",), 2), (("C", "A"), 4)]


def test_every_bad_line_is_reported() -> None:
    text = "\n".join(
        [
            "3 2",  # 1
            "-7",  # 2: withdrawn out of range
            "1 1 2 0",  # 3 ok
            "x 1 0",  # 4 bad weight
            "2 1 4 0",  # 5 out of range
            "1 1 1 0",  # 6 ranked twice
            "1 2 3",  # 7 no terminating 0
            "0 1 0",  # 8 weight 0
            "1 1 - 2 0",  # 9 skipped ranking
            "1 a 0",  # 10 not a number
            "0",  # 11
            '"A"',
            '"A"',  # 13 duplicate name
            "stray",  # 14
        ]
    )
    with pytest.raises(BallotFileError) as info:
        parse_blt(text)
    wheres = [p.where for p in info.value.problems]
    assert wheres == [f"line {n}" for n in (4, 5, 6, 7, 8, 9, 10, 14, 13, 13, 2)], wheres
    assert isinstance(info.value, InvalidInput)


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        ("", "line 1", "empty"),
        ("3\n0\n", "line 1", "first line"),
        ('2 0\n0\n"a"\n"b"\n', "line 1", "seats"),
        ("2 1\n1 1 0\n", "line 2", "not ended"),
        ('2 1\n1 1 0\n0\n"a"\n', "line 4", "expected 2"),
        ('2 1\n1 1 0\n0\n"a\n', "line 4", "unterminated"),
        ('2 1\n1 1 0\n"a"\n"b"\n', "line 3", "end-of-ballots"),
    ],
)
def test_malformed_files(text: str, where: str, fragment: str) -> None:
    with pytest.raises(BallotFileError) as info:
        parse_blt(text)
    assert any(p.where == where and fragment in p.message for p in info.value.problems), (
        info.value.problems
    )


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(BallotFileError):
        read_blt(tmp_path / "missing.blt")
    with pytest.raises(BallotFileError, match="cannot read"):
        read_blt(str(tmp_path / "missing.blt"))


def test_writer_refuses_quotes_and_clashes() -> None:
    p = Profile.from_ballots(['say "hi"', "b"], [("b",)])
    with pytest.raises(InvalidInput):
        write_blt(p, 1)
    q = Profile.from_ballots(["a", "b"], [("b",)])
    with pytest.raises(InvalidInput):
        write_blt(q, 1, withdrawn=["a"])
    assert write_blt(q, 1, title="t", withdrawn=["w"]).splitlines()[:4] == [
        "3 1", "-3", "1 2 0", "0",
    ]  # fmt: skip
