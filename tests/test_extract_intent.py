"""What a reply to our order confirmation asks for, from its new text only."""

from __future__ import annotations

import pytest

from mailflow.extract import extract_order
from mailflow.extract.types import Intent
from tests.fixtures.extract.builders import envelope, refdata

QUOTE = (
    "> Order confirmation SO-26-3100\n> Your PO: TW-9001\n>\n"
    "> 1   HLM-YEL   Safety helmet yellow     20 each\n"
    "> 2   NUT-M6    Hex nut M6 zinc plated    5 box\n"
)


def _intent(text: str) -> Intent:
    mail = envelope(
        text,
        subject="RE: Order confirmation SO-26-3100",
        in_reply_to="<SO-26-3100@harbor-supply.example>",
        quoted_text=QUOTE,
    )
    return extract_order(mail, refdata()).intent


@pytest.mark.parametrize(
    "text",
    [
        "Perfect, thanks.",
        "Thanks, noted - ship as planned please.",
        "Great, please ship.",
        "好的，没问题。",
        "确认。",
        "确认，按这个执行。送货前提前一天打电话。",
        "Approved. Dock 7 please, driver to check in at the guard shack first.",
        "yep all good. driver can call me when 15 min out, dock closes at 3",
        "确认，按此安排发货。预付款今天已经汇出，水单另发。",
    ],
)
def test_short_assent_confirms(text: str) -> None:
    assert _intent(text) == Intent.CONFIRM


@pytest.mark.parametrize(
    "text",
    [
        "Could you postpone the delivery by a week?",
        "Please move delivery to Thursday 12th.",
        "能否推迟到下周三送货？",
        "Please also send 5 boxes of latex gloves L with this order.",
    ],
)
def test_moving_the_delivery_or_adding_goods_is_a_change(text: str) -> None:
    assert _intent(text) == Intent.CHANGE


def test_a_question_about_the_order_stays_a_question() -> None:
    assert _intent("Thanks - which carrier will you use?") == Intent.QUESTION
