"""SQLAlchemy 2.0 typed models. The schema is created by the Alembic migrations
in ``mailflow/db/migrations``; keep them in step with this file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from mailflow.clock import utcnow
from mailflow.states import DraftKind, DraftState, MessageState, OrderState, OutboxState


def _enum(kind: type[Any]) -> Enum:
    # Store the StrEnum's value as plain text, not a native database enum, so
    # that adding a state is a code change and not a schema migration.
    return Enum(kind, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Mailbox(Base):
    __tablename__ = "mailboxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_fetch_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)


class FolderCheckpoint(Base):
    __tablename__ = "folder_checkpoints"
    __table_args__ = (UniqueConstraint("mailbox_id", "folder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_id: Mapped[int] = mapped_column(ForeignKey("mailboxes.id"))
    folder: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Message(Base):
    """One inbound message: raw bytes kept, with its ledger key in the inbox."""

    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("mailbox_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox_id: Mapped[int | None] = mapped_column(ForeignKey("mailboxes.id"))
    source_key: Mapped[str | None] = mapped_column(String(600))
    folder: Mapped[str | None] = mapped_column(String(500))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    marked: Mapped[bool] = mapped_column(Boolean, default=False)
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    state: Mapped[MessageState] = mapped_column(_enum(MessageState), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    intent: Mapped[str | None] = mapped_column(String(20))
    auto_reason: Mapped[str | None] = mapped_column(String(40))
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    state: Mapped[OrderState] = mapped_column(_enum(OrderState), index=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    customer_email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(8))
    po_number: Mapped[str | None] = mapped_column(String(128))
    requested_date: Mapped[date | None] = mapped_column(Date)
    asap: Mapped[bool] = mapped_column(Boolean, default=False)
    ship_to: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    extraction: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_message_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    touched: Mapped[bool] = mapped_column(Boolean, default=False)  # a clerk edited it
    # Bumped by every change to what is ordered; a confirmation is only good
    # for the revision it showed.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    # When our last e-mail to the customer was approved; reminders count from it.
    awaiting_since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attention: Mapped[str | None] = mapped_column(Text)  # why a clerk should look
    shipments: Mapped[list[Any] | None] = mapped_column(JSON)  # accepted partial deliveries

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.position", cascade="all, delete-orphan"
    )
    findings: Mapped[list[FindingRecord]] = relationship(
        back_populates="order", order_by="FindingRecord.id", cascade="all, delete-orphan"
    )


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(default=1.0)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    order: Mapped[Order] = relationship(back_populates="lines")


class FindingRecord(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), index=True)
    severity: Mapped[str] = mapped_column(String(16))
    field: Mapped[str] = mapped_column(String(64))
    line: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    clerk_message: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    order: Mapped[Order] = relationship(back_populates="findings")


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    reply_to_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    kind: Mapped[DraftKind] = mapped_column(_enum(DraftKind))
    state: Mapped[DraftState] = mapped_column(_enum(DraftState), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)  # the order's, when drafted
    language: Mapped[str] = mapped_column(String(8))
    to_addr: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[list[Any]] = mapped_column(JSON, default=list)
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(Text)


class OutboxItem(Base):
    """A reply with a fixed Message-ID awaiting SMTP. ``raw`` is the exact bytes
    to send, so a retry after a crash sends the same message."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    mail_from: Mapped[str] = mapped_column(String(320))
    rcpt_to: Mapped[list[Any]] = mapped_column(JSON)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[OutboxState] = mapped_column(_enum(OutboxState), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    server_reply: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When a copy was stored in the mailbox's Sent folder (IMAP inboxes only).
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ThreadRef(Base):
    """Every Message-ID we sent or received for an order, for thread matching."""

    __tablename__ = "thread_refs"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)


class Export(Base):
    """One delivery of one order event to one channel (a file or the webhook)."""

    __tablename__ = "exports"
    __table_args__ = (UniqueConstraint("order_id", "event", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    event: Mapped[str] = mapped_column(String(20))  # confirmed | cancelled
    kind: Mapped[str] = mapped_column(String(20))  # file:json | file:csv | webhook
    target: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), index=True)  # pending | done | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    idempotency_key: Mapped[str] = mapped_column(String(80))
    payload: Mapped[str] = mapped_column(Text)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuditEvent(Base):
    """Append-only and hash-chained: ``hash`` covers the event and ``prev_hash``."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64), index=True)
    order_id: Mapped[int | None] = mapped_column(Integer, index=True)
    message_id: Mapped[int | None] = mapped_column(Integer)
    draft_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row holding the chain's tip; locking it serialises appends across
    workers so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class User(Base):
    """A person who signs in to the review UI."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))  # clerk | supervisor | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class WebSession(Base):
    """A signed-in browser. Only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SignInAttempt(Base):
    """Failed sign-ins, for rate limiting by user name and by address."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    remote: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class CustomerAlias(Base):
    """A customer's own name or part number for one of our products, learnt
    from a clerk's correction and used by extraction next time."""

    __tablename__ = "customer_aliases"
    __table_args__ = (UniqueConstraint("customer_id", "alias"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    alias: Mapped[str] = mapped_column(String(300))  # normalised: lower case, single spaces
    sku: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Shipment(Base):
    """A dispatched delivery of an order, reported by the warehouse or ERP."""

    __tablename__ = "shipments"
    __table_args__ = (UniqueConstraint("order_id", "tracking_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(100))
    tracking_number: Mapped[str] = mapped_column(String(100))
    shipped_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(200))
