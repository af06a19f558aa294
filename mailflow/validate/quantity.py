"""Quantities: readable and positive, at least the minimum order, and whole
packs when the customer counted base items ("250 bolts" in boxes of 100)."""

from __future__ import annotations

import math
import re

from mailflow.extract.types import ExtractedLine, ExtractedOrder
from mailflow.refdata import Product
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.l10n import Qty, Unit
from mailflow.validate.report import report

_PLAIN_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def check_quantities(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for index, line in enumerate(order.lines):
        product = context.refdata.products.get(line.sku or "")
        if line.quantity is None or line.quantity <= 0:
            findings.append(_invalid(index, line, context))
        elif product is not None:
            findings.extend(_pack_and_moq(index, line.quantity, line, product, context))
    return findings


def _invalid(index: int, line: ExtractedLine, context: CheckContext) -> Finding:
    return report(
        "invalid_quantity",
        context,
        field="quantity",
        line=index,
        variant="unreadable" if line.quantity is None else "",
        description=line.description,
        quantity=line.quantity if line.quantity is not None else "",
    )


def _pack_and_moq(
    index: int, quantity: int, line: ExtractedLine, product: Product, context: CheckContext
) -> list[Finding]:
    findings: list[Finding] = []
    items = base_items(line, product)
    if items is not None and items % product.items_per_unit:
        findings.append(_pack_multiple(index, items, product, context))
    if quantity < product.moq:
        findings.append(
            report(
                "below_moq",
                context,
                field="quantity",
                line=index,
                product=product,
                asked=Qty(quantity, product.unit),
                moq=Qty(product.moq, product.unit),
            )
        )
    return findings


def _pack_multiple(index: int, items: int, product: Product, context: CheckContext) -> Finding:
    per = product.items_per_unit
    suggested = math.ceil(items / per)
    return report(
        "pack_multiple",
        context,
        field="quantity",
        line=index,
        product=product,
        unit=Unit(product.unit),
        per=Qty(per, product.base_unit),
        written=Qty(items, product.base_unit),
        whole=Qty(items // per, product.unit),
        suggested=Qty(suggested, product.unit),
        suggested_items=Qty(suggested * per, product.base_unit),
    )


def base_items(line: ExtractedLine, product: Product) -> int | None:
    """How many base items the customer counted, when they counted base items.

    The extractor says so in ``base_quantity``; failing that, a plainly written
    number larger than the sales quantity that converts to it (whole or
    rounded) was a count of base items.
    """
    if line.base_quantity is not None:
        return line.base_quantity
    per, match = product.items_per_unit, _PLAIN_NUMBER.fullmatch(line.written_quantity.strip())
    if per <= 1 or match is None or line.quantity is None:
        return None
    written = int(match.group().replace(",", ""))
    converts = line.quantity in {written // per, math.ceil(written / per)}
    return written if written > line.quantity and converts else None
