"""Reference data: catalog, customers, promotions and holidays, read from the
CSV files whose columns are described in ``../shared/corpus/README.md`` (and
used by the demo data in ``config/demo``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar

from mailflow.errors import ConfigError

T = TypeVar("T")


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    name_zh: str
    aliases: tuple[str, ...]
    unit: str  # the sales unit that prices, stock and order lines use
    base_unit: str
    items_per_unit: int  # base items in one sales unit
    units_per_case: int | None  # sales units in a case, where it ships in cases
    moq: int
    unit_price: Decimal
    currency: str
    stock: int
    lead_time_days: int
    active: bool


@dataclass(frozen=True)
class ShipTo:
    name: str
    street: str
    city: str
    region: str
    postcode: str
    country: str


@dataclass(frozen=True)
class Customer:
    customer_id: str
    name: str
    email_domain: str
    language: str
    price_tier: str
    credit_status: str
    payment_terms: str
    ship_to: ShipTo


@dataclass(frozen=True)
class Promotion:
    promo_id: str
    description: str
    sku_prefix: str
    min_quantity: int
    discount_percent: Decimal
    valid_from: date
    valid_to: date
    price_tiers: tuple[str, ...]


@dataclass(frozen=True)
class Holiday:
    day: date
    country: str
    name: str


@dataclass
class ReferenceData:
    """Everything the extractor and the checks look up, indexed for speed."""

    products: dict[str, Product] = field(default_factory=dict)
    customers: dict[str, Customer] = field(default_factory=dict)
    promotions: list[Promotion] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)

    def customer_for_address(self, address: str) -> Customer | None:
        """The customer whose e-mail domain the address belongs to (subdomains too)."""
        domain = address.rpartition("@")[2].strip().lower()
        while domain:
            for customer in self.customers.values():
                if customer.email_domain.lower() == domain:
                    return customer
            _, _, domain = domain.partition(".")
        return None


def _rows(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from exc


def _int(value: str, default: int | None = None) -> int | None:
    value = value.strip()
    return int(value) if value else default


def _product(row: dict[str, str]) -> Product:
    return Product(
        sku=row["sku"].strip(),
        name=row["name"].strip(),
        name_zh=row.get("name_zh", "").strip(),
        aliases=tuple(a.strip() for a in row.get("aliases", "").split("|") if a.strip()),
        unit=row["unit"].strip(),
        base_unit=row.get("base_unit", "").strip() or row["unit"].strip(),
        items_per_unit=_int(row.get("items_per_unit", ""), 1) or 1,
        units_per_case=_int(row.get("units_per_case", "")),
        moq=_int(row.get("moq", ""), 1) or 1,
        unit_price=Decimal(row["unit_price"].strip()),
        currency=row.get("currency", "USD").strip() or "USD",
        stock=_int(row.get("stock", ""), 0) or 0,
        lead_time_days=_int(row.get("lead_time_days", ""), 0) or 0,
        active=row.get("active", "true").strip().lower() in {"true", "1", "yes"},
    )


def _customer(row: dict[str, str]) -> Customer:
    ship_to = ShipTo(
        name=row.get("ship_to_name", "").strip(),
        street=row.get("ship_to_street", "").strip(),
        city=row.get("ship_to_city", "").strip(),
        region=row.get("ship_to_region", "").strip(),
        postcode=row.get("ship_to_postcode", "").strip(),
        country=row.get("ship_to_country", "").strip().upper(),
    )
    return Customer(
        customer_id=row["customer_id"].strip(),
        name=row["name"].strip(),
        email_domain=row["email_domain"].strip().lower(),
        language=row.get("language", "en").strip() or "en",
        price_tier=row.get("price_tier", "standard").strip() or "standard",
        credit_status=row.get("credit_status", "ok").strip() or "ok",
        payment_terms=row.get("payment_terms", "").strip(),
        ship_to=ship_to,
    )


def _promotion(row: dict[str, str]) -> Promotion:
    return Promotion(
        promo_id=row["promo_id"].strip(),
        description=row.get("description", "").strip(),
        sku_prefix=row["sku_prefix"].strip(),
        min_quantity=_int(row.get("min_quantity", ""), 1) or 1,
        discount_percent=Decimal(row["discount_percent"].strip()),
        valid_from=date.fromisoformat(row["valid_from"].strip()),
        valid_to=date.fromisoformat(row["valid_to"].strip()),
        price_tiers=tuple(t.strip() for t in row.get("price_tiers", "").split("|") if t.strip()),
    )


def _holiday(row: dict[str, str]) -> Holiday:
    return Holiday(
        day=date.fromisoformat(row["date"].strip()),
        country=row["country"].strip().upper(),
        name=row.get("name", "").strip(),
    )


def _parse_all(path: Path, build: Callable[[dict[str, str]], T]) -> list[T]:
    out: list[T] = []
    for number, row in enumerate(_rows(path), start=2):
        try:
            out.append(build(row))
        except (KeyError, ValueError, InvalidOperation) as exc:
            raise ConfigError(f"{path}:{number}: bad row ({exc!r})") from exc
    return out


def load_reference_data(
    *,
    catalog: Path | None = None,
    customers: Path | None = None,
    promotions: Path | None = None,
    holidays: Path | None = None,
) -> ReferenceData:
    """Read whichever CSV files are given; a bad row raises ``ConfigError`` naming it."""
    data = ReferenceData()
    if catalog is not None:
        data.products = {p.sku: p for p in _parse_all(catalog, _product)}
    if customers is not None:
        data.customers = {c.customer_id: c for c in _parse_all(customers, _customer)}
    if promotions is not None and promotions.exists():
        data.promotions = _parse_all(promotions, _promotion)
    if holidays is not None and holidays.exists():
        data.holidays = _parse_all(holidays, _holiday)
    return data
