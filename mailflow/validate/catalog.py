"""Products: is each line something we sell, and is it clear which one.

Suggestions come from the catalog itself: the closest active products by
name, alias or code (rapidfuzz), or for a discontinued product the active
ones of its family (the SKU without its last part: HYD-FIT-12 → HYD-FIT-*).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process, utils

from mailflow.extract.types import ExtractedLine, ExtractedOrder
from mailflow.refdata import Product, ReferenceData
from mailflow.validate.context import CheckContext
from mailflow.validate.findings import Finding
from mailflow.validate.report import report

# Bare numbers in a line ("5 tubes of …") are its quantity, not its product.
_NUMBERS = re.compile(r"(?<![\w.])\d[\d,.]*(?![\w.])")


def check_products(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    if not order.lines:
        findings.append(report("no_lines", context, field="lines"))
    for index, line in enumerate(order.lines):
        finding = _product_finding(index, line, context)
        if finding is not None:
            findings.append(finding)
    return findings


def _product_finding(index: int, line: ExtractedLine, context: CheckContext) -> Finding | None:
    products = context.refdata.products
    known = [products[sku] for sku in line.candidates if sku in products]
    if line.sku is None and len(known) > 1:
        return report(
            "ambiguous_product",
            context,
            field="sku",
            line=index,
            description=line.description,
            options=known[: context.settings.suggestions],
        )
    if line.sku is None or line.sku not in products:
        return _unknown(index, line, context, known)
    if not products[line.sku].active:
        return _inactive(index, products[line.sku], context)
    return None


def _unknown(
    index: int, line: ExtractedLine, context: CheckContext, known: list[Product]
) -> Finding:
    limit = context.settings.suggestions
    options = _unique([*known, *closest_products(line.description, context)])[:limit]
    return report(
        "unknown_product",
        context,
        field="sku",
        line=index,
        variant="" if options else "none",
        description=line.description,
        options=options,
    )


def _inactive(index: int, product: Product, context: CheckContext) -> Finding:
    options = same_family(product, context.refdata)[: context.settings.suggestions]
    return report(
        "inactive_product",
        context,
        field="sku",
        line=index,
        variant="" if options else "none",
        product=product,
        options=options,
    )


def _unique(products: list[Product]) -> list[Product]:
    seen: dict[str, Product] = {}
    for product in products:
        seen.setdefault(product.sku, product)
    return list(seen.values())


def _names(product: Product) -> list[str]:
    return [product.sku, product.name, product.name_zh, *product.aliases]


def closest_products(text: str, context: CheckContext) -> list[Product]:
    """Active products whose code, name or alias is closest to ``text``, best first."""
    products = context.refdata.products
    choices = [(p.sku, name) for p in products.values() if p.active for name in _names(p) if name]
    # Word order is free and partial matches mislead ("clear" would pull in
    # clear goggles for any clear product), so whole sorted words are compared.
    hits = process.extract(
        _NUMBERS.sub(" ", text),
        [name for _, name in choices],
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=context.settings.suggestion_cutoff,
    )
    return _unique([products[choices[position][0]] for _, _, position in hits])


def same_family(product: Product, refdata: ReferenceData) -> list[Product]:
    """Active products sharing the SKU's family prefix, most similar name first."""
    family = product.sku.rsplit("-", 1)[0] + "-" if "-" in product.sku else ""
    if not family:
        return []
    members = [p for p in refdata.products.values() if p.active and p.sku.startswith(family)]
    return sorted(members, key=lambda p: -fuzz.token_set_ratio(p.name, product.name))
