"""The vendored htmx is the file npm's lockfile pins: same version, from the tarball whose
integrity the lockfile records, byte for byte (when the npm install is present)."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ASSETS = ROOT / "web-assets"
VENDOR = ROOT / "src" / "councilplan" / "api" / "web" / "static" / "vendor"


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_the_vendored_files_match_the_record_and_the_lockfile() -> None:
    lock = json.loads((ASSETS / "package-lock.json").read_text(encoding="utf-8"))
    package = json.loads((ASSETS / "package.json").read_text(encoding="utf-8"))
    record = json.loads((VENDOR / "VENDORED.json").read_text(encoding="utf-8"))
    assert set(record) == {"htmx.min.js", "htmx.LICENSE.txt"}
    for name, entry in record.items():
        pinned = lock["packages"][f"node_modules/{entry['package']}"]
        assert entry["version"] == pinned["version"] == package["dependencies"][entry["package"]]
        assert entry["tarball_integrity"] == pinned["integrity"]
        assert pinned["integrity"].startswith("sha512-")
        data = (VENDOR / name).read_bytes()
        assert _sri(data) == entry["sha512"], f"{name} is not the file that was vendored"
        installed = ASSETS / "node_modules" / entry["package"] / entry["source"]
        if installed.exists():  # after `npm ci` (scripts/vendor_assets.py): byte for byte
            assert installed.read_bytes() == data


def test_htmx_is_served_and_pages_load_nothing_from_elsewhere() -> None:
    js = (VENDOR / "htmx.min.js").read_text(encoding="utf-8")
    assert "htmx" in js
    assert len(js) > 10_000
    templates = ROOT / "src" / "councilplan" / "api" / "web" / "templates"
    for t in templates.glob("*.html"):
        text = t.read_text(encoding="utf-8")
        assert "http://" not in text, t.name
        assert "https://" not in text, t.name
        assert "style=" not in text, t.name  # CSP-clean: no inline style or handlers
        assert "onclick" not in text.lower(), t.name
        assert "<script>" not in text, t.name
