"""Checks of an extracted order against the catalog, stock and the customer's
record. Each check is a function ``(order, context) -> list[Finding]``; the
list ``CHECKS`` is the whole standard, run in this order. Checks never raise
on bad customer input: they report it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from mailflow.extract.types import ExtractedOrder
from mailflow.refdata import Customer, ReferenceData
from mailflow.validate import catalog, customer, stock
from mailflow.validate.findings import Finding


@dataclass(frozen=True)
class CheckContext:
    refdata: ReferenceData
    customer: Customer | None
    today: date


Check = Callable[[ExtractedOrder, CheckContext], list[Finding]]

CHECKS: list[tuple[str, Check]] = [
    ("customer", customer.check_customer),
    ("catalog", catalog.check_products),
    ("quantity", catalog.check_quantities),
    ("stock", stock.check_stock),
]


def validate_order(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    """Every finding of every check, in the order of ``CHECKS``."""
    findings: list[Finding] = []
    for _name, check in CHECKS:
        findings.extend(check(order, context))
    return findings
