"""``extract_order``: one Envelope in, one ExtractedOrder out.

The spaCy pipeline reads the customer's new text; tables, attachments, the
quoted confirmation (for changes) and the subject are read around it here.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailflow.extract.addresses import delivery_address
from mailflow.extract.attachments import attachment_tables, attachment_texts
from mailflow.extract.changes import apply_changes, base_lines
from mailflow.extract.dates import DateContext, DateMention, day_first_for, find_dates, is_asap
from mailflow.extract.intent import IntentSignals, classify, is_reply_subject
from mailflow.extract.lexicon import Lexicon
from mailflow.extract.lines import (
    LineContext,
    mask_spans,
    numbered_row_edits,
    read_lines,
    without_references,
)
from mailflow.extract.numbers import parse_number
from mailflow.extract.pipeline import build_pipeline, catalog_for, pipeline_lexicon
from mailflow.extract.products import ProductIndex, catalog_index
from mailflow.extract.references import Reference, find_reference, labelled_reference
from mailflow.extract.segments import mask_header_blocks
from mailflow.extract.tables import (
    html_tables,
    rendered_rows,
    table_lines,
    text_tables,
)
from mailflow.extract.types import Address, Evidence, ExtractedLine, ExtractedOrder, Intent
from mailflow.mail.envelope import Envelope
from mailflow.mail.language import detect_language, to_simplified
from mailflow.mail.quotes import forward_start, forwarded_sender
from mailflow.refdata import Product, ReferenceData

ORDER_INTENTS = {Intent.ORDER, Intent.CHANGE}
NOT_ABOUT_ORDERS = {Intent.OTHER, Intent.AUTO_REPLY}
# Below this, a PO read from the new text yields to one our quoted text labels.
WEAK_REFERENCE = 0.7
# An order on our quotation that writes this many of its lines restates it.
RESTATED_LINES = 2
# An order's only date ahead, with no delivery word near it, is less certain.
UNCUED_DATE = 0.6
# How far back a date in our quoted confirmation may lie when the customer keeps it.
QUOTED_DATE_DAYS = 180
# A date read from an attached PO form, not from what the customer wrote.
ATTACHED_FIELD = 0.9
# Machine-mail verdicts that come from mailing-list headers alone (newsletters).
BULK_REASONS = {"precedence", "list"}


def _zone(country: str | None, region: str | None, lexicon: Lexicon) -> str | None:
    """The customer's time zone: by region where the country has several (a US
    state), else the country's."""
    by_region: dict[str, list[str]] = lexicon.dates.get("region_zones", {}).get(country or "", {})
    found = next((zone for zone, regions in by_region.items() if region in regions), None)
    return found or lexicon.dates.get("country_zones", {}).get(country or "")


def _today(
    envelope: Envelope, country: str | None, lexicon: Lexicon, region: str | None = None
) -> date:
    """The sender's date when they wrote: a header in UTC (webmail, gateways)
    says nothing of their day, so it is read in their zone."""
    sent = envelope.date or datetime.now(UTC)
    zone = _zone(country, region, lexicon)
    if zone and sent.utcoffset() == timedelta(0):
        try:
            return sent.astimezone(ZoneInfo(zone)).date()
        except ZoneInfoNotFoundError:
            return sent.date()
    return sent.date()


_AliasKey = tuple[int, frozenset[tuple[str, str]]]
_ALIAS_INDEXES: OrderedDict[_AliasKey, tuple[Mapping[str, Product], ProductIndex]] = OrderedDict()
ALIAS_CACHE_SIZE = 64


def _index(
    language: str, refdata: ReferenceData, lexicon: Lexicon, aliases: Mapping[str, str] | None
) -> ProductIndex:
    """The catalog index, with the customer's aliases when there are any. Alias
    indexes are cached (per catalog and alias table) because building one
    costs more than reading an e-mail."""
    if not aliases:
        return catalog_for(language, refdata)
    key = (id(refdata.products), frozenset(aliases.items()))
    cached = _ALIAS_INDEXES.get(key)
    if cached is None or cached[0] is not refdata.products:
        cached = (refdata.products, catalog_index(refdata.products, lexicon, aliases=aliases))
        _ALIAS_INDEXES[key] = cached
        while len(_ALIAS_INDEXES) > ALIAS_CACHE_SIZE:
            _ALIAS_INDEXES.popitem(last=False)
    _ALIAS_INDEXES.move_to_end(key)
    return cached[1]


def _simplified(envelope: Envelope) -> Envelope:
    """The e-mail with traditional Chinese read as simplified (big5 mail from
    Taiwan or Hong Kong: "銅芯電纜", "採購單號")."""
    return replace(
        envelope,
        subject=to_simplified(envelope.subject),
        new_text=to_simplified(envelope.new_text),
        quoted_text=to_simplified(envelope.quoted_text),
        signature=to_simplified(envelope.signature),
    )


def _lines_before_edit(text: str, written: list[ExtractedLine], lexicon: Lexicon) -> bool:
    """Whether two or more lines are written before the first edit cue: "hard hats
    x 10, goggles x 12, … oh and also add half a dozen tape measures" orders,
    and its "add" adds to this order, not to one placed before."""
    cues = (cue.pattern.search(text) for cue in lexicon.intent_cues if cue.intent == "change")
    first = min((found.start() for found in cues if found), default=None)
    if first is None:
        return False
    starts = [
        line.evidence.start for line in written if line.evidence and line.evidence.source == "body"
    ]
    return sum(1 for start in starts if start is not None and start < first) >= 2


def _forwarded(envelope: Envelope, lexicon: Lexicon) -> bool:
    return bool(
        lexicon.reply_pattern("forward_prefix").match(envelope.subject)
        or lexicon.reply_pattern("refers_below").search(envelope.new_text)
    )


def _written_lines(
    envelope: Envelope, ctx: LineContext, body_lines: list[ExtractedLine]
) -> list[ExtractedLine]:
    body_tables = text_tables(envelope.new_text, ctx)
    html = html_tables(envelope.html, ctx) if envelope.html else []
    tabled = [line for t in (html or body_tables) for line in table_lines(t, ctx)]
    attached = [
        line for t in attachment_tables(envelope.attachments, ctx) for line in table_lines(t, ctx)
    ]
    if html and tabled:
        # The text alternative renders the same table: its rows are read once.
        spans = rendered_rows(envelope.new_text, html)
        if spans:
            body_lines = read_lines(mask_spans(envelope.new_text, spans), ctx)
    elif body_tables:
        spans = [span for table in body_tables for span in table.spans]
        outside = mask_spans(envelope.new_text, spans)
        body_lines = read_lines(outside, ctx)
        # "更正：第2项…应为8卷" under the table edits its row 2.
        tabled = numbered_row_edits(tabled, outside, ctx)
    return [*tabled, *without_references(body_lines, ctx.lexicon, earlier=tabled), *attached]


def _order_lines(
    envelope: Envelope,
    ctx: LineContext,
    written: list[ExtractedLine],
    base: list[ExtractedLine],
    *,
    change: bool = False,
    forward_at: int | None = None,
) -> list[ExtractedLine]:
    if base and not change and _restates(written, base):
        # "Go with this but scratch the washers. So it's: <list>": an order on our
        # quotation that writes its lines out is those lines.
        return written
    if base:
        return apply_changes(envelope.new_text, base, ctx)
    if change:
        # Read alone, a change without our quoted order gives the lines it names.
        return apply_changes(envelope.new_text, [], ctx) or written
    edited = _forward_edited(envelope.new_text, forward_at, written, ctx)
    if edited is not None:
        return edited
    if not written and envelope.quoted_text and _forwarded(envelope, ctx.lexicon):
        quoted_ctx = LineContext(ctx.index, ctx.products, ctx.lexicon, source="quoted")
        forwarded = read_lines(envelope.quoted_text, quoted_ctx)
        # "The same as our order below, only the gloves double": edits apply.
        return apply_changes(envelope.new_text, forwarded, ctx) if forwarded else forwarded
    return written


def _forward_edited(
    text: str, start: int | None, written: list[ExtractedLine], ctx: LineContext
) -> list[ExtractedLine] | None:
    """ "Please supply the below; I've cut the gloves down to 24 pairs": the
    forwarded request's lines (from ``start`` on), with the forwarder's edits
    applied and the products the forwarder adds. None when there is no
    forward with lines."""
    if not start:
        return None

    def in_forward(line: ExtractedLine) -> bool:
        evidence = line.evidence
        return evidence is not None and evidence.source == "body" and (evidence.start or 0) >= start

    forwarded = [line for line in written if in_forward(line)]
    own = [line for line in written if not in_forward(line)]
    if not forwarded:
        return None
    edited = apply_changes(text[:start], forwarded, ctx)
    named = {line.sku for line in [*forwarded, *edited]}
    # "安全帽车间报的是20顶，经理批了30顶": amounts an edit read are no lines of their own.
    spans = [
        (line.evidence.start or 0, line.evidence.end or 0)
        for line in edited
        if line.evidence is not None and line.evidence.source == "body" and line not in forwarded
    ]

    def edit_read(line: ExtractedLine) -> bool:
        at = line.evidence.start if line.evidence is not None else None
        return at is not None and any(s <= at < e for s, e in spans)

    kept = (
        line for line in own if line.sku not in named and not (line.sku is None and edit_read(line))
    )
    return [*edited, *kept]


def _restates(written: list[ExtractedLine], base: list[ExtractedLine]) -> bool:
    """Whether the lines written restate the quoted order (most are its products),
    rather than add to it ("go ahead, and add 5 boxes of nuts and 3 of tape")."""
    quoted = {line.sku for line in base if line.sku}
    again = sum(1 for line in written if line.sku in quoted)
    return len(written) >= RESTATED_LINES and 2 * again >= len(written)


def _first_cued(mentions: list[DateMention], today: date) -> DateMention | None:
    """The first delivery date ahead; but "Before Thanksgiving would be great,
    but Monday 11/30 at the latest" asks for the deadline, not the wish."""
    cued = [m for m in mentions if m.cued and m.value >= today]
    # A form's delivery field ("交货：6月3日前") outranks dates in the prose around it,
    # and a date in the clause that asks for delivery one its sentence only shares
    # ("麻烦今天备货，明天一定要送到").
    cued = [m for m in cued if m.labelled] or [m for m in cued if m.near] or cued
    if cued and cued[0].wish:
        return next((m for m in cued if m.firm), cued[0])
    # "before Thanksgiving: latest delivery Tuesday 11/23": a deadline written out in
    # figures, earlier than a first date named in words, is the one to meet.
    firm = next((m for m in cued if m.firm and re.search(r"\d", m.text)), None)
    vague = bool(cued) and re.search(r"\d", cued[0].text) is None
    if firm is not None and vague and firm.value < cued[0].value:
        return firm
    return cued[0] if cued else None


def _quoted_date(envelope: Envelope, date_ctx: DateContext, lexicon: Lexicon) -> DateMention | None:
    """The delivery date of our quoted order. It may have passed: a day without a
    year is still this season's."""
    since = date_ctx.today - timedelta(days=QUOTED_DATE_DAYS)
    quoted_ctx = DateContext(since, date_ctx.day_first)
    return _first_cued(find_dates(envelope.quoted_text, quoted_ctx, lexicon), since)


def _shifted(envelope: Envelope, date_ctx: DateContext, lexicon: Lexicon) -> DateMention | None:
    """ "Can we push this one back a week?": the quoted delivery date, moved. Its
    evidence is the customer's sentence that moves it, in the new text."""
    found = re.search(lexicon.dates["shift"], envelope.new_text, re.I)
    quoted = _quoted_date(envelope, date_ctx, lexicon) if found and envelope.quoted_text else None
    if found is None or quoted is None:
        return None
    count = parse_number(found.group("n") or found.group("zn") or "", lexicon)
    count = count or (1 if (found.group("n") or "").lower() in {"a", "an"} else 0)
    unit = (found.group("unit") or found.group("zunit") or "").lower()
    days = int(count) * (1 if unit.startswith(("day", "天")) else 7)
    backwards = (found.group("dir") or "").lower() == "forward"
    return replace(
        quoted,
        value=quoted.value + timedelta(days=-days if backwards else days),
        start=found.start(),
        end=found.end(),
        text=found.group(),
        confidence=quoted.confidence * 0.9,
    )


def _requested(
    envelope: Envelope,
    doc_dates: list[DateMention],
    date_ctx: DateContext,
    lexicon: Lexicon,
    *,
    change: bool,
    order: bool = False,
) -> tuple[DateMention | None, str]:
    # Our quoted date counts only when the customer says it stays ("same
    # delivery date", "Friday is still good"); "everything else as is" does not
    # restate a date.
    # "same delivery\ndate": the text with its line breaks as spaces (offsets kept).
    kept = re.search(lexicon.dates["keep_date"], envelope.new_text.replace("\n", " "), re.I)
    found = _first_cued(doc_dates, date_ctx.today)
    if found and not (change and kept and kept.start() <= found.start < kept.end()):
        return found, "body"
    found = _first_cued(find_dates(envelope.subject, date_ctx, lexicon), date_ctx.today)
    if found:
        return found, "subject"
    shifted = _shifted(envelope, date_ctx, lexicon) if change else None
    if shifted is not None:
        return shifted, "body"
    if change and kept and envelope.quoted_text:
        return _quoted_date(envelope, date_ctx, lexicon), "quoted"
    if order or change:
        # "Thursday 3rd December to Plant 2 please", "still for the 16th": in a
        # new order or a change, the one date ahead that is about nothing else
        # is when the goods are wanted.
        ahead = [m for m in doc_dates if m.value > date_ctx.today and not m.other_use]
        if len({m.value for m in ahead}) == 1:
            return replace(ahead[0], confidence=ahead[0].confidence * UNCUED_DATE), "body"
    return None, ""


def extract_order(
    envelope: Envelope,
    refdata: ReferenceData,
    *,
    customer_aliases: Mapping[str, str] | None = None,
    read_all: bool = False,
) -> ExtractedOrder:
    """Read intent, customer, PO, requested date, ship-to and lines from one e-mail.
    Lines, date and ship-to are read for orders and changes only (the corpus
    schema), or for any intent with ``read_all`` (a reply in a live thread:
    "cancel the nuts", "yes, and make it 5 boxes")."""
    # "mixed" e-mails are read with the Chinese pipeline: jieba keeps the English
    # words whole, the blank English tokenizer would not split the Chinese.
    language = detect_language(envelope.new_text or envelope.text)
    if language != "en":
        envelope = _simplified(envelope)
    pipeline_language = "en" if language == "en" else "zh"
    nlp = build_pipeline(pipeline_language, refdata)
    lexicon = pipeline_lexicon(nlp)
    # Found before the forward's header block is blanked (blanking keeps offsets).
    forward_at = forward_start(envelope.new_text)
    # A forward of our own message (the confirmation we sent): its date and
    # delivery address are ours, not what the customer newly writes.
    forwarded_from = (
        forwarded_sender(envelope.new_text, forward_at) if forward_at is not None else ""
    )
    ours = any(a and a in forwarded_from for a in envelope.recipients)
    ours_from = forward_at if ours else None
    envelope = replace(envelope, new_text=mask_header_blocks(envelope.new_text, lexicon))
    customer = refdata.customer_for_address(envelope.sender)
    country = customer.ship_to.country if customer else None
    region = customer.ship_to.region if customer else None
    today = _today(envelope, country, lexicon, region)
    date_ctx = DateContext(today, day_first_for(country, lexicon))
    index = _index(pipeline_language, refdata, lexicon, customer_aliases)
    doc = nlp.make_doc(envelope.new_text)
    doc._.mf_context = {
        "dates": date_ctx,
        "signature": envelope.signature,
        "index": index,
        "text": doc.text,
    }
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    if country is None and doc._.mf_ship_to is not None:
        # An unknown sender who ships to a US address writes "1/11" month first.
        shipping = doc._.mf_ship_to.country or None
        day_first = day_first_for(shipping, lexicon)
        if day_first is not None:
            today = _today(envelope, shipping, lexicon, doc._.mf_ship_to.region or None)
            date_ctx = DateContext(today, day_first)
            doc._.mf_dates = find_dates(doc.text, date_ctx, lexicon)
    ctx = LineContext(index, refdata.products, lexicon)
    written = _written_lines(envelope, ctx, doc._.mf_lines or [])
    base = base_lines(envelope.quoted_text, ctx) if envelope.quoted_text else []
    is_reply = bool(envelope.in_reply_to or is_reply_subject(envelope.subject, lexicon))
    quotes_quotation = bool(base) and bool(
        lexicon.reply_pattern("quote_is_quotation").search(
            envelope.subject + "\n" + envelope.quoted_text[:400]
        )
    )
    forwarded_lines = (
        not written and envelope.quoted_text and _forwarded(envelope, lexicon) and not base
    )
    unquoted_ref = _unquoted_reference(envelope, refdata, lexicon)
    # The pipeline's intent component has scored the new text's cues already.
    cues = dict(doc.cats) if "mailflow_intent_cues" in nlp.pipe_names else None
    signals = IntentSignals(
        envelope.subject,
        envelope.new_text,
        envelope.auto.auto_reply,
        is_reply and not forwarded_lines,
        bool(written) or bool(forwarded_lines),
        quotes_quotation,
        bulk=envelope.auto.reason in BULK_REASONS,
        names_an_order=unquoted_ref is not None,
        system_sender=envelope.auto.reason == "noreply",
        # Only an e-mail with edit cues needs to know where its first one is.
        lines_before_edit=(cues is None or cues.get("change", 0.0) > 0)
        and _lines_before_edit(envelope.new_text, written, lexicon),
    )
    decided = classify(signals, lexicon, scores=cues)
    # "Same again on a new PO, but double the anchors": the quoted order, ordered anew.
    repeats = bool(envelope.quoted_text) and bool(
        re.search(lexicon.lines["repeat_order"], envelope.new_text, re.I)
        or (
            # "Same as this one from October, but …" orders anew only on a new
            # PO; on the same order it is a change of it.
            re.search(lexicon.lines["repeat_on_new_po"], envelope.new_text, re.I)
            and _new_po(envelope, unquoted_ref, refdata, lexicon)
        )
    )
    if repeats and not base:
        # The quoted order is the customer's own, written as they write orders.
        quoted_ctx = LineContext(ctx.index, ctx.products, ctx.lexicon, source="quoted")
        base = read_lines(envelope.quoted_text, quoted_ctx)
    repeats = repeats and bool(base)
    if repeats and decided.intent not in {Intent.CANCEL, Intent.QUESTION, Intent.AUTO_REPLY}:
        decided = replace(decided, intent=Intent.ORDER)
    order = ExtractedOrder(
        intent=decided.intent,
        language=language,
        customer_id=customer.customer_id if customer else None,
    )
    order.confidence["intent"] = decided.confidence
    _fill_reference(
        order,
        envelope,
        refdata,
        lexicon,
        unquoted=unquoted_ref,
        use_quoted=is_reply and decided.intent != Intent.AUTO_REPLY and not repeats,
        accounts=decided.accounts,
    )
    if decided.intent in ORDER_INTENTS or read_all:
        use_base = base if decided.intent == Intent.CHANGE or quotes_quotation or repeats else []
        order.lines = _order_lines(
            envelope,
            ctx,
            written,
            use_base,
            change=decided.intent == Intent.CHANGE,
            forward_at=forward_at,
        )
        dates = [m for m in doc._.mf_dates or [] if ours_from is None or m.start < ours_from]
        _fill_date(order, envelope, dates, date_ctx, lexicon)
        _fill_ship_to(order, _customers_address(doc._.mf_ship_to, ours_from))
        if envelope.attachments:
            _fill_from_attachments(order, envelope, date_ctx, ctx, refdata)
    return order


def _fill_from_attachments(
    order: ExtractedOrder,
    envelope: Envelope,
    date_ctx: DateContext,
    ctx: LineContext,
    refdata: ReferenceData,
) -> None:
    """A PO form attached as a PDF or sheet ("see attached PO") carries the
    date, the delivery address and the PO number the body leaves out."""
    lexicon = ctx.lexicon
    for source, text in attachment_texts(envelope.attachments, ctx):
        if order.requested_date is None:
            found = _first_cued(find_dates(text, date_ctx, lexicon), date_ctx.today)
            if found is not None:
                _set_date(order, found, Evidence(source, text=found.text), ATTACHED_FIELD)
        if order.ship_to is None:
            _fill_ship_to(order, delivery_address(text, lexicon, source=source))
        if order.po_number is None:
            ref = labelled_reference(text, lexicon, source=source, skus=refdata.products)
            if ref is not None:
                _set_reference(order, ref, Evidence(source, text=ref.value))


def _unquoted_reference(
    envelope: Envelope, refdata: ReferenceData, lexicon: Lexicon
) -> Reference | None:
    """The PO in the new text or the subject; an e-mail that has one names an order."""
    return find_reference(
        new_text=envelope.new_text,
        subject=envelope.subject,
        quoted="",
        lex=lexicon,
        skus=refdata.products,
        use_quoted=False,
    )


def _new_po(
    envelope: Envelope, unquoted: Reference | None, refdata: ReferenceData, lexicon: Lexicon
) -> bool:
    """Whether the new text (not the subject) gives a PO other than the quoted order's."""
    if unquoted is None or unquoted.source != "body":
        return False
    skus = list(refdata.products)
    quoted = labelled_reference(envelope.quoted_text, lexicon, source="quoted", skus=skus)
    return quoted is None or unquoted.value != quoted.value


def _fill_reference(
    order: ExtractedOrder,
    envelope: Envelope,
    refdata: ReferenceData,
    lexicon: Lexicon,
    *,
    unquoted: Reference | None,
    use_quoted: bool,
    accounts: bool = False,
) -> None:
    # As ``find_reference`` ranks them: the new text and subject first (read
    # once already), then for replies our quoted confirmation.
    if order.intent in NOT_ABOUT_ORDERS and not accounts:
        # A newsletter's "quote reference SC-88120" is nobody's PO; an invoice
        # query's "for our PO PV-8790" names the order it is about.
        return
    ref = unquoted
    if (ref is None or ref.confidence < WEAK_REFERENCE) and use_quoted:
        skus = list(refdata.products)
        quoted = labelled_reference(envelope.quoted_text, lexicon, source="quoted", skus=skus)
        ref = quoted or ref
    if ref is not None:
        start, end = (ref.start, ref.end) if ref.source == "body" else (None, None)
        _set_reference(order, ref, Evidence(ref.source, start, end, ref.value))


def _set_reference(order: ExtractedOrder, ref: Reference, evidence: Evidence) -> None:
    order.po_number = ref.value
    order.confidence["po_number"] = ref.confidence
    order.evidence["po_number"] = evidence


def _fill_date(
    order: ExtractedOrder,
    envelope: Envelope,
    mentions: list[DateMention],
    date_ctx: DateContext,
    lexicon: Lexicon,
) -> None:
    found, source = _requested(
        envelope,
        mentions,
        date_ctx,
        lexicon,
        change=order.intent == Intent.CHANGE,
        order=order.intent == Intent.ORDER,
    )
    if found is not None:
        start, end = (found.start, found.end) if source == "body" else (None, None)
        _set_date(order, found, Evidence(source, start, end, found.text))
    order.asap = is_asap(envelope.new_text + "\n" + envelope.subject, lexicon)


def _set_date(
    order: ExtractedOrder, found: DateMention, evidence: Evidence, weight: float = 1.0
) -> None:
    order.requested_date = found.value
    order.confidence["requested_date"] = round(found.confidence * weight, 3)
    order.evidence["requested_date"] = evidence


def _customers_address(address: Address | None, ours_from: int | None) -> Address | None:
    """``address`` unless it was read in our own forwarded message."""
    if address is None or ours_from is None or address.evidence is None:
        return address
    start = address.evidence.start
    return None if start is not None and start >= ours_from else address


def _fill_ship_to(order: ExtractedOrder, address: Address | None) -> None:
    if address is not None:
        order.ship_to = address
        order.confidence["ship_to"] = 0.8
        if address.evidence:
            order.evidence["ship_to"] = address.evidence


def summary(order: ExtractedOrder) -> dict[str, Any]:
    """The corpus JSON of an order (a convenience for commands and tests)."""
    return order.to_corpus_json()
