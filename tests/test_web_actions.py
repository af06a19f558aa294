"""What a clerk does to an order through the UI, and what is refused: changes
without a CSRF token, with the wrong role, from a stale page, or sent twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from mailflow import audit
from mailflow.app import App
from mailflow.db.models import (
    AuditEvent,
    CustomerAlias,
    Draft,
    FindingRecord,
    Message,
    Order,
    OutboxItem,
)
from mailflow.states import DraftKind, DraftState, OrderState
from tests.conftest import SettingsFactory
from tests.web_support import (
    DemoOrders,
    client_for,
    fill_desk,
    hidden_fields,
    make_user,
    pending_draft,
    sign_in,
)


def form(client: TestClient, order_id: int, action: str) -> dict[str, str]:
    page = client.get(f"/orders/{order_id}").text
    return hidden_fields(page, f"/orders/{order_id}/{action}")


def post(client: TestClient, order_id: int, action: str, data: dict[str, str]) -> Any:
    return client.post(f"/orders/{order_id}/{action}", data=data, follow_redirects=False)


def codes(app: App, order_id: int) -> set[str]:
    with app.factory() as session:
        query = select(FindingRecord.code).where(FindingRecord.order_id == order_id)
        return set(session.scalars(query))


def events(app: App, order_id: int, action: str) -> list[AuditEvent]:
    with app.factory() as session:
        return [e for e in audit.for_order(session, order_id) if e.action == action]


def test_approve_queues_the_reply_in_the_clerks_name(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    draft = pending_draft(app, desk.clean)
    # WHEN anna approves the clean order's confirmation
    response = post(clerk, desk.clean, "approve", form(clerk, desk.clean, "approve"))
    # THEN the reply waits in the outbox and the trail names her
    assert response.status_code == 303
    assert "Approved" in clerk.get(response.headers["location"]).text
    with app.factory() as session:
        assert session.get_one(Draft, draft.id).decided_by == "anna"
        assert session.scalars(select(OutboxItem)).one().draft_id == draft.id
        assert session.get_one(Order, desk.clean).state is OrderState.AWAITING_CUSTOMER
    assert [e.actor for e in events(app, desk.clean, "draft.approved")] == ["anna"]


def test_a_second_approve_of_the_same_draft_is_refused(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    fields = form(clerk, desk.clean, "approve")
    assert post(clerk, desk.clean, "approve", fields).status_code == 303
    # WHEN the same form is sent again (a double click, a replayed request)
    again = post(clerk, desk.clean, "approve", fields)
    # THEN nothing more is queued and the clerk is told why
    assert again.status_code == 409
    assert "already approved by anna" in again.text
    with app.factory() as session:
        assert len(session.scalars(select(OutboxItem)).all()) == 1


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_changes_without_the_sessions_csrf_token_are_refused(
    app: App, clerk: TestClient, desk: DemoOrders, token: str | None
) -> None:
    fields = form(clerk, desk.clean, "approve")
    fields.pop("csrf")
    if token:
        fields["csrf"] = token
    response = post(clerk, desk.clean, "approve", fields)
    assert response.status_code == 403
    assert pending_draft(app, desk.clean).state is DraftState.PENDING


def test_reject_needs_a_reason_and_records_it(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    fields = form(clerk, desk.unclear, "reject")
    assert post(clerk, desk.unclear, "reject", fields).status_code == 422
    response = post(clerk, desk.unclear, "reject", {**fields, "reason": "test order, ignore"})
    assert response.status_code == 303
    [event] = events(app, desk.unclear, "draft.rejected")
    assert event.actor == "anna" and event.after == {"reason": "test order, ignore"}
    with app.factory() as session:
        assert session.get_one(Order, desk.unclear).state is OrderState.REJECTED


def test_correcting_a_product_rechecks_and_redrafts_at_once(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    # GIVEN the order for a product we do not sell, awaiting a clarification
    assert "unknown_product" in codes(app, desk.unclear)
    fields = form(clerk, desk.unclear, "lines/0")
    # WHEN anna sets the product and quantity the customer meant
    data = {**fields, "sku": "BLT-M6-30", "quantity": "6"}
    assert post(clerk, desk.unclear, "lines/0", data).status_code == 303
    # THEN the finding is gone, a confirmation replaces the clarification
    assert "unknown_product" not in codes(app, desk.unclear)
    draft = pending_draft(app, desk.unclear)
    assert draft.kind is DraftKind.CONFIRMATION and "BLT-M6-30" in draft.body_text
    # AND the order counts as touched, with the correction in her name
    with app.factory() as session:
        assert session.get_one(Order, desk.unclear).touched
    corrected = events(app, desk.unclear, "order.corrected")
    assert {(e.actor, e.after["field"]) for e in corrected if e.after} == {
        ("anna", "sku"),
        ("anna", "quantity"),
    }


def test_remember_this_for_the_customer_stores_an_alias(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    fields = form(clerk, desk.unclear, "lines/0")
    data = {**fields, "sku": "BLT-M6-30", "quantity": "4", "remember": "1"}
    post(clerk, desk.unclear, "lines/0", {**data, "alias": "Purple  Widgets"})
    with app.factory() as session:
        alias = session.scalars(select(CustomerAlias)).one()
    assert (alias.customer_id, alias.alias, alias.sku) == ("D-100", "purple widgets", "BLT-M6-30")
    assert alias.created_by == "anna"


def test_a_form_from_a_page_that_has_since_changed_is_refused(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    stale = form(clerk, desk.unclear, "lines/0")
    post(clerk, desk.unclear, "lines/0", {**stale, "sku": "BLT-M6-30", "quantity": "4"})
    # WHEN an edit made on the old page arrives afterwards
    response = post(clerk, desk.unclear, "lines/0", {**stale, "sku": "NUT-M6", "quantity": "9"})
    # THEN it is refused instead of silently overwriting the newer order
    assert response.status_code == 409
    with app.factory() as session:
        assert session.get_one(Order, desk.unclear).lines[0].sku == "BLT-M6-30"


def test_unknown_product_code_is_refused(app: App, clerk: TestClient, desk: DemoOrders) -> None:
    fields = form(clerk, desk.unclear, "lines/0")
    response = post(clerk, desk.unclear, "lines/0", {**fields, "sku": "NOPE-1", "quantity": "4"})
    assert response.status_code == 422 and "not a product code" in response.text


def test_changing_date_and_ship_to_is_recorded(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    fields = form(clerk, desk.clean, "details")
    address = {"ship_to_street": "1 Dock Road", "ship_to_city": "Leeds", "ship_to_country": "gb"}
    data = {**fields, "requested_date": "2020-01-06", "ship_to_postcode": "LS1 1AA", **address}
    assert post(clerk, desk.clean, "details", data).status_code == 303
    # A date in the past is now a question for the customer.
    assert "date_in_past" in codes(app, desk.clean)
    with app.factory() as session:
        assert session.get_one(Order, desk.clean).ship_to == {
            "street": "1 Dock Road",
            "city": "Leeds",
            "postcode": "LS1 1AA",
            "country": "GB",
        }
    fields_changed = {
        e.after["field"] for e in events(app, desk.clean, "order.corrected") if e.after
    }
    assert fields_changed == {"requested_date", "ship_to"}


def test_hand_over_names_the_next_clerk(app: App, clerk: TestClient, desk: DemoOrders) -> None:
    make_user(app, "ben")
    fields = form(clerk, desk.unclear, "hand-over")
    post(clerk, desk.unclear, "hand-over", {**fields, "to": "ben", "note": "you know them"})
    [event] = events(app, desk.unclear, "order.handed_over")
    assert event.actor == "anna" and event.after == {"to": "ben", "note": "you know them"}
    assert "handed to ben" in clerk.get("/").text


def test_catalog_search_finds_products_as_you_type(clerk: TestClient) -> None:
    found = clerk.get("/api/catalog?q=hex nut").json()["items"]
    assert {"sku": "NUT-M6", "name": "Hex nut M6 zinc plated"} in found
    assert clerk.get("/api/catalog?q=blt-m6").json()["items"][0]["sku"] == "BLT-M6-30"


@pytest.fixture
def supervised(make_settings: SettingsFactory) -> Iterator[tuple[App, DemoOrders]]:
    """A desk whose approval limit every order exceeds."""
    application = App.build(make_settings(checks={"approval_limit": 1}))
    yield application, fill_desk(application)
    application.close()


def test_orders_above_the_limit_need_a_supervisor(supervised: tuple[App, DemoOrders]) -> None:
    app, desk_orders = supervised
    make_user(app, "anna")
    make_user(app, "sam", role="supervisor")
    order_id = desk_orders.clean
    with client_for(app) as client:
        sign_in(client, "anna")
        assert (
            post(client, order_id, "approve", form(client, order_id, "approve")).status_code == 403
        )
    with client_for(app) as client:
        sign_in(client, "sam")
        assert (
            post(client, order_id, "approve", form(client, order_id, "approve")).status_code == 303
        )
    assert pending_draft_count(app, order_id) == 0


def pending_draft_count(app: App, order_id: int) -> int:
    with app.factory() as session:
        query = select(Draft).where(Draft.order_id == order_id, Draft.state == DraftState.PENDING)
        return len(session.scalars(query).all())


def test_roles_are_enforced_on_the_server(app: App, clerk: TestClient) -> None:
    # A clerk neither sees nor posts to the admin pages, whatever the menu shows.
    assert clerk.get("/admin/users").status_code == 403
    assert clerk.get("/settings").status_code == 403
    page = clerk.get("/").text
    csrf = hidden_fields(page, "/signout")["csrf"]
    data = {"csrf": csrf, "username": "mallory", "password": "x" * 12, "role": "admin"}
    assert clerk.post("/admin/users", data=data).status_code == 403


def test_an_admin_adds_a_user_from_the_users_page(app: App) -> None:
    make_user(app, "root", role="admin")
    with client_for(app) as client:
        sign_in(client, "root")
        fields = hidden_fields(client.get("/admin/users").text, "/admin/users")
        data = {**fields, "username": "cleo", "password": "long enough pw", "role": "clerk"}
        assert client.post("/admin/users", data=data, follow_redirects=False).status_code == 303
    with client_for(app) as client:
        assert sign_in(client, "cleo", "long enough pw").status_code == 303


STRANGER = (
    b"From: Eve <eve@elsewhere.example>\r\nTo: orders@harbor-supply.example\r\n"
    b"Subject: Re: something else\r\nMessage-ID: <eve-1@elsewhere.example>\r\n\r\nhello\r\n"
)


def test_a_correction_answers_the_customer_not_a_stranger_in_the_thread(
    app: App, clerk: TestClient, desk: DemoOrders
) -> None:
    from mailflow.db.session import transaction
    from mailflow.states import MessageState

    # GIVEN someone else's message linked into the order's thread after the customer's
    with app.factory() as session:
        customer_message = session.scalars(
            select(Message).where(Message.order_id == desk.unclear)
        ).one()
    with transaction(app.factory) as session:
        session.add(
            Message(
                order_id=desk.unclear,
                message_id="<eve-1@elsewhere.example>",
                content_hash="0" * 64,
                raw=STRANGER,
                size=len(STRANGER),
                sender="Eve <eve@elsewhere.example>",
                subject="Re: something else",
                state=MessageState.PROCESSED,
                attempts=1,
            )
        )
    # WHEN the clerk corrects the line
    fields = form(clerk, desk.unclear, "lines/0")
    data = {**fields, "sku": "BLT-M6-30", "quantity": "6"}
    assert post(clerk, desk.unclear, "lines/0", data).status_code == 303
    # THEN the new draft answers the customer's own message
    draft = pending_draft(app, desk.unclear)
    assert draft.in_reply_to == customer_message.message_id
    assert "elsewhere" not in draft.to_addr
