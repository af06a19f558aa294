"""Pricing: list prices, promotions by SKU prefix, minimum quantity, validity
window (both days included) and tier, never stacked; totals in Decimal;
money written per locale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mailflow.validate.l10n import Money, locale_for, money_text
from mailflow.validate.pricing import best_promotion, price_lines
from tests.checks_support import PRODUCTS, PROMOTIONS, refdata

TAPE = next(p for p in PRODUCTS if p.sku == "PKG-TAPE-48")
BOLT = next(p for p in PRODUCTS if p.sku == "FST-M8-40")
NOV_16 = date(2026, 11, 16)


def promo_id(quantity: int, *, tier: str = "standard", on: date = NOV_16) -> str | None:
    found = best_promotion(TAPE, quantity, tier=tier, on=on, promotions=PROMOTIONS)
    return found.promo_id if found else None


def test_a_promotion_needs_at_least_its_minimum_quantity() -> None:
    assert promo_id(71) is None
    assert promo_id(72) == "P-TAPE"


def test_a_promotion_is_valid_from_its_first_to_its_last_day_inclusive() -> None:
    assert promo_id(72, on=date(2026, 9, 30)) is None
    assert promo_id(72, on=date(2026, 10, 1)) == "P-TAPE"
    assert promo_id(72, on=date(2026, 11, 30)) == "P-TAPE"
    assert promo_id(72, on=date(2026, 12, 1)) is None


def test_a_tier_promotion_is_only_for_that_tier() -> None:
    assert promo_id(36, tier="gold") == "P-PKG-GOLD"
    assert promo_id(36, tier="silver") is None


def test_the_best_promotion_wins_and_promotions_do_not_stack() -> None:
    # GIVEN a gold customer qualifying for 5 % (tier) and 15 % (quantity)
    priced = price_lines([("PKG-TAPE-48", 72)], refdata(), tier="gold", on=NOV_16)
    # THEN the line gets 15 %, not 20 %
    [line] = priced.lines
    assert line.promotion is not None and line.promotion.promo_id == "P-TAPE"
    assert line.total == Decimal("67.32")  # 72 x 1.10 = 79.20, less 15 %


def test_line_totals_round_half_up_to_the_cent() -> None:
    # 7 x 1.10 x 0.95 = 7.315 → 7.32
    [line] = price_lines([("PKG-TAPE-48", 7)], refdata(), tier="gold", on=NOV_16).lines
    assert line.total == Decimal("7.32") and line.discount == Decimal("0.38")


def test_order_totals_add_up_lines_and_skip_what_cannot_be_priced() -> None:
    wanted = [("FST-M8-40", 2), ("PKG-TAPE-48", 72), (None, 5), ("FST-M8-40", None), ("X-1", 1)]
    priced = price_lines(wanted, refdata(), tier="standard", on=NOV_16)
    assert [ln.index for ln in priced.lines] == [0, 1]
    assert priced.gross("USD") == Decimal("116.20")  # 37.00 + 79.20
    assert priced.total("USD") == Decimal("104.32")  # 37.00 + 67.32
    assert priced.discount("USD") == Decimal("11.88")


@pytest.mark.parametrize(
    ("language", "country", "expected"),
    [
        ("en", "US", "$1,234.50"),
        ("en", "GB", "US$1,234.50"),
        ("zh", "CN", "US$1,234.50"),
        ("en", "", "$1,234.50"),
    ],
)
def test_money_is_written_per_locale(language: str, country: str, expected: str) -> None:
    text = money_text(Money(Decimal("1234.5"), "USD"), locale_for(language, country))
    assert text == expected


def test_a_product_without_promotion_keeps_its_list_price() -> None:
    [line] = price_lines([("FST-M8-40", 3)], refdata(), tier="gold", on=NOV_16).lines
    assert line.promotion is None and line.net_unit_price == BOLT.unit_price
    assert line.total == Decimal("55.50")
