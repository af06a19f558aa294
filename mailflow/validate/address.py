"""The delivery address, when the e-mail states one: complete, a postcode
that fits the country, and flagged when it is not the customer's usual one.
(No stated address means the customer's default ship-to, which is known good.)
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from mailflow.extract.types import Address, ExtractedOrder
from mailflow.refdata import ShipTo
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.l10n import AllOf, Country, Place, Term
from mailflow.validate.report import report

# Postcode formats of the countries we deliver to; others are not checked.
POSTCODE_FORMATS: dict[str, re.Pattern[str]] = {
    "GB": re.compile(r"GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}"),
    "US": re.compile(r"\d{5}(?:-\d{4})?"),
    "SE": re.compile(r"(?:SE-?)?\d{3} ?\d{2}"),
    "CN": re.compile(r"\d{6}"),
}
# Countries without postcodes, where a missing one is no gap.
NO_POSTCODE = frozenset({"HK", "MO", "AE", "QA"})
# Streets this similar (0-100, word order ignored) are the same street.
SAME_STREET = 85


def check_address(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    stated = order.ship_to
    if stated is None:
        return []
    country = context.country
    findings: list[Finding] = []
    missing = missing_parts(stated, country)
    if missing:
        findings.append(_incomplete(stated, missing, context))
    if stated.postcode.strip() and not postcode_fits(stated.postcode, country):
        findings.append(_bad_postcode(stated.postcode, country, context))
    default = context.customer.ship_to if context.customer else None
    if not findings and default is not None and not same_place(stated, default):
        findings.append(_changed(stated, default, context))
    return findings


def missing_parts(address: Address, country: str) -> list[str]:
    parts = ["street", "city"] + ([] if country in NO_POSTCODE else ["postcode"])
    return [part for part in parts if not getattr(address, part).strip()]


def postcode_fits(postcode: str, country: str) -> bool:
    pattern = POSTCODE_FORMATS.get(country)
    cleaned = " ".join(postcode.upper().split())
    return pattern is None or pattern.fullmatch(cleaned) is not None


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def same_place(stated: Address, default: ShipTo) -> bool:
    """Same postcode and, by a fuzzy match, the same street."""
    if _squash(stated.postcode) != _squash(default.postcode):
        return False
    return fuzz.token_set_ratio(stated.street.casefold(), default.street.casefold()) >= SAME_STREET


def stated_place(address: Address) -> Place:
    return Place.of(
        street=address.street,
        city=address.city,
        region=address.region,
        postcode=address.postcode,
        country=address.country,
    )


def default_place(ship_to: ShipTo) -> Place:
    return Place.of(
        name=ship_to.name,
        street=ship_to.street,
        city=ship_to.city,
        region=ship_to.region,
        postcode=ship_to.postcode,
        country=ship_to.country,
    )


def _incomplete(stated: Address, missing: list[str], context: CheckContext) -> Finding:
    return report(
        "address_incomplete",
        context,
        field="ship_to",
        address=stated_place(stated),
        missing=AllOf(tuple(Term(part) for part in missing)),
    )


def _bad_postcode(postcode: str, country: str, context: CheckContext) -> Finding:
    return report(
        "address_invalid_postcode",
        context,
        field="ship_to",
        postcode=postcode,
        country=Country(country),
    )


def _changed(stated: Address, default: ShipTo, context: CheckContext) -> Finding:
    return report(
        "address_changed",
        context,
        field="ship_to",
        address=stated_place(stated),
        default=default_place(default),
    )
