"""The customer: known, and not on credit hold or prepayment (never confirmed
automatically; the clerk sees why, the customer is not told)."""

from __future__ import annotations

from tests.checks_support import check, codes, context, order, the


def test_a_known_customer_in_good_standing_raises_nothing() -> None:
    findings = check(order())
    assert not {"unknown_customer", "credit_hold"} & set(codes(findings))


def test_an_unknown_sender_is_for_the_clerk() -> None:
    # GIVEN an order from an address no customer writes from
    ctx = context(None, sender="buyer@dunmore-eng.example")
    finding = the(check(order(customer_id=None), ctx), "unknown_customer")
    # THEN the clerk is told who wrote; the customer is not asked anything
    assert finding.severity == "warning" and finding.message == ""
    assert "buyer@dunmore-eng.example is not a known customer" in finding.clerk_message


def test_a_customer_on_credit_hold_is_held_for_the_clerk() -> None:
    finding = the(check(order(customer_id="C-HOLD"), context("C-HOLD")), "credit_hold")
    assert finding.severity == "warning" and finding.message == ""
    assert finding.clerk_message.startswith("Peak Valley Construction is on credit status 'hold'")


def test_a_prepaying_customer_counts_as_credit_hold() -> None:
    findings = check(order(customer_id="C-PRE"), context("C-PRE"))
    assert the(findings, "credit_hold").data["terms"] == "PREPAID"
