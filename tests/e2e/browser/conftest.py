"""Browser tests: Playwright driving Debian's Chromium (``/usr/bin/chromium``; ``.ci/run``
installs the packages ``chromium`` and ``chromium-driver``) against the real server --
uvicorn in a thread on 127.0.0.1 and a free port -- on the demo federation in a SQLite
file. The server's clock is the test's (``clock.now += ...``), so ballots can close.

Screenshots go to a temporary folder (``screenshots`` fixture), or to
``$COUNCILPLAN_SCREENSHOTS`` when set, so a person can look at them.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

if not CHROMIUM.exists():
    pytest.skip("Debian's Chromium is not installed (/usr/bin/chromium): "
                "apt-get install chromium chromium-driver", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from councilplan.api.app import create_app  # noqa: E402
from councilplan.api.auth.passwords import Passwords  # noqa: E402
from councilplan.api.settings import Settings  # noqa: E402
from councilplan.cli.federation import DEMO_PASSWORD, DemoFederation, seed_federation  # noqa: E402
from councilplan.store import UnitOfWork, make_engine, upgrade  # noqa: E402


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Site:
    url: str
    clock: Clock
    fed: DemoFederation
    uow: UnitOfWork  # on the same database, for looking things up


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    import uvicorn

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    clock = Clock(datetime.now(UTC).replace(microsecond=0))
    settings = Settings(database_url=url, tick_seconds=0, argon2_time_cost=1,
                        argon2_memory_kib=8, argon2_parallelism=1, rate_per_second=500,
                        rate_burst=1000, clock=clock)
    engine = make_engine(url)
    uow = UnitOfWork(engine)
    fed = seed_federation(uow, ["Other services, public", "Trade, hotels", "Industry (all)",
                                "Financial and business services"], clock.now,
                          password_hash=Passwords(settings).hash(DEMO_PASSWORD))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield Site(f"http://127.0.0.1:{port}", clock, fed, uow)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM),
                              args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("COUNCILPLAN_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Visitor:
    """A person with a browser: a page at one viewport, its console errors collected."""

    def __init__(self, browser: Browser, site: Site, shots: Path, name: str,
                 viewport: dict[str, int], **context: Any) -> None:
        self.site, self.shots, self.name = site, shots, name
        self.context = browser.new_context(viewport=viewport, **context)  # type: ignore[arg-type]
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _console(self, message: Any) -> None:
        # a refusal is a 4xx page by design; anything else logged as an error (a script
        # error, a Content-Security-Policy violation, a missing file) fails the test
        if message.type == "error" and not re.search(r"status of 4(01|03|09|13|22|29)",
                                                      message.text):
            self.errors.append(f"{message.text} at {message.location}")

    def go(self, path: str) -> Page:
        self.page.goto(self.site.url + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.go("/login")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(self.site.url + "/")

    def shot(self, label: str) -> Path:
        path = self.shots / f"{self.name}-{label}.png"
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visitor(browser: Browser, site: Site, screenshots: Path,
            request: pytest.FixtureRequest) -> Iterator[Any]:
    made: list[Visitor] = []

    def make(viewport: dict[str, int] = PHONE, **context: Any) -> Visitor:
        label = "phone" if viewport == PHONE else "desktop"
        v = Visitor(browser, site, screenshots, f"{request.node.name}-{label}", viewport,
                    **context)
        made.append(v)
        return v

    yield make
    for v in made:
        assert not v.errors, f"the browser reported errors: {v.errors}"
        v.close()
