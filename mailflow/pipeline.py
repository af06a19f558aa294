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
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mailflow import audit
from mailflow.checking import check_context
from mailflow.clock import utcnow
from mailflow.conversation import OPEN, handle_reply, record_bounce
from mailflow.db.models import CustomerAlias, Draft, Message
from mailflow.db.session import transaction
from mailflow.errors import PermanentError
from mailflow.extract import extract_order
from mailflow.extract.types import Intent
from mailflow.faults import crash_point
from mailflow.mail.autoreply import is_noreply
from mailflow.mail.parse import parse_envelope
from mailflow.mail.threads import match_order
from mailflow.orders import (
    ThreadHeaders,
    create_draft,
    create_order,
    lock_order,
    set_message_state,
    store_findings,
)
from mailflow.refdata import ReferenceData
from mailflow.revise import auto_send, prior_orders
from mailflow.states import MessageState
from mailflow.validate import validate_order
from mailflow.work import ACTOR, Services, Work

log = logging.getLogger(__name__)
AUTO_SEND_ACTOR = "auto-send policy"


def parse(work: Work) -> None:
    desk = work.services.settings.desk
    own = [desk.address, *desk.own_addresses]
    work.envelope = parse_envelope(
        work.message.raw, own_addresses=own, own_domain=desk.message_id_domain
    )


# Machine verdicts that only say nobody reads the sender's mailbox: a
# purchasing system's PO comes from "no-reply-purchasing@", so such mail is
# read, and ignored only when it holds no order.
READ_DESPITE = {"noreply"}


def skip_automatic(work: Work) -> None:
    """Machines are never answered (RFC 3834); a bounce of one of our replies
    marks that reply as not delivered."""
    verdict = work.need_envelope().auto
    if verdict.auto_reply and verdict.reason not in READ_DESPITE:
        _ignore_automatic(work, verdict.reason)


def _ignore_automatic(work: Work, reason: str | None) -> None:
    work.message.intent, work.message.auto_reason = Intent.AUTO_REPLY, reason
    bounced = record_bounce(work) if reason == "bounce" else []
    work.finish(
        MessageState.IGNORED, "automatic message, not answered", reason=reason, bounced=bounced
    )


_ADDRESS = re.compile(r"^[^@\s<>\x00-\x1f]+@[^@\s<>\x00-\x1f]+\.[^@\s<>\x00-\x1f]+$")


def need_sender(work: Work) -> None:
    """Mail we could not answer (no usable From) is kept for a clerk."""
    sender = work.need_envelope().sender
    if not _ADDRESS.match(sender):
        work.finish(
            MessageState.PROCESSED, f"no usable sender address ({sender!r}): left for a clerk"
        )


def extract(work: Work) -> None:
    envelope = work.need_envelope()
    aliases = customer_aliases(work.session, work.services.refdata, envelope.sender)
    work.extracted = extract_order(envelope, work.services.refdata, customer_aliases=aliases)
    work.message.intent = str(work.extracted.intent)


def customer_aliases(session: Session, refdata: ReferenceData, sender: str) -> dict[str, str]:
    """The customer's own names and part numbers for our products, as clerks
    taught them (alias → SKU)."""
    customer = refdata.customer_for_address(sender)
    if customer is None:
        return {}
    rows = session.execute(
        select(CustomerAlias.alias, CustomerAlias.sku).where(
            CustomerAlias.customer_id == customer.customer_id
        )
    )
    return {alias: sku for alias, sku in rows if sku in refdata.products}


def route(work: Work) -> None:
    """Replies in a known thread are handled there; anything else that is not
    an order is kept for a clerk and not answered."""
    envelope, extracted = work.need_envelope(), work.need_extracted()
    if extracted.intent is Intent.AUTO_REPLY:
        _ignore_automatic(work, envelope.auto.reason or "auto-reply")
        return
    matched = match_order(work.session, envelope)
    work.thread_order = lock_order(work.session, matched.id) if matched else None
    thread = work.thread_order
    # In an open conversation every reply belongs to its order (an answer
    # often reads like an order); a new order may follow a closed one.
    if thread is not None and (thread.state in OPEN or extracted.intent is not Intent.ORDER):
        handle_reply(work, thread)
    elif extracted.intent is not Intent.ORDER:
        work.finish(MessageState.PROCESSED, f"{extracted.intent}: not an order, left for a clerk")


def validate(work: Work) -> None:
    services, extracted = work.services, work.need_extracted()
    context = check_context(
        extracted,
        work.need_envelope(),
        refdata=services.refdata,
        settings=services.settings,
        today=services.today(),
        prior_orders=prior_orders(
            work.session,
            customer_id=extracted.customer_id,
            email=work.order_email(),
            po_number=extracted.po_number,
            checks=services.settings.checks,
            exclude=None,
        ),
    )
    work.findings = validate_order(extracted, context)


def rate_limit(work: Work) -> None:
    """A guard against loops with machines that do not say they are machines:
    past the hourly limit per sender, the order waits for a clerk undrafted;
    so does an order from an address that takes no replies."""
    limit = work.services.settings.conversation.max_replies_per_sender_per_hour
    since = utcnow() - timedelta(hours=1)
    recent = work.session.scalar(
        select(func.count())
        .select_from(Draft)
        .where(Draft.to_addr == work.order_email(), Draft.created_at >= since)
    )
    if (recent or 0) >= limit:
        work.hold = f"{recent} replies to {work.order_email()} in the last hour (limit {limit})"
    elif is_noreply(work.order_email()):
        # A reply there is lost: a clerk finds the buyer to answer.
        work.hold = f"the order came from {work.order_email()}, which takes no replies"


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
    if work.hold:
        # Flagged, so that the order shows in a clerk's queue without a draft.
        order.attention = f"no reply drafted: {work.hold}"
        audit.record(
            work.session, "draft.held", actor=ACTOR, order_id=order.id, after={"reason": work.hold}
        )
        work.finish(MessageState.PROCESSED, f"order {order.token}: no reply drafted ({work.hold})")
        return
    facts = services.reply_facts(
        order, findings=work.findings, contact_name=work.need_envelope().sender_name
    )
    created = create_draft(
        work.session,
        order,
        reply_to=work.message,
        thread=ThreadHeaders.replying_to(work.need_envelope()),
        facts=facts,
        renderer=services.renderer,
    )
    work.draft = created
    work.outcome = f"order {order.token}: {created.kind} drafted"


def auto_approve(work: Work) -> None:
    """Send the confirmation without a clerk when the auto-send policy allows."""
    draft_row = work.draft
    if draft_row is not None and auto_send(
        work.session, draft_row, work.findings, services=work.services
    ):
        work.outcome += ", sent by the auto-send policy"
    work.finish(MessageState.PROCESSED, work.outcome)


Stage = Callable[[Work], None]

STAGES: list[tuple[str, Stage]] = [
    ("parse", parse),
    ("skip_automatic", skip_automatic),
    ("need_sender", need_sender),
    ("extract", extract),
    ("route", route),
    ("validate", validate),
    ("rate_limit", rate_limit),
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
