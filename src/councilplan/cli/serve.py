"""``councilplan serve``: the councils' web application and API under uvicorn.

    councilplan serve --db councils.db --host 127.0.0.1 --port 8000

The database must be migrated (``councilplan db upgrade``). Settings come from
``COUNCILPLAN_*`` variables (see :class:`councilplan.api.settings.Settings`); set
``COUNCILPLAN_SECRET_KEY`` to keep sessions across restarts, and ``--https`` (or
``COUNCILPLAN_HTTPS=1``) behind a TLS proxy so cookies are Secure and HSTS is sent.
"""

from __future__ import annotations

from typing import Annotated

import typer

from councilplan.cli.db import DbOpt
from councilplan.cli.errors import handle_errors
from councilplan.store import database_url

__all__ = ["run_server", "serve"]

HostOpt = Annotated[str, typer.Option("--host", help="address to listen on")]
PortOpt = Annotated[int, typer.Option("--port", help="port to listen on")]


def run_server(url: str, host: str, port: int, *, https: bool = False,
               log_level: str = "info", workers: int = 1, **overrides: object) -> None:
    """Serve the app for database ``url`` until interrupted.

    ``workers`` > 1: that many processes (settings through the environment; one secret
    key for all, made here when none is set; no session cache unless
    ``COUNCILPLAN_SESSION_CACHE_SECONDS`` asks for one, so a logout is honoured by every
    process at once).
    """
    import sys

    import uvicorn

    from councilplan.api.app import SWITCH_INTERVAL, create_app
    from councilplan.api.settings import Settings

    sys.setswitchinterval(SWITCH_INTERVAL)
    options = {"host": host, "port": port, "log_level": log_level, "proxy_headers": False,
               "server_header": False, "date_header": True, "timeout_graceful_shutdown": 5}
    if workers > 1:
        import os
        import secrets

        os.environ["COUNCILPLAN_DATABASE_URL"] = url
        os.environ.setdefault("COUNCILPLAN_SECRET_KEY", secrets.token_hex(32))
        os.environ.setdefault("COUNCILPLAN_SESSION_CACHE_SECONDS", "0")
        if https:
            os.environ["COUNCILPLAN_HTTPS"] = "1"
        uvicorn.run("councilplan.api.app:app_from_env", factory=True, workers=workers,
                    **options)  # type: ignore[arg-type]
        return
    if https:
        overrides["https"] = True
    app = create_app(Settings.from_env(database_url=url, **overrides))
    uvicorn.run(app, **options)  # type: ignore[arg-type]


@handle_errors
def serve(
    db: DbOpt = None,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    https: Annotated[bool, typer.Option("--https", help="served over https (behind a TLS "
                                        "proxy): Secure cookies and HSTS")] = False,
    log_level: Annotated[str, typer.Option("--log-level")] = "info",
    workers: Annotated[int, typer.Option("--workers", min=1, help="server processes (for "
                                         "PostgreSQL; SQLite admits one writer at a "
                                         "time)")] = 1,
) -> None:
    """Serve the web application and the JSON API (its OpenAPI document at
    /api/openapi.json)."""
    url = database_url(db).render_as_string(hide_password=False)
    typer.echo(f"councilplan on http://{host}:{port}/ (API: /api/openapi.json)")
    run_server(url, host, port, https=https, log_level=log_level, workers=workers)
