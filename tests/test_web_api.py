"""The warehouse's API: a shipment reported with the bearer token records it
and sends the customer a notice; anything else is refused and changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from mailflow.app import App
from mailflow.db.models import Order, Shipment
from mailflow.states import OrderState
from mailflow.web import WebOptions
from tests.helpers import confirmed_order
from tests.web_support import client_for

TOKEN = "wms-token-0123456789"


def exported_order(app: App) -> Order:
    order = confirmed_order(app)
    assert order.state is OrderState.EXPORTED
    return order


def shipments(app: App) -> list[Shipment]:
    with app.factory() as session:
        return list(session.scalars(select(Shipment)))


def test_reported_shipment_is_recorded_and_the_customer_told(app: App) -> None:
    order = exported_order(app)
    client = client_for(app, WebOptions(api_token=TOKEN))
    response = client.post(
        f"/api/orders/{order.token}/shipments",
        json={"carrier": "DHL", "tracking_number": "JD0146000099"},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 201
    assert [s.tracking_number for s in shipments(app)] == ["JD0146000099"]
    assert app.send().sent == 1


def test_wrong_or_missing_token_is_refused(app: App) -> None:
    order = exported_order(app)
    client = client_for(app, WebOptions(api_token=TOKEN))
    url = f"/api/orders/{order.token}/shipments"
    body = {"carrier": "DHL", "tracking_number": "X1"}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    assert shipments(app) == []


def test_api_is_off_without_a_token(app: App) -> None:
    order = exported_order(app)
    client = client_for(app, WebOptions())
    response = client.post(
        f"/api/orders/{order.token}/shipments",
        json={"carrier": "DHL", "tracking_number": "X1"},
        headers={"Authorization": "Bearer "},
    )
    assert response.status_code == 404


def test_bad_body_and_unknown_order_get_clear_errors(app: App) -> None:
    order = exported_order(app)
    client = client_for(app, WebOptions(api_token=TOKEN))
    headers = {"Authorization": f"Bearer {TOKEN}"}
    url = f"/api/orders/{order.token}/shipments"
    assert client.post(url, content=b"not json", headers=headers).status_code == 400
    assert client.post(url, json={"carrier": "DHL"}, headers=headers).status_code == 409
    missing = client.post(
        "/api/orders/ORD-ZZZZZZZZ/shipments",
        json={"carrier": "DHL", "tracking_number": "X"},
        headers=headers,
    )
    assert missing.status_code == 404
