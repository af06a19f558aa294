"""One finding's words in one language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    customer: str  # "" when only a clerk should see the finding
    clerk: str
    suggestion: str = ""
