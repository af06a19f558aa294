"""More readings a careful clerk makes: a head noun settles which line an
edit names, a PO given by the words that put an order through, a PO glued
to a bare 单号, and others added with them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.message import EmailMessage

from mailflow.extract import extract_order
from mailflow.extract.types import ExtractedOrder, Intent
from mailflow.mail.parse import parse_envelope
from tests.fixtures.extract.builders import china_time, csv_attachment, envelope, refdata

ZH_SENDER = "li@hengda.example"

FORWARDED_LIST = (
    "________________________________\n"
    "From: Dave Pearson <d.pearson@thornfield.example>\n"
    "Sent: 16 November 2026 16:47\n"
    "To: Karen Holt <k.holt@thornfield.example>\n"
    "Subject: packing bench\n\n"
    "Karen, can you get these ordered:\n\n"
    "300 small shipping boxes\n"
    "1 case of stretch wrap\n"
    "10 euro pallets\n"
)


def _order(text: str, **kwargs: object) -> ExtractedOrder:
    return extract_order(envelope(text, **kwargs), refdata())  # type: ignore[arg-type]


def _lines(text: str, **kwargs: object) -> list[tuple[str | None, int | None]]:
    return [(line.sku, line.quantity) for line in _order(text, **kwargs).lines]


def _reply(text: str, *, quoted: str, number: str, **kwargs: object) -> ExtractedOrder:
    """A reply above our quoted confirmation ``number``, in the sender's language."""
    chinese = kwargs.get("sender") == ZH_SENDER
    subject = f"回复：订单确认 {number}" if chinese else f"RE: Order confirmation {number}"
    in_reply_to = f"<{number}@harbor-supply.example>"
    return _order(text, subject=subject, in_reply_to=in_reply_to, quoted_text=quoted, **kwargs)


def test_leaving_out_the_pallets_drops_the_pallets_not_the_pallet_wrap() -> None:
    # GIVEN a forwarded list with euro pallets and stretch wrap (alias "pallet wrap")
    text = "Hi, Dave's list is below - please leave out the pallets, we have plenty.\n\n"
    order = _order(text + FORWARDED_LIST)
    # THEN "the pallets" are the pallets by their head noun; the wrap stays
    assert [(line.sku, line.quantity) for line in order.lines] == [("BOX-30", 300), ("WRP-500", 6)]
    assert order.intent == Intent.ORDER


def test_a_po_given_by_putting_the_order_through_on_it() -> None:
    # GIVEN a forward passed on "to put through on" a number, with one line left out
    text = "Can you put it through on TH/26/1238, but leave out the pallets?\n\n"
    order = _order(text + FORWARDED_LIST)
    # THEN the number is the PO, and the forward is a new order, not a change
    assert order.po_number == "TH/26/1238"
    assert order.intent == Intent.ORDER
    assert [line.sku for line in order.lines] == ["BOX-30", "WRP-500"]


def test_a_po_glued_to_a_bare_dan_hao() -> None:
    # GIVEN a mobile order whose PO follows 单号 with no colon or space
    order = _order(
        "缠绕膜3箱，欧标木托盘20个，明天下午前送到。\n单号HD-PO-261119-2\n\n黄志强 137 1234 0099",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 19),
    )
    assert order.po_number == "HD-PO-261119-2"


def test_a_waybill_number_is_not_the_po() -> None:
    order = _order(
        "黄色安全帽 十顶，明天送到。\n快递单号SF-1234-5678-90",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 19),
    )
    assert order.po_number is None


def test_an_article_counts_one_item_of_an_enumeration() -> None:
    # GIVEN a mobile run-on list with "a cordless screwdriver" between counted items
    text = "hi can u get 10 hardhats, a cordless screwdriver + 2 drill bit sets thx"
    # THEN the hats keep their 10 (a closed compound "hardhats" is hard hats),
    # the screwdriver is one, and the sets are two
    assert _lines(text) == [("HLM-YEL", 10), ("SCR-12V", 1), ("DRB-13", 2)]


def test_a_sentence_opening_with_an_article_is_no_count() -> None:
    # GIVEN a second sentence that mentions a product with "A", not ordering it
    text = "Please send 10 yellow hard hats. A cordless screwdriver would be handy later on."
    # THEN the hats are the only line, and they keep their count
    assert _lines(text) == [("HLM-YEL", 10)]


def test_an_invoice_dispute_is_not_an_order() -> None:
    # GIVEN an invoice query that quotes the amount invoiced for a PO
    order = _order(
        "We have received your invoice INV-2026-10877 for our PO TH-8790.\n"
        "It charges 30 boxes of latex gloves (L), but our goods-received note shows\n"
        "only 25 boxes were delivered. Please issue a credit note for the 5 boxes.\n"
        "We will hold payment of this invoice until it is resolved.",
        subject="Invoice INV-2026-10877 - query",
    )
    # THEN it is accounts mail: no order, no lines, but the PO it is about
    assert order.intent == Intent.OTHER
    assert order.lines == []
    assert order.po_number == "TH-8790"


def test_a_new_invoice_address_is_not_an_order() -> None:
    order = _order(
        "Please note that from 1 December our accounts payable team moves. "
        "Please send all invoices to:\n\nThornfield Accounts\nPO Box 12\nYork\nYO1 7HH\n",
        subject="New invoice address",
    )
    assert order.intent == Intent.OTHER
    assert order.requested_date is None


def test_an_order_asking_for_the_invoice_to_go_to_accounts_stays_an_order() -> None:
    order = _order(
        "Please supply 20 yellow hard hats and 5 boxes of M6 nuts.\n"
        "Please send the invoice to accounts payable as usual."
    )
    assert order.intent == Intent.ORDER
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 20), ("NUT-M6", 5)]


QUOTED_CONFIRMATION_ZH = (
    "> 我司订单号：SO-2611-0200   贵司采购单号：HD-CG-1027\n"
    "> GLV-LTX-L     乳胶手套 L码              20 盒\n"
    "> EAR-FOAM-100  泡沫耳塞（100副/盒）        5 盒\n"
    "> TPE-BRN-48    棕色封箱胶带 48mm x 66m    36 卷\n"
)


def test_a_chinese_change_names_the_product_then_says_what_to_do() -> None:
    # GIVEN edits written as "product remark, edit" pairs and a product left out before
    order = _order(
        "这单有几处要改：耳塞报多了，改成300副就够；手套L码不够用，在原来基础上再加10盒；"
        "黄色安全帽上次漏报了，加12个。胶带照旧。",
        sender=ZH_SENDER,
        subject="回复：订单确认 SO-2611-0200（修改）",
        quoted_text=QUOTED_CONFIRMATION_ZH,
        in_reply_to="<so-2611-0200@harbor.example>",
    )
    # THEN 300 pairs are 3 boxes, the gloves grow by 10, the hats are added
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("GLV-LTX-L", 30),
        ("EAR-FOAM-100", 3),
        ("TPE-BRN-48", 36),
        ("HLM-YEL", 12),
    ]


def test_a_chinese_change_sends_the_goods_to_a_new_site() -> None:
    order = _order(
        "胶带照旧。另外星湖街那边暂停了，货改送独墅湖项目部：江苏省苏州市工业园区若水路99号 "
        "独墅湖项目部，邮编215123，联系人还是我。",
        sender=ZH_SENDER,
        subject="回复：订单确认 SO-2611-0200（修改）",
        quoted_text=QUOTED_CONFIRMATION_ZH,
        in_reply_to="<so-2611-0200@harbor.example>",
    )
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode) == ("苏州市", "215123")


def test_an_address_in_a_sentence_that_the_goods_ship_to() -> None:
    # GIVEN a US address inside prose, with "ships THERE" after it
    order = _order(
        "We picked up the contract at 300 N LaSalle St, Chicago IL 60654\n"
        "so this one ships THERE, not Elm St.\n\n- 20 yellow hard hats\n",
        sender="buyer@prairie.example",
    )
    assert order.ship_to is not None
    assert (order.ship_to.street, order.ship_to.city, order.ship_to.postcode) == (
        "300 N LaSalle St",
        "Chicago",
        "60654",
    )


def test_an_address_the_goods_are_got_out_to() -> None:
    order = _order(
        "can u get 10 yellow hard hats out to Darnall Works, 55 Greenland Road,\n"
        "Sheffield S9 5GE first thing tomorrow"
    )
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode) == ("Sheffield", "S9 5GE")


def test_an_address_in_prose_with_no_delivery_words_is_not_a_ship_to() -> None:
    # GIVEN an office address in a sentence, and someone to reach out to
    order = _order(
        "Please send 10 yellow hard hats. Our new office is at 300 N LaSalle St,\n"
        "Chicago IL 60654 - reach out to 300 N LaSalle St, Chicago IL 60654 reception.",
        sender="buyer@prairie.example",
    )
    assert order.ship_to is None


QUOTATION = (
    "> Quotation Q-2611-09\n>\n"
    "> BLT-M6-30   Hex bolt M6 x 30 mm zinc plated   10 box  @ $12.40\n"
    "> NUT-M6      Hex nut M6 zinc plated             8 box  @ $6.10\n"
    "> HLM-YEL     Safety helmet yellow              20 each @ $11.00\n"
)


def test_a_checked_and_confirmed_chinese_reply_confirms() -> None:
    order = _order(
        "您好，\n\n已核对，确认。电缆现货够的话就一次发齐吧。",
        sender=ZH_SENDER,
        subject="回复：订单确认 SO-2611-0200 / HD-CG-1027",
        quoted_text=QUOTED_CONFIRMATION_ZH,
        in_reply_to="<so-2611-0200@harbor.example>",
    )
    assert order.intent == Intent.CONFIRM
    assert order.po_number == "HD-CG-1027"


def test_an_enquiry_that_orders_after_approval_is_a_question() -> None:
    order = _order(
        "麻烦先报个价并告知交期：\n1. 黄色安全帽，约200顶\n2. 棕色封箱胶带，约60卷\n\n"
        "如果能在12月10日前到货，我们走完内部审批后再正式下单。",
        sender=ZH_SENDER,
    )
    assert order.intent == Intent.QUESTION
    assert order.lines == []


def test_please_do_not_order_yet_is_a_question() -> None:
    order = _order(
        "想咨询：乳胶手套L码现在有货吗？我们后面大概需要30盒。\n预算还没批下来，请先不要下单，谢谢。",
        sender=ZH_SENDER,
    )
    assert order.intent == Intent.QUESTION


def test_a_cancel_that_says_do_not_ship_is_still_a_cancel() -> None:
    order = _order(
        "HD-CG-1027 这张采购单请全部取消，不要发货了。",
        sender=ZH_SENDER,
        subject="回复：订单确认 SO-2611-0200 / HD-CG-1027",
        quoted_text=QUOTED_CONFIRMATION_ZH,
        in_reply_to="<so-2611-0200@harbor.example>",
    )
    assert order.intent == Intent.CANCEL


def test_a_purchase_number_label_and_a_new_order_number_in_a_reply() -> None:
    assert (
        _order("黄色安全帽 五十顶\n采购编号：XH-2612-003", sender=ZH_SENDER).po_number
        == "XH-2612-003"
    )
    # GIVEN a reply on an old PO that places another order under a new number
    order = _order(
        "再补一单，新单号 HD-PO-261210-2：\n黄色安全帽 十顶\n下面那张单照常发，不要重复下单。",
        sender=ZH_SENDER,
        subject="回复：采购单 HD-PO-261207-1",
        quoted_text="> 采购单号：HD-PO-261207-1\n> 乳胶手套 L码 20盒\n",
        in_reply_to="<x@hengda.example>",
    )
    assert order.po_number == "HD-PO-261210-2"


def test_an_urgent_new_order_is_not_a_change() -> None:
    # GIVEN "再加急要一批" (another rush batch), which holds 再加 but adds to nothing
    order = _order(
        "再加急要一批，黄色安全帽二十顶，封箱胶带一箱，明天能送到吗？单号 HD-PO-261217-1。",
        sender=ZH_SENDER,
    )
    assert order.intent == Intent.ORDER
    assert order.po_number == "HD-PO-261217-1"


def test_a_remittance_advice_names_no_po() -> None:
    order = _order(
        "Please find attached remittance advice for a BACS payment made today.\n\n"
        "Payment reference: TH-BACS-0009817\nInvoices: INV-26-08841, INV-26-08877",
        subject="Remittance advice - TH-BACS-0009817",
    )
    assert order.intent == Intent.OTHER
    assert order.po_number is None


def test_could_we_get_with_a_po_and_a_drop_off_address_is_an_order() -> None:
    # GIVEN an order that names its PO and says "rather than" about the address
    order = _order(
        "Hi, doing the PPE order this week. po 4519.\n\n"
        "Could we get 20 yellow hard hats and 5 boxes of large latex gloves?\n\n"
        "Can it come next Tues and drop it at Unit 6 rather than Goods In - "
        "Unit 6 Canal Street, Leeds LS1 4AB, its the door round the back."
    )
    assert order.intent == Intent.ORDER
    assert order.ship_to is not None
    assert (order.ship_to.street, order.ship_to.city) == ("Unit 6 Canal Street", "Leeds")


def test_skipping_a_quoted_line_removes_it() -> None:
    order = _order(
        "Thanks for the quote. Please go ahead - we'll skip the hard hats for now.",
        subject="Re: Quote Q-2611-09",
        quoted_text=QUOTATION,
        in_reply_to="<q@h>",
    )
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 10),
        ("NUT-M6", 8),
    ]


def test_before_christmas_is_christmas_as_before_any_day_is_that_day() -> None:
    order = _order("10 yellow hard hats. Before christmas pls, to the yard as normal.")
    assert order.requested_date == date(2026, 12, 25)


def test_for_christmas_is_not_a_delivery_date() -> None:
    # GIVEN "disappear for Christmas" beside a cued delivery date in January
    order = _order(
        "Before we all disappear for Christmas - can you book this in? 10 yellow hard hats.\n"
        "Delivery Monday 4th Jan please. Merry Christmas!"
    )
    assert order.requested_date == date(2027, 1, 4)


def test_yuan_dan_qian_is_new_years_day() -> None:
    order = _order(
        "黄色安全帽 十顶，请元旦前送到。", sender=ZH_SENDER, sent=china_time(2026, 12, 10)
    )
    assert order.requested_date == date(2027, 1, 1)


def test_before_thanksgiving_is_thanksgiving() -> None:
    order = _order("10 yellow hard hats needed before Thanksgiving.", sender="b@prairie.example")
    assert order.requested_date == date(2026, 11, 26)


def test_tmrw_is_tomorrow() -> None:
    assert _order("10 yellow hard hats tmrw am pls").requested_date == date(2026, 11, 3)


def test_a_wish_gives_way_to_a_deadline() -> None:
    order = _order(
        "10 yellow hard hats. Before Thanksgiving would be great, but Monday 11/30 at the latest.",
        sender="b@prairie.example",
    )
    assert order.requested_date == date(2026, 11, 30)


def test_a_chinese_day_alone_is_a_date_but_a_numbered_store_is_not() -> None:
    order = _order(
        "黄色安全帽 十顶，送到2号仓。交货日期还是13号。",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 6),
    )
    assert order.requested_date == date(2026, 11, 13)
    order = _order(
        "黄色安全帽 十顶，明天送到2号仓。", sender=ZH_SENDER, sent=china_time(2026, 11, 6)
    )
    assert order.requested_date == date(2026, 11, 7)


def test_a_bracketed_count_opens_a_line_but_a_list_number_does_not_count() -> None:
    text = (
        "I'd like to place the following order:\n\n"
        "- (4) 12V cordless screwdrivers\n"
        "- (3) twist drill bit sets, 13 pieces\n"
        "(1) 20 yellow hard hats\n"
    )
    assert _lines(text) == [("SCR-12V", 4), ("DRB-13", 3), ("HLM-YEL", 20)]


def test_a_count_times_a_length_of_a_product_not_sold_by_length() -> None:
    # GIVEN "2x 100m" of cable sold by the roll (a length) and "10x 5m" as a spec
    text = "can I get\n\n2x 100m 1.5mm cable\n10x 15m brown tape\n"
    # THEN the cable is 200 m = 2 rolls; the tape is 10 rolls, not 150
    assert _lines(text) == [("CBL-1.5-100", 2), ("TPE-BRN-48", 10)]


def test_a_withdrawal_with_found_a_box_changes_no_other_line() -> None:
    text = (
        "can I get\n\n10 yellow hard hats\n6 boxes of M6 nuts\n2 12v drivers\n\n"
        "actually scrap the nuts, just found a box in the container.\n"
    )
    assert _lines(text) == [("HLM-YEL", 10), ("SCR-12V", 2)]


def test_forget_the_product_found_a_box_of_them() -> None:
    text = (
        "can you get these ordered\n\nbrown tape - 2 cases\n"
        "and a couple of A3 paper - ah actually forget the A3 paper found a box of it\n"
    )
    assert _lines(text) == [("TPE-BRN-48", 72)]


CONFIRMATION_EN = (
    "> Order confirmation SO-26-3100\n> Your PO: TW-9001\n>\n"
    "> 1   HLM-YEL   Safety helmet yellow     20 each\n"
    "> 2   NUT-M6    Hex nut M6 zinc plated    5 box\n"
    "> 3   TPE-BRN-48  Packing tape brown    36 roll\n"
)


def _change(text: str) -> list[tuple[str | None, int | None]]:
    order = _reply(
        text,
        quoted=CONFIRMATION_EN,
        number="SO-26-3100",
    )
    return [(line.sku, line.quantity) for line in order.lines]


def test_a_numbered_change_names_the_product_before_a_dash() -> None:
    text = (
        "Two changes please:\n\n1. Packing tape - increase to 2 cases\n2. M6 nuts - please remove\n"
    )
    assert _change(text) == [("HLM-YEL", 20), ("TPE-BRN-48", 72)]


def test_throwing_in_half_a_dozen_adds_a_product() -> None:
    text = "Bump the hard hats up to 30 and throw in half a dozen 12v drivers as well. Nuts stay."
    assert _change(text) == [("HLM-YEL", 30), ("NUT-M6", 5), ("TPE-BRN-48", 36), ("SCR-12V", 6)]


def test_a_repeat_of_a_named_months_order_with_its_differences() -> None:
    # GIVEN "repeat our November order" above the customer's own quoted order
    order = _order(
        "Could we repeat our November order (copied below) on new PO TH/26/1270 please,\n"
        "with two differences:\n"
        "- only 15 of the yellow hard hats this time instead of 20\n"
        "- no nuts\n",
        subject="PO TH/26/1270 - repeat of November order",
        quoted_text=(
            "From: Buyer\nSubject: Purchase order TH/26/1182\n\n"
            "Please see below our purchase order TH/26/1182.\n\n"
            "20 yellow hard hats\n5 boxes M6 nuts\n1 case brown tape\n"
        ),
    )
    assert (order.intent, order.po_number) == (Intent.ORDER, "TH/26/1270")
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 15),
        ("TPE-BRN-48", 36),
    ]


def test_a_forward_to_supply_except_one_product() -> None:
    text = (
        "Please supply the items in Dave's note below, except the stretch wrap - "
        "we get that elsewhere.\n\n" + FORWARDED_LIST
    )
    assert _lines(text) == [("BOX-30", 300), ("PLT-EUR", 10)]


def test_except_then_an_edit_sets_the_product_it_names() -> None:
    text = "All as confirmed, except the hard hats, make those 30 please."
    assert _change(text) == [("HLM-YEL", 30), ("NUT-M6", 5), ("TPE-BRN-48", 36)]


def test_traditional_chinese_is_read_like_simplified() -> None:
    # GIVEN a big5-style order from Taiwan: 銅芯電纜, 棕色封箱膠帶, 郵編
    text = (
        "安亭二號倉需要以下材料，麻煩安排：\n\n"
        "品名            數量\n"
        "1.5平方銅芯電纜     500米\n"
        "棕色封箱膠帶       2箱\n\n"
        "採購單號：HD-20261211-03\n"
        "請於12月18日或之前送達：江蘇省蘇州市工業園區星湖街88號 恆達二號倉，郵編215021"
    )
    order = _order(text, sender=ZH_SENDER, sent=china_time(2026, 12, 10))
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("CBL-1.5-100", 5),
        ("TPE-BRN-48", 72),
    ]
    assert order.po_number == "HD-20261211-03"
    assert order.requested_date == date(2026, 12, 18)
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode) == ("苏州市", "215021")
    # AND the evidence's offsets still point at what the customer wrote
    evidence = order.lines[0].evidence
    assert evidence is not None and evidence.start is not None and evidence.end is not None
    assert "銅芯電纜" in text[evidence.start : evidence.end]


def test_a_box_named_by_its_leading_dimension() -> None:
    # GIVEN "30的纸箱" (the 30 box) beside the 50 x 40 x 30 box and M6 x 30 bolts
    order = _order("再加急要一批，30的纸箱两千个，封箱胶带一箱。", sender=ZH_SENDER)
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BOX-30", 2000),
        ("TPE-BRN-48", 36),
    ]


def test_rolls_of_a_stated_length_of_a_product_sold_by_the_metre() -> None:
    # GIVEN a table whose unit column says "rolls of 50 m" for hose sold per metre
    text = (
        "New order below.\n\n"
        "Article                      Qty   Unit\n"
        'Hydraulic hose 1/2"          2     rolls of 50 m\n'
        "Cordless screwdriver 12V     2     pcs\n"
    )
    assert _lines(text) == [("HSE-12", 100), ("SCR-12V", 2)]
    # AND in prose as well
    assert _lines("Please send 3 rolls of 25 m of the 1/2 hydraulic hose") == [("HSE-12", 75)]


def test_a_sheet_row_struck_out_in_its_remark_column_orders_nothing() -> None:
    sheet = csv_attachment(
        "po.csv",
        "品名,数量,单位,备注\n黄色安全帽,20,顶,\n12V充电起子,1,把,领导未批，取消\n棕色封箱胶带,2,箱,\n",
    )
    order = _order(
        "附件为采购单，请元旦前送到。",
        sender=ZH_SENDER,
        attachments=[sheet],
        sent=china_time(2026, 12, 10),
    )
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 20),
        ("TPE-BRN-48", 72),
    ]


def test_a_pasted_sheet_row_with_an_empty_first_cell_keeps_its_columns() -> None:
    # GIVEN rows pasted from a sheet, one without a part number
    text = (
        "PO# 4496 please, pasted from our sheet:\n\n"
        "Part No\tDescription\tQty\tUnit\n"
        "HLM-YEL\tSafety helmet yellow\t20\tea\n"
        "\t1.5mm cable\t200\tm\n"
        "NUT-M6\tHex nut M6\t2\tboxes\n"
    )
    assert _lines(text) == [("HLM-YEL", 20), ("CBL-1.5-100", 2), ("NUT-M6", 2)]


def test_a_chinese_address_written_in_english() -> None:
    order = _order(
        "Pls arrange below goods under our PO HD-PO-261127-2:\n\n"
        "1) Yellow hard hats - 20 pcs\n\n"
        "Pls note this shipment goes to our NEW Huizhou warehouse, not Suzhou:\n"
        "Hengda (Huizhou) Warehouse\n"
        "No. 8 Xinxing Road, Zhongkai Hi-tech Zone\n"
        "Huizhou, Guangdong 516006\n"
        "Contact: Mr. Liu 138 2345 6789\n",
        sender=ZH_SENDER,
    )
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode, order.ship_to.country) == (
        "Huizhou",
        "516006",
        "CN",
    )


def test_a_six_digit_number_in_prose_is_no_chinese_postcode() -> None:
    order = _order("Please deliver 20 yellow hard hats to site. Ref Leeds 516006 on the docket.")
    assert order.ship_to is None


def test_an_unknown_product_in_prose_among_order_lines_is_a_line_without_sku() -> None:
    # GIVEN prose orders with a product we do not sell, in English and Chinese
    text = (
        "We'll need five boxes of M6 nuts and twenty yellow hard hats. Also one box of\n"
        "M12x80 bolts if you can get hold of them (I know they're not on your list)."
    )
    assert _lines(text) == [("NUT-M6", 5), ("HLM-YEL", 20), (None, 1)]
    order = _order(
        "先备一批：黄色安全帽30顶，白色安全帽20顶（给管理人员戴），棕色封箱胶带两箱。",
        sender=ZH_SENDER,
    )
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 30),
        (None, 20),
        ("TPE-BRN-48", 72),
    ]


def test_a_box_of_them_in_prose_is_no_unknown_line() -> None:
    text = "Please send 20 yellow hard hats. The nuts can wait, we found a box of them in stores."
    assert _lines(text) == [("HLM-YEL", 20)]
    text = "Please send 20 yellow hard hats; we still have 2 boxes of ours from last time."
    assert _lines(text) == [("HLM-YEL", 20)]


def test_a_pack_content_in_brackets_is_not_the_unit_of_the_count() -> None:
    assert _lines("Please supply:\n  2 x boxes foam ear plugs (100 pr)\n") == [("EAR-FOAM-100", 2)]


def test_a_spaced_multiplier_before_a_spec_mid_sentence() -> None:
    # GIVEN "2 x 12v drivers" inside a sentence, and a size "60 x 40cm" that is no count
    assert _lines("hi, can you send 2 x 12v drivers and 5 boxes of M6 nuts asap") == [
        ("SCR-12V", 2),
        ("NUT-M6", 5),
    ]
    assert _lines("Please send 20 brown tape, the box is 60 x 40cm") == [("TPE-BRN-48", 20)]


def test_an_ampersand_lists_and_chat_tails_do_not_join_the_last_line() -> None:
    text = (
        "Hi can u send 300 of the small shipping boxes, 6 rolls brown tape & 10 reams "
        "A3 for mon pls, PO to follow. Ta Tom"
    )
    assert _lines(text) == [("BOX-30", 300), ("TPE-BRN-48", 6), ("PPR-A3", 2)]


def test_a_specification_only_one_product_has_names_it() -> None:
    # GIVEN "the 1.5mm²" with no noun, accepting our quotation with an amount changed
    text = "we'll only need 3 rolls of the 1.5mm² not 5, and 20 yellow hard hats"
    assert _lines(text) == [("CBL-1.5-100", 3), ("HLM-YEL", 20)]


def test_duo_yao_adds_to_the_line_it_names() -> None:
    order = _order(
        "老样子再来一份，手套L码多要10盒。采购单号 HD-2611-041。",
        sender=ZH_SENDER,
        subject="回复：订单确认 SO-2611-0200",
        quoted_text=QUOTED_CONFIRMATION_ZH,
        in_reply_to="<so-2611-0200@harbor.example>",
    )
    assert (order.intent, order.po_number) == (Intent.ORDER, "HD-2611-041")
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("GLV-LTX-L", 30),
        ("EAR-FOAM-100", 5),
        ("TPE-BRN-48", 36),
    ]


def test_the_same_in_another_size() -> None:
    text = "Could we get two boxes of the latex gloves in large and the same in medium?"
    assert _lines(text) == [("GLV-LTX-L", 2), ("GLV-LTX-M", 2)]


def test_accepting_a_quotation_by_its_line_numbers() -> None:
    # GIVEN an acceptance that edits and drops lines of our quotation by number
    order = _order(
        "OK to proceed on Q-2611-09 under PO 2026-TH-0502, line numbers as per your quote:\n\n"
        "Lines 1 and 2 as quoted.\n"
        "Line 3 (hard hats) - 12 rather than 20.\n"
        "Please drop line 2 after all, we found nuts in stores.\n",
        subject="Re: Quote Q-2611-09",
        quoted_text=QUOTATION,
        in_reply_to="<q@h>",
    )
    # THEN it is a new order on the quotation, line 3 set to 12 and line 2 dropped
    assert (order.intent, order.po_number) == (Intent.ORDER, "2026-TH-0502")
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 10),
        ("HLM-YEL", 12),
    ]


def test_a_production_line_number_in_a_new_order_is_no_reference() -> None:
    text = (
        "Running low on the line 3 packing bench. Can you get these ordered:\n\n"
        "20 yellow hard hats\n"
    )
    assert _lines(text) == [("HLM-YEL", 20)]


def test_withdrawing_a_line_by_name_leaves_a_product_whose_name_holds_its_amount() -> None:
    # GIVEN a withdrawn line whose "13盒" would match the "13 pieces" of the drill set
    text = (
        "仓库这边要补点工具：\n13件麻花钻头套装 三套\n"
        "乳胶手套L码 13盒 —— 手套先不要了，上周的还没用完\n"
    )
    order = _order(text, sender=ZH_SENDER)
    assert [(line.sku, line.quantity) for line in order.lines] == [("DRB-13", 3)]


def test_tuesday_week_is_a_week_on_tuesday() -> None:
    # GIVEN a Monday e-mail (2 November) asking for "Tuesday week (10th)"
    order = _order("20 yellow hard hats. Delivery Tuesday week (10th) to Goods In please.")
    assert order.requested_date == date(2026, 11, 10)


def test_an_unknown_senders_numeric_date_is_the_nearer_reading_ahead() -> None:
    # GIVEN a sender we do not know writing "12/4" in November
    order = _order(
        "We'd like to place a first order: 20 yellow hard hats. Need it by 12/4 if possible.",
        sender="buyer@newmarine.example",
    )
    assert order.requested_date == date(2026, 12, 4)
    # AND a past reading is never the nearer one: "10/12/2026" is 10 December
    order = _order(
        "Please send 20 yellow hard hats. Ideally before 10/12/2026.",
        sender="buyer@newmarine.example",
    )
    assert order.requested_date == date(2026, 12, 10)


def test_thats_all_fine_go_ahead_confirms() -> None:
    order = _reply(
        "That's all fine, go ahead. Could the driver use the side gate please?",
        quoted=CONFIRMATION_EN,
        number="SO-26-3100",
    )
    assert (order.intent, order.po_number) == (Intent.CONFIRM, "TW-9001")


def test_bumping_a_line_up_by_an_amount_adds_to_it() -> None:
    text = "Changes on this one - bump the hard hats up by 5, and take the nuts off. Same date."
    assert _change(text) == [("HLM-YEL", 25), ("TPE-BRN-48", 36)]


def test_the_same_in_another_size_shows_what_was_written() -> None:
    text = "Could we get two boxes of the latex gloves in large and the same in medium?"
    medium = _order(text).lines[1]
    assert (medium.sku, medium.written_quantity) == ("GLV-LTX-M", "the same")


def test_a_box_named_by_its_dimensions_after_a_comma_is_a_line_of_its_own() -> None:
    # GIVEN a mobile Chinese order: the second box named only by its size
    text = "老样子：50x40x30纸箱300个，30x20x20的500个，缠绕膜两箱。"
    # THEN each size is its own line, not an amount joined to the first box
    assert _lines(text, sender=ZH_SENDER, sent=china_time(2026, 11, 19)) == [
        ("BOX-50", 300),
        ("BOX-30", 500),
        ("WRP-500", 12),
    ]


def test_a_count_after_a_trade_name_with_a_number_is_the_count() -> None:
    # GIVEN a list line naming the spray by its trade name, then "x 24"
    text = "Please send:\n- WD-40 x 24\n- earplugs - 2 boxes\n"
    # THEN "40 x 24" is no size: 24 cans
    assert _lines(text) == [("SPR-400", 24), ("EAR-FOAM-100", 2)]


def test_cartons_of_a_stated_size_and_an_amount_restated_in_brackets() -> None:
    # GIVEN a Swedish buyer's list: wire with its weight restated, grease "à 12"
    text = (
        "Please deliver:\n"
        "MIG wire ER70S-6 0,8 mm  -  4 spools (60 kg)\n"
        "EP2 grease  -  2 cartons à 12 pcs\n"
    )
    # THEN the wire is named although "(60 kg)" is no spec of a 15 kg spool,
    # and the grease is 2 cartons of 12 cartridges
    assert _lines(text, sender="inkop@fjallbo.example") == [("WIR-08", 4), ("GRS-EP2", 24)]


PACKING_CONFIRMATION = (
    "> Order confirmation SO-26-3140\n> Your PO: TW-9040\n>\n"
    "> 1   WRP-500   Stretch film 500 mm x 300 m     6 roll\n"
    "> 2   BOX-50    Corrugated box 50 x 40 x 30 cm  400 each\n"
    "> 3   PLT-EUR   Wooden pallet EUR 1200 x 800    10 each\n"
)


def test_adding_more_of_a_unit_that_names_a_line_adds_to_that_line() -> None:
    # GIVEN a change whose only product word is the amount's unit ("5 pallets")
    order = _reply(
        "Couple of changes please:\n\n- add another 5 pallets, so 15 in total\n",
        quoted=PACKING_CONFIRMATION,
        number="SO-26-3140",
    )
    # THEN the pallets grow to 15; the pallet wrap is no pallet
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("WRP-500", 6),
        ("BOX-50", 400),
        ("PLT-EUR", 15),
    ]


def test_a_list_line_withdrawn_on_the_same_line_orders_nothing() -> None:
    # GIVEN a numbered list whose second line is taken back after its amount
    text = (
        "Could you put the following through please:\n\n"
        " 1. 1.5mm cable – 4 rolls\n"
        " 2. ear plugs x 4 – scratch that, the stores are sorting those\n"
        " 3. 12v drivers x 2\n"
    )
    # THEN the withdrawn line is gone and the lines around it stay
    assert _lines(text) == [("CBL-1.5-100", 4), ("SCR-12V", 2)]


def test_a_condition_on_a_line_already_ordered_orders_nothing_more() -> None:
    # GIVEN a plain-text table, then a sentence about one of its lines
    text = (
        "PO#: TW-4493\n\n"
        "QTY   UOM   ITEM\n"
        " 20   RL    1.5mm2 copper cable 100m\n"
        "  2   BX    foam ear plugs\n"
        "  1   EA    12V cordless screwdriver\n\n"
        "If you can't do all 20 rolls of the 1.5mm2 cable send what you have\n"
        "and backorder the rest.\n"
    )
    # THEN the cable is one line of 20, not two
    assert _lines(text) == [("CBL-1.5-100", 20), ("EAR-FOAM-100", 2), ("SCR-12V", 1)]


def test_a_condition_in_prose_refers_to_the_line_before_it() -> None:
    text = (
        "Please send 10 boxes of M6 nuts and 20 rolls of 1.5mm cable. "
        "If you only have 10 rolls of the cable, send those and the rest next week."
    )
    assert _lines(text) == [("NUT-M6", 10), ("CBL-1.5-100", 20)]


def test_a_weekday_before_or_after_a_holiday() -> None:
    # GIVEN US customers naming a day by Thanksgiving (Thursday 26 Nov 2026)
    before = _order(
        "10 yellow hard hats. Need them by the Wednesday before Thanksgiving, we close Thu.",
        sender="b@prairie.example",
    )
    after = _order(
        "10 yellow hard hats. Monday after Thanksgiving works for delivery.",
        sender="b@prairie.example",
    )
    assert (before.requested_date, after.requested_date) == (date(2026, 11, 25), date(2026, 11, 30))


def test_a_weekday_of_a_numbered_week() -> None:
    # GIVEN a Swedish buyer's "Thursday week 50" (ISO week 50 runs 7-13 Dec 2026)
    order = _order("2 boxes of earplugs.\n\nDelivery Thursday week 50.", sender="a@fjallbo.example")
    # THEN it is that week's Thursday, not "a week on Thursday"
    assert order.requested_date == date(2026, 12, 10)


def test_a_change_that_restates_its_date_keeps_it() -> None:
    order = _reply(
        "Could we amend this one please:\n- hard hats up to 30\n\nEverything else the same and "
        "still for the 16th.",
        quoted=CONFIRMATION_EN,
        number="SO-26-3100",
    )
    assert (order.intent, order.requested_date) == (Intent.CHANGE, date(2026, 11, 16))


def test_keeping_the_date_takes_the_confirmed_date_not_a_stock_arrival() -> None:
    # GIVEN a Chinese change under our confirmation, whose out-of-stock remark
    # gives the day the stock arrives before the delivery date field
    quoted = (
        "我方订单号：SO-26-3120\n贵司采购单号：HD-2611-0385\n\n"
        "BOX-50    瓦楞纸箱 50x40x30cm     500 个\n"
        "WRP-500   缠绕膜 500mm x 300m      12 卷（目前缺货，预计11月16日到货）\n\n"
        "交货日期：2026年11月20日\n"
    )
    order = _reply(
        "这单改一下：纸箱改成800个，缠绕膜不变。交期还是按原来的。",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 9),
        quoted=quoted,
        number="SO-26-3120",
    )
    assert order.intent == Intent.CHANGE
    assert order.requested_date == date(2026, 11, 20)


def test_a_space_between_thousands_before_pieces() -> None:
    text = (
        "Please find our order below.\n\nHex bolts M6x30     1 200 pcs\nHex nuts M6     1 000 pcs\n"
    )
    # THEN 1,200 bolts are 12 boxes of 100 and 1,000 nuts 5 boxes of 200
    assert _lines(text, sender="inkop@fjallbo.example") == [("BLT-M6-30", 12), ("NUT-M6", 5)]


def test_an_edit_to_a_dozen_is_twelve_and_amendments_change() -> None:
    text = "Two amendments please:\n1. Reduce the hard hats to 1 dozen.\n2. Nuts stay."
    assert _change(text) == [("HLM-YEL", 12), ("NUT-M6", 5), ("TPE-BRN-48", 36)]


CN_CONFIRMATION = (
    "我方订单号：SO-26-3130\n贵司采购单号：HD-2611-0402\n\n"
    "BOX-50    瓦楞纸箱 50x40x30cm     500 个\n"
    "PLT-EUR   欧标木托盘 1200x800      20 个\n"
    "TPE-BRN-48  棕色封箱胶带          72 卷\n\n"
    "交货日期：2026年11月20日\n"
)


def test_a_chinese_removal_names_its_line_by_a_short_name() -> None:
    # GIVEN a change that drops "托盘" (the pallets) "this time" and keeps date and address
    order = _reply(
        "HD-2611-0402 有几处要改：\n1、纸箱改成800个；\n2、托盘这次不要了；\n"
        "交货日期和地址都不变。",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 9),
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
    )
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BOX-50", 800),
        ("TPE-BRN-48", 72),
    ]
    assert order.requested_date == date(2026, 11, 20)


def test_a_total_in_brackets_after_a_pallet_or_a_carton_is_the_amount() -> None:
    text = (
        "PO TW-4501 below:\n\n"
        "- stretch wrap 500mm: 1 pallet (36 rolls)\n"
        "- 2 x boxes foam ear plugs (100 pr)\n"
    )
    # THEN the wrap is the 36 rolls; "(100 pr)" is what one box of plugs holds
    assert _lines(text) == [("WRP-500", 36), ("EAR-FOAM-100", 2)]


def test_a_pasted_sheet_with_dozens_and_a_carton_size_in_the_unit_column() -> None:
    text = (
        "This email is our formal order TW-4502.\n\n"
        "Description\tQty\tUnit\n"
        "LED bulbs E27\t1\tcarton (20)\n"
        "Yellow hard hats\t2\tdoz\n"
    )
    assert _lines(text) == [("LMP-E27", 20), ("HLM-YEL", 24)]


def test_a_count_after_dot_leaders_and_tape_by_the_tube() -> None:
    text = "PO#TW-4503:\n\nlatex gloves L ....... 2,500 ct\nlatex gloves M ....... 25 bx\n"
    assert _lines(text) == [("GLV-LTX-L", 25), ("GLV-LTX-M", 25)]
    zh = "请安排：\n红色绝缘胶带　5筒（每筒10卷）\n采购单号：HD-2611-0410"
    assert _lines(zh, sender=ZH_SENDER, sent=china_time(2026, 11, 16)) == [("ETP-RED", 50)]


def test_a_question_with_amounts_but_no_sign_off_is_no_order() -> None:
    order = _order(
        "Couple of questions on the E27 bulbs:\n\n1. Are they dimmable?\n2. Do you carry a "
        "warm white?\n\nIf the refit goes ahead we'd probably need 4-5 cartons but I don't "
        "have sign off yet, so nothing to book for now."
    )
    assert (order.intent, order.lines) == (Intent.QUESTION, [])


def test_a_chinese_question_that_waits_for_an_answer_before_deciding() -> None:
    order = _order(
        "有两个问题请教一下：\n1、乳胶手套M码、L码各订10盒，能否享受折扣？\n"
        "2、黄色安全帽目前库存多少？\n\n等贵司回复后再决定是否下单，谢谢。",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 16),
    )
    assert (order.intent, order.lines) == (Intent.QUESTION, [])


def test_scrapping_a_po_entirely_cancels_it() -> None:
    order = _order(
        "Hi Tom,\n\nPlease scrap PO TW-4410 entirely - finance have moved these onto a new "
        "cost center, so I'll re-issue it under a new PO number next week."
    )
    assert (order.intent, order.po_number) == (Intent.CANCEL, "TW-4410")


def test_a_list_line_opening_with_one_container_and_a_count_times_a_bsp_size() -> None:
    text = (
        "morning, can u send up to the Acomb job tmrw am\n\n"
        "10 x 1/2 BSP hose fittings\nbox of foam plugs\ncase of WD40\n\n"
        "site is 41 Front St, York YO24 3BZ - NOT the mill. Lisa will send PO later"
    )
    order = _order(text)
    # THEN "box of"/"case of" order one container, "10 x 1/2 BSP" ten fittings,
    # and the site the customer writes out is the ship-to
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("FIT-12", 10),
        ("EAR-FOAM-100", 1),
        ("SPR-400", 12),
    ]
    assert order.ship_to is not None and order.ship_to.postcode == "YO24 3BZ"


def test_a_chinese_address_on_the_line_after_its_label() -> None:
    order = _order(
        "需要下面这些东西：\n\n黄色安全帽　二十顶\n\n采购单号：HD-2026-1148\n"
        "下周五之前要到工地，地址：\n"
        "浙江省杭州市滨江区长河街道江虹路768号 滨江项目部\n邮编：310052\n",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 16),
    )
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode) == ("杭州市", "310052")


def test_everything_on_a_forwarded_list_except_one_line_and_an_addition() -> None:
    text = (
        "Please can you put through everything on Dave's list below except the\n"
        "pallets - we found some in stores. Can you also add 2 x 12v drivers\n"
        "to the same order.\n\n"
    )
    assert _lines(text + FORWARDED_LIST) == [("BOX-30", 300), ("WRP-500", 6), ("SCR-12V", 2)]


def test_the_same_again_on_a_new_po_given_after_a_dash_without_the_pallets() -> None:
    order = _reply(
        "Could we have the same again on a new PO please - TW/26/1318. No\n"
        "pallets this time, but add two cases of the brown tape.",
        quoted=PACKING_CONFIRMATION,
        number="SO-26-3140",
    )
    assert (order.intent, order.po_number) == (Intent.ORDER, "TW/26/1318")
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("WRP-500", 6),
        ("BOX-50", 400),
        ("TPE-BRN-48", 72),
    ]


def test_a_us_customers_utc_header_is_read_in_their_states_zone() -> None:
    # GIVEN a Nebraska customer writing on Sunday evening, stamped Monday 03:10 UTC
    order = _order(
        "hey - can we get 10 yellow hard hats, need em tomorrow for the monday crew",
        sender="b@prairie.example",
        sent=datetime(2026, 11, 16, 3, 10, tzinfo=UTC),
    )
    # THEN "tomorrow" is their Monday, not Tuesday
    assert order.requested_date == date(2026, 11, 16)


def test_hose_by_lengths_with_a_decimal_comma_and_each_length_stated() -> None:
    text = 'Please deliver:\n- Hydraulic hose 1/2": 2 x 12,5 m\n- earplugs: 2 boxes\n'
    assert _lines(text, sender="inkop@fjallbo.example") == [("HSE-12", 25), ("EAR-FOAM-100", 2)]
    zh = _order("请安排：\n1/2英寸液压软管　两根，每根15米\n", sender=ZH_SENDER)
    # THEN two hoses of 15 m are 30 m, and "1/2寸"-style sizes are no date
    assert [(line.sku, line.quantity) for line in zh.lines] == [("HSE-12", 30)]
    assert zh.requested_date is None
    assert _order("请安排：1/2寸液压软管 30米", sender=ZH_SENDER).requested_date is None


def test_chat_words_after_a_short_product_name_do_not_dilute_it() -> None:
    text = "Morning can u get 2 boxes of M6 nuts out tmrw. Also 10\nlatex gloves L while ur at it"
    assert _lines(text) == [("NUT-M6", 2), ("GLV-LTX-L", 10)]


def test_a_change_line_naming_a_product_then_only_its_new_amount() -> None:
    text = "Could we amend this one please:\n\n- hard hats - 30 please\n- drop the nuts\n"
    assert _change(text) == [("HLM-YEL", 30), ("TPE-BRN-48", 36)]


def test_ordering_a_forwarded_list_on_a_po_with_only_part_of_one_line() -> None:
    text = (
        "Please order what Dave's asked for below on TH/26/1302, but only 5 of\n"
        "the pallets, not 10 - we haven't the floor space.\n\n"
    )
    order = _order(text + FORWARDED_LIST)
    assert order.po_number == "TH/26/1302"
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BOX-30", 300),
        ("WRP-500", 6),
        ("PLT-EUR", 5),
    ]


def test_a_couple_of_things_is_no_count_of_the_product_after_it() -> None:
    assert _lines("Couple of things: 10 yellow hard hats and 2 boxes of M6 nuts") == [
        ("HLM-YEL", 10),
        ("NUT-M6", 2),
    ]
    order = _order("Couple changes - bump the hard hats up by 5 on PO TW-9001 please")
    assert (order.intent, order.po_number) == (Intent.CHANGE, "TW-9001")


def test_an_unknown_product_counted_on_the_next_list_line_and_a_postcode_is_no_line() -> None:
    text = (
        "PO TW-4520 please:\n\n"
        "- 25 boxes latex gloves M\n"
        "- 12 mop heads (the cotton ones, if you carry them)\n\n"
        "Deliver to:\nHollins Precision Ltd\nUnit 12, Shay Lane\nHalifax\nHX3 6RL\n"
    )
    # THEN the mop heads are a line we do not sell; "6RL" is no 6 rolls
    assert _lines(text) == [("GLV-LTX-M", 25), (None, 12)]


def test_a_day_named_inside_a_week_commencing_is_the_date() -> None:
    order = _order(
        "Could we have 10 yellow hard hats on TW-4530 please.\n\n"
        "Delivery to Plant 2 w/c 30th Nov, ideally the Tuesday (1st).",
        sent=datetime(2026, 11, 18, 9, 5, tzinfo=UTC),
    )
    assert order.requested_date == date(2026, 12, 1)


def test_three_times_ten_packs_of_tape_is_thirty_rolls() -> None:
    text = "need 2 boxes of M6 nuts plus red insulation tape 3 x 10 packs, all for site Monday"
    assert _lines(text) == [("NUT-M6", 2), ("ETP-RED", 30)]


def test_a_count_of_deliveries_on_the_next_list_line_is_no_product() -> None:
    text = "Please send:\n10 boxes of M6 nuts\n2 deliveries please, one Monday one Friday"
    assert _lines(text) == [("NUT-M6", 10)]


def test_a_csv_whose_quantity_header_gives_the_unit() -> None:
    sheet = csv_attachment(
        "PO_TW-EXP-03.csv",
        "\ufeffNo.,Item,Spec,Qty(PCS),Remark\r\n"
        "1,Hex bolt zinc plated,M6x30,1000,\r\n"
        "2,Hex nut zinc plated,M6,2000,backorder OK\r\n",
    )
    order = _order(
        "Pls find attached our PO TW-EXP-03. Qty in the sheet is in PCS as per our system.",
        attachments=[sheet],
    )
    # THEN pieces become boxes: 1,000 bolts = 10 boxes of 100, 2,000 nuts = 10 of 200
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 10),
        ("NUT-M6", 10),
    ]
    assert order.intent == Intent.ORDER


def test_a_case_of_a_product_named_by_a_unit_word_is_its_own_line() -> None:
    # GIVEN "tubes" (also a unit word) naming what a case holds, after a comma
    text = "pls send 4 lube sprays (400ml), a case of the 18w tubes and 6 hard hats"
    # THEN the case is a line of its own (25 tubes), not an amount of the spray
    assert _lines(text) == [("SPR-400", 4), ("TUB-18", 25), ("HLM-YEL", 6)]


def test_a_correction_is_spent_on_one_line_and_a_size_borrows_the_noun() -> None:
    # GIVEN rambling prose that withdraws a line, then corrects it into two sizes
    text = (
        "For the crew: let's say 40 boxes of the large latex\n"
        "gloves - actually, scratch that, half the crew has smaller hands, so\n"
        "make it 30 boxes of large and 10 boxes of medium. They'll also need the\n"
        "pallet wrap, 6 rolls should see us through January."
    )
    # THEN "large" and "medium" are the gloves' sizes, and the wrap is no correction
    assert _lines(text) == [("GLV-LTX-L", 30), ("GLV-LTX-M", 10), ("WRP-500", 6)]


def test_make_it_wrapped_over_a_line_and_ended_by_a_word_of_chat() -> None:
    text = (
        "pls send 2 boxes of M6 nuts. oh and 2 hard hats - wait, min is 10 on those isnt it, make\n"
        "it 10 then."
    )
    assert _lines(text) == [("NUT-M6", 2), ("HLM-YEL", 10)]


def test_number_words_side_by_side_are_two_numbers() -> None:
    # "the 500mm one - three cases" is three cases, not four; "twenty one" is one number
    assert _lines("pallet wrap, the 500mm one - three cases") == [("WRP-500", 18)]
    assert _lines("twenty one boxes of M6 nuts") == [("NUT-M6", 21)]


def test_a_pack_ratio_says_what_the_written_unit_holds() -> None:
    # GIVEN film counted in 件 with "6卷一件", and towels whose sheets per roll are stated
    assert _lines("缠绕膜2件（6卷一件），擦手纸 200张/卷 6卷", sender=ZH_SENDER) == [
        ("WRP-500", 12),
        ("TWL-200", 6),
    ]
    # AND a note on how to convert orders no extra roll
    text = "擦手纸 1000张。擦手纸我们按张领用，麻烦按200张一卷折算。"
    assert _lines(text, sender=ZH_SENDER) == [("TWL-200", 5)]


def test_a_sat_nav_is_no_saturday() -> None:
    text = "3 cases of pallet wrap please. Ring the gate, the sat nav takes drivers round the back."
    assert _order(text).requested_date is None
    # WHILE "deliver sat" still is
    assert _order("3 cases of pallet wrap please, deliver sat").requested_date == date(2026, 11, 7)


def test_a_recipient_line_above_a_numbered_street_is_no_part_of_the_street() -> None:
    text = "6 rolls of pallet wrap. Please ship to:\n\n{}\n\nThanks"
    annex = "Thornfield Packaging - Secaucus Annex\n300 Meadowlands Pkwy\nSecaucus, NJ 07094"
    distillery = "Glenmorie Distillery\nBonded Warehouse 3, Mill of Towie Road\nDufftown\nAB55 4DH"
    works = "Thornfield - Hallam Works\nBroad Lane\nSheffield\nS3 7HQ"
    streets = [_order(text.format(block)).ship_to for block in (annex, distillery, works)]
    assert [address.street if address else None for address in streets] == [
        "300 Meadowlands Pkwy",
        "Bonded Warehouse 3, Mill of Towie Road",
        # a site named above a street without a number is part of the address
        "Hallam Works, Broad Lane",
    ]


def test_ship_it_as_this_in_chinese_confirms() -> None:
    order = _reply(
        "可以，就按这个发。托盘请单独打一托，别和纸箱混装。",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 9),
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
    )
    assert order.intent == Intent.CONFIRM
    assert order.po_number == "HD-2611-0402"


def test_a_vendor_re_registration_request_is_other() -> None:
    text = (
        "We are moving to a new accounts payable platform on January 4, 2027. All active\n"
        "vendors must re-register by December 18.\n\nPlease send us the following:\n"
        " 1. A signed W-9\n 2. Remittance bank details on company letterhead\n\n"
        "This request does not relate to any specific purchase order."
    )
    order = _order(text)
    assert order.intent == Intent.OTHER
    assert order.requested_date is None


def test_a_forwarder_who_repeats_a_line_then_says_what_they_need() -> None:
    text = (
        "Please supply Dave's list below - with one edit: he asks for 300 small boxes but\n"
        "we only need 200, the other 100 are already here.\n\n"
    )
    assert _lines(text + FORWARDED_LIST) == [("BOX-30", 200), ("WRP-500", 6), ("PLT-EUR", 10)]


def test_edits_written_under_the_quoted_lines_they_change() -> None:
    # GIVEN a reply whose edits sit between our quoted confirmation's lines
    message = EmailMessage()
    message["From"] = "Sophie <buyer@thornfield.example>"
    message["To"] = "orders@harbor-supply.example"
    message["Subject"] = "Re: Order confirmation SO-26-3100"
    message["Date"] = "Mon, 02 Nov 2026 09:00:00 +0000"
    message["In-Reply-To"] = "<SO-26-3100@harbor-supply.example>"
    message.set_content(
        "Hi, a couple of edits marked ST below. Friday is still good.\n\nSophie\n\n"
        "On Fri, Oct 30, 2026 at 9:00 AM Harbor <orders@harbor-supply.example> wrote:\n"
        "> Order confirmation SO-26-3100\n> Your PO: TW-9001\n"
        "> Requested delivery: 2026-11-13\n>\n"
        "> 1   HLM-YEL   Safety helmet yellow     20 each\n\n"
        "ST: make it 30 of these, new starters on Monday\n\n"
        "> 2   NUT-M6    Hex nut M6 zinc plated    5 box\n"
        "> 3   TPE-BRN-48  Packing tape brown    36 roll\n\n"
        "ST: no tape this time\n"
    )
    order = extract_order(parse_envelope(message.as_bytes()), refdata())
    # THEN "these" are the helmets above the edit, the tape goes, and the
    # quoted Friday stays (not the Friday of this week)
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 30), ("NUT-M6", 5)]
    assert order.requested_date == date(2026, 11, 13)


def test_the_same_as_a_quoted_order_on_a_new_po_is_a_new_order() -> None:
    order = _reply(
        "Same as this one from October please, but double the hard hats and skip the tape "
        "this time.\n\nNew PO for it: TW-9100\nNeed it by Friday of next week.",
        quoted=CONFIRMATION_EN,
        number="SO-26-3100",
    )
    assert order.intent == Intent.ORDER
    assert order.po_number == "TW-9100"
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 40), ("NUT-M6", 5)]
    # "Friday of next week" from Monday 2 November
    assert order.requested_date == date(2026, 11, 13)


def test_the_same_but_swapped_on_the_same_order_is_a_change() -> None:
    order = _reply(
        "Same as the order below but swap the tape for another 5 boxes of M6 nuts.",
        quoted=CONFIRMATION_EN,
        number="SO-26-3100",
    )
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 20), ("NUT-M6", 10)]


def test_just_asking_do_not_order_in_chat_chinese_is_a_question() -> None:
    text = "M6螺母 2000个，M6螺栓 十盒，下周要。还没定，别下单哈。"
    assert _order(text, sender=ZH_SENDER).intent == Intent.QUESTION


def test_a_sheet_whose_code_column_has_a_header_we_do_not_know() -> None:
    # GIVEN a Swedish export: "Artikel" holds our codes, quantities in pieces
    sheet = (
        "Rad;Artikel;Benämning;Antal;Enhet\n"
        "1;BLT-M6-30;Sexkantskruv M6x30;2500;st\n"
        "2;NUT-M6;Sexkantmutter M6;3000;st\n"
    )
    attachment = csv_attachment("NM-26-0467.csv", sheet, encoding="iso-8859-1")
    order = _order("Order NM-26-0467 attached.", attachments=[attachment])
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 25),
        ("NUT-M6", 15),
    ]


def test_a_pack_column_gives_the_unit_and_its_size() -> None:
    text = (
        "PO TW-4520 below\n\n"
        "Qty  Pack              Item\n"
        "6    cartons (20/ctn)  E27 LED bulbs 10W\n"
        "3    cases (6/cs)      stretch wrap 500mm\n"
        "2    boxes             M6 hex nuts\n"
    )
    assert _lines(text) == [("LMP-E27", 120), ("WRP-500", 18), ("NUT-M6", 2)]


def test_thousands_written_with_a_k() -> None:
    # "2k只" is two thousand; "5kg" stays five kilograms
    assert _lines("乳胶手套M 2k只，L的1k只", sender=ZH_SENDER) == [
        ("GLV-LTX-M", 20),
        ("GLV-LTX-L", 10),
    ]
    assert _lines("2k pcs M6 nuts") == [("NUT-M6", 10)]


def test_a_correction_after_an_amount_written_in_words() -> None:
    text = (
        "Three hundred of the small boxes, twelve rolls of pallet\n"
        "wrap - sorry, make that eighteen, nights got through more than I\n"
        "thought - and four cases of the brown tape."
    )
    assert _lines(text) == [("BOX-30", 300), ("WRP-500", 18), ("TPE-BRN-48", 144)]
    text = "a dozen yellow hard hats - no, make it 20, we've got new starters\n2 boxes of M6 nuts"
    assert _lines(text) == [("HLM-YEL", 20), ("NUT-M6", 2)]


def test_a_po_raised_by_a_colleague() -> None:
    text = "Sophie's off today - she's raised it as TH/26/1236.\n\n20 euro pallets please."
    assert _order(text).po_number == "TH/26/1236"


def test_the_reason_for_an_exception_is_no_edit() -> None:
    text = (
        "Can you book in Dave's list below - all of it apart from the pallets, we found "
        "a box of those in stores.\n\n"
    )
    assert _lines(text + FORWARDED_LIST) == [("BOX-30", 300), ("WRP-500", 6)]


def test_scratch_that_takes_back_the_item_just_written() -> None:
    # GIVEN an item without an amount, taken back on its own line, whose name
    # the catalog shares with a line above ("paper towels" are the hand towels)
    text = (
        "  * hand towels x 4\n"
        "  * 2 boxes of M6 nuts\n"
        "  * paper towels - actually scratch that, the hand towels cover it\n"
    )
    assert _lines(text) == [("TWL-200", 4), ("NUT-M6", 2)]


def test_a_list_line_with_its_count_after_a_comma() -> None:
    assert _lines("PO TW-4521:\n\nE27 bulbs, 20\nM6 nuts - 3\n") == [("LMP-E27", 20), ("NUT-M6", 3)]


def test_numbered_edits_with_an_arrow_and_a_line_deleted() -> None:
    text = (
        "Two amendments please:\n\n1. Packing tape: 1 case -> 2 cases\n"
        "2. Nuts: delete the line, we have plenty\n"
    )
    assert _change(text) == [("HLM-YEL", 20), ("TPE-BRN-48", 72)]


def test_a_po_a_colleague_says_to_use() -> None:
    assert _order("Rachel says use TH-2026-139.\n\n20 euro pallets").po_number == "TH-2026-139"


def test_nothing_before_a_day_is_no_delivery_date() -> None:
    text = (
        "10 yellow hard hats. We're closed this week, so nothing before Monday please.\n"
        "We need them Wednesday 11 November at the latest."
    )
    assert _order(text).requested_date == date(2026, 11, 11)


def test_a_notice_to_all_suppliers_is_other() -> None:
    # GIVEN a goods-in notice that asks, as orders do, to "please send"
    text = (
        "Dear Supplier,\n\nWe are writing to all our suppliers about goods-in over "
        "Christmas. Please send any open orders to arrive by 18 December.\n\n"
        "- First deliveries accepted: Monday 4 January 2027, from 07:00.\n"
    )
    order = _order(text)
    assert order.intent == Intent.OTHER
    assert order.lines == []


def test_a_date_with_a_capital_month_is_no_amount() -> None:
    # "4 January 2027": neither the day nor the year counts the hard hats
    assert _lines("Please deliver on 4 January 2027: 10 yellow hard hats") == [("HLM-YEL", 10)]


def test_a_minimum_is_no_amount_ordered() -> None:
    text = "10 yellow hard hats. I know the foam plugs have a 5 box minimum - fine by us."
    assert _lines(text) == [("HLM-YEL", 10)]


def test_an_erp_export_with_underscored_headers() -> None:
    sheet = (
        "PO_NO,LINE_NO,ITEM_CODE,SUPPLIER_ITEM,ITEM_DESC,ORDER_QTY,ORDER_UOM,PACK_QTY\n"
        'TH/26/1263,10,OP-PK-0030,BOX-30,"CARTON 30X20X20, SINGLE WALL",4,BDL,50\n'
        "TH/26/1263,20,OP-PK-0210,TPE-BRN-48,PARCEL TAPE BROWN 48MM,72,RL,36\n"
    )
    order = _order("PO TH/26/1263 attached.", attachments=[csv_attachment("po.csv", sheet)])
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BOX-30", 200),
        ("TPE-BRN-48", 72),
    ]


def test_a_line_dropped_and_one_reduced_is_a_change_not_a_cancel() -> None:
    order = _reply(
        "HD-2611-0402 调整一下：\n托盘既然没货，这次先取消；\n纸箱少要一百个。\n"
        "交货日期和地址都不变。",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 9),
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
    )
    assert order.intent == Intent.CHANGE
    # "少要一百个": a hundred fewer than the 500 confirmed
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BOX-50", 400),
        ("TPE-BRN-48", 72),
    ]


def test_the_site_is_a_unit_on_a_street() -> None:
    text = (
        "10 yellow hard hats tmrw\n\nnot the office - site is Unit 2 Greenland Road, Darnall,\n"
        "Sheffield S9 5GB. lads on the gate from 7"
    )
    address = _order(text).ship_to
    assert address is not None
    assert (address.street, address.city, address.postcode) == (
        "Unit 2 Greenland Road, Darnall",
        "Sheffield",
        "S9 5GB",
    )


def test_a_pack_ratio_in_a_unit_column_is_read_as_in_prose() -> None:
    text = (
        "采购单号：HD-2611-0410\n\n"
        "品名        数量  单位\n"
        "缠绕膜      2     件（6卷一件）\n"
        "欧标木托盘  20    个\n"
    )
    assert _lines(text, sender=ZH_SENDER) == [("WRP-500", 12), ("PLT-EUR", 20)]
