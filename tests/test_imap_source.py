"""ImapSource against a real Dovecot: fetching, marking, UIDVALIDITY, IDLE, errors."""

from __future__ import annotations

import threading
import time

import pytest

from mailflow.config import MarkAction, Security
from mailflow.errors import PermanentError, TransientError
from mailflow.mail.imap import ImapSource
from mailflow.mail.sources import Checkpoint
from tests.servers import ImapAccount, free_port

pytestmark = pytest.mark.servers


def order_email(number: int, *, padding: int = 0) -> bytes:
    return (
        "From: Buyer <buyer@customer.example>\r\n"
        "To: orders@harbor-supply.example\r\n"
        f"Subject: PO-{number}\r\n"
        f"Message-ID: <po-{number}@customer.example>\r\n"
        "\r\n"
        f"Please send 10 boxes of M8 bolts.\r\n{'x' * padding}\r\n"
    ).encode()


def deliver(account: ImapAccount, count: int, *, folder: str = "INBOX") -> list[int]:
    return [account.append(folder, order_email(number)) for number in range(1, count + 1)]


# -- fetching -------------------------------------------------------------------------


def test_fetch_new_returns_every_message_in_uid_order(dovecot: ImapAccount) -> None:
    # GIVEN three orders in the inbox
    uids = deliver(dovecot, 3)
    # WHEN the source fetches without a checkpoint
    batch = ImapSource(dovecot.inbox_settings()).fetch_new("INBOX", None, limit=10)
    # THEN it returns all three, with their UIDs, keys and exact bytes
    assert [m.uid for m in batch.messages] == uids
    assert [m.raw for m in batch.messages] == [order_email(n) for n in (1, 2, 3)]
    assert batch.messages[0].key == f"INBOX:{batch.uidvalidity}:{uids[0]}"
    assert batch.uidvalidity == dovecot.uidvalidity("INBOX")
    assert not batch.more


def test_fetch_new_resumes_after_the_checkpoint(dovecot: ImapAccount) -> None:
    # GIVEN two messages already recorded, and one more that arrived since
    source = ImapSource(dovecot.inbox_settings())
    deliver(dovecot, 2)
    first = source.fetch_new("INBOX", None, limit=10)
    later = dovecot.append("INBOX", order_email(3))
    # WHEN the source fetches from the checkpoint of the first batch
    checkpoint = Checkpoint(first.uidvalidity, first.messages[-1].uid)
    batch = source.fetch_new("INBOX", checkpoint, limit=10)
    # THEN only the new one comes back
    assert [m.uid for m in batch.messages] == [later]


def test_fetch_new_at_the_last_uid_returns_nothing(dovecot: ImapAccount) -> None:
    # GIVEN a checkpoint at the highest UID ("UID n:*" still matches that one)
    uids = deliver(dovecot, 2)
    checkpoint = Checkpoint(dovecot.uidvalidity("INBOX"), uids[-1])
    # WHEN the source fetches
    batch = ImapSource(dovecot.inbox_settings()).fetch_new("INBOX", checkpoint, limit=10)
    # THEN nothing is new
    assert batch.messages == []
    assert not batch.more


def test_fetch_new_stops_at_the_limit_and_says_more(dovecot: ImapAccount) -> None:
    # GIVEN three messages
    uids = deliver(dovecot, 3)
    # WHEN the source fetches two at most
    batch = ImapSource(dovecot.inbox_settings()).fetch_new("INBOX", None, limit=2)
    # THEN it returns the first two and says more remain
    assert [m.uid for m in batch.messages] == uids[:2]
    assert batch.more


def test_fetch_new_leaves_messages_unseen(dovecot: ImapAccount) -> None:
    # GIVEN an unread message
    uid = dovecot.append("INBOX", order_email(1))
    # WHEN the source fetches it
    ImapSource(dovecot.inbox_settings()).fetch_new("INBOX", None, limit=10)
    # THEN the desk still sees it as unread
    assert "\\Seen" not in dovecot.flags("INBOX")[uid]


def test_oversized_message_comes_without_bytes_but_with_the_reason(dovecot: ImapAccount) -> None:
    # GIVEN a message larger than inbox.max_message_bytes, between two small ones
    dovecot.append("INBOX", order_email(1))
    big = dovecot.append("INBOX", order_email(2, padding=3000))
    dovecot.append("INBOX", order_email(3))
    # WHEN the source fetches
    source = ImapSource(dovecot.inbox_settings(max_message_bytes=2048))
    batch = source.fetch_new("INBOX", None, limit=10)
    # THEN the big one has no bytes and an error naming the setting; the others are whole
    oversized = next(m for m in batch.messages if m.uid == big)
    assert oversized.raw is None
    assert oversized.size > 3000
    assert oversized.error is not None and "max_message_bytes" in oversized.error
    assert [m.raw is not None for m in batch.messages] == [True, False, True]


def test_recreated_folder_is_read_from_the_start(dovecot: ImapAccount) -> None:
    # GIVEN a folder read up to its last message, then deleted and made anew
    source = ImapSource(dovecot.inbox_settings(folders=["Orders"]))
    deliver(dovecot, 2, folder="Orders")
    old = source.fetch_new("Orders", None, limit=10)
    dovecot.delete_folder("Orders")
    dovecot.create_folder("Orders")
    uid = dovecot.append("Orders", order_email(9))
    # WHEN the source fetches with the old checkpoint
    checkpoint = Checkpoint(old.uidvalidity, old.messages[-1].uid)
    batch = source.fetch_new("Orders", checkpoint, limit=10)
    # THEN it reads from UID 1 under the new UIDVALIDITY
    assert batch.uidvalidity != old.uidvalidity
    assert [(m.uid, m.raw) for m in batch.messages] == [(uid, order_email(9))]


def test_missing_folder_is_a_permanent_error(dovecot: ImapAccount) -> None:
    # GIVEN a folder name that does not exist on the server
    source = ImapSource(dovecot.inbox_settings())
    # WHEN the source fetches from it  THEN a human has to fix the configuration
    with pytest.raises(PermanentError, match="Nowhere"):
        source.fetch_new("Nowhere", None, limit=10)


# -- marking --------------------------------------------------------------------------


def fetch_all(source: ImapSource, folder: str = "INBOX") -> list[int]:
    batch = source.fetch_new(folder, None, limit=100)
    source.mark_done(batch.messages)
    return [m.uid for m in batch.messages]


def test_mark_done_seen_sets_the_seen_flag(dovecot: ImapAccount) -> None:
    # GIVEN two fetched messages and mark = seen
    deliver(dovecot, 2)
    source = ImapSource(dovecot.inbox_settings(mark=MarkAction.SEEN))
    # WHEN they are marked done
    uids = fetch_all(source)
    # THEN both are \Seen on the server
    assert all("\\Seen" in dovecot.flags("INBOX")[uid] for uid in uids)


def test_mark_done_keyword_tags_without_setting_seen(dovecot: ImapAccount) -> None:
    # GIVEN a fetched message and mark = keyword
    deliver(dovecot, 1)
    settings = dovecot.inbox_settings(mark=MarkAction.KEYWORD, keyword="$MailflowDone")
    # WHEN it is marked done
    [uid] = fetch_all(ImapSource(settings))
    # THEN it carries the keyword and is still unread for the desk
    assert dovecot.flags("INBOX")[uid] == {"$MailflowDone"}


def test_mark_done_move_moves_into_a_new_folder(dovecot: ImapAccount) -> None:
    # GIVEN two fetched messages, mark = move, and no "Processed" folder yet
    deliver(dovecot, 2)
    source = ImapSource(dovecot.inbox_settings(mark=MarkAction.MOVE, move_to="Processed"))
    # WHEN they are marked done
    fetch_all(source)
    # THEN the inbox is empty and Processed holds both, byte for byte
    assert dovecot.uids("INBOX") == []
    assert sorted(dovecot.fetch_all("Processed").values()) == [order_email(1), order_email(2)]


def test_mark_done_move_without_move_capability(dovecot_without_move: ImapAccount) -> None:
    # GIVEN a server that does not offer MOVE, and a fetched message
    deliver(dovecot_without_move, 1)
    settings = dovecot_without_move.inbox_settings(mark=MarkAction.MOVE, move_to="Processed")
    # WHEN it is marked done
    fetch_all(ImapSource(settings))
    # THEN it was copied, and the original expunged
    assert dovecot_without_move.uids("INBOX") == []
    assert list(dovecot_without_move.fetch_all("Processed").values()) == [order_email(1)]


def test_marking_twice_moves_once(dovecot: ImapAccount) -> None:
    # GIVEN a message already moved by mark_done
    deliver(dovecot, 1)
    source = ImapSource(dovecot.inbox_settings(mark=MarkAction.MOVE, move_to="Processed"))
    batch = source.fetch_new("INBOX", None, limit=10)
    source.mark_done(batch.messages)
    # WHEN it is marked done again (a restart repeating the step)
    source.mark_done(batch.messages)
    # THEN nothing fails and there is still one copy
    assert len(dovecot.uids("Processed")) == 1


def test_mark_done_skips_uids_of_an_older_uidvalidity(dovecot: ImapAccount) -> None:
    # GIVEN a fetched message whose folder was then recreated with a new message
    source = ImapSource(dovecot.inbox_settings(folders=["Orders"]))
    deliver(dovecot, 1, folder="Orders")
    stale = source.fetch_new("Orders", None, limit=10).messages
    dovecot.delete_folder("Orders")
    new_uid = dovecot.append("Orders", order_email(2))
    # WHEN the stale message is marked done
    source.mark_done(stale)
    # THEN the new message, though it may have the same UID, stays unseen
    assert dovecot.flags("Orders")[new_uid] == set()


def test_mark_done_in_a_deleted_folder_is_harmless(dovecot: ImapAccount) -> None:
    # GIVEN a fetched message whose folder was deleted since
    source = ImapSource(dovecot.inbox_settings(folders=["Orders"]))
    deliver(dovecot, 1, folder="Orders")
    fetched = source.fetch_new("Orders", None, limit=10).messages
    dovecot.delete_folder("Orders")
    # WHEN it is marked done  THEN there is nothing to do, and no error
    source.mark_done(fetched)
    assert "Orders" not in dovecot.list_folders()


# -- waiting and appending ----------------------------------------------------------------


def test_wait_returns_soon_after_new_mail_arrives(dovecot: ImapAccount) -> None:
    # GIVEN a source that has read the (empty) inbox and waits for up to 20 s
    source = ImapSource(dovecot.inbox_settings(idle_seconds=30))
    source.fetch_new("INBOX", None, limit=10)
    arrival = threading.Timer(0.5, dovecot.append, args=("INBOX", order_email(1)))
    # WHEN a message arrives through another connection
    arrival.start()
    started = time.monotonic()
    source.wait(20)
    waited = time.monotonic() - started
    arrival.join()
    # THEN the wait ends within a few seconds of the arrival, not at the timeout
    assert 0.3 < waited < 5


def test_wait_ends_at_the_timeout_without_mail(dovecot: ImapAccount) -> None:
    # GIVEN an idle inbox
    source = ImapSource(dovecot.inbox_settings())
    source.fetch_new("INBOX", None, limit=10)
    # WHEN the source waits for one second
    started = time.monotonic()
    source.wait(1)
    # THEN it returns after about that second
    assert 0.9 < time.monotonic() - started < 3


def test_wait_returns_at_once_when_mail_came_since_the_fetch(dovecot: ImapAccount) -> None:
    # GIVEN mail that arrived after the last fetch, before the wait began
    source = ImapSource(dovecot.inbox_settings())
    source.fetch_new("INBOX", None, limit=10)
    dovecot.append("INBOX", order_email(1))
    # WHEN the source waits
    started = time.monotonic()
    source.wait(20)
    # THEN it does not sleep on mail that is already there
    assert time.monotonic() - started < 2


def test_wait_without_idle_returns_at_once(dovecot: ImapAccount) -> None:
    # GIVEN IDLE turned off: the scheduler polls instead
    source = ImapSource(dovecot.inbox_settings(idle=False))
    # WHEN the source waits  THEN it returns immediately
    started = time.monotonic()
    source.wait(20)
    assert time.monotonic() - started < 0.5


def test_append_creates_the_sent_folder_and_stores_the_reply_as_seen(
    dovecot: ImapAccount,
) -> None:
    # GIVEN an account without a Sent folder
    source = ImapSource(dovecot.inbox_settings())
    reply = order_email(7)
    # WHEN a sent reply is appended to Sent
    source.append("Sent", reply)
    # THEN Sent exists and holds the reply, already read
    assert "Sent" in dovecot.list_folders()
    [(uid, raw)] = dovecot.fetch_all("Sent").items()
    assert raw == reply
    assert dovecot.flags("Sent")[uid] == {"\\Seen"}


# -- connecting -----------------------------------------------------------------------


def test_wrong_password_is_a_permanent_error_that_hides_it(dovecot: ImapAccount) -> None:
    # GIVEN a wrong password
    source = ImapSource(dovecot.inbox_settings(password="not-the-password"))
    # WHEN the source connects
    with pytest.raises(PermanentError) as raised:
        source.connect()
    # THEN the error names the user and the setting, never the password
    assert dovecot.user in str(raised.value)
    assert "inbox.password" in str(raised.value)
    assert "not-the-password" not in str(raised.value)


def test_a_dropped_connection_is_replaced_on_the_next_call(dovecot: ImapAccount) -> None:
    # GIVEN a source whose connection the server has hung up
    source = ImapSource(dovecot.inbox_settings())
    source.fetch_new("INBOX", None, limit=10)
    dovecot.kick()
    uid = dovecot.append("INBOX", order_email(1))
    # WHEN the source fetches: first retry-later, then a fresh connection
    with pytest.raises(TransientError):
        source.fetch_new("INBOX", None, limit=10)
    batch = source.fetch_new("INBOX", None, limit=10)
    # THEN the message comes through
    assert [m.uid for m in batch.messages] == [uid]


def test_server_down_is_a_transient_error() -> None:
    # GIVEN nothing listening on the configured port
    source = ImapSource(
        ImapAccount("127.0.0.1", free_port(), None, None, "nobody", "pw").inbox_settings()
    )
    # WHEN the source fetches  THEN the caller is told to retry later
    with pytest.raises(TransientError, match="refused"):
        source.fetch_new("INBOX", None, limit=10)


def test_tls_without_verification_fetches(dovecot: ImapAccount) -> None:
    # GIVEN implicit TLS with a self-signed certificate and verification off
    if dovecot.tls_port is None:
        pytest.skip("no openssl to make a certificate")
    deliver(dovecot, 1)
    settings = dovecot.inbox_settings(
        port=dovecot.tls_port, security=Security.TLS, verify_tls=False
    )
    # WHEN the source fetches  THEN the message comes through the encrypted connection
    batch = ImapSource(settings).fetch_new("INBOX", None, limit=10)
    assert [m.raw for m in batch.messages] == [order_email(1)]


def test_starttls_with_a_trusted_certificate_fetches(
    dovecot: ImapAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN STARTTLS and the server's certificate installed as trusted
    if dovecot.cafile is None:
        pytest.skip("no openssl to make a certificate")
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot.cafile))
    deliver(dovecot, 1)
    settings = dovecot.inbox_settings(security=Security.STARTTLS)
    # WHEN the source fetches  THEN verification passes and the message arrives
    batch = ImapSource(settings).fetch_new("INBOX", None, limit=10)
    assert [m.raw for m in batch.messages] == [order_email(1)]


def test_untrusted_certificate_is_a_permanent_error(dovecot: ImapAccount) -> None:
    # GIVEN implicit TLS, verification on, and a self-signed certificate
    if dovecot.tls_port is None:
        pytest.skip("no openssl to make a certificate")
    settings = dovecot.inbox_settings(port=dovecot.tls_port, security=Security.TLS)
    # WHEN the source connects  THEN a human must install the CA (or turn verification off)
    with pytest.raises(PermanentError, match="verify_tls"):
        ImapSource(settings).connect()
