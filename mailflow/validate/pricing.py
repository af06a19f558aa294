"""Prices, promotions and totals, in ``Decimal``.

The rule, since the catalog carries one list price per product
(``unit_price``): a price tier gets its discount through promotions limited to
that tier ("5% off packaging for gold-tier customers"). A promotion applies to
a line when the SKU starts with its prefix, the quantity (in sales units) is at
least its minimum, the pricing day lies between ``valid_from`` and
``valid_to`` (both days included), and the customer's tier is one of its tiers
(a promotion that lists no tier is for every tier). A line gets the single
best promotion that applies, never two stacked: the larger discount, and on a
tie the longer (more specific) prefix. Line totals are rounded half-up to the
cent and the order total is their sum, per currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from mailflow.refdata import Customer, Product, Promotion, ReferenceData

CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PricedLine:
    index: int  # position in the order's lines
    product: Product
    quantity: int
    promotion: Promotion | None = None

    @property
    def discount_percent(self) -> Decimal:
        return self.promotion.discount_percent if self.promotion else Decimal(0)

    @property
    def list_price(self) -> Decimal:
        return self.product.unit_price

    @property
    def net_unit_price(self) -> Decimal:
        """The unit price after the discount, unrounded (for comparisons)."""
        return self.list_price * (_HUNDRED - self.discount_percent) / _HUNDRED

    @property
    def gross(self) -> Decimal:
        return to_cents(self.list_price * self.quantity)

    @property
    def total(self) -> Decimal:
        return to_cents(self.net_unit_price * self.quantity)

    @property
    def discount(self) -> Decimal:
        return self.gross - self.total


@dataclass(frozen=True)
class PricedOrder:
    lines: tuple[PricedLine, ...]

    def currencies(self) -> list[str]:
        return sorted({line.product.currency for line in self.lines})

    def total(self, currency: str) -> Decimal:
        return sum((ln.total for ln in self.lines if ln.product.currency == currency), Decimal(0))

    def gross(self, currency: str) -> Decimal:
        return sum((ln.gross for ln in self.lines if ln.product.currency == currency), Decimal(0))

    def discount(self, currency: str) -> Decimal:
        return self.gross(currency) - self.total(currency)


def price_tier(customer: Customer | None, default: str) -> str:
    return customer.price_tier if customer is not None else default


def promotion_applies(
    promotion: Promotion, product: Product, quantity: int, *, tier: str, on: date
) -> bool:
    return (
        product.sku.upper().startswith(promotion.sku_prefix.upper())
        and quantity >= promotion.min_quantity
        and promotion.valid_from <= on <= promotion.valid_to
        and (not promotion.price_tiers or tier in promotion.price_tiers)
    )


def best_promotion(
    product: Product, quantity: int, *, tier: str, on: date, promotions: Iterable[Promotion]
) -> Promotion | None:
    """The promotion giving the largest discount on this line, if any applies."""
    fitting = [p for p in promotions if promotion_applies(p, product, quantity, tier=tier, on=on)]
    return max(fitting, key=lambda p: (p.discount_percent, len(p.sku_prefix)), default=None)


def price_lines(
    lines: Sequence[tuple[str | None, int | None]],
    refdata: ReferenceData,
    *,
    tier: str,
    on: date,
) -> PricedOrder:
    """Every line we can price (a catalog SKU and a positive quantity), with its promotion."""
    priced: list[PricedLine] = []
    for index, (sku, quantity) in enumerate(lines):
        product = refdata.products.get(sku or "")
        if product is None or quantity is None or quantity <= 0:
            continue
        promotion = best_promotion(
            product, quantity, tier=tier, on=on, promotions=refdata.promotions
        )
        priced.append(PricedLine(index, product, quantity, promotion))
    return PricedOrder(tuple(priced))
