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


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("3x 1.5mm2 wire", 3),
        ("4 x 12V drivers", 4),
        ("a couple of boxes of nuts", 2),
        ("half a dozen hard hats", 6),
        ("红色绝缘胶带 三打", 36),
        ("3 doz latex gloves", 36),
    ],
)
def test_multipliers_and_dozens_are_counts(written: str, value: int) -> None:
    # GIVEN a count written as "Nx", "N x <spec>", "a couple", "half a dozen" or in dozens
    # WHEN scanned THEN the count leads
    assert find_quantities(written, LEX)[0].value == value


def test_a_couple_of_days_is_no_quantity() -> None:
    assert find_quantities("within a couple of days", LEX) == []


def test_bundles_with_their_size_become_items() -> None:
    # GIVEN boxes sold singly, ordered in bundles of 25
    assert _sales("12 bundles of 25 cartons 50x40x30", "BOX-50") == 300
    assert _sales("纸箱 50x40x30 八捆（每捆25个）", "BOX-50") == 200


def test_a_number_glued_to_a_unit_letter_is_no_pack_size() -> None:
    # GIVEN "a case of 10W bulbs": the 10W is the bulb, the case holds 20 (catalog)
    assert _sales("a case of 10W bulbs", "LMP-E27") == 20


def test_items_named_inside_the_sales_unit_are_converted() -> None:
    # GIVEN paper sold in cases of 5 reams, the catalog calling a ream "包"
    # WHEN the customer counts packs (包 or "packs") THEN they are reams, 5 to a case
    assert _sales("A3复印纸 十五包", "PPR-A3") == 3
    assert _sales("25 packs of A3 paper", "PPR-A3") == 5


def test_sheets_of_a_roll_product_become_rolls() -> None:
    assert _sales("擦手纸 2000张", "TWL-200") == 10
    assert _sales("1,200 sheets of hand towels", "TWL-200") == 6


@pytest.mark.parametrize(
    ("written", "value"),
    [("another box of M6 nuts", 1), ("1,500 x 50x40x30 cartons", 1500)],
)
def test_another_and_a_count_before_a_dimension(written: str, value: int) -> None:
    assert find_quantities(written, LEX)[0].value == value


def test_an_amount_after_an_em_dash_ends_a_list_line() -> None:
    assert find_quantities("Latex gloves L — 8", LEX)[0].value == 8
