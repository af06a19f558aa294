"""The ``mailflow`` command. A bad configuration stops every command with one
line naming the key and exit code 2."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailflow import audit
from mailflow.app import App
from mailflow.clock import utcnow
from mailflow.config import Settings, load_settings
from mailflow.db.models import Draft, Message, Order
from mailflow.db.session import make_engine, transaction, upgrade
from mailflow.errors import ConfigError, MailflowError
from mailflow.orders import Decision, approve_draft, reject_draft
from mailflow.refdata import ReferenceData, load_reference_data
from mailflow.states import DraftState

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
    _setup_logging(settings)
    return settings


def _setup_logging(settings: Settings) -> None:
    from mailflow.logs import configure

    configure(level=settings.log.level, json_format=settings.log.json_format)


def open_app(config: Path | None) -> App:
    settings = settings_from(config)
    with handled():
        return App.build(settings)


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


CatalogOption = Annotated[
    Path | None, typer.Option("--catalog", help="Catalog CSV (default: from config).")
]
CustomersOption = Annotated[
    Path | None, typer.Option("--customers", help="Customers CSV (default: from config).")
]


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
    from mailflow.app import load_refdata
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
def parse(
    files: list[Path],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per message.")] = False,
) -> None:
    """Parse .eml files into Envelopes (new text, quotes, attachments, auto-reply verdict)."""
    from mailflow.mail.parse_cli import run_parse

    raise typer.Exit(run_parse(files, as_json=as_json, out=sys.stdout))


def _refdata(catalog: Path | None, customers: Path | None, config: Path | None) -> ReferenceData:
    settings = settings_from(config)
    with handled():
        return load_reference_data(
            catalog=catalog or settings.data.catalog,
            customers=customers or settings.data.customers,
            promotions=settings.data.promotions,
            holidays=settings.data.holidays,
        )


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
        run_extract(paths, refdata=_refdata(catalog, customers, config), out=sys.stdout)
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

    refdata = _refdata(catalog, customers, config)
    raise typer.Exit(run_eval(directory, refdata=refdata, out=sys.stdout, as_json=as_json))


@app.command()
def drafts(
    config: ConfigOption = None,
    show_all: Annotated[bool, typer.Option("--all", help="Also decided drafts.")] = False,
) -> None:
    """List drafts awaiting approval."""
    application = open_app(config)
    table = Table("id", "order", "kind", "to", "subject", "state")
    with application.factory() as session:
        query = select(Draft, Order).join(Order, Order.id == Draft.order_id).order_by(Draft.id)
        if not show_all:
            query = query.where(Draft.state == DraftState.PENDING)
        for draft, order in session.execute(query):
            table.add_row(
                str(draft.id), order.token, draft.kind, draft.to_addr, draft.subject, draft.state
            )
    console.print(table)


ActorOption = Annotated[
    str, typer.Option("--as", help="Who is acting (recorded in the audit trail).")
]


@app.command()
def approve(draft_id: int, actor: ActorOption = "clerk", config: ConfigOption = None) -> None:
    """Approve a draft: its Message-ID is fixed and it is queued for sending."""
    application = open_app(config)
    with handled(), transaction(application.factory) as session:
        item = approve_draft(session, Decision(draft_id, actor), desk=application.settings.desk)
        console.print(f"draft {draft_id} approved; queued as {item.message_id}")


@app.command()
def reject(
    draft_id: int,
    reason: Annotated[str, typer.Option(help="Why (kept in the audit trail).")] = "",
    actor: ActorOption = "clerk",
    config: ConfigOption = None,
) -> None:
    """Reject a draft: nothing is sent."""
    application = open_app(config)
    with handled(), transaction(application.factory) as session:
        reject_draft(session, Decision(draft_id, actor, reason))
        console.print(f"draft {draft_id} rejected")


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


def _find_order(session: Session, reference: str) -> Order:
    found = session.scalar(select(Order).where(Order.token == reference.upper()))
    if found is None and reference.isdigit():
        found = session.get(Order, int(reference))
    if found is None:
        raise fail(f"no order {reference}")
    return found


@app.command(name="export")
def export_order(order: str, actor: ActorOption = "clerk", config: ConfigOption = None) -> None:
    """Deliver an order's export again (files and webhook) and show the result."""
    from mailflow.export import replay

    application = open_app(config)
    with handled():
        with transaction(application.factory) as session:
            count = replay(session, _find_order(session, order), actor=actor)
        delivered = application.export()
    console.print(f"{count} export(s) replayed, {delivered} delivered")


@app.command()
def ship(
    order: str,
    carrier: Annotated[str, typer.Option(help="Who carries it.")],
    tracking: Annotated[str, typer.Option(help="The carrier's tracking number.")],
    actor: ActorOption = "warehouse",
    config: ConfigOption = None,
) -> None:
    """Record a dispatched shipment and send the customer a shipping notice."""
    from mailflow.shipping import record_shipment

    application = open_app(config)
    with handled():
        with transaction(application.factory) as session:
            found = _find_order(session, order)
            record_shipment(
                session,
                found,
                carrier=carrier,
                tracking=tracking,
                actor=actor,
                services=application.services,
            )
        stats = application.send()
    console.print(f"shipment recorded; notice sent: {stats.sent}")


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
def orders(
    config: ConfigOption = None,
    state: Annotated[str | None, typer.Option(help="Only orders in this state.")] = None,
) -> None:
    """List orders with their state, what needs a clerk, and their exports."""
    from mailflow.db.models import Export

    application = open_app(config)
    table = Table("order", "state", "customer", "PO", "attention", "exports")
    with application.factory() as session:
        query = select(Order).order_by(Order.id)
        if state:
            query = query.where(Order.state == state)
        for order in session.scalars(query):
            exports = session.scalars(select(Export).where(Export.order_id == order.id)).all()
            shown = ", ".join(f"{e.kind} {e.event} {e.state}" for e in exports)
            table.add_row(
                order.token,
                order.state,
                order.customer_id or order.customer_email,
                order.po_number or "",
                order.attention or "",
                shown,
            )
    console.print(table)


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


@audit_app.command("verify")
def audit_verify(config: ConfigOption = None) -> None:
    """Recompute the hash chain; exit 1 if anything was altered."""
    application = open_app(config)
    with application.factory() as session:
        result = audit.verify(session)
    console.print(result.describe())
    raise typer.Exit(0 if result.ok else 1)


@audit_app.command("show")
def audit_show(
    order: str,
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The audit timeline of one order (by token or id)."""
    application = open_app(config)
    with application.factory() as session:
        found = _find_order(session, order)
        events = audit.for_order(session, found.id)
    if as_json:
        for e in events:
            typer.echo(
                json.dumps(
                    {
                        "seq": e.seq,
                        "at": e.at.isoformat(),
                        "actor": e.actor,
                        "action": e.action,
                        "before": e.before,
                        "after": e.after,
                    },
                    ensure_ascii=False,
                )
            )
        return
    table = Table("#", "at", "actor", "action", "change")
    for e in events:
        change = json.dumps(e.after, ensure_ascii=False)[:100] if e.after else ""
        table.add_row(str(e.seq), f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action, change)
    console.print(table)


def main() -> None:
    logging.captureWarnings(True)
    app()
