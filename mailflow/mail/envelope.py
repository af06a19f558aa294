"""The Envelope: one parsed inbound message, as every later stage sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Attachment:
    """One attachment: its name, MIME type, size and bytes (kept for extraction)."""

    filename: str
    content_type: str
    size: int
    payload: bytes = field(repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"filename": self.filename, "content_type": self.content_type, "size": self.size}


@dataclass(frozen=True)
class AutoVerdict:
    """Whether a message was sent by a machine, and why we think so."""

    auto_reply: bool
    reason: str | None = None  # e.g. "auto-submitted", "bounce", "list", "own", "noreply"

    def to_json(self) -> dict[str, Any]:
        return {"auto_reply": self.auto_reply, "reason": self.reason}


@dataclass(frozen=True)
class Envelope:
    """A parsed inbound message: new text, quotes, attachments, thread refs, verdict."""

    message_id: str | None
    sender: str  # bare address, lower-cased
    sender_name: str
    recipients: list[str]
    reply_to: list[str]
    subject: str
    date: datetime | None  # timezone-aware
    language: str  # "en", "zh" or "mixed"
    text: str  # the whole readable body (plain text, or HTML converted)
    new_text: str  # what the sender newly wrote: quotes and signature removed
    quoted_text: str
    signature: str
    html: str | None
    attachments: list[Attachment]
    in_reply_to: str | None
    references: list[str]
    auto: AutoVerdict
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    # Every Authentication-Results header, newest (topmost) first; which of
    # them to believe is decided by mailflow.mail.authresults.
    auth_results: list[str] = field(default_factory=list, repr=False)

    def answer_address(self) -> str:
        """Where our answer goes: the Reply-To when it stays within the
        sender's own domain, else the sender. A Reply-To elsewhere is how a
        forger would divert a customer's confirmation, so it is not followed."""
        domain = self.sender.rpartition("@")[2]
        for address in self.reply_to:
            if domain and address.rpartition("@")[2] == domain:
                return address
        return self.sender

    def to_json(self) -> dict[str, Any]:
        """The JSON object printed by ``mailflow parse --json``."""
        return {
            "message_id": self.message_id,
            "sender": self.sender,
            "sender_name": self.sender_name,
            "recipients": self.recipients,
            "reply_to": self.reply_to,
            "subject": self.subject,
            "date": self.date.isoformat() if self.date else None,
            "language": self.language,
            "new_text": self.new_text,
            "quoted_text": self.quoted_text,
            "signature": self.signature,
            "attachments": [a.to_json() for a in self.attachments],
            "in_reply_to": self.in_reply_to,
            "references": self.references,
            "auto_reply": self.auto.auto_reply,
            "auto_reason": self.auto.reason,
        }
