"""The states of messages, orders, drafts and outbox items, and the allowed
transitions between them, in one place.
"""

from __future__ import annotations

from enum import StrEnum

from mailflow.errors import PermanentError


class MessageState(StrEnum):
    RECEIVED = "received"  # raw bytes recorded, not yet processed
    PROCESSED = "processed"  # routed and acted on
    IGNORED = "ignored"  # automatic mail, recorded and never answered
    QUARANTINED = "quarantined"  # failed; kept with its error for `mailflow requeue`


class OrderState(StrEnum):
    DRAFTED = "drafted"  # extracted; a reply awaits approval
    AWAITING_CUSTOMER = "awaiting_customer"  # reply sent, waiting for the customer
    STALLED = "stalled"  # the customer did not answer the reminders: a clerk follows up
    CONFIRMED = "confirmed"
    EXPORTED = "exported"
    CANCELLED = "cancelled"
    REJECTED = "rejected"  # a clerk decided not to answer the order


class DraftKind(StrEnum):
    CONFIRMATION = "confirmation"
    CLARIFICATION = "clarification"
    REMINDER = "reminder"
    CANCELLATION = "cancellation"  # acknowledges the customer's cancellation
    SHIPPING_NOTICE = "shipping_notice"  # tells the customer what left and how to track it


class DraftState(StrEnum):
    PENDING = "pending"  # awaiting a clerk (or the auto-send policy)
    APPROVED = "approved"  # Message-ID fixed, handed to the outbox
    REJECTED = "rejected"
    SUPERSEDED = "superseded"  # a newer draft replaced it


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a sender; SMTP outcome not yet recorded
    SENT = "sent"
    FAILED = "failed"  # permanent failure, shown to a clerk
    BOUNCED = "bounced"  # accepted, then returned by a later server (a DSN came back)


_MESSAGE: dict[MessageState, set[MessageState]] = {
    MessageState.RECEIVED: {MessageState.PROCESSED, MessageState.IGNORED, MessageState.QUARANTINED},
    MessageState.QUARANTINED: {MessageState.RECEIVED},
    MessageState.PROCESSED: set(),
    MessageState.IGNORED: set(),
}

_ORDER: dict[OrderState, set[OrderState]] = {
    OrderState.DRAFTED: {OrderState.AWAITING_CUSTOMER, OrderState.REJECTED, OrderState.CANCELLED},
    OrderState.AWAITING_CUSTOMER: {
        OrderState.CONFIRMED,
        OrderState.DRAFTED,
        OrderState.CANCELLED,
        OrderState.STALLED,
    },
    OrderState.STALLED: {
        OrderState.CONFIRMED,
        OrderState.DRAFTED,
        OrderState.CANCELLED,
        OrderState.AWAITING_CUSTOMER,
    },
    OrderState.CONFIRMED: {OrderState.EXPORTED, OrderState.CANCELLED},
    OrderState.EXPORTED: {OrderState.CANCELLED},
    OrderState.CANCELLED: set(),
    OrderState.REJECTED: set(),
}

_DRAFT: dict[DraftState, set[DraftState]] = {
    DraftState.PENDING: {DraftState.APPROVED, DraftState.REJECTED, DraftState.SUPERSEDED},
    DraftState.APPROVED: set(),
    DraftState.REJECTED: set(),
    DraftState.SUPERSEDED: set(),
}

_OUTBOX: dict[OutboxState, set[OutboxState]] = {
    OutboxState.QUEUED: {OutboxState.SENDING, OutboxState.FAILED},
    OutboxState.SENDING: {OutboxState.SENT, OutboxState.QUEUED, OutboxState.FAILED},
    OutboxState.SENT: {OutboxState.BOUNCED},
    OutboxState.BOUNCED: set(),
    OutboxState.FAILED: {OutboxState.QUEUED},
}

_TABLES: dict[type[StrEnum], dict[object, set[object]]] = {
    MessageState: _MESSAGE,  # type: ignore[dict-item]
    OrderState: _ORDER,  # type: ignore[dict-item]
    DraftState: _DRAFT,  # type: ignore[dict-item]
    OutboxState: _OUTBOX,  # type: ignore[dict-item]
}


class InvalidTransition(PermanentError):
    """A state change that the state machine does not allow."""


def check_transition(before: StrEnum, after: StrEnum) -> None:
    """Raise ``InvalidTransition`` unless ``before`` may become ``after``."""
    table = _TABLES[type(before)]
    if after not in table[before]:
        raise InvalidTransition(f"{type(before).__name__}: {before} -> {after} is not allowed")
