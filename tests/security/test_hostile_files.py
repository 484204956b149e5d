"""Hostile files: refused with a clear InvalidInput naming the file (and row, field or
member), in bounded memory, and nothing written.

Memory is measured in a fresh process (``hostile_probe.py``): its peak resident size
may rise by at most ``BOUND`` while it refuses files that, read naively, would take
several times that -- a CSV cell of 96 MiB, a ``.blt`` line of 48 MiB, a zip bomb
inflating to 256 MiB. The bound is far above what refusing takes, and far below what
reading would.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from hostile_inputs import BUNDLE, MANIFEST, csv_text, symmetric
from typer.testing import CliRunner

import councilplan
from councilplan.cli import plan as plan_cli
from councilplan.errors import BundleError, InvalidInput
from councilplan.io import limits, read_npz, read_symmetric, write_npz
from councilplan.io.blt import parse_blt
from councilplan.io.table import read_text_table

MiB = 1024 * 1024
BOUND = 48 * MiB
PROBE = Path(__file__).with_name("hostile_probe.py")


def _stream(path: Path, *parts: bytes | tuple[bytes, int]) -> Path:
    """Write ``parts`` (bytes, or ``(chunk, times)`` repeated) without holding the file."""
    with open(path, "wb") as fh:
        for part in parts:
            if isinstance(part, tuple):
                chunk, times = part
                for _ in range(times):
                    fh.write(chunk)
            else:
                fh.write(part)
    return path


def _sparse(path: Path, size: int, head: bytes = b"") -> Path:
    """A file of ``size`` bytes that takes no disk (for checks on size alone)."""
    with open(path, "wb") as fh:
        fh.write(head)
        fh.truncate(size)
    return path


def _bundle(folder: Path, **files: Path | bytes) -> Path:
    folder.mkdir()
    (folder / "bundle.json").write_text(json.dumps(MANIFEST))
    for name, rows in BUNDLE.items():
        (folder / name).write_text(csv_text(rows))
    for name, content in files.items():
        target = folder / ".".join(name.rsplit("_", 1))  # products_csv: products.csv
        if isinstance(content, Path):
            content.replace(target)
        else:
            target.write_bytes(content)
    return folder


def _npy_header(shape: tuple[int, ...], descr: str = "<f8") -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False,
                                               "shape": shape})
    return buf.getvalue()


def zip_bomb(path: Path, inflated: int = 256 * MiB) -> Path:
    """A real zip bomb: a complete economy whose ``A_data.npy`` is a deflated run of zeros
    inflating to ``inflated`` bytes."""
    small = path.with_suffix(".small.npz")
    write_npz(read_symmetric(_table(path.with_suffix(".csv"))).economy, small)
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(
            path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name in src.namelist():
            if name != "A_data.npy":
                zf.writestr(name, src.read(name))
        with zf.open("A_data.npy", "w", force_zip64=True) as fh:
            fh.write(_npy_header((inflated // 8,)))
            zeros = bytes(16 * MiB)
            for _ in range(inflated // len(zeros)):
                fh.write(zeros)
    small.unlink()
    assert path.stat().st_size < inflated // 200
    return path


def overlapping_members(path: Path, copies: int = 40) -> Path:
    """One stored member listed ``copies`` times in the central directory, under the names
    of the economy's arrays: every listing points at the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("A_data.npy", _npy_header((MiB // 8,)) + bytes(MiB))
    raw = buf.getvalue()
    sig, _, _, _, _, cd_size, cd_offset, _ = struct.unpack("<IHHHHIIH", raw[-22:])
    entry = raw[cd_offset:cd_offset + cd_size]
    fixed, name_len = entry[:46], struct.unpack("<H", entry[28:30])[0]
    rest = entry[46 + name_len:]
    names = ["A_data", "A_indices", "A_indptr", "labour", "capacity", "needs", "tiers"]
    listed = b"".join(fixed[:28] + struct.pack("<H", len(n)) + fixed[30:] + n + rest
                      for n in (f"{names[k % len(names)]}{k}.npy".encode()
                                for k in range(copies)))
    eocd = struct.pack("<IHHHHIIH", sig, 0, 0, copies, copies, len(listed), cd_offset, 0)
    path.write_bytes(raw[:cd_offset] + listed + eocd)
    return path


def lying_member(path: Path) -> Path:
    """A stored array whose header claims a gigabyte that the member does not hold."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("A_data.npy", _npy_header((2**27,)) + bytes(80))
    return path


def _probe(spec: list[list[str]]) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(councilplan.__file__).resolve().parents[1]), env.get("PYTHONPATH", "")])
    spec_file = Path(spec[0][1]).parent / "spec.json"
    spec_file.write_text(json.dumps(spec))
    done = subprocess.run([sys.executable, str(PROBE), str(spec_file)], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_hostile_files_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    x = b"x" * MiB
    huge_cell = (x, 96)
    cases: list[tuple[str, Path, str]] = [
        ("bundle", _bundle(tmp_path / "b1", products_csv=_stream(
            tmp_path / "p.csv", b"id,name,unit\nbread,", huge_cell, b",loaf\n")),
         "products.csv:2"),
        ("bundle", _bundle(tmp_path / "b2", bundle_json=_sparse(
            tmp_path / "m.json", 96 * MiB, b"{")), "bundle.json"),
        ("bundle", _bundle(tmp_path / "b3", bundle_json=b"[" * (8 * MiB)), "bundle.json"),
        ("needs", _stream(tmp_path / "needs.csv", b"product,quantity\n", huge_cell, b",1\n"),
         "needs.csv:"),
        ("symmetric", _stream(tmp_path / "cell.csv", b"sector,s1\ns1,", huge_cell, b"\n"),
         "cell.csv:2"),
        ("symmetric", _stream(tmp_path / "quoted.csv", b'sector,s1\ns1,"',
                              (b"x\n" * (MiB // 2), 96), b'"\n'), "quoted.csv:2"),
        ("symmetric", _stream(tmp_path / "wide.csv", b"sector", (b",1" * (MiB // 2), 96), b"\n"),
         "wide.csv:1"),
        ("symmetric", _sparse(tmp_path / "big.csv", limits.MAX_TABLE_BYTES + 1), "big.csv"),
        ("blt", _stream(tmp_path / "line.blt", b"3 1\n1 ", (b"1 " * (MiB // 2), 48), b"0\n"),
         "line 2"),
        ("blt", _sparse(tmp_path / "big.blt", limits.MAX_BLT_BYTES + 1), "big.blt"),
        ("npz", zip_bomb(tmp_path / "bomb.npz"), "bomb.npz"),
        ("npz", overlapping_members(tmp_path / "overlap.npz"), "overlap.npz"),
        ("npz", lying_member(tmp_path / "lying.npz"), "lying.npz field A_data"),
        ("checkpoints", _sparse(tmp_path / "kept.json", limits.MAX_JSON_BYTES + 1, b"["),
         "kept.json"),
    ]
    report = _probe([[reader, str(path)] for reader, path, _ in cases])
    for (reader, path, where), case in zip(cases, report["cases"], strict=True):
        assert case["outcome"] == "refused", (reader, path.name, case)
        assert case["where"].startswith(where), (reader, path.name, case)
    worst = max(report["cases"], key=lambda c: c["peak_rise_kib"])
    assert worst["peak_rise_kib"] * 1024 < BOUND, worst


def test_the_archive_checks_name_what_is_wrong(tmp_path: Path) -> None:
    for build, message in ((zip_bomb, "inflate to"), (overlapping_members, "overlap"),
                           (lying_member, "claims")):
        path = build(tmp_path / f"{build.__name__}.npz")
        with pytest.raises(BundleError, match=r"not an economy \.npz file") as exc:
            read_npz(path)
        assert message in str(exc.value)
    # compressed economies (np.savez_compressed) of a normal ratio still load
    plain = tmp_path / "plain.npz"
    eco = read_symmetric(_table(tmp_path / "t.csv")).economy
    write_npz(eco, plain)
    with np.load(plain) as z:
        arrays = {k: z[k] for k in z.files}
    packed = tmp_path / "packed.npz"
    np.savez_compressed(packed, **arrays)
    assert read_npz(packed).n == eco.n


def _table(path: Path) -> Path:
    path.write_text(csv_text(symmetric()))
    return path


def test_too_many_cells_are_refused_naming_the_row(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The cell bound, scaled down (the real one is 20 million)."""
    import councilplan.io.table as table

    monkeypatch.setattr(table, "MAX_TABLE_CELLS", 20)
    path = tmp_path / "t.csv"
    path.write_text(csv_text(symmetric()))
    with pytest.raises(InvalidInput, match="too large") as exc:
        read_text_table(path, "table")
    assert exc.value.problems[0].where == "t.csv:4"


@pytest.mark.parametrize(
    ("text", "where"),
    [("3 1\n" + "9" * 5000 + " 1 0\n0\n", "line 2"),
     ("3 1\n" + "9" * 20 + " 1 0\n0\n", "line 2"),
     ("-5 1\n0\n\"a\"\n", "line 1"),
     ("2 1\n1 " + "1 " * 10 + "0\n0\n\"a\"\n\"b\"\n\"t\"\n", "line 2")],
)
def test_a_malformed_blt_names_the_line(text: str, where: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        parse_blt(text)
    assert exc.value.problems[0].where == where
    assert len(str(exc.value)) < 2000


# -- nothing written on failure -----------------------------------------------------------------


def _import(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    app.add_typer(plan_cli.app, name="plan")
    result = CliRunner().invoke(app, ["plan", "import", *args])
    return result.exit_code, result.output


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("kind", ["symmetric", "wiod", "bea"])
def test_a_failed_import_writes_nothing(tmp_path: Path, kind: str) -> None:
    bad = _stream(tmp_path / "bad.csv", b"a,b\n1,", (b"x" * MiB, 2), b"\n")
    good = tmp_path / "good.csv"
    good.write_text(csv_text(symmetric()))
    args: dict[str, Callable[[], list[str]]] = {
        "symmetric": lambda: ["symmetric", str(bad)],
        "wiod": lambda: ["wiod", "--iot", str(bad), "--sea", str(good)],
        "bea": lambda: ["bea", "--use", str(bad), "--make", str(good)],
    }
    before = _listing(tmp_path)
    for out in (tmp_path / "out", tmp_path / "out.npz"):
        code, output = _import(*args[kind](), "--out", str(out))
        assert code == 2, output
        assert "bad.csv" in output
        assert _listing(tmp_path) == before  # no bundle, no temporary left behind
