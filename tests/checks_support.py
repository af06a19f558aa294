"""Small, explicit reference data and builders for the tests of the checks,
the pricing and the replies: every number a boundary test leans on is here."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from mailflow.config import ChecksSettings
from mailflow.extract.types import Address, ExtractedLine, ExtractedOrder, Intent
from mailflow.refdata import Customer, Holiday, Product, Promotion, ReferenceData, ShipTo
from mailflow.validate import CheckContext, validate_order
from mailflow.validate.findings import Finding

# Monday 16 November 2026: the day the checks run unless a test says otherwise.
TODAY = date(2026, 11, 16)


def product(sku: str, **changes: Any) -> Product:
    base = Product(
        sku=sku,
        name=f"Product {sku}",
        name_zh=f"产品{sku}",
        aliases=(),
        unit="box",
        base_unit="each",
        items_per_unit=1,
        units_per_case=None,
        moq=1,
        unit_price=Decimal("10.00"),
        currency="USD",
        stock=1000,
        lead_time_days=2,
        active=True,
    )
    return replace(base, **changes)


PRODUCTS = [
    product(
        "FST-M8-40",
        name="Hex bolt M8 x 40 mm",
        name_zh="M8x40六角螺栓",
        aliases=("M8x40 bolt",),
        items_per_unit=100,
        unit_price=Decimal("18.50"),
        stock=420,
    ),
    product(
        "FST-M8-50",
        name="Hex bolt M8 x 50 mm",
        name_zh="M8x50六角螺栓",
        aliases=("M8x50 bolt",),
        items_per_unit=100,
        unit_price=Decimal("19.50"),
    ),
    product(
        "FST-M10-60",
        name="Hex bolt M10 x 60 mm",
        name_zh="M10x60六角螺栓",
        items_per_unit=50,
        unit_price=Decimal("24.00"),
        stock=35,
        lead_time_days=5,
    ),
    product(
        "FST-WSH-M8",
        name="Flat washer M8",
        name_zh="M8平垫圈",
        items_per_unit=500,
        unit_price=Decimal("12.40"),
        stock=0,
        lead_time_days=14,
    ),
    product(
        "PPE-GGL-CLR",
        name="Safety goggles clear",
        name_zh="透明护目镜",
        unit="each",
        moq=12,
        unit_price=Decimal("4.10"),
        stock=75,
        lead_time_days=3,
    ),
    product(
        "PKG-TAPE-48",
        name="Packing tape 48 mm",
        name_zh="48mm封箱胶带",
        unit="roll",
        base_unit="roll",
        units_per_case=36,
        moq=36,
        unit_price=Decimal("1.10"),
        stock=9000,
        lead_time_days=1,
    ),
    product(
        "HYD-FIT-12",
        name="Hydraulic fitting 1/2 in (old)",
        name_zh="1/2液压接头（旧款）",
        unit="each",
        unit_price=Decimal("3.70"),
        stock=0,
        active=False,
    ),
    product(
        "HYD-FIT-12B",
        name="Hydraulic fitting 1/2 in",
        name_zh="1/2液压接头",
        unit="each",
        unit_price=Decimal("3.90"),
    ),
    product(
        "DRL-HSS-8",
        name="HSS drill bit 8 mm (old range)",
        name_zh="8mm钻头（旧款）",
        unit="pack",
        active=False,
        stock=0,
    ),
]

CUSTOMERS = [
    Customer(
        "C-GB",
        "Riverside Fabrication Ltd",
        "riverside.example",
        "en",
        "standard",
        "ok",
        "NET30",
        ShipTo("Goods In", "Unit 4 Canal Street", "Leeds", "West Yorkshire", "LS1 4AB", "GB"),
    ),
    Customer(
        "C-US",
        "Bluewater Logistics Inc",
        "bluewater.example",
        "en",
        "gold",
        "ok",
        "NET45",
        ShipTo("Bluewater DC", "2200 Harbor Blvd", "Newark", "NJ", "07114", "US"),
    ),
    Customer(
        "C-HOLD",
        "Peak Valley Construction",
        "peakvalley.example",
        "en",
        "standard",
        "hold",
        "PREPAID",
        ShipTo("Site Office", "18 Quarry Road", "Sheffield", "", "S9 2RT", "GB"),
    ),
    Customer(
        "C-PRE",
        "Prepay Works",
        "prepay.example",
        "en",
        "standard",
        "ok",
        "PREPAID",
        ShipTo("", "1 Mill Lane", "York", "", "YO1 7HH", "GB"),
    ),
    Customer(
        "C-CN",
        "苏州宏达五金有限公司",
        "hongda.example",
        "zh",
        "silver",
        "ok",
        "NET30",
        ShipTo("宏达五金仓库", "工业园区星湖街328号", "苏州市", "江苏省", "215123", "CN"),
    ),
]

PROMOTIONS = [
    Promotion(
        "P-TAPE",
        "15% off packing tape on 72 rolls or more",
        "PKG-TAPE",
        72,
        Decimal(15),
        date(2026, 10, 1),
        date(2026, 11, 30),
        ("standard", "silver", "gold"),
    ),
    Promotion(
        "P-PKG-GOLD",
        "5% off packaging for gold-tier customers",
        "PKG-",
        1,
        Decimal(5),
        date(2026, 1, 1),
        date(2026, 12, 31),
        ("gold",),
    ),
]

HOLIDAYS = [
    Holiday(date(2026, 11, 26), "US", "Thanksgiving"),
    Holiday(date(2026, 12, 25), "GB", "Christmas Day"),
    Holiday(date(2026, 12, 28), "GB", "Boxing Day (substitute)"),
]


def refdata() -> ReferenceData:
    return ReferenceData(
        products={p.sku: p for p in PRODUCTS},
        customers={c.customer_id: c for c in CUSTOMERS},
        promotions=list(PROMOTIONS),
        holidays=list(HOLIDAYS),
    )


def line(
    sku: str | None, quantity: int | None, description: str = "", **more: Any
) -> ExtractedLine:
    return ExtractedLine(sku=sku, quantity=quantity, description=description or str(sku), **more)


def order(*lines: ExtractedLine, **fields: Any) -> ExtractedOrder:
    """An order from C-GB, in English, for 2026-11-27 (feasible for every in-stock product)."""
    values: dict[str, Any] = {
        "intent": Intent.ORDER,
        "language": "en",
        "customer_id": "C-GB",
        "po_number": "4471",
        "requested_date": date(2026, 11, 27),
        "lines": list(lines) or [line("FST-M8-40", 2)],
    }
    values.update(fields)
    return ExtractedOrder(**values)


def context(
    customer_id: str | None = "C-GB", *, today: date = TODAY, **fields: Any
) -> CheckContext:
    data = refdata()
    checks = fields.pop("settings", None) or ChecksSettings()
    return CheckContext(
        refdata=data,
        customer=data.customers.get(customer_id or ""),
        today=today,
        settings=checks,
        **fields,
    )


def address(**parts: str) -> Address:
    values = {"street": "5 Kirkstall Road", "city": "Leeds", "postcode": "LS3 1HS", "country": "GB"}
    values.update(parts)
    return Address(
        street=values["street"],
        city=values["city"],
        region=values.get("region", ""),
        postcode=values["postcode"],
        country=values["country"],
    )


def check(extracted: ExtractedOrder, ctx: CheckContext | None = None) -> list[Finding]:
    return validate_order(extracted, ctx or context())


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def the(findings: list[Finding], code: str) -> Finding:
    """The one finding with ``code``; fails the test when there is none or several."""
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, f"expected one {code}, got {codes(findings)}"
    return matching[0]
