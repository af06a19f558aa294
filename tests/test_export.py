"""Hand-off to the ERP: a confirmed order reaches a local HTTP receiver with a
valid HMAC signature and an idempotency key, temporary failures are retried,
and files are written as JSON and CSV."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from mailflow.app import App
from mailflow.db.models import Export, Order, OutboxItem
from mailflow.db.session import transaction
from mailflow.export import replay, sign
from mailflow.mail.sources import deliver_to_maildir
from mailflow.states import OrderState
from tests.conftest import SettingsFactory
from tests.helpers import confirmed_order, reply_email

SECRET = "erp-shared-secret"


@dataclass
class Receiver:
    url: str
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # status codes to give first


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append((dict(self.headers), body))
            status = state.answers.pop(0) if state.answers else 202
            self.send_response(status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/orders"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def export_settings(receiver: Receiver, **extra: object) -> dict[str, object]:
    return {"webhook_url": receiver.url, "webhook_secret": SECRET, "backoff_seconds": 0.0, **extra}


def test_confirmed_order_is_posted_signed_with_an_idempotency_key(
    make_settings: SettingsFactory, receiver: Receiver
) -> None:
    app = App.build(make_settings(export=export_settings(receiver, formats=["json", "csv"])))
    order = confirmed_order(app)
    assert order.state is OrderState.EXPORTED
    [(headers, body)] = receiver.requests
    assert headers["X-Mailflow-Signature"] == sign(SECRET, body)
    assert headers["Idempotency-Key"] == f"{order.token}:confirmed"
    document = json.loads(body)
    assert document["schema_version"] == 1 and document["event"] == "confirmed"
    assert [ln["sku"] for ln in document["lines"]] == ["BLT-M6-30", "NUT-M6"]
    csv_text = Path(app.settings.export.dir, f"{order.token}.csv").read_text()
    assert "BLT-M6-30" in csv_text.splitlines()[1]


def test_receiver_down_is_retried_until_accepted(
    make_settings: SettingsFactory, receiver: Receiver
) -> None:
    receiver.answers = [503, 503]
    app = App.build(make_settings(export=export_settings(receiver, formats=[])))
    order = confirmed_order(app)
    assert order.state is OrderState.CONFIRMED  # not yet handed over
    app.export()
    app.export()
    with app.factory() as session:
        export = session.scalars(select(Export)).one()
        order = session.get_one(Order, order.id)
    assert (export.state, export.attempts) == ("done", 3)
    assert order.state is OrderState.EXPORTED
    keys = {headers["Idempotency-Key"] for headers, _ in receiver.requests}
    assert len(receiver.requests) == 3 and len(keys) == 1


def test_rejected_document_is_failed_and_shown(
    make_settings: SettingsFactory, receiver: Receiver
) -> None:
    receiver.answers = [422]
    app = App.build(make_settings(export=export_settings(receiver, formats=[])))
    confirmed_order(app)
    with app.factory() as session:
        export = session.scalars(select(Export)).one()
    assert export.state == "failed" and "HTTP 422" in (export.last_error or "")


def test_replay_delivers_the_same_document_again(
    make_settings: SettingsFactory, receiver: Receiver
) -> None:
    app = App.build(make_settings(export=export_settings(receiver, formats=[])))
    order = confirmed_order(app)
    with transaction(app.factory) as session:
        replay(session, session.get_one(Order, order.id), actor="clerk")
    assert app.export() == 1
    first, second = receiver.requests
    assert first[1] == second[1]


def test_cancellation_before_the_confirmation_arrived_sends_neither(
    make_settings: SettingsFactory, receiver: Receiver
) -> None:
    # GIVEN the ERP was down when the order was confirmed
    receiver.answers = [503]
    settings = make_settings(export=export_settings(receiver, formats=[], backoff_seconds=60.0))
    app = App.build(settings)
    order = confirmed_order(app)
    assert order.state is OrderState.CONFIRMED
    # WHEN the customer cancels before the retry
    with app.factory() as session:
        ours = session.scalars(select(OutboxItem)).one().raw
    deliver_to_maildir(app.settings.inbox.path, reply_email(ours, text="Please cancel this order."))
    app.cycle()
    # THEN the undelivered confirmation is dropped and no cancellation is sent
    with app.factory() as session:
        states = {(e.event, e.state) for e in session.scalars(select(Export))}
    assert states == {("confirmed", "obsolete")}
    assert len(receiver.requests) == 1
