"""Vendor the browser assets from the npm registry into the package (run at build time).

    python scripts/vendor_assets.py           # npm ci, then copy into the package
    python scripts/vendor_assets.py --check   # npm ci, then fail if the copies differ

``npm ci`` installs exactly what ``web-assets/package-lock.json`` pins and checks each
package tarball against the lockfile's ``integrity`` (SHA-512). The files the pages use
are then copied to ``src/councilplan/api/web/static/vendor/`` with ``VENDORED.json``:
for each file, the package, version, the lockfile's integrity of the tarball it came
from, and the file's own SHA-512. The copies are committed, so ``pip install -e .`` works
offline; ``tests/unit/api/test_vendored_assets.py`` holds the committed files against
that record and the lockfile.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "web-assets"
VENDOR = ROOT / "src" / "councilplan" / "api" / "web" / "static" / "vendor"
FILES = {  # package -> (file in the package, name in vendor/)
    "htmx.org": [("dist/htmx.min.js", "htmx.min.js"), ("LICENSE", "htmx.LICENSE.txt")],
}


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")


def record() -> dict[str, object]:
    lock = json.loads((ASSETS / "package-lock.json").read_text(encoding="utf-8"))
    out: dict[str, object] = {}
    for package, files in FILES.items():
        entry = lock["packages"][f"node_modules/{package}"]
        for source, name in files:
            data = (ASSETS / "node_modules" / package / source).read_bytes()
            out[name] = {"package": package, "version": entry["version"],
                         "source": source, "tarball_integrity": entry["integrity"],
                         "sha512": sri_sha512(data)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if the committed copies differ from the lockfile's")
    parser.add_argument("--no-install", action="store_true",
                        help="use web-assets/node_modules as it is (no npm ci)")
    args = parser.parse_args()
    if not args.no_install:
        npm = shutil.which("npm")
        if npm is None:
            print("npm is not installed: cannot fetch the assets", file=sys.stderr)
            return 2
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                       cwd=ASSETS, check=True)
    wanted = record()
    manifest = VENDOR / "VENDORED.json"
    if args.check:
        bad = []
        for package, files in FILES.items():
            for source, name in files:
                fresh = (ASSETS / "node_modules" / package / source).read_bytes()
                have = (VENDOR / name).read_bytes() if (VENDOR / name).exists() else b""
                if fresh != have:
                    bad.append(name)
        if not manifest.exists() or json.loads(manifest.read_text(encoding="utf-8")) != wanted:
            bad.append("VENDORED.json")
        if bad:
            print("vendored assets differ from web-assets/package-lock.json: "
                  + ", ".join(bad) + " (run python scripts/vendor_assets.py)", file=sys.stderr)
            return 1
        print("vendored assets match web-assets/package-lock.json")
        return 0
    VENDOR.mkdir(parents=True, exist_ok=True)
    for package, files in FILES.items():
        for source, name in files:
            shutil.copyfile(ASSETS / "node_modules" / package / source, VENDOR / name)
    manifest.write_text(json.dumps(wanted, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"vendored {', '.join(wanted)} into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
