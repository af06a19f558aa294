"""The customer's purchase-order reference: labelled in the body ("PO# 4471",
"Our ref: PUR-2026-118", "采购单号：CG20261108-07"), in the subject, or for
replies in our quoted confirmation. Our own document numbers never count."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from mailflow.extract.lexicon import Lexicon


@dataclass(frozen=True)
class Reference:
    value: str
    start: int
    end: int
    source: str
    confidence: float


def _own(value: str, lex: Lexicon) -> bool:
    prefixes: list[str] = lex.references["own_prefixes"]
    return value.upper().startswith(tuple(p.upper() for p in prefixes))


def _date_like(value: str) -> bool:
    return (
        re.fullmatch(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?", value)
        is not None
    )


@lru_cache(maxsize=16)
def _code_forms(skus: tuple[str, ...]) -> frozenset[str]:
    """The catalog's codes upper-cased, letters and digits only; cached per catalog."""
    return frozenset(re.sub(r"[^A-Z0-9]", "", s.upper()) for s in skus)


def acceptable(value: str, lex: Lexicon, *, skus: Iterable[str] = ()) -> bool:
    """Not ours, not a date, not a product code, long enough."""
    norm = re.sub(r"[^A-Z0-9]", "", value.upper())
    if len(value) < int(lex.references["min_value_length"]) and not value.isdigit():
        return False
    if len(value) < 2:  # "before I raise a PO:\n1. ..." is a list number
        return False
    if re.fullmatch(lex.references["reject_values"], value, re.I):
        return False
    return not (_own(value, lex) or _date_like(value) or norm in _code_forms(tuple(skus)))


def _preceded_by_own_label(text: str, start: int, lex: Lexicon) -> bool:
    """Our own document label ("Order confirmation") or another party's
    ("工单 #", "Ticket", "payment reference") right before a value: not the customer's PO."""
    window = text[max(0, start - 30) : start]
    labels = f"{lex.references['own_labels']}|{lex.references['not_po_labels']}"
    suffix = r"(?:\s*(?:ref(?:erence)?|id|code))?(?:\s*(?:no\.?|number|编号|号))?"
    return re.search(rf"(?:{labels}){suffix}\W*$", window, re.I) is not None


def _earlier_order(text: str, start: int, lex: Lexicon) -> bool:
    """ "the same as our order 26-0815 below", "上次的订单": a reference to an
    order placed before, not the PO of this one."""
    window = text[max(0, start - 40) : start]
    return re.search(lex.references["earlier_order"], window, re.I) is not None


@lru_cache(maxsize=256)
def _label_pattern(label: str, gap: str, value: str) -> re.Pattern[str]:
    return re.compile(f"(?:{label}){gap}{value}", re.I)


def _labelled(
    text: str, lex: Lexicon, labels: list[str], *, strong: bool
) -> Iterable[tuple[int, int, str]]:
    value = lex.references["value"]
    gap = lex.references["label_gap"]
    filled = re.compile(lex.references["filled_value"])
    for label in labels:
        for match in _label_pattern(label, gap, value).finditer(text):
            found = match.group("value")
            if not strong and not (re.search(r"[A-Za-z]", found) and re.search(r"\d", found)):
                continue
            # "Our order is 120 boxes": after "is" only a reference-shaped value counts.
            if match.group("filler") and not filled.fullmatch(found):
                continue
            yield match.start("value"), match.end("value"), found


def labelled_reference(
    text: str, lex: Lexicon, *, source: str, skus: Iterable[str] = ()
) -> Reference | None:
    """The first labelled PO reference in ``text``."""
    skus = list(skus)
    found = [
        (start, end, value, strong)
        for strong, labels in (
            (True, lex.references["labels"]),
            (False, lex.references["weak_labels"]),
        )
        for start, end, value in _labelled(text, lex, labels, strong=strong)
        if acceptable(value, lex, skus=skus)
        and not _preceded_by_own_label(text, start, lex)
        and not _earlier_order(text, start, lex)
    ]
    if not found:
        return None
    start, end, value, strong = min(found, key=lambda f: (not f[3], f[0]))
    return Reference(value, start, end, source, 0.95 if strong else 0.8)


def bare_reference(
    text: str, lex: Lexicon, *, source: str, skus: Iterable[str] = ()
) -> Reference | None:
    """An unlabelled reference-shaped token (for subjects): "PVC-PO-3381"."""
    skus = list(skus)
    min_digits = int(lex.references["bare_min_digits"])
    for match in re.finditer(lex.references["bare_value"], text):
        value = match.group("value")
        if (
            len(re.findall(r"\d", value)) >= min_digits
            and acceptable(value, lex, skus=skus)
            and not _preceded_by_own_label(text, match.start(), lex)
        ):
            return Reference(value, match.start(), match.end(), source, 0.7)
    return None


def named_order_reference(
    text: str, lex: Lexicon, *, source: str, skus: Iterable[str] = ()
) -> Reference | None:
    """A reference written bare in the body but named as an order by the words
    around it: "XH-WZ-2611-022这单先取消", "about order 4471-B/26"'s cousin
    "the KX-22-0917 order". Only multi-part codes count; a weak reading."""
    skus = list(skus)
    near = re.compile(lex.references["order_nouns"], re.I)
    for match in re.finditer(lex.references["bare_value"], text):
        value = match.group("value")
        window = (
            text[max(0, match.start() - 12) : match.start()]
            + " "
            + text[match.end() : match.end() + 12]
        )
        if (
            len(re.findall(r"[-/]", value)) >= 2
            and len(re.findall(r"\d", value)) >= int(lex.references["bare_min_digits"])
            and near.search(window)
            and acceptable(value, lex, skus=skus)
            and not _preceded_by_own_label(text, match.start(), lex)
        ):
            return Reference(value, match.start(), match.end(), source, 0.6)
    return None


def find_reference(
    *, new_text: str, subject: str, quoted: str, lex: Lexicon, skus: Iterable[str], use_quoted: bool
) -> Reference | None:
    """The PO by priority: labelled in the body, in the subject, bare in the
    subject, labelled in the quoted text (replies only), then bare in the body
    beside an order noun."""
    skus = list(skus)
    return (
        labelled_reference(new_text, lex, source="body", skus=skus)
        or labelled_reference(subject, lex, source="subject", skus=skus)
        or bare_reference(subject, lex, source="subject", skus=skus)
        or (labelled_reference(quoted, lex, source="quoted", skus=skus) if use_quoted else None)
        or named_order_reference(new_text, lex, source="body", skus=skus)
    )
