"""The order-confirmation standard as checks. Each check is a function
``(order, context) -> list[Finding]``; the list ``CHECKS`` is the whole
standard, run in this order. Checks never raise on bad customer input: they
report it, in the customer's language and the clerk's.
"""

from __future__ import annotations

from collections.abc import Callable

from mailflow.extract.types import ExtractedOrder, Intent
from mailflow.validate import (
    address,
    approval,
    catalog,
    customer,
    dates,
    duplicates,
    price,
    quantity,
    sender,
    stock,
)
from mailflow.validate.context import CheckContext, PriorOrder
from mailflow.validate.decision import OrderDecision, decide
from mailflow.validate.findings import Finding, Severity

__all__ = [
    "CHECKS",
    "CheckContext",
    "Finding",
    "OrderDecision",
    "PriorOrder",
    "Severity",
    "decide",
    "validate_order",
]

Check = Callable[[ExtractedOrder, CheckContext], list[Finding]]

CHECKS: list[tuple[str, Check]] = [
    ("sender", sender.check_sender),
    ("customer", customer.check_customer),
    ("duplicates", duplicates.check_duplicates),
    ("catalog", catalog.check_products),
    ("quantity", quantity.check_quantities),
    ("stock", stock.check_stock),
    ("price", price.check_prices),
    ("dates", dates.check_dates),
    ("address", address.check_address),
    ("approval", approval.check_approval),
]

# Intents whose lines are an order to check: a new order, or a whole order
# as it should be after a change.
CHECKED_INTENTS = (Intent.ORDER, Intent.CHANGE)


def validate_order(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    """Every finding of every check, in the order of ``CHECKS``; none for
    e-mails that are not an order (confirmations, questions, auto-replies)."""
    if order.intent not in CHECKED_INTENTS:
        return []
    context = context.for_order(order)
    findings: list[Finding] = []
    for _name, check in CHECKS:
        findings.extend(check(order, context))
    return findings
