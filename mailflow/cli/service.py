"""Commands that run the loop: the service, the demo, one pass, sending, the schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from mailflow.app import App, load_refdata
from mailflow.cli.common import (
    ActorOption,
    CatalogOption,
    ConfigOption,
    CustomersOption,
    app,
    console,
    db_app,
    fail,
    handled,
    open_app,
    settings_from,
)
from mailflow.clock import utcnow
from mailflow.config import Settings
from mailflow.db.models import Message
from mailflow.db.session import make_engine, transaction, upgrade


@app.command()
def run(config: ConfigOption = None) -> None:
    """Run the service: fetch, process, send, export, on a schedule."""
    from mailflow.scheduler import run_service

    with handled():
        run_service(open_app(config))


@app.command()
def demo(
    workdir: Annotated[
        Path, typer.Option(help="Where the demo keeps its database and mail.")
    ] = Path("var/demo"),
) -> None:
    """Seed a local inbox with demo orders, run the loop once and show what happened."""
    from mailflow.demo import run_demo

    with handled():
        run_demo(workdir, console=console)


@app.command()
def process(
    files: list[Path],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print extraction, findings, decision and reply.")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing.")] = False,
    catalog: CatalogOption = None,
    customers: CustomersOption = None,
    promotions: Annotated[Path | None, typer.Option("--promotions")] = None,
    holidays: Annotated[Path | None, typer.Option("--holidays")] = None,
    today: Annotated[str | None, typer.Option("--today", help="YYYY-MM-DD")] = None,
    config: ConfigOption = None,
) -> None:
    """Treat .eml files as arrived mail: check them (--json) and, unless
    --dry-run, record and process them like the service would."""
    overrides = {
        "catalog": catalog,
        "customers": customers,
        "promotions": promotions,
        "holidays": holidays,
    }
    data = {key: str(value) for key, value in overrides.items() if value is not None}
    settings = settings_from(config, data=data)
    day = _day(today)
    if as_json:
        _print_checks(files, settings, day)
    if not dry_run:
        _record_and_process(files, settings, day, quiet=as_json)


def _day(text: str | None) -> date:
    from datetime import date as date_type

    try:
        return date_type.fromisoformat(text) if text else utcnow().date()
    except ValueError:
        raise fail(f"--today: not a date (YYYY-MM-DD): {text}", 2) from None


def _print_checks(files: list[Path], settings: Settings, day: date) -> None:
    from mailflow.checking import check_file

    with handled():
        refdata = load_refdata(settings)
        for path in files:
            result = check_file(path.read_bytes(), refdata=refdata, settings=settings, today=day)
            typer.echo(json.dumps({"file": str(path), **result}, ensure_ascii=False, default=str))


def _record_and_process(files: list[Path], settings: Settings, day: date, *, quiet: bool) -> None:
    from mailflow.intake import record_file

    with handled():
        application = App.build(settings)
        application.services.today = lambda: day
        for path in files:
            record_file(application.factory, path)
        for result in application.process():
            if not quiet:
                console.print(f"message {result.message_id}: {result.state} — {result.outcome}")


@app.command()
def send(config: ConfigOption = None) -> None:
    """Send every approved reply that is due."""
    stats = open_app(config).send()
    console.print(f"sent {stats.sent}, retrying {stats.retried}, failed {stats.failed}")


@app.command()
def fetch(config: ConfigOption = None) -> None:
    """One pass of intake, processing, sending and export."""
    application = open_app(config)
    with handled():
        report = application.cycle()
    console.print(
        f"fetched {report.intake.fetched}, processed {len(report.processed)}, "
        f"sent {report.outbox.sent}, exported {report.exported}"
    )


@app.command()
def requeue(message_id: int, actor: ActorOption = "clerk", config: ConfigOption = None) -> None:
    """Send a quarantined message through the pipeline again."""
    from mailflow.pipeline import requeue as requeue_message

    application = open_app(config)
    with handled():
        with transaction(application.factory) as session:
            requeue_message(session, message_id, actor=actor)
        for result in application.process():
            console.print(f"message {result.message_id}: {result.state} — {result.outcome}")


@app.command()
def resend(outbox_id: int, actor: ActorOption = "clerk", config: ConfigOption = None) -> None:
    """Send a failed reply again (same bytes, same Message-ID), after the cause
    (a refused address, a rejected relay) was fixed."""
    from mailflow.outbox import requeue_failed

    application = open_app(config)
    with handled():
        with transaction(application.factory) as session:
            requeue_failed(session, outbox_id, actor=actor)
        stats = application.send()
    console.print(f"sent {stats.sent}, retrying {stats.retried}, failed {stats.failed}")


@app.command()
def messages(
    config: ConfigOption = None, state: Annotated[str | None, typer.Option()] = None
) -> None:
    """List recorded messages (quarantined ones with their error)."""
    application = open_app(config)
    table = Table("id", "state", "from", "subject", "intent", "error")
    with application.factory() as session:
        query = select(Message).order_by(Message.id)
        if state:
            query = query.where(Message.state == state)
        for m in session.scalars(query):
            table.add_row(
                str(m.id), m.state, m.sender or "", m.subject or "", m.intent or "", m.error or ""
            )
    console.print(table)


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None) -> None:
    """Apply database migrations."""
    settings = settings_from(config)
    with handled():
        upgrade(make_engine(settings.database.url))
    console.print("database is up to date")
