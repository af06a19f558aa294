"""Who is ordering: a known customer, and one we may confirm to.

A customer on credit hold, or one who pays in advance, is never confirmed
automatically: accounts must see the order first.
"""

from __future__ import annotations

from mailflow.extract.types import ExtractedOrder
from mailflow.refdata import Customer
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.report import report


def check_customer(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    customer = context.customer
    if customer is None:
        sender = context.sender or "?"
        return [report("unknown_customer", context, field="customer", sender=sender)]
    if on_hold(customer):
        return [
            report(
                "credit_hold",
                context,
                field="customer",
                customer=customer.name,
                status=customer.credit_status,
                terms=customer.payment_terms,
            )
        ]
    return []


def on_hold(customer: Customer) -> bool:
    return customer.credit_status != "ok" or customer.payment_terms.upper() == "PREPAID"
