"""A clerk's corrections to an order: a line's product or quantity, the
requested date, the ship-to. Each correction is recorded with the clerk's name,
marks the order as touched (it no longer counts as touchless), and the order
is checked again and its reply redrafted through ``mailflow.revise``, the same
path the conversation takes when a customer changes an order."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.db.models import CustomerAlias, Draft, Message, Order, OrderLine
from mailflow.orders import ThreadHeaders, last_sent_draft, mark_touched
from mailflow.revise import Revision, redraft
from mailflow.states import MessageState
from mailflow.web.framework import Refused
from mailflow.web.mailview import envelope_of
from mailflow.work import Services

SHIP_TO_FIELDS = ("name", "street", "city", "region", "postcode", "country")
MAX_QUANTITY = 1_000_000
Change = dict[str, str]
_SPACES = re.compile(r"\s+")


def _correct(
    session: Session,
    order: Order,
    name: str,
    old: Any,
    new: Any,
    *,
    actor: str,
    line: int | None = None,
) -> None:
    where = {"line": line} if line is not None else {}
    audit.record(
        session,
        "order.corrected",
        actor=actor,
        order_id=order.id,
        before={"field": name, **where, "value": old},
        after={"field": name, **where, "value": new},
    )


def parse_quantity(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) <= MAX_QUANTITY:
        raise Refused(422, f"A quantity is a whole number from 1 to {MAX_QUANTITY}.")
    return int(text)


def parse_day(text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(422, "A date is written YYYY-MM-DD.") from None


def line_at(order: Order, position: int) -> OrderLine:
    found = next((ln for ln in order.lines if ln.position == position), None)
    if found is None:
        raise Refused(404, f"Order {order.token} has no line {position + 1}.")
    return found


def _shown(value: object) -> str:
    """A value as the customer reads it in "what changed since our last e-mail"."""
    if value is None or value == "":
        return "-"
    if isinstance(value, dict):
        return ", ".join(str(v) for k, v in value.items() if v and k != "region")
    return str(value)


def change(name: str, label: str, before: object, after: object) -> Change:
    """A change in the shape ``mailflow.merge`` gives the revised reply."""
    return {"field": name, "name": label, "before": _shown(before), "after": _shown(after)}


def correct_line(
    session: Session, order: Order, line: OrderLine, *, sku: str, quantity: int, actor: str
) -> list[Change]:
    """Set the line's product and quantity; the changes made (none: nothing differed)."""
    changes = []
    if sku != line.sku:
        _correct(session, order, "sku", line.sku, sku, actor=actor, line=line.position)
        changes.append(change("product", line.description, line.sku, sku))
        line.sku, line.confidence = sku, 1.0
    if quantity != line.quantity:
        _correct(session, order, "quantity", line.quantity, quantity, actor=actor,
                 line=line.position)  # fmt: skip
        changes.append(change("quantity", line.sku or line.description, line.quantity, quantity))
        line.quantity = quantity
    return changes


def correct_order(
    session: Session, order: Order, *, requested: date | None, ship_to: dict[str, str], actor: str
) -> list[Change]:
    changes = []
    if requested != order.requested_date:
        old = order.requested_date.isoformat() if order.requested_date else None
        _correct(session, order, "requested_date", old, requested, actor=actor)
        changes.append(change("requested_date", "", order.requested_date, requested))
        order.requested_date, order.asap = requested, False
    cleaned = {key: value for key, value in ship_to.items() if value} or None
    if cleaned != ({k: v for k, v in (order.ship_to or {}).items() if v} or None):
        _correct(session, order, "ship_to", order.ship_to, cleaned, actor=actor)
        changes.append(change("ship_to", "", order.ship_to, cleaned))
        order.ship_to = cleaned
    return changes


def normalise_alias(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()[:300]


def remember_alias(session: Session, order: Order, *, alias: str, sku: str, actor: str) -> None:
    """The customer's own words for a product, for extraction to use next time."""
    if not order.customer_id:
        raise Refused(422, "This order has no known customer to remember the product for.")
    name = normalise_alias(alias)
    if not name:
        raise Refused(422, "Say which words of the customer mean this product.")
    row = session.scalar(
        select(CustomerAlias).where(
            CustomerAlias.customer_id == order.customer_id, CustomerAlias.alias == name
        )
    )
    before = {"sku": row.sku} if row else None
    if row is None:
        row = CustomerAlias(customer_id=order.customer_id, alias=name, sku=sku, created_by=actor)
        session.add(row)
    row.sku, row.created_by, row.created_at = sku, actor, utcnow()
    audit.record(
        session,
        "customer.alias_learned",
        actor=actor,
        order_id=order.id,
        before=before,
        after={"customer_id": order.customer_id, "alias": name, "sku": sku},
    )


def _latest_inbound(session: Session, order: Order) -> Message | None:
    """The customer's latest message about the order: not a bounce, not an
    automatic reply, not somebody else writing into the thread."""
    query = (
        select(Message)
        .where(
            Message.order_id == order.id,
            Message.state == MessageState.PROCESSED,
            Message.sender.ilike(f"%{order.customer_email}%"),
        )
        .order_by(Message.id.desc())
    )
    return session.scalars(query.limit(1)).first()


def recheck(
    session: Session, order: Order, changes: list[Change], *, services: Services, actor: str
) -> Draft:
    """After a correction: touched, a new revision, checked again, and a new
    reply drafted in answer to the customer's latest message. The reply lists
    the changes only when the customer already had an e-mail from us."""
    mark_touched(session, order.id)
    session.expire(order, ["touched"])
    order.updated_at = utcnow()
    order.revision += 1
    audit.record(session, "order.revised", actor=actor, order_id=order.id,
                 after={"revision": order.revision, "changes": changes})  # fmt: skip
    message = _latest_inbound(session, order)
    if message is None:
        raise Refused(409, f"Order {order.token} has no message to answer.")
    envelope = envelope_of(message.raw, services.settings.desk)
    revision = Revision(
        actor=actor,
        thread=ThreadHeaders.replying_to(envelope),
        reply_to=message,
        contact_name=envelope.sender_name,
        authentication_results=tuple(envelope.auth_results),
        changes=changes if last_sent_draft(session, order) else [],
    )
    return redraft(session, order, services=services, revision=revision)
