"""Throughput of the whole loop on embedded defaults: N order e-mails dropped
into a Maildir, then intake, processing (parse, extract, validate, draft) and
approval+sending to the file sender. Prints messages per second per stage.

    .venv/bin/python bench/bench_pipeline.py [N]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from mailflow.app import App
from mailflow.config import load_settings
from mailflow.db.models import Draft
from mailflow.db.session import transaction
from mailflow.mail.sources import deliver_to_maildir
from mailflow.orders import Decision, approve_draft
from mailflow.states import DraftState

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.helpers import order_email  # noqa: E402


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        settings = load_settings(
            REPO / "config/mailflow.toml",
            database={"url": f"sqlite:///{root / 'bench.db'}"},
            inbox={"path": str(root / "inbox")},
            smtp={"out_dir": str(root / "sent")},
            export={"dir": str(root / "exports")},
            conversation={"max_replies_per_sender_per_hour": 1_000_000},
        )
        app = App.build(settings)
        for number in range(count):
            deliver_to_maildir(settings.inbox.path, order_email(number=number))
        timings = {
            "intake": timed(app.intake),
            "process": timed(app.process),
            "approve": timed(lambda: approve_all(app)),
            "send": timed(lambda: send_all(app)),
        }
        for stage, seconds in timings.items():
            print(
                f"{stage:8s} {count:6d} messages in {seconds:7.2f} s = {count / seconds:8.1f} msg/s"
            )
        app.close()


def approve_all(app: App) -> None:
    with app.factory() as session:
        ids = session.scalars(select(Draft.id).where(Draft.state == DraftState.PENDING)).all()
    for draft_id in ids:
        with transaction(app.factory) as session:
            approve_draft(session, Decision(draft_id, "bench"), desk=app.settings.desk)


def send_all(app: App) -> None:
    while app.send().sent:
        pass


def timed(step: object) -> float:
    start = time.perf_counter()
    step()  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
