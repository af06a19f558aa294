"""extract_order end to end over hand-written e-mails."""

from __future__ import annotations

from datetime import date

import pytest

from mailflow.extract import build_pipeline, extract_order
from mailflow.extract.types import Intent
from tests.fixtures.extract.builders import china_time, csv_attachment, envelope, refdata


def _lines(text: str, **kwargs: object) -> list[tuple[str | None, int | None]]:
    order = extract_order(envelope(text, **kwargs), refdata())  # type: ignore[arg-type]
    return [(line.sku, line.quantity) for line in order.lines]


def test_a_list_order_gives_one_line_per_product_in_sales_units() -> None:
    # GIVEN a buyer listing pieces, boxes and cases
    text = (
        "Please supply on PO# 881:\n\n"
        "- 2,000 M6x30 hex bolts\n- 3 bxs M6 nuts\n- 2 cases brown tape\n"
    )
    # WHEN extracted THEN quantities are in the catalog's sales units, in written order
    assert _lines(text) == [("BLT-M6-30", 20), ("NUT-M6", 3), ("TPE-BRN-48", 72)]


def test_prose_order_with_number_words() -> None:
    text = "Could we have two hundred of the 50x40x30 cartons and a dozen yellow hard hats please."
    assert _lines(text) == [("BOX-50", 200), ("HLM-YEL", 12)]


def test_unknown_product_in_a_list_has_no_sku() -> None:
    text = "1) 20 yellow hard hats\n2) cable ties 300mm x 10 bags\n"
    assert _lines(text) == [("HLM-YEL", 20), (None, 10)]


def test_chinese_order() -> None:
    # GIVEN a Chinese order with Chinese numerals and a delivery address
    text = (
        "请安排以下物料：\n黄色安全帽 五十顶\n乳胶手套 L码 20盒\n采购单号：HD-2611-03\n"
        "下周五前送到：江苏省苏州市吴中区长平路18号，邮编215100"
    )
    order = extract_order(
        envelope(text, sender="li@hengda.example", sent=china_time(2026, 11, 3)), refdata()
    )
    # THEN lines, PO, date and address are all read
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 50),
        ("GLV-LTX-L", 20),
    ]
    assert (order.language, order.customer_id, order.po_number) == ("zh", "T-CN", "HD-2611-03")
    assert order.requested_date == date(2026, 11, 13)
    assert order.ship_to is not None and order.ship_to.city == "苏州市"


def test_every_line_keeps_its_evidence_span() -> None:
    text = "Please send:\n20 yellow hard hats\n"
    order = extract_order(envelope(text), refdata())
    evidence = order.lines[0].evidence
    assert evidence is not None and evidence.start is not None
    assert text[evidence.start : evidence.end] == "20 yellow hard hats"


def test_confirmation_reply_has_no_lines_but_the_po_of_the_order() -> None:
    quoted = (
        "> Order confirmation: SO-26-1\n> Your PO: 881\n>\n"
        "> 1   HLM-YEL   Safety helmet yellow   20  each\n"
    )
    order = extract_order(
        envelope(
            "Looks good, please proceed.",
            subject="RE: Order confirmation SO-26-1",
            quoted_text=quoted,
        ),
        refdata(),
    )
    assert (order.intent, order.po_number, order.lines) == (Intent.CONFIRM, "881", [])


def test_change_reply_gives_the_whole_order_after_the_change() -> None:
    # GIVEN our confirmation quoted and a customer changing one line and dropping another
    quoted = (
        "> Your PO: 881\n> Requested delivery: 2026-11-20\n>\n"
        "> 1   HLM-YEL     Safety helmet yellow        20  each\n"
        "> 2   NUT-M6      Hex nut M6 zinc plated       3  box\n"
        "> 3   BLT-M6-30   Hex bolt M6 x 30 mm          5  box\n"
    )
    text = (
        "Small change - please make the hard hats 30 instead of 20 and drop the nuts. "
        "Rest as confirmed, same delivery date."
    )
    order = extract_order(
        envelope(text, subject="RE: Order confirmation", quoted_text=quoted), refdata()
    )
    # THEN the unchanged line comes from the quote and the date stays, as the customer says
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 30),
        ("BLT-M6-30", 5),
    ]
    assert order.requested_date == date(2026, 11, 20)


def test_cancellation() -> None:
    order = extract_order(
        envelope("Please cancel our order 881 in full.", subject="RE: Order 881"), refdata()
    )
    assert (order.intent, order.lines) == (Intent.CANCEL, [])


def test_question_without_ordering() -> None:
    text = "Quick question before I raise a PO - do you have the latex gloves in stock?"
    assert extract_order(envelope(text), refdata()).intent == Intent.QUESTION


def test_auto_reply_verdict_wins() -> None:
    order = extract_order(envelope("I am out of the office.", auto_reply=True), refdata())
    assert order.intent == Intent.AUTO_REPLY


def test_unknown_sender_has_no_customer() -> None:
    order = extract_order(
        envelope("20 yellow hard hats please", sender="x@unknown.example"), refdata()
    )
    assert order.customer_id is None


def test_asap_sets_the_flag_and_no_date() -> None:
    order = extract_order(envelope("Need 20 yellow hard hats ASAP please"), refdata())
    assert (order.requested_date, order.asap) == (None, True)


def test_customer_part_numbers_are_used() -> None:
    order = extract_order(
        envelope("TW-417 x 20"), refdata(), customer_aliases={"TW-417": "HLM-YEL"}
    )
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 20)]


def test_csv_attachment_lines() -> None:
    csv_text = (
        "Line,Description,Supplier SKU,Qty,UOM\n"
        "1,Yellow helmets,HLM-YEL,40,EA\n2,Latex gloves large,,10,BX\n"
    )
    mail = envelope("Please see attached PO 77.", attachments=[csv_attachment("po.csv", csv_text)])
    order = extract_order(mail, refdata())
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 40),
        ("GLV-LTX-L", 10),
    ]


def test_gbk_csv_attachment_lines() -> None:
    csv_text = "序号,物料编码,品名,数量,单位\n1,BOX-50,瓦楞纸箱,3000,个\n"
    mail = envelope(
        "明细见附件。", attachments=[csv_attachment("明细.csv", csv_text, encoding="gbk")]
    )
    assert [(line.sku, line.quantity) for line in extract_order(mail, refdata()).lines] == [
        ("BOX-50", 3000)
    ]


def test_html_table_lines() -> None:
    html = (
        "<p>Please process:</p><table>"
        "<tr><th>Item</th><th>Description</th><th>Qty</th><th>UOM</th></tr>"
        "<tr><td>NUT-M6</td><td>M6 nuts</td><td>4</td><td>BX</td></tr></table>"
    )
    mail = envelope(
        "Please process:\n\nItem  Description  Qty  UOM\nNUT-M6  M6 nuts  4  BX\n", html=html
    )
    assert [(line.sku, line.quantity) for line in extract_order(mail, refdata()).lines] == [
        ("NUT-M6", 4)
    ]


def test_pipeline_is_cached() -> None:
    assert build_pipeline("en", refdata()) is build_pipeline("en", refdata())


def test_a_newsletter_is_other_not_an_auto_reply() -> None:
    # GIVEN a mailing-list message full of order words, flagged only by its list headers
    text = "This week: order gloves by the case and put your PO number in the subject."
    mail = envelope(text, sender="news@digest.example", auto_reply=True, auto_reason="list")
    # THEN it is "other": nobody replied to anything
    assert extract_order(mail, refdata()).intent == Intent.OTHER


def test_an_out_of_office_with_list_headers_is_still_an_auto_reply() -> None:
    mail = envelope(
        "I am out of the office until Monday.", auto_reply=True, auto_reason="precedence"
    )
    assert extract_order(mail, refdata()).intent == Intent.AUTO_REPLY


@pytest.mark.parametrize(
    "text",
    [
        "请问乳胶手套L码现在有货吗？如果要五十盒，交期多久？确认后我们再下单。",
        "Do you have 40 yellow hard hats in stock? We'll send the PO once you confirm the price.",
    ],
)
def test_a_question_that_will_lead_to_an_order_is_a_question(text: str) -> None:
    order = extract_order(envelope(text), refdata())
    assert (order.intent, order.lines) == (Intent.QUESTION, [])


def test_a_forwarded_request_does_not_take_dates_from_the_forward_header() -> None:
    # GIVEN a buyer forwarding a colleague's request, the forward header in the new text
    text = (
        "Please supply the below, thanks.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Pat Doyle <pat@thornfield.example>\n"
        "Date: Fri, Oct 30, 2026 at 3:41 PM\n"
        "Subject: hats\n\n"
        "We need 25 yellow hard hats for the new starters.\n"
    )
    order = extract_order(envelope(text), refdata())
    # THEN the header's date and time are neither a date nor a line
    assert order.requested_date is None
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 25)]


def test_a_count_in_the_product_name_is_not_the_quantity() -> None:
    assert _lines("13件麻花钻头套装 两套\n12V充电起子 三把") == [("DRB-13", 2), ("SCR-12V", 3)]


def test_a_second_size_on_the_same_line_borrows_the_product() -> None:
    assert _lines("- 乳胶手套M码 六盒、L码 四盒") == [("GLV-LTX-M", 6), ("GLV-LTX-L", 4)]


def test_an_elliptic_dimension_borrows_the_noun_of_the_clause_before() -> None:
    # GIVEN a second box size with no noun of its own ("30x20x20的要…")
    text = "要订两种纸箱：50x40x30的大纸箱要三百个，30x20x20的要四捆（每捆50个），擦手纸要十卷。"
    # THEN it is the box of that size, and the bundles count boxes
    assert _lines(text) == [("BOX-50", 300), ("BOX-30", 200), ("TWL-200", 10)]


def test_a_customer_alias_has_priority_over_catalog_matching() -> None:
    # GIVEN a customer whose "standard nuts" are, per a clerk's correction, the M6 bolts
    aliases = {"standard nuts": "BLT-M6-30"}
    order = extract_order(envelope("3 boxes of standard nuts"), refdata(), customer_aliases=aliases)
    # THEN the alias decides, not the word "nuts"
    assert [(line.sku, line.quantity) for line in order.lines] == [("BLT-M6-30", 3)]
    # AND without the alias the catalog would have read the nuts
    assert _lines("3 boxes of standard nuts") == [("NUT-M6", 3)]


def test_a_mixed_language_email_is_reported_as_mixed() -> None:
    text = "Hi team, please arrange the following: 黄色安全帽 x 20, 乳胶手套L码 5盒. Thanks"
    order = extract_order(envelope(text), refdata())
    assert order.language == "mixed"
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 20),
        ("GLV-LTX-L", 5),
    ]


def test_short_list_items_joined_by_plus_signs() -> None:
    assert _lines("Pls send 20 yellow hard hats + 3 boxes M6 nuts + 2 hats more") == [
        ("HLM-YEL", 20),
        ("NUT-M6", 3),
        ("HLM-YEL", 2),
    ]


def test_a_product_named_by_a_unit_word_and_the_head_noun_decides() -> None:
    # GIVEN "pallets", a word both the pallets and the pallet wrap carry
    # WHEN read THEN the product whose name ends in it: the pallets
    assert _lines("Usual please - 12 x pallets, 6 x pallet wrap, hard hats white 10 off") == [
        ("PLT-EUR", 12),
        ("WRP-500", 6),
        (None, 10),
    ]
