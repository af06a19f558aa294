"""Several `mailflow` processes share one PostgreSQL database: each message is
recorded once and becomes one order, whichever worker got to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from mailflow import audit
from mailflow.app import App
from mailflow.config import load_settings
from mailflow.db.models import Draft, Message, Order
from tests.conftest import REPO, base_sections, merge
from tests.helpers import order_email, write_config
from tests.test_end_to_end import imap_sections

pytestmark = pytest.mark.servers


def test_two_workers_share_the_inbox_without_duplicates(
    tmp_path: Path, dovecot: Any, smtp_server: Any, pg_url: str
) -> None:
    sections = merge(
        merge(base_sections(tmp_path), **imap_sections(dovecot, smtp_server)),
        database={"url": pg_url},
        inbox={"batch_size": 3},
        conversation={"max_replies_per_sender_per_hour": 100},
    )
    config = write_config(tmp_path / "mailflow.toml", sections)
    for number in range(12):
        dovecot.append("INBOX", order_email(number=number))
    # WHEN two workers run a pass at the same time
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILFLOW_")}
    command = [sys.executable, "-m", "mailflow", "fetch", "--config", str(config)]
    workers = [
        subprocess.Popen(command, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    errors = [worker.communicate(timeout=180)[1] for worker in workers]
    assert [w.returncode for w in workers] == [0, 0], errors
    # THEN every message is recorded once, with one order and one draft each
    app = App.build(load_settings(config))
    with app.factory() as session:
        counted = [
            session.scalar(select(func.count()).select_from(model))
            for model in (Message, Order, Draft)
        ]
        assert audit.verify(session).ok
    app.close()
    assert counted == [12, 12, 12]
