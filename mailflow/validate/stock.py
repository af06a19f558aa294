"""Stock on hand: say how many can ship now and when the rest can follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailflow.extract.types import ExtractedOrder
from mailflow.validate.findings import Finding, Severity
from mailflow.validate.workdays import add_working_days

if TYPE_CHECKING:
    from mailflow.validate import CheckContext


def check_stock(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    country = context.customer.ship_to.country if context.customer else ""
    for index, line in enumerate(order.lines):
        product = context.refdata.products.get(line.sku or "")
        if product is None or line.quantity is None or line.quantity <= product.stock:
            continue
        follow = add_working_days(
            context.today,
            product.lead_time_days,
            country=country,
            holidays=context.refdata.holidays,
        )
        short = line.quantity - product.stock
        if product.stock <= 0:
            message = (
                f"{product.name} ({product.sku}) is out of stock; we can ship "
                f"{line.quantity} {product.unit} on {follow:%d %B %Y}. Is that all right?"
            )
            code = "out_of_stock"
        else:
            message = (
                f"We have {product.stock} {product.unit} of {product.name} ({product.sku}) "
                "in stock; "
                f"the remaining {short} can ship on {follow:%d %B %Y}. "
                f"Shall we send {product.stock} now and the rest then?"
            )
            code = "insufficient_stock"
        findings.append(
            Finding(
                code=code,
                severity=Severity.ERROR,
                field="quantity",
                line=index,
                message=message,
                suggestion=f"ship {product.stock} now, {short} on {follow.isoformat()}",
                data={"in_stock": product.stock, "short": short, "follow_date": follow.isoformat()},
            )
        )
    return findings
