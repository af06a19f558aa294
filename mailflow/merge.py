"""Merging what the customer writes back into the stored order.

Each function changes the ``Order`` in place and returns the changes as
``{"field", "name", "before", "after"}`` dictionaries, which the revised reply
shows ("what changed since our last e-mail") and the audit trail records.
An empty list means nothing usable was found.
"""

from __future__ import annotations

from typing import Any

from mailflow.db.models import Order
from mailflow.extract.types import ExtractedLine, ExtractedOrder
from mailflow.orders import order_line
from mailflow.refdata import ReferenceData

Change = dict[str, str]


def _change(field: str, name: str, before: object, after: object) -> Change:
    return {"field": field, "name": name, "before": _text(before), "after": _text(after)}


def _text(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, dict):
        return ", ".join(str(v) for k, v in value.items() if v and k != "region")
    return str(value)


def _name(sku: str | None, refdata: ReferenceData, fallback: str) -> str:
    product = refdata.products.get(sku or "")
    return f"{product.sku} {product.name}" if product else fallback


def _merge_facts(order: Order, reply: ExtractedOrder) -> list[Change]:
    changes: list[Change] = []
    if reply.requested_date and reply.requested_date != order.requested_date:
        changes.append(_change("requested_date", "", order.requested_date, reply.requested_date))
        order.requested_date, order.asap = reply.requested_date, False
    if reply.ship_to is not None:
        merged = _merge_address(order.ship_to, reply.ship_to.to_json())
        if merged != order.ship_to:
            changes.append(_change("ship_to", "", order.ship_to, merged))
            order.ship_to = merged
    if reply.po_number and not order.po_number:
        changes.append(_change("po_number", "", None, reply.po_number))
        order.po_number = reply.po_number
    return changes


def _merge_address(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    # An answer often gives only the part we asked for (a postcode): keep the rest.
    merged = dict(before or {})
    merged.update({key: value for key, value in after.items() if value})
    return merged


def _resolve_line(order: Order, line: ExtractedLine, refdata: ReferenceData) -> list[Change]:
    """Fit one line of an answer to the order: a new quantity for a product
    already there, or the product for a line we could not place."""
    same = next((ln for ln in order.lines if ln.sku == line.sku), None)
    if same is not None:
        if line.quantity is None or line.quantity == same.quantity:
            return []
        name = _name(same.sku, refdata, same.description)
        change = _change("quantity", name, same.quantity, line.quantity)
        same.quantity = line.quantity
        return [change]
    open_lines = [ln for ln in order.lines if ln.sku is None or ln.sku not in refdata.products]
    fits = [ln for ln in open_lines if line.sku in (ln.evidence or {}).get("candidates", [])]
    target = fits[0] if len(fits) == 1 else (open_lines[0] if len(open_lines) == 1 else None)
    if target is None:
        return _add_line(order, line, refdata)
    change = _change(
        "product", f"line {target.position + 1}", target.description, _name(line.sku, refdata, "")
    )
    target.sku = line.sku
    target.quantity = line.quantity if line.quantity is not None else target.quantity
    return [change]


def _add_line(order: Order, line: ExtractedLine, refdata: ReferenceData) -> list[Change]:
    order.lines.append(order_line(len(order.lines), line))
    return [_change("added", _name(line.sku, refdata, line.description), None, line.quantity)]


def apply_answer(order: Order, reply: ExtractedOrder, *, refdata: ReferenceData) -> list[Change]:
    """Merge an answer to our clarification: facts it gives, products it names."""
    changes = _merge_facts(order, reply)
    for line in reply.lines:
        if line.sku is not None:
            changes += _resolve_line(order, line, refdata)
    return changes


def apply_change(order: Order, reply: ExtractedOrder, *, refdata: ReferenceData) -> list[Change]:
    """Apply a change request to the stored order. In a live thread the
    stored order supplies the lines the customer did not mention, so each
    line read is merged by product; a quantity of 0 removes the line."""
    changes = _merge_facts(order, reply)
    for line in reply.lines:
        if line.sku is None:
            continue
        if line.quantity == 0:
            changes += remove_line(order, line.sku, refdata=refdata)
        else:
            changes += _resolve_line(order, line, refdata)
    return changes


def remove_line(order: Order, sku: str, *, refdata: ReferenceData | None = None) -> list[Change]:
    """Take the product's line out of the order (renumbering the rest)."""
    kept = [ln for ln in order.lines if ln.sku != sku]
    if len(kept) == len(order.lines):
        return []
    removed = next(ln for ln in order.lines if ln.sku == sku)
    order.lines = kept
    for position, line in enumerate(kept):
        line.position = position
    name = _name(sku, refdata, removed.description) if refdata else sku
    return [_change("removed", name, removed.quantity, 0)]


def accept_split(order: Order, *, refdata: ReferenceData) -> list[Change]:
    """The customer said yes to our offer to ship what is in stock now and the
    rest when it arrives: record the two deliveries exactly as the stock
    findings offered them (quantities and the follow-up date)."""
    parts: list[dict[str, Any]] = []
    changes: list[Change] = []
    for finding in order.findings:
        offer = _offered_split(order, finding.code, finding.line, finding.data)
        if offer is None:
            continue
        sku, now, later, when = offer
        parts += [
            {"sku": sku, "quantity": now, "when": "now", "date": None},
            {"sku": sku, "quantity": later, "when": "later", "date": when},
        ]
        name = _name(sku, refdata, sku)
        changes.append(_change("split", name, now + later, f"{now} now + {later} on {when}"))
    if parts:
        order.shipments = parts
    return changes


def _offered_split(
    order: Order, code: str, line: int | None, data: dict[str, Any]
) -> tuple[str, int, int, str] | None:
    """(sku, now, later, date) of an insufficient_stock finding still true of the order."""
    if code != "insufficient_stock" or line is None or line >= len(order.lines):
        return None
    sku, now, later, when = (
        data.get("product"),
        data.get("available"),
        data.get("short"),
        data.get("follow"),
    )
    if not (isinstance(sku, str) and isinstance(now, int) and isinstance(later, int) and when):
        return None
    if order.lines[line].sku != sku or order.lines[line].quantity != now + later:
        return None  # the line changed since we offered the split
    return sku, now, later, str(when)
