"""Duplicates: the same customer's PO received again within
``duplicate_po_days``, or the same lines from the same sender within
``duplicate_lines_minutes`` (a double-click, or the same mail sent twice to
two of our addresses). The earlier orders come in ``CheckContext.prior_orders``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from mailflow.extract.types import ExtractedOrder
from mailflow.validate.context import CheckContext, PriorOrder
from mailflow.validate.findings import Finding
from mailflow.validate.report import report


def check_duplicates(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    for prior in context.prior_orders:
        if same_po(order, prior, context):
            return [_duplicate("po", prior, context, po=order.po_number or "")]
    lines = _line_key([(line.sku, line.quantity) for line in order.lines])
    for prior in context.prior_orders:
        minutes = _minutes_apart(prior, context)
        if minutes is not None and same_sender_lines(lines, prior, context):
            return [_duplicate("lines", prior, context, sender=prior.sender, minutes=minutes)]
    return []


def _po_key(po: str | None) -> str:
    return re.sub(r"[\s\-_/#.]+", "", (po or "").casefold())


def _line_key(pairs: Iterable[tuple[str | None, int | None]]) -> list[tuple[str, int]]:
    return sorted((sku or "", quantity or 0) for sku, quantity in pairs)


def same_po(order: ExtractedOrder, prior: PriorOrder, context: CheckContext) -> bool:
    customer_id = order.customer_id or (context.customer.customer_id if context.customer else None)
    if not customer_id or not _po_key(order.po_number) or prior.customer_id != customer_id:
        return False
    now = context.received_at.date() if context.received_at else context.today
    recent = abs((now - prior.received_at.date()).days) <= context.settings.duplicate_po_days
    return recent and _po_key(prior.po_number) == _po_key(order.po_number)


def _minutes_apart(prior: PriorOrder, context: CheckContext) -> int | None:
    """Whole minutes between the two messages, when within the window."""
    if context.received_at is None:
        return None
    minutes = abs((context.received_at - prior.received_at).total_seconds()) / 60
    return round(minutes) if minutes <= context.settings.duplicate_lines_minutes else None


def same_sender_lines(
    lines: list[tuple[str, int]], prior: PriorOrder, context: CheckContext
) -> bool:
    same_sender = bool(context.sender) and prior.sender.casefold() == context.sender.casefold()
    return same_sender and bool(lines) and _line_key(prior.lines) == lines


def _duplicate(
    variant: str,
    prior: PriorOrder,
    context: CheckContext,
    *,
    po: str = "",
    sender: str = "",
    minutes: int = 0,
) -> Finding:
    when: datetime = prior.received_at
    return report(
        "duplicate_order",
        context,
        field="po_number" if variant == "po" else "lines",
        variant=variant,
        when=when.date(),
        reference=f" ({prior.reference})" if prior.reference else "",
        po=po,
        sender=sender,
        minutes=minutes,
    )
