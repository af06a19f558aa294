"""The long-running service: `mailflow run` picks up mail pushed by IMAP IDLE,
and the auto-send policy answers clean orders without a clerk."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from mailflow.app import App
from mailflow.db.models import Draft, Message, Order
from mailflow.mail.sources import deliver_to_maildir
from mailflow.states import DraftKind, DraftState, MessageState, OrderState
from tests.conftest import REPO, SettingsFactory, base_sections, merge
from tests.helpers import order_email, write_config
from tests.servers import free_port
from tests.test_end_to_end import imap_sections


def wait_until(check: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


@pytest.mark.servers
def test_run_picks_up_pushed_mail_and_stops_cleanly(
    tmp_path: Path, dovecot: Any, smtp_server: Any
) -> None:
    # GIVEN the service running against the IMAP inbox with IDLE and a slow poll
    sections = merge(
        base_sections(tmp_path),
        **imap_sections(dovecot, smtp_server),
        approval={"auto_send": True},
    )
    sections["inbox"].update(idle=True, poll_seconds=3600, idle_seconds=30)
    web_port = free_port()
    sections["web"] = {"enabled": True, "port": web_port}
    config = write_config(tmp_path / "mailflow.toml", sections)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILFLOW_")}
    service = subprocess.Popen(
        [sys.executable, "-m", "mailflow", "run", "--config", str(config)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(2)  # let the first pass finish and IDLE begin
        # WHEN an order arrives
        dovecot.append("INBOX", order_email(number=1))
        # THEN it is answered through SMTP without waiting for the next poll
        [received] = smtp_server.wait_for(1, timeout=30)
        assert "[ORD-" in received.raw.decode()
        # AND the review UI is served by the same process
        health = httpx.get(f"http://127.0.0.1:{web_port}/health", timeout=10)
        assert health.json()["status"] == "ok"
    finally:
        service.send_signal(signal.SIGTERM)
        output, _ = service.communicate(timeout=30)
    assert service.returncode == 0, output


def test_auto_send_answers_clean_orders_only(make_settings: SettingsFactory) -> None:
    app = App.build(make_settings(approval={"auto_send": True}))
    # GIVEN a clean order and one asking for a product we do not sell
    deliver_to_maildir(app.settings.inbox.path, order_email(number=1))
    unknown = "Please send 4 boxes of purple widgets (ZZ-999). Thanks, Priya"
    deliver_to_maildir(app.settings.inbox.path, order_email(number=2, body=unknown))
    # WHEN the loop runs once
    report = app.cycle()
    # THEN the clean confirmation went out by itself and the other waits for a clerk
    assert report.outbox.sent == 1
    with app.factory() as session:
        drafts = {d.kind: d for d in session.scalars(select(Draft))}
        sent_order = session.get_one(Order, drafts[DraftKind.CONFIRMATION].order_id)
    assert drafts[DraftKind.CONFIRMATION].decided_by == "auto-send policy"
    assert sent_order.state is OrderState.AWAITING_CUSTOMER
    assert drafts[DraftKind.CLARIFICATION].state is DraftState.PENDING
    assert len(list((Path(app.settings.smtp.out_dir) / "new").iterdir())) == 1


def test_a_po_from_a_no_reply_address_is_kept_for_a_clerk_and_not_answered(
    make_settings: SettingsFactory,
) -> None:
    app = App.build(make_settings(approval={"auto_send": True}))
    # GIVEN a purchasing system's PO and a notice, both from no-reply addresses
    system = "no-reply-purchasing@millbrook-eng.example"
    deliver_to_maildir(app.settings.inbox.path, order_email(number=1, sender=system))
    notice = "Your supplier portal password expires in 5 days."
    deliver_to_maildir(app.settings.inbox.path, order_email(number=2, sender=system, body=notice))
    # WHEN the loop runs once
    report = app.cycle()
    # THEN the PO is an order waiting for a clerk, the notice is ignored, nothing is sent
    assert report.outbox.sent == 0
    with app.factory() as session:
        orders = list(session.scalars(select(Order)))
        messages = {m.message_id: m for m in session.scalars(select(Message))}
        assert list(session.scalars(select(Draft))) == []
    assert len(orders) == 1 and orders[0].po_number == "MB-1001"
    assert orders[0].attention is not None and system in orders[0].attention
    notice_row = next(m for m in messages.values() if m.message_id and "order-2-" in m.message_id)
    assert (notice_row.state, notice_row.auto_reason) == (MessageState.IGNORED, "noreply")
