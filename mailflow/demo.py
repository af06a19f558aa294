"""``mailflow demo``: a fresh local inbox seeded with the demo e-mails in
``config/demo/emails``, one pass of the loop on embedded defaults, and a table
of what happened to each e-mail, with the drafted replies written out as .eml
files to open."""

from __future__ import annotations

import re
import shutil
from email.utils import format_datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from mailflow.app import App, CycleReport
from mailflow.clock import utcnow
from mailflow.config import Settings, load_settings
from mailflow.db.models import Draft, Message, Order
from mailflow.drafts import build_mime
from mailflow.mail.sources import deliver_to_maildir

DEMO_EMAILS = Path("config/demo/emails")
_DATE = re.compile(rb"^Date:.*$", re.MULTILINE | re.IGNORECASE)


def demo_settings(workdir: Path) -> Settings:
    return load_settings(
        None,
        database={"url": f"sqlite:///{workdir / 'mailflow.db'}"},
        inbox={"kind": "maildir", "path": str(workdir / "inbox"), "account": "demo"},
        smtp={"kind": "file", "out_dir": str(workdir / "sent")},
        export={"dir": str(workdir / "exports")},
    )


def seed_inbox(inbox: Path, *, source: Path = DEMO_EMAILS) -> list[Path]:
    """Deliver every demo e-mail, dated now so relative dates stay meaningful."""
    files = sorted(source.glob("*.eml"))
    stamp = f"Date: {format_datetime(utcnow())}".encode()
    for file in files:
        deliver_to_maildir(inbox, _DATE.sub(stamp, file.read_bytes(), count=1))
    return files


def write_previews(app: App, folder: Path) -> dict[int, Path]:
    """Each pending draft as an .eml file, exactly as the customer would get it."""
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[int, Path] = {}
    with app.factory() as session:
        for draft, order in session.execute(
            select(Draft, Order).join(Order, Order.id == Draft.order_id)
        ):
            target = folder / f"{order.token}-{draft.kind}.eml"
            preview_id = f"<preview-{draft.id}@{app.settings.desk.message_id_domain}>"
            target.write_bytes(
                build_mime(draft, token=order.token, desk=app.settings.desk, message_id=preview_id)
            )
            written[draft.order_id] = target
    return written


def _table(app: App, report: CycleReport, previews: dict[int, Path]) -> Table:
    table = Table("#", "from", "subject", "outcome", "order", "findings", "draft")
    with app.factory() as session:
        for number, result in enumerate(report.processed, start=1):
            message = session.get_one(Message, result.message_id)
            order = session.get(Order, result.order_id) if result.order_id else None
            codes = ", ".join(f.code for f in order.findings) if order else ""
            draft = str(previews.get(order.id, "")) if order else ""
            table.add_row(
                str(number),
                message.sender or "",
                message.subject or "",
                result.outcome,
                order.token if order else "-",
                codes or "-",
                draft or "-",
            )
    return table


def run_demo(workdir: Path, *, console: Console) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    settings = demo_settings(workdir)
    seeded = seed_inbox(settings.inbox.path)
    console.print(
        f"[bold]Mailflow demo[/bold]: {len(seeded)} e-mails delivered to {settings.inbox.path}"
    )
    app = App.build(settings)
    report = app.cycle()
    previews = write_previews(app, workdir / "drafts")
    console.print(_table(app, report, previews))
    config = f"MAILFLOW_DATABASE__URL=sqlite:///{workdir / 'mailflow.db'}"
    console.print(
        "\nNext: list the drafts and approve one, then send it to the local Maildir:\n"
        f"  {config} .venv/bin/mailflow drafts\n"
        f"  {config} .venv/bin/mailflow approve 1\n"
        f"  {config} MAILFLOW_SMTP__OUT_DIR={workdir / 'sent'} .venv/bin/mailflow send"
    )
    app.close()
