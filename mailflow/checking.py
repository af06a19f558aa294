"""Check one e-mail end to end without touching the database: parse, extract,
validate, decide and draft the reply, as ``mailflow process FILE --json
--dry-run`` prints it.

The result is the extraction in the corpus schema (``../shared/corpus/README.md``)
with three more keys: ``findings`` (``code``, ``severity``, ``line``,
``field``), ``decision`` (confirm / clarify / review / ignore) and ``reply``
(``kind``, ``language``, ``subject``, ``text``; ``null`` when nothing is drafted).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from mailflow.config import Settings
from mailflow.drafts import PlainOrder, Renderer, reply_facts, reply_subject
from mailflow.extract import extract_order
from mailflow.extract.types import ExtractedOrder, Intent
from mailflow.mail.envelope import Envelope
from mailflow.mail.parse import parse_envelope
from mailflow.refdata import ReferenceData
from mailflow.validate import CheckContext, PriorOrder, decide, validate_order
from mailflow.validate.decision import OrderDecision
from mailflow.validate.findings import Finding

# Our reference in a reply drafted without an order row; tokens never contain 0/O/1/I.
DRY_RUN_TOKEN = "ORD-DRYRUN"  # noqa: S105 - an order token, not a secret

Extractor = Callable[[Envelope, ReferenceData], ExtractedOrder]


def check_context(
    extracted: ExtractedOrder,
    envelope: Envelope,
    *,
    refdata: ReferenceData,
    settings: Settings,
    today: date,
    prior_orders: Sequence[PriorOrder] = (),
) -> CheckContext:
    """Everything the checks need about this e-mail; the pipeline adds ``prior_orders``."""
    return CheckContext(
        refdata=refdata,
        customer=refdata.customers.get(extracted.customer_id or ""),
        today=today,
        settings=settings.checks,
        sender=envelope.sender,
        received_at=envelope.date,
        authentication_results=tuple(envelope.auth_results),
        prior_orders=tuple(prior_orders),
    )


def _automatic(envelope: Envelope, refdata: ReferenceData) -> ExtractedOrder:
    """Machine mail is not read for an order, as in the pipeline: only who sent it."""
    customer = refdata.customer_for_address(envelope.sender)
    language = envelope.language if envelope.language in ("en", "zh") else "en"
    return ExtractedOrder(
        intent=Intent.AUTO_REPLY,
        language=language,
        customer_id=customer.customer_id if customer else None,
    )


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": str(finding.severity),
        "line": finding.line,
        "field": finding.field,
    }


def draft_reply(
    extracted: ExtractedOrder,
    envelope: Envelope,
    findings: Sequence[Finding],
    *,
    refdata: ReferenceData,
    settings: Settings,
    today: date,
    renderer: Renderer | None = None,
    token: str = DRY_RUN_TOKEN,
) -> dict[str, Any]:
    """The reply the findings call for, rendered as the customer would read it."""
    facts = reply_facts(
        PlainOrder.from_extracted(extracted, token=token),
        findings=findings,
        refdata=refdata,
        desk=settings.desk,
        today=today,
        checks=settings.checks,
        contact_name=envelope.sender_name,
    )
    renderer = renderer or Renderer(settings.templates.dir)
    text, _html = renderer.render(facts.kind, facts.language, facts.context)
    return {
        "kind": str(facts.kind),
        "language": facts.language,
        "subject": reply_subject(envelope.subject, token),
        "text": text,
    }


def check_file(
    raw: bytes,
    *,
    refdata: ReferenceData,
    settings: Settings,
    today: date,
    prior_orders: Sequence[PriorOrder] = (),
    extract: Extractor | None = None,
    renderer: Renderer | None = None,
) -> dict[str, Any]:
    """The "contract for checking" JSON object for one raw e-mail; writes nothing."""
    desk = settings.desk
    envelope = parse_envelope(
        raw, own_addresses=[desk.address, *desk.own_addresses], own_domain=desk.message_id_domain
    )
    if envelope.auto.auto_reply:
        extracted = _automatic(envelope, refdata)
    else:
        extracted = (extract or extract_order)(envelope, refdata)
    context = check_context(
        extracted,
        envelope,
        refdata=refdata,
        settings=settings,
        today=today,
        prior_orders=prior_orders,
    )
    findings = validate_order(extracted, context)
    decision = decide(extracted.intent, findings, hold_codes=settings.checks.hold_codes)
    reply = None
    if extracted.intent == Intent.ORDER and decision is not OrderDecision.IGNORE:
        reply = draft_reply(
            extracted,
            envelope,
            findings,
            refdata=refdata,
            settings=settings,
            today=today,
            renderer=renderer,
        )
    return {
        **extracted.to_corpus_json(),
        "findings": [_finding_json(f) for f in findings],
        "decision": str(decision),
        "reply": reply,
    }
