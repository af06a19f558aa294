"""Intake on the embedded Maildir inbox: every message recorded exactly once,
copies recognised, bad messages quarantined without blocking the rest."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from mailflow.app import App
from mailflow.db.models import Message
from mailflow.db.session import transaction
from mailflow.intake import content_hash, record_file
from mailflow.mail.sources import deliver_to_maildir
from mailflow.pipeline import requeue
from mailflow.states import MessageState
from tests.conftest import SettingsFactory
from tests.helpers import order_email


def messages(app: App) -> list[Message]:
    with app.factory() as session:
        return list(session.scalars(select(Message).order_by(Message.id)))


def test_each_message_is_recorded_once_and_moved_to_cur(app: App) -> None:
    inbox = app.settings.inbox.path
    deliver_to_maildir(inbox, order_email(number=1))
    deliver_to_maildir(inbox, order_email(number=2))
    first = app.intake()
    second = app.intake()
    assert (first.recorded, second.recorded, second.fetched) == (2, 0, 0)
    assert len(messages(app)) == 2
    assert not list((inbox / "new").iterdir())
    assert len(list((inbox / "cur").iterdir())) == 2


def test_copy_of_a_message_is_recorded_as_a_duplicate(app: App) -> None:
    # GIVEN the same message delivered twice, once with an extra trace header
    raw = order_email(number=1)
    deliver_to_maildir(app.settings.inbox.path, raw)
    deliver_to_maildir(app.settings.inbox.path, b"Received: from relay.example\r\n" + raw)
    # WHEN both are fetched and processed
    app.intake()
    app.process()
    # THEN the second is kept as a duplicate and makes no second order
    first, second = messages(app)
    assert second.state is MessageState.IGNORED and second.duplicate_of == first.id
    assert first.order_id is not None and second.order_id is None


def test_content_hash_ignores_trace_headers() -> None:
    raw = order_email(number=3)
    assert content_hash(raw) == content_hash(
        b"Delivered-To: a@b.example\r\nReceived: x\r\n y\r\n" + raw
    )
    assert content_hash(raw) != content_hash(raw.replace(b"BLT-M6-30", b"BLT-M6-31"))


def test_oversized_message_is_quarantined_unread(make_settings: SettingsFactory) -> None:
    app = App.build(make_settings(inbox={"max_message_bytes": 2048}))
    deliver_to_maildir(app.settings.inbox.path, order_email(number=1, body="x" * 5000))
    deliver_to_maildir(app.settings.inbox.path, order_email(number=2))
    app.intake()
    big, small = messages(app)
    assert big.state is MessageState.QUARANTINED and "exceeds" in (big.error or "")
    assert small.state is MessageState.RECEIVED


def test_message_that_fails_is_quarantined_and_the_rest_flow(app: App) -> None:
    # GIVEN an empty file (nothing to parse) and a good order behind it
    deliver_to_maildir(app.settings.inbox.path, b"")
    deliver_to_maildir(app.settings.inbox.path, order_email(number=4))
    app.intake()
    results = app.process()
    # THEN the bad one is quarantined with its error and the good one is processed
    assert [r.state for r in results] == [MessageState.QUARANTINED, MessageState.PROCESSED]
    bad = messages(app)[0]
    assert bad.error


def test_requeue_retries_a_quarantined_message(app: App, tmp_path: Path) -> None:
    path = tmp_path / "order.eml"
    path.write_bytes(order_email(number=5))
    message_id = record_file(app.factory, path)
    with transaction(app.factory) as session:
        message = session.get_one(Message, message_id)
        message.state, message.error = MessageState.QUARANTINED, "simulated failure"
    with transaction(app.factory) as session:
        requeue(session, message_id, actor="clerk")
    [result] = app.process()
    assert result.state is MessageState.PROCESSED and result.order_id is not None


def test_a_clerks_alias_is_used_at_the_next_extraction(app: App) -> None:
    from mailflow.db.models import CustomerAlias, Order

    # GIVEN a clerk taught that this customer's "MB-7731" is our BLT-M6-30
    with transaction(app.factory) as session:
        session.add(
            CustomerAlias(customer_id="D-100", alias="mb-7731", sku="BLT-M6-30", created_by="anna")
        )
    body = "Hello,\n\nPlease send 3 boxes of MB-7731.\n\nThanks,\nPriya\n"
    deliver_to_maildir(app.settings.inbox.path, order_email(number=9, body=body))
    # WHEN the customer writes their own part number again
    app.intake()
    app.process()
    # THEN the line is read as our product
    with app.factory() as session:
        order = session.scalars(select(Order)).one()
        assert [(ln.sku, ln.quantity) for ln in order.lines] == [("BLT-M6-30", 3)]


def hostile_headers() -> bytes:
    """A From longer than any address column, and a NUL byte in the subject."""
    long_from = "x" * 1000 + "@millbrook-eng.example"
    return (
        f"From: {long_from}\r\nTo: orders@harbor-supply.example\r\n"
        "Subject: order\x00 with a NUL\r\nMessage-ID: <hostile-1@millbrook-eng.example>\r\n\r\n"
        "2 boxes BLT-M6-30 please\r\n"
    ).encode()


def deeply_nested() -> bytes:
    """Twelve hundred nested multiparts: enough to exhaust Python's recursion."""
    depth = 1200
    head = b"From: a@millbrook-eng.example\r\nMessage-ID: <deep-1@millbrook-eng.example>\r\n"
    parts = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (i, i)
        for i in range(depth)
    )
    return head + parts + b"Content-Type: text/plain\r\n\r\nhello\r\n"


def test_hostile_headers_on_postgresql_do_not_block_the_inbox(
    make_settings: SettingsFactory, pg_url: str
) -> None:
    app = App.build(make_settings(database={"url": pg_url}))
    # GIVEN a message whose headers do not fit the columns, then a good order
    deliver_to_maildir(app.settings.inbox.path, hostile_headers())
    deliver_to_maildir(app.settings.inbox.path, order_email(number=1))
    # WHEN the inbox is read twice
    first = app.intake()
    second = app.intake()
    app.process()
    # THEN both are recorded once, and the good one became an order
    assert (first.fetched, second.fetched) == (2, 0)
    states = [m.state for m in messages(app)]
    assert len(states) == 2 and MessageState.PROCESSED in states
    app.close()


def test_message_that_breaks_the_parser_is_marked_and_the_rest_flow(app: App) -> None:
    deliver_to_maildir(app.settings.inbox.path, deeply_nested())
    deliver_to_maildir(app.settings.inbox.path, order_email(number=2))
    app.intake()
    results = app.process()
    assert sorted(r.state for r in results) == sorted(
        [MessageState.QUARANTINED, MessageState.PROCESSED]
    )
    assert not list((app.settings.inbox.path / "new").iterdir())


def test_message_without_a_usable_sender_is_kept_unanswered(app: App) -> None:
    raw = b"To: orders@harbor-supply.example\r\nSubject: order\r\n\r\n2 boxes BLT-M6-30 please\r\n"
    deliver_to_maildir(app.settings.inbox.path, raw)
    app.intake()
    [result] = app.process()
    assert result.state is MessageState.PROCESSED and result.order_id is None
    assert "no usable sender" in result.outcome


def test_mail_another_client_moved_to_cur_unread_is_still_read(app: App) -> None:
    inbox = app.settings.inbox.path
    # GIVEN one message moved to cur/ unread by a mail client, and one it read
    unread_key = deliver_to_maildir(inbox, order_email(number=1))
    read_key = deliver_to_maildir(inbox, order_email(number=2))
    (inbox / "new" / unread_key).rename(inbox / "cur" / f"{unread_key}:2,F")
    (inbox / "new" / read_key).rename(inbox / "cur" / f"{read_key}:2,S")
    # WHEN intake runs
    stats = app.intake()
    # THEN the unread one is recorded and then flagged seen, keeping its flag
    assert stats.recorded == 1
    assert (inbox / "cur" / f"{unread_key}:2,FS").exists()
    assert app.intake().fetched == 0
