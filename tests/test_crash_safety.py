"""Crash safety with real processes killed by SIGKILL and restarted: nothing
is lost, nothing is recorded or ordered twice, and no reply goes out under a
second Message-ID."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mailflow.app import App
from mailflow.config import Settings, load_settings
from mailflow.db.models import Message, Order, OutboxItem
from mailflow.states import MessageState, OutboxState
from tests.conftest import base_sections, merge
from tests.helpers import mailflow, order_email, write_config
from tests.test_end_to_end import imap_sections

pytestmark = pytest.mark.servers
KILLED = -signal.SIGKILL


def setup(
    tmp_path: Path, dovecot: Any, smtp_server: Any, **extra: dict[str, Any]
) -> tuple[Path, Settings]:
    sections = merge(merge(base_sections(tmp_path), **imap_sections(dovecot, smtp_server)), **extra)
    config = write_config(tmp_path / "mailflow.toml", sections)
    return config, load_settings(config)


def counts(settings: Settings) -> tuple[int, int]:
    app = App.build(settings)
    with app.factory() as session:
        messages = session.scalar(select(func.count()).select_from(Message)) or 0
        orders = session.scalar(select(func.count()).select_from(Order)) or 0
    app.close()
    return messages, orders


def test_kill_after_record_commit_before_server_flag(
    tmp_path: Path, dovecot: Any, smtp_server: Any
) -> None:
    config, settings = setup(tmp_path, dovecot, smtp_server)
    uid = dovecot.append("INBOX", order_email(number=1))
    # GIVEN the process dies right after the message row committed
    first = mailflow("fetch", config=config, crash_at="intake.recorded")
    assert first.returncode == KILLED, first.stderr
    # THEN the message is recorded but not yet flagged on the server
    assert counts(settings) == (1, 0)
    assert "\\Seen" not in dovecot.flags("INBOX")[uid]
    # WHEN the service restarts
    assert mailflow("fetch", config=config).returncode == 0
    # THEN the flag is set, the message is still recorded once, and one order exists
    assert "\\Seen" in dovecot.flags("INBOX")[uid]
    assert counts(settings) == (1, 1)


def test_kill_in_the_middle_of_a_batch(tmp_path: Path, dovecot: Any, smtp_server: Any) -> None:
    config, settings = setup(tmp_path, dovecot, smtp_server, inbox={"batch_size": 10})
    for number in range(1, 5):
        dovecot.append("INBOX", order_email(number=number))
    # GIVEN the process dies after recording two of the four messages in a batch
    assert mailflow("fetch", config=config, crash_at="intake.recorded:2").returncode == KILLED
    assert counts(settings) == (2, 0)
    # WHEN it restarts
    assert mailflow("fetch", config=config).returncode == 0
    # THEN every message is recorded once and each order e-mail made one order
    assert counts(settings) == (4, 4)
    assert all("\\Seen" in flags for flags in dovecot.flags("INBOX").values())


def test_kill_while_processing_repeats_nothing(
    tmp_path: Path, dovecot: Any, smtp_server: Any
) -> None:
    config, settings = setup(tmp_path, dovecot, smtp_server)
    dovecot.append("INBOX", order_email(number=1))
    dovecot.append("INBOX", order_email(number=2))
    # GIVEN the process dies after processing the first message, before its commit
    assert mailflow("fetch", config=config, crash_at="pipeline.processed").returncode == KILLED
    assert counts(settings) == (2, 0)
    # WHEN it restarts THEN each message becomes exactly one order
    assert mailflow("fetch", config=config).returncode == 0
    assert counts(settings) == (2, 2)


def test_kill_after_smtp_accepted_before_marked_sent(
    tmp_path: Path, dovecot: Any, smtp_server: Any
) -> None:
    config, settings = setup(
        tmp_path, dovecot, smtp_server, smtp={"claim_lease_seconds": 1.0, "timeout_seconds": 1.0}
    )
    dovecot.append("INBOX", order_email(number=1))
    assert mailflow("fetch", config=config).returncode == 0
    assert mailflow("approve", "1", config=config).returncode == 0
    # GIVEN the SMTP server accepted the reply and then the process died
    assert mailflow("send", config=config, crash_at="outbox.accepted").returncode == KILLED
    smtp_server.wait_for(1)
    # WHEN the service restarts after the claim's lease ran out
    time.sleep(1.5)
    assert mailflow("send", config=config).returncode == 0
    # THEN the reply is marked sent, and whatever reached the server carries the
    # one Message-ID fixed at approval: never a second one
    app = App.build(settings)
    with app.factory() as session:
        [item] = session.scalars(select(OutboxItem)).all()
    app.close()
    assert item.state is OutboxState.SENT
    assert {m.message_id for m in smtp_server.messages} == {item.message_id}
    # AND a further restart sends nothing more
    before = len(smtp_server.messages)
    assert mailflow("send", config=config).returncode == 0
    assert len(smtp_server.messages) == before


def test_uidvalidity_change_rescans_without_skipping_or_duplicating(
    tmp_path: Path, dovecot: Any, smtp_server: Any
) -> None:
    folder = "Orders"
    config, settings = setup(tmp_path, dovecot, smtp_server, inbox={"folders": [folder]})
    first, second = order_email(number=1), order_email(number=2)
    dovecot.append(folder, first)
    dovecot.append(folder, second)
    assert mailflow("fetch", config=config).returncode == 0
    old_validity = dovecot.uidvalidity(folder)
    # GIVEN the folder is deleted and re-created (a new UIDVALIDITY), holding
    # the same two messages again and a new one
    dovecot.delete_folder(folder)
    dovecot.create_folder(folder)
    dovecot.append(folder, first)
    dovecot.append(folder, second)
    dovecot.append(folder, order_email(number=3))
    assert dovecot.uidvalidity(folder) != old_validity
    # WHEN Mailflow fetches again
    assert mailflow("fetch", config=config).returncode == 0
    # THEN the new message is processed and the old two are not ordered twice
    app = App.build(settings)
    with app.factory() as session:
        orders = session.scalar(select(func.count()).select_from(Order))
        duplicates = session.scalar(
            select(func.count()).select_from(Message).where(Message.duplicate_of.is_not(None))
        )
        states = [m.state for m in session.scalars(select(Message))]
    app.close()
    assert orders == 3
    assert duplicates == 2
    assert states.count(MessageState.PROCESSED) == 3
