"""pymrio's test MRIO through councilplan, checked against pymrio's own calc_all():
gross output x, the Leontief inverse L and the extensions' multipliers M, to 1e-9."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from councilplan.errors import ImportError_, InvalidInput
from councilplan.io import economy_from_pymrio, economy_to_pymrio
from councilplan.planning import Economy, generate_economy, gross_output, labour_values

pymrio = pytest.importorskip("pymrio")

RTOL = 1e-9


@pytest.fixture(scope="module")
def reference() -> Any:
    io = pymrio.load_test()
    io.calc_all()
    return io


def test_gross_output_and_leontief_inverse_match_pymrio(reference: Any) -> None:
    res = economy_from_pymrio(pymrio.load_test(), labour=("factor_inputs", "Value Added"))
    eco = res.economy
    assert eco.n == 48
    assert eco.products[0] == "reg1/food"
    assert eco.meta["pymrio_index"][0] == ["reg1", "food"]
    x = gross_output(eco, res.final_demand, rtol=1e-13)
    np.testing.assert_allclose(x, reference.x.to_numpy()[:, 0], rtol=RTOL)
    np.testing.assert_allclose(res.output, reference.x.to_numpy()[:, 0], rtol=RTOL)
    np.testing.assert_allclose(eco.A.toarray(), reference.A.to_numpy(), rtol=RTOL, atol=0)
    L = np.column_stack([gross_output(eco, e, rtol=1e-13) for e in np.eye(eco.n)])
    np.testing.assert_allclose(L, reference.L.to_numpy(), rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize(
    ("extension", "row"),
    [
        ("factor_inputs", "Value Added"),
        ("emissions", ("emission_type1", "air")),
        ("emissions", ("emission_type2", "water")),
    ],
)
def test_labour_values_are_pymrio_multipliers(reference: Any, extension: str, row: Any) -> None:
    res = economy_from_pymrio(pymrio.load_test(), labour=(extension, row))
    v = labour_values(res.economy, rtol=1e-13)
    M = getattr(reference, extension).M.loc[[row]].to_numpy()[0]
    np.testing.assert_allclose(v, M, rtol=RTOL)
    S = getattr(reference, extension).S.loc[[row]].to_numpy()[0]
    np.testing.assert_allclose(res.economy.labour, S, rtol=RTOL)


def test_the_source_system_is_not_changed() -> None:
    io = pymrio.load_test()
    economy_from_pymrio(io, labour=("factor_inputs", "Value Added"))
    assert io.x is None
    assert io.A is None


def test_to_pymrio_and_back(reference: Any) -> None:
    eco = economy_from_pymrio(reference, labour=("factor_inputs", "Value Added")).economy
    io = economy_to_pymrio(eco)
    io.calc_all()
    assert list(io.Z.index) == list(reference.Z.index)
    np.testing.assert_allclose(io.x.to_numpy()[:, 0], gross_output(eco, rtol=1e-13), rtol=RTOL)
    np.testing.assert_allclose(io.labour.M.to_numpy()[0], labour_values(eco, rtol=1e-13), rtol=RTOL)
    back = economy_from_pymrio(io, labour=("labour", "labour")).economy
    np.testing.assert_allclose(back.A.toarray(), eco.A.toarray(), rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(back.labour, eco.labour, rtol=RTOL)
    assert list(back.products) == list(eco.products)


def test_a_generated_economy_agrees_with_pymrio() -> None:
    eco = generate_economy(300, 12, seed=5)
    io = economy_to_pymrio(eco)
    io.calc_all()
    np.testing.assert_allclose(io.labour.M.to_numpy()[0], labour_values(eco, rtol=1e-13), rtol=RTOL)
    assert io.Z.index.get_level_values(0)[0] == "region"


def test_errors_name_what_is_missing(reference: Any) -> None:
    with pytest.raises(ImportError_, match="no extension 'hours'"):
        economy_from_pymrio(reference, labour=("hours", "total"))
    with pytest.raises(ImportError_, match="has no row 'Hours'"):
        economy_from_pymrio(reference, labour=("factor_inputs", "Hours"))
    big = Economy.from_matrix(np.zeros((1, 1)), [1.0])
    economy_to_pymrio(big)
    with pytest.raises(InvalidInput, match="too large"):
        economy_to_pymrio(generate_economy(20_001, 2, seed=1))
