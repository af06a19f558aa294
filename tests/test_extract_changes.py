"""Changes to an order: the quoted confirmation (in whatever layout we sent it)
gives the lines, the customer's new text says what to change."""

from __future__ import annotations

from datetime import date

from mailflow.extract import extract_order
from mailflow.extract.types import ExtractedOrder, Intent
from tests.fixtures.extract.builders import china_time, envelope, refdata

REPLY = {"subject": "RE: Order confirmation SO-26-2001", "in_reply_to": "<SO-26-2001@h.example>"}

BULLETED_QUOTE = (
    "From: Harbor Orders <orders@harbor-supply.example>\n"
    "Sent: 30 October 2026 11:00\n\n"
    "We confirm your order PO 7710:\n\n"
    "  * HLM-YEL      Safety helmet yellow ............. 20 each\n"
    "  * BLT-M6-30    Hex bolt M6 x 30 mm .............. 4 box (400 pcs)\n"
    "  * TPE-BRN-48   Packing tape brown 48 mm x 66 m .. 72 roll\n\n"
    "Planned delivery: Fri 13/11/2026 to 2 Mill Road, York YO1 7HH.\n"
)

NUMBERED_QUOTE = (
    "> Order Confirmation SO-26-2002\n"
    "> Your P.O.: 7711\n"
    "> Requested delivery: 2026-11-20\n>\n"
    "> 1) NUT-M6        Hex nut M6 zinc plated        5 boxes\n"
    "> 2) GLV-LTX-L     Latex gloves size L           10 boxes\n"
    "> 3) EAR-FOAM-100  Foam ear plugs                2 boxes\n"
)


def _order(text: str, quoted: str, **kwargs: object) -> ExtractedOrder:
    mail = envelope(text, quoted_text=quoted, **{**REPLY, **kwargs})  # type: ignore[arg-type]
    return extract_order(mail, refdata())


def _lines(order: ExtractedOrder) -> list[tuple[str | None, int | None]]:
    return [(line.sku, line.quantity) for line in order.lines]


def test_a_bulleted_quote_with_dot_leaders_gives_the_base_lines() -> None:
    # GIVEN our confirmation quoted as bullets with dot leaders
    text = "Could we change the bolts to 600 pcs please? Everything else the same."
    order = _order(text, BULLETED_QUOTE)
    # THEN the change applies to the quoted order, pieces converted to boxes
    assert order.intent == Intent.CHANGE
    assert _lines(order) == [("HLM-YEL", 20), ("BLT-M6-30", 6), ("TPE-BRN-48", 72)]


def test_a_numbered_quote_with_a_change_and_a_removal() -> None:
    text = (
        "One change please: bump the latex gloves up to 16 boxes, and take the ear plugs "
        "off - we have plenty. The rest stays as is."
    )
    order = _order(text, NUMBERED_QUOTE)
    assert _lines(order) == [("NUT-M6", 5), ("GLV-LTX-L", 16)]


def test_our_quoted_date_is_not_the_customers_unless_they_keep_it() -> None:
    # GIVEN a change that says nothing about the date
    changed = _order("Please make the nuts 8 boxes instead of 5.", NUMBERED_QUOTE)
    # THEN the date we quoted is not read as the customer's
    assert changed.requested_date is None
    # AND when the customer keeps the delivery date, it is the one we quoted
    kept = _order("Please make the nuts 8 boxes instead of 5, same delivery date.", NUMBERED_QUOTE)
    assert kept.requested_date == date(2026, 11, 20)


def test_a_chinese_change_from_one_amount_to_another_in_metres() -> None:
    quoted = (
        "------------------ 原始邮件 ------------------\n"
        "订单确认如下：\n\n"
        "行号  物料编码       品名                      数量   单位\n"
        "1     CBL-1.5-100    1.5平方铜芯电缆 100米/卷   3      卷\n"
        "2     NUT-M6         M6镀锌六角螺母             2      盒\n"
    )
    text = "您好，订单修改一下：1.5平方电缆由300米改为600米，其他不变。"
    order = _order(
        text,
        quoted,
        sender="li@hengda.example",
        subject="回复：订单确认",
        sent=china_time(2026, 11, 3),
    )
    assert (order.intent, _lines(order)) == (Intent.CHANGE, [("CBL-1.5-100", 6), ("NUT-M6", 2)])


def test_a_change_without_our_quote_gives_the_lines_it_names() -> None:
    # GIVEN a new e-mail (no reply, no quote) changing an order placed before
    text = "Hi, on our PO 7712 please change the yellow hard hats to 40 instead of 25."
    order = extract_order(envelope(text, subject="PO 7712"), refdata())
    # THEN it is a change, carrying the line it changes with its new quantity
    assert (order.intent, order.po_number) == (Intent.CHANGE, "7712")
    assert _lines(order) == [("HLM-YEL", 40)]


def test_adding_to_an_earlier_order_is_a_change() -> None:
    text = "Can we add 3 boxes of M6 nuts to PO 7712? Thanks."
    order = extract_order(envelope(text, subject="PO 7712"), refdata())
    assert (order.intent, _lines(order)) == (Intent.CHANGE, [("NUT-M6", 3)])


def test_adding_a_product_to_a_new_order_is_still_an_order() -> None:
    # GIVEN a new order that says "add ... to the order" but names no earlier order
    text = "Please send 10 M6 nut boxes. We'd also like to add 20 yellow hard hats to the order."
    order = extract_order(envelope(text), refdata())
    assert order.intent == Intent.ORDER


def test_accepting_our_quotation_is_an_order_with_the_quoted_lines() -> None:
    quoted = "> Quotation Q-26-3001\n> 1  HLM-YEL  Safety helmet yellow   20 each\n"
    order = _order("Yes please, go ahead.", quoted, subject="RE: Quotation Q-26-3001")
    assert (order.intent, _lines(order)) == (Intent.ORDER, [("HLM-YEL", 20)])


def test_accepting_a_quotation_with_a_bare_new_amount() -> None:
    quoted = (
        "> Quotation Q-26-3002\n> 1  HLM-YEL  Safety helmet yellow   20 each\n"
        "> 2  NUT-M6   Hex nut M6 zinc plated  4 box\n"
    )
    order = _order("Go ahead with the quote, but make the nuts 6.", quoted, subject="RE: Quote")
    assert _lines(order) == [("HLM-YEL", 20), ("NUT-M6", 6)]


def test_confirming_and_adding_a_product_is_a_change() -> None:
    text = "Confirmed, thanks. Could you also add 3 boxes of M6 nuts?"
    order = _order(text, "> 1  HLM-YEL  Safety helmet yellow   20 each\n")
    assert (order.intent, _lines(order)) == (Intent.CHANGE, [("HLM-YEL", 20), ("NUT-M6", 3)])
