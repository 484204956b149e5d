"""Building an Economy: every fault is reported together, naming product or row."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from councilplan.errors import EconomyError, NotProductiveError
from councilplan.planning import Economy, SequentialIds, spectral_radius


def _problems(exc: pytest.ExceptionInfo[EconomyError]) -> str:
    return "\n".join(str(p) for p in exc.value.problems)


def test_from_matrix_defaults() -> None:
    eco = Economy.from_matrix(np.array([[0.1, 0.2], [0.3, 0.1]]), [1.0, 2.0])
    assert eco.n == eco.m == 2
    assert eco.is_square
    assert list(eco.products) == ["p0", "p1"]
    assert np.all(np.isinf(eco.capacity))
    assert isinstance(eco.A, sp.csr_array)
    with pytest.raises(ValueError, match="read-only"):
        eco.labour[0] = 5.0


def test_every_bad_input_is_named_at_once() -> None:
    A = np.array([[np.nan, -0.6, 0.0], [0.1, 0.2, 0.0], [0.0, 0.1, 0.2]])
    with pytest.raises(EconomyError) as exc:
        Economy.from_matrix(A, [1.0, -1.0, np.nan], products=["steel", "coal", "steel"])
    text = _problems(exc)
    assert "duplicate id 'steel'" in text
    assert "input of steel to technique steel: nan" in text
    assert "negative input -0.6" in text
    assert "negative labour -1.0" in text
    assert "labour of steel" in text  # the NaN labour of the third product
    assert len(exc.value.problems) == 5


def test_wrong_shapes() -> None:
    with pytest.raises(EconomyError, match="square"):
        Economy.from_matrix(np.zeros((2, 3)), [1.0, 1.0, 1.0])
    with pytest.raises(EconomyError) as exc:
        Economy.from_matrix(np.zeros((2, 2)), [1.0, 1.0, 1.0], capacity=[1.0])
    text = _problems(exc)
    assert "labour" in text
    assert "capacity" in text


def test_product_nobody_makes_and_unknown_product() -> None:
    A = sp.csr_array(np.zeros((3, 3)))
    with pytest.raises(EconomyError) as exc:
        Economy.from_arrays(A, [1, 1, 1], makes=[0, 0, 1], products=["a", "b", "c"])
    assert "product c: no technique makes it" in _problems(exc)
    with pytest.raises(EconomyError) as exc:
        Economy.from_arrays(A, [1, 1, 1], makes=[0, 1, 7], products=["a", "b", "c"])
    assert "makes unknown product #7" in _problems(exc)


def test_from_tables_labels_and_errors() -> None:
    products = [{"id": "grain", "unit": "t"}, {"id": "bread", "unit": "loaf"}]
    techniques = [
        {"id": "farm", "product": "grain", "labour": 2.0, "capacity": ""},
        {"id": "bakery", "product": "bread", "labour": 0.5, "capacity": 1000},
        {"id": "old-bakery", "product": "bread", "labour": 0.9, "capacity": None},
    ]
    inputs = [
        {"technique": "bakery", "product": "grain", "quantity": 0.001},
        {"technique": "old-bakery", "product": "grain", "quantity": 0.0012},
        {"technique": "farm", "product": "grain", "quantity": 0.1},
    ]
    needs = [{"product": "bread", "quantity": 500, "tier": 1}]
    eco = Economy.from_tables(products, techniques, inputs, needs)
    assert (eco.n, eco.m) == (2, 3)
    assert not eco.is_square
    assert list(eco.primary_techniques) == [0, 1]
    assert eco.capacity[1] == 1000
    assert np.isinf(eco.capacity[0])
    assert eco.needs_vector({"bread": 3.0}).tolist() == [0.0, 3.0]

    with pytest.raises(EconomyError) as exc:
        Economy.from_tables(
            [*products, {"id": "grain"}],
            [*techniques, {"id": "mill", "product": "flour", "labour": "x"}],
            [*inputs, {"technique": "farm", "product": "salt", "quantity": "abc"}],
            [{"product": "cake", "quantity": 1}, {"product": "bread", "quantity": 1, "tier": 0}],
        )
    text = _problems(exc)
    for expected in (
        "products row 3: duplicate product id 'grain'",
        "techniques row 4: technique 'mill' makes unknown product 'flour'",
        "inputs row 4: unknown product 'salt'",
        "inputs row 4 field quantity: 'abc' is not a number",
        "needs row 1: unknown product 'cake'",
        "needs row 2 field tier",
    ):
        assert expected in text


def test_needs_vector_names_unknown_products() -> None:
    eco = Economy.from_matrix(np.zeros((2, 2)), [1, 1], products=["a", "b"])
    with pytest.raises(EconomyError) as exc:
        eco.needs_vector({"a": 1.0, "zz": 2.0, "yy": 1.0})
    assert {p.where for p in exc.value.problems} == {"zz", "yy"}


def test_not_productive_names_the_strongly_connected_group() -> None:
    # a and b feed each other more than they yield (rho of their block 1.1);
    # c uses b but is fine; d is a product that uses 1.2 units of itself.
    A = np.array(
        [
            [0.5, 0.6, 0.0, 0.0],
            [0.6, 0.5, 0.3, 0.0],
            [0.0, 0.0, 0.2, 0.0],
            [0.0, 0.0, 0.0, 1.2],
        ]
    )
    with pytest.raises(NotProductiveError) as exc:
        Economy.from_matrix(A, [1, 1, 1, 1], products=["a", "b", "c", "d"])
    assert set(exc.value.products) == {"a", "b", "d"}
    np.testing.assert_allclose(exc.value.spectral_radius, 1.2, rtol=1e-6)
    assert "spectral radius 1.1" in str(exc.value)


def test_productive_with_column_sums_above_one() -> None:
    # column sums 1.05 but spectral radius ~0.7: productive
    A = np.array([[0.0, 0.0, 0.05], [1.0, 0.0, 0.0], [0.05, 0.5, 0.0]])
    eco = Economy.from_matrix(A, [1, 1, 1])
    rho = float(max(abs(np.linalg.eigvals(A))))
    np.testing.assert_allclose(spectral_radius(eco), rho, rtol=1e-5)


def test_sequential_ids() -> None:
    ids = SequentialIds("P", 10_000_000)
    assert len(ids) == 10_000_000
    assert ids[12] == "P12"
    assert ids[-1] == "P9999999"
    assert ids.position("P9999999") == 9_999_999
    assert ids.position("P10000000") is None
    assert ids.position("P012") is None
    eco = Economy.from_matrix(sp.csr_array((3, 3)), [1, 1, 1], products=SequentialIds("P", 3))
    assert eco.product_index("P2") == 2
    with pytest.raises(EconomyError):
        eco.product_index("P3")
