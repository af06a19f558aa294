"""Replies in an order's thread: confirmations, cancellations, bounces; what
the customer asks for is acted on only when the sender is who the order
belongs to and is not shown to be forged."""

from __future__ import annotations

from sqlalchemy import select

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.db.models import Order, OutboxItem
from mailflow.export import queue_export
from mailflow.extract.types import Intent
from mailflow.mail.authresults import evaluate
from mailflow.mail.bounces import bounced_message_ids
from mailflow.orders import last_sent_draft, link_thread, set_order_state
from mailflow.states import DraftKind, MessageState, OrderState, OutboxState
from mailflow.work import ACTOR, Work


def record_bounce(work: Work) -> list[str]:
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


def sender_failed_authentication(work: Work) -> str | None:
    """Why the sender is not to be believed, or None."""
    trusted = work.services.settings.checks.trusted_authserv_ids
    verdict = evaluate(work.need_envelope().auth_results, trusted=trusted)
    return verdict.reason if verdict.verified is False else None


def confirm(work: Work, order: Order) -> None:
    failed = sender_failed_authentication(work)
    if failed:
        work.finish(MessageState.PROCESSED, f"confirm on {order.token} not trusted ({failed})")
        return
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
