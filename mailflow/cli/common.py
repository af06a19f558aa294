"""Shared parts of the ``mailflow`` command: the Typer apps, options, and
the error handling that turns our errors into one line and an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailflow.app import App
from mailflow.config import Settings, load_settings
from mailflow.db.models import Order
from mailflow.errors import ConfigError, MailflowError
from mailflow.refdata import ReferenceData, load_reference_data

app = typer.Typer(
    pretty_exceptions_enable=False,
    help="Mailflow: turns a shared order inbox into confirmed orders.",
    no_args_is_help=True,
)

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)

audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(audit_app, name="audit")

console = Console()

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="TOML config file (default: $MAILFLOW_CONFIG or config/mailflow.toml).",
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"mailflow: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Turn our errors into one line and an exit code instead of a traceback."""
    try:
        yield
    except ConfigError as exc:
        raise fail(f"configuration error: {exc}", 2) from None
    except MailflowError as exc:
        raise fail(str(exc)) from None


def settings_from(config: Path | None, **overrides: dict[str, str]) -> Settings:
    with handled():
        settings = load_settings(config, **overrides)
    setup_logging(settings)
    return settings


def setup_logging(settings: Settings) -> None:
    from mailflow.logs import configure

    configure(level=settings.log.level, json_format=settings.log.json_format)


def open_app(config: Path | None) -> App:
    settings = settings_from(config)
    with handled():
        return App.build(settings)


CatalogOption = Annotated[
    Path | None, typer.Option("--catalog", help="Catalog CSV (default: from config).")
]

CustomersOption = Annotated[
    Path | None, typer.Option("--customers", help="Customers CSV (default: from config).")
]

ActorOption = Annotated[
    str, typer.Option("--as", help="Who is acting (recorded in the audit trail).")
]


def find_order(session: Session, reference: str) -> Order:
    found = session.scalar(select(Order).where(Order.token == reference.upper()))
    if found is None and reference.isdigit():
        found = session.get(Order, int(reference))
    if found is None:
        raise fail(f"no order {reference}")
    return found


def refdata_from(
    catalog: Path | None, customers: Path | None, config: Path | None
) -> ReferenceData:
    settings = settings_from(config)
    with handled():
        return load_reference_data(
            catalog=catalog or settings.data.catalog,
            customers=customers or settings.data.customers,
            promotions=settings.data.promotions,
            holidays=settings.data.holidays,
        )
