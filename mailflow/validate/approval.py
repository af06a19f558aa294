"""Orders above ``approval_limit`` (after discounts) need a supervisor."""

from __future__ import annotations

from mailflow.extract.types import ExtractedOrder
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.l10n import Money
from mailflow.validate.pricing import price_lines, price_tier
from mailflow.validate.report import report


def check_approval(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    settings = context.settings
    if settings.approval_limit <= 0:
        return []
    tier = price_tier(context.customer, settings.default_price_tier)
    wanted = [(line.sku, line.quantity) for line in order.lines]
    total = price_lines(wanted, context.refdata, tier=tier, on=context.today).total(
        settings.approval_currency
    )
    if total <= settings.approval_limit:
        return []
    currency = settings.approval_currency
    return [
        report(
            "approval_required",
            context,
            field="total",
            total=Money(total, currency),
            limit=Money(settings.approval_limit, currency),
        )
    ]
