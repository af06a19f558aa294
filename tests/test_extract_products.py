"""Matching what customers write to catalog products."""

from __future__ import annotations

import pytest

from mailflow.extract.lexicon import load_lexicon
from mailflow.extract.products import catalog_index
from tests.fixtures.extract.builders import refdata

LEX = load_lexicon()
INDEX = catalog_index(refdata().products, LEX)


@pytest.mark.parametrize(
    ("written", "sku"),
    [
        ("blt m6 30", "BLT-M6-30"),
        ("BLT.M6.30", "BLT-M6-30"),
        ("cbl-1,5-100", "CBL-1.5-100"),
    ],
)
def test_sku_is_found_whatever_the_separators(written: str, sku: str) -> None:
    # GIVEN a SKU written with odd case, dots or spaces
    # WHEN codes are searched THEN the catalog SKU is found
    assert [hit.key for hit in INDEX.find_codes(f"please send {written} x 4")] == [sku]


@pytest.mark.parametrize(
    ("written", "sku"),
    [
        ("M6x30 hex bolts zinc", "BLT-M6-30"),
        ("yellow hard hats", "HLM-YEL"),
        ("黄色安全帽", "HLM-YEL"),
        ("乳胶手套 L码", "GLV-LTX-L"),
        ("latex gloves, size M", "GLV-LTX-M"),
        ("M6 nuts to suit", "NUT-M6"),
        ("cartons 50x40x30", "BOX-50"),
    ],
)
def test_names_aliases_and_chinese_names_match(written: str, sku: str) -> None:
    assert INDEX.match(written).key == sku


def test_a_misspelt_word_still_matches() -> None:
    # GIVEN "helmit" for "helmet" WHEN matched THEN the helmet, with less confidence
    found = INDEX.match("yellow safety helmits")
    assert found.key == "HLM-YEL"


def test_a_size_the_catalog_lacks_is_not_guessed() -> None:
    # GIVEN latex gloves in size S, while only M and L exist
    # WHEN matched THEN no SKU is given
    assert INDEX.match("latex gloves size S").key is None


def test_an_unknown_product_stays_unmatched() -> None:
    assert INDEX.match("cable ties 300mm black").key is None


def test_a_different_thread_size_is_not_the_same_bolt() -> None:
    assert INDEX.match("M10 hex bolts 30mm").key is None


def test_customer_part_numbers_map_to_skus() -> None:
    # GIVEN the customer's own part number stored as an alias
    index = catalog_index(refdata().products, LEX, aliases={"TW-00417": "HLM-YEL"})
    # WHEN searched THEN it resolves to our SKU
    assert [hit.key for hit in index.find_codes("TW-00417 x 20")] == ["HLM-YEL"]
