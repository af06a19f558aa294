"""The readable body and the attachments of a parsed MIME tree.

Which part is the body:

* In ``multipart/alternative`` the text/plain part wins; the HTML part is kept
  as ``html``, and its text is used only when the plain part is missing or
  blank (some clients send an empty one).
* In ``multipart/mixed`` every inline text/plain or text/html part is body,
  in order (Apple Mail splits the text around inline attachments).
* Everything else is an attachment: a part with ``Content-Disposition:
  attachment`` or a filename, and every part that is not text/plain or
  text/html (images, PDFs, CSV, calendar files, delivery reports).

A forwarded message attached as ``message/rfc822`` is listed as an attachment
*and* its text, under a "Forwarded message" header, is kept in ``forwarded``:
the sender forwards it for us to act on, so it belongs with what they newly
wrote, not with the quoted history. Attachments inside it are listed too.
Inside a ``multipart/report`` (a bounce) the returned message is only an
attachment: it is our own mail coming back.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from email.message import Message

from mailflow.mail.charset import decode_header_value, decode_text, header_text
from mailflow.mail.envelope import Attachment
from mailflow.mail.html import html_to_text

_BODY_TYPES = frozenset({"text/plain", "text/html"})
# Extensions for unnamed parts that the mimetypes table does not know.
_EXTENSIONS = {
    "message/rfc822": ".eml",
    "message/delivery-status": ".txt",
    "message/disposition-notification": ".txt",
    "text/rfc822-headers": ".txt",
}


@dataclass
class Body:
    """What a MIME tree holds for a reader: text, original HTML, forwards, attachments."""

    segments: list[tuple[str, str]] = field(default_factory=list)  # ("plain"|"html", text)
    html: list[str] = field(default_factory=list)
    forwarded: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The message's own readable text (HTML-only parts converted), without forwards."""
        texts = (html_to_text(t) if kind == "html" else t for kind, t in self.segments)
        return "\n\n".join(t.strip("\n") for t in texts if t.strip())


def content_type(part: Message) -> str:
    """``part.get_content_type()``, read from the raw header: the policy's
    header objects re-parse Content-Type on every call, which was most of
    the time spent parsing an e-mail. Same rules: a malformed type is
    text/plain (RFC 2045), a missing one the part's default."""
    for key, value in part.raw_items():
        if key.lower() == "content-type":
            ctype = str(value).split(";", 1)[0].strip().lower()
            return ctype if ctype.count("/") == 1 and " " not in ctype else "text/plain"
    return part.get_default_type()


def collect_body(msg: Message) -> Body:
    """Walk ``msg`` and sort its parts into body text, HTML, forwards and attachments."""
    body = Body()
    _collect(msg, body, in_report=False)
    return body


def _subparts(part: Message) -> list[Message]:
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, Message)] if isinstance(payload, list) else []


def _collect(part: Message, body: Body, *, in_report: bool) -> None:
    ctype = content_type(part)
    is_multipart = content_type(part).partition("/")[0] == "multipart" and part.is_multipart()
    if ctype == "message/rfc822":
        _collect_attached_message(part, body, in_report=in_report)
    elif is_multipart and ctype == "multipart/alternative":
        _collect_alternative(part, body, in_report=in_report)
    elif is_multipart:
        for sub in _subparts(part):
            _collect(sub, body, in_report=in_report or ctype == "multipart/report")
    elif _is_attachment(part):
        body.attachments.append(_attachment(part, index=len(body.attachments) + 1))
    else:
        _collect_text(part, body)


def _is_attachment(part: Message) -> bool:
    if content_type(part).partition("/")[0] == "multipart":
        # A multipart whose boundary could not be found: its text is all we have.
        return False
    if content_type(part) not in _BODY_TYPES:
        return True
    return part.get_content_disposition() == "attachment" or bool(_filename(part))


def _collect_text(part: Message, body: Body) -> None:
    raw_text = decode_text(_payload(part), part.get_content_charset())
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    if content_type(part) == "text/html":
        body.html.append(text)
        body.segments.append(("html", text))
    else:
        body.segments.append(("plain", text))


def _collect_alternative(part: Message, body: Body, *, in_report: bool) -> None:
    # Collect each alternative on its own, then keep the plain one if it says anything.
    choices = []
    for sub in _subparts(part):
        choice = Body()
        _collect(sub, choice, in_report=in_report)
        choices.append(choice)
    plain = [c for c in choices if any(k == "plain" and t.strip() for k, t in c.segments)]
    # Without a plain part, the last alternative with text is the richest one.
    with_text = [c for c in choices if c.segments]
    chosen = plain[0] if plain else (with_text[-1] if with_text else Body())
    body.segments.extend(chosen.segments)
    for choice in choices:
        body.html.extend(choice.html)
        body.forwarded.extend(choice.forwarded)
        body.attachments.extend(choice.attachments)


def _collect_attached_message(part: Message, body: Body, *, in_report: bool) -> None:
    inner = next(iter(_subparts(part)), None)
    body.attachments.append(_attachment(part, index=len(body.attachments) + 1))
    if inner is None or in_report:
        return
    forwarded = collect_body(inner)
    body.forwarded.append(_forward_header(inner) + forwarded.text)
    body.forwarded.extend(forwarded.forwarded)
    body.attachments.extend(forwarded.attachments)


def _forward_header(inner: Message) -> str:
    lines = ["---------- Forwarded message ---------"]
    for name in ("From", "Date", "Subject", "To"):
        value = header_text(inner, name)
        if value:
            lines.append(f"{name}: {value}")
    return "\n".join(lines) + "\n\n"


def _payload(part: Message) -> bytes:
    if isinstance(part.get_payload(), list):
        # message/rfc822 and message/delivery-status hold parsed messages or
        # header blocks; their bytes are those written back out.
        return b"".join(_message_bytes(sub) for sub in _subparts(part))
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _message_bytes(msg: Message) -> bytes:
    try:
        return msg.as_bytes()
    except (LookupError, UnicodeError, ValueError, TypeError):
        # A message the generator cannot write back is still worth listing.
        return msg.as_string().encode("utf-8", errors="replace")


def _filename(part: Message) -> str:
    name = part.get_filename() or ""
    # Some clients put RFC 2047 words inside the quoted filename parameter.
    return decode_header_value(name) if name else ""


def _attachment(part: Message, *, index: int) -> Attachment:
    payload = _payload(part)
    ctype = content_type(part)
    name = _filename(part) or _filename_from_subject(part) or _unnamed(ctype, index)
    return Attachment(filename=name, content_type=ctype, size=len(payload), payload=payload)


def _filename_from_subject(part: Message) -> str:
    inner = next(iter(_subparts(part)), None)
    if content_type(part) != "message/rfc822" or inner is None:
        return ""
    subject = header_text(inner, "Subject").strip()
    return f"{subject}.eml" if subject else "forwarded.eml"


def _unnamed(ctype: str, index: int) -> str:
    extension = _EXTENSIONS.get(ctype) or mimetypes.guess_extension(ctype) or ".bin"
    return f"attachment-{index}{extension}"
