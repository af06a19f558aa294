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
