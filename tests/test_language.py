"""Scenarios for detect_language: English, Chinese, or mixed by share of characters."""

from __future__ import annotations

import pytest

from mailflow.mail.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Please send 20 boxes of M8 bolts on PO# 4471.", "en"),
        ("请安排以下物料：M8x40镀锌六角螺栓 30盒，采购单号 CG20261103-02。", "zh"),
        ("Please arrange delivery to our warehouse. 请尽快安排发货，谢谢！", "mixed"),
        ("", "en"),
        ("12345 -- 678", "en"),
    ],
)
def test_language_follows_the_share_of_chinese_characters(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_chinese_name_in_an_english_order_keeps_it_english() -> None:
    text = "Please supply 10 rolls of 2.5mm cable by Friday, thanks. Jason Wu 吴杰"
    assert detect_language(text) == "en"


def test_sku_codes_in_a_chinese_order_keep_it_chinese() -> None:
    text = "请备货：ELC-CBL-2.5-100 二十卷，ELC-LED-18W 两箱，PKG-TAPE-48 十箱。"
    assert detect_language(text) == "zh"
