"""Whom to believe about a sender: RFC 8601 Authentication-Results headers,
but only those added by our own border servers (configured authserv-ids).
Anyone can write such a header into a message; only ours are trustworthy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_RESULT = re.compile(r"\b(dmarc|dkim|spf)\s*=\s*([a-z]+)", re.IGNORECASE)
_PASS = "pass"


@dataclass(frozen=True)
class AuthVerdict:
    """``verified`` is True (passed), False (failed) or None (no trusted header)."""

    verified: bool | None
    reason: str


def _authserv_id(header: str) -> str:
    return header.split(";", 1)[0].strip().split()[0].lower() if header.strip() else ""


def _results(header: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for method, result in _RESULT.findall(header.split(";", 1)[1] if ";" in header else ""):
        # The first result per method wins (later ones are for other signatures).
        found.setdefault(method.lower(), result.lower())
    return found


def evaluate(headers: Sequence[str], *, trusted: Sequence[str]) -> AuthVerdict:
    """Verdict from the topmost trusted header: DMARC decides when present,
    else the sender passes when DKIM or SPF passes."""
    allowed = {t.lower() for t in trusted}
    header = next((h for h in headers if allowed and _authserv_id(h) in allowed), None)
    if header is None:
        return AuthVerdict(None, "no Authentication-Results from a trusted server")
    results = _results(header)
    if "dmarc" in results:
        passed = results["dmarc"] == _PASS
        return AuthVerdict(passed, f"dmarc={results['dmarc']}")
    if not results:
        return AuthVerdict(None, "trusted header without dmarc, dkim or spf results")
    passed = _PASS in (results.get("dkim"), results.get("spf"))
    return AuthVerdict(passed, ", ".join(f"{k}={v}" for k, v in sorted(results.items())))
