"""Products and quantities: is each line something we sell, in a sensible amount."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mailflow.extract.types import ExtractedLine, ExtractedOrder
from mailflow.validate.findings import Finding, Severity

if TYPE_CHECKING:
    from mailflow.validate import CheckContext


def check_products(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    if order.intent == "order" and not order.lines:
        findings.append(
            Finding(
                code="no_lines",
                severity=Severity.ERROR,
                field="lines",
                message="We could not find any products in your e-mail. "
                "Could you list the product codes and quantities you need?",
            )
        )
    for index, line in enumerate(order.lines):
        findings.extend(_product_findings(index, line, context))
    return findings


def _product_findings(index: int, line: ExtractedLine, context: CheckContext) -> list[Finding]:
    if line.sku is None and len(line.candidates) > 1:
        names = ", ".join(line.candidates[:4])
        return [
            Finding(
                code="ambiguous_product",
                severity=Severity.ERROR,
                field="sku",
                line=index,
                message=f'"{line.description}" could be any of: {names}. Which one do you need?',
                suggestion=names,
            )
        ]
    if line.sku is None or line.sku not in context.refdata.products:
        return [
            Finding(
                code="unknown_product",
                severity=Severity.ERROR,
                field="sku",
                line=index,
                message=f'We could not match "{line.description}" to a product in our catalog. '
                "Could you send the product code?",
                suggestion=", ".join(line.candidates[:3]),
            )
        ]
    product = context.refdata.products[line.sku]
    if not product.active:
        return [
            Finding(
                code="inactive_product",
                severity=Severity.ERROR,
                field="sku",
                line=index,
                message=f"{product.sku} ({product.name}) is no longer available.",
            )
        ]
    return []


def check_quantities(order: ExtractedOrder, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for index, line in enumerate(order.lines):
        product = context.refdata.products.get(line.sku or "")
        if line.quantity is None or line.quantity <= 0:
            findings.append(
                Finding(
                    code="invalid_quantity",
                    severity=Severity.ERROR,
                    field="quantity",
                    line=index,
                    message=f'How many of "{line.description}" do you need?',
                )
            )
        elif product is not None and line.quantity < product.moq:
            findings.append(
                Finding(
                    code="below_moq",
                    severity=Severity.ERROR,
                    field="quantity",
                    line=index,
                    message=f"The minimum order for {product.sku} is {product.moq} {product.unit}; "
                    f"you asked for {line.quantity}. Shall we send {product.moq}?",
                    suggestion=str(product.moq),
                )
            )
    return findings
