"""Importers and exporters: economy bundles on disk, real input-output tables, pymrio.

* :mod:`~councilplan.io.bundle`: a folder of editable CSV files
  (:func:`read_bundle`, :func:`write_bundle`); :mod:`~councilplan.io.npz`: one binary
  file for large economies (:func:`read_npz`, :func:`write_npz`);
  :func:`load_economy` / :func:`save_economy` pick by path. Writes are atomic.
* :func:`read_wiod` (WIOD 2016 national tables with hours), :func:`read_bea` (BEA
  2017 detail Use and Make, industry-technology assumption), :func:`read_symmetric`
  (Eurostat-style product-by-product tables), :func:`economy_from_pymrio` /
  :func:`economy_to_pymrio`. Each importer returns an :class:`ImportResult`: the
  economy, an :class:`ImportReport` of every negative entry and dropped product, and
  the table's published final demand and gross output.
"""

from councilplan.io.bea import read_bea
from councilplan.io.bundle import load_economy, read_bundle, save_economy, write_bundle
from councilplan.io.npz import read_npz, write_npz
from councilplan.io.pymrio_adapter import economy_from_pymrio, economy_to_pymrio
from councilplan.io.report import DroppedProduct, ImportReport, ImportResult, NegativeEntry
from councilplan.io.symmetric import read_symmetric
from councilplan.io.wiod import WiodTable, read_wiod, wiod_years

__all__ = [
    "DroppedProduct",
    "ImportReport",
    "ImportResult",
    "NegativeEntry",
    "WiodTable",
    "economy_from_pymrio",
    "economy_to_pymrio",
    "load_economy",
    "read_bea",
    "read_bundle",
    "read_npz",
    "read_symmetric",
    "read_wiod",
    "save_economy",
    "wiod_years",
    "write_bundle",
    "write_npz",
]
