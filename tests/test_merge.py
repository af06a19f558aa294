"""Merging a customer's answer into the stored order."""

from __future__ import annotations

from pathlib import Path

from mailflow.db.models import Order
from mailflow.extract.types import ExtractedLine, ExtractedOrder, Intent
from mailflow.merge import apply_answer, apply_change
from mailflow.orders import order_line
from mailflow.refdata import load_reference_data

DEMO = Path(__file__).resolve().parent.parent / "config/demo"
REFDATA = load_reference_data(catalog=DEMO / "catalog.csv")


def stored(*lines: ExtractedLine) -> Order:
    return Order(lines=[order_line(i, line) for i, line in enumerate(lines)])


def answer(*lines: ExtractedLine) -> ExtractedOrder:
    return ExtractedOrder(Intent.ORDER, "en", "D-100", lines=list(lines))


def test_naming_one_of_the_candidates_places_the_ambiguous_line() -> None:
    # GIVEN "4 boxes of gloves" that could be either glove, and a product we lack
    order = stored(
        ExtractedLine(None, 3, "3 tubes of sealant"),
        ExtractedLine(None, 4, "4 boxes of gloves", candidates=["GLV-CUT-9", "GLV-NIT-L"]),
    )
    # WHEN the customer answers "the nitrile ones"
    changes = apply_answer(
        order, answer(ExtractedLine("GLV-NIT-L", None, "nitrile")), refdata=REFDATA
    )
    # THEN the ambiguous line becomes that product, keeping its quantity
    assert [(ln.sku, ln.quantity) for ln in order.lines] == [(None, 3), ("GLV-NIT-L", 4)]
    assert changes[0]["field"] == "product"


def test_a_change_keeps_the_lines_it_does_not_mention() -> None:
    order = stored(
        ExtractedLine("BLT-M6-30", 2, "2 boxes BLT-M6-30"),
        ExtractedLine("NUT-M6", 1, "1 box NUT-M6"),
    )
    apply_change(order, answer(ExtractedLine("NUT-M6", 3, "3 boxes NUT-M6")), refdata=REFDATA)
    assert [(ln.sku, ln.quantity) for ln in order.lines] == [("BLT-M6-30", 2), ("NUT-M6", 3)]


def test_a_change_to_zero_removes_the_line() -> None:
    order = stored(
        ExtractedLine("BLT-M6-30", 2, "2 boxes BLT-M6-30"),
        ExtractedLine("NUT-M6", 1, "1 box NUT-M6"),
    )
    apply_change(order, answer(ExtractedLine("BLT-M6-30", 0, "no bolts")), refdata=REFDATA)
    assert [(ln.position, ln.sku) for ln in order.lines] == [(0, "NUT-M6")]
