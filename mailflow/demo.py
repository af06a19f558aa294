"""``mailflow demo``: a fresh local inbox seeded with the demo e-mails in
``config/demo/emails``, one pass of the loop on embedded defaults, and a
summary of what happened to each e-mail, with the drafted replies written out
as .eml files to open and a config file for the next commands."""

from __future__ import annotations

import re
import secrets
import shutil
from email.utils import format_datetime
from pathlib import Path

from rich.console import Console
from sqlalchemy import select

from mailflow.app import App, CycleReport
from mailflow.clock import utcnow
from mailflow.config import Settings, load_settings
from mailflow.db.models import Draft, Message, Order
from mailflow.db.session import transaction
from mailflow.drafts import build_mime
from mailflow.mail.sources import deliver_to_maildir
from mailflow.pipeline import Processed

DEMO_EMAILS = Path("config/demo/emails")
_DATE = re.compile(rb"^Date:.*$", re.MULTILINE | re.IGNORECASE)


def demo_sections(workdir: Path) -> dict[str, dict[str, str]]:
    return {
        "database": {"url": f"sqlite:///{workdir / 'mailflow.db'}"},
        "inbox": {"kind": "maildir", "path": str(workdir / "inbox"), "account": "demo"},
        "smtp": {"kind": "file", "out_dir": str(workdir / "sent")},
        "export": {"dir": str(workdir / "exports")},
    }


def write_demo_config(workdir: Path) -> Path:
    """A config file for the demo's folders, for the commands printed at the end."""
    lines = ["# Written by `mailflow demo`: the demo's database and mail folders."]
    for section, values in demo_sections(workdir).items():
        lines += [f"[{section}]", *(f'{key} = "{value}"' for key, value in values.items()), ""]
    path = workdir / "mailflow.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


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
    query = select(Draft, Order).join(Order, Order.id == Draft.order_id)
    with app.factory() as session:
        for draft, order in session.execute(query):
            target = folder / f"{order.token}-{draft.kind}.eml"
            preview_id = f"<preview-{draft.id}@{app.settings.desk.message_id_domain}>"
            raw = build_mime(
                draft, token=order.token, desk=app.settings.desk, message_id=preview_id
            )
            target.write_bytes(raw)
            written[draft.order_id] = target
    return written


def _describe(app: App, number: int, result: Processed, previews: dict[int, Path]) -> list[str]:
    with app.factory() as session:
        message = session.get_one(Message, result.message_id)
        order = session.get(Order, result.order_id) if result.order_id else None
        codes = [f"{f.code} ({f.severity})" for f in order.findings] if order else []
    lines = [
        f"[bold]{number}. {message.subject or '(no subject)'}[/bold]",
        f"   from     {message.sender or '?'}",
        f"   outcome  {result.outcome}",
    ]
    if codes:
        lines.append(f"   findings {', '.join(codes)}")
    if order is not None and order.id in previews:
        lines.append(f"   reply    {previews[order.id]}")
    return lines


def show(console: Console, app: App, report: CycleReport, previews: dict[int, Path]) -> None:
    for number, result in enumerate(report.processed, start=1):
        console.print("\n".join(_describe(app, number, result, previews)), highlight=False)
        console.print()


def run_demo(workdir: Path, *, console: Console) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    settings: Settings = load_settings(None, **demo_sections(workdir))
    seeded = seed_inbox(settings.inbox.path)
    console.print(
        f"[bold]Mailflow demo[/bold]: {len(seeded)} customer e-mails delivered to "
        f"{settings.inbox.path}; one pass of the loop:\n"
    )
    app = App.build(settings)
    report = app.cycle()
    show(console, app, report, write_previews(app, workdir / "drafts"))
    config = write_demo_config(workdir)
    password = add_demo_clerk(app)
    web = settings.web
    console.print(
        "Each reply waits for a clerk. Open the clerks' desk to review and approve them:\n"
        f"  .venv/bin/mailflow run -c {config}      (the service, with the review UI)\n"
        f"  then http://{web.host}:{web.port}/  and sign in as [bold]demo[/bold] / "
        f"[bold]{password}[/bold]\n"
        "Approved replies are written to " + str(settings.smtp.out_dir) + ".\n"
        "Or from the command line:\n"
        f"  .venv/bin/mailflow drafts -c {config}\n"
        f"  .venv/bin/mailflow approve 1 -c {config}\n"
        f"  .venv/bin/mailflow send -c {config}\n"
        f"  .venv/bin/mailflow audit show <ORD-…> -c {config}",
        highlight=False,
    )
    app.close()


def add_demo_clerk(app: App) -> str:
    """A supervisor "demo" with a fresh random password, for the review UI."""
    from mailflow.web.accounts import add_user

    password = secrets.token_urlsafe(9)
    with transaction(app.factory) as session:
        add_user(session, "demo", password, role="supervisor", actor="demo", display_name="Demo")
    return password
