"""``/metrics`` in the Prometheus text exposition format (version 0.0.4),
computed from the database on each scrape, so every worker reports the same
numbers and nothing is lost on restart."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mailflow.db.models import Mailbox, Message, Order, OutboxItem
from mailflow.states import MessageState, OrderState, OutboxState

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _family(
    name: str, kind: str, help_text: str, samples: Iterable[tuple[str, float]]
) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {value:g}" for labels, value in samples]
    return lines


def _counts(session: Session, column: object) -> dict[str, int]:
    rows = session.execute(select(column, func.count()).group_by(column))  # type: ignore[call-overload]
    return {str(key): int(n) for key, n in rows}


def _by_state(states: Iterable[str], counts: dict[str, int]) -> list[tuple[str, float]]:
    return [(f'{{state="{_label(state)}"}}', counts.get(state, 0)) for state in states]


def _fetches(session: Session) -> list[tuple[str, float]]:
    rows = session.execute(select(Mailbox.account, Mailbox.last_fetch_at).order_by(Mailbox.account))
    return [
        (f'{{account="{_label(account)}"}}', at.timestamp())
        for account, at in rows
        if at is not None
    ]


def render_metrics(session: Session) -> str:
    messages = _counts(session, Message.state)
    orders = _counts(session, Order.state)
    outbox = _counts(session, OutboxItem.state)
    failures = {str(s): outbox.get(s, 0) for s in (OutboxState.FAILED, OutboxState.BOUNCED)}
    lines = [
        *_family(
            "mailflow_messages_fetched_total",
            "counter",
            "Inbound messages recorded since the database was created.",
            [("", sum(messages.values()))],
        ),
        *_family(
            "mailflow_messages",
            "gauge",
            "Recorded messages by state.",
            _by_state(MessageState, messages),
        ),
        *_family("mailflow_orders", "gauge", "Orders by state.", _by_state(OrderState, orders)),
        *_family(
            "mailflow_outbox", "gauge", "Outgoing replies by state.", _by_state(OutboxState, outbox)
        ),
        *_family(
            "mailflow_outbox_failures",
            "gauge",
            "Replies that failed permanently or bounced.",
            _by_state(failures, failures),
        ),
        *_family(
            "mailflow_last_fetch_timestamp_seconds",
            "gauge",
            "When each inbox was last fetched successfully (Unix time).",
            _fetches(session),
        ),
    ]
    return "\n".join(lines) + "\n"
