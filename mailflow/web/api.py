"""The machine API for the warehouse or ERP: ``POST /api/orders/{order}/shipments``
with ``Authorization: Bearer <[web].api_token>`` and a JSON body
``{"carrier": "...", "tracking_number": "..."}``. It records the shipment and
sends the customer a shipping notice (see ``mailflow.shipping``).

No session, no CSRF: the token is the credential, compared in constant time;
without a configured token the API answers 404, as if it did not exist.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mailflow.app import App
from mailflow.db.models import Order
from mailflow.db.session import transaction
from mailflow.errors import PermanentError
from mailflow.shipping import record_shipment
from mailflow.web.framework import Desk

MAX_BODY = 16_384


def _authorised(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


def _ship(app: App, reference: str, body: dict[str, Any]) -> dict[str, Any]:
    carrier, tracking = str(body.get("carrier", "")), str(body.get("tracking_number", ""))
    with transaction(app.factory) as session:
        order = session.scalar(select(Order).where(Order.token == reference.upper()))
        if order is None:
            raise LookupError(reference)
        draft = record_shipment(
            session, order, carrier=carrier, tracking=tracking, actor="api", services=app.services
        )
        return {"order": order.token, "notice_message_id": draft.message_id}


async def create_shipment(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    token = desk.options.api_token
    if not token:
        return JSONResponse({"error": "not found"}, status_code=404)
    if not _authorised(request, token):
        return JSONResponse({"error": "a valid bearer token is required"}, status_code=401)
    raw = await request.body()
    try:
        body = json.loads(raw) if len(raw) <= MAX_BODY else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JSONResponse({"error": "send a JSON object"}, status_code=400)
    try:
        result = await run_in_threadpool(_ship, desk.app, request.path_params["order"], body)
    except LookupError:
        return JSONResponse({"error": "no such order"}, status_code=404)
    except PermanentError as exc:
        return JSONResponse({"error": str(exc)}, status_code=409)
    return JSONResponse(result, status_code=201)
