"""Prices and promotions as findings: a stated price that is not the
customer's is asked about; every promotion that applies is recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from mailflow.extract.types import ExtractedLine
from tests.checks_support import check, codes, context, line, order, the


def tape(quantity: int, price: str | None = None) -> ExtractedLine:
    return line("PKG-TAPE-48", quantity, stated_unit_price=Decimal(price) if price else None)


@pytest.mark.parametrize("stated", ["0.935", "1.10", "0.94", "0.93"])
def test_a_stated_price_equal_to_the_net_or_list_price_passes(stated: str) -> None:
    # GIVEN 72 rolls of tape: list 1.10, net 0.935 after 15 % (tolerance 0.01)
    findings = check(order(tape(72, stated)))
    assert "price_mismatch" not in codes(findings)


def test_a_stated_price_beyond_the_tolerance_is_asked_about() -> None:
    # GIVEN the customer writes 0.90 a roll where their price is 0.935
    finding = the(check(order(tape(72, "0.90"))), "price_mismatch")
    # THEN they are asked whether our price (rounded to the cent) is all right
    assert finding.severity == "error" and finding.field == "unit_price"
    assert finding.data["price"] == {"amount": "0.94", "currency": "USD"}
    assert finding.message == (
        "You gave a price of US$0.90 per roll for Packing tape 48 mm (PKG-TAPE-48); your price "
        "is US$0.94. Shall we go ahead at US$0.94?"
    )


def test_no_stated_price_means_no_price_question() -> None:
    assert "price_mismatch" not in codes(check(order(line("FST-M8-40", 2))))


def test_a_promotion_that_applies_is_recorded_as_info() -> None:
    finding = the(check(order(tape(72))), "promotion_applied")
    assert finding.severity == "info" and finding.line == 0
    assert finding.data["promotion"] == "P-TAPE" and finding.data["percent"] == "15"
    assert finding.message == "Promotion: 15% off Packing tape 48 mm (PKG-TAPE-48)."


def test_a_promotion_applies_on_its_last_day() -> None:
    findings = check(order(tape(72)), context(today=date(2026, 11, 30)))
    assert the(findings, "promotion_applied").data["promotion"] == "P-TAPE"


def test_a_promotion_does_not_apply_the_day_after_it_ends() -> None:
    findings = check(order(tape(72)), context(today=date(2026, 12, 1)))
    assert "promotion_applied" not in codes(findings)


def test_a_promotion_needs_its_minimum_quantity() -> None:
    assert "promotion_applied" not in codes(check(order(tape(71))))
