"""``councilplan economy ...``: generate and inspect economies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from councilplan.cli.errors import handle_errors
from councilplan.cli.progress import stages
from councilplan.io import load_economy, save_economy
from councilplan.planning import generate_economy, spectral_radius

app = typer.Typer(help="Generate and inspect economies.", no_args_is_help=True)
console = Console()


@app.command("generate")
@handle_errors
def generate(
    products: Annotated[int, typer.Option("--products", help="number of products n")],
    out: Annotated[Path, typer.Option("--out", help="bundle folder, or a .npz file")],
    inputs: Annotated[int, typer.Option("--inputs", help="mean inputs per product")] = 50,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    radius: Annotated[float, typer.Option("--spectral-radius")] = 0.5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A realistic large economy: Pareto sector sizes, preferential suppliers, rho(A) set."""
    with stages(as_json) as s:
        eco = s.run(f"generating {products} products", lambda: generate_economy(
            products, inputs, seed=seed, spectral_radius=radius))
        s.run(f"writing {out}", lambda: save_economy(eco, out))
    summary = {"out": str(out), "products": eco.n, "nonzeros": int(eco.A.nnz), "seed": seed,
               "spectral_radius": radius}
    if as_json:
        typer.echo(json.dumps(summary))
    else:
        console.print(f"wrote {eco.n} products with {eco.A.nnz} inputs (seed {seed}, "
                      f"spectral radius {radius}) to {out}")


@app.command("show")
@handle_errors
def show(
    bundle: Annotated[Path, typer.Argument(help="economy bundle folder or .npz file")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Size, source and spectral radius of an economy."""
    eco = load_economy(bundle)
    info = {"products": eco.n, "techniques": eco.m, "nonzeros": int(eco.A.nnz),
            "spectral_radius": spectral_radius(eco), "source": eco.meta.get("source", ""),
            "resources": list(eco.resources)}
    if as_json:
        typer.echo(json.dumps(info, indent=2))
        return
    for k, v in info.items():
        console.print(f"{k}: {v}", highlight=False)
