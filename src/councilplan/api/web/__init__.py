"""The server-rendered pages: Jinja2 templates, htmx (vendored from npm) as an
enhancement only -- every page and form works without JavaScript.

Pages are modules of :mod:`.pages` (one per area, listed in :data:`.pages.PAGES`); they
call the same services as the JSON API and render with :func:`.render.page`. Static
files (CSS, ``vendor/htmx.min.js``) are served from ``/static``.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from fastapi.staticfiles import StaticFiles

from councilplan.api.web.render import environment

if TYPE_CHECKING:
    from fastapi import FastAPI

    from councilplan.api.deps import AppState

__all__ = ["install"]


def install(app: FastAPI, state: AppState) -> None:
    from councilplan.api.web.pages import PAGES

    state.templates = environment()
    static = resources.files("councilplan.api.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for router in PAGES:
        app.include_router(router)
