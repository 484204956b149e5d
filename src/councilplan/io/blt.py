"""Read and write ``.blt`` ballot files (Hill, Wichmann & Woodall 1987, as extended
by OpenSTV and Droop).

Format, line by line::

    9 4                 number of candidates, number of seats
    -2 -5               optional: withdrawn candidates, negative numbers (any
                        number of such lines; also accepted after the seats on line 1)
    149 1 0             one line per distinct ballot: weight, preferences, 0
    11 1 2 0
    0                   end of ballots
    "Nina Baker"        one quoted name per candidate, in candidate-number order
    ...
    "ANDERSTON-CITY"    the title
    "source" "comment"  optional further quoted strings (kept as ``notes``)

Also accepted: ``#`` comments to the end of a line; an OpenSTV ballot id ``(id)``
before the weight; blank lines. Candidates are numbered from 1.

Decisions (documented here, tested in ``tests/unit/counting/test_blt.py``):

- **Equal rankings** (``1 2=3 4 0``): a ranked ballot paper states a strict order,
  and the Scottish rules count a paper that gives one preference to two candidates
  only up to the preference before it. The reader does the same: the ranking is
  *truncated before the first equal ranking* (``2=3`` above: the ballot counts as
  ``1``); a paper whose first preference is an equal ranking has no valid preference.
  ``BltElection.truncated_ballots`` counts the papers so truncated.
- **Names** are read with runs of white space collapsed to one space and none at
  either end (``"Ellen   Hurcombe"`` is ``Ellen Hurcombe``), as Droop reads them.
- **Withdrawn candidates** are taken out: their marks are skipped and later
  preferences move up. They keep their names (``names``, ``withdrawn``) but are not
  in the profile.
- **Papers with no valid preference** (a line ``5 0``, or only withdrawn / tied
  marks) are not valid votes: they are left out of the profile (and so of the quota)
  and counted in ``BltElection.empty_ballots``.
- A ballot that ranks one candidate twice, a candidate number out of range, a weight
  that is not a positive whole number, a missing terminating ``0``, a skipped
  ranking (``-``), stray text, missing or duplicate names: every such line is
  reported, each as ``Problem(where="line N", ...)`` of one
  :class:`~councilplan.errors.BallotFileError`.

- **Bounds** (:mod:`councilplan.io.limits`): a file over ``MAX_BLT_BYTES``, a line over
  ``MAX_BLT_LINE_CHARS`` characters, a number beyond 10^12 (a weight, a candidate
  count) and weights adding up beyond 2^62 are refused like any other fault, before
  the memory they would take is spent.

:func:`write_blt` writes the canonical form: header, withdrawn line, ballots grouped
(one line per distinct ranking), ``0``, names, title.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from councilplan.councils.counting.profile import Profile
from councilplan.errors import BallotFileError, InvalidInput, Problem, quoted
from councilplan.io.limits import (
    MAX_BLT_BYTES,
    MAX_BLT_LINE_CHARS,
    TooLong,
    bounded_lines,
    check_file_size,
)

__all__ = ["BltElection", "parse_blt", "read_blt", "write_blt"]

_QUOTED = re.compile(r'"([^"\n]*)"')
_MAX_PROBLEMS = 1000
_MAX_NUMBER = 10**12  # a weight, candidate count or seat count beyond any election
_MAX_TOTAL_WEIGHT = 2**62  # the papers of a file, counted in 64 bits


@dataclass(frozen=True, slots=True)
class BltElection:
    """The content of a ``.blt`` file.

    ``profile``: the valid ballots over the candidates still standing (withdrawn ones
    removed). ``names``: every candidate named in the file, in candidate-number order.
    ``withdrawn``: the names of the withdrawn. ``empty_ballots``: papers with no valid
    preference (left out). ``truncated_ballots``: papers cut short at an equal
    ranking. ``notes``: quoted strings after the title (source, comment).
    """

    profile: Profile
    seats: int
    names: tuple[str, ...]
    title: str
    withdrawn: tuple[str, ...] = ()
    empty_ballots: int = 0
    truncated_ballots: int = 0
    ballot_lines: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def candidates(self) -> tuple[str, ...]:
        """The candidates standing (the profile's ids)."""
        return self.profile.candidates

    def to_text(self) -> str:
        """This election as ``.blt`` text (see :func:`write_blt`)."""
        return write_blt(self.profile, self.seats, title=self.title, withdrawn=self.withdrawn)


def read_blt(source: str | os.PathLike[str]) -> BltElection:
    """Read a ``.blt`` file.

    ``source`` is a path (a :class:`os.PathLike`, or a ``str`` without a newline that
    names an existing file or ends in ``.blt``) or the text itself (any other ``str``).
    """
    if isinstance(source, os.PathLike) or (
        "\n" not in source
        and (source.strip().lower().endswith(".blt") or _is_file(source))
    ):
        path = Path(source)
        try:
            check_file_size(path, MAX_BLT_BYTES, "ballot file")
            _check_lines(path)
            text = path.read_text(encoding="utf-8-sig")
        except InvalidInput as exc:
            raise BallotFileError(exc.message, exc.problems) from None
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise BallotFileError(
                f"cannot read ballot file {path}", [Problem(str(path), str(exc))]
            ) from exc
        return parse_blt(text, source=str(path))
    return parse_blt(source)


def _check_lines(path: Path) -> None:
    """Refuse a file with a line too long, streaming it (before it is read whole)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        lines = bounded_lines(fh, MAX_BLT_LINE_CHARS)
        try:
            for _ in lines:
                lines.next_record()
        except TooLong as exc:
            raise BallotFileError(f"malformed ballot file {path}", [Problem(
                f"line {exc.line}", f"a line of a ballot file is read up to "
                                    f"{MAX_BLT_LINE_CHARS} characters")]) from None


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long, or not a name the system has
        return False



def _strip_comment(line: str) -> str:
    # '#' starts a comment, except inside a quoted name
    if "#" not in line:
        return line.strip()
    out = []
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            break
        out.append(ch)
    return "".join(out).strip()


def _int(token: str) -> int | None:
    """The whole number ``token`` spells, or ``None`` (also for one beyond any election)."""
    if re.fullmatch(r"[+-]?\d{1,13}", token):
        value = int(token)
        return value if abs(value) <= _MAX_NUMBER else None
    return None


def parse_blt(text: str, *, source: str = "") -> BltElection:
    """Parse ``.blt`` text; raise :class:`BallotFileError` listing every bad line."""
    problems: list[Problem] = []

    def bad(lineno: int, message: str) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append(Problem(f"line {lineno}", message))

    if text.startswith("\ufeff"):
        text = text[1:]
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    label = f"ballot file {source}" if source else "ballot file"
    long = [k for k, x in enumerate(lines) if len(x) > MAX_BLT_LINE_CHARS]
    if long:
        raise BallotFileError(f"malformed {label}", [
            Problem(f"line {k + 1}", f"{len(lines[k])} characters: a line of a ballot file "
                    f"is read up to {MAX_BLT_LINE_CHARS}") for k in long[:_MAX_PROBLEMS]])
    stripped = [_strip_comment(x) for x in lines]
    i = 0
    n_lines = len(lines)
    while i < n_lines and not stripped[i]:
        i += 1
    if i >= n_lines:
        raise BallotFileError(f"malformed {label}", [Problem("line 1", "the file is empty")])

    # -- header -----------------------------------------------------------------------
    header_no = i + 1
    tokens = stripped[i].split()
    ints = [_int(t) for t in tokens]
    n_cand = seats = 0
    withdrawn_nums: list[tuple[int, int]] = []  # (number, line)
    if len(tokens) < 2 or ints[0] is None or ints[1] is None:
        bad(header_no, "the first line must be: <number of candidates> <number of seats>")
    else:
        n_cand, seats = ints[0], ints[1]
        if n_cand < 1:
            bad(header_no, f"number of candidates must be at least 1, got {n_cand}")
            n_cand = 0  # reported; read on for the other faults
        if seats < 1:
            bad(header_no, f"number of seats must be at least 1, got {seats}")
        for t, v in zip(tokens[2:], ints[2:], strict=True):
            if v is None or v >= 0:
                bad(header_no, f"unexpected {quoted(t)} after the number of seats")
            else:
                withdrawn_nums.append((-v, header_no))
    i += 1

    # -- withdrawn lines ----------------------------------------------------------------
    while i < n_lines:
        s = stripped[i]
        if not s:
            i += 1
            continue
        if not s.startswith("-"):
            break
        for t in s.split():
            v = _int(t)
            if v is None or v >= 0:
                bad(i + 1, "a withdrawn-candidates line holds negative numbers only, got "
                    f"{quoted(t)}")
            else:
                withdrawn_nums.append((-v, i + 1))
        i += 1

    # -- ballots ------------------------------------------------------------------------
    rows: list[list[int]] = []
    weights: list[int] = []
    empty = truncated = ballot_lines = 0
    ended = False
    while i < n_lines:
        s = stripped[i]
        lineno = i + 1
        i += 1
        if not s:
            continue
        if s == "0":
            ended = True
            break
        if s.startswith('"'):
            bad(lineno, "a name where a ballot or the end-of-ballots line '0' was expected")
            i -= 1
            break
        ballot_lines += 1
        toks = s.split()
        if toks[0].startswith("("):
            if not toks[0].endswith(")"):
                bad(lineno, f"malformed ballot id {quoted(toks[0])}")
                continue
            toks = toks[1:]
            if not toks:
                bad(lineno, "a ballot id with no ballot")
                continue
        weight = _int(toks[0])
        if weight is None or weight < 1:
            bad(lineno, f"the weight must be a positive whole number up to {_MAX_NUMBER}, "
                f"got {quoted(toks[0])}")
            continue
        if toks[-1] != "0":
            bad(lineno, "a ballot must end with 0")
            continue
        ranking: list[int] = []
        seen: set[int] = set()
        line_ok = True
        cut = False
        for t in toks[1:-1]:
            group = t.split("=")
            maybe = [_int(g) for g in group]
            nums = [v for v in maybe if v is not None]
            if len(nums) < len(maybe) or not all(group):
                hint = " (skipped rankings are not supported)" if t == "-" else ""
                bad(lineno, f"not a candidate number: {quoted(t)}{hint}")
                line_ok = False
                break
            for v in nums:
                if not 1 <= v <= max(n_cand, 0):
                    bad(lineno, f"candidate number {v} out of range 1..{n_cand}")
                    line_ok = False
                elif v in seen:
                    bad(lineno, f"candidate {v} ranked more than once")
                    line_ok = False
                seen.add(v)
            if not line_ok:
                break
            if cut:
                continue
            if len(nums) > 1:
                cut = True
                continue
            ranking.append(nums[0])
        if not line_ok:
            continue
        if cut:
            truncated += weight
        rows.append(ranking)
        weights.append(weight)
    if not ended and not problems:
        bad(n_lines, "the ballots are not ended by a line '0'")

    # -- names, title, notes ----------------------------------------------------------------
    strings: list[tuple[str, int]] = []
    while i < n_lines:
        s = stripped[i]
        lineno = i + 1
        i += 1
        if not s:
            continue
        pos = 0
        for m in _QUOTED.finditer(s):
            if s[pos : m.start()].strip():
                bad(lineno, f"unexpected text {quoted(s[pos : m.start()].strip())} outside quotes")
            strings.append((m.group(1), lineno))
            pos = m.end()
        rest = s[pos:].strip()
        if rest:
            if rest.startswith('"'):
                bad(lineno, "unterminated quoted string")
            else:
                bad(lineno, f"unexpected text {quoted(rest)} outside quotes")
    names: list[str] = []
    if ended or strings:
        if len(strings) < n_cand:
            where = strings[-1][1] if strings else n_lines
            bad(where, f"expected {n_cand} quoted candidate names, found {len(strings)}")
        names = [" ".join(x.split()) for x, _ in strings[:n_cand]]
        seen_names: dict[str, int] = {}
        for (raw, lineno), name in zip(strings[:n_cand], names, strict=True):
            if not raw.strip():
                bad(lineno, "a candidate name must not be empty")
            elif name in seen_names:
                bad(lineno, f"duplicate candidate name {name!r} (also line {seen_names[name]})")
            else:
                seen_names[name] = lineno
    title = strings[n_cand][0] if len(strings) > n_cand else ""
    notes = tuple(x for x, _ in strings[n_cand + 1 :])

    withdrawn_set: set[int] = set()
    for num, lineno in withdrawn_nums:
        if not 1 <= num <= n_cand:
            bad(lineno, f"withdrawn candidate number {num} out of range 1..{n_cand}")
        elif num in withdrawn_set:
            bad(lineno, f"candidate {num} withdrawn twice")
        withdrawn_set.add(num)

    if sum(weights) > _MAX_TOTAL_WEIGHT:
        bad(n_lines, f"the papers' weights add up to more than {_MAX_TOTAL_WEIGHT}")
    if problems:
        raise BallotFileError(f"malformed {label}", problems)

    eligible = [k for k in range(1, n_cand + 1) if k not in withdrawn_set]
    new_index = {k: j for j, k in enumerate(eligible)}
    kept_rows: list[list[int]] = []
    kept_weights: list[int] = []
    for ranking, weight in zip(rows, weights, strict=True):
        r = [new_index[k] for k in ranking if k in new_index]
        if r:
            kept_rows.append(r)
            kept_weights.append(weight)
        else:
            empty += weight
    try:
        profile = Profile.from_indices(
            tuple(names[k - 1] for k in eligible), kept_rows, kept_weights
        )
    except InvalidInput as exc:  # pragma: no cover - the checks above come first
        raise BallotFileError(f"malformed {label}", exc.problems) from exc
    return BltElection(
        profile=profile,
        seats=seats,
        names=tuple(names),
        title=title,
        withdrawn=tuple(names[k - 1] for k in sorted(withdrawn_set)),
        empty_ballots=empty,
        truncated_ballots=truncated,
        ballot_lines=ballot_lines,
        notes=notes,
    )


def _quote(text: str, what: str) -> str:
    if '"' in text or "\n" in text or "\r" in text:
        raise InvalidInput(
            "cannot write a .blt file", [Problem(what, f"{text!r} holds a quote or a line break")]
        )
    return f'"{text}"'


def write_blt(
    profile: Profile,
    seats: int,
    *,
    title: str = "",
    withdrawn: Sequence[str] = (),
    notes: Sequence[str] = (),
    path: str | os.PathLike[str] | None = None,
) -> str:
    """``profile`` as ``.blt`` text (and written to ``path``, UTF-8, when given).

    Candidates are numbered in profile order, then the ``withdrawn`` names (marked
    withdrawn with negative numbers, ranked on no ballot).
    """
    eligible = list(profile.candidates)
    clash = sorted(set(eligible) & set(withdrawn))
    if clash:
        raise InvalidInput(
            "cannot write a .blt file",
            [Problem("withdrawn", f"{c!r} is both standing and withdrawn") for c in clash],
        )
    n = len(eligible) + len(withdrawn)
    out = [f"{n} {seats}"]
    if withdrawn:
        out.append(" ".join(f"-{len(eligible) + k + 1}" for k in range(len(withdrawn))))
    for row, weight in zip(profile.rankings.tolist(), profile.weights.tolist(), strict=True):
        prefs = " ".join(str(c + 1) for c in row if c >= 0)
        out.append(f"{weight} {prefs} 0")
    out.append("0")
    out.extend(_quote(c, "candidate") for c in [*eligible, *withdrawn])
    out.append(_quote(title, "title"))
    out.extend(_quote(x, "note") for x in notes)
    text = "\n".join(out) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text
