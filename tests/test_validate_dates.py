"""Delivery dates: not past, not before today plus the lead time in working
days (weekends and the delivery country's holidays skipped), a working day,
and given at all. Today is Monday 16 November 2026; M8x40 bolts take 2
working days, so the earliest feasible day is Wednesday 18 November."""

from __future__ import annotations

from datetime import date

from tests.checks_support import address, check, codes, context, line, order, the

DATE_CODES = {"date_in_past", "date_too_soon", "date_non_working_day", "date_missing"}


def date_findings(requested: date | None, **fields: object) -> list[str]:
    findings = check(order(line("FST-M8-40", 2), requested_date=requested, **fields))
    return [c for c in codes(findings) if c in DATE_CODES]


def test_exactly_the_earliest_feasible_day_passes() -> None:
    assert date_findings(date(2026, 11, 18)) == []


def test_one_working_day_before_the_earliest_is_too_soon() -> None:
    findings = check(order(line("FST-M8-40", 2), requested_date=date(2026, 11, 17)))
    finding = the(findings, "date_too_soon")
    assert finding.data == {"requested": "2026-11-17", "earliest": "2026-11-18"}
    assert finding.message == (
        "We cannot deliver by Tuesday, 17 November 2026: the earliest possible delivery date "
        "is Wednesday, 18 November 2026. Is that all right?"
    )


def test_today_is_too_soon_not_past() -> None:
    assert date_findings(date(2026, 11, 16)) == ["date_too_soon"]


def test_yesterday_is_in_the_past_and_the_earliest_day_is_offered() -> None:
    findings = check(order(line("FST-M8-40", 2), requested_date=date(2026, 11, 15)))
    finding = the(findings, "date_in_past")
    assert finding.data["earliest"] == "2026-11-18" and finding.severity == "error"


def test_the_longest_lead_time_of_the_order_sets_the_earliest_day() -> None:
    # GIVEN M10x60 bolts (5 working days) next to M8x40 (2): earliest is Mon 23 Nov
    ordered = order(line("FST-M8-40", 2), line("FST-M10-60", 1), requested_date=date(2026, 11, 20))
    assert the(check(ordered), "date_too_soon").data["earliest"] == "2026-11-23"


def test_the_lead_time_skips_the_delivery_countrys_holidays() -> None:
    # GIVEN Wednesday 23 December in GB: Thu 24, then Fri 25 and Mon 28 are holidays
    ctx = context(today=date(2026, 12, 23))
    too_soon = order(line("FST-M8-40", 2), requested_date=date(2026, 12, 28))
    assert the(check(too_soon, ctx), "date_too_soon").data["earliest"] == "2026-12-29"
    feasible = order(line("FST-M8-40", 2), requested_date=date(2026, 12, 29))
    assert "date_too_soon" not in codes(check(feasible, ctx))


def test_a_saturday_suggests_the_friday_before() -> None:
    findings = check(order(line("FST-M8-40", 2), requested_date=date(2026, 11, 21)))
    finding = the(findings, "date_non_working_day")
    assert finding.data["suggested"] == "2026-11-20"
    assert finding.message == (
        "Saturday, 21 November 2026 is not a working day at the delivery address "
        "(United Kingdom). Shall we deliver on Friday, 20 November 2026 instead?"
    )


def test_a_holiday_of_the_ship_to_country_is_not_a_working_day() -> None:
    # GIVEN a delivery to a stated US address on Thanksgiving
    us = address(street="75 Mill Rd", city="Edison", postcode="08817", country="US")
    assert date_findings(date(2026, 11, 26), ship_to=us) == ["date_non_working_day"]


def test_another_countrys_holiday_is_a_working_day() -> None:
    # GIVEN Thanksgiving for a customer delivered in GB
    assert date_findings(date(2026, 11, 26)) == []


def test_no_date_is_a_warning_that_states_the_planned_day() -> None:
    finding = the(check(order(line("FST-M8-40", 2), requested_date=None)), "date_missing")
    assert finding.severity == "warning" and finding.data["planned"] == "2026-11-18"
    assert finding.message == (
        "You did not mention a delivery date, so we plan to deliver on Wednesday, 18 November 2026."
    )
