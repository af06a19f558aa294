"""Words and numbers in the customer's language: money and dates per locale
(babel), quantities with their unit, product names, lists, payment terms.

Findings and replies format every value through here, so an English and a
Chinese reply say the same thing in the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from mailflow.refdata import Customer, Product

LANGUAGES = ("en", "zh")
# The locale of a language when the ship-to country gives none of its own.
_FALLBACK_LOCALE = {"en": "en_US", "zh": "zh_CN"}

# English: singular and plural of each sales unit as the catalog names it.
_EN_UNITS: dict[str, tuple[str, str]] = {
    "each": ("pc", "pcs"),
    "box": ("box", "boxes"),
    "m": ("m", "m"),
    "kg": ("kg", "kg"),
}
# Chinese measure words for the catalog's sales units.
_ZH_UNITS = {
    "each": "个",
    "box": "箱",
    "case": "箱",
    "carton": "箱",
    "pair": "副",
    "roll": "卷",
    "bag": "包",
    "pack": "包",
    "set": "套",
    "spool": "卷",
    "ream": "令",
    "m": "米",
    "kg": "公斤",
}


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Qty:
    """A quantity in a product's sales unit (or any unit the catalog names)."""

    count: int
    unit: str


@dataclass(frozen=True)
class Percent:
    value: Decimal  # 12 means 12 %


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166 alpha-2


@dataclass(frozen=True)
class Unit:
    """A sales unit named on its own: "sold by the box"."""

    name: str


@dataclass(frozen=True)
class Term:
    """A word of ours that has a fixed translation (see ``TERMS``)."""

    key: str


@dataclass(frozen=True)
class Place:
    """An address: ``name``, ``street``, ``city``, ``region``, ``postcode``, ``country``."""

    parts: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, **parts: str) -> Place:
        return cls(tuple((key, value) for key, value in parts.items() if value))


@dataclass(frozen=True)
class AllOf:
    """Several values that all apply ("street and postcode"); a plain list means one of them."""

    items: tuple[object, ...]


TERMS: dict[str, dict[str, str]] = {
    "street": {"en": "street", "zh": "街道地址"},
    "city": {"en": "city", "zh": "城市"},
    "postcode": {"en": "postcode", "zh": "邮政编码"},
    "country": {"en": "country", "zh": "国家"},
}


def reply_language(email_language: str, customer: Customer | None, default: str = "en") -> str:
    """The e-mail's own language when we write it; else the customer's; else ``default``.

    A customer who writes in English gets English, whatever their record says:
    they chose it for this message (a "mixed" e-mail falls back to the record).
    """
    for candidate in (email_language, customer.language if customer else "", default):
        if candidate in LANGUAGES:
            return candidate
    return "en"


def locale_for(language: str, country: str = "") -> Locale:
    """The babel locale for a language, specialised by the ship-to country when it has one."""
    if country:
        try:
            return Locale.parse(f"{language}_{country.upper()}")
        except (UnknownLocaleError, ValueError):
            pass
    return Locale.parse(_FALLBACK_LOCALE.get(language, "en_US"))


def unit_label(unit: str, count: int, language: str) -> str:
    key = unit.strip().lower()
    if language == "zh":
        return _ZH_UNITS.get(key, unit)
    singular, plural = _EN_UNITS.get(key, (key, key + "s"))
    return singular if abs(count) == 1 else plural


def quantity_text(count: int, unit: str, language: str) -> str:
    """``20 boxes`` / ``20箱``."""
    label = unit_label(unit, count, language)
    return f"{count}{label}" if language == "zh" else f"{count} {label}"


def product_name(product: Product, language: str) -> str:
    return product.name_zh if language == "zh" and product.name_zh else product.name


def product_label(product: Product, language: str) -> str:
    """``Hex bolt M6 x 30 mm (BLT-M6-30)`` / ``M6x30镀锌六角螺栓（BLT-M6-30）``."""
    if language == "zh":
        return f"{product_name(product, language)}（{product.sku}）"
    return f"{product.name} ({product.sku})"


def money_text(money: Money, locale: Locale) -> str:
    return format_currency(money.amount, money.currency, locale=locale)


def day_text(day: date, locale: Locale) -> str:
    """``Friday, 4 December 2026`` / ``2026年12月4日星期五``."""
    return format_date(day, format="full", locale=locale)


def percent_text(percent: Percent, locale: Locale) -> str:
    return f"{format_decimal(percent.value.normalize(), locale=locale)}%"


def country_text(country: Country, locale: Locale) -> str:
    names = locale.territories
    return str(names.get(country.code.upper(), country.code)) if country.code else ""


def join_words(items: Sequence[str], language: str, *, last: str = "or") -> str:
    """``A, B or C`` / ``A、B或C`` (``last="and"``: ``A, B and C`` / ``A、B和C``)."""
    if len(items) <= 1:
        return "".join(items)
    if language == "zh":
        return "、".join(items[:-1]) + ("和" if last == "and" else "或") + items[-1]
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def payment_terms_text(terms: str, language: str) -> str:
    """``NET30`` as ``30 days net`` / ``30天账期``; ``PREPAID`` as payment in advance."""
    net = re.fullmatch(r"NET\s*(\d+)", terms.strip().upper())
    if net:
        days = net.group(1)
        return f"{days}天账期" if language == "zh" else f"{days} days net"
    if terms.strip().upper() == "PREPAID":
        return "预付款" if language == "zh" else "payment in advance"
    return terms


@dataclass(frozen=True)
class Localizer:
    """Turns the typed values of a finding or a reply into words of one language."""

    language: str
    locale: Locale

    def text(self, value: object) -> str:
        if isinstance(value, Product):
            return product_label(value, self.language)
        if isinstance(value, Qty):
            return quantity_text(value.count, value.unit, self.language)
        if isinstance(value, Money):
            return money_text(value, self.locale)
        if isinstance(value, Percent):
            return percent_text(value, self.locale)
        if isinstance(value, Country):
            return country_text(value, self.locale)
        if isinstance(value, Unit):
            return unit_label(value.name, 1, self.language)
        if isinstance(value, Term):
            return TERMS.get(value.key, {}).get(self.language, value.key)
        if isinstance(value, date):
            return day_text(value, self.locale)
        if isinstance(value, list | tuple):
            return join_words([self.text(v) for v in value], self.language)
        if isinstance(value, AllOf):
            return join_words([self.text(v) for v in value.items], self.language, last="and")
        if isinstance(value, Place):
            return address_text(dict(value.parts), self)
        return str(value)


def localizer(language: str, country: str = "") -> Localizer:
    return Localizer(language=language, locale=locale_for(language, country))


def address_text(parts: Mapping[str, str], words: Localizer) -> str:
    """One line of address, in the order the reader expects: a Chinese address
    for a Chinese reader runs from province to street, anything else from the
    addressee to the country."""
    get = {key: str(parts.get(key) or "").strip() for key in _ADDRESS_KEYS}
    country = get["country"].upper()
    if words.language == "zh" and country == "CN":
        place = "".join([get["region"], get["city"], get["street"]])
        named = f"{place}（{get['name']}）" if get["name"] else place
        return f"{named}，邮编{get['postcode']}" if get["postcode"] else named
    shown = {**get, "country": words.text(Country(country)) if country else ""}
    separator = "，" if words.language == "zh" else ", "
    return separator.join(shown[key] for key in _ADDRESS_KEYS if shown[key])


_ADDRESS_KEYS = ("name", "street", "city", "region", "postcode", "country")
