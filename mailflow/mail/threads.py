"""Which order a reply belongs to: by In-Reply-To/References against every
Message-ID of the order's conversation, then by the order token in the
subject, then by a plus-address (``orders+ORD-…@``) among the recipients."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailflow.db.models import Order, ThreadRef
from mailflow.mail.envelope import Envelope

TOKEN = re.compile(r"\bORD-[23456789A-HJ-NP-Z]{8}\b", re.IGNORECASE)


def find_token(text: str) -> str | None:
    found = TOKEN.search(text)
    return found.group(0).upper() if found else None


def _by_references(session: Session, envelope: Envelope) -> Order | None:
    refs = [r for r in [envelope.in_reply_to, *reversed(envelope.references)] if r]
    if not refs:
        return None
    ref = session.scalars(select(ThreadRef).where(ThreadRef.message_id.in_(refs))).first()
    return session.get(Order, ref.order_id) if ref else None


def _by_token(session: Session, token: str | None) -> Order | None:
    if token is None:
        return None
    return session.scalar(select(Order).where(Order.token == token))


def match_order(session: Session, envelope: Envelope) -> Order | None:
    """The order this message continues, or None for a new conversation."""
    order = _by_references(session, envelope)
    if order is None:
        order = _by_token(session, find_token(envelope.subject))
    if order is None:
        plus = next(
            (find_token(a) for a in envelope.recipients if "+" in a and find_token(a)), None
        )
        order = _by_token(session, plus)
    return order
