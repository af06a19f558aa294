"""Replies drafted from the operator's templates in ``templates/<lang>/``.

Templates run in a ``SandboxedEnvironment`` (operators edit them) and the HTML
ones autoescape. Text and HTML are rendered from the same data and sent as
multipart/alternative. The Message-ID is fixed only when a draft is approved.
"""

from __future__ import annotations

import dataclasses
import email.policy
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any, Protocol

from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from mailflow.clock import utcnow
from mailflow.config import ChecksSettings, DeskSettings
from mailflow.db.models import Draft
from mailflow.extract.types import ExtractedOrder
from mailflow.refdata import Customer, ReferenceData
from mailflow.states import DraftKind
from mailflow.validate.dates import earliest_delivery, planned_delivery
from mailflow.validate.findings import Finding, Severity
from mailflow.validate.l10n import (
    Localizer,
    Money,
    Percent,
    Qty,
    address_text,
    localizer,
    payment_terms_text,
    product_name,
    reply_language,
)
from mailflow.validate.pricing import PricedLine, PricedOrder, price_lines, price_tier

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
            # Block tags take their own line in the text templates and leave no
            # trace of it in the e-mail.
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def _name(self, kind: DraftKind, language: str, ext: str) -> str:
        chosen = language if (self.template_dir / language / f"{kind}.{ext}.j2").exists() else "en"
        return f"{chosen}/{kind}.{ext}.j2"

    def render(self, kind: DraftKind, language: str, context: dict[str, Any]) -> tuple[str, str]:
        text = self.env.get_template(self._name(kind, language, "txt")).render(context)
        html = self.env.get_template(self._name(kind, language, "html")).render(context)
        return text, html


class LineView(Protocol):
    """What a reply needs of an order line (an ``OrderLine`` row or a plain one)."""

    @property
    def sku(self) -> str | None: ...
    @property
    def quantity(self) -> int | None: ...
    @property
    def description(self) -> str: ...


class OrderView(Protocol):
    """What a reply needs of an order: the stored ``Order`` or an unsaved ``PlainOrder``."""

    @property
    def token(self) -> str: ...
    @property
    def customer_id(self) -> str | None: ...
    @property
    def language(self) -> str: ...
    @property
    def po_number(self) -> str | None: ...
    @property
    def requested_date(self) -> date | None: ...
    @property
    def ship_to(self) -> dict[str, Any] | None: ...
    @property
    def lines(self) -> Sequence[LineView]: ...


@dataclass(frozen=True)
class PlainLine:
    sku: str | None
    quantity: int | None
    description: str


@dataclass(frozen=True)
class PlainOrder:
    """An order that is not in the database (``mailflow process --dry-run``)."""

    token: str
    customer_id: str | None
    language: str
    po_number: str | None
    requested_date: date | None
    ship_to: dict[str, Any] | None
    lines: tuple[PlainLine, ...]

    @classmethod
    def from_extracted(cls, extracted: ExtractedOrder, *, token: str) -> PlainOrder:
        return cls(
            token=token,
            customer_id=extracted.customer_id,
            language=extracted.language,
            po_number=extracted.po_number,
            requested_date=extracted.requested_date,
            ship_to=extracted.ship_to.to_json() if extracted.ship_to else None,
            lines=tuple(PlainLine(ln.sku, ln.quantity, ln.description) for ln in extracted.lines),
        )


@dataclass(frozen=True)
class ReplyFacts:
    """Everything a reply template may show, computed once, in one language."""

    context: dict[str, Any]
    kind: DraftKind
    language: str = "en"


@dataclass(frozen=True)
class _Setting:
    """The facts every part of a reply is formatted against."""

    order: OrderView
    customer: Customer | None
    refdata: ReferenceData
    words: Localizer
    today: date
    checks: ChecksSettings

    @property
    def language(self) -> str:
        return self.words.language


def _row(line: PricedLine, setting: _Setting) -> dict[str, Any]:
    words, product = setting.words, line.product
    return {
        "position": line.index + 1,
        "sku": product.sku,
        "name": product_name(product, setting.language),
        "quantity": words.text(Qty(line.quantity, product.unit)),
        "unit_price": words.text(Money(line.list_price, product.currency)),
        "discount": words.text(Percent(line.discount_percent)) if line.promotion else "",
        "total": words.text(Money(line.total, product.currency)),
    }


def _totals(priced: PricedOrder, words: Localizer) -> dict[str, str]:
    currencies = priced.currencies() or ["USD"]

    def each(amount: Callable[[str], Decimal], sign: str = "") -> str:
        return " + ".join(sign + words.text(Money(amount(c), c)) for c in currencies)

    has_discount = any(priced.discount(c) for c in currencies)
    return {
        "subtotal": each(priced.gross) if has_discount else "",
        "discount_total": each(priced.discount, "-") if has_discount else "",
        "total": each(priced.total),
    }


def _ship_to(order: OrderView, customer: Customer | None) -> dict[str, str]:
    """The stated ship-to, else the customer's default one ({} when neither is known)."""
    if order.ship_to:
        return {key: str(value) for key, value in order.ship_to.items() if value}
    return dataclasses.asdict(customer.ship_to) if customer else {}


def _delivery(setting: _Setting, flagged: set[str]) -> dict[str, Any]:
    holidays, country = setting.refdata.holidays, _country(setting.order, setting.customer)
    earliest = earliest_delivery(
        (ln.sku for ln in setting.order.lines),
        refdata=setting.refdata,
        today=setting.today,
        country=country,
        min_lead_days=setting.checks.min_lead_days,
    )
    requested = setting.order.requested_date
    planned = planned_delivery(requested, earliest=earliest, country=country, holidays=holidays)
    return {
        "delivery_date": setting.words.text(planned),
        "delivery_is_requested": planned == requested,
        "delivery_clear": "requested_date" not in flagged,
    }


def _country(order: OrderView, customer: Customer | None) -> str:
    stated = str((order.ship_to or {}).get("country") or "").upper()
    return stated or (customer.ship_to.country if customer else "")


def _texts(findings: Sequence[Finding], language: str) -> tuple[list[str], list[str]]:
    """The questions (errors the customer can answer) and the notes (warnings
    the customer should read). Info is not repeated: the lines show the
    discounts, and the delivery line covers date_missing."""
    questions, notes = [], []
    # Questions about lines come first, in the order of the lines.
    for finding in sorted(findings, key=lambda f: (f.line is None, f.line or 0)):
        text = finding.text(language) if finding.texts else finding.message
        if not text:
            continue
        if finding.severity is Severity.ERROR:
            questions.append(text)
        elif finding.severity is Severity.WARNING and finding.code != "date_missing":
            notes.append(text)
    return questions, notes


def _lines(setting: _Setting, errors: Sequence[Finding]) -> dict[str, Any]:
    tier = price_tier(setting.customer, setting.checks.default_price_tier)
    wanted = [(ln.sku, ln.quantity) for ln in setting.order.lines]
    priced = price_lines(wanted, setting.refdata, tier=tier, on=setting.today)
    rows = [_row(line, setting) for line in priced.lines]
    flagged = {f.line for f in errors if f.line is not None}
    return {
        "lines": rows,
        "clear_lines": [row for row in rows if row["position"] - 1 not in flagged],
        **_totals(priced, setting.words),
    }


def _customer_facts(setting: _Setting, errors: Sequence[Finding]) -> dict[str, Any]:
    ship_to = _ship_to(setting.order, setting.customer)
    terms = setting.customer.payment_terms if setting.customer else ""
    return {
        "po_number": setting.order.po_number or "",
        "ship_to_text": address_text(ship_to, setting.words) if ship_to else "",
        "ship_to_clear": not any(f.field == "ship_to" for f in errors),
        "payment_terms": payment_terms_text(terms, setting.language) if terms else "",
    }


def reply_facts(
    order: OrderView,
    *,
    findings: Sequence[Finding],
    refdata: ReferenceData,
    desk: DeskSettings,
    today: date,
    checks: ChecksSettings | None = None,
    contact_name: str = "",
    language: str = "",
) -> ReplyFacts:
    """The template data for ``order`` and the kind of reply its findings call
    for, in ``language`` (default: the e-mail's, else the customer's, else the desk's)."""
    customer = refdata.customers.get(order.customer_id or "")
    language = language or reply_language(order.language, customer, desk.language)
    words = localizer(language, _country(order, customer))
    setting = _Setting(order, customer, refdata, words, today, checks or ChecksSettings())
    errors = [f for f in findings if f.severity is Severity.ERROR]
    questions, notes = _texts(findings, language)
    context = {
        "customer_name": contact_name or (customer.name if customer else ""),
        "desk_name": desk.name,
        "token": order.token,
        **_lines(setting, errors),
        **_delivery(setting, {f.field for f in errors}),
        **_customer_facts(setting, errors),
        "questions": questions,
        "notes": notes,
    }
    kind = DraftKind.CLARIFICATION if questions else DraftKind.CONFIRMATION
    return ReplyFacts(context=context, kind=kind, language=language)


# Reply and forward prefixes clients add (English, German, Nordic, Chinese),
# possibly several deep: "Re: AW: 回复: …".
_PREFIXES = re.compile(
    r"^(?:\s*(?:re|aw|sv|vs|fw|fwd|回复|答复|转发)\s*(?:\[\d+\])?\s*[:：])+\s*", re.I
)


def reply_subject(original: str, token: str) -> str:
    """``Re: <subject> [ORD-…]``: one "Re:" however deep the thread, and the
    order token once."""
    subject = _PREFIXES.sub("", original.strip()) or "Your order"
    if f"[{token}]" not in subject:
        subject = f"{subject} [{token}]"
    return f"Re: {subject}"


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
