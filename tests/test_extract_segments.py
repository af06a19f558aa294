"""Cutting a body into clauses: which commas list products and which do not."""

from __future__ import annotations

import pytest

from mailflow.extract.lexicon import load_lexicon
from mailflow.extract.segments import clauses, mask_header_blocks

LEX = load_lexicon()


def _texts(text: str) -> list[str]:
    return [clause.text for clause in clauses(text, LEX)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("三、红色绝缘胶带，二十卷；", ["红色绝缘胶带，二十卷"]),
        ("（二）LED灯泡 E27，四十个", ["LED灯泡 E27，四十个"]),
        ("② 擦手纸 十卷", ["擦手纸 十卷"]),
    ],
)
def test_chinese_enumerators_are_list_markers_not_quantities(
    line: str, expected: list[str]
) -> None:
    # GIVEN a Chinese list item numbered "三、", "（二）" or "②"
    # WHEN cut into clauses THEN the marker is dropped and the item stays whole
    assert _texts(line) == expected


def test_a_comma_inside_brackets_does_not_cut_a_list_line() -> None:
    # GIVEN a pack description in brackets with a comma inside
    # WHEN cut THEN the product and its quantity stay in one clause
    assert _texts("擦手纸（200张，卫生间用）  三十卷") == ["擦手纸（200张，卫生间用）  三十卷"]


def test_a_quantity_after_a_comma_stays_with_its_product() -> None:
    # GIVEN list lines where the comma separates a product from its own amount
    text = "LED灯泡 E27 10W，八十个\n3x 1.5mm2 wire, 100 m reels"
    # WHEN cut THEN each line is one clause
    assert _texts(text) == ["LED灯泡 E27 10W，八十个", "3x 1.5mm2 wire, 100 m reels"]


def test_two_products_on_one_list_line_are_two_clauses() -> None:
    # GIVEN one bullet listing two sizes, each with its own amount
    # WHEN cut THEN each size is a clause of its own
    assert _texts("- 乳胶手套M码 六盒、L码 四盒") == ["乳胶手套M码 六盒", "L码 四盒"]


def test_a_sentence_stop_ends_a_clause_on_a_short_line() -> None:
    assert _texts("棕色封箱胶带再要三箱。下周二前送货。") == [
        "棕色封箱胶带再要三箱",
        "下周二前送货",
    ]


def test_wrapped_chinese_prose_is_read_as_one_paragraph() -> None:
    # GIVEN Chinese prose wrapped after some forty characters, mid-list
    text = (
        "我们仓库需要补一些货：黄色安全帽要三十顶，M6螺母要一千个，还有棕色封箱胶带要两箱，\n"
        "乳胶手套L码十盒。"
    )
    # WHEN cut THEN the wrapped line joins the paragraph and each product is a clause
    assert _texts(text)[-2:] == ["还有棕色封箱胶带要两箱", "乳胶手套L码十盒"]


def test_a_forwarded_header_block_is_blanked_in_place() -> None:
    # GIVEN a forwarded message's header lines in the new text
    text = "Please action.\n\nFrom: Ann Lee <ann@x.example>\nDate: Thu, Nov 5, 2026 at 9:12 AM\n"
    masked = mask_header_blocks(text, LEX)
    # THEN the header lines are blank and every other offset is unchanged
    assert len(masked) == len(text)
    assert masked.startswith("Please action.") and "2026" not in masked


def test_a_single_label_line_is_not_a_header_block() -> None:
    text = "Date: deliver on the 20th please\nThanks"
    assert mask_header_blocks(text, LEX) == text


def test_a_numbered_chinese_item_starting_with_a_size() -> None:
    # GIVEN "2、" numbering an item whose name starts with a digit
    assert _texts("2、1.5平方线 3卷") == ["1.5平方线 3卷"]


def test_a_question_mark_ends_a_clause_in_prose() -> None:
    text = "Can we get 2 more boxes of the M6 nuts? And another box of the bolts."
    assert _texts(text) == ["Can we get 2 more boxes of the M6 nuts", "another box of the bolts."]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Gloves: latex, size L, 12 boxes", ["Gloves: latex, size L, 12 boxes"]),
        ("请安排：M6螺母 三千个，周五前送到", ["请安排", "M6螺母 三千个", "周五前送到"]),
        ("Latex gloves, large  40", ["Latex gloves, large  40"]),
        ("Hi Sam, please send 20 yellow hard hats", ["Hi Sam", "please send 20 yellow hard hats"]),
    ],
)
def test_a_product_keeps_its_amount_across_commas_and_a_lead_in_is_cut(
    line: str, expected: list[str]
) -> None:
    # GIVEN a product written over several pieces before its amount, or a lead-in
    # WHEN cut THEN the product stays with its amount and the lead-in stands apart
    assert _texts(line) == expected


def test_in_an_edit_the_product_before_a_colon_stays_with_its_change() -> None:
    found = [
        c.text
        for c in clauses("- latex gloves: increase from 6 to 9 boxes", LEX, split_dashes=True)
    ]
    assert found == ["latex gloves: increase from 6 to 9 boxes"]
