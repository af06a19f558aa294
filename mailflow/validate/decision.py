"""What happens to a checked e-mail: confirm, clarify, review or ignore."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from enum import StrEnum

from mailflow.extract.types import Intent
from mailflow.validate.findings import Finding, Severity

# Findings that keep an order from the customer until a clerk has looked,
# even when there are questions to ask: we do not write to a spoofed sender,
# ask again about a copy, or quote prices to a stranger unseen.
DEFAULT_HOLD_CODES = ("sender_unverified", "duplicate_order", "unknown_customer")


class OrderDecision(StrEnum):
    CONFIRM = "confirm"  # nothing open: send the confirmation
    CLARIFY = "clarify"  # ask the customer the open questions
    REVIEW = "review"  # a clerk decides first
    IGNORE = "ignore"  # machine mail or not about orders: never answered


def decide(
    intent: str, findings: Sequence[Finding], *, hold_codes: Collection[str] = DEFAULT_HOLD_CODES
) -> OrderDecision:
    """The decision for an e-mail of ``intent`` with these findings.

    Non-order mail is ignored (auto-replies, other) or left to a clerk
    (replies, changes, questions). For an order: a held finding → review;
    else an error the customer can answer → clarify; else any warning (or
    an error only a clerk can resolve) → review; else → confirm.
    """
    if intent in (Intent.AUTO_REPLY, Intent.OTHER):
        return OrderDecision.IGNORE
    if intent != Intent.ORDER:
        return OrderDecision.REVIEW
    open_ = [f for f in findings if f.severity is not Severity.INFO]
    if any(f.code in hold_codes for f in open_):
        return OrderDecision.REVIEW
    if any(f.severity is Severity.ERROR and f.message for f in open_):
        return OrderDecision.CLARIFY
    return OrderDecision.REVIEW if open_ else OrderDecision.CONFIRM
