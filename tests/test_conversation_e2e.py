"""Whole conversations on real servers (Dovecot in, aiosmtpd out): what the
customer writes, what Mailflow answers, and where the order ends."""

from __future__ import annotations

import email
import email.policy
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from mailflow.app import App
from mailflow.clock import utcnow
from mailflow.db.models import Draft, Order, OutboxItem
from mailflow.db.session import transaction
from mailflow.export import sign
from mailflow.orders import Decision, approve_draft
from mailflow.states import DraftKind, DraftState, OrderState
from tests.conftest import SettingsFactory
from tests.helpers import CUSTOMER, delivery_day, order_email, reply_email
from tests.test_end_to_end import imap_sections

pytestmark = pytest.mark.servers
SECRET = "erp-secret"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@dataclass
class Erp:
    url: str = ""
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def erp() -> Iterator[Erp]:
    state = Erp()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append((dict(self.headers), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/erp/orders"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state
    server.shutdown()
    server.server_close()


@dataclass
class Desk:
    """The shop as the customer experiences it, driven one step at a time."""

    app: App
    dovecot: Any
    smtp: Any
    transcript: list[bytes] = field(default_factory=list)

    def customer_writes(self, raw: bytes) -> None:
        self.transcript.append(raw)
        self.dovecot.append("INBOX", raw)
        self.app.cycle()

    def clerk_approves(self) -> Draft:
        with transaction(self.app.factory) as session:
            draft = session.scalars(select(Draft).where(Draft.state == DraftState.PENDING)).one()
            approve_draft(session, Decision(draft.id, "clerk.anna"), desk=self.app.settings.desk)
        self.app.send()
        self.transcript.append(self.last_raw())
        return draft

    def write_transcript(self, path: Path) -> None:
        """The conversation as the customer saw it, e-mail by e-mail (a test artifact)."""
        parts = []
        for raw in self.transcript:
            message = email.message_from_bytes(raw, policy=email.policy.default)
            head = "\n".join(f"{h}: {message[h]}" for h in ("From", "To", "Subject") if message[h])
            parts.append(f"{head}\n\n{text_of(message)}")  # type: ignore[arg-type]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(("\n" + "=" * 72 + "\n").join(parts), encoding="utf-8")

    def last_sent(self) -> EmailMessage:
        raw = self.smtp.wait_for(1)[-1].raw
        return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]

    def last_raw(self) -> bytes:
        return bytes(self.smtp.messages[-1].raw)

    def order(self) -> Order:
        with self.app.factory() as session:
            return session.scalars(select(Order)).one()


@pytest.fixture
def desk(make_settings: SettingsFactory, dovecot: Any, smtp_server: Any, erp: Erp) -> Desk:
    settings = make_settings(
        **imap_sections(dovecot, smtp_server),
        export={"webhook_url": erp.url, "webhook_secret": SECRET, "formats": []},
    )
    return Desk(App.build(settings), dovecot, smtp_server)


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_clarification_answered_then_confirmed_and_exported(desk: Desk, erp: Erp) -> None:
    # GIVEN an order that names a product we cannot place
    body = (
        "Hello,\n\nPlease supply against PO MB-2001:\n\n  2 boxes BLT-M6-30\n"
        "  4 boxes of the blue widgets\n\n"
        f"Delivery by {delivery_day():%d %B %Y} please.\n\nThanks,\nPriya\n"
    )
    desk.customer_writes(order_email(number=1, body=body))
    desk.clerk_approves()
    question = desk.last_sent()
    assert "blue widgets" in text_of(question)
    # WHEN the customer answers with the product code
    desk.customer_writes(reply_email(desk.last_raw(), text="Sorry, I meant 4 boxes of NUT-M6."))
    # THEN the order is revised and a confirmation is drafted, showing the change
    with desk.app.factory() as session:
        pending = session.scalars(select(Draft).where(Draft.state == DraftState.PENDING)).one()
    assert pending.kind is DraftKind.CONFIRMATION
    desk.clerk_approves()
    confirmation = text_of(desk.last_sent())
    assert "NUT-M6" in confirmation
    # WHEN the customer confirms
    desk.customer_writes(reply_email(desk.last_raw(), text="Confirmed, thank you."))
    # THEN the ERP received the order, signed
    assert desk.order().state is OrderState.EXPORTED
    [(headers, payload)] = erp.received
    assert headers["X-Mailflow-Signature"] == sign(SECRET, payload)
    lines = [(ln["sku"], ln["quantity"]) for ln in json.loads(payload)["lines"]]
    assert lines == [("BLT-M6-30", 2), ("NUT-M6", 4)]
    desk.write_transcript(ARTIFACTS / "conversation.txt")


def test_change_after_confirmation_gets_a_revised_confirmation(desk: Desk) -> None:
    desk.customer_writes(order_email(number=2))
    desk.clerk_approves()
    # WHEN the customer changes a quantity
    change = "Could you change the BLT-M6-30 to 5 boxes please? Everything else as is."
    desk.customer_writes(reply_email(desk.last_raw(), text=change))
    # THEN a revised confirmation shows the change, and their earlier "yes" is not enough
    desk.clerk_approves()
    revised = text_of(desk.last_sent())
    assert "What changed" in revised and "5" in revised
    with desk.app.factory() as session:
        order = session.scalars(select(Order)).one()
        assert {ln.sku: ln.quantity for ln in order.lines}["BLT-M6-30"] == 5
    desk.customer_writes(reply_email(desk.last_raw(), text="Yes, confirmed."))
    assert desk.order().state is OrderState.EXPORTED


def test_cancellation_is_acknowledged(desk: Desk) -> None:
    desk.customer_writes(order_email(number=3))
    desk.clerk_approves()
    desk.customer_writes(
        reply_email(desk.last_raw(), text="Please cancel this order, we no longer need it.")
    )
    assert desk.order().state is OrderState.CANCELLED
    acknowledgement = desk.clerk_approves()
    assert acknowledgement.kind is DraftKind.CANCELLATION
    assert "cancelled" in text_of(desk.last_sent())


def out_of_office(to_raw: bytes) -> bytes:
    ours = email.message_from_bytes(to_raw, policy=email.policy.default)
    message = EmailMessage()
    message["From"] = f"Priya Shah <{CUSTOMER}>"
    message["To"] = "orders@harbor-supply.example"
    message["Subject"] = f"Out of Office: {ours['Subject']}"
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = "<ooo-1@millbrook-eng.example>"
    message["In-Reply-To"] = str(ours["Message-ID"])
    message["Auto-Submitted"] = "auto-replied"
    message.set_content("I am out of the office until Monday.")
    return message.as_bytes()


def age_awaiting(app: App, days: int) -> None:
    """Move the clock of the waiting order back, as if days had passed."""
    with transaction(app.factory) as session:
        session.execute(update(Order).values(awaiting_since=utcnow() - timedelta(days=days)))


def test_out_of_office_is_not_answered_and_a_reminder_follows(desk: Desk) -> None:
    desk.customer_writes(order_email(number=4))
    desk.clerk_approves()
    sent_before = len(desk.smtp.messages)
    # WHEN an out-of-office comes back
    desk.customer_writes(out_of_office(desk.last_raw()))
    # THEN nothing is sent in answer
    assert len(desk.smtp.messages) == sent_before
    # WHEN the working hours pass without an answer
    age_awaiting(desk.app, days=5)
    assert desk.app.remind() == 1
    desk.app.send()
    # THEN one polite reminder goes out in the same thread
    reminder = desk.last_sent()
    assert "reminder" in text_of(reminder).lower()
    assert desk.order().token in str(reminder["Subject"])


def test_no_answer_after_the_reminders_marks_the_order_stalled(
    make_settings: SettingsFactory, dovecot: Any, smtp_server: Any
) -> None:
    settings = make_settings(
        **imap_sections(dovecot, smtp_server), conversation={"max_reminders": 1}
    )
    desk = Desk(App.build(settings), dovecot, smtp_server)
    desk.customer_writes(order_email(number=5))
    desk.clerk_approves()
    age_awaiting(desk.app, days=5)
    desk.app.remind()
    age_awaiting(desk.app, days=5)
    desk.app.remind()
    order = desk.order()
    assert order.state is OrderState.STALLED and order.attention


def test_restart_between_reminder_and_sending_sends_exactly_one(desk: Desk, tmp_path: Path) -> None:
    desk.customer_writes(order_email(number=6))
    desk.clerk_approves()
    age_awaiting(desk.app, days=5)
    # GIVEN the reminder was created and queued, and then the process stopped
    assert desk.app.remind() == 1
    desk.app.close()
    # WHEN a new process starts and runs every job
    restarted = App.build(desk.app.settings)
    restarted.remind()
    restarted.send()
    restarted.remind()
    restarted.send()
    # THEN exactly one reminder went out
    with restarted.factory() as session:
        kinds = [d.kind for d in session.scalars(select(Draft).join(OutboxItem))]
    assert kinds.count(DraftKind.REMINDER) == 1
    subjects = [m.raw for m in desk.smtp.messages]
    assert len(subjects) == 2


def test_accepted_split_delivery_is_confirmed_and_exported_in_two_parts(
    desk: Desk, erp: Erp
) -> None:
    # GIVEN an order for more M12 bolts than we have (40 boxes in stock)
    body = (
        "Hi,\n\nPO MB-3003 please:\n\n  60 boxes BLT-M12-80\n\n"
        f"Delivery by {delivery_day():%d %B %Y}.\n\nThanks,\nPriya\n"
    )
    desk.customer_writes(order_email(number=7, body=body))
    desk.clerk_approves()
    assert "40" in text_of(desk.last_sent())
    # WHEN the customer accepts the offered split
    desk.customer_writes(
        reply_email(desk.last_raw(), text="Yes, please ship the 40 now and the rest later.")
    )
    desk.clerk_approves()
    confirmation = text_of(desk.last_sent())
    assert "two parts" in confirmation
    desk.customer_writes(reply_email(desk.last_raw(), text="Confirmed."))
    # THEN the ERP gets both deliveries with their dates
    [(_, payload)] = erp.received
    parts = json.loads(payload)["shipments"]
    assert [(p["quantity"], p["when"]) for p in parts] == [(40, "now"), (20, "later")]
    assert parts[1]["date"]


def test_shipment_sends_a_notice_in_the_customers_language(desk: Desk) -> None:
    from mailflow.errors import PermanentError
    from mailflow.shipping import record_shipment

    desk.customer_writes(order_email(number=8))
    desk.clerk_approves()
    desk.customer_writes(reply_email(desk.last_raw(), text="Confirmed."))
    # WHEN the warehouse reports the dispatch
    with transaction(desk.app.factory) as session:
        order = session.scalars(select(Order)).one()
        record_shipment(
            session,
            order,
            carrier="DHL",
            tracking="JD0146000012345",
            actor="wms",
            services=desk.app.services,
        )
    desk.app.send()
    # THEN the customer gets the tracking number, in the thread
    notice = desk.last_sent()
    assert "JD0146000012345" in text_of(notice)
    assert str(notice["In-Reply-To"]).startswith("<ORD-")
    # AND the same report twice is refused
    with pytest.raises(PermanentError), transaction(desk.app.factory) as session:
        order = session.scalars(select(Order)).one()
        record_shipment(
            session,
            order,
            carrier="DHL",
            tracking="JD0146000012345",
            actor="wms",
            services=desk.app.services,
        )


def test_bounce_of_our_reply_shows_the_draft_as_failed_delivery(desk: Desk) -> None:
    from tests.test_conversation import bounce_of

    desk.customer_writes(order_email(number=9))
    desk.clerk_approves()
    sent_before = len(desk.smtp.messages)
    desk.customer_writes(bounce_of(desk.last_raw()))
    with desk.app.factory() as session:
        item = session.scalars(select(OutboxItem)).one()
    assert item.state.value == "bounced"
    assert len(desk.smtp.messages) == sent_before


def test_thread_found_by_subject_token_when_in_reply_to_is_missing(desk: Desk) -> None:
    desk.customer_writes(order_email(number=10))
    desk.clerk_approves()
    reply = email.message_from_bytes(reply_email(desk.last_raw()), policy=email.policy.default)
    del reply["In-Reply-To"]
    del reply["References"]
    desk.customer_writes(reply.as_bytes())
    assert desk.order().state is OrderState.EXPORTED


def test_fifty_messages_in_an_hour_get_at_most_the_limit_of_replies(
    make_settings: SettingsFactory, dovecot: Any, smtp_server: Any
) -> None:
    settings = make_settings(
        **imap_sections(dovecot, smtp_server),
        approval={"auto_send": True},
        conversation={"max_replies_per_sender_per_hour": 5},
    )
    app = App.build(settings)
    # GIVEN fifty different orders from one address within the hour
    for number in range(50):
        body = (
            f"PO MB-{5000 + number}: {number + 1} boxes BLT-M6-30 please, "
            f"delivery by {delivery_day():%d %B %Y}.\n\nPriya\n"
        )
        dovecot.append("INBOX", order_email(number=100 + number, body=body))
    # WHEN they are processed and the outbox runs
    app.cycle()
    app.send()
    # THEN only five replies were drafted and sent; every order is recorded
    assert len(smtp_server.messages) == 5
    with app.factory() as session:
        assert len(session.scalars(select(Order)).all()) == 50
