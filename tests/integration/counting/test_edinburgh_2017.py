"""Scottish STV elects the official councillors of all 17 Edinburgh 2017 wards.

Profiles: ``../shared/data/elections/edinburgh-2017/`` (the council's preference
profile reports as .blt). Official winners: the council's declarations, as listed in
that folder's SOURCES.md (copied below). Names compare case- and space-insensitively
(the files spell surnames in capitals: "Kevin  LANG"). Winners alone prove little --
the stage-by-stage proof is the Glasgow test -- but every ward must come out right.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from councilplan.councils.counting import scottish_stv
from councilplan.io.blt import read_blt

pytestmark = pytest.mark.needs_data

OFFICIAL = {
    1: "Kevin Lang, Louise Young, Graham Hutchison, Norrie Work",
    2: "Graeme Bruce, Neil Gardiner, Ricky Henderson, Susan Webber",
    3: "Robert Christopher Aldridge, Claire Bridgman, Mark Brown",
    4: "Eleanor Bird, Jim Campbell, Cammy Day, George Gordon",
    5: "Gavin Barrie, Max Mitchell, Hal Osler, Iain Whyte",
    6: "Scott Douglas, Gillian Gloyer, Frank Ross",
    7: "Denis Dixon, Catherine Fullerton, Ashley Graczyk, Donald Wilson",
    8: "Scott Arthur, Phil Doggart, Jason Rust",
    9: "Gavin Corbett, Andrew Johnston, David Key",
    10: "Nick Cook, Melanie Main, Neil Ross, Mandy Watt",
    11: "Karen Doran, Claire Miller, Jo Mowat, Alasdair Rankin",
    12: "Marion Donaldson, Amy McNeese-Mechan, Susan Rae, Lewis Ritchie",
    13: "Chas Booth, Adam McVey, Gordon John Munro",
    14: "Ian Campbell, Joan Griffiths, John McLellan, Alex Staniforth",
    15: "Steve Burgess, Alison Dickie, Ian Perry, Cameron Rose",
    16: "Lezley Marion Cameron, Derek Howie, Lesley Macinnes, Stephanie Smith",
    17: "Kate Campbell, Mary Campbell, Maureen Child, Callum Laidlaw",
}


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _ward_file(directory: Path, ward: int) -> Path:
    (path,) = [p for p in directory.glob("*.blt") if re.match(rf"ward_{ward}_-_", p.name)]
    return path


@pytest.fixture(scope="module")
def edinburgh(elections: Path) -> Path:
    d = elections / "edinburgh-2017"
    if not d.is_dir():
        pytest.skip("edinburgh-2017 data is absent")
    return d


@pytest.mark.parametrize("ward", sorted(OFFICIAL))
def test_official_councillors(edinburgh: Path, ward: int) -> None:
    election = read_blt(_ward_file(edinburgh, ward))
    official = {_key(n) for n in OFFICIAL[ward].split(", ")}
    assert election.seats == len(official)
    count = scottish_stv(election.profile, election.seats)
    assert {_key(c) for c in count.elected} == official
    # exact accounting at every stage
    for s in count.stages:
        assert sum(s.votes.values()) + s.non_transferable + s.loss_by_fraction == (
            count.valid_votes
        )
