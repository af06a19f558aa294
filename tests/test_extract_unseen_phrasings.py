"""Phrasings from buyers the extractor had not met before this round: a
pack described by its weight, and more; each is a rule a clerk applies
without a second look."""

from __future__ import annotations

from mailflow.extract.types import Intent
from tests.test_extract_clerk_readings import _lines, _reply


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
