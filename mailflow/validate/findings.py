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
    code: str
    severity: Severity
    field: str  # "lines", "requested_date", "ship_to", "customer", …
    message: str  # for the customer
    clerk_message: str = ""  # for the clerk; defaults to ``message``
    line: int | None = None  # index into the order's lines, if about one line
    suggestion: str = ""
    data: dict[str, Any] = dataclasses.field(default_factory=dict)

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
        }


def blocks_confirmation(findings: list[Finding]) -> bool:
    """True when any finding is an error: the customer must be asked first."""
    return any(f.severity is Severity.ERROR for f in findings)
