"""Is this message from a machine? RFC 3834 and RFC 3464 signals, then heuristics.

A message that any rule flags is recorded and never answered, so that we
never reply to an auto-reply, a bounce, a mailing list or ourselves. The
rules run in order from the most specific evidence to the weakest, and the
first that matches names the reason:

========================  ==================================================
reason                    evidence
========================  ==================================================
``bounce``                multipart/report or message/delivery-status part,
                          a MAILER-DAEMON/postmaster sender
``auto-submitted``        ``Auto-Submitted`` with any value but ``no``
``autoreply-header``      ``X-Autoreply`` or ``X-Autorespond``
``precedence``            ``Precedence: bulk``, ``list``, ``junk`` or
                          ``auto_reply``
``list``                  ``List-Id``, ``List-Unsubscribe`` or other List-*
``null-return-path``      ``Return-Path: <>``
``noreply``               a noreply/no-reply/donotreply sender
``own``                   our own address or domain, or our Message-ID
``bounce``                a bounce subject ("Undeliverable", ...)
``out-of-office``         an out-of-office subject ("Automatic reply", ...)
========================  ==================================================

Subjects come last because a human may quote one ("Re: Automatic reply").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from email.message import EmailMessage, Message

from mailflow.mail.body import content_type
from mailflow.mail.charset import header_text, header_texts
from mailflow.mail.envelope import AutoVerdict

_DAEMONS = frozenset({"mailer-daemon", "postmaster"})
_BULK_PRECEDENCE = frozenset({"bulk", "list", "junk", "auto_reply"})
_NOREPLY = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:[-_.+].*)?$")
_BOUNCE_SUBJECT = re.compile(
    r"^(?:undeliverable|undelivered mail|delivery status notification"
    r"|mail delivery (?:failed|failure|subsystem)|returned mail|failure notice"
    r"|退信|系统退信|投递失败)",
    re.IGNORECASE,
)
_OUT_OF_OFFICE_SUBJECT = re.compile(
    r"^(?:out of (?:the )?office|automatic reply|auto[- ]?reply|autoreply|auto-response"
    r"|自动回复|自動回覆)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Facts:
    msg: EmailMessage
    sender: str
    own_addresses: frozenset[str]
    own_domain: str | None


def detect_automatic(
    msg: EmailMessage,
    *,
    sender: str,
    own_addresses: Sequence[str] = (),
    own_domain: str | None = None,
) -> AutoVerdict:
    """Say whether ``msg`` was sent by a machine (or by us), and by which rule."""
    facts = _Facts(
        msg=msg,
        sender=sender.lower(),
        own_addresses=frozenset(a.lower() for a in own_addresses),
        own_domain=own_domain.lower() if own_domain else None,
    )
    for reason, rule in _RULES:
        if rule(facts):
            return AutoVerdict(auto_reply=True, reason=reason)
    return AutoVerdict(auto_reply=False)


def _header(msg: EmailMessage, name: str) -> str:
    return header_text(msg, name).strip()


def _own_parts(msg: Message) -> Iterator[Message]:
    """The parts of ``msg`` itself, not of messages attached to it."""
    yield msg
    if content_type(msg).startswith("multipart/") and msg.is_multipart():
        for part in msg.get_payload():
            if isinstance(part, Message):
                yield from _own_parts(part)


def _is_report(facts: _Facts) -> bool:
    # A customer who forwards a bounce to us wrote a human message: only a
    # report in the message's own structure counts.
    types = {content_type(part) for part in _own_parts(facts.msg)}
    return bool(types & {"multipart/report", "message/delivery-status"})


def _is_daemon(facts: _Facts) -> bool:
    return facts.sender.partition("@")[0] in _DAEMONS


def _auto_submitted(facts: _Facts) -> bool:
    value = re.split(r"[;(\s]", _header(facts.msg, "Auto-Submitted").lower(), maxsplit=1)[0]
    return value not in ("", "no")


def _autoreply_header(facts: _Facts) -> bool:
    return any(_header(facts.msg, name) for name in ("X-Autoreply", "X-Autorespond"))


def _bulk_precedence(facts: _Facts) -> bool:
    return _header(facts.msg, "Precedence").lower() in _BULK_PRECEDENCE


def _list_headers(facts: _Facts) -> bool:
    return any(name.lower().startswith("list-") for name in facts.msg)


def _null_return_path(facts: _Facts) -> bool:
    return any(v.replace(" ", "") == "<>" for v in header_texts(facts.msg, "Return-Path"))


def is_noreply(address: str) -> bool:
    """Whether ``address`` says no one reads it ("no-reply-purchasing@…")."""
    return bool(_NOREPLY.match(address.partition("@")[0].lower()))


def _noreply(facts: _Facts) -> bool:
    return is_noreply(facts.sender)


def _own(facts: _Facts) -> bool:
    # Only the desk's own addresses count, not every colleague at our domain:
    # a sales rep forwarding a customer's order to the desk must be answered.
    if facts.sender and facts.sender in facts.own_addresses:
        return True
    return _own_message_id(facts)


def _in_domain(address: str, domain: str | None) -> bool:
    host = address.rpartition("@")[2].lower()
    return bool(domain) and "@" in address and (host == domain or host.endswith(f".{domain}"))


def _own_message_id(facts: _Facts) -> bool:
    # Mailflow's Message-IDs start with the order token (see drafts.new_message_id).
    message_id = _header(facts.msg, "Message-ID").strip("<> ")
    return message_id.upper().startswith("ORD-") and _in_domain(message_id, facts.own_domain)


def _subject(facts: _Facts) -> str:
    return _header(facts.msg, "Subject")


def _bounce_subject(facts: _Facts) -> bool:
    return bool(_BOUNCE_SUBJECT.match(_subject(facts)))


def _out_of_office_subject(facts: _Facts) -> bool:
    return bool(_OUT_OF_OFFICE_SUBJECT.match(_subject(facts)))


_RULES: tuple[tuple[str, Callable[[_Facts], bool]], ...] = (
    ("bounce", _is_report),
    ("bounce", _is_daemon),
    ("auto-submitted", _auto_submitted),
    ("autoreply-header", _autoreply_header),
    ("precedence", _bulk_precedence),
    ("list", _list_headers),
    ("null-return-path", _null_return_path),
    ("noreply", _noreply),
    ("own", _own),
    ("bounce", _bounce_subject),
    ("out-of-office", _out_of_office_subject),
)
