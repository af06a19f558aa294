"""Outbound senders: the contract the outbox relies on, and the file sender.

A sender gets the finished message bytes (its Message-ID already fixed) and an
explicit envelope. It raises ``TransientError`` when a later retry may succeed
(4xx, connection trouble) and ``PermanentError`` when it will not (5xx).
"""

from __future__ import annotations

import mailbox
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol


class Sender(Protocol):
    async def send(self, raw: bytes, *, mail_from: str, rcpt_to: Sequence[str]) -> str:
        """Hand the message over; return the server's acceptance text."""
        ...


class MaildirSender:
    """Writes each sent message into a local Maildir (the embedded default), so
    that the demo and a dry run show exactly what would have gone out."""

    def __init__(self, path: Path) -> None:
        self.path = path

    async def send(self, raw: bytes, *, mail_from: str, rcpt_to: Sequence[str]) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        box = mailbox.Maildir(self.path, create=True)
        envelope = f"X-Mailflow-Envelope: from=<{mail_from}> to=<{'>,<'.join(rcpt_to)}>\r\n"
        key = box.add(mailbox.MaildirMessage(envelope.encode("ascii", "replace") + raw))
        return f"written to {self.path / 'new' / key}"
