"""Orders from people new to the desk: an apprentice, a temp, a new site
manager, a colleague covering a holiday. They say which product they mean
the long way round and tell us what happened last time; a clerk still reads
each of these without a second look."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from mailflow.extract.extractor import extract_order
from mailflow.extract.lexicon import load_lexicon
from mailflow.extract.products import catalog_index
from mailflow.extract.types import Intent
from tests.fixtures.extract.builders import china_time, envelope, refdata
from tests.test_extract_buyer_phrasings import DATED_CONFIRMATION
from tests.test_extract_clerk_readings import (
    CN_CONFIRMATION,
    ZH_SENDER,
    _lines,
    _order,
    _reply,
)


def test_a_paper_size_after_the_count_is_no_current() -> None:
    # GIVEN a count written before a paper size ("A" is also amperes)
    lines = _lines("Please send:\n- 20 A3 copy paper\n- 2 boxes of M6 nuts\n")
    # THEN the paper is a line: 20 reams are 4 cases of 5
    assert lines == [("PPR-A3", 4), ("NUT-M6", 2)]


def test_people_starting_on_a_day_do_not_move_the_delivery() -> None:
    # GIVEN a change whose reason names the day new starters begin, and which
    # keeps the confirmed Thursday
    order = _reply(
        "Couple of tweaks before this ships - we've got 8 new contractors starting\n"
        "Monday, so make the hard hats 30 (not 20). Everything else as is, Thursday\n"
        "still good.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    # THEN the starters' Monday is no delivery date: the confirmed date stands
    assert order.intent == Intent.CHANGE
    assert order.requested_date == date(2026, 11, 12)
    assert ("HLM-YEL", 30) in [(line.sku, line.quantity) for line in order.lines]


def test_goods_wanted_before_people_start_are_wanted_that_day() -> None:
    # GIVEN an order wanted before a crew starts, in a sentence without commas
    order = _order(
        "new job at the depot starts monday need this lot there first thing monday pls\n\n"
        "20 yellow hard hats\n"
    )
    # THEN the Monday the goods are wanted is the date, though the job starts then too
    assert order.requested_date == date(2026, 11, 9)
    later = _order("Need 20 yellow hard hats before the new crew starts on Thursday please.")
    assert later.requested_date == date(2026, 11, 5)


def test_drop_at_the_site_not_the_office_is_a_delivery_cue() -> None:
    order = _order(
        "Need this lot for the new job:\n\n15 yellow hard hats\n\n"
        "Drop at the site please not Quarry Rd - Unit 3, Greenland Road, Sheffield\n"
        "S9 5GA. Thursday latest as the lads start Friday\n"
    )
    assert order.ship_to is not None
    assert (order.ship_to.street, order.ship_to.postcode) == ("Unit 3, Greenland Road", "S9 5GA")
    # "the lads start Friday" is not the date; Thursday at the latest is
    assert order.requested_date == date(2026, 11, 5)


def test_a_holiday_that_starts_on_a_day_is_no_delivery_date() -> None:
    # GIVEN a Chinese order whose plant closes for Spring Festival from one day
    order = _order(
        "你好，请安排：\n1. 黄色安全帽 30顶\n\n"
        "我们这边2月10号开始放春节假，节后送过来就行，2月21号之前送到。",
        sender=ZH_SENDER,
        sent=china_time(2027, 2, 3),
    )
    # THEN the closure is not the delivery; 21 February is
    assert order.requested_date == date(2027, 2, 21)


def test_a_clause_saying_which_ones_belongs_to_the_line_before() -> None:
    # GIVEN list lines that name a product by a loose word, then say which one
    text = (
        "can we get\n"
        "- a box of the nuts (M6)\n"
        "- 2 boxes of the hex ones, the 30mm long ones\n"
        "- 300 of the smaller boxes, 30 x 20 x 20\n"
    )
    # THEN the "ones" clause and the bare size complete their line
    assert _lines(text) == [("NUT-M6", 1), ("BLT-M6-30", 2), ("BOX-30", 300)]


def test_a_short_delivery_last_time_orders_nothing() -> None:
    lines = _lines(
        "Please could we have 6 rolls of stretch wrap.\n\n"
        "Also the last delivery was short by one roll of stretch wrap - not sure whether it\n"
        "was invoiced. Separate from this order."
    )
    assert lines == [("WRP-500", 6)]


def test_a_stack_of_them_is_no_sack() -> None:
    # GIVEN a catalog that sells refuse sacks
    base = refdata().products
    sack = replace(base["TWL-200"], sku="SCK-120", name="Refuse sack 120 L", aliases=("bin sack",))
    index = catalog_index({"SCK-120": sack, "PLT-EUR": base["PLT-EUR"]}, load_lexicon())
    # THEN "a stack of them" (how many pallets they still have) names no sack
    assert index.match("we've still got a stack of them").key is None
    assert index.match("refuse sacks").key == "SCK-120"


def test_an_approximate_count_at_the_end_of_a_list_line() -> None:
    lines = _lines("Could you order:\n\n- the small shipping boxes (30x20x20), around 200\n")
    assert lines == [("BOX-30", 200)]


OUR_FORWARDED_CONFIRMATION = (
    "________________________________\n"
    "From: Harbor Industrial Supply <orders@harbor-supply.example>\n"
    "Sent: 23 October 2026 14:12\n"
    "To: Sophie Turner <s.turner@thornfield.example>\n"
    "Subject: Order confirmation SO-26-3100 - TW-9100\n\n"
    "Order confirmation: SO-26-3100\n"
    "Your ref: TW-9100\n"
    "Requested delivery: 2026-10-30\n"
    "Deliver to: Thornfield Works, 12 Mill Lane, Leeds LS1 4AB, GB\n\n"
    "Ln  SKU        Description                        Qty  Unit\n"
    "1   BOX-30     Corrugated box 30 x 20 x 20 cm     400  each\n"
    "2   PLT-EUR    Wooden pallet EUR 1200 x 800        20  each\n"
)


def test_a_repeat_of_our_forwarded_confirmation_takes_nothing_of_ours() -> None:
    # GIVEN a colleague forwarding our confirmation of an earlier order to repeat it
    order = _order(
        "Hi, Sophie is away and said to repeat her last order, so:\n\n"
        "Same as the order below please, but only 10 pallets this time instead of\n"
        "20 - we've still got a stack of them.\n\nNew PO ref is TW-9131.\n\n"
        + OUR_FORWARDED_CONFIRMATION,
        subject="FW: Order confirmation SO-26-3100 - TW-9100",
    )
    # THEN the lines are the forwarded ones with the edit, the PO is the new one,
    # and our confirmation's date and delivery address are not the customer's
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BOX-30", 400),
        ("PLT-EUR", 10),
    ]
    assert order.po_number == "TW-9131"
    assert order.ship_to is None
    assert order.requested_date is None


def test_a_name_two_products_fit_is_the_one_of_the_orders_family() -> None:
    # GIVEN "胶带" (tape: packing tape or insulation tape) in a run of packing goods
    base = refdata().products
    products = {
        "PKG-BOX-30": replace(base["BOX-30"], sku="PKG-BOX-30"),
        "PKG-TAPE-48": replace(base["TPE-BRN-48"], sku="PKG-TAPE-48", name_zh="封箱胶带"),
        "PKG-WRAP-500": replace(base["WRP-500"], sku="PKG-WRAP-500"),
        "ELC-TAPE-RED": replace(base["ETP-RED"], sku="ELC-TAPE-RED", name_zh="绝缘胶带"),
    }
    data = replace(refdata(), products=products)
    text = "订单部：\n30x20x20纸箱两千个，胶带十箱，缠绕膜二十四卷，下周四前送到。"
    order = extract_order(envelope(text, sender=ZH_SENDER), data)
    # THEN the tape is the packing tape, ten cases of 36 rolls
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("PKG-BOX-30", 2000),
        ("PKG-TAPE-48", 360),
        ("PKG-WRAP-500", 24),
    ]
    # and alone, with nothing to go by, it stays for the clerk to choose
    alone = extract_order(envelope("胶带十箱，下周四前送到。", sender=ZH_SENDER), data)
    assert [line.sku for line in alone.lines] in ([], [None])


def test_swedish_cartons_of_a_stated_count() -> None:
    lines = _lines("Order:\n\nGRS-EP2     2 kartonger à 12 st\nBLT-M6-30   300 st\n")
    assert lines == [("GRS-EP2", 24), ("BLT-M6-30", 3)]


def test_cartons_of_a_stated_count_are_packs_even_of_boxes() -> None:
    # GIVEN boxes (also called cartons) ordered in cartons that say what they hold,
    # and grease, which the catalog ships in no case, in cartons of 12
    lines = _lines(
        "Top-up please:\n\n"
        "- cardboard boxes 50x40x30: 20 cartons (25 per carton)\n"
        "- EP2 grease  -  2 cartons (12 pcs each)\n"
    )
    # THEN the cartons are packs of what the customer says they hold
    assert lines == [("BOX-50", 500), ("GRS-EP2", 24)]
    # while "300 cartons 50x40x30" alone still counts the boxes themselves
    assert _lines("- 300 cartons 50x40x30\n") == [("BOX-50", 300)]


def test_straight_to_a_named_site_then_its_address() -> None:
    order = _order(
        "Need 30 hi vis vests L for Thursday. Straight to the Darnall site pls - "
        "Unit 2 Greenland Way, Sheffield S9 5GF, not the site office"
    )
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode) == ("Sheffield", "S9 5GF")


def test_a_chinese_change_that_still_delivers_on_the_day() -> None:
    # GIVEN a change whose last words keep the day ("还是20号送")
    order = _reply(
        "HD-2611-0402 有一处调整：纸箱改成800个。\n其他不变，还是20号送。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 16),
    )
    assert order.intent == Intent.CHANGE
    assert order.requested_date == date(2026, 11, 20)


def test_a_district_of_shanghai_written_in_english() -> None:
    order = _order(
        "Pls arrange 8 rolls of 4mm2 cable.\n"
        "Pls deliver to our forwarder's warehouse:\n"
        "Dongfang Logistics Co., Ltd. - Warehouse 3\n"
        "No. 88 Taigu Road, Waigaoqiao FTZ, Pudong, Shanghai 200131\n",
        sender=ZH_SENDER,
    )
    # THEN the city is Shanghai, a city that is its own province; Pudong is its district
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode, order.ship_to.country) == (
        "Shanghai",
        "200131",
        "CN",
    )


def test_the_day_after_the_bank_holiday() -> None:
    # GIVEN a UK order sent on Thursday 23 August 2029; the summer bank holiday is
    # Monday 27 August
    order = _order(
        "Could you send 4 rolls of the 1.5mm cable please?\n\n"
        "Delivery to Goods In on the Tuesday after the bank holiday please - that's the\n"
        "first day our sparks are back from shutdown.",
        sent=datetime(2029, 8, 23, 9, 0, tzinfo=UTC),
    )
    assert order.requested_date == date(2029, 8, 28)
    # and at Easter, Good Friday and Easter Monday are bank holidays
    easter = _order(
        "4 rolls of the 1.5mm cable, before the bank holiday please",
        sent=datetime(2027, 3, 22, 9, 0, tzinfo=UTC),
    )
    assert easter.requested_date == date(2027, 3, 26)


SPRAY_CONFIRMATION = (
    "> Order confirmation SO-26-3500\n> Your PO: TW-9500\n>\n"
    "> 1   SPR-400     Multi-purpose lubricant spray 400 ml   24 each\n"
    "> 2   GLV-LTX-M   Latex gloves size M                    10 box\n"
    "> 3   HLM-YEL     Safety helmet yellow                   20 each\n"
)


def test_one_more_case_adds_a_case() -> None:
    order = _reply(
        "Can we tweak this one? Add one more case of the WD-40 and 2 extra\n"
        "boxes of the gloves. Everything else the same.",
        quoted=SPRAY_CONFIRMATION,
        number="SO-26-3500",
    )
    # THEN a case of spray is 12 cans; the boxes of gloves are boxes
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("SPR-400", 36),
        ("GLV-LTX-M", 12),
        ("HLM-YEL", 20),
    ]


def test_another_size_of_a_line_named_just_before() -> None:
    order = _reply(
        "Please go ahead on the basis below:\n\n"
        "- spray: as confirmed\n- latex gloves: as confirmed, but size L instead of M\n"
        "- hard hats: make it 30\n",
        quoted=SPRAY_CONFIRMATION,
        number="SO-26-3500",
    )
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("SPR-400", 24),
        ("GLV-LTX-L", 10),
        ("HLM-YEL", 30),
    ]


def test_questions_that_say_they_are_not_an_order_yet() -> None:
    order = _order(
        "Hi,\n\nA couple of questions before we put anything through:\n\n"
        "1. What's your best price on the 12V cordless screwdrivers if we took six?\n"
        "2. Do you stock 8mm bolts, or only the M6 x 30? We'd need something like 10\n"
        "   boxes for the new job.\n\n"
        "This isn't an order yet - I need to get it signed off first."
    )
    assert order.intent == Intent.QUESTION
    assert order.lines == []


def test_stock_on_hand_then_so_none_this_time_orders_nothing() -> None:
    lines = _lines(
        "Please supply:\n\nMIG wire 0.8 mm  -  45 kg\n\n"
        "We still have 6 boxes of the M6 nuts from May, so none this time."
    )
    assert lines == [("WIR-08", 3)]


def test_the_amount_written_before_the_name_among_counts_of_people() -> None:
    # GIVEN prose that counts new starters and those with their own hats first
    lines = _lines(
        "Need these for weds at the depot job. 14 new lads starting and 4 of\n"
        "them have got their own hats so just 10 yellow hard hats. Also 2 boxes of\n"
        "the foam ear plugs"
    )
    # THEN the hats are the 10 written before their name
    assert lines == [("HLM-YEL", 10), ("EAR-FOAM-100", 2)]


def test_stock_running_low_elsewhere_orders_nothing() -> None:
    lines = _lines(
        "Can you get these ordered?\n\n- euro pallets - 20\n\n"
        "We're down to about 40 of the small shipping boxes, but a delivery of those\n"
        "is on its way from the other supplier, so leave them off. The depot still has\n"
        "3 pallets of your 50x40x30 boxes from the last order, so none of those this time."
    )
    assert lines == [("PLT-EUR", 20)]


def test_pieces_times_a_length_of_hose() -> None:
    assert _lines('Hydraulic hose 1/2"  -  2 pcs x 12,5 m\n') == [("HSE-12", 25)]


def test_a_volume_in_litres_is_the_catalogs_l() -> None:
    base = refdata().products
    bags = replace(base["TWL-200"], sku="BAG-120", name="Bin bags heavy duty 120 L", aliases=())
    index = catalog_index({"BAG-120": bags, "TWL-200": base["TWL-200"]}, load_lexicon())
    assert index.match("the 120 litre bin bags").key == "BAG-120"


def test_scrap_that_then_another_amount_corrects_the_line() -> None:
    lines = _lines(
        "need these for tomorrow\n\n15 yellow hard hats\n30 hi-vis vests (L)\n"
        "10 boxes ear plugs - scrap that, make it 4 boxes, lads found a box in the van\n"
    )
    assert lines == [("HLM-YEL", 15), ("VST-L", 30), ("EAR-FOAM-100", 4)]


def test_a_plant_shutting_on_a_day_the_goods_must_beat() -> None:
    order = _order(
        "I'm covering while Sophie is on leave - please send 20 yellow hard hats ahead of\n"
        "the Christmas rush. They must arrive before the plant shuts on Friday 18 December;\n"
        "we reopen on 4 January.",
        sent=datetime(2026, 12, 3, 10, 0, tzinfo=UTC),
    )
    # THEN the shutdown day is the date; "the Christmas rush" is no Christmas Day
    assert order.requested_date == date(2026, 12, 18)


def test_the_date_in_the_clause_that_asks_for_delivery() -> None:
    order = _order(
        "急单！麻烦今天备货，明天一定要送到：\n黄色安全帽 三十顶\n",
        sender=ZH_SENDER,
        sent=china_time(2026, 12, 16),
    )
    assert order.requested_date == date(2026, 12, 17)
    # a weekday in brackets after the date shares its clause, and changes nothing
    dated = _order(
        "黄色安全帽 三十顶\n请于12月25日（周五）前送到工地。",
        sender=ZH_SENDER,
        sent=china_time(2026, 12, 16),
    )
    assert dated.requested_date == date(2026, 12, 25)


def test_a_change_to_a_new_job_named_before_its_address() -> None:
    order = _reply(
        "Change of plan on this one, can it go straight to the new Neepsend job\n"
        "instead of Quarry Rd - Neepsend Works, Rutland Road, Sheffield S3 9PP\n\n"
        "And make the hats 30 not 20. Rest the same.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode) == ("Sheffield", "S3 9PP")


def test_an_unknown_sender_shipping_to_the_us_writes_the_month_first() -> None:
    order = _order(
        "Hello, could we place a first order?\n\n- 20 yellow hard hats\n\n"
        "Ship to:\nCedar Ridge Brewing Co.\n2215 S Kinnickinnic Ave\nMilwaukee, WI 53207\n\n"
        "We'd need everything by 3/12 for our inspection.",
        sender="beth@cedarridge.example",
    )
    assert order.customer_id is None
    assert order.requested_date == date(2027, 3, 12)


def test_an_unknown_product_closing_a_list_line() -> None:
    lines = _lines(
        "PO# 4551:\n\n  * 4mm2 wire - 6 rolls\n  * RCD 2-pole 40A - 4\n"
        "Delivery Thursday please. Receiving starts at 7.\n"
    )
    assert lines == [("CBL-4-100", 6), (None, 4)]


def test_ignore_a_numbered_line_of_a_forwarded_list() -> None:
    order = _order(
        "Please supply Mick's list below on PO# 4551 - we've got the discs from\n"
        "elsewhere so ignore line 3.\n\n"
        "-----Original Message-----\nFrom: Mick Hardcastle <mick@thornfield.example>\n"
        "Sent: 14 December 2026 16:52\nTo: James Smith <james@thornfield.example>\n"
        "Subject: requisition\n\n"
        "1. Yellow hard hats - 24\n2. Hi-vis vests L - 12\n3. 115mm grinding discs - 50\n"
    )
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 24), ("VST-L", 12)]


def test_a_numbered_line_of_a_new_order_dropped_by_its_number() -> None:
    text = (
        "您好，项目部需采购以下物资：\n\n"
        "1、黄色安全帽      规格：标准款      数量：40    单位：顶\n"
        "2、反光背心L码     规格：L码         数量：48    单位：件\n"
        "3、12V充电起子     规格：双电池      数量：4     单位：台\n"
        "4、擦手纸          规格：200张/卷    数量：6     单位：卷\n\n"
        "其中第3项起子先不要了，公司仓库调拨了几台过来，其余照常采购。\n"
    )
    # THEN line 3 goes, and the withdrawal takes nothing else with it
    assert _lines(text, sender=ZH_SENDER) == [("HLM-YEL", 40), ("VST-L", 48), ("TWL-200", 6)]


def test_a_table_row_corrected_by_its_number_below_the_table() -> None:
    text = (
        "节后第一批采购，请安排：\n\n"
        "序号   品名           规格                数量   单位\n"
        "1、   铜芯电缆       1.5平方 100米/卷     12     卷\n"
        "2、   铜芯电缆       4平方 100米/卷        6     卷\n"
        "3、   红色绝缘胶带   19mm x 20m           10     卷\n\n"
        "更正：第2项4平方电缆应为8卷，上表写错了。\n"
    )
    assert _lines(text, sender=ZH_SENDER) == [
        ("CBL-1.5-100", 12),
        ("CBL-4-100", 8),
        ("ETP-RED", 10),
    ]


def test_a_forms_unit_field_with_its_pack() -> None:
    text = (
        "办公用品，明细如下：\n"
        "1. 品名：LED灯泡  规格：E27 10W  数量：3  单位：箱（20个/箱）\n"
        "2. 品名：擦手纸  规格：200张  数量：6  单位：卷\n"
    )
    # THEN 3 cases of 20 bulbs are 60 bulbs, sold each
    assert _lines(text, sender=ZH_SENDER) == [("LMP-E27", 60), ("TWL-200", 6)]


def test_lots_of_single_items_multiplied_out() -> None:
    assert _lines("Stretch film 500 mm  -  2 x 6 rolls\n") == [("WRP-500", 12)]


def test_a_change_with_its_total_restated_in_brackets() -> None:
    quoted = (
        "> Order confirmation SO-26-3600\n> Your PO: TW-9600\n>\n"
        "> 1   WIR-08   MIG wire ER70S-6 0.8 mm 15 kg spool   3 spool\n"
        "> 2   GRS-EP2  Lithium grease EP2 400 g cartridge   24 each\n"
    )
    order = _reply(
        "Please change the order as follows:\n\n"
        "MIG wire: 5 spools instead of 3 (75 kg in total)\n\nAll other lines stay as confirmed.",
        quoted=quoted,
        number="SO-26-3600",
    )
    assert [(line.sku, line.quantity) for line in order.lines] == [("WIR-08", 5), ("GRS-EP2", 24)]


def test_a_count_of_them_after_the_clause_that_names_the_product() -> None:
    lines = _lines(
        "Please send 24 yellow hard hats. If you have the 12 V cordless screwdrivers in\n"
        "stock, add two of them as well. If you have the 1.5mm cable in stock, please also\n"
        "add 3 rolls of that; if not, leave it off - we can't wait for a backorder."
    )
    assert lines == [("HLM-YEL", 24), ("SCR-12V", 2), ("CBL-1.5-100", 3)]


def test_a_po_that_will_be_on_the_next_line() -> None:
    order = _order("20 yellow hard hats please. Lisa is sending the PO, ref will be\nTW-9519\n")
    assert order.po_number == "TW-9519"


def test_a_remark_in_brackets_is_no_restated_total() -> None:
    lines = _lines("- 1,000 large latex gloves (we go through a box a shift)\n")
    assert lines == [("GLV-LTX-L", 10)]


KNIVES_CONFIRMATION = (
    "> Order confirmation SO-26-3700\n> Your PO: TW-9700\n> Requested delivery: 2026-11-12\n>\n"
    "> 1   HLM-YEL   Safety helmet yellow            20 each\n"
    "> 2   VST-L     Hi-vis vest size L              20 each\n"
    "> 3   SCR-12V   Cordless screwdriver 12 V        6 each\n"
)


def test_a_terse_reply_that_sets_two_lines_and_leaves_one_off() -> None:
    order = _reply(
        "Morning\n\nFew more lads starting so make the hard hats 30 and the vests 30 as well.\n"
        "Screwdrivers - leave them off, found some in the van.\n"
        "Still thurs, same site - Plot 3, Hillfoot Rd, Sheffield S3 8AA",
        quoted=KNIVES_CONFIRMATION,
        number="SO-26-3700",
    )
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 30), ("VST-L", 30)]
    assert order.ship_to is not None and order.ship_to.postcode == "S3 8AA"


def test_knock_a_line_off() -> None:
    order = _reply(
        "Couple of tweaks:\n- knock the screwdrivers off, I'll grab some locally\n"
        "- vests up to 36\n",
        quoted=KNIVES_CONFIRMATION,
        number="SO-26-3700",
    )
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 20), ("VST-L", 36)]


def test_a_week_today() -> None:
    order = _order("20 yellow hard hats please. Can it be here a week today, Goods In as normal.")
    assert order.requested_date == date(2026, 11, 9)


def test_a_us_street_with_an_ordinal_is_no_line() -> None:
    lines = _lines(
        "Please ship to:\nThornfield c/o FastLane Freight\n8810 NW 25th St, Unit 4\n"
        "Doral, FL 33172\n\n- 12V cordless screwdrivers x 15\n"
    )
    assert lines == [("SCR-12V", 15)]


def test_a_purchasing_department_signature_orders_nothing() -> None:
    order = _order(
        "各位供应商伙伴：\n\n我司劳动节放假时间为5月1日至5月5日，放假期间仓库不收货。\n"
        "节前最后收货时间为4月30日下午5点，请提前安排好送货计划。\n\n"
        "恒达机电 采购部",
        sender=ZH_SENDER,
        sent=china_time(2027, 4, 25),
    )
    assert order.intent == Intent.OTHER
    assert order.requested_date is None


def test_a_chinese_change_with_its_total_in_cases() -> None:
    quoted = (
        "我方订单号：SO-26-3140\n贵司采购单号：HD-2611-0410\n\n"
        "LMP-E27    LED灯泡 E27 10W     40 个\n"
        "HLM-YEL    黄色安全帽          20 顶\n"
    )
    order = _reply(
        "HD-2611-0410 这张单麻烦改一下：\n1、LED灯泡再加１箱，一共３箱；\n"
        "2、安全帽这次不要了。\n其他不变。",
        quoted=quoted,
        number="SO-26-3140",
        sender=ZH_SENDER,
    )
    # THEN "一共３箱" is three cases of 20 bulbs
    assert [(line.sku, line.quantity) for line in order.lines] == [("LMP-E27", 60)]


def test_a_quick_one_before_signing_off_is_a_question() -> None:
    order = _reply(
        "Hi,\n\nQuick one before I sign this off - is the 4mm cable on this LSZH or standard\n"
        "PVC? If yours is PVC only, what would you suggest instead?",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.intent == Intent.QUESTION
    assert order.lines == []


def test_stock_left_over_from_the_last_drop_is_no_removal() -> None:
    lines = _lines(
        "Hi need this lot on site friday\n\n10 yellow hard hats\n6 hi vis vests L\n\n"
        "We've 8 hats left over from the last drop so 10 more will do us.\n"
        "We've still got 4 boxes of nuts on the rack so none this time.\n"
        "We still have about half a case of WD-40 in the cage.\n"
    )
    assert lines == [("HLM-YEL", 10), ("VST-L", 6)]


def test_a_chinese_confirm_that_accepts_our_minimum() -> None:
    order = _reply(
        "您好：\n\n确认无误，可以发货。安全帽按最小起订量改成10顶没问题，多出来的2顶留着备用。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    assert order.intent == Intent.CONFIRM


def test_a_reason_after_the_date_does_not_veto_it() -> None:
    order = _order(
        "12 yellow hard hats please.\n\nWe need this delivered by Tuesday 11/24 as the site\n"
        "closes for Thanksgiving from Wednesday.",
        sender="buyer@cedarridge.example",
        sent=datetime(2026, 11, 16, 15, 0, tzinfo=UTC),
    )
    assert order.requested_date == date(2026, 11, 24)


def test_one_more_case_of_a_line_in_a_reply() -> None:
    order = _reply(
        "Couple of changes:\n\n- WD-40: one more case please\n\nHard hats stay at 20.",
        quoted=SPRAY_CONFIRMATION,
        number="SO-26-3500",
    )
    assert order.intent == Intent.CHANGE
    assert ("SPR-400", 36) in [(line.sku, line.quantity) for line in order.lines]


def test_packs_said_in_brackets_or_as_stacks() -> None:
    lines = _lines(
        "PO# 6251 please:\n\n"
        "- 1 box EP2 grease cartridges (12 in a box)\n"
        "- EUR pallets 3 stacks of 10\n"
    )
    assert lines == [("GRS-EP2", 12), ("PLT-EUR", 30)]


def test_pieces_of_a_product_sold_by_the_roll_of_sheets_are_rolls() -> None:
    assert _lines("TWL-200    6 st\nBLT-M6-30  300 st\n") == [("TWL-200", 6), ("BLT-M6-30", 3)]


def test_a_chinese_month_end_and_a_stock_list_named_for_a_holiday() -> None:
    order = _order(
        "您好！国庆前备货明细如下，请查收并安排：\n黄色安全帽 三十顶\n"
        "9月底前送到，国庆期间（10月1日-7日）仓库不收货。",
        sender=ZH_SENDER,
        sent=china_time(2027, 9, 19),
    )
    assert order.requested_date == date(2027, 9, 30)


def test_that_is_fine_for_us_confirms() -> None:
    order = _reply(
        "Hi,\n\nErik is travelling - that is fine for us, the 20 hats are OK. Please confirm "
        "dispatch.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.intent == Intent.CONFIRM
    assert order.po_number == "TW-9300"


def test_a_new_invoice_address_is_for_the_accounts_team() -> None:
    order = _order(
        "Hi all,\n\nQuick admin note before the break: from January 1 please send all invoices "
        "to\nap@thornfield.example instead of my address. Remittance advices will come from the "
        "same\nmailbox.\n\nHappy holidays to everyone!"
    )
    assert order.intent == Intent.OTHER
    assert order.requested_date is None
