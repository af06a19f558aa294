"""Append-only, hash-chained audit events.

Every state change appends an event in the same transaction as the change.
Each event's hash is SHA-256 over the previous hash and a canonical JSON form
of the event, so editing, deleting or reordering any event breaks the chain
from that point on, and ``verify`` says where.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailflow.clock import utcnow
from mailflow.db.models import AuditEvent, AuditHead

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "at": _iso(event.at),
        "actor": event.actor,
        "action": event.action,
        "order_id": event.order_id,
        "message_id": event.message_id,
        "draft_id": event.draft_id,
        "before": event.before,
        "after": event.after,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")


def _iso(moment: datetime) -> str:
    # The same instant must hash the same whatever time zone the database
    # session hands it back in.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + _canonical(event)).hexdigest()


def _lock_head(session: Session) -> AuditHead:
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
        session.flush()
    return head


def record(
    session: Session,
    action: str,
    *,
    actor: str,
    order_id: int | None = None,
    message_id: int | None = None,
    draft_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    head = _lock_head(session)
    event = AuditEvent(
        seq=head.seq + 1,
        at=utcnow(),
        actor=actor,
        action=action,
        order_id=order_id,
        message_id=message_id,
        draft_id=draft_id,
        before=_jsonable(before),
        after=_jsonable(after),
        prev_hash=head.hash,
    )
    event.hash = event_hash(head.hash, event)
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    session.flush()
    return event


def _jsonable(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    loaded: dict[str, Any] = json.loads(json.dumps(value, default=str))
    return loaded


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    problem: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} events verified"
        return f"audit chain BROKEN after {self.checked} good events: {self.problem}"


def _events(session: Session, batch: int = 1000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify(session: Session) -> VerifyResult:
    """Recompute the whole chain; report the first event that does not fit."""
    prev, checked = GENESIS, 0
    for event in _events(session):
        problem = _check(event, prev, checked + 1)
        if problem:
            return VerifyResult(False, checked, problem)
        prev, checked = event.hash, checked + 1
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq, head.hash) != (checked, prev):
        return VerifyResult(False, checked, f"chain ends at #{checked}, head says #{head.seq}")
    return VerifyResult(True, checked)


def _check(event: AuditEvent, prev: str, expected_seq: int) -> str | None:
    if event.seq != expected_seq:
        return f"event #{expected_seq} is missing (found #{event.seq})"
    if event.prev_hash != prev:
        return f"event #{event.seq} does not link to the previous event"
    if event_hash(prev, event) != event.hash:
        return f"event #{event.seq} ({event.action}) was altered"
    return None


def for_order(session: Session, order_id: int) -> Sequence[AuditEvent]:
    """The order's events, oldest first."""
    return session.scalars(
        select(AuditEvent).where(AuditEvent.order_id == order_id).order_by(AuditEvent.seq)
    ).all()
