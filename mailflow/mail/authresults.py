"""Whom to believe about a sender: RFC 8601 Authentication-Results headers,
but only those added by our own receiving servers (configured authserv-ids).
Anyone can write such a header into a message; only ours are trustworthy.
The topmost trusted header is read (each hop adds its own on top).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_COMMENT = re.compile(r"\([^()]*\)")
_RESULT = re.compile(r"([A-Za-z0-9_-]+)\s*=\s*([A-Za-z]+)")


@dataclass(frozen=True)
class AuthVerdict:
    """``verified`` is True (passed), False (failed) or None (no trusted header)."""

    verified: bool | None
    reason: str


def parse_header(header: str) -> tuple[str, dict[str, set[str]]]:
    """(authserv-id, {method: {results}}) of one Authentication-Results header."""
    head, *rest = _COMMENT.sub(" ", header).split(";")
    words = head.split()
    results: dict[str, set[str]] = {}
    for part in rest:
        match = _RESULT.match(part.strip())
        if match:
            results.setdefault(match.group(1).lower(), set()).add(match.group(2).lower())
    return (words[0].lower() if words else ""), results


def _passed(results: Mapping[str, set[str]]) -> bool:
    # DMARC decides when it was evaluated; otherwise a DKIM or SPF pass will do.
    if "dmarc" in results:
        return "pass" in results["dmarc"]
    return "pass" in results.get("dkim", set()) or "pass" in results.get("spf", set())


def _summary(results: Mapping[str, set[str]]) -> str:
    shown = [f"{m}={'/'.join(sorted(r))}" for m, r in sorted(results.items())]
    return ", ".join(shown) or "none"


def evaluate(headers: Sequence[str], *, trusted: Sequence[str]) -> AuthVerdict:
    """The verdict of the topmost header written by a trusted server."""
    allowed = {t.lower() for t in trusted}
    ours = [results for server, results in map(parse_header, headers) if server in allowed]
    if not ours:
        return AuthVerdict(None, "no Authentication-Results from a trusted server")
    relevant = {k: v for k, v in ours[0].items() if k in ("dmarc", "dkim", "spf")}
    if not relevant:
        return AuthVerdict(None, "trusted header without dmarc, dkim or spf results")
    return AuthVerdict(_passed(relevant), _summary(relevant))
