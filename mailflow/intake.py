"""Intake: exactly-once recording of inbound mail.

For each fetched message, one transaction records the raw bytes under its
ledger key and advances the folder's checkpoint. Only after that commit is the
message marked on the server (flag, keyword or move), and the ledger notes the
mark in a second transaction. A crash between the two leaves an unmarked
ledger row, which ``mark_pending`` finishes on the next run; a crash before the
first commit leaves nothing, and the message is fetched again.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.db.models import FolderCheckpoint, Mailbox, Message
from mailflow.db.session import transaction
from mailflow.errors import TransientError
from mailflow.faults import crash_point
from mailflow.mail.charset import decode_header_value
from mailflow.mail.sources import Checkpoint, FetchedMessage, Source
from mailflow.states import MessageState

log = logging.getLogger(__name__)

ACTOR = "intake"

# Trace headers differ between copies of one message delivered to several
# folders or accounts, so they are left out of the content hash.
_TRACE = re.compile(
    rb"^(received|return-path|delivered-to|x-original-to|x-delivered-to|x-uid|status|x-keywords"
    rb"|x-status|content-length|lines)\s*:.*(?:\r?\n[ \t].*)*\r?\n",
    re.IGNORECASE | re.MULTILINE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MESSAGE_ID = re.compile(rb"^message-id\s*:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)
_SENDER = re.compile(rb"^from\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE)
_SUBJECT = re.compile(rb"^subject\s*:\s*(.*)$", re.IGNORECASE | re.MULTILINE)


def content_hash(raw: bytes) -> str:
    """SHA-256 of the message without its per-delivery trace headers."""
    head, sep, body = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(b"\n\n")
    return hashlib.sha256(_TRACE.sub(b"", head + b"\n") + sep + body).hexdigest()


def header_peek(raw: bytes, pattern: re.Pattern[bytes], *, limit: int) -> str | None:
    """A header's first value, read cheaply (full parsing happens later), cut
    to ``limit`` characters and without control characters, which a database
    column may refuse (PostgreSQL rejects NUL in text)."""
    head = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    found = pattern.search(head)
    if not found:
        return None
    value = decode_header_value(found.group(1).decode("utf-8", "surrogateescape"))
    return _CONTROL.sub("", value).encode("utf-8", "replace").decode("utf-8")[:limit]


@dataclass
class IntakeStats:
    fetched: int = 0
    recorded: int = 0
    duplicates: int = 0
    quarantined: int = 0
    folders: list[str] = field(default_factory=list)


def ensure_mailbox(factory: sessionmaker[Session], *, account: str, kind: str) -> int:
    """The mailbox row's id for ``account``, created on first use."""
    try:
        return _ensure_mailbox(factory, account=account, kind=kind)
    except IntegrityError:
        # Two workers starting together: the other one created it.
        return _ensure_mailbox(factory, account=account, kind=kind)


def _ensure_mailbox(factory: sessionmaker[Session], *, account: str, kind: str) -> int:
    with transaction(factory) as session:
        found = session.scalar(select(Mailbox).where(Mailbox.account == account))
        if found is not None:
            return found.id
        mailbox = Mailbox(account=account, kind=kind)
        session.add(mailbox)
        session.flush()
        audit.record(session, "mailbox.created", actor=ACTOR, after={"account": account})
        return mailbox.id


def _checkpoint(session: Session, mailbox_id: int, folder: str) -> FolderCheckpoint | None:
    return session.scalar(
        select(FolderCheckpoint).where(
            FolderCheckpoint.mailbox_id == mailbox_id, FolderCheckpoint.folder == folder
        )
    )


def read_checkpoint(
    factory: sessionmaker[Session], mailbox_id: int, folder: str
) -> Checkpoint | None:
    with factory() as session:
        row = _checkpoint(session, mailbox_id, folder)
        return Checkpoint(row.uidvalidity, row.last_uid) if row else None


def _advance(session: Session, mailbox_id: int, item: FetchedMessage) -> None:
    row = _checkpoint(session, mailbox_id, item.folder)
    if row is None:
        session.add(
            FolderCheckpoint(
                mailbox_id=mailbox_id,
                folder=item.folder,
                uidvalidity=item.uidvalidity,
                last_uid=item.uid,
            )
        )
        return
    if row.uidvalidity != item.uidvalidity:
        row.uidvalidity, row.last_uid = item.uidvalidity, item.uid
    else:
        row.last_uid = max(row.last_uid, item.uid)
    row.updated_at = utcnow()


def _find_copy(session: Session, message_id: str | None, digest: str) -> Message | None:
    query = select(Message).where(Message.content_hash == digest)
    if message_id:
        query = query.where(Message.message_id == message_id)
    return session.scalars(query.order_by(Message.id).limit(1)).first()


def _new_message(mailbox_id: int | None, item: FetchedMessage, *, bare: bool) -> Message:
    raw = item.raw or b""
    if bare:
        # Nothing read from the headers: the message is kept with its error only.
        return Message(
            mailbox_id=mailbox_id,
            source_key=item.key,
            folder=item.folder,
            uidvalidity=item.uidvalidity,
            uid=item.uid,
            marked=False,
            content_hash=content_hash(raw),
            raw=raw,
            size=item.size,
            state=MessageState.QUARANTINED,
            error=item.error,
            attempts=0,
        )
    message = Message(
        mailbox_id=mailbox_id,
        source_key=item.key,
        folder=item.folder,
        uidvalidity=item.uidvalidity,
        uid=item.uid,
        marked=False,
        message_id=header_peek(raw, _MESSAGE_ID, limit=998),
        content_hash=content_hash(raw),
        raw=raw,
        size=item.size,
        sender=header_peek(raw, _SENDER, limit=320),
        subject=header_peek(raw, _SUBJECT, limit=2000),
        state=MessageState.RECEIVED,
        attempts=0,
    )
    if item.raw is None:
        message.state, message.error = MessageState.QUARANTINED, item.error
    return message


def record_message(
    session: Session, mailbox_id: int | None, item: FetchedMessage, *, bare: bool = False
) -> Message:
    """Record one fetched message (as a duplicate when it is a copy; with
    ``bare``, quarantined without reading its headers)."""
    message = _new_message(mailbox_id, item, bare=bare)
    readable = item.raw and not bare
    copy = _find_copy(session, message.message_id, message.content_hash) if readable else None
    if copy is not None:
        message.state, message.duplicate_of = MessageState.IGNORED, copy.id
    session.add(message)
    session.flush()
    action = {
        MessageState.RECEIVED: "message.received",
        MessageState.IGNORED: "message.duplicate",
        MessageState.QUARANTINED: "message.quarantined",
    }[message.state]
    audit.record(
        session,
        action,
        actor=ACTOR,
        message_id=message.id,
        after={
            "state": message.state,
            "key": item.key,
            "message_id": message.message_id,
            "duplicate_of": message.duplicate_of,
            "error": message.error,
        },
    )
    return message


def _known(session: Session, mailbox_id: int, key: str) -> bool:
    found = session.scalar(
        select(Message.id).where(Message.mailbox_id == mailbox_id, Message.source_key == key)
    )
    return found is not None


def _record_one(
    factory: sessionmaker[Session], mailbox_id: int, item: FetchedMessage, stats: IntakeStats
) -> None:
    try:
        _record_in_transaction(factory, mailbox_id, item, stats)
    except IntegrityError:
        # Another worker recorded the same ledger key first: it is ours no more.
        log.info("message %s was recorded by another worker", item.key)
    except Exception as exc:
        # Whatever in this message upset the recording, it must not block the
        # inbox: keep its bytes, quarantined with the error, and move on.
        log.exception("message %s could not be recorded; quarantining it", item.key)
        error = f"could not be recorded: {type(exc).__name__}: {exc}"[:2000]
        quarantined = replace(item, error=error)
        _record_in_transaction(factory, mailbox_id, quarantined, stats, bare=True)


def _record_in_transaction(
    factory: sessionmaker[Session],
    mailbox_id: int,
    item: FetchedMessage,
    stats: IntakeStats,
    *,
    bare: bool = False,
) -> None:
    with transaction(factory) as session:
        if not _known(session, mailbox_id, item.key):
            message = record_message(session, mailbox_id, item, bare=bare)
            stats.recorded += message.state is MessageState.RECEIVED
            stats.duplicates += message.state is MessageState.IGNORED
            stats.quarantined += message.state is MessageState.QUARANTINED
        _advance(session, mailbox_id, item)


def _note_marked(factory: sessionmaker[Session], mailbox_id: int, keys: Sequence[str]) -> None:
    with transaction(factory) as session:
        for message in session.scalars(
            select(Message).where(Message.mailbox_id == mailbox_id, Message.source_key.in_(keys))
        ):
            message.marked = True


def intake_folder(
    factory: sessionmaker[Session], source: Source, *, mailbox_id: int, folder: str, batch_size: int
) -> IntakeStats:
    """Fetch, record and mark every new message of one folder, batch by batch."""
    stats = IntakeStats(folders=[folder])
    while True:
        batch = source.fetch_new(
            folder, read_checkpoint(factory, mailbox_id, folder), limit=batch_size
        )
        for item in batch.messages:
            _record_one(factory, mailbox_id, item, stats)
            crash_point("intake.recorded")
        stats.fetched += len(batch.messages)
        if batch.messages:
            source.mark_done(batch.messages)
            _note_marked(factory, mailbox_id, [m.key for m in batch.messages])
        if not batch.more:
            return stats


def mark_pending(factory: sessionmaker[Session], source: Source, *, mailbox_id: int) -> int:
    """Mark on the server what was recorded but not yet marked (after a crash)."""
    with factory() as session:
        rows = session.scalars(
            select(Message).where(Message.mailbox_id == mailbox_id, Message.marked.is_(False))
        ).all()
    items = [
        FetchedMessage(r.folder or "", r.uidvalidity or 0, r.uid or 0, r.source_key or "", None, 0)
        for r in rows
    ]
    if items:
        source.mark_done(items)
        _note_marked(factory, mailbox_id, [i.key for i in items])
    return len(items)


def _note_fetch(factory: sessionmaker[Session], mailbox_id: int, error: str | None) -> None:
    with transaction(factory) as session:
        mailbox = session.get(Mailbox, mailbox_id)
        if mailbox is None:
            return
        if error is None:
            mailbox.last_fetch_at, mailbox.last_error = utcnow(), None
        else:
            mailbox.last_error = error


def run_intake(
    factory: sessionmaker[Session], source: Source, *, kind: str, batch_size: int
) -> IntakeStats:
    """One intake pass over every folder of ``source``."""
    mailbox_id = ensure_mailbox(factory, account=source.account, kind=kind)
    total = IntakeStats()
    try:
        source.connect()
        mark_pending(factory, source, mailbox_id=mailbox_id)
        for folder in source.folders():
            stats = intake_folder(
                factory, source, mailbox_id=mailbox_id, folder=folder, batch_size=batch_size
            )
            _add(total, stats)
    except TransientError as exc:
        _note_fetch(factory, mailbox_id, str(exc))
        raise
    _note_fetch(factory, mailbox_id, None)
    return total


def _add(total: IntakeStats, stats: IntakeStats) -> None:
    total.fetched += stats.fetched
    total.recorded += stats.recorded
    total.duplicates += stats.duplicates
    total.quarantined += stats.quarantined
    total.folders += stats.folders


def record_file(factory: sessionmaker[Session], path: Path) -> int:
    """Record an .eml file as an arrived message (``mailflow process``); a copy
    of one already recorded is kept as a duplicate and not processed again."""
    raw = path.read_bytes()
    item = FetchedMessage("file", 0, 0, f"file:{content_hash(raw)}", raw, len(raw))
    with transaction(factory) as session:
        return record_message(session, None, item).id
