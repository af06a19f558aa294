"""The order state machine and the actions on drafts: every change is checked
against ``mailflow.states`` and recorded in the audit trail in the caller's
transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.config import DeskSettings
from mailflow.db.models import (
    Draft,
    FindingRecord,
    Message,
    Order,
    OrderLine,
    OutboxItem,
    ThreadRef,
)
from mailflow.drafts import Renderer, ReplyFacts, build_mime, new_message_id, reply_subject
from mailflow.errors import PermanentError
from mailflow.extract.types import ExtractedLine, ExtractedOrder
from mailflow.mail.envelope import Envelope
from mailflow.states import (
    DraftKind,
    DraftState,
    MessageState,
    OrderState,
    OutboxState,
    check_transition,
)
from mailflow.validate.findings import Finding

# No 0/O or 1/I: tokens get read out over the phone.
_TOKEN_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105 - not a secret


def lock_order(session: Session, order_id: int) -> Order:
    """The order, locked for this transaction and read afresh: every path that
    changes an order (a reply, a clerk, a reminder) takes this lock first, so
    two of them never work from the same stale copy."""
    return session.execute(
        select(Order)
        .where(Order.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def new_token() -> str:
    return "ORD-" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(8))


def set_message_state(
    session: Session, message: Message, state: MessageState, *, actor: str, **after: Any
) -> None:
    check_transition(message.state, state)
    before = {"state": message.state}
    message.state = state
    audit.record(
        session,
        f"message.{state}",
        actor=actor,
        message_id=message.id,
        order_id=message.order_id,
        before=before,
        after={"state": state, **after},
    )


def set_order_state(
    session: Session, order: Order, state: OrderState, *, actor: str, **after: Any
) -> None:
    check_transition(order.state, state)
    before = {"state": order.state}
    order.state, order.updated_at = state, utcnow()
    audit.record(
        session,
        f"order.{state}",
        actor=actor,
        order_id=order.id,
        before=before,
        after={"state": state, **after},
    )


def order_line(position: int, line: ExtractedLine) -> OrderLine:
    """A stored order line from an extracted one. Its evidence keeps the
    products that also fit (``candidates``), so an answer naming one of them
    places the line, and a recheck can still call it ambiguous."""
    evidence = line.evidence.to_json() if line.evidence else {}
    if line.candidates:
        evidence["candidates"] = list(line.candidates)
    return OrderLine(
        position=position,
        sku=line.sku,
        quantity=line.quantity,
        description=line.description,
        confidence=line.confidence,
        evidence=evidence or None,
    )


def _lines(extracted: ExtractedOrder) -> list[OrderLine]:
    return [order_line(i, ln) for i, ln in enumerate(extracted.lines)]


def _extraction_record(extracted: ExtractedOrder) -> dict[str, Any]:
    """What extraction read, with where (evidence) and how sure (confidence)
    for each field, as the review UI shows it."""
    return {
        **extracted.to_corpus_json(),
        "evidence": {name: ev.to_json() for name, ev in extracted.evidence.items()},
        "confidence": dict(extracted.confidence),
    }


def create_order(
    session: Session, *, message: Message, envelope: Envelope, extracted: ExtractedOrder, actor: str
) -> Order:
    """A new order from an extracted e-mail, linked to the message and its thread."""
    order = Order(
        token=new_token(),
        state=OrderState.DRAFTED,
        customer_id=extracted.customer_id,
        customer_email=envelope.answer_address(),
        language=extracted.language,
        po_number=extracted.po_number,
        requested_date=extracted.requested_date,
        asap=extracted.asap,
        ship_to=extracted.ship_to.to_json() if extracted.ship_to else None,
        extraction=_extraction_record(extracted),
        source_message_id=message.id,
        lines=_lines(extracted),
    )
    session.add(order)
    session.flush()
    message.order_id = order.id
    link_thread(session, order, envelope.message_id)
    audit.record(
        session,
        "order.created",
        actor=actor,
        order_id=order.id,
        message_id=message.id,
        after={"token": order.token, "extraction": order.extraction},
    )
    return order


def link_thread(session: Session, order: Order, message_id: str | None) -> None:
    """Remember a Message-ID as part of the order's conversation."""
    if not message_id:
        return
    exists = session.scalar(select(ThreadRef.id).where(ThreadRef.message_id == message_id))
    if exists is None:
        session.add(ThreadRef(message_id=message_id, order_id=order.id))


def store_findings(session: Session, order: Order, findings: list[Finding]) -> None:
    order.findings = [
        FindingRecord(
            code=f.code,
            severity=str(f.severity),
            field=f.field,
            line=f.line,
            message=f.message,
            clerk_message=f.clerk_message or f.message,
            suggestion=f.suggestion,
            data={**f.data, "texts": f.texts},
        )
        for f in findings
    ]
    audit.record(
        session,
        "order.checked",
        actor="validate",
        order_id=order.id,
        after={"findings": [f.to_json() for f in findings]},
    )


def _supersede_pending(session: Session, order: Order) -> None:
    for draft in session.scalars(
        select(Draft).where(Draft.order_id == order.id, Draft.state == DraftState.PENDING)
    ):
        draft.state = DraftState.SUPERSEDED
        audit.record(
            session, "draft.superseded", actor="drafts", order_id=order.id, draft_id=draft.id
        )


@dataclass(frozen=True)
class ThreadHeaders:
    """Where a new e-mail of ours sits in the conversation."""

    subject: str
    in_reply_to: str | None
    references: list[str]

    @classmethod
    def replying_to(cls, envelope: Envelope) -> ThreadHeaders:
        """Our answer to the customer's message."""
        references = [*envelope.references, envelope.message_id] if envelope.message_id else []
        return cls(envelope.subject, envelope.message_id, references[-20:])

    @classmethod
    def following(cls, draft: Draft) -> ThreadHeaders:
        """A follow-up to an e-mail we sent (a reminder)."""
        references = [*draft.references, draft.message_id] if draft.message_id else []
        return cls(draft.subject, draft.message_id, references[-20:])


def create_draft(
    session: Session,
    order: Order,
    *,
    reply_to: Message | None,
    thread: ThreadHeaders,
    facts: ReplyFacts,
    renderer: Renderer,
    supersede: bool = True,
) -> Draft:
    """Render and store a reply; it awaits approval."""
    if supersede:
        _supersede_pending(session, order)
    text, html = renderer.render(facts.kind, facts.language, facts.context)
    draft = Draft(
        order_id=order.id,
        reply_to_message_id=reply_to.id if reply_to else None,
        kind=facts.kind,
        state=DraftState.PENDING,
        language=facts.language,
        to_addr=order.customer_email,
        subject=reply_subject(thread.subject, order.token),
        body_text=text,
        body_html=html,
        in_reply_to=thread.in_reply_to,
        references=thread.references,
        revision=order.revision,
    )
    session.add(draft)
    session.flush()
    audit.record(
        session,
        "draft.created",
        actor="drafts",
        order_id=order.id,
        draft_id=draft.id,
        after={"kind": facts.kind, "subject": draft.subject, "to": draft.to_addr},
    )
    return draft


@dataclass(frozen=True)
class Decision:
    draft_id: int
    actor: str
    reason: str = ""


def _pending_draft(session: Session, draft_id: int) -> Draft:
    draft = session.execute(
        select(Draft).where(Draft.id == draft_id).with_for_update()
    ).scalar_one_or_none()
    if draft is None:
        raise PermanentError(f"no draft {draft_id}")
    if draft.state is not DraftState.PENDING:
        raise PermanentError(f"draft {draft_id} is {draft.state}, not pending")
    return draft


def approve_draft(session: Session, decision: Decision, *, desk: DeskSettings) -> OutboxItem:
    """Fix the draft's Message-ID and queue its exact bytes for sending."""
    draft = _pending_draft(session, decision.draft_id)
    order = lock_order(session, draft.order_id)
    draft.message_id = new_message_id(desk, order.token)
    draft.state, draft.decided_by, draft.decided_at = DraftState.APPROVED, decision.actor, utcnow()
    item = OutboxItem(
        draft_id=draft.id,
        order_id=order.id,
        message_id=draft.message_id,
        mail_from=desk.address,
        rcpt_to=[draft.to_addr],
        state=OutboxState.QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
        raw=build_mime(draft, token=order.token, desk=desk, message_id=draft.message_id),
    )
    session.add(item)
    link_thread(session, order, draft.message_id)
    session.flush()
    audit.record(
        session,
        "draft.approved",
        actor=decision.actor,
        order_id=order.id,
        draft_id=draft.id,
        after={"message_id": draft.message_id, "outbox_id": item.id},
    )
    # A reply that asks or confirms something waits for the customer; an
    # acknowledgement of a cancellation leaves the order where it is.
    if order.state in (OrderState.DRAFTED, OrderState.STALLED):
        set_order_state(session, order, OrderState.AWAITING_CUSTOMER, actor=decision.actor)
    if order.state is OrderState.AWAITING_CUSTOMER:
        order.awaiting_since = utcnow()
    if draft.kind in ASKING_KINDS:
        order.reminders_sent = 0  # a new question starts a new round of reminders
    return item


def reject_draft(session: Session, decision: Decision) -> Draft:
    draft = _pending_draft(session, decision.draft_id)
    check_transition(draft.state, DraftState.REJECTED)
    draft.state, draft.decided_by, draft.decided_at = DraftState.REJECTED, decision.actor, utcnow()
    draft.reason = decision.reason
    audit.record(
        session,
        "draft.rejected",
        actor=decision.actor,
        order_id=draft.order_id,
        draft_id=draft.id,
        after={"reason": decision.reason},
    )
    order = lock_order(session, draft.order_id)
    if order.state is OrderState.DRAFTED:
        set_order_state(session, order, OrderState.REJECTED, actor=decision.actor)
    return draft


ASKING_KINDS = (DraftKind.CONFIRMATION, DraftKind.CLARIFICATION)


def last_sent_draft(session: Session, order: Order, *, asking: bool = False) -> Draft | None:
    """The newest draft of the order approved for sending; with ``asking``,
    the newest one that asked the customer something (a confirmation or a
    clarification), which is what a reply answers — not a reminder of it."""
    query = select(Draft).where(Draft.order_id == order.id, Draft.state == DraftState.APPROVED)
    if asking:
        query = query.where(Draft.kind.in_(ASKING_KINDS))
    return session.scalars(query.order_by(Draft.id.desc()).limit(1)).first()


def mark_touched(session: Session, order_id: int) -> None:
    session.execute(update(Order).where(Order.id == order_id).values(touched=True))
