"""``councilplan count FILE.blt``: count a ballot file exactly, stage by stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from councilplan.cli.errors import handle_errors
from councilplan.councils.counting import SINGLE_WINNER, Method, run_count
from councilplan.io.blt import read_blt

console = Console()


@handle_errors
def count(
    file: Annotated[Path, typer.Argument(help="ballot file in .blt format")],
    method: Annotated[Method, typer.Option(help="counting method")] = Method.SCOTTISH_STV,
    seed: Annotated[str, typer.Option(help="published seed for ties decided by lot")] = "0",
    seats: Annotated[int | None, typer.Option(help="seats to fill (default: the file's)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON for machines")] = False,
) -> None:
    """Print the elected in order of election and every stage of the count."""
    election = read_blt(file)
    n_seats = 1 if method in SINGLE_WINNER else (seats or election.seats)
    result = run_count(election.profile, method=method, seats=n_seats, seed=seed)
    data = result.to_dict()
    if as_json:
        data["title"] = election.title
        data["withdrawn"] = list(election.withdrawn)
        typer.echo(json.dumps(data, indent=2))
        return
    console.print(f"[bold]{election.title or file.name}[/]: {method.value}, {n_seats} seat(s), "
                  f"{data['valid_votes']} valid votes"
                  + (f", quota {data['quota']}" if data.get("quota") else ""), highlight=False)
    for k, name in enumerate(result.elected, start=1):
        console.print(f"  {k}. {name}", highlight=False)
    stages = result.stages
    if not stages:
        return
    rows = [st.to_dict(result.decimals) for st in stages]
    outcome: dict[str, str] = {}
    for st in rows:
        for name in st.get("elected") or []:
            outcome.setdefault(str(name), f"elected at stage {st['number']}")
        for name in st.get("excluded") or []:
            outcome.setdefault(str(name), f"excluded at stage {st['number']}")
    table = Table(title=f"{len(rows)} stages (every stage in full with --json)")
    table.add_column("candidate")
    table.add_column("first", justify="right")
    table.add_column("last stage", justify="right")
    table.add_column("outcome")
    first, last = rows[0].get("votes") or {}, rows[-1].get("votes") or {}
    for cand in result.candidates:
        table.add_row(cand, str(first.get(cand, "")), str(last.get(cand, "")),
                      outcome.get(cand, ""))
    console.print(table)
    for st in rows:
        act = st["action"]
        desc = act.get("description", "") if isinstance(act, dict) else ""
        console.print(f"  stage {st['number']}: {desc}", highlight=False)
