"""Readings a careful clerk makes that simple rules miss: a product qualified
after a comma, a labelled count, a spec standing for a product, a count
written before a pack size, a unit after the product, misspelt number words,
Chinese month.day dates, a bare PO beside an order noun, an address
introduced by a colon line, and relative edits in Chinese."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from mailflow.extract import extract_order
from mailflow.extract.types import ExtractedOrder, Intent
from tests.fixtures.extract.builders import china_time, envelope, pdf_attachment, refdata

ZH_SENDER = "li@hengda.example"


def _order(text: str, **kwargs: object) -> ExtractedOrder:
    return extract_order(envelope(text, **kwargs), refdata())  # type: ignore[arg-type]


def _lines(text: str, **kwargs: object) -> list[tuple[str | None, int | None]]:
    return [(line.sku, line.quantity) for line in _order(text, **kwargs).lines]


def test_a_product_named_before_a_comma_and_qualified_after_it() -> None:
    # GIVEN list lines whose name runs on past a comma to the amount
    text = (
        "Please supply:\n"
        "1. M6 x 30 hex bolts, zinc plated - 600 pcs\n"
        "2. M6 hex nuts, zinc - 400 pcs\n"
    )
    # THEN each line is one product, pieces converted to boxes
    assert _lines(text) == [("BLT-M6-30", 6), ("NUT-M6", 2)]


def test_a_labelled_count_beats_a_number_inside_the_name() -> None:
    text = "Line 1 - Twist drill bit set, 13 pieces            Qty: 4\n"
    assert _lines(text) == [("DRB-13", 4)]


def test_a_paper_size_alone_names_the_paper() -> None:
    # GIVEN "1 case A3" between two other lines of one run-on sentence
    text = "pls send 5 bx M6 nuts, 1 case A3 and 20 yellow hard hats thx"
    # THEN the A3 is a line of its own, not a note on the nuts' packing
    assert _lines(text) == [("NUT-M6", 5), ("PPR-A3", 1), ("HLM-YEL", 20)]


def test_misspelt_number_words_still_count() -> None:
    assert _lines("Please send fourty yellow hard hats") == [("HLM-YEL", 40)]


def test_bags_of_a_stated_count_are_converted_through_the_items() -> None:
    # GIVEN bolts sold in boxes of 100, ordered as bags of 50
    text = "Order:\n- 4 bags of 50 M6x30 bolts\n- 2x brown tape cases\n"
    # THEN 200 bolts are 2 boxes, and the unit written after the tape counts
    assert _lines(text) == [("BLT-M6-30", 2), ("TPE-BRN-48", 72)]


def test_an_unknown_product_in_tubes_is_a_line_without_a_sku() -> None:
    text = "Please add to the order:\n- 20 yellow hard hats\n- 5 tubes of silicone sealant, clear\n"
    assert _lines(text) == [("HLM-YEL", 20), (None, 5)]


def test_a_chinese_month_dot_day_date_is_month_first() -> None:
    # GIVEN a Chinese customer (day-first country) writing "12.4前到货"
    order = _order(
        "黄色安全帽 五十顶\n12.4前到货。", sender=ZH_SENDER, sent=china_time(2026, 11, 3)
    )
    # THEN it is 4 December, as Chinese write month.day
    assert order.requested_date == date(2026, 12, 4)


def test_the_day_after_tomorrow_when_the_goods_are_needed() -> None:
    order = _order(
        "急需以下货物，后天要用：\n黄色安全帽 十顶", sender=ZH_SENDER, sent=china_time(2026, 11, 3)
    )
    assert order.requested_date == date(2026, 11, 5)


def test_a_bare_po_beside_an_order_noun_is_the_po_and_ours_is_not() -> None:
    order = _order(
        "你好，KX-JH-2611-15这单（你们的单号SO-2611-0099）先取消，项目暂停了。",
        sender=ZH_SENDER,
        subject="取消订单",
    )
    assert (order.intent, order.po_number) == (Intent.CANCEL, "KX-JH-2611-15")


def test_a_code_without_an_order_noun_is_no_po() -> None:
    order = _order("Please send 20 yellow hard hats. Part KX-JH-2611-15 is on the label.")
    assert order.po_number is None


def test_mail_not_about_orders_has_no_po() -> None:
    text = (
        "Dear team,\n\nWe have spare LCL capacity in December, rates from USD 38 per cbm.\n"
        "Quote reference FR-REF-77120 when booking.\n\nBest regards,\nA Forwarder"
    )
    order = _order(text, sender="sales@forwarder.example", subject="December freight rates")
    assert (order.intent, order.po_number) == (Intent.OTHER, None)


def test_an_address_introduced_by_a_colon_line_is_the_delivery_address() -> None:
    text = (
        "Order below:\n- 20 yellow hard hats\n\n"
        "Important, this one is for the depot, not the usual Mill Road:\n"
        "Thornfield Works - Depot 2\n5 Station Rise\nYork\nYO26 4XX\n\nThanks\n"
    )
    ship_to = _order(text).ship_to
    assert ship_to is not None and (ship_to.city, ship_to.postcode) == ("York", "YO26 4XX")


def test_a_billing_address_introduced_by_a_colon_line_is_not() -> None:
    text = (
        "Please send 20 yellow hard hats.\n\n"
        "Bill to:\nThornfield Works Ltd\n2 Mill Road\nYork\nYO1 7HH\n"
    )
    assert _order(text).ship_to is None


def test_order_lines_after_a_colon_line_are_not_an_address() -> None:
    # GIVEN a list whose last line carries a code shaped like a postcode
    text = "请按以下清单备货：\n1. 黄色安全帽 十顶\n2. 漏电保护器 DZ47LE 32A 20个\n"
    assert _order(text, sender=ZH_SENDER).ship_to is None


QUOTED_ZH = (
    "> 我司订单号：SO-2611-0100   贵司采购单号：HD-CG-0931\n"
    "> GLV-LTX-L     乳胶手套 L码              30 盒\n"
    "> GLV-LTX-M     乳胶手套 M码              20 盒\n"
)


def test_a_chinese_relative_edit_adds_to_the_size_it_names() -> None:
    # GIVEN "M码手套再加10盒" against a confirmation with M and L gloves
    order = _order(
        "您好，M码手套再加10盒，其他不变。",
        sender=ZH_SENDER,
        subject="回复：订单确认 SO-2611-0100",
        quoted_text=QUOTED_ZH,
        in_reply_to="<so-2611-0100@harbor.example>",
    )
    # THEN only the M line grows, by 10
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("GLV-LTX-L", 30),
        ("GLV-LTX-M", 30),
    ]


def test_a_price_beside_a_line_is_no_quantity_and_is_kept_per_sales_unit() -> None:
    # GIVEN prices written three ways: per each, per base item, and in Chinese
    order = _order(
        "Please send:\n- 20 yellow hard hats @ $11.50 each\n- 600 M6x30 bolts at US$0.13 ea\n"
    )
    lines = [(line.sku, line.quantity, line.stated_unit_price) for line in order.lines]
    # THEN the amounts are the counts, and the bolts' price is per box of 100
    assert lines == [("HLM-YEL", 20, Decimal("11.50")), ("BLT-M6-30", 6, Decimal("13.00"))]
    zh = _order("黄色安全帽 30顶，单价11元/顶", sender=ZH_SENDER).lines
    assert [(line.quantity, line.stated_unit_price) for line in zh] == [(30, None)]


def test_a_price_in_the_catalog_currency_without_a_unit_is_per_sales_unit() -> None:
    order = _order("Order: 3 boxes of M6 nuts, unit price USD 6.10\n")
    assert [(line.quantity, line.stated_unit_price) for line in order.lines] == [
        (3, Decimal("6.10"))
    ]


def test_sets_of_a_product_sold_in_boxes_count_its_items() -> None:
    assert _lines("M6x30螺栓 300套", sender=ZH_SENDER) == [("BLT-M6-30", 3)]


def test_colloquial_chinese_names_and_a_spec_between_commas() -> None:
    # GIVEN shop-floor words (螺帽 for 螺母, 螺丝 for 螺栓) and a length set off by commas
    text = "麻烦安排：\nM6螺帽　三盒\nM6的螺丝，30长的，先来四盒\n"
    assert _lines(text, sender=ZH_SENDER) == [("NUT-M6", 3), ("BLT-M6-30", 4)]


def test_swedish_unit_words() -> None:
    text = "Hej,\n\n- M6 hex nuts – 3 lådor\n- yellow hard hats – 12 st\n"
    assert _lines(text, sender="inkop@fjallbo.example") == [("NUT-M6", 3), ("HLM-YEL", 12)]


def test_a_line_taken_back_later_in_the_mail_is_dropped() -> None:
    text = "黄色安全帽　十顶\n乳胶手套L码　二十盒\n\n手套这次先不要了，上周刚补过。"
    assert _lines(text, sender=ZH_SENDER) == [("HLM-YEL", 10)]


QUOTATION = (
    "> Quotation Q-2611-07\n>\n"
    "> BLT-M6-30   Hex bolt M6 x 30 mm zinc plated   10 box  @ $12.40\n"
    "> NUT-M6      Hex nut M6 zinc plated             8 box  @ $6.10\n"
    "> HLM-YEL     Safety helmet yellow              20 each @ $11.00\n"
)


def test_an_order_on_our_quote_that_writes_its_lines_is_those_lines() -> None:
    # GIVEN a reply to our quotation that scratches a line and restates the rest
    text = (
        "Go with this but scratch the hard hats. So it's:\n\n"
        "M6x30 bolts - 15 boxes\nM6 nuts - 8 boxes\n"
    )
    order = _order(text, subject="Re: Quote Q-2611-07", quoted_text=QUOTATION, in_reply_to="<q@h>")
    assert order.intent == Intent.ORDER
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 15),
        ("NUT-M6", 8),
    ]


def test_needed_and_can_it_come_are_delivery_cues() -> None:
    # Monday 2 November: "Monday 9th" and "Friday 6th" are this month's
    assert _order("20 yellow hard hats. Needed Monday 9th.").requested_date == date(2026, 11, 9)
    order = _order("20 yellow hard hats. Can it come Friday 6th instead?")
    assert order.requested_date == date(2026, 11, 6)


def test_a_chinese_enquiry_that_will_order_later_is_a_question() -> None:
    text = "想咨询一下：M6螺母如果要十盒，什么时候能到货？确定后再下正式采购单。"
    order = _order(text, sender=ZH_SENDER, subject="咨询")
    assert (order.intent, order.lines) == (Intent.QUESTION, [])


def test_a_po_label_does_not_reach_across_a_blank_line() -> None:
    text = "Couple of quick ones before I raise a PO:\n\n1. Have you got M6 nuts in stock?\n"
    assert _order(text).po_number is None


def test_a_supplementary_order_is_an_order() -> None:
    order = _order(
        "追加一批：\n黄色安全帽　十顶\n", sender=ZH_SENDER, subject="PO: HD-2611-0120 追加订单"
    )
    assert (order.intent, order.po_number) == (Intent.ORDER, "HD-2611-0120")


def test_a_pdf_purchase_order_gives_date_address_and_po_the_body_leaves_out() -> None:
    # GIVEN a PO form whose header carries its own date, the delivery date and address
    pdf = pdf_attachment(
        "PO.pdf",
        [
            "PURCHASE ORDER",
            "PO No: TW-88297                    Date: 02/11/2026",
            "Delivery address: Thornfield Depot 2, 5 Station Rise, York, YO26 4XX",
            "Delivery date: 13/11/2026",
            "Item  Code        Description                  Qty   Unit",
            "1     HLM-YEL     Safety helmet yellow          20   each",
        ],
    )
    order = _order("Please find our purchase order attached.", attachments=[pdf])
    # THEN the document's own date is not the delivery date
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 20)]
    assert (order.po_number, order.requested_date) == ("TW-88297", date(2026, 11, 13))
    assert order.ship_to is not None and order.ship_to.postcode == "YO26 4XX"


def test_a_repeat_of_an_earlier_order_takes_its_lines_and_edits_but_not_its_po() -> None:
    text = (
        "Could you please send the same as our order 26-0815 below once more, only the "
        "hard hats we need double this time. New order number is 26-0902.\n"
    )
    quoted = (
        "Subject: Order 26-0815\n\nPlease deliver:\n\n"
        "Yellow hard hats - 10 pcs\nM6 nuts - 2 boxes\n"
    )
    order = _order(text, subject="New order 26-0902", quoted_text=quoted)
    assert order.po_number == "26-0902"
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 20), ("NUT-M6", 2)]


def test_chinese_address_given_as_follows_with_a_building_number() -> None:
    text = (
        "黄色安全帽　十顶\n请尽快发货，地址如下：\n"
        "江苏省苏州市吴中区长桥街道工业园8栋1楼\n邮编：215128"
    )
    ship_to = _order(text, sender=ZH_SENDER).ship_to
    assert ship_to is not None and (ship_to.city, ship_to.postcode) == ("苏州市", "215128")


def test_a_correction_sets_the_amount_of_the_line_just_written() -> None:
    text = (
        "pls send 20 bx M6 nuts, also 2 bx of the M6x30 bolts - actually make that 3. PO 4490 thx"
    )
    assert _lines(text) == [("NUT-M6", 20), ("BLT-M6-30", 3)]


def test_a_correction_later_in_the_mail_names_its_line_and_a_line_is_scratched() -> None:
    text = (
        "Please send us 10 boxes M6x30 bolts, 5 boxes M6 nuts and 20 yellow hard hats.\n\n"
        "Sorry, scratch the nuts, we found some. And make the bolts 12 boxes instead of 10.\n"
    )
    order = _order(text + "\nPO 4500123456\n")
    # THEN it stays an order, without the nuts and with 12 boxes of bolts
    assert order.intent == Intent.ORDER
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 12),
        ("HLM-YEL", 20),
    ]


def test_a_chinese_correction_of_an_amount_and_a_line_of_its_own_below() -> None:
    text = (
        "麻烦安排：\n"
        "瓦楞纸箱50x40x30 要八百个，不对，刚跟车间确认了，是一千二百个\n"
        "黄色安全帽 十顶\n"
    )
    assert _lines(text, sender=ZH_SENDER) == [("BOX-50", 1200), ("HLM-YEL", 10)]


def test_a_bare_number_in_a_later_sentence_corrects_nothing() -> None:
    text = "- 4 bxs M6 nuts\n\nIf short, we'd rather wait a day than receive two drops."
    assert _lines(text) == [("NUT-M6", 4)]


def test_the_line_just_written_is_taken_back_without_naming_it() -> None:
    text = "黄色安全帽 十顶\n乳胶手套L码 6盒 —— 算了，你们还没货，先不要了\nM6螺母 三盒\n"
    assert _lines(text, sender=ZH_SENDER) == [("HLM-YEL", 10), ("NUT-M6", 3)]


def test_a_qualifying_no_after_a_line_does_not_remove_it() -> None:
    assert _lines("- 4 bxs M6 nuts, not the stainless ones\n") == [("NUT-M6", 4)]


def test_a_purchasing_systems_po_from_a_no_reply_sender_is_an_order() -> None:
    text = (
        "Purchase Order 7731045\n\n"
        "Line  Item      Description            Qty  UOM\n"
        "1     HLM-YEL   Safety helmet yellow    20  EA\n"
    )
    order = _order(
        text,
        sender="no-reply-purchasing@thornfield.example",
        auto_reply=True,
        auto_reason="noreply",
    )
    assert (order.intent, [(line.sku, line.quantity) for line in order.lines]) == (
        Intent.ORDER,
        [("HLM-YEL", 20)],
    )


def test_an_out_of_office_from_a_no_reply_sender_stays_automatic() -> None:
    order = _order("I am out of the office until Monday.", auto_reply=True, auto_reason="noreply")
    assert order.intent == Intent.AUTO_REPLY


def test_an_order_on_our_quote_that_adds_lines_keeps_the_quoted_ones() -> None:
    # GIVEN a reply to our quotation that accepts it and writes two new products
    text = "Go ahead with the quote, and add 5 boxes of latex gloves M and 2 rolls brown tape."
    order = _order(text, subject="Re: Quote Q-2611-07", quoted_text=QUOTATION, in_reply_to="<q@h>")
    # THEN the quoted lines stay, with the new ones after them
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 10),
        ("NUT-M6", 8),
        ("HLM-YEL", 20),
        ("GLV-LTX-M", 5),
        ("TPE-BRN-48", 2),
    ]


def test_a_street_address_is_not_an_order_line() -> None:
    # GIVEN a ship-to block whose street name is also a product word
    text = (
        "Please send 20 yellow hard hats.\n\nShip To:\nPrairie DC\n1800 Pallet Way\nOmaha, NE 68102"
    )
    # THEN the street number is not a count of pallets
    assert _lines(text, sender="buyer@prairie.example") == [("HLM-YEL", 20)]


def test_a_count_times_an_inch_size_and_a_size_not_in_the_catalog() -> None:
    # GIVEN a list where "20 x 1/2\"" is a count and a size, and the 3/4" size
    # (not sold) runs on into a remark
    text = (
        "Hi,\n\n"
        '20 x 1/2" BSP hose fittings\n'
        "4 boxes M6 nuts\n"
        "10 x 3/4\" BSP hose fittings (if you don't do these, please just leave them\n"
        "off and let me know)\n"
    )
    # THEN the 1/2" fittings are the catalog's, and the 3/4" ones an unknown line
    assert _lines(text) == [("FIT-12", 20), ("NUT-M6", 4), (None, 10)]


def test_an_enquiry_for_pricing_and_availability_is_no_order() -> None:
    # GIVEN a prospect naming products and monthly volumes, asking for prices
    order = _order(
        "Hello,\n\nWe're looking for a new supplier. Could you send me pricing and current\n"
        "availability on:\n\n- yellow hard hats\n- M6 hex nuts\n\n"
        "We'd typically use around 200 hard hats and 50 boxes of nuts a month.",
        sender="buyer@newprospect.example",
    )
    # THEN it is a question, with no lines to confirm
    assert (order.intent, order.lines) == (Intent.QUESTION, [])


def test_an_order_promised_if_the_price_is_right_is_a_question() -> None:
    order = _order(
        "Looking for a price on 10 x 12V cordless screwdrivers. "
        "If the price is right we'd order before Christmas.",
        sender="buyer@newprospect.example",
    )
    assert order.intent == Intent.QUESTION


def test_a_forwarded_request_takes_the_forwarders_edit() -> None:
    # GIVEN a buyer forwarding a colleague's request and cutting one amount
    text = (
        "Please supply the below against PO 4523. I've cut the yellow hard hats\n"
        "down to 24 (not the 3 dozen Dave asked for), rest exactly as he's listed.\n\n"
        "-----Original Message-----\n"
        "From: Dave Pearson <d.pearson@thornfield.example>\n"
        "Sent: 16 November 2026 16:47\n"
        "To: Karen Holt <k.holt@thornfield.example>\n"
        "Subject: stores request\n\n"
        "Karen, can you order for stores:\n\n"
        "3 dozen yellow hard hats\n"
        "2 cases brown tape\n"
    )
    # THEN the hats are the forwarder's 24, once, and the tape is the forwarded 72 rolls
    assert _lines(text) == [("HLM-YEL", 24), ("TPE-BRN-48", 72)]


def test_the_only_date_ahead_in_an_order_is_its_delivery_date() -> None:
    # GIVEN an order whose one future date carries no delivery word
    order = _order(
        "Please send 20 yellow hard hats.\n\nThursday 12th November to Mill Road please."
    )
    # THEN it is the requested date, held with less confidence than a cued one
    assert order.requested_date == date(2026, 11, 12)
    assert order.confidence["requested_date"] < 0.9


def test_two_uncued_dates_ahead_give_no_requested_date() -> None:
    order = _order("Please send 20 yellow hard hats. Friday 6th or Monday 9th, either way.")
    assert order.requested_date is None


def test_same_again_on_a_new_po_repeats_our_quoted_confirmation_with_edits() -> None:
    # GIVEN a reply to an old confirmation asking for the same again, with edits
    order = _order(
        "Can we have the same again on a new PO# 4549 please, but double the hard hats\n"
        "and leave the nuts off this time. For Thursday 12th November.",
        subject="RE: Order confirmation SO-26-3100",
        in_reply_to="<SO-26-3100@harbor-supply.example>",
        quoted_text=(
            "> Order confirmation SO-26-3100\n> Your PO: TW-9001\n>\n"
            "> 1   HLM-YEL   Safety helmet yellow     20 each\n"
            "> 2   NUT-M6    Hex nut M6 zinc plated    5 box\n"
            "> 3   TPE-BRN-48  Packing tape brown    36 roll\n"
        ),
    )
    # THEN it is a new order on the new PO, the quoted lines edited
    assert (order.intent, order.po_number) == (Intent.ORDER, "4549")
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 40),
        ("TPE-BRN-48", 36),
    ]
    assert order.requested_date == date(2026, 11, 12)


def test_same_as_last_month_repeats_the_customers_own_quoted_order() -> None:
    order = _order(
        "Same as last month please but double the hard hats. New PO is TW-9107.",
        subject="RE: Monthly order - PO TW-9010",
        quoted_text=(
            "From: Karen Wu <buyer@thornfield.example>\n"
            "Sent: Monday, October 12, 2026 10:03 AM\n"
            "To: orders@harbor-supply.example\n"
            "Subject: Monthly order - PO TW-9010\n\n"
            "Hi, please send:\n- Yellow hard hats - 10\n- M6 hex nuts - 4 boxes\n"
        ),
    )
    assert (order.intent, order.po_number) == (Intent.ORDER, "TW-9107")
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 20), ("NUT-M6", 4)]


def test_a_terse_list_line_ends_with_its_count() -> None:
    # GIVEN a mobile order whose lines put a bare count after the product
    text = "for York, PO TW-4489\n\nbrown tape 3 cases\neuro pallets 20\nshipping boxes 50cm 200\n"
    # THEN each is a line; "Plant 1" in an address block is a place, not a count
    assert _lines(text) == [("TPE-BRN-48", 108), ("PLT-EUR", 20), ("BOX-50", 200)]


def test_a_numbered_place_is_not_a_count() -> None:
    text = (
        "Please send 20 yellow hard hats. This one goes to Plant 1 please:\n\n"
        "Thornfield Euro Pallets Plant 1\n12 Blackpole Road\nYork\nYO1 7HH"
    )
    assert _lines(text) == [("HLM-YEL", 20)]


def test_a_count_written_as_the_sets_contents_is_not_the_amount() -> None:
    # GIVEN "13pcs" describing a set the catalog names "13 pieces"
    assert _lines("请安排：\nTwist drill bit set 13pcs  4套\n", sender=ZH_SENDER) == [("DRB-13", 4)]


def test_a_numbered_place_before_a_product_in_the_next_sentence_is_no_line() -> None:
    text = (
        "Order attached.\n\nThursday 12th November to Plant 2 please. The yellow hard hats\n"
        "are for a site trial, so tell me if they will be late."
    )
    assert _lines(text) == []


def test_a_utc_date_header_is_read_in_the_chinese_customers_day() -> None:
    # GIVEN a Chinese customer's mail stamped 23:40 UTC: 07:40 the next morning in China
    sent = datetime(2026, 11, 18, 23, 40, tzinfo=UTC)
    order = _order("黄色安全帽 二十顶，明天下午前送到。", sender=ZH_SENDER, sent=sent)
    # THEN "明天" is the day after the customer's Thursday 19th
    assert order.requested_date == date(2026, 11, 20)


def test_a_change_keeping_something_as_before_is_no_repeat_order() -> None:
    # GIVEN replies to our confirmation that change a line and keep the rest "as before"
    quoted = (
        "> Order confirmation SO-26-3100\n> Your PO: TW-9001\n>\n"
        "> 1   HLM-YEL   Safety helmet yellow     20 each\n"
        "> 2   NUT-M6    Hex nut M6 zinc plated    5 box\n"
    )
    for text in (
        "Please change the hard hats to 30, delivery address same as before.",
        "送货地址老样子，螺母改成8盒。",
    ):
        order = _order(
            text,
            subject="RE: Order confirmation SO-26-3100",
            in_reply_to="<a@b>",
            quoted_text=quoted,
        )
        # THEN each stays a change of PO TW-9001
        assert (order.intent, order.po_number) == (Intent.CHANGE, "TW-9001")


def test_an_edit_in_a_reply_is_not_a_terse_list_line() -> None:
    # GIVEN a one-line reply to our confirmation that sets an amount
    order = _order(
        "Please make the hard hats 30.",
        subject="RE: Order confirmation SO-26-3100",
        in_reply_to="<a@b>",
        quoted_text=(
            "> Order confirmation SO-26-3100\n> 1   HLM-YEL   Safety helmet yellow   20 each\n"
        ),
    )
    # THEN it is not taken for a new order of 30 hard hats
    assert order.intent != Intent.ORDER


def test_a_forward_marked_only_by_its_header_block_takes_the_forwarders_edit() -> None:
    # GIVEN an Outlook forward: a rule and a From/Sent/To/Subject block, no marker line
    text = (
        "Dave's list is below - please put it through. I've cut the yellow hard hats\n"
        "down to 24 (not the 3 dozen he asked for).\n\n"
        "________________________________\n"
        "From: Dave Pearson <d.pearson@thornfield.example>\n"
        "Sent: 16 November 2026 16:47\n"
        "To: Karen Holt <k.holt@thornfield.example>\n"
        "Subject: stores request\n\n"
        "3 dozen yellow hard hats\n"
        "2 cases brown tape\n"
    )
    assert _lines(text) == [("HLM-YEL", 24), ("TPE-BRN-48", 72)]
