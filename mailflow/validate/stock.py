"""Stock on hand: say how many can ship now and when the rest can follow.

Two lines of one product draw on the same stock, in the order written. The
rest follows after the product's lead time in working days of the delivery
country.
"""

from __future__ import annotations

from datetime import date

from mailflow.extract.types import ExtractedOrder
from mailflow.refdata import Product
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.l10n import Qty
from mailflow.validate.report import report
from mailflow.validate.workdays import add_working_days


def check_stock(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    taken: dict[str, int] = {}
    for index, line in enumerate(order.lines):
        product = context.refdata.products.get(line.sku or "")
        if product is None or not product.active or line.quantity is None or line.quantity <= 0:
            continue
        available = max(product.stock - taken.get(product.sku, 0), 0)
        taken[product.sku] = taken.get(product.sku, 0) + line.quantity
        if line.quantity > available:
            findings.append(_shortage(index, line.quantity, available, product, context))
    return findings


def restock_date(product: Product, context: CheckContext) -> date:
    """When goods not on hand can ship: today plus the lead time in working days."""
    days = max(product.lead_time_days, context.settings.min_lead_days)
    return add_working_days(
        context.today, days, country=context.country, holidays=context.refdata.holidays
    )


def _shortage(
    index: int, quantity: int, available: int, product: Product, context: CheckContext
) -> Finding:
    return report(
        "insufficient_stock" if available > 0 else "out_of_stock",
        context,
        field="quantity",
        line=index,
        product=product,
        asked=Qty(quantity, product.unit),
        available=Qty(available, product.unit),
        short=Qty(quantity - available, product.unit),
        follow=restock_date(product, context),
    )
