"""What the checks know besides the order: reference data, the customer, the
day, the settings, and the facts about the message and earlier orders that
the pipeline reads from the envelope and the database."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from mailflow.config import ChecksSettings
from mailflow.extract.types import ExtractedOrder
from mailflow.refdata import Customer, ReferenceData
from mailflow.validate.l10n import reply_language


@dataclass(frozen=True)
class PriorOrder:
    """An order received before, as duplicate_order compares it."""

    customer_id: str | None
    po_number: str | None
    sender: str
    received_at: datetime  # timezone-aware
    lines: tuple[tuple[str | None, int | None], ...]  # (sku, quantity), in order
    reference: str = ""  # our token for it, shown to the clerk


@dataclass(frozen=True)
class CheckContext:
    refdata: ReferenceData
    customer: Customer | None
    today: date
    settings: ChecksSettings = dataclasses.field(default_factory=ChecksSettings)
    # The reply's language and the delivery country; validate_order fills them
    # from the order when they are left empty.
    language: str = ""
    country: str = ""
    # From the envelope: the sender's bare address, the Date: header, and every
    # Authentication-Results header as written.
    sender: str = ""
    received_at: datetime | None = None
    authentication_results: Sequence[str] = ()
    # From the database: this customer's and this sender's recent orders.
    prior_orders: Sequence[PriorOrder] = ()

    def for_order(self, order: ExtractedOrder) -> CheckContext:
        """This context with the reply language and delivery country of ``order``."""
        language = self.language or reply_language(order.language, self.customer)
        return dataclasses.replace(self, language=language, country=delivery_country(order, self))


def delivery_country(order: ExtractedOrder, context: CheckContext) -> str:
    """The stated ship-to's country, else the customer's default one ("" if unknown)."""
    if order.ship_to is not None and order.ship_to.country:
        return order.ship_to.country.upper()
    if context.customer is not None:
        return context.customer.ship_to.country
    return context.country
