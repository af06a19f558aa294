"""Helpers shared by the scenario tests: e-mails as a customer writes them,
config files for the CLI, and running the real ``mailflow`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from mailflow.clock import utcnow

if TYPE_CHECKING:
    from mailflow.app import App
    from mailflow.db.models import Order

REPO = Path(__file__).resolve().parent.parent
CUSTOMER = "priya.shah@millbrook-eng.example"


def delivery_day() -> date:
    """A working day comfortably beyond every demo product's lead time."""
    day = utcnow().date() + timedelta(days=14)
    # Weekends and the demo calendar's year-end holidays are not delivery days.
    while day.weekday() >= 5 or (day.month, day.day) in {(12, 24), (12, 25), (12, 28), (1, 1)}:
        day += timedelta(days=1)
    return day


def order_email(
    *, number: int = 1, body: str | None = None, sender: str = CUSTOMER, subject: str | None = None
) -> bytes:
    """A plain order from a known customer for products that are in stock."""
    message = EmailMessage()
    message["From"] = f"Priya Shah <{sender}>"
    message["To"] = "orders@harbor-supply.example"
    message["Subject"] = subject or f"Order PO MB-{1000 + number}"
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = f"<order-{number}-{os.getpid()}@millbrook-eng.example>"
    message.set_content(
        body
        or f"Hello,\n\nPlease supply against PO MB-{1000 + number}:\n\n"
        "  2 boxes BLT-M6-30\n  1 box NUT-M6\n\n"
        f"Delivery by {delivery_day():%d %B %Y} please.\n\nThanks,\nPriya\n"
    )
    return message.as_bytes()


def reply_email(
    to_raw: bytes, *, text: str = "Yes, please proceed.", sender: str = CUSTOMER
) -> bytes:
    """The customer's reply to a message we sent (``to_raw``)."""
    import email
    import email.policy

    ours = email.message_from_bytes(to_raw, policy=email.policy.default)
    message = EmailMessage()
    message["From"] = f"Priya Shah <{sender}>"
    message["To"] = str(ours["Reply-To"] or ours["From"])
    message["Subject"] = f"Re: {ours['Subject']}"
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = f"<reply-{utcnow().timestamp()}@millbrook-eng.example>"
    message["In-Reply-To"] = str(ours["Message-ID"])
    message["References"] = f"{ours.get('References', '')} {ours['Message-ID']}".strip()
    quoted = "\n".join(f"> {line}" for line in ours.get_body(("plain",)).get_content().splitlines())
    message.set_content(
        f"{text}\n\nPriya\n\nOn Monday, Harbor Industrial Supply wrote:\n{quoted}\n"
    )
    return message.as_bytes()


def _toml_value(value: Any) -> str:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value.value if hasattr(value, "value") else value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_config(path: Path, sections: dict[str, dict[str, Any]]) -> Path:
    """A TOML config file for the CLI, from the same sections as settings."""
    lines: list[str] = []
    for name, values in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{key} = {_toml_value(v)}" for key, v in values.items() if v is not None]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mailflow(
    *args: str, config: Path, crash_at: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the real ``mailflow`` command in its own process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILFLOW_")}
    if crash_at:
        env["MAILFLOW_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "mailflow", *args, "--config", str(config)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=timeout,
        check=False,
    )


def sent_reply(app: App) -> bytes:
    """Order 1 in, its confirmation approved and sent: the bytes the customer
    got (the file sender's envelope line dropped)."""
    from mailflow.db.session import transaction
    from mailflow.mail.sources import deliver_to_maildir
    from mailflow.orders import Decision, approve_draft

    deliver_to_maildir(app.settings.inbox.path, order_email(number=1))
    app.cycle()
    with transaction(app.factory) as session:
        approve_draft(session, Decision(1, "clerk"), desk=app.settings.desk)
    app.send()
    [sent] = (Path(app.settings.smtp.out_dir) / "new").iterdir()
    return sent.read_bytes().split(b"\n", 1)[1]


def confirmed_order(app: App) -> Order:
    """Order 1 run through the loop until the customer's reply confirms it."""
    from sqlalchemy import select

    from mailflow.db.models import Order
    from mailflow.mail.sources import deliver_to_maildir

    deliver_to_maildir(app.settings.inbox.path, reply_email(sent_reply(app)))
    app.cycle()
    with app.factory() as session:
        return session.scalars(select(Order)).one()
