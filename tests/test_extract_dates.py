"""Requested delivery dates, absolute and relative."""

from __future__ import annotations

from datetime import date

import pytest

from mailflow.extract.dates import DateContext, is_asap, requested_date
from mailflow.extract.lexicon import load_lexicon

LEX = load_lexicon()
MONDAY = date(2026, 11, 2)
TUESDAY = date(2026, 11, 3)


def _date(text: str, *, today: date = MONDAY, day_first: bool | None = True) -> date | None:
    found = requested_date(text, DateContext(today, day_first), LEX)
    return found.value if found else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Delivery tomorrow please.", date(2026, 11, 3)),
        ("Delivery next Thursday please.", date(2026, 11, 12)),
        ("Delivery Thursday next week please.", date(2026, 11, 12)),
        ("We need them by Friday.", date(2026, 11, 6)),
        ("Delivery by end of month.", date(2026, 11, 30)),
        ("Delivery within 2 weeks please.", date(2026, 11, 16)),
        ("Required 24/11/2026.", date(2026, 11, 24)),
        ("Delivery latest 20/11.", date(2026, 11, 20)),
        ("Delivery date 2026-11-27.", date(2026, 11, 27)),
        ("Need by 20 November.", date(2026, 11, 20)),
        ("Delivery Friday 11th Dec please.", date(2026, 12, 11)),
        ("Wednesday next week would be ideal, gates open 7:30.", date(2026, 11, 11)),
        ("Need these tomorrow pls for the Leeds job.", date(2026, 11, 3)),
        ("These need to be at the DC on Wednesday - we're closed Thursday.", date(2026, 11, 4)),
        ("Deliver Monday 9/11 please - we're closed Thu/Fri for the holiday.", date(2026, 11, 9)),
    ],
)
def test_english_dates(text: str, expected: date) -> None:
    # GIVEN an e-mail sent on Monday 2 November 2026 by a day-first customer
    # WHEN the requested date is read THEN it resolves as a person would
    assert _date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要求下周五前到货。", date(2026, 11, 13)),
        ("月底前送到。", date(2026, 11, 30)),
        ("12月10日之前送到工地。", date(2026, 12, 10)),
        ("请下周二送到。", date(2026, 11, 10)),
        ("交货日期：2026年11月20日", date(2026, 11, 20)),
        ("本月28号前送到。", date(2026, 11, 28)),
    ],
)
def test_chinese_dates(text: str, expected: date) -> None:
    # GIVEN an e-mail sent on Tuesday 3 November 2026
    assert _date(text, today=TUESDAY) == expected


def test_us_customers_write_month_first() -> None:
    assert _date("Required by 12/03/2026.", day_first=False) == date(2026, 12, 3)


def test_uk_customers_write_day_first() -> None:
    assert _date("Required by 12/03/2027.", day_first=True) == date(2027, 3, 12)


def test_the_weekday_settles_the_order_for_unknown_senders() -> None:
    # GIVEN "Fri 11/12" from a sender of unknown country: 11 Dec 2026 is a Friday
    assert _date("Need by Fri 11/12.", day_first=None) == date(2026, 12, 11)


def test_a_size_is_not_a_date() -> None:
    assert _date("Delivery of 2.5 mm cable please.") is None


def test_asap_is_recognised_without_a_date() -> None:
    # GIVEN "ASAP" THEN no date but the asap flag
    assert _date("Need these ASAP please.") is None
    assert is_asap("Need these ASAP please.", LEX)


def test_an_out_of_office_return_date_is_not_a_delivery_date() -> None:
    assert _date("I am out of the office, returning Monday 16 November.") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Could we have them by the end of next week?", date(2026, 11, 13)),
        ("Delivery by end of the week please.", date(2026, 11, 6)),
        ("Needed on site by the 19th.", date(2026, 11, 19)),
        ("Delivery within 5 working days.", date(2026, 11, 9)),
        ("Delivery in a fortnight is fine.", date(2026, 11, 16)),
    ],
)
def test_more_relative_english_dates(text: str, expected: date) -> None:
    # GIVEN an e-mail sent on Monday 2 November 2026
    assert _date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请本周内送到。", date(2026, 11, 6)),
        ("下周末前到货即可。", date(2026, 11, 13)),
        ("下个月3号前送货。", date(2026, 12, 3)),
        ("三周内到货。", date(2026, 11, 24)),
    ],
)
def test_more_relative_chinese_dates(text: str, expected: date) -> None:
    assert _date(text, today=TUESDAY) == expected


def test_in_a_form_the_label_says_which_date_is_the_delivery() -> None:
    # GIVEN an ERP header with the order date and the delivery date side by side
    text = "Order No : TW-77      Order Date : 02/11/2026\nRequired by : 16/11/2026\n"
    # THEN the date under the delivery label is the requested one
    assert _date(text) == date(2026, 11, 16)


def test_a_negation_in_another_clause_does_not_cancel_the_date() -> None:
    # GIVEN "as last time" in a clause after the date THEN the date still counts
    text = "请下周三前送到，地址和上次一样。"
    assert _date(text, today=TUESDAY) == date(2026, 11, 11)


def test_day_and_month_joined_by_dashes() -> None:
    assert _date("Deliver by 19-Nov-2026 please.") == date(2026, 11, 19)


def test_a_form_label_padded_to_its_column_names_the_date() -> None:
    # GIVEN a PO form whose labels are padded to a column, the order date first
    text = (
        "Purchase order no.:  NM-4521\n"
        "Order date:          2026-11-17\n"
        "Supplier:            Harbor Industrial Supply\n"
        "Delivery date:       2026-12-10\n"
    )
    # THEN the delivery date is the one labelled so
    assert _date(text) == date(2026, 12, 10)
