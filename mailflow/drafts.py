"""Replies drafted from the operator's templates in ``templates/<lang>/``.

Templates run in a ``SandboxedEnvironment`` (operators edit them) and the HTML
ones autoescape. Text and HTML are rendered from the same data and sent as
multipart/alternative. The Message-ID is fixed only when a draft is approved.
"""

from __future__ import annotations

import email.policy
import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from mailflow.clock import utcnow
from mailflow.config import DeskSettings
from mailflow.db.models import Draft, Order
from mailflow.refdata import Customer, ReferenceData
from mailflow.states import DraftKind
from mailflow.validate.findings import Finding, Severity
from mailflow.validate.workdays import add_working_days

AUTO_SUBMITTED = "auto-replied"
# Headers are never folded below RFC 5322's hard limit, so that Message-ID,
# In-Reply-To and References reach every client on one line, as threading
# code everywhere expects; CRLF line ends, as SMTP wants.
WIRE_POLICY = email.policy.SMTP.clone(max_line_length=998)


class Renderer:
    """Renders ``<kind>.txt.j2`` and ``<kind>.html.j2`` for a language, with
    English as the fallback when a language has no template."""

    def __init__(self, template_dir: Path) -> None:
        self.template_dir = template_dir
        self.env = SandboxedEnvironment(
            loader=FileSystemLoader(str(template_dir)),
            autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
            undefined=StrictUndefined,
            trim_blocks=False,
            keep_trailing_newline=True,
        )

    def _name(self, kind: DraftKind, language: str, ext: str) -> str:
        chosen = language if (self.template_dir / language / f"{kind}.{ext}.j2").exists() else "en"
        return f"{chosen}/{kind}.{ext}.j2"

    def render(self, kind: DraftKind, language: str, context: dict[str, Any]) -> tuple[str, str]:
        text = self.env.get_template(self._name(kind, language, "txt")).render(context)
        html = self.env.get_template(self._name(kind, language, "html")).render(context)
        return text, html


@dataclass(frozen=True)
class ReplyFacts:
    """Everything a reply template may show, computed once."""

    context: dict[str, Any]
    kind: DraftKind


def _money(amount: Decimal, currency: str) -> str:
    return f"{currency} {amount.quantize(Decimal('0.01')):,}"


def _line_rows(order: Order, refdata: ReferenceData) -> tuple[list[dict[str, Any]], Decimal, str]:
    rows: list[dict[str, Any]] = []
    total, currency = Decimal(0), "USD"
    for line in order.lines:
        product = refdata.products.get(line.sku or "")
        if product is None or line.quantity is None:
            continue
        amount = product.unit_price * line.quantity
        total, currency = total + amount, product.currency
        rows.append(
            {
                "sku": product.sku,
                "name": product.name,
                "quantity": line.quantity,
                "unit": product.unit,
                "unit_price": _money(product.unit_price, product.currency),
                "total": _money(amount, product.currency),
            }
        )
    return rows, total, currency


def _ship_to_text(order: Order, customer: Customer | None) -> str:
    if order.ship_to:
        parts = [order.ship_to.get(k, "") for k in ("street", "city", "postcode", "country")]
    elif customer is not None:
        s = customer.ship_to
        parts = [s.name, s.street, s.city, s.postcode, s.country]
    else:
        return "to be confirmed"
    return ", ".join(p for p in parts if p)


def _planned_date(
    order: Order, refdata: ReferenceData, customer: Customer | None, today: date
) -> date:
    lead = max(
        (
            refdata.products[ln.sku].lead_time_days
            for ln in order.lines
            if ln.sku in refdata.products
        ),
        default=0,
    )
    country = customer.ship_to.country if customer else ""
    return add_working_days(today, max(lead, 1), country=country, holidays=refdata.holidays)


def reply_facts(
    order: Order,
    *,
    findings: list[Finding],
    refdata: ReferenceData,
    desk: DeskSettings,
    today: date,
) -> ReplyFacts:
    """The template data for ``order`` and the kind of reply its findings call for."""
    customer = refdata.customers.get(order.customer_id or "")
    rows, total, currency = _line_rows(order, refdata)
    questions = [f.message for f in findings if f.severity is Severity.ERROR and f.message]
    flagged = {f.line for f in findings if f.severity is Severity.ERROR}
    context = {
        "customer_name": customer.name if customer else "customer",
        "desk_name": desk.name,
        "token": order.token,
        "po_number": order.po_number or "",
        "lines": rows,
        "total": _money(total, currency),
        "clear_lines": [r for i, r in enumerate(rows) if i not in flagged],
        "requested_date": order.requested_date.strftime("%d %B %Y") if order.requested_date else "",
        "planned_date": _planned_date(order, refdata, customer, today).strftime("%d %B %Y"),
        "ship_to_text": _ship_to_text(order, customer),
        "payment_terms": customer.payment_terms if customer else "",
        "questions": questions,
    }
    kind = DraftKind.CLARIFICATION if questions else DraftKind.CONFIRMATION
    return ReplyFacts(context=context, kind=kind)


def reply_subject(original: str, token: str) -> str:
    """``Re: <subject> [ORD-…]``, without stacking "Re:" or the token twice."""
    subject = original.strip() or "Your order"
    if f"[{token}]" not in subject:
        subject = f"{subject} [{token}]"
    if not subject.lower().startswith(("re:", "aw:", "回复:", "回复：")):
        subject = f"Re: {subject}"
    return subject


def plus_address(desk_address: str, token: str) -> str:
    """``orders+ORD-…@domain``: survives providers that rewrite Message-IDs."""
    local, _, domain = desk_address.partition("@")
    return f"{local}+{token}@{domain}"


def new_message_id(desk: DeskSettings, token: str) -> str:
    """A Message-ID of ours that carries the order token, so a reply quoting
    it finds its order even when other headers were lost."""
    return f"<{token}.{secrets.token_hex(8)}@{desk.message_id_domain}>"


def build_mime(draft: Draft, *, token: str, desk: DeskSettings, message_id: str) -> bytes:
    """The exact bytes that will be sent for ``draft`` under ``message_id``."""
    message = EmailMessage()
    message["From"] = formataddr((desk.name, desk.address))
    message["To"] = draft.to_addr
    message["Reply-To"] = plus_address(desk.address, token)
    message["Subject"] = draft.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id
    if draft.in_reply_to:
        message["In-Reply-To"] = draft.in_reply_to
    if draft.references:
        message["References"] = " ".join(draft.references)
    message["Auto-Submitted"] = AUTO_SUBMITTED
    message["X-Mailflow-Order"] = token
    message.set_content(draft.body_text)
    message.add_alternative(draft.body_html, subtype="html")
    return message.as_bytes(policy=WIRE_POLICY)
