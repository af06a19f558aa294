"""Duplicates: the same customer's PO again within the window (90 days), or
the same lines from the same sender within minutes (30)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mailflow.validate import PriorOrder
from tests.checks_support import check, codes, context, line, order, the

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
SENDER = "priya@riverside.example"


def prior(
    *, po: str | None = "4471", ago: timedelta, sender: str = SENDER, customer: str = "C-GB"
) -> PriorOrder:
    return PriorOrder(
        customer_id=customer,
        po_number=po,
        sender=sender,
        received_at=NOW - ago,
        lines=(("FST-M8-40", 2),),
        reference="ORD-4KQ7N2XB",
    )


def duplicates(*earlier: PriorOrder, po: str | None = "4471") -> list[str]:
    ctx = context(sender=SENDER, received_at=NOW, prior_orders=earlier)
    return [
        c
        for c in codes(check(order(line("FST-M8-40", 2), po_number=po), ctx))
        if c == "duplicate_order"
    ]


def test_the_same_po_again_is_a_duplicate_for_the_clerk() -> None:
    ctx = context(sender=SENDER, received_at=NOW, prior_orders=[prior(ago=timedelta(days=3))])
    finding = the(check(order(), ctx), "duplicate_order")
    assert finding.severity == "warning" and finding.message == "" and finding.field == "po_number"
    assert finding.clerk_message == (
        "PO 4471 from this customer was already received on Friday, 13 November 2026 "
        "(ORD-4KQ7N2XB): a copy?"
    )


def test_the_po_is_compared_without_spaces_dashes_or_case() -> None:
    assert duplicates(prior(po="po-4471", ago=timedelta(days=1)), po="PO 4471") == [
        "duplicate_order"
    ]


def test_the_same_po_exactly_at_the_window_is_a_duplicate() -> None:
    assert duplicates(prior(ago=timedelta(days=90))) == ["duplicate_order"]


def test_the_same_po_older_than_the_window_is_a_new_order() -> None:
    assert duplicates(prior(ago=timedelta(days=91))) == []


def test_the_same_po_from_another_customer_is_not_a_duplicate() -> None:
    assert duplicates(prior(ago=timedelta(days=1), customer="C-US")) == []


def test_the_same_lines_from_the_same_sender_within_minutes_are_a_duplicate() -> None:
    # GIVEN the same lines, without a PO, sent again 30 minutes later
    ctx = context(
        sender=SENDER, received_at=NOW, prior_orders=[prior(po=None, ago=timedelta(minutes=30))]
    )
    finding = the(check(order(line("FST-M8-40", 2), po_number=None), ctx), "duplicate_order")
    assert finding.field == "lines" and finding.data["minutes"] == 30


def test_the_same_lines_after_the_window_are_a_new_order() -> None:
    assert duplicates(prior(po=None, ago=timedelta(minutes=31)), po=None) == []


def test_the_same_lines_from_another_sender_are_not_a_duplicate() -> None:
    other = prior(po=None, ago=timedelta(minutes=5), sender="someone@riverside.example")
    assert duplicates(other, po=None) == []
