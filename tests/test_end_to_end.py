"""One order travels the whole way on real servers: Dovecot IMAP inbox →
recorded → drafted → approved → sent through aiosmtpd → the customer's
"yes, please proceed" → confirmed → exported, audit chain intact."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mailflow import audit
from mailflow.app import App
from mailflow.db.models import Draft, Message, Order
from mailflow.db.session import transaction
from mailflow.orders import Decision, approve_draft
from mailflow.states import DraftKind, DraftState, MessageState, OrderState
from tests.conftest import SettingsFactory
from tests.helpers import CUSTOMER, mailflow, order_email, reply_email, write_config

pytestmark = pytest.mark.servers


def imap_sections(dovecot: Any, smtp_server: Any) -> dict[str, dict[str, Any]]:
    inbox = dovecot.inbox_settings().model_dump(mode="json", exclude={"password"})
    inbox["password"] = dovecot.password
    smtp = smtp_server.smtp_settings().model_dump(mode="json", exclude={"password"})
    return {"inbox": inbox, "smtp": smtp}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'e2e.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


def test_order_is_confirmed_and_exported_end_to_end(
    make_settings: SettingsFactory, dovecot: Any, smtp_server: Any, database_url: str
) -> None:
    settings = make_settings(database={"url": database_url}, **imap_sections(dovecot, smtp_server))
    app = App.build(settings)
    order_raw = order_email(number=1)
    original_id = email.message_from_bytes(order_raw, policy=email.policy.default)["Message-ID"]

    # GIVEN an order e-mail in the shared INBOX
    uid = dovecot.append("INBOX", order_raw)
    # WHEN Mailflow fetches and processes it
    report = app.cycle()
    # THEN it is recorded, marked \Seen on the server, and a confirmation is drafted
    assert report.intake.recorded == 1
    assert "\\Seen" in dovecot.flags("INBOX")[uid]
    with app.factory() as session:
        draft = session.scalars(select(Draft)).one()
        order = session.get_one(Order, draft.order_id)
    assert draft.kind is DraftKind.CONFIRMATION and draft.state is DraftState.PENDING
    assert order.state is OrderState.DRAFTED

    # WHEN a clerk approves it and the outbox runs
    with transaction(app.factory) as session:
        approve_draft(session, Decision(draft.id, "clerk.anna"), desk=settings.desk)
    assert app.send().sent == 1
    # THEN the SMTP server received it, threaded to the customer's message
    [received] = smtp_server.wait_for(1)
    sent = email.message_from_bytes(received.raw, policy=email.policy.default)
    assert received.rcpt_tos == [CUSTOMER]
    assert received.mail_from == settings.desk.address
    assert sent["In-Reply-To"] == original_id
    assert original_id in sent["References"]
    assert f"[{order.token}]" in sent["Subject"]
    assert sent["Auto-Submitted"] == "auto-replied"
    assert sent.get_content_type() == "multipart/alternative"
    assert "BLT-M6-30" in sent.get_body(("plain",)).get_content()

    # WHEN the customer replies "yes, please proceed"
    dovecot.append("INBOX", reply_email(received.raw))
    app.cycle()
    # THEN a copy of our reply sits in the shared mailbox's Sent folder
    [copy] = dovecot.fetch_all("Sent").values()
    assert f"Message-ID: {sent['Message-ID']}".encode() in copy
    # AND the order is confirmed and exported, and the audit chain verifies
    with app.factory() as session:
        order = session.get_one(Order, order.id)
        assert order.state is OrderState.EXPORTED
        assert audit.verify(session).ok
        actions = [e.action for e in audit.for_order(session, order.id)]
    assert actions.index("draft.approved") < actions.index("order.confirmed")
    exported = json.loads(Path(settings.export.dir, f"{order.token}.json").read_text())
    assert exported["order"] == order.token
    assert [(ln["sku"], ln["quantity"]) for ln in exported["lines"]] == [
        ("BLT-M6-30", 2),
        ("NUT-M6", 1),
    ]
    app.close()


def test_cli_walks_the_same_road(
    tmp_path: Path, dovecot: Any, smtp_server: Any, make_settings: SettingsFactory
) -> None:
    from tests.conftest import base_sections, merge

    config = write_config(
        tmp_path / "mailflow.toml",
        merge(base_sections(tmp_path), **imap_sections(dovecot, smtp_server)),
    )
    # GIVEN an order in the inbox, WHEN the service's commands run one by one
    dovecot.append("INBOX", order_email(number=7))
    assert mailflow("fetch", config=config).returncode == 0
    listing = mailflow("drafts", config=config)
    assert "confirmation" in listing.stdout
    approved = mailflow("approve", "1", "--as", "clerk.ben", config=config)
    assert approved.returncode == 0, approved.stderr
    assert mailflow("send", config=config).returncode == 0
    [received] = smtp_server.wait_for(1)
    dovecot.append("INBOX", reply_email(received.raw, text="Confirmed, thanks."))
    assert mailflow("fetch", config=config).returncode == 0
    # THEN the audit trail shows the whole story and verifies
    verify = mailflow("audit", "verify", config=config)
    assert verify.returncode == 0 and "intact" in verify.stdout
    settings = make_settings(database={"url": f"sqlite:///{tmp_path / 'mailflow.db'}"})
    app = App.build(settings)
    with app.factory() as session:
        order = session.scalars(select(Order)).one()
        assert order.state is OrderState.EXPORTED
        assert session.scalar(select(func.count()).select_from(Message)) == 2
        states = {m.state for m in session.scalars(select(Message))}
    assert states == {MessageState.PROCESSED}
    shown = mailflow("audit", "show", order.token, config=config)
    assert "clerk.ben" in shown.stdout and "order.confirmed" in shown.stdout
    app.close()
