"""Hand-off of confirmed orders: one JSON document per order in a folder.

The export row is written in the transaction that confirms the order; the
file is written after that commit (atomically, under a name fixed by the
order token), and only then is the export marked done. A crash in between is
finished by the next ``run_exports``; writing the same file twice is harmless.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mailflow import audit
from mailflow.clock import utcnow
from mailflow.db.models import Export, Order
from mailflow.db.session import transaction
from mailflow.orders import set_order_state
from mailflow.states import OrderState

SCHEMA_VERSION = 1
ACTOR = "export"


def order_document(order: Order) -> dict[str, Any]:
    """The versioned JSON document handed to the ERP."""
    return {
        "schema": "mailflow.order",
        "schema_version": SCHEMA_VERSION,
        "order": order.token,
        "state": "confirmed",
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
    }


def _payload(order: Order) -> bytes:
    return json.dumps(order_document(order), indent=2, ensure_ascii=False, sort_keys=True).encode()


def queue_export(session: Session, order: Order, *, directory: Path, actor: str) -> Export:
    """Record that ``order`` must be exported (in the confirming transaction)."""
    payload = _payload(order)
    export = Export(
        order_id=order.id,
        kind="json_file",
        target=str(directory / f"{order.token}.json"),
        state="pending",
        payload_sha256=hashlib.sha256(payload).hexdigest(),
    )
    session.add(export)
    session.flush()
    audit.record(
        session, "export.queued", actor=actor, order_id=order.id, after={"target": export.target}
    )
    return export


def _write_atomically(target: Path, payload: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".json.tmp")
    with temporary.open("wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(target)


def run_exports(factory: sessionmaker[Session]) -> int:
    """Write every pending export; return how many were completed."""
    with factory() as session:
        pending = session.scalars(select(Export.id).where(Export.state == "pending")).all()
    return sum(_export_one(factory, export_id) for export_id in pending)


def _export_one(factory: sessionmaker[Session], export_id: int) -> bool:
    with transaction(factory) as session:
        export = session.get_one(Export, export_id, with_for_update=True)
        if export.state != "pending":
            return False
        order = session.get_one(Order, export.order_id)
        _write_atomically(Path(export.target), _payload(order))
        export.state, export.done_at = "done", utcnow()
        audit.record(
            session, "export.done", actor=ACTOR, order_id=order.id, after={"target": export.target}
        )
        if order.state is OrderState.CONFIRMED:
            set_order_state(session, order, OrderState.EXPORTED, actor=ACTOR)
        return True
