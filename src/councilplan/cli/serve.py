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
               log_level: str = "info", **overrides: object) -> None:
    """Serve the app for database ``url`` until interrupted."""
    import uvicorn

    from councilplan.api.app import create_app
    from councilplan.api.settings import Settings

    if https:
        overrides["https"] = True
    app = create_app(Settings.from_env(database_url=url, **overrides))
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False,
                server_header=False, date_header=True, timeout_graceful_shutdown=5)


@handle_errors
def serve(
    db: DbOpt = None,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    https: Annotated[bool, typer.Option("--https", help="served over https (behind a TLS "
                                        "proxy): Secure cookies and HSTS")] = False,
    log_level: Annotated[str, typer.Option("--log-level")] = "info",
) -> None:
    """Serve the web application and the JSON API (its OpenAPI document at
    /api/openapi.json)."""
    url = database_url(db).render_as_string(hide_password=False)
    typer.echo(f"councilplan on http://{host}:{port}/ (API: /api/openapi.json)")
    run_server(url, host, port, https=https, log_level=log_level)
