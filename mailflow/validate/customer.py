"""Who is ordering: a known customer, and one we may confirm to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailflow.extract.types import ExtractedOrder
from mailflow.validate.findings import Finding, Severity

if TYPE_CHECKING:
    from mailflow.validate import CheckContext


def check_customer(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    if context.customer is None:
        return [
            Finding(
                code="unknown_customer",
                severity=Severity.WARNING,
                field="customer",
                message="We could not match your address to a customer account.",
                clerk_message="Sender is not a known customer; check the account first.",
            )
        ]
    if context.customer.credit_status != "ok":
        return [
            Finding(
                code="credit_hold",
                severity=Severity.WARNING,
                field="customer",
                message="",
                clerk_message=(
                    f"{context.customer.name} is on credit status "
                    f"'{context.customer.credit_status}' ({context.customer.payment_terms}): "
                    "never confirmed automatically."
                ),
            )
        ]
    return []
