"""Everything the order page shows, gathered in one place: the e-mail with its
evidence spans, the extracted order with each field's confidence, findings,
the reply as drafted, deliveries and the audit timeline."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailflow import audit
from mailflow.db.models import AuditEvent, Draft, FindingRecord, Message, Order, OutboxItem
from mailflow.extract import extract_order
from mailflow.extract.types import ExtractedOrder
from mailflow.mail.envelope import Envelope
from mailflow.orders import lock_order
from mailflow.refdata import ReferenceData
from mailflow.states import DraftState, OrderState
from mailflow.web.framework import Desk, Refused
from mailflow.web.mailview import Span, envelope_of, evidence_spans

EDITABLE_STATES = (OrderState.DRAFTED, OrderState.AWAITING_CUSTOMER, OrderState.STALLED)
_CACHE_SIZE = 128


@dataclass(frozen=True)
class Evidence:
    """Where one field was read, for fields whose evidence is not a body span."""

    key: str
    where: str
    text: str


@dataclass
class OrderPage:
    order: Order
    message: Message | None
    envelope: Envelope | None
    spans: list[Span]
    elsewhere: list[Evidence]
    confidence: dict[str, float]
    findings: list[FindingRecord]
    draft: Draft | None
    pending: Draft | None
    deliveries: list[OutboxItem]
    conversation: list[tuple[Message, Envelope | None]]
    events: list[AuditEvent]
    version: str
    line_findings: dict[int, list[FindingRecord]] = field(default_factory=dict)

    @property
    def editable(self) -> bool:
        return self.order.state in EDITABLE_STATES

    @property
    def needs_supervisor(self) -> bool:
        return any(f.code == "approval_required" for f in self.findings)


class ExtractionCache:
    """Order-level evidence and confidence are not stored with the order, so
    they are read again from the message; the result is kept per message,
    whose bytes never change."""

    def __init__(self) -> None:
        self._items: OrderedDict[int, ExtractedOrder] = OrderedDict()
        # Views run in a thread pool; the extraction itself runs unlocked.
        self._lock = threading.Lock()

    def get(self, message: Message, envelope: Envelope, refdata: ReferenceData) -> ExtractedOrder:
        with self._lock:
            found = self._items.get(message.id)
        if found is None:
            found = extract_order(envelope, refdata)
            with self._lock:
                self._items[message.id] = found
                while len(self._items) > _CACHE_SIZE:
                    self._items.popitem(last=False)
        return found


def load_order(session: Session, order_id: int, *, lock: bool = False) -> Order:
    """The order; with ``lock``, locked for a change (see orders.lock_order)."""
    order = session.get(Order, order_id)
    if order is None:
        raise Refused(404, f"There is no order {order_id}.")
    return lock_order(session, order_id) if lock else order


def version_of(session: Session, order: Order) -> str:
    """Changes with every draft and every change of the order: a form carrying
    an older version was filled in on a page that is out of date."""
    latest = session.scalar(
        select(Draft.id).where(Draft.order_id == order.id).order_by(Draft.id.desc()).limit(1)
    )
    return f"{latest or 0}:{order.updated_at.timestamp():.6f}"


def _drafts(session: Session, order: Order) -> tuple[Draft | None, Draft | None]:
    rows = session.scalars(
        select(Draft).where(Draft.order_id == order.id).order_by(Draft.id.desc())
    )
    drafts = list(rows)
    pending = next((d for d in drafts if d.state is DraftState.PENDING), None)
    shown = pending or next((d for d in drafts if d.state is not DraftState.SUPERSEDED), None)
    return shown or (drafts[0] if drafts else None), pending


def _line_marks(order: Order) -> tuple[list[tuple[int, int, str]], list[Evidence]]:
    marks: list[tuple[int, int, str]] = []
    elsewhere: list[Evidence] = []
    for line in order.lines:
        found = _order_marks({f"line-{line.position}": line.evidence} if line.evidence else {})
        marks += found[0]
        elsewhere += found[1]
    return marks, elsewhere


def _where(ev: dict[str, Any]) -> str:
    source = str(ev.get("source", ""))
    row = f", row {ev['row']}" if ev.get("row") is not None else ""
    if source.startswith("attachment:"):
        return f"attachment {source.partition(':')[2]}{row}"
    return {"html_table": "table in the HTML part", "subject": "subject line"}.get(
        source, source or "unknown"
    ) + row


def _order_evidence(order: Order, extracted: ExtractedOrder | None) -> dict[str, dict[str, Any]]:
    stored = order.extraction.get("evidence")
    if isinstance(stored, dict):
        return {str(key): dict(value) for key, value in stored.items()}
    return {key: ev.to_json() for key, ev in (extracted.evidence if extracted else {}).items()}


def _order_marks(
    evidence: dict[str, dict[str, Any]],
) -> tuple[list[tuple[int, int, str]], list[Evidence]]:
    marks: list[tuple[int, int, str]] = []
    elsewhere: list[Evidence] = []
    for key, ev in evidence.items():
        if ev.get("source") == "body" and ev.get("start") is not None:
            marks.append((int(ev["start"]), int(ev["end"]), key))
        else:
            elsewhere.append(Evidence(key, _where(ev), str(ev.get("text", ""))))
    return marks, elsewhere


def _confidence(order: Order, extracted: ExtractedOrder | None) -> dict[str, float]:
    stored = order.extraction.get("confidence")
    values = (
        dict(stored)
        if isinstance(stored, dict)
        else dict(extracted.confidence if extracted else {})
    )
    for line in order.lines:
        values[f"line-{line.position}"] = line.confidence
    return values


def _conversation(
    session: Session, order: Order, desk: Desk
) -> list[tuple[Message, Envelope | None]]:
    rows = session.scalars(
        select(Message)
        .where(Message.order_id == order.id, Message.id != (order.source_message_id or 0))
        .order_by(Message.id)
    )
    return [(m, _safe_envelope(m, desk)) for m in rows]


def _safe_envelope(message: Message, desk: Desk) -> Envelope | None:
    try:
        return envelope_of(message.raw, desk.app.settings.desk)
    except Exception:
        # A message that cannot be parsed is shown by its headers only.
        return None


def build_page(session: Session, desk: Desk, order: Order, cache: ExtractionCache) -> OrderPage:
    message = session.get(Message, order.source_message_id) if order.source_message_id else None
    envelope = _safe_envelope(message, desk) if message else None
    extracted = None
    if message is not None and envelope is not None and not _stored_evidence(order):
        extracted = cache.get(message, envelope, desk.app.services.refdata)
    line_marks, line_elsewhere = _line_marks(order)
    order_marks, order_elsewhere = _order_marks(_order_evidence(order, extracted))
    shown, pending = _drafts(session, order)
    findings = list(order.findings)
    return OrderPage(
        order=order,
        message=message,
        envelope=envelope,
        spans=evidence_spans(envelope.new_text if envelope else "", line_marks + order_marks),
        elsewhere=line_elsewhere + order_elsewhere,
        confidence=_confidence(order, extracted),
        findings=findings,
        draft=shown,
        pending=pending,
        deliveries=list(session.scalars(select(OutboxItem).where(OutboxItem.order_id == order.id))),
        conversation=_conversation(session, order, desk),
        events=list(audit.for_order(session, order.id)),
        version=version_of(session, order),
        line_findings=_by_line(findings),
    )


def _stored_evidence(order: Order) -> bool:
    return isinstance(order.extraction.get("evidence"), dict)


def _by_line(findings: list[FindingRecord]) -> dict[int, list[FindingRecord]]:
    grouped: dict[int, list[FindingRecord]] = {}
    for finding in findings:
        if finding.line is not None:
            grouped.setdefault(finding.line, []).append(finding)
    return grouped
