"""Sending the outbox: at most once per draft, always under the draft's one
Message-ID.

An item is claimed (``queued`` → ``sending``, attempt counted) and committed
before SMTP is spoken to. If the process dies after the server accepted but
before ``sent`` is written, the item stays ``sending``; once its lease runs
out it is sent again with the very same bytes and Message-ID, which receiving
systems treat as one message. Nothing is ever re-rendered or re-numbered.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.config import SmtpSettings
from mailflow.db.models import OutboxItem
from mailflow.db.session import transaction
from mailflow.errors import PermanentError, TransientError
from mailflow.faults import crash_point
from mailflow.mail.senders import Sender
from mailflow.states import OutboxState

log = logging.getLogger(__name__)
ACTOR = "outbox"


@dataclass
class OutboxStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _lease(settings: SmtpSettings) -> timedelta:
    return timedelta(seconds=max(settings.claim_lease_seconds, settings.timeout_seconds))


def _claim(
    factory: sessionmaker[Session], settings: SmtpSettings, now: datetime
) -> OutboxItem | None:
    stale = now - _lease(settings)
    with transaction(factory) as session:
        item = session.scalars(
            select(OutboxItem)
            .where(
                or_(
                    (OutboxItem.state == OutboxState.QUEUED) & (OutboxItem.next_attempt_at <= now),
                    (OutboxItem.state == OutboxState.SENDING) & (OutboxItem.claimed_at < stale),
                )
            )
            .order_by(OutboxItem.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if item is None:
            return None
        resumed = item.state is OutboxState.SENDING
        item.state, item.claimed_at, item.attempts = OutboxState.SENDING, now, item.attempts + 1
        audit.record(
            session,
            "outbox.sending",
            actor=ACTOR,
            order_id=item.order_id,
            draft_id=item.draft_id,
            after={"attempt": item.attempts, "message_id": item.message_id, "resumed": resumed},
        )
        session.expunge(item)
        return item


def _finish(
    factory: sessionmaker[Session], item_id: int, state: OutboxState, **changes: object
) -> OutboxItem:
    with transaction(factory) as session:
        item = session.get_one(OutboxItem, item_id, with_for_update=True)
        before = item.state
        item.state = state
        for key, value in changes.items():
            setattr(item, key, value)
        audit.record(
            session,
            f"outbox.{state}",
            actor=ACTOR,
            order_id=item.order_id,
            draft_id=item.draft_id,
            before={"state": before},
            after={
                "state": state,
                "attempts": item.attempts,
                "message_id": item.message_id,
                "reply": item.server_reply,
                "error": item.last_error,
            },
        )
        return item


def _backoff(settings: SmtpSettings, attempts: int) -> timedelta:
    seconds = min(
        settings.backoff_seconds * (2 ** max(attempts - 1, 0)), settings.backoff_max_seconds
    )
    return timedelta(seconds=seconds)


async def send_item(
    factory: sessionmaker[Session], item: OutboxItem, *, sender: Sender, settings: SmtpSettings
) -> OutboxState:
    """Hand one claimed item to the sender and record the outcome."""
    try:
        reply = await sender.send(item.raw, mail_from=item.mail_from, rcpt_to=list(item.rcpt_to))
    except PermanentError as exc:
        _finish(factory, item.id, OutboxState.FAILED, last_error=str(exc))
        return OutboxState.FAILED
    except TransientError as exc:
        return _retry_or_fail(factory, item, settings=settings, error=str(exc))
    crash_point("outbox.accepted")
    _finish(
        factory, item.id, OutboxState.SENT, server_reply=reply, sent_at=utcnow(), last_error=None
    )
    return OutboxState.SENT


def _retry_or_fail(
    factory: sessionmaker[Session], item: OutboxItem, *, settings: SmtpSettings, error: str
) -> OutboxState:
    if item.attempts >= settings.max_attempts:
        message = f"gave up after {item.attempts} attempts: {error}"
        _finish(factory, item.id, OutboxState.FAILED, last_error=message)
        return OutboxState.FAILED
    due = utcnow() + _backoff(settings, item.attempts)
    _finish(factory, item.id, OutboxState.QUEUED, last_error=error, next_attempt_at=due)
    return OutboxState.QUEUED


async def run_outbox(
    factory: sessionmaker[Session], *, sender: Sender, settings: SmtpSettings, limit: int = 100
) -> OutboxStats:
    """Send every item that is due, each at most once per pass."""
    stats = OutboxStats()
    for _ in range(limit):
        item = _claim(factory, settings, utcnow())
        if item is None:
            break
        outcome = await send_item(factory, item, sender=sender, settings=settings)
        stats.sent += outcome is OutboxState.SENT
        stats.retried += outcome is OutboxState.QUEUED
        stats.failed += outcome is OutboxState.FAILED
        if outcome is OutboxState.QUEUED:
            break  # the server is in trouble: let the backoff run before the next item
    return stats


def requeue_failed(session: Session, item_id: int, *, actor: str) -> OutboxItem:
    """Put a failed item back in the queue (after a clerk fixed the cause)."""
    item = session.get_one(OutboxItem, item_id, with_for_update=True)
    if item.state is not OutboxState.FAILED:
        raise PermanentError(f"outbox item {item_id} is {item.state}, not failed")
    item.state, item.next_attempt_at, item.attempts = OutboxState.QUEUED, utcnow(), 0
    audit.record(
        session, "outbox.requeued", actor=actor, order_id=item.order_id, draft_id=item.draft_id
    )
    return item


class Archive(Protocol):
    def append(self, folder: str, raw: bytes, *, flags: Sequence[str] = ...) -> None: ...


def archive_sent(factory: sessionmaker[Session], archive: Archive, *, folder: str) -> int:
    """Store a copy of each sent reply in the mailbox's Sent folder, once.
    The IMAP append happens outside any transaction (no database lock waits
    on the mail server); a crash between the append and the note may store
    one copy twice, and never loses one."""
    with factory() as session:
        pending = session.execute(
            select(OutboxItem.id, OutboxItem.raw).where(
                OutboxItem.state == OutboxState.SENT, OutboxItem.archived_at.is_(None)
            )
        ).all()
    for item_id, raw in pending:
        archive.append(folder, raw, flags=("\\Seen",))
        with transaction(factory) as session:
            session.get_one(OutboxItem, item_id).archived_at = utcnow()
    return len(pending)
