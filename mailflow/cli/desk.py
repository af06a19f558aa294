"""Commands a clerk uses: drafts, decisions, orders, exports, shipments, audit."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from mailflow import audit
from mailflow.cli.common import (
    ActorOption,
    ConfigOption,
    app,
    audit_app,
    console,
    find_order,
    handled,
    open_app,
)
from mailflow.db.models import Draft, Order
from mailflow.db.session import transaction
from mailflow.orders import Decision, approve_draft, reject_draft
from mailflow.states import DraftState


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


@app.command(name="export")
def export_order(order: str, actor: ActorOption = "clerk", config: ConfigOption = None) -> None:
    """Deliver an order's export again (files and webhook) and show the result."""
    from mailflow.export import replay

    application = open_app(config)
    with handled():
        with transaction(application.factory) as session:
            count = replay(session, find_order(session, order), actor=actor)
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
            found = find_order(session, order)
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
        found = find_order(session, order)
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
