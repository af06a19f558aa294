"""What extraction produces: an ``ExtractedOrder`` whose values each keep
their evidence (where in the e-mail they were read) and a confidence.

``to_corpus_json`` gives the schema of ``../shared/corpus/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Intent(StrEnum):
    ORDER = "order"
    CONFIRM = "confirm"
    CHANGE = "change"
    CANCEL = "cancel"
    QUESTION = "question"
    AUTO_REPLY = "auto_reply"
    OTHER = "other"


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: the body (character span of ``Envelope.new_text``),
    a table cell or an attachment row."""

    source: str  # "body", "html_table", "attachment:<filename>", "subject", "header"
    start: int | None = None
    end: int | None = None
    text: str = ""
    row: int | None = None
    column: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None and v != ""}


@dataclass
class Address:
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""
    name: str = ""
    evidence: Evidence | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "street": self.street,
            "city": self.city,
            "postcode": self.postcode,
            "country": self.country,
            **({"region": self.region} if self.region else {}),
        }


@dataclass
class ExtractedLine:
    """One product asked for. ``quantity`` is in the catalog's sales unit;
    ``written_quantity``/``written_unit`` keep what the customer wrote."""

    sku: str | None
    quantity: int | None
    description: str
    written_quantity: str = ""
    written_unit: str = ""
    confidence: float = 1.0
    candidates: list[str] = field(default_factory=list)  # other SKUs that fit (ambiguity)
    evidence: Evidence | None = None
    # Optional, for the checks: the unit price the customer wrote (price_mismatch)
    # and, when they counted base items ("250 bolts"), how many (pack_multiple).
    stated_unit_price: Decimal | None = None
    base_quantity: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"sku": self.sku, "quantity": self.quantity, "description": self.description}


@dataclass
class ExtractedOrder:
    intent: Intent
    language: str
    customer_id: str | None
    po_number: str | None = None
    requested_date: date | None = None
    asap: bool = False
    ship_to: Address | None = None
    lines: list[ExtractedLine] = field(default_factory=list)
    confidence: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def to_corpus_json(self) -> dict[str, Any]:
        """The expected-extraction schema of the evaluation corpus."""
        return {
            "intent": str(self.intent),
            "language": self.language,
            "customer_id": self.customer_id,
            "po_number": self.po_number,
            "requested_date": self.requested_date.isoformat() if self.requested_date else None,
            "ship_to": self.ship_to.to_json() if self.ship_to else None,
            "lines": [line.to_json() for line in self.lines],
        }
