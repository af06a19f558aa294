"""Delivery addresses written in the e-mail, and addresses that are not."""

from __future__ import annotations

from mailflow.extract.addresses import delivery_address
from mailflow.extract.lexicon import load_lexicon

LEX = load_lexicon()


def _where(text: str, signature: str = "") -> tuple[str, str, str] | None:
    found = delivery_address(text, LEX, signature=signature)
    return (found.city, found.postcode, found.country) if found else None


def test_uk_site_address_after_deliver_to() -> None:
    text = "Deliver to site - Plot 7, Canal Road, Sheffield\nS4 7WZ. Ring me first."
    assert _where(text) == ("Sheffield", "S4 7WZ", "GB")


def test_us_ship_to_block() -> None:
    text = "Ship to:\nPrairie DC West\n1650 Commerce Pkwy\nAllentown, PA 18109\n\nThanks"
    assert _where(text) == ("Allentown", "18109", "US")


def test_swedish_address_after_a_delivery_sentence() -> None:
    text = (
        "Delivery 2026-11-27, to our workshop this time:\n"
        "Fjällbo AB, Verkstad 2\nSandviksvägen 4\n906 20 Umeå"
    )
    assert _where(text) == ("Umeå", "906 20", "SE")


def test_chinese_delivery_address_with_postcode() -> None:
    text = "送货地址：江苏省苏州市吴中区东山镇长平路18号 恒达二号仓，邮编215100，联系人王工"
    assert _where(text) == ("苏州市", "215100", "CN")


def test_a_signature_address_is_not_a_delivery_address() -> None:
    text = (
        "Please send the usual.\n\n"
        "John Smith\nThornfield Works Ltd\n27 Wellington Road, Leeds LS12 1DU"
    )
    assert _where(text) is None


def test_not_shipping_somewhere_is_no_address() -> None:
    assert _where("Please do NOT ship to Newark, NJ 07114 this time.") is None


def test_a_named_warehouse_without_an_address_is_no_address() -> None:
    assert _where("请下周三前送到仓库。") is None


def test_address_in_signature_when_the_customer_says_so() -> None:
    text = "Please deliver this one to our office - address is in my signature below."
    signature = "Rachel\nThornfield Works Ltd\n27 Wellington Road, Leeds LS12 1DU"
    assert _where(text, signature) == ("Leeds", "LS12 1DU", "GB")


def test_a_cue_with_an_adverb_before_the_address_block() -> None:
    text = (
        "Ship straight to the job please, not to our DC:\n\n"
        "Prairie Supply c/o Lot 14\n800 Dodge St\nOmaha, NE 68102\n"
    )
    assert _where(text) == ("Omaha", "68102", "US")


def test_an_inline_delivery_address_with_a_street() -> None:
    text = "Order: 20 hard hats, deliver 45 Harney Street, Omaha, NE 68102 by Friday."
    assert _where(text) == ("Omaha", "68102", "US")


def test_chinese_address_on_the_line_after_a_long_cue() -> None:
    # GIVEN a cue line ending in a colon with a remark before the colon
    text = (
        "请送到下面这个新地址（不是原来的仓库）：\n"
        "浙江省宁波市北仑区明州路99号 二号厂房\n邮编：315800"
    )
    assert _where(text) == ("宁波市", "315800", "CN")


def test_send_to_a_named_place_then_the_address() -> None:
    text = "这批货直接发无锡：\n\n江苏省无锡市新吴区长江路21号 恒达无锡库\n邮编：214028"
    assert _where(text) == ("无锡市", "214028", "CN")


def test_an_address_with_a_consignee_below_is_a_delivery_address() -> None:
    text = "明细见下。\n\n江苏省南通市崇川区工农路5号 三号仓\n收货人：陈先生 139 0000 0000"
    assert _where(text) == ("南通市", "", "CN")


def test_a_company_address_line_without_a_cue_is_not_delivery() -> None:
    text = (
        "谢谢！\n\n苏州恒达工贸有限公司\n地址：江苏省苏州市工业园区星湖街88号\n电话：0512-0000 0000"
    )
    assert _where(text) is None


def test_a_municipality_is_the_city() -> None:
    # GIVEN an address in a municipality (no province, the city is 天津市)
    text = "送货至：天津市滨海新区黄海路19号 二号库"
    assert _where(text) == ("天津市", "", "CN")


def test_an_autonomous_region_before_the_city() -> None:
    text = "送到：中国内蒙古自治区包头市昆都仑区钢铁大街7号"
    assert _where(text) == ("包头市", "", "CN")


def test_a_county_between_city_and_postcode_is_the_region() -> None:
    text = "Deliver to:\nUnit 2, Foss Islands Estate\nYork\nNorth Yorkshire\nYO31 7UL"
    found = delivery_address(text, LEX)
    assert found is not None and (found.city, found.region) == ("York", "North Yorkshire")


def test_a_us_state_written_in_full() -> None:
    text = "Ship to:\nPrairie Supply Corp\n410 Farnam St\nOmaha, Nebraska 68102"
    assert _where(text) == ("Omaha", "68102", "US")


def test_a_chinese_address_in_brackets_after_the_site_it_names() -> None:
    text = "12月1号送到，送东莞仓（东莞市长安镇振安中路28号，邮编523850），不要送深圳。"
    assert _where(text) == ("东莞市", "523850", "CN")


def test_a_bracketed_address_after_a_delivery_cue() -> None:
    text = "麻烦12月4日前送到项目部（浙江省杭州市西湖区之江路788号 文化中心项目部，邮编310024）。"
    assert _where(text) == ("杭州市", "310024", "CN")
