"""Whom to believe about a sender: RFC 8601 Authentication-Results headers,
but only those added by our own receiving servers (configured authserv-ids).
Anyone can write such a header into a message; only ours are trustworthy.
The topmost trusted header is read (each hop adds its own on top).

A pass counts only when it vouches for the domain in From (DMARC does that
by definition; a DKIM pass must be for a ``header.d`` of that domain and an
SPF pass for a ``smtp.mailfrom`` of it, as DMARC's alignment asks), since a
forger's own domain passes SPF and DKIM just as well.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_COMMENT = re.compile(r"\([^()]*\)")
_RESULT = re.compile(r"([A-Za-z0-9_-]+)\s*=\s*([A-Za-z]+)(.*)", re.DOTALL)
_PROPERTY = re.compile(r"([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*=\s*([^\s;]+)")


@dataclass(frozen=True)
class AuthVerdict:
    """``verified`` is True (passed), False (failed) or None (no trusted header)."""

    verified: bool | None
    reason: str


@dataclass
class MethodResult:
    result: str
    properties: dict[str, str] = field(default_factory=dict)


def parse_header(header: str) -> tuple[str, dict[str, list[MethodResult]]]:
    """(authserv-id, {method: [results with their properties]}) of one header."""
    head, *rest = _COMMENT.sub(" ", header).split(";")
    words = head.split()
    results: dict[str, list[MethodResult]] = {}
    for part in rest:
        match = _RESULT.match(part.strip())
        if match:
            props = {k.lower(): v.strip("<>\"'") for k, v in _PROPERTY.findall(match.group(3))}
            method = results.setdefault(match.group(1).lower(), [])
            method.append(MethodResult(match.group(2).lower(), props))
    return (words[0].lower() if words else ""), results


def _aligned(domain: str, from_domain: str) -> bool:
    # Relaxed alignment: the same domain, or one a subdomain of the other.
    domain, from_domain = domain.lower().rstrip("."), from_domain.lower().rstrip(".")
    if not domain or not from_domain:
        return False
    return (
        domain == from_domain
        or domain.endswith("." + from_domain)
        or from_domain.endswith("." + domain)
    )


def _passes(results: dict[str, list[MethodResult]], from_domain: str) -> bool:
    if "dmarc" in results:
        return any(r.result == "pass" for r in results["dmarc"])
    dkim = any(
        r.result == "pass" and _aligned(r.properties.get("header.d", ""), from_domain)
        for r in results.get("dkim", [])
    )
    spf = any(
        r.result == "pass"
        and _aligned(r.properties.get("smtp.mailfrom", "").rpartition("@")[2], from_domain)
        for r in results.get("spf", [])
    )
    return dkim or spf


def _summary(results: dict[str, list[MethodResult]]) -> str:
    shown = [f"{m}={'/'.join(sorted({r.result for r in rs}))}" for m, rs in sorted(results.items())]
    return ", ".join(shown) or "none"


def evaluate(headers: Sequence[str], *, trusted: Sequence[str], from_domain: str) -> AuthVerdict:
    """The verdict of the topmost header written by a trusted server about
    mail claiming to come from ``from_domain``."""
    allowed = {t.lower() for t in trusted}
    ours = [results for server, results in map(parse_header, headers) if server in allowed]
    if not ours:
        return AuthVerdict(None, "no Authentication-Results from a trusted server")
    relevant = {k: v for k, v in ours[0].items() if k in ("dmarc", "dkim", "spf")}
    if not relevant:
        return AuthVerdict(None, "trusted header without dmarc, dkim or spf results")
    passed = _passes(relevant, from_domain)
    aligned_note = "" if passed or "dmarc" in relevant else f", none for {from_domain}"
    reason = _summary(relevant) + aligned_note
    return AuthVerdict(passed, reason)
