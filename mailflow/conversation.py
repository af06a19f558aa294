"""Replies in an order's thread. What the customer asks for is acted on only
when the sender is the one the order belongs to and is not shown to be
forged; everything else goes to a clerk with the reason.

- an answer to a clarification: the new facts are merged, every check runs
  again, and the next confirmation or clarification is drafted;
- a change: the order is updated and a revised confirmation shows what changed;
- a confirmation: the order is confirmed and exported, unless it changed
  since the confirmation the customer saw, in which case we ask again;
- a cancellation: cancelled, acknowledged, and the ERP told if it had it;
- a question: a clerk answers.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from sqlalchemy import select

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.db.models import Draft, Order, OutboxItem
from mailflow.export import queue_export
from mailflow.extract.mentions import dropped_products
from mailflow.extract.types import ExtractedOrder, Intent
from mailflow.mail.authresults import evaluate
from mailflow.mail.bounces import bounced_message_ids
from mailflow.merge import accept_split, apply_answer, apply_change, remove_line
from mailflow.orders import ThreadHeaders, last_sent_draft, link_thread, set_order_state
from mailflow.revise import Revision, acknowledge_cancellation, redraft
from mailflow.states import DraftKind, MessageState, OrderState, OutboxState
from mailflow.work import ACTOR, Work

OPEN = (OrderState.AWAITING_CUSTOMER, OrderState.STALLED, OrderState.DRAFTED)
ANSWERS = Path(__file__).resolve().parent.parent / "nlp" / "assets" / "answers.json"


@cache
def _affirmation() -> re.Pattern[str]:
    words = json.loads(ANSWERS.read_text(encoding="utf-8"))["affirm"]
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^\W*(?:{alternatives})(?![a-z])", re.IGNORECASE)


def affirms(text: str) -> bool:
    """Does the reply open with a yes ("Yes, ship the 40 now", "好的，可以")?"""
    return bool(_affirmation().search(text.strip()))


def record_bounce(work: Work) -> list[str]:
    """Mark our replies that this bounce returns as not delivered."""
    domain = work.services.settings.desk.message_id_domain
    ids = bounced_message_ids(work.need_envelope(), domain=domain)
    items = work.session.scalars(select(OutboxItem).where(OutboxItem.message_id.in_(ids))).all()
    for item in items:
        work.message.order_id = item.order_id
        if item.state is OutboxState.SENT:
            before = item.state
            item.state, item.last_error = OutboxState.BOUNCED, f"bounced: message {work.message.id}"
            audit.record(
                work.session,
                "outbox.bounced",
                actor=ACTOR,
                order_id=item.order_id,
                draft_id=item.draft_id,
                message_id=work.message.id,
                before={"state": before},
                after={"state": item.state},
            )
    return [item.message_id for item in items]


def _same_customer(work: Work, order: Order) -> bool:
    sender = work.need_envelope().sender
    if sender == order.customer_email.lower():
        return True
    customer = work.services.refdata.customer_for_address(sender)
    return customer is not None and customer.customer_id == order.customer_id


def sender_failed_authentication(work: Work) -> str | None:
    """Why the sender is not to be believed, or None. With
    ``require_authentication``, no trusted verdict at all is a failure too."""
    checks = work.services.settings.checks
    if not checks.trusted_authserv_ids:
        return None
    envelope = work.need_envelope()
    verdict = evaluate(
        envelope.auth_results,
        trusted=checks.trusted_authserv_ids,
        from_domain=envelope.sender.rpartition("@")[2],
    )
    if verdict.verified is False:
        return verdict.reason
    if verdict.verified is None and checks.require_authentication:
        return verdict.reason
    return None


def to_clerk(work: Work, order: Order, reason: str) -> None:
    """Leave the reply for a clerk, flagged on the order with the reason."""
    # A clerk owns the next step: no reminders while the customer waits for us.
    order.attention, order.awaiting_since = reason, None
    audit.record(
        work.session,
        "order.attention",
        actor=ACTOR,
        order_id=order.id,
        message_id=work.message.id,
        after={"reason": reason},
    )
    work.finish(MessageState.PROCESSED, f"{order.token}: {reason}; left for a clerk")


def handle_reply(work: Work, order: Order) -> None:
    work.message.order_id = order.id
    link_thread(work.session, order, work.need_envelope().message_id)
    reply = work.need_extracted()
    if not _same_customer(work, order):
        to_clerk(work, order, f"reply from another sender ({work.need_envelope().sender})")
    elif (failed := sender_failed_authentication(work)) is not None:
        to_clerk(work, order, f"sender failed authentication ({failed})")
    elif reply.intent is Intent.CANCEL and (dropped := _dropped(work, order)):
        partial_cancel(work, order, dropped)
    elif reply.intent is Intent.CANCEL:
        cancel(work, order)
    elif order.state not in OPEN:
        to_clerk(work, order, f"{reply.intent} on an order that is {order.state}")
    else:
        _act_on_open_order(work, order, reply)


def _dropped(work: Work, order: Order) -> list[str]:
    """The order's products the reply takes out, when it does not cancel all."""
    ours = {line.sku for line in order.lines if line.sku}
    dropped = dropped_products(work.need_envelope().new_text, work.services.refdata, among=ours)
    return dropped if len(dropped) < len(ours) else []


def partial_cancel(work: Work, order: Order, skus: list[str]) -> None:
    """ "Cancel the nuts, send the rest": remove those lines, keep the order."""
    if order.state not in OPEN:
        to_clerk(work, order, f"cancels part of an order that is {order.state}")
        return
    refdata = work.services.refdata
    changes = [c for sku in skus for c in remove_line(order, sku, refdata=refdata)]
    _revise(work, order, changes, "cancelled part of the order")


def _act_on_open_order(work: Work, order: Order, reply: ExtractedOrder) -> None:
    sent = last_sent_draft(work.session, order, asking=True)
    if reply.intent is Intent.QUESTION:
        to_clerk(work, order, "the customer asks a question")
    elif sent is not None and sent.kind is DraftKind.CLARIFICATION:
        answer(work, order, reply)
    elif reply.intent is Intent.CHANGE:
        change(work, order, reply)
    elif reply.intent is Intent.CONFIRM and sent is not None:
        confirm(work, order, sent)
    else:
        to_clerk(work, order, f"{reply.intent} reply")


def _revision(work: Work, changes: list[dict[str, str]]) -> Revision:
    envelope = work.need_envelope()
    return Revision(
        actor="customer",
        thread=ThreadHeaders.replying_to(envelope),
        reply_to=work.message,
        contact_name=envelope.sender_name,
        authentication_results=tuple(envelope.auth_results),
        changes=changes,
    )


def answer(work: Work, order: Order, reply: ExtractedOrder) -> None:
    """Merge the customer's answers into the order and draft what comes next."""
    changes = apply_answer(order, work.read_reply(), refdata=work.services.refdata)
    if reply.intent is Intent.CONFIRM or affirms(work.need_envelope().new_text):
        changes += accept_split(order, refdata=work.services.refdata)
    if not changes:
        to_clerk(work, order, "answer to our questions that we could not read")
        return
    _revise(work, order, changes, "answered our questions")


def change(work: Work, order: Order, reply: ExtractedOrder) -> None:
    changes = apply_change(order, reply, refdata=work.services.refdata)
    if not changes:
        to_clerk(work, order, "change request that we could not read")
        return
    _revise(work, order, changes, "changed the order")


def _revise(work: Work, order: Order, changes: list[dict[str, str]], what: str) -> None:
    order.revision += 1
    audit.record(
        work.session,
        "order.revised",
        actor="customer",
        order_id=order.id,
        message_id=work.message.id,
        after={"revision": order.revision, "changes": changes},
    )
    draft = redraft(work.session, order, services=work.services, revision=_revision(work, changes))
    work.finish(MessageState.PROCESSED, f"{order.token}: customer {what}; {draft.kind} drafted")


def confirm(work: Work, order: Order, sent: Draft) -> None:
    if sent.kind is not DraftKind.CONFIRMATION:
        to_clerk(work, order, f"confirmation of our {sent.kind}")
        return
    if any(f.severity == "error" for f in order.findings):
        to_clerk(work, order, "confirmed an order that still has open questions")
        return
    if sent.revision != order.revision or order.state is OrderState.DRAFTED:
        # The order changed after the customer saw it: they confirmed
        # something else. Show them the order as it stands and ask again.
        _revise(work, order, [], "confirmed an earlier version")
        return
    order.confirmed_at, order.awaiting_since = utcnow(), None
    set_order_state(
        work.session, order, OrderState.CONFIRMED, actor="customer", message=work.message.id
    )
    queue_export(work.session, order, settings=work.services.settings.export, actor=ACTOR)
    work.finish(MessageState.PROCESSED, f"order {order.token} confirmed by the customer")


def cancel(work: Work, order: Order) -> None:
    """The customer cancels; we acknowledge, and an ERP that has it is told."""
    if order.state in (OrderState.CANCELLED, OrderState.REJECTED):
        work.finish(MessageState.PROCESSED, f"order {order.token} was already {order.state}")
        return
    handed_over = order.state in (OrderState.CONFIRMED, OrderState.EXPORTED)
    order.awaiting_since = None
    set_order_state(
        work.session, order, OrderState.CANCELLED, actor="customer", message=work.message.id
    )
    if handed_over:
        settings = work.services.settings.export
        queue_export(work.session, order, settings=settings, actor=ACTOR, event="cancelled")
    acknowledge_cancellation(
        work.session, order, services=work.services, revision=_revision(work, [])
    )
    work.finish(MessageState.PROCESSED, f"order {order.token} cancelled by the customer")
