"""Helpers for the review UI's tests: a desk with real orders in it (customer
e-mails run through the whole pipeline), users, a signed-in test client, and
the hidden form fields a browser would send back."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from mailflow.app import App
from mailflow.clock import utcnow
from mailflow.db.models import Draft, Order
from mailflow.db.session import transaction
from mailflow.mail.sources import deliver_to_maildir
from mailflow.states import DraftState
from mailflow.web import WebOptions, create_app
from mailflow.web.accounts import add_user
from tests.helpers import delivery_day, order_email

PASSWORD = "correct horse battery"


def unknown_product_body() -> str:
    """An order whose first line names nothing we sell."""
    return (
        "Hello,\n\nPlease supply against PO MB-1002:\n\n  4 boxes purple widgets\n"
        f"  1 box NUT-M6\n\nDelivery by {delivery_day():%d %B %Y} please.\n\nThanks,\nPriya\n"
    )


_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


TRACKER = "tracker.example"
HOSTILE_HTML = f"""<html><head><script>window.__pwned = "script";</script>
<style>@import url("https://{TRACKER}/style.css");</style></head>
<body onload="window.__pwned = 'onload'">
<p>Please supply against PO MB-1003:</p>
<table><tr><td>2 boxes</td><td>BLT-M6-30</td></tr></table>
<img src="https://{TRACKER}/pixel.png?who=clerk" onerror="window.__pwned = 'onerror'">
<img src="x" onerror="window.__pwned = 'onerror2'">
<a href="javascript:window.__pwned = 'link'" id="js-link">our terms</a>
<svg onload="window.__pwned = 'svg'"><circle r="1"/></svg>
<iframe src="https://{TRACKER}/frame"></iframe>
<form action="https://{TRACKER}/steal"><input name="q"></form>
</body></html>"""


def hostile_email() -> bytes:
    """An order whose HTML part tries every way to run code or call home."""
    message = EmailMessage()
    message["From"] = "Priya Shah <priya.shah@millbrook-eng.example>"
    message["To"] = "orders@harbor-supply.example"
    message["Subject"] = "Order PO MB-1003"
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = "<hostile-1@millbrook-eng.example>"
    message.set_content("Please supply against PO MB-1003:\n\n  2 boxes BLT-M6-30\n")
    message.add_alternative(HOSTILE_HTML, subtype="html")
    return message.as_bytes()


@dataclass(frozen=True)
class DemoOrders:
    """The orders a desk starts the day with: one clean, one to clarify."""

    clean: int
    unclear: int
    hostile: int


def fill_desk(app: App) -> DemoOrders:
    """Deliver the customers' e-mails and run the loop once, as ``mailflow run`` would."""
    deliver_to_maildir(app.settings.inbox.path, order_email(number=1))
    deliver_to_maildir(app.settings.inbox.path, order_email(number=2, body=unknown_product_body()))
    deliver_to_maildir(app.settings.inbox.path, hostile_email())
    app.cycle()
    with app.factory() as session:
        orders = {o.po_number: o.id for o in session.scalars(select(Order))}
    return DemoOrders(orders["MB-1001"], orders["MB-1002"], orders["MB-1003"])


def make_user(app: App, name: str, role: str = "clerk", password: str = PASSWORD) -> None:
    with transaction(app.factory) as session:
        add_user(session, name, password, role=role, actor="test")


def pending_draft(app: App, order_id: int) -> Draft:
    with app.factory() as session:
        query = select(Draft).where(Draft.order_id == order_id, Draft.state == DraftState.PENDING)
        return session.scalars(query).one()


def hidden_fields(page: str, action: str) -> dict[str, str]:
    """The hidden inputs of the form posting to ``action``, as a browser sends them."""
    start = page.index(f'action="{action}"')
    form = page[start : page.index("</form>", start)]
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(form)}


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    form = client.get("/signin").text
    token = hidden_fields(form, "/signin")["pre_token"]
    data = {"username": name, "password": password, "pre_token": token, "next": "/"}
    return client.post("/signin", data=data, follow_redirects=False)


def client_for(app: App, options: WebOptions | None = None) -> TestClient:
    return TestClient(create_app(app.settings, app=app, options=options))


def signed_in(app: App, name: str = "anna", role: str = "clerk") -> Iterator[TestClient]:
    """A test client signed in as a new user ``name`` (for a fixture to yield from)."""
    make_user(app, name, role)
    with client_for(app) as client:
        assert sign_in(client, name).status_code == 303
        yield client
