"""Commands for looking inside: parse, extract and evaluate e-mails."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mailflow.cli.common import (
    CatalogOption,
    ConfigOption,
    CustomersOption,
    app,
    refdata_from,
)


@app.command()
def parse(
    files: list[Path],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per message.")] = False,
) -> None:
    """Parse .eml files into Envelopes (new text, quotes, attachments, auto-reply verdict)."""
    from mailflow.mail.parse_cli import run_parse

    raise typer.Exit(run_parse(files, as_json=as_json, out=sys.stdout))


@app.command()
def extract(
    paths: list[Path],
    catalog: CatalogOption = None,
    customers: CustomersOption = None,
    config: ConfigOption = None,
) -> None:
    """Extract orders from .eml files or folders; one JSON object per e-mail."""
    from mailflow.extract.commands import run_extract

    raise typer.Exit(
        run_extract(paths, refdata=refdata_from(catalog, customers, config), out=sys.stdout)
    )


@app.command(name="eval")
def evaluate(
    directory: Path,
    catalog: CatalogOption = None,
    customers: CustomersOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    config: ConfigOption = None,
) -> None:
    """Score extraction against NNN.eml/NNN.json pairs and print per-field figures."""
    from mailflow.extract.commands import run_eval

    refdata = refdata_from(catalog, customers, config)
    raise typer.Exit(run_eval(directory, refdata=refdata, out=sys.stdout, as_json=as_json))
