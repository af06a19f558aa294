"""A Finding is one result of one check. Findings drive replies, the UI and
the metrics; checks return them instead of raising."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # blocks a confirmation: the customer is asked
    WARNING = "warning"  # needs a clerk's eye
    INFO = "info"  # for the record


@dataclass(frozen=True)
class Finding:
    """``message``, ``clerk_message`` and ``suggestion`` are in the reply's
    language; ``texts`` holds all three in every language we write
    (``{"en": {"customer": …, "clerk": …, "suggestion": …}, "zh": {…}}``) and
    ``data`` the facts behind them, JSON-ready (ISO dates, prices as strings)."""

    code: str
    severity: Severity
    field: str  # "lines", "sku", "quantity", "requested_date", "ship_to", "customer", …
    message: str  # for the customer; "" when only a clerk should see the finding
    clerk_message: str = ""  # for the clerk; defaults to ``message``
    line: int | None = None  # index into the order's lines, if about one line
    suggestion: str = ""
    data: dict[str, Any] = dataclasses.field(default_factory=dict)
    texts: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": str(self.severity),
            "field": self.field,
            "line": self.line,
            "message": self.message,
            "clerk_message": self.clerk_message or self.message,
            "suggestion": self.suggestion,
            "data": self.data,
            "texts": self.texts,
        }

    def text(self, language: str, audience: str = "customer") -> str:
        """This finding's text for ``audience`` ("customer", "clerk", "suggestion")."""
        return self.texts.get(language, {}).get(audience, "")
