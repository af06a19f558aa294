"""Replies in a thread, bounces, loops and forged senders."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import func, select

from mailflow.app import App
from mailflow.clock import utcnow
from mailflow.db.models import Draft, Message, Order, OutboxItem
from mailflow.db.session import transaction
from mailflow.mail.sources import deliver_to_maildir
from mailflow.orders import Decision, approve_draft
from mailflow.states import MessageState, OrderState, OutboxState
from tests.conftest import SettingsFactory
from tests.helpers import order_email, reply_email, sent_reply


def the_order(app: App) -> Order:
    with app.factory() as session:
        return session.scalars(select(Order)).one()


def bounce_of(ours: bytes) -> bytes:
    original = email.message_from_bytes(ours, policy=email.policy.default)
    report = EmailMessage()
    report["From"] = "Mail Delivery System <MAILER-DAEMON@mx.millbrook-eng.example>"
    report["To"] = "orders@harbor-supply.example"
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = format_datetime(utcnow())
    report["Message-ID"] = "<bounce-1@mx.millbrook-eng.example>"
    report["Auto-Submitted"] = "auto-replied"
    report.set_content("This is the mail system. Your message could not be delivered.")
    headers = f"Message-ID: {original['Message-ID']}\nSubject: {original['Subject']}\n"
    report.add_attachment(headers, subtype="rfc822-headers")
    return report.as_bytes()


def test_bounce_marks_our_reply_as_not_delivered(app: App) -> None:
    ours = sent_reply(app)
    # WHEN the customer's server bounces our confirmation
    deliver_to_maildir(app.settings.inbox.path, bounce_of(ours))
    app.cycle()
    # THEN the reply shows as bounced, the bounce is not answered
    with app.factory() as session:
        item = session.scalars(select(OutboxItem)).one()
        bounce = session.scalars(select(Message).order_by(Message.id.desc())).first()
        drafts = session.scalar(select(func.count()).select_from(Draft))
    assert item.state is OutboxState.BOUNCED
    assert bounce is not None and bounce.state is MessageState.IGNORED
    assert bounce.order_id == item.order_id
    assert drafts == 1


def test_thread_is_found_by_subject_token_without_in_reply_to(app: App) -> None:
    ours = sent_reply(app)
    reply = email.message_from_bytes(reply_email(ours), policy=email.policy.default)
    # GIVEN a provider that dropped In-Reply-To and References
    del reply["In-Reply-To"]
    del reply["References"]
    deliver_to_maildir(app.settings.inbox.path, reply.as_bytes())
    app.cycle()
    assert the_order(app).state is OrderState.EXPORTED


def test_flood_from_one_sender_is_answered_at_most_the_limit(
    make_settings: SettingsFactory,
) -> None:
    app = App.build(make_settings(conversation={"max_replies_per_sender_per_hour": 3}))
    # GIVEN fifty orders from one address within the hour
    for number in range(50):
        deliver_to_maildir(app.settings.inbox.path, order_email(number=number))
    app.cycle()
    # THEN only three replies are drafted; every message is still recorded
    with app.factory() as session:
        drafts = session.scalar(select(func.count()).select_from(Draft))
        orders = session.scalar(select(func.count()).select_from(Order))
    assert (drafts, orders) == (3, 50)
    # AND the orders left without a reply are flagged for a clerk
    with app.factory() as session:
        flagged = session.scalars(select(Order).where(Order.attention.is_not(None))).all()
    assert len(flagged) == 47


def test_confirmation_failing_dmarc_is_not_acted_on(make_settings: SettingsFactory) -> None:
    app = App.build(make_settings(checks={"trusted_authserv_ids": ["mx.harbor-supply.example"]}))
    ours = sent_reply(app)
    # GIVEN a "confirmed" reply whose sender our own server found forged
    forged = reply_email(ours, text="Confirmed.")
    header = b"Authentication-Results: mx.harbor-supply.example; dkim=none; spf=fail; dmarc=fail\n"
    deliver_to_maildir(app.settings.inbox.path, header + forged)
    app.cycle()
    # THEN the order still waits for the customer
    assert the_order(app).state is OrderState.AWAITING_CUSTOMER


def test_reply_in_thread_from_a_stranger_is_not_acted_on(app: App) -> None:
    ours = sent_reply(app)
    deliver_to_maildir(
        app.settings.inbox.path,
        reply_email(ours, text="Confirmed.", sender="eve@elsewhere.example"),
    )
    app.cycle()
    assert the_order(app).state is OrderState.AWAITING_CUSTOMER


def test_reply_to_outside_the_senders_domain_is_not_followed(app: App) -> None:
    # GIVEN an order whose Reply-To points to another domain
    raw = order_email(number=1)
    deliver_to_maildir(app.settings.inbox.path, b"Reply-To: mallory@evil.example\n" + raw)
    app.cycle()
    # THEN our reply goes to the sender, and a "yes" from the other address does nothing
    with app.factory() as session:
        draft = session.scalars(select(Draft)).one()
    assert draft.to_addr == "priya.shah@millbrook-eng.example"
    with transaction(app.factory) as session:
        approve_draft(session, Decision(draft.id, "clerk"), desk=app.settings.desk)
    app.send()
    [sent] = (Path(app.settings.smtp.out_dir) / "new").iterdir()
    ours = sent.read_bytes().split(b"\n", 1)[1]
    forged = reply_email(ours, text="Yes, confirmed.", sender="mallory@evil.example")
    deliver_to_maildir(app.settings.inbox.path, forged)
    app.cycle()
    assert the_order(app).state is OrderState.AWAITING_CUSTOMER


def test_partial_cancellation_removes_only_the_named_line(app: App) -> None:
    ours = sent_reply(app)
    deliver_to_maildir(
        app.settings.inbox.path,
        reply_email(ours, text="Please cancel the NUT-M6, the rest is fine."),
    )
    app.cycle()
    with app.factory() as session:
        order = session.scalars(select(Order)).one()
        assert order.state is OrderState.DRAFTED
        assert [ln.sku for ln in order.lines] == ["BLT-M6-30"]


def test_cancel_after_a_clerk_rejected_the_draft_is_recorded_not_quarantined(app: App) -> None:
    from mailflow.orders import reject_draft

    deliver_to_maildir(app.settings.inbox.path, order_email(number=1))
    app.cycle()
    with transaction(app.factory) as session:
        reject_draft(session, Decision(1, "clerk", "test order"))
    # WHEN the customer writes "please cancel" in the same thread
    with app.factory() as session:
        message_id = session.scalars(select(Message)).one().message_id
    cancel = order_email(number=2, body="Please cancel this order.", subject="Re: Order PO MB-1001")
    cancel = cancel.replace(b"Message-ID:", f"In-Reply-To: {message_id}\nMessage-ID:".encode(), 1)
    deliver_to_maildir(app.settings.inbox.path, cancel)
    [result] = app.cycle().processed
    assert result.state is MessageState.PROCESSED
    assert the_order(app).state is OrderState.REJECTED


def test_with_required_authentication_an_unverified_confirmation_waits(
    make_settings: SettingsFactory,
) -> None:
    checks = {"trusted_authserv_ids": ["mx.harbor-supply.example"], "require_authentication": True}
    app = App.build(make_settings(checks=checks))
    ours = sent_reply(app)
    # GIVEN a "confirmed" that our server did not vouch for at all
    deliver_to_maildir(app.settings.inbox.path, reply_email(ours, text="Confirmed."))
    app.cycle()
    assert the_order(app).state is OrderState.AWAITING_CUSTOMER


def test_a_reply_in_thread_from_a_no_reply_address_is_answered_to_the_buyer(app: App) -> None:
    ours = sent_reply(app)
    # GIVEN the customer's purchasing system changing the order from a no-reply address
    system = "no-reply@millbrook-eng.example"
    deliver_to_maildir(
        app.settings.inbox.path,
        reply_email(ours, text="Please change the NUT-M6 to 8 boxes.", sender=system),
    )
    app.cycle()
    # THEN the revised confirmation goes to the buyer who placed the order, never to it
    with app.factory() as session:
        pending = session.scalars(select(Draft).where(Draft.id > 1)).all()
    assert [d.to_addr for d in pending] == ["priya.shah@millbrook-eng.example"]
