"""Shipment follow-up: the warehouse or ERP reports a dispatched delivery
(``POST /api/orders/{id}/shipments`` or ``mailflow ship``); it is recorded and
the customer gets a shipping notice in their language, sent at once (it asks
nothing, so no clerk needs to approve it)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailflow import audit
from mailflow.db.models import Draft, Order, Shipment
from mailflow.errors import PermanentError
from mailflow.orders import Decision, ThreadHeaders, approve_draft, create_draft, last_sent_draft
from mailflow.states import DraftKind, OrderState
from mailflow.work import Services

SHIPPABLE = (OrderState.CONFIRMED, OrderState.EXPORTED)


def record_shipment(
    session: Session, order: Order, *, carrier: str, tracking: str, actor: str, services: Services
) -> Draft:
    """Record the shipment and queue the customer's notice; idempotent per
    tracking number (a repeated report raises ``PermanentError``)."""
    if order.state not in SHIPPABLE:
        raise PermanentError(f"order {order.token} is {order.state}, not confirmed")
    if not carrier.strip() or not tracking.strip():
        raise PermanentError("carrier and tracking number are both required")
    _refuse_repeat(session, order, tracking)
    session.add(
        Shipment(order_id=order.id, carrier=carrier, tracking_number=tracking, recorded_by=actor)
    )
    audit.record(
        session,
        "order.shipped",
        actor=actor,
        order_id=order.id,
        after={"carrier": carrier, "tracking": tracking},
    )
    return _notify(session, order, carrier=carrier, tracking=tracking, services=services)


def _refuse_repeat(session: Session, order: Order, tracking: str) -> None:
    known = session.scalar(
        select(Shipment.id).where(
            Shipment.order_id == order.id, Shipment.tracking_number == tracking
        )
    )
    if known is not None:
        raise PermanentError(f"shipment {tracking} of {order.token} is already recorded")


def _notify(
    session: Session, order: Order, *, carrier: str, tracking: str, services: Services
) -> Draft:
    sent = last_sent_draft(session, order)
    facts = services.reply_facts(
        order,
        kind=DraftKind.SHIPPING_NOTICE,
        language=sent.language if sent else "",
        extra={"carrier": carrier, "tracking_number": tracking},
    )
    thread = ThreadHeaders.following(sent) if sent else ThreadHeaders("Your order", None, [])
    draft = create_draft(
        session,
        order,
        reply_to=None,
        thread=thread,
        facts=facts,
        renderer=services.renderer,
        supersede=False,
    )
    approve_draft(session, Decision(draft.id, "shipping notice"), desk=services.settings.desk)
    return draft
