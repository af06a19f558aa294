"""Scenarios for split_reply: new text, quoted history and signature of real reply styles."""

from __future__ import annotations

from textwrap import dedent

from mailflow.mail.quotes import split_reply


def text(body: str) -> str:
    return dedent(body).strip("\n")


# Quoted history


def test_gmail_reply_with_prefixed_quote() -> None:
    # GIVEN a reply above a ">" quote introduced by "On … wrote:"
    body = text("""
        Yes that's all correct, please proceed.

        On Mon, 2 Nov 2026 at 16:41, Harbor Orders <orders@harbor-supply.example> wrote:
        > Order confirmation: SO-26-10412
        > 1   FST-M8-40    Hex bolt M8 x 40 mm     20  box
    """)
    # WHEN it is split
    new, quoted, _ = split_reply(body)
    # THEN only the reply is new, and the attribution goes with the quote
    assert new == "Yes that's all correct, please proceed."
    assert quoted.startswith("On Mon, 2 Nov 2026")
    assert "FST-M8-40" in quoted


def test_gmail_attribution_wrapped_over_two_lines() -> None:
    body = text("""
        Please proceed.

        On Thu, Nov 5, 2026 at 3:17 PM Harbor Industrial Supply <
        orders@harbor-supply.example> wrote:
        > Order confirmation: SO-26-10418
    """)
    new, quoted, _ = split_reply(body)
    assert new == "Please proceed."
    assert quoted.startswith("On Thu, Nov 5, 2026")


def test_apple_mail_attribution() -> None:
    body = text("""
        Go ahead.

        On 2 Nov 2026, at 09:14, Karen Liu <orders@harbor-supply.example> wrote:

        > Please confirm the order below.
    """)
    new, quoted, _ = split_reply(body)
    assert new == "Go ahead."
    assert "Please confirm the order below." in quoted


def test_outlook_header_block_without_prefixes_is_quoted_to_the_end() -> None:
    # GIVEN an Outlook reply: an underscore line and a From/Sent/To/Subject block
    body = text("""
        Confirmed - please proceed.

        ________________________________
        From: Harbor Industrial Supply <orders@harbor-supply.example>
        Sent: Tuesday, November 3, 2026 4:58 PM
        To: Maria Gonzalez <mgonzalez@bluewater-logistics.example>
        Subject: Order confirmation SO-26-10415

        1   PPE-GLV-NIT-L  Nitrile gloves size L    40  box
    """)
    new, quoted, _ = split_reply(body)
    assert new == "Confirmed - please proceed."
    assert quoted.startswith("________________________________\nFrom: Harbor")
    assert quoted.endswith("40  box")


def test_outlook_original_message_separator() -> None:
    body = text("""
        Please cancel this order in full.

        -----Original Message-----
        From: Harbor Industrial Supply <orders@harbor-supply.example>
        Sent: Friday, November 13, 2026 3:10 PM
        Subject: Order confirmation SO-26-10447
    """)
    new, quoted, _ = split_reply(body)
    assert new == "Please cancel this order in full."
    assert quoted.startswith("-----Original Message-----")


def test_swedish_outlook_header_block() -> None:
    body = text("""
        OK for us, go ahead.

        Från: Harbor Industrial Supply <orders@harbor-supply.example>
        Skickat: den 17 november 2026 16:32
        Till: Anna Bergström <anna.bergstrom@norrlandmaskin.example>
        Ämne: Order confirmation SO-26-10455
    """)
    new, quoted, _ = split_reply(body)
    assert new == "OK for us, go ahead."
    assert quoted.startswith("Från:")


def test_qq_mail_original_separator_with_chinese_headers() -> None:
    body = text("""
        这张采购单请全部取消。

        ------------------ 原始邮件 ------------------
        发件人: "Harbor Industrial Supply 订单部" <orders@harbor-supply.example>
        发送时间: 2026年11月9日(星期一) 下午4:05
        收件人: "陈静" <chenjing@tianfu-pm.example>
        主题: 订单确认 SO-26-10437
    """)
    new, quoted, _ = split_reply(body)
    assert new == "这张采购单请全部取消。"
    assert quoted.startswith("------------------ 原始邮件")


def test_chinese_outlook_block_with_full_width_colons() -> None:
    body = text("""
        数量改为30卷。

        发件人：Harbor Industrial Supply 订单部 <orders@harbor-supply.example>
        发送时间：2026年11月20日 15:02
        收件人：王海燕
        主题：订单确认 SO-26-10463
    """)
    new, quoted, _ = split_reply(body)
    assert new == "数量改为30卷。"
    assert quoted.startswith("发件人：")


def test_chinese_client_attribution() -> None:
    body = text("""
        确认无误，请安排发货。

        在 2026年11月4日 16:20，Harbor 订单部 <orders@harbor-supply.example> 写道：
        > 订单确认号：SO-26-10420
        > 1     PKG-BOX-60     瓦楞纸箱 60x40x40cm        500    个
    """)
    new, quoted, _ = split_reply(body)
    assert new == "确认无误，请安排发货。"
    assert "PKG-BOX-60" in quoted


def test_reply_written_below_the_quote_stays_new() -> None:
    # GIVEN a bottom-posted reply: the answer follows the ">" lines
    body = text("""
        On Mon, 2 Nov 2026 at 16:41, Harbor Orders <orders@harbor-supply.example> wrote:
        > Can you confirm the delivery date?

        Yes, Thursday is fine.
    """)
    new, quoted, _ = split_reply(body)
    assert new == "Yes, Thursday is fine."
    assert quoted.endswith("> Can you confirm the delivery date?")


def test_prefixed_lines_without_attribution_are_quoted() -> None:
    new, quoted, _ = split_reply("> 20 boxes M8 bolts\n\nMake it 30 please.")
    assert new == "Make it 30 please."
    assert quoted == "> 20 boxes M8 bolts"


# Signatures


def test_sign_off_block_with_title_and_address_is_the_signature() -> None:
    # GIVEN an order ending in a sign-off and an office address
    body = text("""
        Please send 20 boxes of M8 bolts on PO# 4471.

        Thanks
        James

        James Smith
        Purchasing | Riverside Fabrication Ltd
        27 Wellington Road, Leeds LS12 1DU
        T: 0113 496 0321  M: 07700 900417
    """)
    new, _, signature = split_reply(body, sender_name="James Smith")
    # THEN the office address is in the signature, not in the order text
    assert new == "Please send 20 boxes of M8 bolts on PO# 4471."
    assert signature.startswith("Thanks\nJames")
    assert "27 Wellington Road" in signature


def test_chinese_sign_off_and_company_block_is_the_signature() -> None:
    body = text("""
        请安排发货。

        谢谢！
        李娜
        上海恒通机电设备有限公司 采购部
        地址：上海市浦东新区商城路660号乐凯大厦12楼
    """)
    new, _, signature = split_reply(body, sender_name="李娜")
    assert new == "请安排发货。"
    assert signature.startswith("谢谢！")


def test_formal_chinese_closing_is_the_signature() -> None:
    new, _, signature = split_reply("请报价。\n\n此致\n敬礼！\n张伟", sender_name="张伟")
    assert new == "请报价。"
    assert signature == "此致\n敬礼！\n张伟"


def test_signature_that_starts_with_the_senders_name() -> None:
    # GIVEN no sign-off, only the sender's name above the company and phone
    body = "确认无误，请安排发货。\n\n王海燕\n鹏达包装 采购部\n0755-2788 6600"
    new, _, signature = split_reply(body, sender_name="王海燕")
    assert new == "确认无误，请安排发货。"
    assert signature == "王海燕\n鹏达包装 采购部\n0755-2788 6600"


def test_sign_off_followed_by_first_name_on_one_line() -> None:
    new, _, signature = split_reply(
        "6 tape measures\n\ncheers Dan\nKestrel Joinery", sender_name="Dan Ashworth"
    )
    assert new == "6 tape measures"
    assert signature == "cheers Dan\nKestrel Joinery"


def test_dash_dash_space_delimiter_starts_the_signature() -> None:
    new, _, signature = split_reply("Delivery Tuesday please.\n\n-- \nTom Reilly\n(973) 555-0163")
    assert new == "Delivery Tuesday please."
    # Trailing spaces are trimmed from every line, the delimiter's too.
    assert signature == "--\nTom Reilly\n(973) 555-0163"


def test_sent_from_my_iphone_is_the_signature() -> None:
    new, _, signature = split_reply("Looks good, go ahead.\n\nSent from my iPhone")
    assert new == "Looks good, go ahead."
    assert signature == "Sent from my iPhone"


def test_chinese_mobile_footer_is_the_signature() -> None:
    new, _, signature = split_reply("确认，请发货。\n\n发自我的iPhone")
    assert new == "确认，请发货。"
    assert signature == "发自我的iPhone"


def test_order_lines_after_thanks_are_not_a_signature() -> None:
    # GIVEN "Thanks" followed by more order lines (a PS with items)
    body = "Please send the usual.\n\nThanks\nJames\n\nPS also 10 boxes M8 nuts"
    # THEN nothing is cut: when unsure, the text stays new
    new, _, signature = split_reply(body, sender_name="James Smith")
    assert new == body
    assert signature == ""


def test_a_reply_that_is_only_a_thank_you_stays_new() -> None:
    new, _, signature = split_reply("Thanks!")
    assert new == "Thanks!"
    assert signature == ""


# Forwards


def test_gmail_inline_forward_stays_in_new_text() -> None:
    # GIVEN a forward to the order desk with the order inside it
    body = text("""
        Please supply the items below on PO BWL-448911.

        ---------- Forwarded message ---------
        From: Luis Ortega <lortega@bluewater-logistics.example>
        Date: Thu, Dec 3, 2026 at 4:12 PM
        Subject: PPE
        To: Maria Gonzalez <mgonzalez@bluewater-logistics.example>

        - 10 boxes large nitrile gloves
    """)
    # WHEN it is split
    new, quoted, _ = split_reply(body, subject="Fwd: PPE")
    # THEN the forwarded order is part of the new text, nothing is quoted
    assert new == body
    assert quoted == ""


def test_apple_mail_forward_stays_in_new_text() -> None:
    body = "FYI, please process.\n\nBegin forwarded message:\n\n> From: Luis\n> 6 boxes ear plugs"
    new, quoted, _ = split_reply(body)
    assert "6 boxes ear plugs" in new
    assert quoted == ""


def test_chinese_forward_marker_stays_in_new_text() -> None:
    body = text("""
        请按下面的清单发货。

        -------- 转发的邮件 --------
        发件人：刘洋
        日期：2026年11月24日
        主题：劳保

        丁腈手套 M码 20盒
    """)
    new, quoted, _ = split_reply(body)
    assert "丁腈手套 M码 20盒" in new
    assert quoted == ""


def test_outlook_forward_is_recognised_by_its_subject() -> None:
    # GIVEN an Outlook "FW:" whose forwarded mail sits under a header block
    body = text("""
        Please supply the items in Luis's email below.

        Thanks,
        Maria

        ________________________________
        From: Luis Ortega <lortega@bluewater-logistics.example>
        Sent: Thursday, December 3, 2026 4:12 PM
        To: Maria Gonzalez <mgonzalez@bluewater-logistics.example>
        Subject: PPE for Newark DC

        - 40 hi-vis vests (L)
    """)
    new, quoted, signature = split_reply(body, sender_name="Maria Gonzalez", subject="FW: PPE")
    # THEN the forward is new text and the forwarder's own sign-off is the signature
    assert new.startswith("Please supply the items in Luis's email below.\n\n____")
    assert "- 40 hi-vis vests (L)" in new
    assert signature == "Thanks,\nMaria"
    assert quoted == ""


def test_forward_inside_a_quote_is_quoted_history() -> None:
    # GIVEN a reply whose quoted history contains an older forward
    body = text("""
        Thanks, received.

        On Fri, 4 Dec 2026 at 10:00, Harbor Orders <orders@harbor-supply.example> wrote:
        > ---------- Forwarded message ---------
        > 40 hi-vis vests
    """)
    new, quoted, _ = split_reply(body)
    assert new == "Thanks, received."
    assert "40 hi-vis vests" in quoted


def test_sentence_starting_with_on_above_an_attribution_stays_new() -> None:
    body = text("""
        On Monday we need 10 boxes M8 bolts.
        On Mon, 2 Nov 2026 at 16:41, Harbor Orders <orders@harbor-supply.example> wrote:
        > Order confirmation: SO-26-10412
    """)
    new, quoted, _ = split_reply(body)
    assert new == "On Monday we need 10 boxes M8 bolts."
    assert quoted.startswith("On Mon, 2 Nov 2026")


def test_an_advert_below_a_rule_under_the_signature_is_signature() -> None:
    # GIVEN a sign-off, contact lines, a rule, then a banner with stock figures
    body = dedent(
        """\
        Please send 20 yellow hard hats by Friday.

        Many thanks,
        Priya

        Priya Desai | Buyer
        Orchard Packaging Co
        --
        Orchard Packaging: double-wall cartons now in stock - 5,000 pcs
        ready to ship to your customers!
        """
    )
    new, _, signature = split_reply(body)
    # THEN the banner is not part of what the customer newly wrote
    assert new.strip() == "Please send 20 yellow hard hats by Friday."
    assert "5,000 pcs" in signature


def test_a_chinese_rule_line_under_the_signature_ends_the_new_text() -> None:
    body = (
        "请安排：黄色安全帽 二十顶\n\n谢谢！\n\n陈敏\n恒通机电 采购部\n"
        "——————————\n常备现货：M8螺母 300盒，欢迎调货\n"
    )
    new, _, signature = split_reply(body)
    assert new.strip() == "请安排：黄色安全帽 二十顶"
    assert "300盒" in signature


def test_an_order_line_after_a_rule_without_a_sign_off_stays_new_text() -> None:
    body = "Order below\n----------\n2 boxes of M6 nuts\n"
    new, _, signature = split_reply(body)
    assert "2 boxes of M6 nuts" in new and not signature


def test_a_reply_written_below_an_unprefixed_qq_quote_is_new_text() -> None:
    # GIVEN a QQ reply with nothing above the quote, and the reply under a closing rule
    text = dedent(
        """\
        ------------------ 原始邮件 ------------------
        发件人: "Harbor Industrial Supply" <orders@harbor-supply.example>
        发送时间: 2026年10月20日 14:05
        主题: 订单确认 SO-26-04402

        您的订单已确认：
        丁腈手套 M码        20盒

        -----------------------------------------------
        老样子再来一份，手套M码多要10盒。采购单号 TF-2611-041。
        """
    )
    new, quoted, _ = split_reply(text)
    # THEN the text under the rule is the reply; the confirmation is quoted
    assert new == "老样子再来一份，手套M码多要10盒。采购单号 TF-2611-041。"
    assert "丁腈手套 M码" in quoted and "老样子" not in quoted


def test_a_top_posted_reply_keeps_a_rule_inside_the_quote_quoted() -> None:
    text = dedent(
        """\
        Yes, please go ahead.

        ------------------ Original ------------------
        From: "Harbor Industrial Supply" <orders@harbor-supply.example>
        Date: 20 Oct 2026 14:05
        Subject: Order confirmation SO-26-04402

        20 x nitrile gloves M
        ----------------------------------------
        Harbor Industrial Supply, registered in England
        """
    )
    new, quoted, _ = split_reply(text)
    assert new == "Yes, please go ahead."
    assert "registered in England" in quoted


def test_replies_written_between_quoted_lines_stay_new_text_with_their_line() -> None:
    # GIVEN edits written under the quoted lines they answer, below a signed top part
    body = text("""
        Couple of edits inline below, Friday is still good.

        Dave

        On Wed, Nov 18, 2026 at 2:02 PM Harbor Orders <orders@harbor-supply.example> wrote:
        > Ln  SKU           Description                     Qty  Unit
        > 1   OFF-PPR-A4    Copy paper A4 80 gsm (5 reams)    8  case
        > 2   OFF-TNR-HP26  Toner cartridge HP 26A            3  each

        make it 5 of these, the printer on 3 died too

        > 3   OFF-PEN-BLU   Ballpoint pen blue (box of 50)    4  box
        >
        > Kind regards,

        drop the pens as well

        Thanks
        Dave
    """)
    new, quoted, signature = split_reply(body, sender_name="Dave Kowalski")
    # THEN each reply is new text, after the item of the quoted line it answers
    assert new == (
        "Couple of edits inline below, Friday is still good.\n\n"
        "(on: OFF-TNR-HP26 Toner cartridge HP 26A)\n"
        "make it 5 of these, the printer on 3 died too\n\n"
        "drop the pens as well"
    )
    # AND the quote holds only quoted lines; both sign-offs are the signature
    assert "make it 5" not in quoted and "OFF-PEN-BLU" in quoted
    assert signature.split() == ["Dave", "Thanks", "Dave"]


def test_the_sign_off_under_an_inline_reply_is_signature_though_the_quote_goes_on() -> None:
    # GIVEN a reply between quoted lines that ends in a sign-off, more quote below it,
    # and blank lines at the end of the mail
    body = (
        text("""
        One change below.

        On Wed, Nov 18, 2026 at 2:02 PM Harbor Orders <orders@harbor-supply.example> wrote:
        > 1   OFF-PEN-BLU   Ballpoint pen blue (box of 50)    4  box

        drop the pens please

        Thanks
        Dave

        > Kind regards,
        > Tom

    """)
        + "\n\n"
    )
    new, _, signature = split_reply(body, sender_name="Dave Kowalski")
    assert (
        new == "One change below.\n\n(on: OFF-PEN-BLU Ballpoint pen blue (box of 50))\n"
        "drop the pens please"
    )
    assert signature.split() == ["Thanks", "Dave"]
