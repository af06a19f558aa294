"""Reminders and escalation: an order whose customer has not answered our last
e-mail within the configured working hours gets a polite reminder, at most
``max_reminders`` times; then it is marked ``stalled`` for a clerk.

The deadline is derived from ``Order.awaiting_since`` (set when our e-mail was
approved), so timers survive restarts without a job store. Creating the
reminder, approving it and queueing it happen in one transaction, and the
outbox sends each queued reply once: a restart between the two sends exactly
one reminder.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mailflow.clock import utcnow
from mailflow.config import ConversationSettings
from mailflow.db.models import Order
from mailflow.db.session import transaction
from mailflow.orders import (
    Decision,
    ThreadHeaders,
    approve_draft,
    create_draft,
    last_sent_draft,
    set_order_state,
)
from mailflow.refdata import Holiday
from mailflow.states import DraftKind, OrderState
from mailflow.validate.workdays import is_working_day
from mailflow.work import Services

log = logging.getLogger(__name__)
ACTOR = "reminder policy"


def add_working_hours(
    start: datetime, hours: float, *, settings: ConversationSettings, holidays: Sequence[Holiday]
) -> datetime:
    """The moment ``hours`` working hours after ``start`` (desk time zone,
    working days only, between the day's start and end hour)."""
    zone = ZoneInfo(settings.timezone)
    moment, left = start.astimezone(zone), timedelta(hours=hours)
    for _ in range(3660):  # ten years of days: a guard, never reached in practice
        opens = datetime.combine(moment.date(), time(settings.working_day_start_hour), zone)
        closes = datetime.combine(moment.date(), time(0), zone) + timedelta(
            hours=settings.working_day_end_hour
        )
        if is_working_day(moment.date(), country=settings.holiday_country, holidays=holidays):
            begin = max(moment, opens)
            if begin < closes and closes - begin >= left:
                return begin + left
            if begin < closes:
                left -= closes - begin
        moment = opens + timedelta(days=1)
    raise ValueError("no working hours in the next ten years")


def _due(order: Order, services: Services) -> bool:
    if order.awaiting_since is None:
        return False
    settings = services.settings.conversation
    deadline = add_working_hours(
        order.awaiting_since,
        settings.reminder_after_working_hours,
        settings=settings,
        holidays=services.refdata.holidays,
    )
    return deadline <= utcnow()


def _remind(session: Session, order: Order, services: Services) -> None:
    asked = last_sent_draft(session, order, asking=True)
    latest = last_sent_draft(session, order)
    limit = services.settings.conversation.max_reminders
    if asked is None or latest is None or order.reminders_sent >= limit:
        order.awaiting_since, order.attention = None, "no answer to our reminders"
        set_order_state(session, order, OrderState.STALLED, actor=ACTOR)
        return
    # What is still unanswered is our last confirmation or clarification,
    # whatever reminders of it went out since.
    extra = {"reminder_of": str(asked.kind), "reminder_number": order.reminders_sent + 1}
    facts = services.reply_facts(
        order, kind=DraftKind.REMINDER, language=asked.language, extra=extra
    )
    draft = create_draft(
        session,
        order,
        reply_to=None,
        thread=ThreadHeaders.following(latest),
        facts=facts,
        renderer=services.renderer,
        supersede=False,
    )
    order.reminders_sent += 1
    approve_draft(session, Decision(draft.id, ACTOR), desk=services.settings.desk)


def run_reminders(factory: sessionmaker[Session], services: Services) -> int:
    """Remind (or stall) every order whose deadline passed; return how many."""
    with factory() as session:
        waiting = session.scalars(
            select(Order.id).where(
                Order.state == OrderState.AWAITING_CUSTOMER, Order.awaiting_since.is_not(None)
            )
        ).all()
    return sum(_remind_one(factory, order_id, services) for order_id in waiting)


def _remind_one(factory: sessionmaker[Session], order_id: int, services: Services) -> bool:
    with transaction(factory) as session:
        order = session.scalars(
            select(Order).where(Order.id == order_id).with_for_update(skip_locked=True)
        ).first()
        if order is None or order.state is not OrderState.AWAITING_CUSTOMER:
            return False
        if not _due(order, services):
            return False
        _remind(session, order, services)
        return True
