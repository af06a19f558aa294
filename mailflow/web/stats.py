"""The desk's figures for the dashboard, computed from the orders, drafts,
outbox and audit trail of the last ``days`` days."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailflow.db.models import AuditEvent, Draft, FindingRecord, Message, Order, OutboxItem
from mailflow.states import DraftState, OrderState

CONFIRMED_STATES = (OrderState.CONFIRMED, OrderState.EXPORTED)


@dataclass(frozen=True)
class Spread:
    """Minutes from arrival to our first reply."""

    count: int
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class Dashboard:
    days: int
    per_day: list[tuple[date, int]]
    confirmed: int
    touchless: int
    orders: int
    clarification: list[tuple[str, int]]  # finding code, orders that need asking about it
    first_reply: Spread
    overdue: list[tuple[Draft, Order]]
    corrections: list[tuple[str, int]]

    @property
    def touchless_rate(self) -> float | None:
        return self.touchless / self.confirmed if self.confirmed else None


def percentile(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _orders(session: Session, since: datetime) -> list[Order]:
    return list(session.scalars(select(Order).where(Order.created_at >= since)))


def _per_day(orders: list[Order], today: date, days: int) -> list[tuple[date, int]]:
    counts = Counter(order.created_at.date() for order in orders)
    return [
        (day, counts[day]) for day in (today - timedelta(days=n) for n in range(days - 1, -1, -1))
    ]


def _clarification(session: Session, ids: list[int]) -> list[tuple[str, int]]:
    query = (
        select(FindingRecord.code, func.count(func.distinct(FindingRecord.order_id)))
        .where(FindingRecord.order_id.in_(ids), FindingRecord.severity == "error")
        .group_by(FindingRecord.code)
    )
    return sorted(((code, n) for code, n in session.execute(query)), key=lambda r: -r[1])


def _first_reply(session: Session, orders: list[Order]) -> Spread:
    arrived = dict(
        session.execute(
            select(Message.id, Message.received_at).where(
                Message.id.in_([o.source_message_id for o in orders if o.source_message_id])
            )
        ).all()
    )
    sent = dict(
        session.execute(
            select(OutboxItem.order_id, func.min(OutboxItem.sent_at))
            .where(OutboxItem.order_id.in_([o.id for o in orders]), OutboxItem.sent_at.is_not(None))
            .group_by(OutboxItem.order_id)
        ).all()
    )
    minutes = [
        (_aware(first) - arrived[o.source_message_id]).total_seconds() / 60
        for o in orders
        if (first := sent.get(o.id)) is not None and o.source_message_id in arrived
    ]
    return Spread(len(minutes), percentile(minutes, 0.5), percentile(minutes, 0.9))


def _aware(moment: datetime) -> datetime:
    # func.min() bypasses the column type, so SQLite hands back a naive UTC value.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _overdue(session: Session, now: datetime, sla_minutes: int) -> list[tuple[Draft, Order]]:
    query = (
        select(Draft, Order)
        .join(Order, Order.id == Draft.order_id)
        .where(Draft.state == DraftState.PENDING)
        .where(Draft.created_at < now - timedelta(minutes=sla_minutes))
        .order_by(Draft.created_at)
    )
    return [(draft, order) for draft, order in session.execute(query)]


def _corrections(session: Session, since: datetime) -> list[tuple[str, int]]:
    query = select(AuditEvent.after).where(
        AuditEvent.action == "order.corrected", AuditEvent.at >= since
    )
    counts = Counter(str((after or {}).get("field", "?")) for after in session.scalars(query))
    return counts.most_common()


def dashboard(session: Session, *, now: datetime, days: int, sla_minutes: int) -> Dashboard:
    since = now - timedelta(days=days)
    orders = _orders(session, since)
    confirmed = [o for o in orders if o.state in CONFIRMED_STATES]
    return Dashboard(
        days=days,
        per_day=_per_day(orders, now.date(), days),
        confirmed=len(confirmed),
        touchless=sum(1 for o in confirmed if not o.touched),
        orders=len(orders),
        clarification=_clarification(session, [o.id for o in orders]),
        first_reply=_first_reply(session, orders),
        overdue=_overdue(session, now, sla_minutes),
        corrections=_corrections(session, since),
    )
