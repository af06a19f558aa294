"""The clerks' queue: what needs a human, most urgent first. Drafts awaiting
approval, then orders waiting for the customer or stalled, then quarantined
messages and replies that could not be delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from mailflow.db.models import AuditEvent, Draft, FindingRecord, Message, Order, OutboxItem
from mailflow.states import DraftState, MessageState, OrderState, OutboxState

WAITING_STATES = (OrderState.AWAITING_CUSTOMER, OrderState.STALLED)
CLOSED_STATES = (
    OrderState.CONFIRMED,
    OrderState.EXPORTED,
    OrderState.CANCELLED,
    OrderState.REJECTED,
)
ROW_LIMIT = 200
Query = TypeVar("Query", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class QueueFilter:
    state: str = ""
    customer: str = ""
    finding: str = ""
    search: str = ""

    @property
    def active(self) -> bool:
        return bool(self.state or self.customer or self.finding or self.search)


@dataclass(frozen=True)
class Row:
    """One line of the queue, with what the clerk needs to decide where to look."""

    order: Order
    draft: Draft | None
    codes: list[str]
    assignee: str = ""


def _order_filters(query: Query, wanted: QueueFilter) -> Query:
    if wanted.state:
        query = query.where(Order.state == wanted.state)
    if wanted.customer:
        like = f"%{wanted.customer.lower()}%"
        query = query.where(or_(Order.customer_id.ilike(like), Order.customer_email.ilike(like)))
    if wanted.finding:
        query = query.where(
            exists().where(FindingRecord.order_id == Order.id, FindingRecord.code == wanted.finding)
        )
    if wanted.search:
        like = f"%{wanted.search}%"
        query = query.where(
            or_(
                Order.token.ilike(like),
                Order.po_number.ilike(like),
                Order.customer_email.ilike(like),
                Order.customer_id.ilike(like),
            )
        )
    return query


def _codes(session: Session, order_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {order_id: [] for order_id in order_ids}
    query = select(FindingRecord.order_id, FindingRecord.code).where(
        FindingRecord.order_id.in_(order_ids)
    )
    for order_id, code in session.execute(query.order_by(FindingRecord.id)):
        found[order_id].append(code)
    return found


def _assignees(session: Session, order_ids: list[int]) -> dict[int, str]:
    """Who each order was last handed over to (the audit trail is the record)."""
    query = (
        select(AuditEvent.order_id, AuditEvent.after)
        .where(AuditEvent.action == "order.handed_over", AuditEvent.order_id.in_(order_ids))
        .order_by(AuditEvent.seq)
    )
    return {oid: str((after or {}).get("to", "")) for oid, after in session.execute(query) if oid}


def _rows(session: Session, pairs: list[tuple[Order, Draft | None]]) -> list[Row]:
    ids = [order.id for order, _ in pairs]
    codes, assignees = _codes(session, ids), _assignees(session, ids)
    return [Row(o, d, codes[o.id], assignees.get(o.id, "")) for o, d in pairs]


def pending_drafts(session: Session, wanted: QueueFilter) -> list[Row]:
    """Drafts awaiting a clerk, oldest first: the oldest customer has waited longest."""
    query = select(Order, Draft).join(Draft, Draft.order_id == Order.id)
    query = query.where(Draft.state == DraftState.PENDING)
    query = _order_filters(query, wanted).order_by(Draft.created_at, Draft.id).limit(ROW_LIMIT)
    return _rows(session, [(o, d) for o, d in session.execute(query)])


def waiting_orders(session: Session, wanted: QueueFilter) -> list[Row]:
    """Orders waiting for the customer or stalled, and open orders the
    conversation flagged for a clerk (a question, a held reply, …)."""
    flagged = Order.attention.is_not(None) & Order.state.not_in(CLOSED_STATES)
    query = select(Order).where(or_(Order.state.in_(WAITING_STATES), flagged))
    query = _order_filters(query, wanted).order_by(Order.updated_at).limit(ROW_LIMIT)
    return _rows(session, [(order, None) for order in session.scalars(query)])


def quarantined(session: Session, wanted: QueueFilter) -> list[Message]:
    query = select(Message).where(Message.state == MessageState.QUARANTINED)
    if wanted.search:
        like = f"%{wanted.search}%"
        query = query.where(or_(Message.subject.ilike(like), Message.sender.ilike(like)))
    return list(session.scalars(query.order_by(Message.id).limit(ROW_LIMIT)))


def undelivered(session: Session) -> list[tuple[OutboxItem, Order]]:
    query = (
        select(OutboxItem, Order)
        .join(Order, Order.id == OutboxItem.order_id)
        .where(OutboxItem.state.in_((OutboxState.FAILED, OutboxState.BOUNCED)))
        .order_by(OutboxItem.id)
        .limit(ROW_LIMIT)
    )
    return [(item, order) for item, order in session.execute(query)]


def finding_codes(session: Session) -> list[str]:
    return list(session.scalars(select(FindingRecord.code).distinct().order_by(FindingRecord.code)))


def age_minutes(since: datetime, now: datetime) -> int:
    return max(0, int((now - since).total_seconds() // 60))
