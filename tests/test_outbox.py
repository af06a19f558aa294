"""Sending: temporary SMTP failures are retried until delivered, permanent
ones are marked failed with the server's reason, all under one Message-ID."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from mailflow.app import App
from mailflow.db.models import OutboxItem
from mailflow.db.session import transaction
from mailflow.mail.sources import deliver_to_maildir
from mailflow.orders import Decision, approve_draft
from mailflow.states import OutboxState
from tests.conftest import SettingsFactory
from tests.helpers import order_email

pytestmark = pytest.mark.servers


@pytest.fixture
def approved(make_settings: SettingsFactory, smtp_server: Any) -> App:
    """An app whose outbox holds one approved confirmation."""
    smtp = smtp_server.smtp_settings(backoff_seconds=0.0).model_dump(
        mode="json", exclude={"password"}
    )
    app = App.build(make_settings(smtp=smtp))
    deliver_to_maildir(app.settings.inbox.path, order_email(number=1))
    app.intake()
    app.process()
    with transaction(app.factory) as session:
        approve_draft(session, Decision(1, "clerk"), desk=app.settings.desk)
    return app


def outbox_item(app: App) -> OutboxItem:
    with app.factory() as session:
        return session.scalars(select(OutboxItem)).one()


@pytest.mark.parametrize(
    "reply", ["421 4.7.0 Try again later, closing", "451 4.3.0 Mail server busy"]
)
def test_temporary_failure_is_retried_and_delivered(
    approved: App, smtp_server: Any, reply: str
) -> None:
    # GIVEN the server answers the first two attempts with a temporary failure
    smtp_server.fail_next(reply, times=2)
    # WHEN the outbox runs until it is empty
    outcomes = [approved.send() for _ in range(3)]
    # THEN the reply is delivered once, after two retries, with its one Message-ID
    assert [o.retried for o in outcomes] == [1, 1, 0]
    [received] = smtp_server.wait_for(1)
    item = outbox_item(approved)
    assert item.state is OutboxState.SENT and item.attempts == 3
    assert received.message_id == item.message_id


def test_dropped_connection_is_retried(approved: App, smtp_server: Any) -> None:
    from tests.servers import DROP

    smtp_server.fail_next(DROP)
    assert approved.send().retried == 1
    assert approved.send().sent == 1
    smtp_server.wait_for(1)


def test_permanent_failure_is_marked_failed_with_the_reason(
    approved: App, smtp_server: Any
) -> None:
    # GIVEN the server refuses the recipient permanently
    smtp_server.fail_next("550 5.1.1 User unknown", at="RCPT")
    # WHEN the outbox runs
    stats = approved.send()
    # THEN the item is failed, the reason is kept for a clerk, and nothing is retried
    assert stats.failed == 1
    item = outbox_item(approved)
    assert item.state is OutboxState.FAILED
    assert "550" in (item.last_error or "") and "User unknown" in (item.last_error or "")
    assert approved.send().sent == 0
    assert smtp_server.messages == []


def test_gives_up_after_max_attempts(make_settings: SettingsFactory, smtp_server: Any) -> None:
    smtp = smtp_server.smtp_settings(backoff_seconds=0.0, max_attempts=2)
    app = App.build(make_settings(smtp=smtp.model_dump(mode="json", exclude={"password"})))
    deliver_to_maildir(app.settings.inbox.path, order_email(number=2))
    app.intake()
    app.process()
    with transaction(app.factory) as session:
        approve_draft(session, Decision(1, "clerk"), desk=app.settings.desk)
    smtp_server.fail_next("451 4.3.0 busy", times=5)
    app.send()
    app.send()
    item = outbox_item(app)
    assert item.state is OutboxState.FAILED
    assert "gave up after 2 attempts" in (item.last_error or "")


def test_failed_reply_can_be_sent_again_once_the_cause_is_fixed(
    approved: App, smtp_server: Any
) -> None:
    from mailflow.db.session import transaction
    from mailflow.outbox import requeue_failed

    # GIVEN a reply the server refused for good
    smtp_server.fail_next("550 5.7.1 Relaying denied", at="RCPT")
    approved.send()
    item = outbox_item(approved)
    assert item.state is OutboxState.FAILED
    # WHEN a clerk fixed the relay and sends it again
    with transaction(approved.factory) as session:
        requeue_failed(session, item.id, actor="clerk")
    approved.send()
    # THEN it is delivered under the Message-ID it always had
    [received] = smtp_server.wait_for(1)
    assert received.message_id == item.message_id
    assert outbox_item(approved).state is OutboxState.SENT
