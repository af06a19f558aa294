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


@pytest.mark.parametrize(("written", "sku"), [("起子", "SCR-12V"), ("擦手纸", "TWL-200")])
def test_a_short_name_only_one_product_has_matches(written: str, sku: str) -> None:
    # GIVEN a head noun that a single catalog product carries
    # WHEN matched THEN that product, though the catalog name says more
    assert INDEX.match(written).key == sku


@pytest.mark.parametrize("written", ["LED筒灯", "LED strip light", "安全鞋"])
def test_a_shared_word_with_an_unknown_noun_stays_unmatched(written: str) -> None:
    # GIVEN a product we do not sell that shares one word with one we do
    assert INDEX.match(written).key is None


def test_colloquial_tape_names_are_trade_vocabulary() -> None:
    # GIVEN "电工胶布" (electrician's cloth tape), the trade name of insulation tape
    assert INDEX.match("红色电工胶布").key == "ETP-RED"


def test_a_colour_the_product_lacks_is_not_guessed() -> None:
    # GIVEN black insulation tape ("黑胶布") while only red is stocked THEN no SKU
    assert INDEX.match("黑胶布").key is None
    assert INDEX.match("black PVC tape").key is None


def test_elliptic_mentions_are_recognised() -> None:
    # GIVEN a size or a dimension with no noun THEN it borrows the line before's
    assert INDEX.elliptic("L码") and INDEX.elliptic("50x40x30的要")
    # AND an unknown noun is not elliptic
    assert not INDEX.elliptic("劳保鞋 42码")


def test_a_customer_name_alias_wins_over_catalog_matching() -> None:
    # GIVEN a customer who calls the M6 bolts "frame fixings" (a clerk's correction)
    index = catalog_index(refdata().products, LEX, aliases={"frame fixings": "BLT-M6-30"})
    # WHEN the name is written, in any case THEN it is found as a code, first
    assert [hit.key for hit in index.find_codes("4 boxes of Frame Fixings")] == ["BLT-M6-30"]
    # AND it also joins the product's names for looser wording
    assert index.match("frame fixing M6").key == "BLT-M6-30"


def test_an_alias_to_an_unknown_sku_is_ignored() -> None:
    index = catalog_index(refdata().products, LEX, aliases={"ZZ-1": "NOT-A-SKU"})
    assert index.find_codes("ZZ-1 x 3") == []


def test_a_chinese_name_with_a_modifier_left_out_still_matches() -> None:
    # GIVEN "棕色胶带" for "棕色封箱胶带": the bigram "色胶" only bridges two known ones
    assert INDEX.match("棕色胶带").key == "TPE-BRN-48"


def test_a_plural_after_a_size_is_not_a_specification() -> None:
    assert INDEX.match("the M6x30s").key == "BLT-M6-30"
