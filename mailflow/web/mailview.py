"""The customer's e-mail as the review page shows it: the new text cut into
segments that know which extracted fields they are evidence for, and the HTML
part sanitised so that it is inert markup (no scripts, no handlers, no
``javascript:`` links, no remote images)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

import nh3

from mailflow.config import DeskSettings
from mailflow.mail.envelope import Envelope
from mailflow.mail.parse import parse_envelope

# Markup that carries a message's layout and nothing that acts on its own.
_TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "div", "dl",
    "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol",
    "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    "*": {"align", "title", "dir", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "table": {"border", "cellpadding", "cellspacing", "width"},
    "tr": {"bgcolor", "valign"},
    "td": {"colspan", "rowspan", "valign", "width", "bgcolor"},
    "th": {"colspan", "rowspan", "valign", "width", "bgcolor"},
    "font": {"color"},
}


@dataclass(frozen=True)
class Span:
    """One stretch of the e-mail text and the fields it is evidence for."""

    text: str
    fields: tuple[str, ...] = ()


def envelope_of(raw: bytes, desk: DeskSettings) -> Envelope:
    own = [desk.address, *desk.own_addresses]
    return parse_envelope(raw, own_addresses=own, own_domain=desk.message_id_domain)


def _no_remote_images(element: str, attribute: str, value: str) -> str | None:
    # Only images carried inside the message itself may show: a remote image
    # would tell its sender when, where and that the mail was read.
    if element == "img" and attribute == "src" and not value.startswith("data:image/"):
        return None
    # A data: URI is fine as an inline image, not as a link to follow.
    if element == "a" and attribute == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


def sanitise_html(html: str, *, keep_styles: bool = False) -> str:
    """The e-mail's HTML with everything active removed. ``keep_styles`` keeps
    inline style attributes (for our own replies, so they look as sent)."""
    attributes = _ATTRIBUTES
    if keep_styles:
        attributes = {**_ATTRIBUTES, "*": _ATTRIBUTES["*"] | {"style"}}
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=attributes,
        url_schemes={"http", "https", "mailto", "data"},
        attribute_filter=_no_remote_images,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _boundaries(text: str, marks: Iterable[tuple[int, int, str]]) -> list[int]:
    cuts = {0, len(text)}
    for start, end, _ in marks:
        cuts.update((start, end))
    return sorted(cuts)


def evidence_spans(text: str, marks: list[tuple[int, int, str]]) -> list[Span]:
    """``text`` cut at every evidence boundary; ``marks`` are (start, end, field)
    with offsets into ``text`` (spans outside it are ignored)."""
    valid = [(s, e, f) for s, e, f in marks if 0 <= s < e <= len(text)]
    cuts = _boundaries(text, valid)
    spans = []
    for start, end in itertools.pairwise(cuts):
        fields = tuple(f for s, e, f in valid if s <= start and end <= e)
        spans.append(Span(text[start:end], fields))
    return spans
