"""The processing pipeline: parse → route → extract → validate → record →
draft → auto-approve, as small stages over one ``Work`` context, assembled in
``STAGES`` below.

One message is processed in one database transaction, so its order, findings,
draft and audit events appear together or not at all. A stage that fails
quarantines the message with its error (in a savepoint, so the quarantine is
recorded even though the stage's own writes are rolled back); the rest of the
inbox keeps flowing, and ``mailflow requeue`` retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mailflow.clock import utcnow
from mailflow.config import Settings
from mailflow.db.models import Draft, Message, Order
from mailflow.db.session import transaction
from mailflow.drafts import Renderer, reply_facts
from mailflow.errors import PermanentError
from mailflow.export import queue_export
from mailflow.faults import crash_point
from mailflow.extract import extract_order
from mailflow.extract.types import ExtractedOrder, Intent
from mailflow.mail.envelope import Envelope
from mailflow.mail.parse import parse_envelope
from mailflow.mail.threads import match_order
from mailflow.orders import (
    Decision,
    approve_draft,
    create_draft,
    create_order,
    last_sent_draft,
    link_thread,
    set_message_state,
    set_order_state,
    store_findings,
)
from mailflow.refdata import ReferenceData
from mailflow.states import DraftKind, DraftState, MessageState, OrderState
from mailflow.validate import CheckContext, validate_order
from mailflow.validate.findings import Finding, Severity

log = logging.getLogger(__name__)
ACTOR = "pipeline"
AUTO_SEND_ACTOR = "auto-send policy"


@dataclass
class Services:
    """What the stages need besides the message: built once at start-up."""

    settings: Settings
    refdata: ReferenceData
    renderer: Renderer
    today: Callable[[], date] = field(default=lambda: utcnow().date())


@dataclass
class Work:
    """The typed context every stage reads and extends."""

    session: Session
    message: Message
    services: Services
    envelope: Envelope | None = None
    extracted: ExtractedOrder | None = None
    thread_order: Order | None = None
    order: Order | None = None
    findings: list[Finding] = field(default_factory=list)
    outcome: str = ""
    done: bool = False

    def need_envelope(self) -> Envelope:
        if self.envelope is None:
            raise PermanentError("stage ran before parse")
        return self.envelope

    def need_extracted(self) -> ExtractedOrder:
        if self.extracted is None:
            raise PermanentError("stage ran before extract")
        return self.extracted

    def need_order(self) -> Order:
        if self.order is None:
            raise PermanentError("stage ran before the order was recorded")
        return self.order

    def finish(self, state: MessageState, outcome: str, **details: object) -> None:
        set_message_state(
            self.session, self.message, state, actor=ACTOR, outcome=outcome, **details
        )
        self.outcome, self.done = outcome, True


def parse(work: Work) -> None:
    desk = work.services.settings.desk
    own = [desk.address, *desk.own_addresses]
    work.envelope = parse_envelope(
        work.message.raw, own_addresses=own, own_domain=desk.message_id_domain
    )


def skip_automatic(work: Work) -> None:
    verdict = work.need_envelope().auto
    if verdict.auto_reply:
        work.message.intent, work.message.auto_reason = Intent.AUTO_REPLY, verdict.reason
        work.finish(MessageState.IGNORED, "automatic message, not answered", reason=verdict.reason)


def extract(work: Work) -> None:
    work.extracted = extract_order(work.need_envelope(), work.services.refdata)
    work.message.intent = str(work.extracted.intent)


def route(work: Work) -> None:
    """Replies in a known thread are handled there; anything else that is not
    an order is kept for a clerk and not answered."""
    envelope, extracted = work.need_envelope(), work.need_extracted()
    work.thread_order = match_order(work.session, envelope)
    if work.thread_order is not None and extracted.intent is not Intent.ORDER:
        handle_reply(work, work.thread_order)
    elif extracted.intent is not Intent.ORDER:
        work.finish(MessageState.PROCESSED, f"{extracted.intent}: not an order, left for a clerk")


def validate(work: Work) -> None:
    services, extracted = work.services, work.need_extracted()
    customer = services.refdata.customers.get(extracted.customer_id or "")
    context = CheckContext(refdata=services.refdata, customer=customer, today=services.today())
    work.findings = validate_order(extracted, context)


def record(work: Work) -> None:
    work.order = create_order(
        work.session,
        message=work.message,
        envelope=work.need_envelope(),
        extracted=work.need_extracted(),
        actor=ACTOR,
    )
    store_findings(work.session, work.order, work.findings)


def draft(work: Work) -> None:
    services, order = work.services, work.need_order()
    facts = reply_facts(
        order,
        findings=work.findings,
        refdata=services.refdata,
        desk=services.settings.desk,
        today=services.today(),
    )
    created = create_draft(
        work.session,
        order,
        reply_to=work.message,
        envelope=work.need_envelope(),
        facts=facts,
        renderer=services.renderer,
    )
    work.outcome = f"order {order.token}: {created.kind} drafted"


def auto_approve(work: Work) -> None:
    """Send clean confirmations without a clerk when the policy allows it: no
    finding at all above info, so nothing a clerk would want to look at."""
    order = work.need_order()
    clean = not any(f.severity is not Severity.INFO for f in work.findings)
    if not (work.services.settings.approval.auto_send and clean):
        work.finish(MessageState.PROCESSED, work.outcome)
        return
    draft_row = order_pending_draft(work.session, order)
    if draft_row is not None and draft_row.kind is DraftKind.CONFIRMATION:
        approve_draft(
            work.session, Decision(draft_row.id, AUTO_SEND_ACTOR), desk=work.services.settings.desk
        )
        work.outcome += ", sent by the auto-send policy"
    work.finish(MessageState.PROCESSED, work.outcome)


def order_pending_draft(session: Session, order: Order) -> Draft | None:
    return session.scalars(
        select(Draft).where(Draft.order_id == order.id, Draft.state == DraftState.PENDING)
    ).first()


def _same_customer(work: Work, order: Order) -> bool:
    sender = work.need_envelope().sender
    if sender == order.customer_email.lower():
        return True
    customer = work.services.refdata.customer_for_address(sender)
    return customer is not None and customer.customer_id == order.customer_id


def handle_reply(work: Work, order: Order) -> None:
    """A reply in an order's thread: act on a confirmation or a cancellation
    from the customer; anything else goes to a clerk with the thread."""
    work.message.order_id = order.id
    link_thread(work.session, order, work.need_envelope().message_id)
    intent = work.need_extracted().intent
    if not _same_customer(work, order):
        work.finish(
            MessageState.PROCESSED, f"reply to {order.token} from another sender: left for a clerk"
        )
    elif intent is Intent.CONFIRM:
        confirm(work, order)
    elif intent is Intent.CANCEL and order.state is not OrderState.CANCELLED:
        cancel(work, order)
    else:
        work.finish(MessageState.PROCESSED, f"{intent} on {order.token}: left for a clerk")


def confirm(work: Work, order: Order) -> None:
    sent = last_sent_draft(work.session, order)
    if (
        order.state is not OrderState.AWAITING_CUSTOMER
        or sent is None
        or sent.kind is not DraftKind.CONFIRMATION
    ):
        work.finish(
            MessageState.PROCESSED, f"confirm on {order.token} ({order.state}): left for a clerk"
        )
        return
    order.confirmed_at = utcnow()
    set_order_state(
        work.session, order, OrderState.CONFIRMED, actor="customer", message=work.message.id
    )
    queue_export(work.session, order, settings=work.services.settings.export, actor=ACTOR)
    work.finish(MessageState.PROCESSED, f"order {order.token} confirmed by the customer")


def cancel(work: Work, order: Order) -> None:
    """The customer cancels; an ERP that already has the order is told too."""
    handed_over = order.state in (OrderState.CONFIRMED, OrderState.EXPORTED)
    set_order_state(
        work.session, order, OrderState.CANCELLED, actor="customer", message=work.message.id
    )
    if handed_over:
        settings = work.services.settings.export
        queue_export(work.session, order, settings=settings, actor=ACTOR, event="cancelled")
    work.finish(MessageState.PROCESSED, f"order {order.token} cancelled by the customer")


Stage = Callable[[Work], None]

STAGES: list[tuple[str, Stage]] = [
    ("parse", parse),
    ("skip_automatic", skip_automatic),
    ("extract", extract),
    ("route", route),
    ("validate", validate),
    ("record", record),
    ("draft", draft),
    ("approve", auto_approve),
]


def run_stages(work: Work) -> None:
    for name, stage in STAGES:
        log.debug("stage %s on message %s", name, work.message.id)
        stage(work)
        if work.done:
            return


def _claim(session: Session) -> Message | None:
    return session.scalars(
        select(Message)
        .where(Message.state == MessageState.RECEIVED)
        .order_by(Message.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()


@dataclass(frozen=True)
class Processed:
    message_id: int
    state: MessageState
    outcome: str
    order_id: int | None


def process_next(factory: sessionmaker[Session], services: Services) -> Processed | None:
    """Claim and process one received message; None when there is none."""
    with transaction(factory) as session:
        message = _claim(session)
        if message is None:
            return None
        message.attempts += 1
        work = Work(session=session, message=message, services=services)
        try:
            with session.begin_nested():
                run_stages(work)
        except Exception as exc:
            # Any failure quarantines the message: it is kept, never lost.
            log.exception("message %s quarantined", message.id)
            quarantine(session, message, exc)
            work.outcome = f"quarantined: {message.error}"
        crash_point("pipeline.processed")
        return Processed(message.id, message.state, work.outcome, message.order_id)


def quarantine(session: Session, message: Message, exc: Exception) -> None:
    session.expire(message)
    message.error = f"{type(exc).__name__}: {exc}"[:2000]
    set_message_state(session, message, MessageState.QUARANTINED, actor=ACTOR, error=message.error)


def process_all(
    factory: sessionmaker[Session], services: Services, *, limit: int = 10_000
) -> list[Processed]:
    results: list[Processed] = []
    while len(results) < limit:
        result = process_next(factory, services)
        if result is None:
            break
        results.append(result)
    return results


def requeue(session: Session, message_id: int, *, actor: str) -> Message:
    """Send a quarantined message through the pipeline again."""
    message = session.get(Message, message_id, with_for_update=True)
    if message is None:
        raise PermanentError(f"no message {message_id}")
    if message.state is not MessageState.QUARANTINED:
        raise PermanentError(f"message {message_id} is {message.state}, not quarantined")
    if not message.raw:
        raise PermanentError(f"message {message_id} has no stored bytes ({message.error})")
    message.error = None
    set_message_state(session, message, MessageState.RECEIVED, actor=actor, requeued=True)
    return message
