"""Quantities: readable and positive, at least the minimum order, whole packs."""

from __future__ import annotations

import pytest

from tests.checks_support import check, codes, line, order, the


@pytest.mark.parametrize("quantity", [0, -3])
def test_zero_or_negative_quantity_is_invalid(quantity: int) -> None:
    finding = the(check(order(line("FST-M8-40", quantity, "M8x40 bolts"))), "invalid_quantity")
    assert finding.field == "quantity" and finding.line == 0
    assert (
        finding.message
        == f'How many of "M8x40 bolts" do you need? We read the quantity as {quantity}.'
    )


def test_unreadable_quantity_is_invalid() -> None:
    finding = the(check(order(line("FST-M8-40", None, "some M8x40 bolts"))), "invalid_quantity")
    assert "We could not read the quantity." in finding.message


def test_quantity_exactly_at_the_minimum_order_passes() -> None:
    # GIVEN goggles with an MOQ of 12, ordered 12
    findings = check(order(line("PPE-GGL-CLR", 12)))
    assert "below_moq" not in codes(findings)


def test_quantity_one_below_the_minimum_order_suggests_the_minimum() -> None:
    # GIVEN goggles with an MOQ of 12, ordered 11
    finding = the(check(order(line("PPE-GGL-CLR", 11))), "below_moq")
    # THEN the customer is offered the minimum
    assert finding.data["moq"] == 12 and finding.data["asked"] == 11
    assert finding.message == (
        "The minimum order for Safety goggles clear (PPE-GGL-CLR) is 12 pcs; "
        "you asked for 11 pcs. Shall we send 12 pcs?"
    )
    assert finding.suggestion == "12 pcs"


def test_base_items_filling_whole_boxes_pass() -> None:
    # GIVEN "2,000 bolts" in boxes of 100, converted to 20 boxes
    findings = check(order(line("FST-M8-40", 20, "2,000 M8x40 bolts", written_quantity="2,000")))
    assert "pack_multiple" not in codes(findings)


def test_base_items_not_filling_whole_boxes_suggest_rounding_up() -> None:
    # GIVEN "250 bolts" in boxes of 100, which the extractor rounded up to 3 boxes
    ordered = line("FST-M8-40", 3, "250 M8x40 bolts", written_quantity="250", written_unit="bolts")
    finding = the(check(order(ordered)), "pack_multiple")
    # THEN the customer is asked whether 3 boxes (300 bolts) will do
    assert finding.data["suggested"] == 3 and finding.data["suggested_items"] == 300
    assert finding.message == (
        "Hex bolt M8 x 40 mm (FST-M8-40) is sold by the box of 100 pcs: 250 pcs would fill "
        "2 boxes and part of another. Shall we send 3 boxes (300 pcs)?"
    )


def test_base_quantity_from_the_extractor_is_used_when_given() -> None:
    ordered = line("FST-M10-60", 2, "75 bolts", written_quantity="seventy-five", base_quantity=75)
    finding = the(check(order(ordered)), "pack_multiple")
    assert finding.data["suggested"] == 2 and finding.data["whole"] == 1


def test_a_count_of_sales_units_is_never_a_pack_question() -> None:
    # GIVEN "3 boxes": the written number is the sales quantity itself
    findings = check(order(line("FST-M8-40", 3, "3 boxes", written_quantity="3")))
    assert "pack_multiple" not in codes(findings)
