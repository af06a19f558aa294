"""What the customer wants, from what they newly wrote: cue phrases from
``nlp/assets/intent_cues.jsonl`` weighed, then a few ordered decisions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailflow.extract.lexicon import Lexicon
from mailflow.extract.segments import unwrapped
from mailflow.extract.types import Intent

DECISIVE = 2.0


@dataclass(frozen=True)
class IntentSignals:
    """Facts about the e-mail that the cue phrases alone cannot see."""

    subject: str
    new_text: str
    auto_reply: bool
    is_reply: bool
    has_lines: bool
    quotes_quotation: bool
    bulk: bool = False  # flagged as machine mail only by list or bulk-precedence headers
    names_an_order: bool = False  # a PO or order reference is written (subject or body)
    system_sender: bool = False  # flagged as machine mail only by a no-reply sender
    lines_before_edit: bool = False  # order lines written before the first edit cue


@dataclass(frozen=True)
class IntentResult:
    intent: Intent
    confidence: float
    scores: dict[str, float]
    accounts: bool = False  # "other" because it is mail for the accounts team


def cue_scores(text: str, lex: Lexicon, *, only: str | None = None) -> dict[str, float]:
    """Summed weights of the cue phrases found, per intent (or for ``only`` one)."""
    scores: dict[str, float] = {}
    # "… and add\n6 of the tape measures": a cue may run over a wrapped line.
    text = unwrapped(text, lex)
    for cue in lex.intent_cues:
        if only is not None and cue.intent != only:
            continue
        hits = len(cue.pattern.findall(text))
        if hits:
            scores[cue.intent] = scores.get(cue.intent, 0.0) + cue.weight * hits
    return scores


def is_reply_subject(subject: str, lex: Lexicon) -> bool:
    return lex.reply_pattern("reply_prefix").match(subject) is not None


def _reply_intent(scores: dict[str, float], signals: IntentSignals) -> tuple[Intent, float] | None:
    order = scores.get("order", 0.0) if signals.quotes_quotation else 0.0
    ranked = [
        (scores.get("cancel", 0.0), 4, Intent.CANCEL),
        (scores.get("change", 0.0), 3, Intent.CHANGE),
        (scores.get("confirm", 0.0), 2, Intent.CONFIRM),
        (order, 1, Intent.ORDER),
    ]
    best = max(ranked)
    if best[0] < DECISIVE:
        return None
    if best[2] == Intent.CONFIRM and scores.get("change", 0.0) >= DECISIVE:
        # "All fine apart from the stretch wrap - can we take that down to 36
        # rolls?": accepting the rest while editing one line changes the order.
        best = (scores["change"], 3, Intent.CHANGE)
    # Accepting our quotation ("yes, go ahead"), even with edits ("line 3 - 40
    # rather than 60"), places the order it quoted: there is no order to change yet.
    accepts = best[2] in {Intent.CONFIRM, Intent.CHANGE} and signals.quotes_quotation
    intent = Intent.ORDER if accepts else best[2]
    return intent, min(0.6 + best[0] / 10, 0.95)


def classify(
    signals: IntentSignals, lex: Lexicon, *, scores: dict[str, float] | None = None
) -> IntentResult:
    """The intent of an e-mail, with a confidence and the cue scores behind it;
    ``scores`` are the new text's cue scores when the pipeline has them already."""
    scores = cue_scores(signals.new_text, lex) if scores is None else dict(scores)
    # The subject is read for auto-reply cues alone ("Automatic reply: …").
    subject_scores = cue_scores(signals.subject, lex, only="auto_reply")
    auto_cue = max(scores.get("auto_reply", 0.0), subject_scores.get("auto_reply", 0.0))
    # A newsletter carries list headers but is no reply to anything: it is "other".
    if signals.bulk and auto_cue < DECISIVE:
        return IntentResult(Intent.OTHER, 0.8, scores)
    # A purchasing system's PO from "no-reply-purchasing@" is an order: a
    # no-reply sender alone does not make mail with order lines an auto-reply.
    system_order = signals.system_sender and signals.has_lines
    if (signals.auto_reply and not system_order) or subject_scores.get(
        "auto_reply", 0.0
    ) >= DECISIVE:
        return IntentResult(Intent.AUTO_REPLY, 0.95, scores)
    if scores.get("auto_reply", 0.0) >= DECISIVE and not signals.has_lines:
        return IntentResult(Intent.AUTO_REPLY, 0.8, scores)
    not_order, cancel = scores.get("not_order", 0.0), scores.get("cancel", 0.0)
    # "这单全部取消，先不要发货了": holding delivery back is part of cancelling.
    if not_order >= DECISIVE and not (signals.is_reply and cancel > not_order):
        return IntentResult(Intent.QUESTION, 0.85, scores)
    if _accounts_mail(scores, signals):
        return IntentResult(Intent.OTHER, 0.75, scores, accounts=True)
    decided = _reply_intent(scores, signals) if signals.is_reply else _fresh_intent(scores, signals)
    if decided:
        return IntentResult(decided[0], decided[1], scores)
    return IntentResult(*_fallback(scores, signals), scores)


def _accounts_mail(scores: dict[str, float], signals: IntentSignals) -> bool:
    """An invoice dispute or a new invoice address: for the accounts team, not an
    order, though it may quote the amounts invoiced ("It charges 30 boxes of
    gloves, but only 25 were delivered"). Mail with order lines needs twice the
    weight: "please send the invoice to accounts@" may close a real order."""
    account = scores.get("account", 0.0)
    if account < DECISIVE or account <= scores.get("order", 0.0):
        return False
    if signals.is_reply and scores.get("confirm", 0.0) >= DECISIVE:
        return False
    return not signals.has_lines or account >= 2 * DECISIVE


def _fresh_intent(scores: dict[str, float], signals: IntentSignals) -> tuple[Intent, float] | None:
    """A new thread that cancels or changes an order placed before ("Please change
    the hard hats on PO 4471 to 30"), rather than ordering."""
    if scores.get("cancel", 0.0) >= DECISIVE and not signals.has_lines:
        return Intent.CANCEL, 0.8
    # Without a reply, only an e-mail naming an earlier order can change it;
    # "please add 10 vests to the order" in a new order is still an order.
    change, order = scores.get("change", 0.0), scores.get("order", 0.0)
    # "Please send us …; sorry, scratch the washers": an order that corrects
    # itself is still an order.
    ordering = signals.has_lines and (order >= DECISIVE or signals.lines_before_edit)
    if signals.names_an_order and change >= DECISIVE and change > order and not ordering:
        return Intent.CHANGE, 0.7
    return None


def _fallback(scores: dict[str, float], signals: IntentSignals) -> tuple[Intent, float]:
    if signals.has_lines:
        return Intent.ORDER, 0.9 if scores.get("order") else 0.75
    if scores.get("question", 0.0) >= 0.5 or re.search(r"[?？]", signals.new_text):
        return Intent.QUESTION, 0.6
    if scores.get("order", 0.0) >= DECISIVE:
        return Intent.ORDER, 0.6
    return Intent.OTHER, 0.5
