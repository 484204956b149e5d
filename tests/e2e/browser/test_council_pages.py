"""The council pages in the browser: the account page, motions and amendments, recall
from the council page, seats, admissions, the mandate page; by keyboard; on a phone."""

from __future__ import annotations

from typing import Any

from tests.e2e.browser.conftest import DESKTOP, PHONE, Site

NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_pages_fit_a_phone_and_a_desktop(site: Site, visitor: Any) -> None:
    for viewport in (PHONE, DESKTOP):
        v = visitor(viewport)
        v.log_in("jonas")
        paths = {"home": "/", "council": "/councils/wp1", "area": "/councils/riverside",
                 "ballot": f"/ballots/{site.fed.open_ballot}",
                 "petition": f"/petitions/{site.fed.petition}", "audit": "/audit"}
        for label, path in paths.items():
            page = v.go(path)
            v.shot(label)
            assert page.evaluate(NO_OVERFLOW), (label, "wider than the screen")
