"""Revising an order: after the customer answers, changes something, or a
clerk edits it, every check runs again on the order as it now stands and the
reply it calls for is drafted (and sent, when the auto-send policy allows).
The pipeline, the conversation and the review UI all revise through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from mailflow.clock import utcnow
from mailflow.config import ChecksSettings
from mailflow.db.models import Draft, Message, Order
from mailflow.extract.types import Address, ExtractedLine, ExtractedOrder, Intent
from mailflow.orders import (
    Decision,
    ThreadHeaders,
    approve_draft,
    create_draft,
    set_order_state,
    store_findings,
)
from mailflow.states import DraftKind, OrderState
from mailflow.validate import validate_order
from mailflow.validate.context import CheckContext, PriorOrder
from mailflow.validate.decision import OrderDecision, decide
from mailflow.validate.findings import Finding
from mailflow.work import Services

AUTO_SEND_ACTOR = "auto-send policy"
STOCK_CODES = frozenset({"insufficient_stock", "out_of_stock"})


def _address(stored: dict[str, Any]) -> Address:
    def part(key: str) -> str:
        return str(stored.get(key) or "")

    return Address(
        street=part("street"),
        city=part("city"),
        region=part("region"),
        postcode=part("postcode"),
        country=part("country"),
        name=part("name"),
    )


def order_as_extracted(order: Order) -> ExtractedOrder:
    """The stored order in the shape the checks read."""
    ship_to = _address(order.ship_to) if order.ship_to else None
    return ExtractedOrder(
        intent=Intent.ORDER,
        language=order.language,
        customer_id=order.customer_id,
        po_number=order.po_number,
        requested_date=order.requested_date,
        asap=order.asap,
        ship_to=ship_to,
        lines=[
            ExtractedLine(
                sku=ln.sku,
                quantity=ln.quantity,
                description=ln.description,
                confidence=ln.confidence,
                candidates=list((ln.evidence or {}).get("candidates", [])),
            )
            for ln in order.lines
        ],
    )


def prior_orders(
    session: Session,
    *,
    customer_id: str | None,
    email: str,
    po_number: str | None,
    checks: ChecksSettings,
    exclude: int | None,
) -> list[PriorOrder]:
    """The earlier orders of the customer (or the address) that could be
    duplicates: the same PO within the PO window, or any order within the
    minutes window. Only those are loaded, so a busy customer costs nothing."""
    same = Order.customer_email == email
    if customer_id:
        same = or_(same, Order.customer_id == customer_id)
    now = utcnow()
    recent = Order.created_at >= now - timedelta(minutes=checks.duplicate_lines_minutes)
    if po_number:
        po_window = now - timedelta(days=checks.duplicate_po_days)
        recent = or_(recent, (Order.po_number == po_number) & (Order.created_at >= po_window))
    rows = session.scalars(
        select(Order).where(same, recent).options(selectinload(Order.lines)).limit(200)
    ).all()
    return [
        PriorOrder(
            customer_id=o.customer_id,
            po_number=o.po_number,
            sender=o.customer_email,
            received_at=o.created_at,
            reference=o.token,
            lines=tuple((ln.sku, ln.quantity) for ln in o.lines),
        )
        for o in rows
        if o.id != exclude and o.state is not OrderState.CANCELLED
    ]


@dataclass
class Revision:
    """Why and how an order is being revised."""

    actor: str
    thread: ThreadHeaders
    reply_to: Message | None = None
    contact_name: str = ""
    authentication_results: tuple[str, ...] = ()
    changes: list[dict[str, str]] = field(default_factory=list)


def check_order(
    session: Session, order: Order, *, services: Services, revision: Revision
) -> list[Finding]:
    """Every check on the order as it stands; accepted split deliveries
    answer the stock questions they were about."""
    settings = services.settings
    context = CheckContext(
        refdata=services.refdata,
        customer=services.refdata.customers.get(order.customer_id or ""),
        today=services.today(),
        settings=settings.checks,
        sender=order.customer_email,
        received_at=order.created_at,
        authentication_results=revision.authentication_results,
        prior_orders=tuple(
            prior_orders(
                session,
                customer_id=order.customer_id,
                email=order.customer_email,
                po_number=order.po_number,
                checks=settings.checks,
                exclude=order.id,
            )
        ),
    )
    findings = validate_order(order_as_extracted(order), context)
    split = {part["sku"] for part in order.shipments or [] if part.get("when") == "later"}
    return [f for f in findings if not (f.code in STOCK_CODES and _line_sku(order, f) in split)]


def _line_sku(order: Order, finding: Finding) -> str | None:
    if finding.line is None or finding.line >= len(order.lines):
        return None
    return order.lines[finding.line].sku


def redraft(session: Session, order: Order, *, services: Services, revision: Revision) -> Draft:
    """Check the order again and draft the reply it now calls for."""
    findings = check_order(session, order, services=services, revision=revision)
    store_findings(session, order, findings)
    if order.state in (OrderState.AWAITING_CUSTOMER, OrderState.STALLED):
        order.awaiting_since = None
        set_order_state(session, order, OrderState.DRAFTED, actor=revision.actor)
    extra = {"changes": revision.changes, "shipments": order.shipments or []}
    facts = services.reply_facts(
        order, findings=findings, contact_name=revision.contact_name, extra=extra
    )
    draft = create_draft(
        session,
        order,
        reply_to=revision.reply_to,
        thread=revision.thread,
        facts=facts,
        renderer=services.renderer,
    )
    auto_send(session, draft, findings, services=services)
    return draft


def acknowledge_cancellation(
    session: Session, order: Order, *, services: Services, revision: Revision
) -> Draft:
    """Draft the acknowledgement of a cancellation (sent at once under auto-send)."""
    facts = services.reply_facts(
        order, kind=DraftKind.CANCELLATION, contact_name=revision.contact_name
    )
    draft = create_draft(
        session,
        order,
        reply_to=revision.reply_to,
        thread=revision.thread,
        facts=facts,
        renderer=services.renderer,
    )
    if services.settings.approval.auto_send:
        approve_draft(session, Decision(draft.id, AUTO_SEND_ACTOR), desk=services.settings.desk)
    return draft


def auto_send(
    session: Session, draft: Draft, findings: list[Finding], *, services: Services
) -> bool:
    """Approve a confirmation at once when the policy allows and the checks
    decided "confirm"; True when it did."""
    settings = services.settings
    decision = decide(str(Intent.ORDER), findings, hold_codes=settings.checks.hold_codes)
    if not (settings.approval.auto_send and decision is OrderDecision.CONFIRM):
        return False
    if draft.kind is not DraftKind.CONFIRMATION:
        return False
    approve_draft(session, Decision(draft.id, AUTO_SEND_ACTOR), desk=settings.desk)
    return True
