"""Raw message bytes to an ``Envelope``: the parse stage.

Parsing never gives up on a message that has anything usable: broken RFC 2047
words, wrong or missing charsets (see ``charset``), a bad Date (``date`` is
then None), a missing From (``sender`` is then ""), a multipart whose
boundary parameter is missing (the boundary is read from the body). Only
input that is empty or has no e-mail headers at all raises ``ParseError``.

Body text longer than ``MAX_TEXT_CHARS`` is cut for quote splitting and
language detection, so that a pathological message cannot stall the worker;
the raw bytes stay in the database, and attachments are always kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from mailflow.errors import ParseError
from mailflow.mail.autoreply import detect_automatic
from mailflow.mail.body import Body, collect_body, content_type
from mailflow.mail.charset import (
    decode_header_value,
    header_text,
    header_texts,
    raw_header_values,
)
from mailflow.mail.envelope import Envelope
from mailflow.mail.language import detect_language
from mailflow.mail.quotes import split_reply

MAX_TEXT_CHARS = 1_000_000

# Headers that later stages and the review UI look at, kept verbatim (decoded).
_KEPT_HEADERS = (
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "Return-Path",
    "Authentication-Results",
    "X-Autoreply",
    "X-Autorespond",
    "X-Mailer",
    "Content-Type",
)
# At least one of these must be present for the bytes to count as an e-mail.
_ENVELOPE_HEADERS = ("from", "sender", "to", "cc", "reply-to", "subject", "date", "message-id")
_TRANSPORT_HEADERS = ("received", "return-path", "delivered-to", "mime-version", "content-type")
_MAIL_HEADERS = frozenset(_ENVELOPE_HEADERS + _TRANSPORT_HEADERS)
_MSG_ID = re.compile(r"<[^<>]+>")
_PLAUSIBLE = re.compile(r"[^@\s<>]+@[^@\s<>]+")
_ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_BOUNDARY_LINE = re.compile(rb"^--([ -~]{1,200}?)[ \t]*\r?$", re.MULTILINE)


def parse_envelope(
    raw: bytes, *, own_addresses: Sequence[str] = (), own_domain: str | None = None
) -> Envelope:
    """Parse one message; raise ``ParseError`` only when the bytes are not an e-mail."""
    # Exports often start with a byte-order mark or blank lines; neither
    # belongs to the message.
    raw = raw.removeprefix(b"\xef\xbb\xbf").lstrip()
    msg = _read_message(raw)
    sender_name, sender = _sender(msg)
    subject = header_text(msg, "Subject")
    body = collect_body(_with_boundary(msg, raw))
    reading = _read_body(body, sender_name=sender_name, subject=subject)
    message_ids = _message_ids(header_text(msg, "Message-ID"))
    return Envelope(
        message_id=message_ids[0] if message_ids else None,
        sender=sender,
        sender_name=sender_name,
        recipients=_addresses(msg, "To", "Cc"),
        reply_to=_addresses(msg, "Reply-To"),
        subject=subject,
        date=_date(header_text(msg, "Date")),
        language=detect_language((reading.new_text or reading.text or subject)[:MAX_TEXT_CHARS]),
        text=reading.text,
        new_text=reading.new_text,
        quoted_text=reading.quoted_text,
        signature=reading.signature,
        html="\n".join(body.html) or None,
        attachments=body.attachments,
        in_reply_to=next(iter(_message_ids(header_text(msg, "In-Reply-To"))), None),
        references=_message_ids(header_text(msg, "References")),
        auto=detect_automatic(
            msg, sender=sender, own_addresses=own_addresses, own_domain=own_domain
        ),
        headers=_kept_headers(msg),
        auth_results=header_texts(msg, "Authentication-Results"),
    )


@dataclass(frozen=True)
class _Reading:
    text: str
    new_text: str
    quoted_text: str
    signature: str


def _read_body(body: Body, *, sender_name: str, subject: str) -> _Reading:
    """Split the message's own text into new, quoted and signature; forwards count as new."""
    own_text = body.text
    new_text, quoted, signature = split_reply(
        own_text[:MAX_TEXT_CHARS], sender_name=sender_name, subject=subject
    )
    return _Reading(
        text=_paragraphs(own_text, *body.forwarded),
        new_text=_paragraphs(new_text, *body.forwarded),
        quoted_text=quoted,
        signature=signature,
    )


def _paragraphs(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part.strip())


def _read_message(raw: bytes) -> EmailMessage:
    if not raw:
        raise ParseError("empty message: no bytes to parse")
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(msg, EmailMessage) or not _MAIL_HEADERS & {k.lower() for k in msg}:
        raise ParseError("not an e-mail: no message headers found")
    return msg


def _with_boundary(msg: EmailMessage, raw: bytes) -> Message:
    """``msg``, or for a multipart without a usable boundary, its body re-read with one."""
    if not content_type(msg).startswith("multipart/") or msg.is_multipart():
        return msg
    body = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[-1]
    found = _BOUNDARY_LINE.search(body)
    if not found:
        return msg
    boundary = found.group(1).decode("ascii")
    subtype = msg.get_content_subtype()
    subtype = subtype if re.fullmatch(r"[a-z0-9.+-]+", subtype) else "mixed"
    header = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'
    return BytesParser(policy=policy.default).parsebytes(header.encode("ascii") + body)


def _parsed_addresses(raw_values: Sequence[str]) -> list[tuple[str, str]]:
    pairs = [(n, a) for n, a in getaddresses(list(raw_values)) if _PLAUSIBLE.fullmatch(a)]
    if pairs or not any(raw_values):
        return pairs
    # getaddresses gives up on some malformed lists; any address is better than none.
    return [("", a) for value in raw_values for a in _ADDRESS.findall(value)]


def _sender(msg: Message) -> tuple[str, str]:
    """The From (or else Sender) display name and bare lower-cased address."""
    for name in ("From", "Sender"):
        pairs = _parsed_addresses(raw_header_values(msg, name))
        if pairs:
            display, address = pairs[0]
            return decode_header_value(display).strip("\"' "), address.strip().lower()
    return "", ""


def _addresses(msg: Message, *names: str) -> list[str]:
    raw_values = [value for name in names for value in raw_header_values(msg, name)]
    found = (address.strip().lower() for _, address in _parsed_addresses(raw_values))
    return list(dict.fromkeys(found))


def _message_ids(value: str) -> list[str]:
    """Message-IDs in ``<local@domain>`` form, in order, without duplicates."""
    ids = ["".join(token.split()) for token in _MSG_ID.findall(value)]
    if not ids:
        # Some clients omit the angle brackets; add them so ids compare equal.
        ids = [f"<{token.strip('<>')}>" for token in value.split() if "@" in token]
    return list(dict.fromkeys(ids))


def _date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # RFC 5322 "-0000" means "UTC, local zone unknown"; Python makes that naive.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _kept_headers(msg: Message) -> dict[str, str]:
    kept = {name: header_text(msg, name) for name in _KEPT_HEADERS}
    return {name: value for name, value in kept.items() if value}
