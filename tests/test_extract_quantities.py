"""Quantities as written, converted to the catalog's sales unit."""

from __future__ import annotations

import pytest

from mailflow.extract.lexicon import load_lexicon
from mailflow.extract.quantities import find_quantities, pack_size, stated_total, to_sales_units
from tests.fixtures.extract.builders import refdata

LEX = load_lexicon()


def _sales(text: str, sku: str) -> int | None:
    quantity = find_quantities(text, LEX)[0]
    product = refdata().products[sku]
    converted = to_sales_units(
        quantity, product, LEX, pack=pack_size(text, LEX), total=stated_total(text, LEX)
    )
    return converted.quantity


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("五十顶", 50),
        ("两千个", 2000),
        ("一百二十个", 120),
        ("1.5万个", 15000),
        ("a dozen hats", 12),
        ("two hundred hats", 200),
        ("one hundred and fifty hats", 150),
        ("2,000 bolts", 2000),
        ("hats x10", 10),
        ("10x hats", 10),
        ("qty: 10", 10),
    ],
)
def test_written_numbers_are_read(written: str, value: int) -> None:
    # GIVEN a quantity written in words, numerals or with a multiplication sign
    # WHEN the clause is scanned
    found = find_quantities(written, LEX)
    # THEN the strongest reading is the number meant
    assert found[0].value == value


def test_pieces_of_a_boxed_product_become_boxes() -> None:
    # GIVEN bolts sold in boxes of 100, ordered in pieces
    # WHEN converted THEN 2,000 bolts are 20 boxes
    assert _sales("2,000 M6 bolts", "BLT-M6-30") == 20


def test_metres_of_cable_become_rolls() -> None:
    # GIVEN cable sold in 100 m rolls THEN 300 m is 3 rolls
    assert _sales("300 m of 1.5mm cable", "CBL-1.5-100") == 3


def test_cases_of_a_roll_product_use_the_case_size() -> None:
    # GIVEN tape sold per roll, 36 rolls a case THEN 10 cases are 360 rolls
    assert _sales("10 cases of brown tape", "TPE-BRN-48") == 360


def test_boxes_of_a_boxed_product_stay_boxes() -> None:
    assert _sales("3 boxes of M6 nuts", "NUT-M6") == 3


def test_pairs_of_ear_plugs_become_boxes() -> None:
    assert _sales("300 pairs of earplugs", "EAR-FOAM-100") == 3


def test_stated_pack_size_overrides_the_catalog() -> None:
    # GIVEN the customer says how many rolls a case holds
    assert _sales("5 cases (24/cs) brown tape", "TPE-BRN-48") == 120


def test_chinese_case_with_rolls_per_case() -> None:
    assert _sales("棕色封箱胶带 两箱（每箱36卷）", "TPE-BRN-48") == 72


def test_a_product_noun_is_not_a_pack_unit() -> None:
    # GIVEN boxes that are themselves the product THEN "300 boxes" is 300 of them
    assert _sales("300 shipping boxes 50x40x30", "BOX-50") == 300


@pytest.mark.parametrize(
    "text",
    [
        "M8x40 bolts",
        "cable 2.5mm",
        "call 30 mins before",
        "by 20/11",
        "18V drill",
        "12 x 100 anchors",
    ],
)
def test_specifications_and_times_are_not_quantities(text: str) -> None:
    # GIVEN sizes, times and dates WHEN scanned THEN nothing strong is read
    assert all(q.strength < 2 for q in find_quantities(text, LEX))


def test_lengths_multiply() -> None:
    # GIVEN "3 x 20m lengths" THEN 60 metres
    found = find_quantities("hose - 3 x 20m lengths", LEX)[0]
    assert (found.value, found.unit) == (60, "m")
