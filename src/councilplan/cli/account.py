"""``councilplan account ...``: logins for members (the first officers' accounts, before
anyone can make others through the web application).

    councilplan account create w01                 # asks for the password twice
    councilplan account create w01 --username ada
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from councilplan.cli.db import DbOpt, JsonOpt, open_uow
from councilplan.cli.errors import handle_errors

__all__ = ["app"]

app = typer.Typer(help="Accounts: the logins of members for the web application.",
                  no_args_is_help=True)


@app.command("create")
@handle_errors
def create(
    member_id: Annotated[str, typer.Argument(help="the member the account is for")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True,
                                          help="at least 10 characters")],
    username: Annotated[str | None, typer.Option("--username",
                                                 help="default: the member id")] = None,
    db: DbOpt = None, as_json: JsonOpt = False,
) -> None:
    """Make a member's account (its password stored as an Argon2id hash)."""
    from councilplan.api.auth.accounts import create_account
    from councilplan.api.auth.passwords import Passwords
    from councilplan.api.settings import Settings

    account = create_account(open_uow(db), Passwords(Settings()), member_id, password,
                             datetime.now(UTC), username=username)
    if as_json:
        import json

        typer.echo(json.dumps({"account_id": account.account_id, "username": account.username,
                               "member_id": account.member_id}))
    else:
        typer.echo(f"account {account.username} made for member {member_id}")
