"""Hand-off to the ERP: one versioned JSON document per order event
(``confirmed``, ``cancelled``), delivered to each configured channel — a
folder (JSON or CSV files) and/or an HTTP endpoint (POST, HMAC-signed, with an
idempotency key, retried with backoff until accepted).

The export rows are written in the transaction that changes the order; the
delivery happens after that commit and is recorded when it succeeded. A crash
in between is finished by the next ``run_exports``; a second delivery of the
same document carries the same idempotency key, so the ERP can ignore it.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import logging
import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.config import ExportSettings
from mailflow.db.models import Export, Order
from mailflow.db.session import transaction
from mailflow.errors import PermanentError, TransientError
from mailflow.orders import set_order_state
from mailflow.states import OrderState

log = logging.getLogger(__name__)

SCHEMA = "mailflow.order"
SCHEMA_VERSION = 1
ACTOR = "export"
SIGNATURE_HEADER = "X-Mailflow-Signature"


def order_document(order: Order, *, event: str) -> dict[str, Any]:
    """The versioned document handed to the ERP (see docs in README)."""
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "event": event,
        "order": order.token,
        "customer_id": order.customer_id,
        "customer_email": order.customer_email,
        "po_number": order.po_number,
        "requested_date": order.requested_date.isoformat() if order.requested_date else None,
        "ship_to": order.ship_to,
        "lines": [
            {
                "position": ln.position + 1,
                "sku": ln.sku,
                "quantity": ln.quantity,
                "description": ln.description,
            }
            for ln in order.lines
        ],
        "confirmed_at": order.confirmed_at.isoformat() if order.confirmed_at else None,
        # Accepted partial deliveries: [{"sku", "quantity", "when": "now"|"later", "date"}].
        "shipments": order.shipments or [],
    }


def _file_payload(document: dict[str, Any], fmt: str) -> bytes:
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            ["order", "event", "po_number", "customer_id", "position", "sku", "quantity"]
        )
        for line in document["lines"]:
            writer.writerow(
                [
                    document["order"],
                    document["event"],
                    document["po_number"] or "",
                    document["customer_id"] or "",
                    line["position"],
                    line["sku"] or "",
                    line["quantity"],
                ]
            )
        return buffer.getvalue().encode("utf-8")
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _channels(settings: ExportSettings, token: str, event: str) -> list[tuple[str, str]]:
    suffix = "" if event == "confirmed" else f".{event}"
    channels: list[tuple[str, str]] = []
    for fmt in settings.formats:
        channels.append((f"file:{fmt}", str(settings.dir / f"{token}{suffix}.{fmt}")))
    if settings.webhook_url:
        channels.append(("webhook", settings.webhook_url))
    return channels


def queue_export(
    session: Session,
    order: Order,
    *,
    settings: ExportSettings,
    actor: str,
    event: str = "confirmed",
) -> list[Export]:
    """Record the deliveries ``order``'s event needs (in the changing transaction).
    A cancellation goes only where the confirmation arrived; a confirmation
    not yet delivered is dropped instead, so the ERP never sees "cancelled"
    overtaken by a late "confirmed"."""
    channels = _channels(settings, order.token, event)
    if event == "cancelled":
        channels = _supersede_confirmation(session, order, channels, actor=actor)
    document = order_document(order, event=event)
    body = json.dumps(document, ensure_ascii=False, sort_keys=True)
    exports = [
        Export(
            order_id=order.id,
            event=event,
            kind=kind,
            target=target,
            state="pending",
            attempts=0,
            next_attempt_at=utcnow(),
            idempotency_key=f"{order.token}:{event}",
            payload=body,
            payload_sha256=hashlib.sha256(body.encode()).hexdigest(),
        )
        for kind, target in channels
    ]
    session.add_all(exports)
    session.flush()
    audit.record(
        session,
        "export.queued",
        actor=actor,
        order_id=order.id,
        after={"event": event, "targets": [safe_target(e.target) for e in exports]},
    )
    return exports


def _supersede_confirmation(
    session: Session, order: Order, channels: list[tuple[str, str]], *, actor: str
) -> list[tuple[str, str]]:
    confirmed = session.scalars(
        select(Export).where(Export.order_id == order.id, Export.event == "confirmed")
    ).all()
    for export in confirmed:
        if export.state != "done":
            export.state, export.last_error = "obsolete", "the order was cancelled first"
            audit.record(
                session,
                "export.obsolete",
                actor=actor,
                order_id=order.id,
                after={"target": safe_target(export.target)},
            )
    delivered = {export.kind for export in confirmed if export.state == "done"}
    return [(kind, target) for kind, target in channels if kind in delivered]


def safe_target(target: str) -> str:
    """A target fit for logs and the audit trail: no credentials, no query."""
    parts = urlsplit(target)
    if not parts.scheme or not parts.netloc:
        return target
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


def _write_atomically(target: Path, payload: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    with temporary.open("wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)


def sign(secret: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 of the exact request body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _post(export: Export, settings: ExportSettings) -> None:
    body = export.payload.encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": export.idempotency_key,
        "User-Agent": "mailflow-export/1",
    }
    secret = settings.secret()
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body)
    try:
        response = httpx.post(
            export.target, content=body, headers=headers, timeout=settings.timeout_seconds
        )
    except httpx.HTTPError as exc:
        raise TransientError(f"{type(exc).__name__}: {exc}") from exc
    if response.status_code >= 500 or response.status_code in (408, 425, 429):
        raise TransientError(f"HTTP {response.status_code}: {response.text[:200]}")
    if response.status_code >= 400:
        raise PermanentError(f"HTTP {response.status_code}: {response.text[:200]}")


def deliver(export: Export, settings: ExportSettings) -> None:
    """Deliver one export; raises TransientError or PermanentError."""
    if export.kind == "webhook":
        _post(export, settings)
        return
    document = json.loads(export.payload)
    try:
        _write_atomically(
            Path(export.target), _file_payload(document, export.kind.partition(":")[2])
        )
    except OSError as exc:
        raise TransientError(f"cannot write {export.target}: {exc.strerror}") from exc


def run_exports(factory: sessionmaker[Session], settings: ExportSettings) -> int:
    """Deliver every export that is due; return how many succeeded."""
    now = utcnow()
    with factory() as session:
        due = session.scalars(
            select(Export.id).where(Export.state == "pending", Export.next_attempt_at <= now)
        ).all()
    return sum(_export_one(factory, export_id, settings) for export_id in due)


def _export_one(factory: sessionmaker[Session], export_id: int, settings: ExportSettings) -> bool:
    """Claim, deliver outside any transaction (no database lock is held while
    the ERP answers), then record the outcome. A crash after delivering
    delivers again after the claim lapses, under the same idempotency key."""
    export = _claim(factory, export_id, settings)
    if export is None:
        return False
    try:
        deliver(export, settings)
    except (TransientError, PermanentError) as exc:
        _record(factory, export_id, settings, error=exc)
        return False
    _record(factory, export_id, settings, error=None)
    return True


def _claim(
    factory: sessionmaker[Session], export_id: int, settings: ExportSettings
) -> Export | None:
    with transaction(factory) as session:
        export = session.get_one(Export, export_id, with_for_update=True)
        if export.state != "pending" or export.next_attempt_at > utcnow():
            return None
        export.attempts += 1
        lease = timedelta(seconds=settings.timeout_seconds * 2 + 30)
        export.next_attempt_at = utcnow() + lease
        session.flush()
        session.expunge(export)
        return export


def _record(
    factory: sessionmaker[Session],
    export_id: int,
    settings: ExportSettings,
    *,
    error: TransientError | PermanentError | None,
) -> None:
    with transaction(factory) as session:
        export = session.get_one(Export, export_id, with_for_update=True)
        if export.state != "pending":
            return  # made obsolete meanwhile: the outcome no longer matters
        if error is None:
            _done(session, export)
        elif isinstance(error, TransientError):
            _retry(session, export, settings, str(error))
        else:
            _fail(session, export, str(error))


def _retry(session: Session, export: Export, settings: ExportSettings, error: str) -> None:
    if export.attempts >= settings.max_attempts:
        _fail(session, export, f"gave up after {export.attempts} attempts: {error}")
        return
    delay = min(settings.backoff_seconds * 2 ** (export.attempts - 1), settings.backoff_max_seconds)
    export.next_attempt_at, export.last_error = utcnow() + timedelta(seconds=delay), error
    log.warning("export %s to %s will retry: %s", export.id, safe_target(export.target), error)


def _fail(session: Session, export: Export, error: str) -> None:
    export.state, export.last_error = "failed", error
    audit.record(
        session,
        "export.failed",
        actor=ACTOR,
        order_id=export.order_id,
        after={"target": safe_target(export.target), "error": error},
    )


def _done(session: Session, export: Export) -> None:
    export.state, export.done_at, export.last_error = "done", utcnow(), None
    audit.record(
        session,
        "export.done",
        actor=ACTOR,
        order_id=export.order_id,
        after={
            "target": safe_target(export.target),
            "event": export.event,
            "attempts": export.attempts,
        },
    )
    order = session.get_one(Order, export.order_id)
    if order.state is OrderState.CONFIRMED and _all_done(session, order.id, export.event):
        set_order_state(session, order, OrderState.EXPORTED, actor=ACTOR)


def _all_done(session: Session, order_id: int, event: str) -> bool:
    states = session.scalars(
        select(Export.state).where(Export.order_id == order_id, Export.event == event)
    ).all()
    return all(state == "done" for state in states)


def replay(session: Session, order: Order, *, actor: str) -> int:
    """Deliver an order's exports again (``mailflow export ORDER``)."""
    exports = session.scalars(select(Export).where(Export.order_id == order.id)).all()
    if not exports:
        raise PermanentError(f"order {order.token} has nothing to export (state {order.state})")
    for export in exports:
        export.state, export.attempts, export.next_attempt_at = "pending", 0, utcnow()
    audit.record(
        session, "export.replayed", actor=actor, order_id=order.id, after={"count": len(exports)}
    )
    return len(exports)
