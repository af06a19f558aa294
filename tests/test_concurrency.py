"""Two workers on one PostgreSQL database handling two replies to the same
order at once: the order is locked while it changes, so no revision is lost."""

from __future__ import annotations

import threading

from sqlalchemy import select

from mailflow.app import App
from mailflow.db.models import Order
from mailflow.mail.sources import deliver_to_maildir
from mailflow.pipeline import process_next
from tests.conftest import SettingsFactory
from tests.helpers import reply_email, sent_reply


def test_two_replies_processed_at_once_both_count(
    make_settings: SettingsFactory, pg_url: str
) -> None:
    app = App.build(make_settings(database={"url": pg_url}))
    ours = sent_reply(app)
    # GIVEN two change requests to the same order, recorded together
    for text in ("Please change the BLT-M6-30 to 5 boxes.", "Please change the NUT-M6 to 3 boxes."):
        deliver_to_maildir(app.settings.inbox.path, reply_email(ours, text=text))
    app.intake()
    # WHEN two workers process them at the same moment
    start = threading.Barrier(2)

    def worker() -> None:
        start.wait()
        process_next(app.factory, app.services)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # THEN both changes are in the order and the revision moved twice
    with app.factory() as session:
        order = session.scalars(select(Order)).one()
        quantities = {line.sku: line.quantity for line in order.lines}
        assert order.revision == 3
    assert quantities == {"BLT-M6-30": 5, "NUT-M6": 3}
    app.close()
