"""The typed context the pipeline's stages share: ``Services`` (built once at
start-up) and ``Work`` (one message on its way through)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from mailflow.clock import utcnow
from mailflow.config import Settings
from mailflow.db.models import Draft, Message, Order
from mailflow.drafts import Renderer, ReplyFacts, reply_facts
from mailflow.errors import PermanentError
from mailflow.extract.types import ExtractedOrder
from mailflow.mail.envelope import Envelope
from mailflow.orders import set_message_state
from mailflow.refdata import ReferenceData
from mailflow.states import DraftKind, MessageState
from mailflow.validate.findings import Finding

ACTOR = "pipeline"


@dataclass
class Services:
    """What the stages need besides the message: built once at start-up."""

    settings: Settings
    refdata: ReferenceData
    renderer: Renderer
    today: Callable[[], date] = field(default=lambda: utcnow().date())

    def reply_facts(
        self,
        order: Order,
        *,
        findings: Sequence[Finding] = (),
        kind: DraftKind | None = None,
        contact_name: str = "",
        language: str = "",
        extra: Mapping[str, Any] | None = None,
    ) -> ReplyFacts:
        """The template data of a reply about ``order``, of ``kind`` (default:
        what the findings call for), with ``extra`` facts for that kind."""
        facts = reply_facts(
            order,
            findings=findings,
            refdata=self.refdata,
            desk=self.settings.desk,
            today=self.today(),
            checks=self.settings.checks,
            contact_name=contact_name,
            language=language,
        )
        context = {**facts.context, **(extra or {})}
        return replace(facts, kind=kind or facts.kind, context=context)


@dataclass
class Work:
    """The typed context every stage reads and extends."""

    session: Session
    message: Message
    services: Services
    envelope: Envelope | None = None
    extracted: ExtractedOrder | None = None
    thread_order: Order | None = None
    order: Order | None = None
    findings: list[Finding] = field(default_factory=list)
    outcome: str = ""
    draft: Draft | None = None
    reply_details: ExtractedOrder | None = None
    hold: str = ""  # why no reply may be drafted now
    done: bool = False

    def read_reply(self) -> ExtractedOrder:
        """The reply read for everything it says (lines, dates, addresses)
        whatever its intent: what a reply in a live thread is merged from."""
        from mailflow.extract import extract_order

        if self.reply_details is None:
            self.reply_details = extract_order(
                self.need_envelope(), self.services.refdata, read_all=True
            )
        return self.reply_details

    def order_email(self) -> str:
        envelope = self.need_envelope()
        return envelope.answer_address()

    def need_envelope(self) -> Envelope:
        if self.envelope is None:
            raise PermanentError("stage ran before parse")
        return self.envelope

    def need_extracted(self) -> ExtractedOrder:
        if self.extracted is None:
            raise PermanentError("stage ran before extract")
        return self.extracted

    def need_order(self) -> Order:
        if self.order is None:
            raise PermanentError("stage ran before the order was recorded")
        return self.order

    def finish(self, state: MessageState, outcome: str, **details: object) -> None:
        set_message_state(
            self.session, self.message, state, actor=ACTOR, outcome=outcome, **details
        )
        self.outcome, self.done = outcome, True
