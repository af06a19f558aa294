"""Building a ``Finding``: its severity from the settings, its words in every
language from the phrase tables, its facts as JSON. Checks call ``report``
with typed values (products, quantities, dates, money) and never format
anything themselves."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from mailflow.refdata import Product
from mailflow.validate import phrases_en, phrases_zh
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding, Severity
from mailflow.validate.l10n import (
    AllOf,
    Country,
    Money,
    Percent,
    Place,
    Qty,
    Term,
    Unit,
    localizer,
)
from mailflow.validate.phrase import Phrase

PHRASES: dict[str, dict[str, Phrase]] = {"en": phrases_en.PHRASES, "zh": phrases_zh.PHRASES}

# The standard's defaults: an error asks the customer, a warning stops for a
# clerk, info is for the record. ``[checks] severities`` overrides any of them.
DEFAULT_SEVERITY: dict[str, Severity] = {
    "promotion_applied": Severity.INFO,
    "date_missing": Severity.WARNING,
    "address_changed": Severity.WARNING,
    "unknown_customer": Severity.WARNING,
    "credit_hold": Severity.WARNING,
    "duplicate_order": Severity.WARNING,
    "approval_required": Severity.WARNING,
    "sender_unverified": Severity.WARNING,
}


def severity_of(code: str, context: CheckContext) -> Severity:
    override = context.settings.severities.get(code)
    return Severity(override) if override else DEFAULT_SEVERITY.get(code, Severity.ERROR)


_AS_JSON: dict[type, Callable[[Any], Any]] = {
    Product: lambda p: p.sku,
    Qty: lambda q: q.count,
    Money: lambda m: {"amount": str(m.amount), "currency": m.currency},
    Percent: lambda p: str(p.value),
    Decimal: str,
    Country: lambda c: c.code,
    Unit: lambda u: u.name,
    Term: lambda t: t.key,
    date: lambda d: d.isoformat(),
    AllOf: lambda a: [as_json(v) for v in a.items],
    Place: lambda p: dict(p.parts),
}


def as_json(value: object) -> Any:
    """A value of a finding as plain JSON: SKUs for products, ISO dates, strings for money."""
    for kind, convert in _AS_JSON.items():
        if isinstance(value, kind):
            return convert(value)
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    return value


def _texts(key: str, params: Mapping[str, object], country: str) -> dict[str, dict[str, str]]:
    texts: dict[str, dict[str, str]] = {}
    for language, table in PHRASES.items():
        phrase, words = table[key], localizer(language, country)
        values = {name: words.text(value) for name, value in params.items()}
        texts[language] = {
            "customer": phrase.customer.format_map(values),
            "clerk": phrase.clerk.format_map(values),
            "suggestion": phrase.suggestion.format_map(values),
        }
    return texts


def report(
    code: str,
    context: CheckContext,
    *,
    field: str,
    line: int | None = None,
    variant: str = "",
    **params: object,
) -> Finding:
    """The finding ``code`` (phrase ``code.variant`` when given) about ``params``."""
    numbered = {"line_no": line + 1, **params} if line is not None else params
    texts = _texts(f"{code}.{variant}" if variant else code, numbered, context.country)
    own = texts.get(context.language, texts["en"])
    return Finding(
        code=code,
        severity=severity_of(code, context),
        field=field,
        message=own["customer"],
        clerk_message=own["clerk"],
        line=line,
        suggestion=own["suggestion"],
        data={name: as_json(value) for name, value in params.items()},
        texts=texts,
    )
