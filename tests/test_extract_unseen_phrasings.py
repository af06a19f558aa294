"""Phrasings from buyers the extractor had not met before this round: a
pack described by its weight, and more; each is a rule a clerk applies
without a second look."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from mailflow.extract.lexicon import load_lexicon
from mailflow.extract.products import catalog_index
from mailflow.extract.types import Intent
from tests.fixtures.extract.builders import china_time, refdata
from tests.test_extract_buyer_phrasings import DATED_CONFIRMATION
from tests.test_extract_clerk_readings import CN_CONFIRMATION, ZH_SENDER, _lines, _order, _reply


def test_a_weight_before_the_pack_it_fills_is_no_amount() -> None:
    # GIVEN wire and cable in kg and metres, then how the buyer wants them packed
    text = (
        "1.5mm cable - 300 m\nMIG wire 0.8 mm - 45 kg\n"
        "Please send the welding wire as your 15 kg spools and the cable in 100 m rolls."
    )
    # THEN "15 kg spools" and "100 m rolls" describe the pack and order nothing more
    assert _lines(text) == [("CBL-1.5-100", 3), ("WIR-08", 3)]


RAISED_CONFIRMATION = (
    "> Order confirmation SO-26-3400\n> Your PO: TW-9400\n>\n"
    "> 1   SPR-400   Multi-purpose lubricant spray 400 ml   24 each\n"
    "> 2   VST-L     Hi-vis vest size L                     20 each\n"
    "> 3   PLT-EUR   Wooden pallet EUR 1200 x 800           10 each\n"
    ">\n> Note: line 2 raised from 12 to 20 and line 3 from 4 to 10 (minimum order quantity).\n"
)


def test_a_reply_accepting_raised_amounts_and_making_two_edits() -> None:
    # GIVEN a reply that accepts both raised amounts, then removes one line and
    # adds another, the add cue wrapped onto the next line
    order = _reply(
        "20 vests and 10 pallets is fine, we'll use them. Two changes though: take the\n"
        "spray off (found a full case of it in the stores this morning) and please add\n"
        "6 of the 20m red tapes. Everything else as confirmed, delivery still Friday.",
        quoted=RAISED_CONFIRMATION,
        number="SO-26-3400",
    )
    # THEN it is a change: the accepted amounts stand (10 pallets is the pallets'
    # line, the one line called by that unit), the spray goes, and "6 of the 20m
    # red tapes" is six rolls
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("VST-L", 20),
        ("PLT-EUR", 10),
        ("ETP-RED", 6),
    ]


def test_no_product_this_time_over_a_wrapped_line_drops_that_line() -> None:
    # GIVEN pallets and pallet wrap confirmed, and a reply whose "No" ends a line
    quoted = (
        "> Order confirmation SO-26-3410\n> Your PO: TW-9410\n>\n"
        "> 1   WRP-500   Stretch film 500 mm x 300 m     12 roll\n"
        "> 2   PLT-EUR   Wooden pallet EUR 1200 x 800    20 each\n"
    )
    order = _reply(
        "Thanks Tom, the film is right and the date is fine for the yard as well. No\n"
        "pallets this time though, we had a stack of them back from the last job.",
        quoted=quoted,
        number="SO-26-3410",
    )
    # THEN the pallets go ("no" names no product), the wrap stays
    assert [(line.sku, line.quantity) for line in order.lines] == [("WRP-500", 12)]


def test_a_correction_with_its_reason_after_a_comma() -> None:
    # GIVEN "no make that 20, same as the helmets" under the vests' line
    text = "20 yellow helmets\n30 hi-vis vests L - no make that 20, same as the helmets\n"
    # THEN the vests are 20; the helmets named in the reason keep their own amount
    assert _lines(text) == [("HLM-YEL", 20), ("VST-L", 20)]


HOSE_CONFIRMATION = (
    "> Order confirmation SO-26-3420\n> Your order no: TW-9420\n"
    "> Requested delivery: 2026-11-20\n>\n"
    "> 1   WIR-08    MIG wire ER70S-6 0.8 mm 15 kg spool    6 spool\n"
    "> 2   HSE-12    Hydraulic hose 1/2 inch per metre     50 m\n"
    "> 3   SPR-400   Multi-purpose lubricant spray 400 ml  24 each\n"
)


def test_more_of_a_line_with_its_total_and_the_date_kept_in_passing() -> None:
    order = _reply(
        "We need to adjust TW-9420 before it ships:\n\n"
        "- MIG wire: only 4 spools, not 6\n"
        "- hose: 20 m more, so 70 m in total\n"
        "- lube spray: please remove, we found two cartons in the other store\n\n"
        "Everything else as in your confirmation, also the delivery date.",
        quoted=HOSE_CONFIRMATION,
        number="SO-26-3420",
    )
    # THEN "20 m more" adds to the 50 m, and "also the delivery date" keeps the quoted date
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [("WIR-08", 4), ("HSE-12", 70)]
    assert order.requested_date == date(2026, 11, 20)


def test_a_total_alone_sets_the_line_edited_just_before() -> None:
    # GIVEN an edit whose total stands in a sentence of its own
    order = _reply(
        "Please add 2 spools of the MIG wire to TW-9420. That makes 8 spools in total.",
        quoted=HOSE_CONFIRMATION,
        number="SO-26-3420",
    )
    # THEN the wire is 8 spools (6 + 2, as the total says), the rest unchanged
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("WIR-08", 8),
        ("HSE-12", 50),
        ("SPR-400", 24),
    ]


def test_half_a_dozen_and_a_case_and_a_half_in_chinese() -> None:
    # GIVEN 半打 (half a dozen) and 一箱半 (a case and a half; tape is 36 rolls a case)
    text = "黄色安全帽  半打\n棕色封箱胶带  一箱半\n"
    assert _lines(text, sender=ZH_SENDER) == [("HLM-YEL", 6), ("TPE-BRN-48", 54)]


def test_a_count_after_a_grade_with_a_number() -> None:
    # GIVEN "EP2 x 24": a grease grade, then the count (not a 2 x 24 size)
    assert _lines("Could you send:\ngrease cartridges EP2 x 24\nlube spray x 12\n") == [
        ("GRS-EP2", 24),
        ("SPR-400", 12),
    ]


def test_a_chinese_confirmation_with_payment_news() -> None:
    # GIVEN "没有问题" (no problem) beside a note that the prepayment has gone out
    order = _reply(
        "SO-26-3130 我们核对过了，没有问题。预付款财务今天上午已经转出，水单也发给贵司财务了，"
        "麻烦收款后尽快发货。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    # THEN it confirms the order; it is no mail for the accounts team
    assert order.intent == Intent.CONFIRM
    assert order.po_number == "HD-2611-0402"


def test_not_later_than_a_date_beside_a_later_booking() -> None:
    order = _order(
        "Please arrange 5 boxes of M6 nuts.\n\nThe goods must reach our warehouse not later "
        "than 20 November, as the container is booked for 23 November."
    )
    assert order.requested_date == date(2026, 11, 20)


def test_a_chinese_forwarder_who_changes_one_line_and_drops_another() -> None:
    text = (
        "你好，下面转发的是车间的申请，请按此下单。\n"
        "有两处和申请单不一样：安全帽车间报的是20顶，经理批了30顶，按30顶发；M6螺母这次不买。\n\n"
        "------------------ Original ------------------\n"
        'From:  "周强"<zhouqiang@hengda.example>;\n'
        "Date:  Mon, Nov 2, 2026 10:12 AM\n"
        "Subject:  车间耗材申请\n\n"
        "黄色安全帽  20顶\nM6螺母  5盒\n棕色封箱胶带  36卷\n"
    )
    # THEN the helmets the manager approved (30), no nuts, the tape as asked
    assert _lines(text, sender=ZH_SENDER, sent=china_time(2026, 11, 2)) == [
        ("HLM-YEL", 30),
        ("TPE-BRN-48", 36),
    ]


def test_cases_of_a_product_sold_by_the_box_with_what_a_case_holds() -> None:
    # GIVEN nuts sold by the box of 200, ordered as 3 cases "每箱10盒，每盒200个"
    text = "1、M6镀锌六角螺母  3箱（每箱10盒，每盒200个）\n"
    # THEN 30 boxes: the customer says a case holds ten of what we sell
    assert _lines(text, sender=ZH_SENDER) == [("NUT-M6", 30)]


def test_replies_that_accept_what_we_changed() -> None:
    english = _reply(
        "20 helmets is fine, send the tape when u get it. Lisa is sorting payment today",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    chinese = _reply(
        "收到，按你们更新后的确认单执行，一次发齐即可。谢谢！",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    # THEN both confirm; the payment news makes neither mail for accounts
    assert (english.intent, chinese.intent) == (Intent.CONFIRM, Intent.CONFIRM)
    assert chinese.po_number == "HD-2611-0402"


def test_a_po_given_as_what_to_process_the_forward_against() -> None:
    order = _order(
        "Please process the order below from our site manager against TW-9555.\n\n"
        "20 yellow helmets\n2 boxes of M6 nuts\n"
    )
    assert order.po_number == "TW-9555"


def test_a_chinese_customers_site_written_in_english_city_first() -> None:
    order = _order(
        "Pls arrange below goods:\n1. M6 nuts  10 boxes\n\n"
        "This batch pls deliver directly to our forwarder's warehouse:\n"
        "Shanghai Dongjiang Logistics Co., Ltd. (attn. Mr. Zhou)\n"
        "No. 1555 Tongshun Avenue, Lingang, Pudong New Area\n"
        "Shanghai 201306, China\n",
        sender=ZH_SENDER,
    )
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode, order.ship_to.country) == (
        "Shanghai",
        "201306",
        "CN",
    )
    assert order.ship_to.street == "No. 1555 Tongshun Avenue, Lingang, Pudong New Area"


def test_the_day_a_crew_moves_on_site_is_not_the_delivery() -> None:
    # GIVEN Monday 2 Nov: the crew moves in next Monday, the goods are wanted by Friday
    order = _order(
        "项目部下周一进场，需要以下物资：\n黄色安全帽  二十顶\n\n请本周五前送到项目部。",
        sender=ZH_SENDER,
        sent=china_time(2026, 11, 2),
    )
    assert order.requested_date == date(2026, 11, 6)


def test_a_pieces_count_after_a_comma_names_the_set() -> None:
    # GIVEN "10 x drill bit sets, HSS 13pc": the set has 13 pieces
    assert _lines("12 x LED bulbs E27\n10 x drill bit sets, HSS 13pc\n") == [
        ("LMP-E27", 12),
        ("DRB-13", 10),
    ]


def test_a_chinese_change_that_leaves_the_date_alone() -> None:
    order = _reply(
        "HD-2611-0402 调整如下：\n1、托盘不要了，请删掉；\n2、纸箱改为800个。\n"
        "别的都按原确认单，交期不动。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    assert order.intent == Intent.CHANGE
    assert order.requested_date == date(2026, 11, 20)


def test_a_day_the_crew_is_off_is_not_the_new_delivery_day() -> None:
    order = _reply(
        "Please drop the hard hats. Also the crew is off on Wednesday, can you push delivery "
        "to Friday 11/13?",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.intent == Intent.CHANGE
    assert order.requested_date == date(2026, 11, 13)


def test_long_list_lines_that_open_with_their_count_stay_apart() -> None:
    text = (
        "6 yellow helmets\n"
        "2 boxes of M6 nuts - we go through them fast on this job, make it 10 boxes\n"
        "4 rolls of stretch film\n"
    )
    # THEN the correction ends with its line; the film is a line of its own
    assert _lines(text) == [("HLM-YEL", 6), ("NUT-M6", 10), ("WRP-500", 4)]


def test_half_a_case() -> None:
    # GIVEN tape at 36 rolls a case and lube spray at 12 cans a case
    assert _lines("half a case of the brown packing tape\nhalf a case of lube spray\n") == [
        ("TPE-BRN-48", 18),
        ("SPR-400", 6),
    ]


def test_corrections_that_give_our_minimum_as_their_reason() -> None:
    text = (
        "Could we get:\n"
        "a roll of stretch film, actually make it 6 if that's your minimum\n"
        "3 no. boxes of LED bulbs E27 - sorry, make that 4 (your minimum)\n"
    )
    assert _lines(text) == [("WRP-500", 6), ("LMP-E27", 80)]


def test_one_as_a_pronoun_or_a_crew_is_no_line() -> None:
    english = _lines("Hi Karen,\n\nBit of an urgent one. Please send:\n\n15 x drill bit sets 13\n")
    chinese = _lines(
        "你好！项目新进场一个班组，劳保用品再补一批：\n\n黄色安全帽  再补30顶\n", sender=ZH_SENDER
    )
    assert (english, chinese) == ([("DRB-13", 15)], [("HLM-YEL", 30)])


def test_a_code_cut_short_names_the_one_product_it_can_only_be() -> None:
    # GIVEN codes of four parts: two cables, and gloves in two sizes
    base = refdata().products
    products = {
        "ELC-CBL-2.5-100": replace(base["CBL-1.5-100"], sku="ELC-CBL-2.5-100"),
        "ELC-CBL-4-100": replace(base["CBL-4-100"], sku="ELC-CBL-4-100"),
        "PPE-GLV-LTX-M": replace(base["GLV-LTX-M"], sku="PPE-GLV-LTX-M"),
        "PPE-GLV-LTX-L": replace(base["GLV-LTX-L"], sku="PPE-GLV-LTX-L"),
    }
    index = catalog_index(products, load_lexicon())
    # THEN "elc.cbl.2.5" is the 2.5 cable; "PPE GLV LTX" could be either size
    assert [hit.key for hit in index.find_codes("3 x elc.cbl.2.5 rolls")] == ["ELC-CBL-2.5-100"]
    assert index.find_codes("2 boxes PPE GLV LTX") == []
    assert [hit.key for hit in index.find_codes("ELC-CBL-4-100 x 2")] == ["ELC-CBL-4-100"]


def test_a_change_that_writes_out_the_address_it_keeps() -> None:
    order = _reply(
        "Two changes to TW-9300 before it ships, please:\n\n"
        "- M6 nuts: 5 -> 8 boxes\n- Add 2 boxes of latex gloves M\n\n"
        "Everything else as confirmed. Ship-to and date stay the same: Carlstadt\n"
        "(95 Moonachie Ave, Carlstadt, NJ 07072), the 12th.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.intent == Intent.CHANGE
    assert order.ship_to is not None
    assert (order.ship_to.street, order.ship_to.city, order.ship_to.postcode) == (
        "95 Moonachie Ave",
        "Carlstadt",
        "07072",
    )
    assert order.requested_date == date(2026, 11, 12)


def test_to_site_not_the_office_then_the_site_address() -> None:
    order = _order(
        "need this lot for monday for the new job pls\n\n10 yellow hard hats\n2 boxes M6 nuts\n\n"
        "to site not the yard - Site compound, Sheffield Road, Rotherham S60 1DX.\n"
        "gate opens 7.30, ring me when ur close"
    )
    assert order.ship_to is not None
    assert (order.ship_to.city, order.ship_to.postcode) == ("Rotherham", "S60 1DX")
    assert order.ship_to.street.endswith("Sheffield Road")


def test_another_day_asked_for_instead_of_the_confirmed_one() -> None:
    # GIVEN the confirmed delivery is Thursday 12 Nov; the buyer writes on Wednesday 11th
    order = _reply(
        "couple of changes on this one:\n- take the helmets off\n"
        "- tomorrow doesn't work anymore, the dock is closed for a floor repair.\n"
        "  can you do Monday instead?\n\nrest is fine",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
        sent=datetime(2026, 11, 11, 9, 0, tzinfo=UTC),
    )
    assert order.requested_date == date(2026, 11, 16)


def test_a_new_person_to_receive_the_goods_changes_no_order() -> None:
    order = _reply(
        "您好，\n\n确认没问题。托盘后补可以，其他的先发。\n"
        "仓库收货人换成刘师傅了，电话 138 2345 6789，麻烦跟司机说一下。",
        quoted=CN_CONFIRMATION,
        number="SO-26-3130",
        sender=ZH_SENDER,
    )
    assert order.intent == Intent.CONFIRM


def test_short_replies_that_confirm_in_the_buyers_own_words() -> None:
    for text in (
        "yep thats all right, crack on. Lisa says the payment went over last night",
        "All checks out on our end - go ahead.\n\nReceiving is on dock 3 this week, max 2\n"
        "pallets per drop.",
    ):
        order = _reply(text, quoted=DATED_CONFIRMATION, number="SO-26-3300")
        assert (order.intent, order.po_number) == (Intent.CONFIRM, "TW-9300"), text


def test_all_fine_apart_from_one_line_is_a_change() -> None:
    order = _reply(
        "Hi Tom,\n\nAll fine apart from the nuts - can we take that down to 4 boxes?\n"
        "The rest is confirmed as per your confirmation, same delivery\ndate.",
        quoted=DATED_CONFIRMATION,
        number="SO-26-3300",
    )
    assert order.intent == Intent.CHANGE
    assert [(line.sku, line.quantity) for line in order.lines] == [
        ("BLT-M6-30", 3),
        ("NUT-M6", 4),
        ("HLM-YEL", 20),
    ]
    assert order.requested_date == date(2026, 11, 12)


def test_a_correction_in_a_later_paragraph_names_its_line_first() -> None:
    text = (
        "- 3 bxs M6 nuts\n- 4 rolls 1.5mm cable\n- 10 x yellow helmets\n\n"
        "Correction on the cable before anyone picks it - make that 6 rolls, not 4.\n\n"
        "We've still got around 600 nuts in stores, hence only the 3 boxes.\n"
    )
    # THEN the cable is 6 rolls (not the helmets, the line last read), and
    # "the 3 boxes" refers to the nuts: no line of its own
    assert _lines(text) == [("NUT-M6", 3), ("CBL-1.5-100", 6), ("HLM-YEL", 10)]


def test_prose_that_restates_a_line_or_last_months_use_orders_nothing_more() -> None:
    text = (
        "MIG wire 0,8 mm  -  45 kg\nbrown packing tape - 2 cases\n\n"
        "The MIG wire comes on 15 kg spools like before, so that is 3 spools.\n"
        "FYI we went through 100 rolls of brown tape last month with the move.\n"
    )
    assert _lines(text) == [("WIR-08", 3), ("TPE-BRN-48", 72)]


def test_stock_still_on_hand_orders_nothing() -> None:
    english = _lines(
        "Can we get these ordered:\n\n- stretch film x 6 rolls\n- euro pallets x 40\n\n"
        "We still have 2 cases of tape left, so hold off on tape for now.\n"
    )
    chinese = _lines(
        "二车间包材需求如下：\n1、棕色封箱胶带  2箱\n2、欧标木托盘  20个\n\n"
        "车间现在还剩缠绕膜大概3卷，够用到周五。\n",
        sender=ZH_SENDER,
    )
    # ... but "could we have 8 rolls (if it's back in stock)" still orders them
    asked = _lines(
        "Could we have 6 rolls of stretch film (if it's back in stock - if not, leave it off "
        "and send the rest), 2 cases of brown tape and 20 euro pallets."
    )
    assert english == [("WRP-500", 6), ("PLT-EUR", 40)]
    assert chinese == [("TPE-BRN-48", 72), ("PLT-EUR", 20)]
    assert asked == [("WRP-500", 6), ("TPE-BRN-48", 72), ("PLT-EUR", 20)]


def test_a_correction_that_names_its_line_by_code() -> None:
    text = (
        "Please send the following:\n\nNUT-M6  x 6\nHLM-YEL  x 20\nBLT-M6-30  x 2\n\n"
        "Correction: NUT-M6 should be 8 boxes, not 6. Sorry.\n"
    )
    assert _lines(text) == [("NUT-M6", 8), ("HLM-YEL", 20), ("BLT-M6-30", 2)]


def test_an_amount_restated_in_brackets_as_rolls_times_length() -> None:
    assert _lines("  * 1.5mm cable – 300m (3 x 100m rolls)\n  * yellow helmets – 20\n") == [
        ("CBL-1.5-100", 3),
        ("HLM-YEL", 20),
    ]


def test_an_ordinal_first_is_no_piece() -> None:
    order = _order(
        "800 no. M6 hex nuts\n20 no. yellow helmets\n\n"
        "Delivery required Friday 1st January to the site compound:\nLoxley Road\nSheffield S6 4UB"
    )
    assert [(line.sku, line.quantity) for line in order.lines] == [("NUT-M6", 4), ("HLM-YEL", 20)]
    assert order.requested_date == date(2027, 1, 1)


def test_two_products_joined_by_along_with_and_stock_on_the_shelf() -> None:
    text = (
        "We need 300 of the M6 bolts along with 1,200 M6 nuts.\n\n"
        "We've still got 4 boxes of latex gloves on the shelf so leave those off this time."
    )
    assert _lines(text) == [("BLT-M6-30", 3), ("NUT-M6", 6)]


def test_a_numbered_form_whose_first_row_is_no_header() -> None:
    text = (
        "明细如下：\n"
        "1. 品名：黄色安全帽  规格：标准款  数量：20  单位：顶\n"
        "2. 品名：M6螺母  规格：镀锌  数量：5  单位：盒\n"
    )
    assert _lines(text, sender=ZH_SENDER) == [("HLM-YEL", 20), ("NUT-M6", 5)]


def test_a_closed_day_before_and_would_need_it_by_does_not_veto_the_date() -> None:
    order = _order(
        "Please send 10 yellow helmets and 2 boxes of M6 nuts.\n\n"
        "We're closed Mondays and would need it no later than Wednesday 11th November."
    )
    assert order.requested_date == date(2026, 11, 11)


def test_a_count_times_a_size_in_millilitres() -> None:
    assert _lines("2 x 400 ml lube spray\n10 yellow helmets\n") == [("SPR-400", 2), ("HLM-YEL", 10)]


def test_a_chinese_forwarder_who_drops_a_line_for_now() -> None:
    text = (
        "请按下面的需求下单，采购单号 HD-2903-01。\n"
        "托盘这次先不要（上次的还没用完），其它照他写的。\n\n"
        "-------- 转发邮件信息 --------\n\n"
        '发件人："黄志强" <huang@hengda.example>\n发送日期：2026-11-01 11:32\n主题：车间补料\n\n'
        "车间这周要补：\nM6螺母 5盒\n欧标木托盘 20个\n"
    )
    assert _lines(text, sender=ZH_SENDER) == [("NUT-M6", 5)]
