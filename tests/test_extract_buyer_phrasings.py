"""Phrasings buyers use that a clerk reads without a second look: a hose
ordered in lengths, an amount added as a count of the product's own items,
"should have been" as an edit, a pallet standard that is no currency."""

from __future__ import annotations

from datetime import date

from mailflow.extract.types import Intent
from tests.fixtures.extract.builders import china_time, csv_attachment
from tests.test_extract_clerk_readings import (
    CN_CONFIRMATION,
    CONFIRMATION_EN,
    ZH_SENDER,
    _lines,
    _order,
    _reply,
)

BOLTS_CONFIRMATION = (
    "> Order confirmation SO-26-3300\n> Your PO: TW-9300\n>\n"
    "> 1   BLT-M6-30   Hex bolt M6 x 30 mm zinc plated    3 box\n"
    "> 2   NUT-M6      Hex nut M6 zinc plated             5 box\n"
    "> 3   HLM-YEL     Safety helmet yellow              20 each\n"
)


def _change(text: str) -> list[tuple[str | None, int | None]]:
    order = _reply(text, quoted=BOLTS_CONFIRMATION, number="SO-26-3300")
    return [(line.sku, line.quantity) for line in order.lines]


def test_a_hose_ordered_in_lengths_of_a_stated_measure() -> None:
    # GIVEN a hose sold by the metre, asked for as lengths of 20 m
    text = 'Hydraulic hose 1/2" ........ 3 lengths á 20 m\nhalf inch hose, 2 lengths of 15 m'
    # THEN the metres are counted: 60 m and 30 m
    assert _lines(text) == [("HSE-12", 60), ("HSE-12", 30)]


def test_the_latest_weekday_of_a_numbered_week() -> None:
    # GIVEN "week 50, at the latest on the Friday" (ISO week 50 runs 7-13 Dec 2026)
    order = _order("2 boxes of earplugs.\n\nDelivery in week 50, at the latest on the Friday.")
    # THEN the Friday of that week
    assert order.requested_date == date(2026, 12, 11)


def test_adding_a_count_of_the_products_own_items_to_a_line() -> None:
    # GIVEN 3 boxes of 100 bolts confirmed; the buyer adds 500 bolts "to what's there"
    text = "Change please:\n- add another 500 M6 bolts to what's there\n- make the nuts 6"
    # THEN 500 bolts are 5 boxes more (8), and "to what's there" sets nothing;
    # the bare "6" of the nuts stays in the line's unit
    assert _change(text) == [("BLT-M6-30", 8), ("NUT-M6", 6), ("HLM-YEL", 20)]


def test_should_have_been_sets_the_amount() -> None:
    text = "1. The M6 nuts should have been 4, not 5 - our mistake.\n2. Please add 10 EUR pallets."
    # THEN the nuts are set to 4, and "10 EUR pallets" is ten pallets, not a price
    assert _change(text) == [("BLT-M6-30", 3), ("NUT-M6", 4), ("HLM-YEL", 20), ("PLT-EUR", 10)]


def test_a_pallet_standard_is_not_a_currency() -> None:
    assert _lines("Please send 12 EUR pallets and 2 rolls of pallet wrap") == [
        ("PLT-EUR", 12),
        ("WRP-500", 2),
    ]


def test_formal_chinese_numerals_count() -> None:
    # GIVEN 贰拾 (the formal 二十 of invoices) with 顶, the counter for helmets
    assert _lines("1、黄色安全帽  贰拾顶\n2、M6螺母 伍盒", sender=ZH_SENDER) == [
        ("HLM-YEL", 20),
        ("NUT-M6", 5),
    ]


def test_a_remark_in_brackets_after_a_trailing_count() -> None:
    # GIVEN a count at the end of a list line with the buyer's own check after it
    text = "- latex gloves, large - 1000 (10 boxes?)\n- pallet wrap 2 cses"
    # THEN the count stands, the question in brackets orders nothing more,
    # and "cses" is the buyer's cases (6 rolls each)
    assert _lines(text) == [("GLV-LTX-L", 10), ("WRP-500", 12)]


def test_within_the_fortnight() -> None:
    order = _order("3 boxes of earplugs.\n\nDelivery within the fortnight please.")
    assert order.requested_date == date(2026, 11, 16)


def test_leaving_out_another_product_keeps_the_line_that_shares_a_word() -> None:
    # GIVEN red electrical tape ordered, and "no packing tape" (another catalog product)
    text = "1. red electrical tape - 20 rolls\n2. 5 boxes of M6 nuts\n\nNo packing tape this time."
    # THEN the electrical tape stays: the buyer is not taking it back
    assert _lines(text) == [("ETP-RED", 20), ("NUT-M6", 5)]


def test_a_pack_stated_outer_first() -> None:
    # GIVEN "两件（一件36卷）": two cartons, 36 rolls to a carton
    assert _lines("棕色封箱胶带  两件（一件36卷）", sender=ZH_SENDER) == [("TPE-BRN-48", 72)]


def test_tomorrow_morning_in_chinese() -> None:
    order = _order("明早要货！\n黄色安全帽 二十顶", sender=ZH_SENDER, sent=china_time(2026, 11, 2))
    assert order.requested_date == date(2026, 11, 3)


def test_a_line_ordered_only_if_in_stock_is_still_a_line() -> None:
    # GIVEN an item we do not list, to skip if we lack it, under one that shares "12 V"
    text = (
        " * Cordless screwdriver 12 V - 3 pcs\n"
        " * Work light 12 V - 10 pcs (if you have them, otherwise skip)\n"
    )
    # THEN "otherwise skip" is a condition: it withdraws neither line
    assert _lines(text) == [("SCR-12V", 3), (None, 10)]


def test_a_sentence_of_only_a_date_and_please_asks_for_it() -> None:
    text = "- euro pallets x 12\n\nThis Friday please, the line restarts on the Saturday."
    # MONDAY is 2 Nov 2026: this Friday is the 6th, and the Saturday is no delivery
    assert _order(text).requested_date == date(2026, 11, 6)


def test_a_case_plus_loose_rolls_is_one_line() -> None:
    order = _order("- brown tape: 1 case plus 12 loose rolls\n- pallet wrap: 2 cases")
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("TPE-BRN-48", 48),
        ("WRP-500", 12),
    ]
    assert order.lines[0].written_quantity == "1 case + 12 rolls"


def test_i_mean_another_product_moves_the_amount_to_it() -> None:
    # GIVEN "50cm shipping boxes x 4 bundles - sorry, I mean the 30x20x20s"
    text = (
        "- shipping boxes 50cm x 4 bundles – sorry, I mean the carton 30x20x20, we're\n"
        "  fine on the large ones\n- pallet wrap: 2 cases"
    )
    # THEN the small boxes at 4 bundles (50 to a bundle), and no large ones
    assert _lines(text) == [("BOX-30", 200), ("WRP-500", 12)]


def test_dates_that_are_not_about_delivery() -> None:
    # "the ones from before xmas" is the past; "off until Monday" an absence;
    # "2月5日停工放假" the site's shutdown. The delivery date is the other one.
    past = _order(
        "- 2 boxes of M6 nuts\n\nno drill sets this time, we still have the ones from before "
        "xmas\n\nGoods In this thu if poss"
    )
    absent = _order("Sophie's off until Monday.\n\n2 boxes of M6 nuts, can we have it Thursday 5th")
    shutdown = _order(
        "工地11月20日停工放假，请11月18日前送到：\nM6螺母 十盒",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 2),
    )
    assert past.requested_date == date(2026, 11, 5)
    assert absent.requested_date == date(2026, 11, 5)
    assert shutdown.requested_date == date(2026, 11, 18)


def test_a_po_for_this_one() -> None:
    order = _order(
        "Priya said to send it to you - her PO for this one is 2027-LK-0012.\n\n- 6 12v drivers"
    )
    assert order.po_number == "2027-LK-0012"


def test_plus_signs_as_bullets_and_trade_shorthand() -> None:
    text = (
        "T8 tubes - 2 cartons (25 ea)\n"
        "elec tape red 20 rolls\n"
        "+ 10 LED exit signs w/ battery backup, if you carry them\n"
        "+ 5 yellow hard hats\n"
    )
    # THEN "(25 ea)" is what one carton holds (2 x 25 = 50), "elec" is electrical,
    # and a line opening with "+ 10" counts ten of a product we do not list
    assert _lines(text) == [("TUB-18", 50), ("ETP-RED", 20), (None, 10), ("HLM-YEL", 5)]


def test_an_amount_given_by_another_lines() -> None:
    text = (
        "Large shipping boxes 50cm - 300\n"
        "Small shipping boxes 30x20x20 - same quantity as the large\n"
        "Pallet wrap - 2 cases (6 per case)\n"
        "hard hats yellow x 10 + the same number of red electrical tape"
    )
    # THEN the small boxes take the large ones' 300, the wrap stays its own line,
    # and the tape takes the hard hats' 10
    assert _lines(text) == [
        ("BOX-50", 300),
        ("BOX-30", 300),
        ("WRP-500", 12),
        ("HLM-YEL", 10),
        ("ETP-RED", 10),
    ]


def test_also_adding_to_a_new_order_is_still_an_order() -> None:
    text = (
        "PO# TH-21502, couple things for the Wacker building\n\n"
        "hard hats x 10\nearplugs 2 boxes\n\n"
        "oh and also add half a dozen 12v drivers, the guys keep walking off with them"
    )
    order = _order(text)
    assert order.intent == Intent.ORDER
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 10),
        ("EAR-FOAM-100", 2),
        ("SCR-12V", 6),
    ]


def test_one_amount_for_several_sizes() -> None:
    text = "latex gloves - 5 boxes each of M and L\n- latex gloves L x 20 boxes\n- same again in M"
    assert _lines(text) == [
        ("GLV-LTX-M", 5),
        ("GLV-LTX-L", 5),
        ("GLV-LTX-L", 20),
        ("GLV-LTX-M", 20),
    ]


def test_a_size_after_a_line_named_by_its_code() -> None:
    # GIVEN "GLV-LTX-M 10盒，L码的也要10盒": the L size borrows the coded line's name
    assert _lines("GLV-LTX-M 10盒，L码的也要10盒", sender=ZH_SENDER) == [
        ("GLV-LTX-M", 10),
        ("GLV-LTX-L", 10),
    ]


def test_replacement_parts_are_not_the_product_they_fit() -> None:
    # GIVEN spare bits for the drill set the catalog sells (named "twist drill bit set")
    text = "- 2 drill bit sets 13 pc\n- replacement twist drills, pack of 10 - 5 packs"
    # THEN the spares are a product we do not list, not more drill sets
    assert _lines(text) == [("DRB-13", 2), (None, 5)]


def test_holding_delivery_back_while_cancelling_is_a_cancel() -> None:
    order = _reply(
        "不好意思，项目推迟了，HD-2611-0402 这单全部取消，先不要发货了。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    assert order.intent == Intent.CANCEL


def test_a_partial_cancellation_is_a_change() -> None:
    order = _reply(
        "HD-2611-0402 这张单需要部分取消和调整：\n"
        "1、第2项欧标木托盘取消；\n2、纸箱减少200个。\n其他不变。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BOX-50", 300),
        ("TPE-BRN-48", 72),
    ]


def test_a_product_swapped_in_with_its_amount_after_a_comma() -> None:
    text = "- swap the yellow hard hats for latex gloves, large - 10\n  boxes. The lads want them."
    assert _change(text) == [("BLT-M6-30", 3), ("NUT-M6", 5), ("GLV-LTX-L", 10)]


def test_a_po_that_came_through() -> None:
    order = _reply(
        "All fine on our end, go ahead. The PO came through this morning -\nTW-21488.",
        quoted=BOLTS_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.po_number == "TW-21488"


def test_the_weekday_before_a_date_written_just_before() -> None:
    text = (
        "Our new cross-dock goes live Monday 11/16, so we need the stock in place the "
        "Friday before.\n\n- 10 yellow hard hats"
    )
    # THEN the Friday before Monday 16 Nov; the opening day is no delivery date
    assert _order(text, sender="b@prairie.example").requested_date == date(2026, 11, 13)


def test_a_po_number_is_no_amount() -> None:
    text = (
        "Can you put the following through on PO# 4563 please - three thousand of\n"
        "the M6 hex bolts and the same again in M6 nuts, so 3,000 nuts."
    )
    # THEN 3,000 bolts are 30 boxes of 100 and 3,000 nuts 15 boxes of 200; 4563 is the PO
    order = _order(text)
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 30),
        ("NUT-M6", 15),
    ]
    assert order.po_number == "4563"


def test_a_pack_named_in_a_remarks_cell_or_a_swedish_unit() -> None:
    zh_table = (
        "序号  品名     规格           数量   单位   备注\n"
        "1     缠绕膜   500mm x 300m    4    件     6卷/件\n"
        "2     欧标木托盘  1200x800     30   个\n"
    )
    sv_csv = csv_attachment(
        "order.csv",
        "Rad;Lev. art.nr;Benämning;Antal;Enhet;Anm.\n"
        "10;WRP-500;Sträckfilm 500 mm;2;kart.;6 st/kart.\n"
        '20;HSE-12;Hydraulslang 1/2";50;m;2 längder à 25 m\n',
    )
    # THEN 4 件 of 6 rolls are 24 rolls, and 2 "kart." of 6 are 12
    assert _lines(zh_table, sender=ZH_SENDER) == [("WRP-500", 24), ("PLT-EUR", 30)]
    assert _lines("Order attached.", attachments=[sv_csv]) == [("WRP-500", 12), ("HSE-12", 50)]


def test_a_chinese_size_by_its_measure_borrows_the_noun() -> None:
    # GIVEN "1.5平方的线来8卷，4平方的来3卷": the second names only its measure
    lines = _lines("1.5平方的线来8卷，4平方的来3卷", sender=ZH_SENDER)
    # THEN it is the 4 mm² cable, the noun borrowed from the line before
    assert lines == [("CBL-1.5-100", 8), ("CBL-4-100", 3)]


def test_chinese_headers_for_amount_ordered_and_goods_name() -> None:
    sheet = csv_attachment(
        "采购明细.csv",
        "行号,物料编码,货品名称,规格,订购量,计量单位,备注\n"
        "1,BOX-50,瓦楞纸箱,50x40x30cm,500,个,\n"
        "2,,棕色封箱胶带,48mm,2,箱,36卷/箱\n",
        encoding="gbk",
    )
    assert _lines("明细见附件。", sender=ZH_SENDER, attachments=[sheet]) == [
        ("BOX-50", 500),
        ("TPE-BRN-48", 72),
    ]


def test_raising_the_following_against_a_po_is_an_order() -> None:
    text = (
        "Could you raise the following against PO TH/27/0409: 300 small shipping boxes and "
        "a dozen rolls of pallet wrap. Make that 2 cases of wrap actually."
    )
    order = _order(text)
    assert order.intent == Intent.ORDER
    assert [(line.sku, line.quantity) for line in order.lines] == [("BOX-30", 300), ("WRP-500", 12)]


def test_questions_before_any_order_is_placed() -> None:
    english = _order(
        "Two quick ones before I put a requisition in:\n1) How many of the 12v drivers do you "
        "have? We might need 15.\n2) Is there a price break on 10 cartons of tape?\n\n"
        "Nothing to ship yet."
    )
    chinese = _order(
        "想先了解两个情况：\n1、12V充电起子现在有货吗？如果要12台大概什么时候能到？\n"
        "领导还没批，暂时不下单，麻烦先回复一下。",
        sender=ZH_SENDER,
    )
    assert (english.intent, english.lines) == (Intent.QUESTION, [])
    assert (chinese.intent, chinese.lines) == (Intent.QUESTION, [])


def test_a_chinese_form_with_spaced_labels() -> None:
    text = (
        "交货地址：上海市闵行区莘庄工业区申富路318号 恒通机电闵行项目仓\n"
        "邮    编：201108\n收 货 人：陈工 139 1602 7735\n\n"
        "品名  数量  单位\n黄色安全帽  20  顶\n"
    )
    address = _order(text, sender=ZH_SENDER).ship_to
    assert address is not None
    assert (address.street, address.city, address.postcode) == (
        "闵行区莘庄工业区申富路318号 恒通机电闵行项目仓",
        "上海市",
        "201108",
    )


def test_colloquial_chinese_counts_and_a_count_before_its_pack() -> None:
    text = "黄色安全帽 俩打\nM6螺母 仨盒\n12V充电起子 一盒 12个装那种"
    # THEN 俩打 is two dozen, 仨盒 three boxes, and "一盒 12个装" one box that holds
    # 12 (the screwdriver is sold singly: 12), not a pack ratio that orders nothing
    assert _lines(text, sender=ZH_SENDER) == [("HLM-YEL", 24), ("NUT-M6", 3), ("SCR-12V", 12)]


def test_latest_day_of_the_month_beside_a_holiday() -> None:
    # GIVEN "五一放假前送到 最晚30号" written on 23 Apr 2027
    order = _order(
        "M6螺母 十盒\n五一放假前送到后勤中心 最晚30号 单号后面补给你们",
        sender=ZH_SENDER,
        sent=china_time(2027, 4, 23),
    )
    # THEN the 30th; the holiday named before it is no reason to drop the date
    assert order.requested_date == date(2027, 4, 30)


def test_a_forms_delivery_field_outranks_the_prose_around_it() -> None:
    text = (
        "月底到端午前我们这边出货比较集中，先备一批包材：\n"
        "交货：11月12日（周四）前送到福永收货部。\n\nM6螺母 十盒"
    )
    order = _order(text, sender=ZH_SENDER, sent=china_time(2026, 11, 2))
    assert order.requested_date == date(2026, 11, 12)


def test_dates_of_absence_closure_and_readiness_are_not_delivery() -> None:
    # MONDAY is 2 Nov 2026; each e-mail names one date that is no delivery date
    cases = {
        "Kevin is on vacation until the 19th. 10 yellow hard hats, needs to be there "
        "by Thursday 11/12.": date(2026, 11, 12),
        "The site won't be ready to receive until Thursday, so please move the delivery "
        "to 11/10/2026.\n10 yellow hard hats": date(2026, 11, 10),
        "10 yellow hard hats. The workshop closes from Monday 16 Nov (week 47) to\n"
        "20 Nov, so the goods must arrive at the latest Friday 13/11.": date(2026, 11, 13),
        "10 yellow hard hats - requested delivery Friday 11/06/2026 (all our sites are "
        "closed Monday 11/09 for a holiday).": date(2026, 11, 6),
        "10 yellow hard hats, Wednesday 4th into Goods In. The next lot is on the 20th.": date(
            2026, 11, 4
        ),
        "10 yellow hard hats, Tuesday 3rd first thing if you can. The next lot is on the "
        "20th.": date(2026, 11, 3),
    }
    for text, expected in cases.items():
        # the US buyer (prairie) writes month first
        who = (
            "b@prairie.example"
            if "/2026" in text or "11/12" in text
            else "buyer@thornfield.example"
        )
        assert _order(text, sender=who).requested_date == expected, text


def test_a_chinese_change_that_keeps_the_date_it_had() -> None:
    order = _reply(
        "HD-2611-0402 这张单改两处：\n1、纸箱改成800个；\n2、托盘这次不要了；\n"
        "其余照原确认单，到货日期还是原来那天。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 9),
    )
    assert order.requested_date == date(2026, 11, 20)


def test_intents_said_in_other_words() -> None:
    change = _reply(
        "HD-2611-0402 这张单改一下：欧标木托盘这次先不要了，仓库还有。\n其他都不变。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    cancel = _reply(
        "不好意思，HD-2611-0402 请整单撤销，已经备好的货也不要发。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    not_yet = _order(
        "Do you do 12v drivers in a kit? We'd need about 4.\n\nNot ordering anything yet - I "
        "just need to know what to put on the requisition."
    )
    budget = _order(
        "10 rolls of the 1.5mm cable for the mezzanine job - but the budget isn't signed off "
        "yet so please don't enter anything."
    )
    insurance = _order(
        "Our vendor compliance team flagged that your certificate of insurance expired. "
        "Could you send an updated COI by August 13? Nothing changes on open POs."
    )
    assert change.intent == Intent.CHANGE
    assert cancel.intent == Intent.CANCEL
    assert (not_yet.intent, not_yet.lines) == (Intent.QUESTION, [])
    assert (budget.intent, budget.lines) == (Intent.QUESTION, [])
    assert insurance.intent == Intent.OTHER


def test_packs_and_counts_in_list_and_table_lines() -> None:
    text = (
        "Grease cartridges EP2  -  3 cartons x 12 pcs\n"
        "- shipping boxes 50cm 50x40x30 x 200\n"
        "- pallet wrap, 2 cases (6 rolls each)\n\n"
        "We still have plenty of the small shipping boxes, don't need those."
    )
    # THEN 3 cartons of 12 cartridges, a count after a box's three sides, and the
    # small boxes left out do not take the large ones with them
    assert _lines(text) == [("GRS-EP2", 36), ("BOX-50", 200), ("WRP-500", 12)]


def test_a_unit_opening_the_item_cell_of_a_table() -> None:
    text = (
        "Qty   Item                            Your code\n"
        "30    spools MIG wire 0.8mm           WIR-08\n"
        " 2    boxes M6 x 30 bolts             BLT-M6-30\n"
        "36    EP2 grease cartridges\n"
    )
    # THEN 30 spools, not 30 kg read as 2 spools of 15 kg
    assert _lines(text) == [("WIR-08", 30), ("BLT-M6-30", 2), ("GRS-EP2", 36)]


def test_a_row_of_one_long_cell_in_an_html_mail_is_read_once() -> None:
    html = (
        "<table><tr><th>Item</th><th>Qty</th></tr>"
        "<tr><td>T8 LED tubes 18W</td><td>50</td></tr>"
        "<tr><td>cordless screwdriver 12 V</td><td>2</td></tr></table>"
    )
    text = "Item   Qty\nT8 LED tubes 18W   50\ncordless screwdriver 12 V   2\n"
    assert _lines(text, html=html) == [("TUB-18", 50), ("SCR-12V", 2)]


def test_more_ways_to_write_a_delivery_date() -> None:
    # MONDAY is 2 Nov 2026
    cases = {
        "10 yellow hard hats. Delivery a week Friday to Goods In please.": date(2026, 11, 13),
        "10 yellow hard hats. Dont need it tomorrow, next Tuesday is fine.": date(2026, 11, 10),
        "10 yellow hard hats. Goods In shuts at lunchtime on Friday 6th, so Thursday 5th "
        "at the latest please.": date(2026, 11, 5),
        "10 yellow hard hats. We need it by month end.": date(2026, 11, 30),
        "10 yellow hard hats. Please deliver den 12:e (Thursday) to our warehouse.": date(
            2026, 11, 12
        ),
    }
    for text, expected in cases.items():
        assert _order(text).requested_date == expected, text
    school = _order(
        "M6螺母 十盒\n学校11月9日开学，11月7日、8日校园封闭消杀，所以请11月6日（周五）前送到。",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 2),
    )
    assert school.requested_date == date(2026, 11, 6)


DATED_CONFIRMATION = BOLTS_CONFIRMATION + "> Requested delivery: 2026-11-12\n"


def test_pushing_the_confirmed_delivery_back_a_week() -> None:
    order = _reply(
        "Can we push this one back a week? The contractor has moved. And take the hard hats "
        "off, we found a box. Rest stays as confirmed.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.intent == Intent.CHANGE
    assert order.requested_date == date(2026, 11, 19)
    # the clerk is shown the sentence that moved the date, not our quoted one
    evidence = order.evidence["requested_date"]
    assert (evidence.source, evidence.text) == ("body", "push this one back a week")
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 3),
        ("NUT-M6", 5),
    ]


def test_contacting_a_day_ahead_moves_nothing() -> None:
    order = _reply(
        "确认无误，请按时送货。送货时请提前一天联系王师傅。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    assert (order.intent, order.requested_date) == (Intent.CONFIRM, None)


def test_adding_another_product_that_shares_a_word_with_a_line() -> None:
    order = _reply(
        "- M6 nuts: 8 instead of 5\n- please add 4 rolls of insulation tape",
        quoted=CONFIRMATION_EN,
        number="SO-26-3100",
    )
    # THEN the insulation tape is a new line, not 4 more rolls of the packing tape
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("HLM-YEL", 20),
        ("NUT-M6", 8),
        ("TPE-BRN-48", 36),
        ("ETP-RED", 4),
    ]


def test_the_po_of_an_earlier_order_is_not_this_ones() -> None:
    text = (
        "Separate PO from the fixings I sent on Monday (PO# 4791, 02/11) - this one is PPE:\n\n"
        "10 yellow hard hats\n\nPO# 4796"
    )
    assert _order(text).po_number == "4796"


def test_an_address_in_a_forwarders_note_edits_no_line() -> None:
    text = (
        "Please supply the items in Marcus's note below and deliver them to our new site:\n\n"
        "Thornfield - Schaumburg Tower\n1501 Woodfield Rd, 2nd floor loading bay\n"
        "Sheffield S9 5GB\n\n"
        "________________________________\n"
        "From: Marcus Bell <m.bell@thornfield.example>\nSent: 16 November 2026 16:47\n"
        "To: Karen Holt <k.holt@thornfield.example>\nSubject: move-in\n\n"
        "Can you get these ordered:\n\n- 12 rolls of paper towels\n- 10 euro pallets\n"
    )
    # THEN "Tower / 1501 Woodfield Rd" (close to "towels") sets no amount on the towels
    assert _lines(text) == [("TWL-200", 12), ("PLT-EUR", 10)]


def test_cancelling_one_line_while_the_rest_stands_is_a_change() -> None:
    order = _reply(
        "Please cancel the M6 nuts (line 2) from this order - we cannot wait for them. The "
        "rest of the order\nstands as confirmed, same delivery date.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 3),
        ("HLM-YEL", 20),
    ]
    assert order.requested_date == date(2026, 11, 12)


def test_a_count_in_no_before_its_unit() -> None:
    # GIVEN "10 no. boxes" (British "number of"), then "400 no. M6 nuts"
    assert _lines("10 no. boxes M6 x 30 bolts\n400 no. M6 nuts") == [
        ("BLT-M6-30", 10),
        ("NUT-M6", 2),
    ]


def test_replies_in_other_words() -> None:
    confirm = _reply("Looks right, go ahead.", quoted=DATED_CONFIRMATION, number="SO-26-3300")
    cancel = _reply(
        "Scrap this one please, don't send anything. The site is shut till the new year.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    change = _reply(
        "We need to reduce it, sorry:\n\n- please cancel the hard hat line completely\n"
        "- M6 nuts down to 2 boxes (400 pcs)\n\nThe bolts stay as confirmed, and the delivery "
        "date is\nunchanged.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert confirm.intent == Intent.CONFIRM
    assert cancel.intent == Intent.CANCEL
    assert change.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in change.lines] == [
        ("BLT-M6-30", 3),
        ("NUT-M6", 2),
    ]
    assert change.requested_date == date(2026, 11, 12)


def test_year_end_deadlines() -> None:
    by_then = _order(
        "Our last receiving day before the Christmas shutdown is Tuesday 22/12, so please "
        "deliver by\nthen.\n\n10 yellow hard hats",
    )
    last_order = _order(
        "Here is our last order before Christmas:\n10 yellow hard hats\n"
        "Please deliver latest Tuesday 15/12 to our service hall."
    )
    thanksgiving = _order(
        "Everything has to be on our dock before Thanksgiving: latest delivery\n"
        "Tuesday 11/24/2026. Receiving is closed Thursday and Friday.\n\n10 yellow hard hats",
        sender="b@prairie.example",
    )
    anaphora = _order(
        "10 yellow hard hats. Can you get these to Goods In for Wed 18th? Fitters start on "
        "the Thursday\nso no later than that please."
    )
    assert by_then.requested_date == date(2026, 12, 22)
    assert last_order.requested_date == date(2026, 12, 15)
    assert thanksgiving.requested_date == date(2026, 11, 24)
    # a weekday in words after the date is no deadline to move it forward
    assert anaphora.requested_date == date(2026, 11, 18)


def test_ok_from_our_side_confirms() -> None:
    order = _reply(
        "Hi Karen,\n\nOK from our side, thank you. Please write our order number on the "
        "delivery note.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.intent == Intent.CONFIRM


def test_a_table_item_that_opens_with_a_size_code_has_no_unit() -> None:
    # GIVEN "Qty | Item" rows where the item opens "M6 …" (M is no metre)
    text = "Qty        Item\n4,000      M6 nuts\n1,200      M6 x 30 hex bolts\n"
    # THEN 4,000 nuts are 20 boxes of 200 and 1,200 bolts 12 boxes of 100
    assert _lines(text) == [("NUT-M6", 20), ("BLT-M6-30", 12)]


def test_the_same_number_joined_by_with_and_full_width_numbering() -> None:
    prose = _lines("We need 3,000 of the M6 x 30 hex bolts with the same number of M6 nuts.")
    numbered = _lines(
        "1）1.5平方铜芯电缆  800米（整卷发货）\n2）黄色安全帽  二十顶", sender=ZH_SENDER
    )
    assert prose == [("BLT-M6-30", 30), ("NUT-M6", 15)]
    assert numbered == [("CBL-1.5-100", 8), ("HLM-YEL", 20)]


def test_cartons_times_a_count_at_the_end_of_a_line() -> None:
    assert _lines("Grease EP2, 400 g cartridges    2 cartons x 12\nT8 tubes 50") == [
        ("GRS-EP2", 24),
        ("TUB-18", 50),
    ]


def test_answered_for_a_colleague_and_not_ordering_this_time() -> None:
    confirm = _reply(
        "Erik is away, so I'm answering for him: the confirmation is fine.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    question = _order(
        "想咨询：黄色安全帽现在有货吗？我们这个月还要30顶左右。\n"
        "如果价格合适，我们再下单，这次先不下。",
        sender=ZH_SENDER,
    )
    assert confirm.intent == Intent.CONFIRM
    assert (question.intent, question.lines) == (Intent.QUESTION, [])
