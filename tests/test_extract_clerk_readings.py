"""More readings a careful clerk makes: a head noun settles which line an
edit names, a PO given by the words that put an order through, a PO glued
to a bare 单号, and others added with them."""

from __future__ import annotations

from mailflow.extract import extract_order
from mailflow.extract.types import ExtractedOrder, Intent
from tests.fixtures.extract.builders import china_time, envelope, refdata

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
