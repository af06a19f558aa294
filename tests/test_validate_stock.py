"""Stock: how many can ship now, and when the rest can follow (lead time in
working days of the delivery country)."""

from __future__ import annotations

from datetime import date

from tests.checks_support import check, codes, context, line, order, the


def test_stock_exactly_enough_passes() -> None:
    # GIVEN 35 boxes of M10x60 bolts on hand and 35 ordered
    findings = check(order(line("FST-M10-60", 35)))
    assert not {"insufficient_stock", "out_of_stock"} & set(codes(findings))


def test_one_more_than_stock_offers_a_part_delivery() -> None:
    # GIVEN 35 boxes on hand, 36 ordered, lead time 5 working days
    finding = the(check(order(line("FST-M10-60", 36))), "insufficient_stock")
    # THEN 35 can ship now and 1 follows five working days after Monday 16 Nov
    assert finding.data["available"] == 35 and finding.data["short"] == 1
    assert finding.data["follow"] == "2026-11-23"
    assert finding.message == (
        "We have 35 boxes of Hex bolt M10 x 60 mm (FST-M10-60) in stock; the remaining "
        "1 box can ship on Monday, 23 November 2026. Shall we send 35 boxes now and the rest then?"
    )


def test_nothing_in_stock_says_when_all_can_ship() -> None:
    # GIVEN washers with no stock and a lead time of 14 working days
    finding = the(check(order(line("FST-WSH-M8", 4))), "out_of_stock")
    assert finding.data["follow"] == "2026-12-04"
    assert "is out of stock at the moment; all 4 boxes can ship on Friday, 4 December 2026" in (
        finding.message
    )


def test_the_follow_date_skips_the_delivery_countrys_holidays() -> None:
    # GIVEN a US customer on the Friday before Thanksgiving week: 5 working days
    # are Mon 23, Tue 24, Wed 25, (Thu 26 is Thanksgiving), Fri 27, Mon 30
    ctx = context("C-US", today=date(2026, 11, 20))
    finding = the(
        check(order(line("FST-M10-60", 40), customer_id="C-US"), ctx), "insufficient_stock"
    )
    assert finding.data["follow"] == "2026-11-30"


def test_two_lines_of_one_product_share_its_stock() -> None:
    # GIVEN 35 on hand, ordered as 20 and then 20
    findings = check(order(line("FST-M10-60", 20), line("FST-M10-60", 20)))
    # THEN only the second line is short, by 5
    finding = the(findings, "insufficient_stock")
    assert finding.line == 1 and finding.data["available"] == 15 and finding.data["short"] == 5


def test_a_discontinued_product_is_not_also_reported_out_of_stock() -> None:
    findings = check(order(line("HYD-FIT-12", 20)))
    assert "out_of_stock" not in codes(findings)
