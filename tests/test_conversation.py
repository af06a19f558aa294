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
from tests.helpers import order_email, reply_email


def sent_reply(app: App) -> bytes:
    """Order in, confirmation approved and sent; the bytes the customer got."""
    deliver_to_maildir(app.settings.inbox.path, order_email(number=1))
    app.cycle()
    with transaction(app.factory) as session:
        approve_draft(session, Decision(1, "clerk"), desk=app.settings.desk)
    app.send()
    [sent] = (Path(app.settings.smtp.out_dir) / "new").iterdir()
    return sent.read_bytes().split(b"\n", 1)[1]


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
