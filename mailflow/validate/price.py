"""Prices: a price the customer states must be theirs, and every promotion
that applies is recorded (the confirmation shows the discount).

A stated price is accepted when it matches, within ``price_tolerance``, either
the customer's net price (after the promotion) or the list price: quoting the
list price while a promotion makes it cheaper needs no question.
"""

from __future__ import annotations

from decimal import Decimal

from mailflow.extract.types import ExtractedOrder
from mailflow.refdata import Promotion
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.l10n import Money, Percent, Unit
from mailflow.validate.pricing import PricedLine, price_lines, price_tier, to_cents
from mailflow.validate.report import report


def check_prices(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    tier = price_tier(context.customer, context.settings.default_price_tier)
    wanted = [(line.sku, line.quantity) for line in order.lines]
    priced = price_lines(wanted, context.refdata, tier=tier, on=context.today)
    findings: list[Finding] = []
    for line in priced.lines:
        if not line.product.active:
            continue
        stated = order.lines[line.index].stated_unit_price
        if stated is not None and not _agrees(stated, line, context.settings.price_tolerance):
            findings.append(_mismatch(line, stated, context))
        if line.promotion is not None:
            findings.append(_promotion(line, line.promotion, context))
    return findings


def _agrees(stated: Decimal, line: PricedLine, tolerance: Decimal) -> bool:
    return any(abs(stated - price) <= tolerance for price in (line.net_unit_price, line.list_price))


def _mismatch(line: PricedLine, stated: Decimal, context: CheckContext) -> Finding:
    currency = line.product.currency
    return report(
        "price_mismatch",
        context,
        field="unit_price",
        line=line.index,
        product=line.product,
        unit=Unit(line.product.unit),
        stated=Money(stated, currency),
        price=Money(to_cents(line.net_unit_price), currency),
    )


def _promotion(line: PricedLine, promotion: Promotion, context: CheckContext) -> Finding:
    return report(
        "promotion_applied",
        context,
        field="unit_price",
        line=line.index,
        product=line.product,
        percent=Percent(promotion.discount_percent),
        promotion=promotion.promo_id,
        description=promotion.description,
    )
