"""Orders above the approval limit (after discounts) need a supervisor."""

from __future__ import annotations

from decimal import Decimal

from mailflow.config import ChecksSettings
from tests.checks_support import check, codes, context, line, order, the


def approvals(quantity: int, limit: str) -> list[str]:
    # M8x40 bolts cost 18.50 a box, no promotion
    ctx = context(settings=ChecksSettings(approval_limit=Decimal(limit)))
    return [
        c for c in codes(check(order(line("FST-M8-40", quantity)), ctx)) if c == "approval_required"
    ]


def test_a_total_exactly_at_the_limit_needs_no_approval() -> None:
    assert approvals(20, "370.00") == []


def test_a_total_one_cent_above_the_limit_needs_a_supervisor() -> None:
    ctx = context(settings=ChecksSettings(approval_limit=Decimal("369.99")))
    finding = the(check(order(line("FST-M8-40", 20)), ctx), "approval_required")
    assert finding.severity == "warning" and finding.message == ""
    assert finding.clerk_message == (
        "Order total US$370.00 is above the approval limit of US$369.99: a supervisor approves."
    )


def test_a_limit_of_zero_turns_the_check_off() -> None:
    assert approvals(20, "0") == []


def test_the_limit_compares_the_total_after_discounts() -> None:
    # GIVEN 400 rolls of tape: 440.00 list, 374.00 after 15 %
    ctx = context(settings=ChecksSettings(approval_limit=Decimal("400")))
    assert "approval_required" not in codes(check(order(line("PKG-TAPE-48", 400)), ctx))
