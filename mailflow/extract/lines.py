"""Order lines written in prose or lists: one clause, one product, one quantity."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from mailflow.extract.features import features
from mailflow.extract.lexicon import Lexicon
from mailflow.extract.numbers import ZH_NUMERAL, english_number_regex
from mailflow.extract.prices import price_spans, unit_price
from mailflow.extract.products import ProductIndex, ProductMatch, family, product_terms
from mailflow.extract.quantities import (
    LEADING,
    SITE_NUMBER,
    STRONG,
    TIMES_LENGTH,
    TRAILING,
    Quantity,
    edit_target,
    find_quantities,
    in_sales_units,
    stated_total,
)
from mailflow.extract.segments import Clause, clauses, without_sizes
from mailflow.extract.types import Evidence, ExtractedLine
from mailflow.refdata import Product

MIN_STRENGTH = 1.0
MERGE_MAX_WORDS = 4
SENTENCE_STOP = re.compile(r"[.!?。！？](?:\s|$)|\n\s*\n")
# "line 3", "第2项": a line of a numbered list named by its number.
LINE_REFERENCE = re.compile(
    r"\bline\s*(?:no\.?\s*)?(?P<n>\d{1,2})\b(?!\s*(?:and|&|,|to|-|–)\s*\d)"
    r"|第\s*(?P<zn>\d{1,2})\s*[项行条]",
    re.IGNORECASE,
)
ITEM_NUMBER = re.compile(r"\s*(\d{1,2})\s*(?:、|[.)．](?!\d)|\s)")
OF_PRONOUN = re.compile(r"\s+of\s+(?:them|that|those|these)\b", re.I)
# "4 of them": beside another amount, a count of what was named before
OF_THEM = re.compile(r"\s+of\s+(?:them|us|those)\b", re.I)
DIMENSION_X = re.compile(r"(?<=\d)\s*[xX×*]\s*(?=\d)")
# "2 x cable 100 m", "4 x gloves each": a trailing measure or "each" is no unit.
TRAILING_UNIT_EXCLUDED = {"each", "m", "kg"}
# A withdrawal names one of the lines read: enough of its name, clearly one.
WITHDRAW_COVERAGE, WITHDRAW_MARGIN = 0.2, 0.1
# At most this many words before a bare count at the end of a list line.
TERSE_LINE_WORDS = 6
# "10 hardhats, a cordless drill 18v + 2 bit sets": one item of an enumeration.
ARTICLE_ITEM = re.compile(r"(?:a|an|one)\s+(?=[A-Za-z])")
# "… in large and the same in medium": the amount before, another size.
SAME_IN = re.compile(
    r"(?:and\s+)?(?P<same>(?:the\s+)?same)\s+(?:again\s+)?(?:in|for)\s+(?P<rest>.+)", re.I
)


@dataclass(frozen=True)
class LineContext:
    """What reading lines needs besides the text."""

    index: ProductIndex
    products: Mapping[str, Product]
    lexicon: Lexicon
    source: str = "body"


def mask_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span blanked; every other offset stays where it was."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _quantity(text: str, lexicon: Lexicon) -> Quantity | None:
    found = [q for q in find_quantities(text, lexicon) if q.strength >= MIN_STRENGTH]
    return found[0] if found else None


def _merge_tails(items: list[Clause], lexicon: Lexicon, index: ProductIndex) -> list[Clause]:
    """Attach a short quantity-less clause ("size M", "zinc plated") to the clause
    before it; not one the catalog knows nothing of ("PO to follow", "Ta Tom").
    A clause that says which one by "ones" ("the 12mm ones we normally get")
    belongs to the line before it whatever its length."""
    merged: list[Clause] = []
    for clause in items:
        prev = merged[-1] if merged else None
        elaborates = re.match(lexicon.lines["elaboration"], clause.text, re.I) is not None
        # "40 x 30 x 30" is one size, not five words
        words = DIMENSION_X.sub("x", clause.text).split()
        short = (
            len(words) <= MERGE_MAX_WORDS
            and not re.search(r"[\u4e00-\u9fff]", clause.text)
            and not ARTICLE_ITEM.match(clause.text)
            and not SAME_IN.match(clause.text)
        )
        if (
            prev
            and prev.unit == clause.unit
            and (elaborates or short)
            and _quantity(clause.text, lexicon) is None
            and (
                elaborates
                or index.knows(clause.text)
                or index.elliptic(clause.text)
                or bool(price_spans(clause.text, lexicon))  # "unit price USD 6.10"
            )
        ):
            text = prev.text + ", " + clause.text
            merged[-1] = Clause(text, prev.start, clause.end, prev.unit, prev.listy)
        else:
            merged.append(clause)
    return merged


def _match(product_text: str, codes: list[str], ctx: LineContext, head: str) -> ProductMatch:
    if codes:
        return ProductMatch(codes[0], 1.0)
    found = ctx.index.match(product_text)
    if (
        head
        and ctx.index.elliptic(product_text)
        and (found.key is None or _size_only(product_text, ctx))
    ):
        # Elliptic mentions ("2 of the 4mm", "L码 十盒", "30 boxes of large") borrow
        # the noun of the line before, though a size alone may match some name.
        retry = ctx.index.match(product_text + " " + head)
        if retry.key is not None:
            return ProductMatch(retry.key, round(retry.score * 0.8, 3), retry.candidates)
    if found.key is None and ctx.index.elliptic(product_text):
        # "8 rolls of the 2.5mm²": a specification only one product has names it.
        only = ctx.index.by_spec(product_text)
        if only is not None:
            return ProductMatch(only, 0.6, found.candidates)
    return found


def _size_only(text: str, ctx: LineContext) -> bool:
    feats = features(text, ctx.lexicon)
    return feats.size is not None and not feats.specs


def _head_words(text: str) -> str:
    latin = [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in {"the", "of", "and"}]
    return " ".join([*latin, *re.findall(r"[\u4e00-\u9fff]{2,}", text)])


def _catalog_head(read: _Read, ctx: LineContext) -> str:
    """ "PPE-GLV-NIT-M 10盒，L码的也要10盒": a line named by its code lends the
    catalog's name, in the language the clause is written in, to what follows."""
    product = ctx.products.get(read.match.key) if read.match.key else None
    if product is None:
        return ""
    chinese = re.search(r"[\u4e00-\u9fff]", read.clause.text) is not None
    name = product.name_zh if chinese and product.name_zh else product.name
    return _head_words(without_sizes(name, ctx.lexicon)[0])


def _orders_nothing(text: str, lexicon: Lexicon) -> bool:
    """ "No washers this time", or a street ("1800 Industrial Pkwy"): nothing ordered."""
    return (
        re.search(lexicon.lines["negation"], text, re.I) is not None
        or re.search(lexicon.lines["street_line"], text) is not None
    )


@dataclass
class _Read:
    clause: Clause
    quantity: Quantity
    match: ProductMatch
    product_text: str
    corrected_from: Clause | None = None  # the line as first written, when corrected
    loose: _Read | None = None  # "1 case plus 12 loose rolls": more of the same, singly


def _read_clause(clause: Clause, ctx: LineContext, head: str) -> _Read | None:
    hits = ctx.index.find_codes(clause.text)
    masked = mask_spans(clause.text, [(h.start, h.end) for h in hits])
    if _orders_nothing(clause.text, ctx.lexicon):
        return None
    # "(4) HSS drill bit sets, 19 pc": the bracketed count, after any amount
    # written, unless that amount only names the product (a set of 19 pieces);
    # "(1) 20 tape measures" is line 1, of 20.
    bracketed = _bracketed_count(masked)
    if bracketed:
        masked = mask_spans(masked, [(0, bracketed[0].end + 1)])
    # "HX3 6RL": a UK postcode's "6RL" is no 6 rolls.
    postcodes = _postcode_spans(clause.text, ctx.lexicon)
    every = [
        q
        for q in find_quantities(masked, ctx.lexicon)
        if not any(s <= q.start < e for s, e in postcodes)
    ]
    found = [*(q for q in every if q.strength >= MIN_STRENGTH), *bracketed]
    if not found and clause.listy:
        found = _terse_count(masked, every, ctx.lexicon)
    if not found:
        return _read_mid_sentence(clause, masked, ctx)
    reads = []
    codes = [h.key for h in hits]
    for quantity in found[:3]:
        product_text = mask_spans(masked, [(quantity.start, quantity.end)])
        match = _match(product_text, codes, ctx, head)
        if match.key is None:
            # "3 bags of 25 anchors", "4 spools (60 kg)": the pack's count or the
            # amount restated in brackets is no part of the name.
            packs = [m.span() for m in re.finditer(ctx.lexicon.lines["pack_per"], masked, re.I)]
            packs += _restated_amounts(masked, ctx.lexicon)
            retry = _match(mask_spans(product_text, packs), codes, ctx, head) if packs else match
            if retry.key is not None:
                match, product_text = retry, mask_spans(product_text, packs)
        reads.append(
            _Read(clause, _trailing_unit(quantity, product_text, ctx), match, product_text)
        )
    keys = {r.match.key for r in reads if r.match.key is not None}
    return next((r for r in reads if not _names_a_product(r, keys, ctx)), reads[0])


def _qualifies_last(read: _Read, reads: list[_Read], ctx: LineContext) -> bool:
    """Whether ``read`` only restates, on the same line, the product just read
    with an amount its name states ("…, HSS 19pc" after "10 x drill bit sets")."""
    key = reads[-1].match.key if reads else None
    return (
        key is not None
        and read.match.key in {None, key}
        and reads[-1].clause.unit == read.clause.unit
        and _names_a_product(read, {key}, ctx)
    )


def _listed_after(read: _Read, reads: list[_Read]) -> bool:
    """ "- 12 mop heads (the cotton ones)" or "* RCD 2-pole 40A - 4" on the list
    line after a product line: a bare count opening or closing a list line is a
    count there too."""
    quantity, text = read.quantity, read.clause.text
    opens = quantity.start == 0 and quantity.strength >= LEADING
    closes = (
        not text[quantity.end :].strip(" .)")
        and quantity.strength >= TRAILING
        and re.search(r"[-–—:=]\s*$|\s{2,}$", text[: quantity.start]) is not None
    )
    return (
        read.clause.listy
        and (opens or closes)
        and bool(reads)
        and reads[-1].clause.unit == read.clause.unit - 1
    )


def _postcode_spans(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    pattern = str(lexicon.addresses["countries"]["GB"]["postcode"])
    return [m.span() for m in re.finditer(pattern, text)]


def _restated_amounts(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    """ "(60 kg)", "(4 cartons)", "(3 x 100m rolls)": brackets holding only
    amounts, units and "x"."""
    spans = []
    for inner in re.finditer(r"[(（]([^()（）]*)[)）]", text):
        words = re.findall(r"[A-Za-z]+|[\u4e00-\u9fff]", inner.group(1))
        numbers = re.search(r"\d", inner.group(1))
        if numbers and words and all(w.lower() in lexicon.units or w in "xX" for w in words):
            spans.append(inner.span())
    return spans


def _unknown_product(read: _Read, reads: list[_Read], ctx: LineContext) -> bool:
    """ "Also one box of M12x80 bolts if you can get hold of them", "黄色安全帽20顶"
    when only white ones exist: in prose among lines already read, an amount
    with its unit before words the catalog knows is a product we do not sell,
    not a remark ("found a box of them")."""
    return bool(reads) and ctx.index.knows(read.product_text)


def _of_pronoun(read: _Read, ctx: LineContext) -> bool:
    """ "a box of them", "2 boxes of ours": an amount of something named before."""
    after = read.clause.text[read.quantity.end :]
    pronoun = ctx.lexicon.lines["pronoun_object"]
    return re.match(rf"\s*(?:of\s+)?(?:{pronoun})", after, re.I) is not None


def _one_of_something(read: _Read, ctx: LineContext) -> bool:
    """ "新进场一个班组" (one crew), "一批": "one" written as a word, before words
    the catalog does not know, is no unknown product ordered."""
    written = read.clause.text[read.quantity.start : read.quantity.end]
    return (
        read.quantity.value == 1
        and not re.search(r"\d", written)
        and not ctx.index.knows(read.clause.text[read.quantity.end :])
    )


def _bracketed_count(text: str) -> list[Quantity]:
    """ "(4) 18V cordless drills": a count in brackets opening a line."""
    match = re.match(r"\s*\(\s*(\d{1,5})\s*\)\s+(?=[A-Za-z\d])", text)
    if match is None:
        return []
    return [Quantity(float(match.group(1)), None, match.start(1), match.end(1), STRONG, "")]


def _terse_count(text: str, found: list[Quantity], lexicon: Lexicon) -> list[Quantity]:
    """ "euro pallets 20": a list line of a few words that ends with its bare
    count (not a numbered place, "Plant 1", nor an edit, "make the hats 30")."""
    last = max(found, key=lambda q: q.start, default=None)
    if last is None or last.unit is not None or text[last.end :].strip(" .)"):
        return []
    # "blue pens, 200", "binders - 10", "boxes, around 200": one separator (and
    # a word making the count approximate) before the count is no sentence
    approximately = lexicon.numbers["approximately"]
    before = re.sub(rf"(?:{approximately})\s*$", "", text[: last.start], flags=re.I)
    before = re.sub(r"\s*[,，:：\-–]\s*$", " ", before)
    terse = (
        1 <= len(before.split()) <= TERSE_LINE_WORDS
        and re.search(r"[A-Za-z\u4e00-\u9fff)]\s$|\d[xX×]\d+\s$", before) is not None
        and re.search(r"[A-Za-z\u4e00-\u9fff]{3,}", before) is not None
        and re.search(r"[,.;:!?，。；：！？]", before) is None
        and SITE_NUMBER.search(before) is None
        and re.search(lexicon.lines["ops"]["set"], before, re.I) is None
        # "Bit of an urgent one", "a quick one": "one" after an article is a pronoun
        and not (
            not re.search(r"\d", text[last.start : last.end])
            and re.search(r"\b(?:an?|the|this|that|which|another)\s+(?:\w+\s+)?$", before, re.I)
        )
    )
    return [replace(last, strength=TRAILING)] if terse else []


def _trailing_unit(quantity: Quantity, product_text: str, ctx: LineContext) -> Quantity:
    """ "2x WD40 cases": a bare count whose unit is written after the product."""
    if quantity.unit is not None:
        return quantity
    # "(200 pr)" at the end is what one box holds: brackets are no unit of the count.
    last = re.search(r"([A-Za-z]+)\W*$", re.sub(r"[(（][^()（）]*[)）]", " ", product_text))
    unit = ctx.lexicon.units.get(last.group(1).lower()) if last else None
    if last is None or unit is None or unit in TRAILING_UNIT_EXCLUDED:
        return quantity
    return replace(quantity, unit=unit, unit_text=last.group(1))


def _names_a_product(read: _Read, keys: set[str], ctx: LineContext) -> bool:
    """ "19件钻头套装 三套": the "19件" is part of the product's name, not the count."""
    written = re.sub(r"\s", "", read.clause.text[read.quantity.start : read.quantity.end]).lower()
    if not re.search(r"\d", written):
        return False
    products = [ctx.products[k] for k in keys if k in ctx.products]
    names = [re.sub(r"\s", "", t).lower() for p in products for t in product_terms(p)]
    # Whole numbers only: the "3" of "(3) drill bit sets" is not in "13 pieces".
    within = re.compile(rf"(?<![\d.]){re.escape(written)}(?![\d.])")
    if any(within.search(name) for name in names):
        return True
    # "19pcs" for a set named "19 pieces": the same count of the same unit.
    amount = (read.quantity.value, read.quantity.unit)
    return any(
        amount in _named_amounts(term, ctx.lexicon) for p in products for term in product_terms(p)
    )


# Per catalog term: the lexicon it was read with, and the counts the term states.
_NAMED_AMOUNTS: dict[str, tuple[Lexicon, frozenset[tuple[float, str | None]]]] = {}


def _named_amounts(term: str, lexicon: Lexicon) -> frozenset[tuple[float, str | None]]:
    """The counts a catalog name states ("19 pieces"), cached per term: names
    do not change, and the lexicon is checked by identity, not by ``id``."""
    cached = _NAMED_AMOUNTS.get(term)
    if cached is None or cached[0] is not lexicon:
        found = find_quantities(term, lexicon)
        cached = (lexicon, frozenset((q.value, q.unit) for q in found))
        _NAMED_AMOUNTS[term] = cached
    return cached[1]


def _item_number(read: _Read, text: str, offset: int) -> int | None:
    """The number a read's list line opens with ("2、 铜芯电缆 …"), if any."""
    at = read.clause.start - offset
    line = text[text.rfind("\n", 0, at) + 1 :]
    found = ITEM_NUMBER.match(line)
    return int(found.group(1)) if found else None


def _number_edit(sentence: str, ctx: LineContext) -> tuple[Quantity | None, int] | None:
    """What a sentence naming a numbered line does to it: (None, end of the
    removal cue) for "先不要了", "ignore line 5"; (the new amount, where the
    amount's text starts) for "应为8卷"; None for nothing."""
    cues = _correction_cues(ctx.lexicon)
    removal = cues.takes_back.search(sentence) or cues.remove.search(sentence)
    if removal is not None:
        return None, removal.end()
    cue = cues.any.search(sentence)
    quantity = edit_target(sentence[cue.end() :], ctx.lexicon, loose=True) if cue else None
    return (quantity, cue.end()) if cue and quantity else None


def _numbered(
    clause: Clause, reads: list[_Read], ctx: LineContext, text: str, offset: int
) -> tuple[list[_Read], int] | None:
    """ "更正：第2项4平方电缆应为8卷", "其中第3项电钻先不要了": an edit of a line of
    the order's own numbered list, named by its number; with where the edit
    ends (its cue may follow in the next clause). None when ``clause`` names no
    such line or its sentence does nothing to it."""
    found = LINE_REFERENCE.search(clause.text)
    if found is None:
        return None
    number = int(found.group("n") or found.group("zn"))
    at = next((i for i, r in enumerate(reads) if _item_number(r, text, offset) == number), None)
    sentence = _rest_of_sentence(text, clause.start - offset)
    edit = _number_edit(sentence, ctx) if at is not None else None
    if at is None or edit is None:
        return None
    quantity, cut = edit
    if quantity is None:
        return [*reads[:at], *reads[at + 1 :]], clause.start + cut
    target = reads[at]
    if quantity.unit is None and target.quantity.unit is not None:
        quantity = replace(quantity, unit=target.quantity.unit, unit_text=target.quantity.unit_text)
    end = clause.start + len(sentence)
    written = Clause(sentence[cut:], clause.start + cut, end, clause.unit, clause.listy)
    fixed = _Read(written, quantity, target.match, target.product_text, target.clause)
    return [*reads[:at], fixed, *reads[at + 1 :]], end


def _row_number(line: ExtractedLine) -> int | None:
    """The number of a table row: its first cell's ("1、", "2."), else its place."""
    evidence = line.evidence
    if evidence is None or evidence.row is None:
        return None
    found = re.match(r"\s*(\d{1,2})\s*[、.)．]?\s*$", evidence.text.split(" | ")[0])
    return int(found.group(1)) if found else evidence.row


def numbered_row_edits(
    lines: list[ExtractedLine], text: str, ctx: LineContext
) -> list[ExtractedLine]:
    """ "更正：第2项4平方电缆应为8卷，上表写错了", "ignore line 5" under a table:
    the text's edits of table rows named by their number."""
    if not lines or LINE_REFERENCE.search(text) is None:
        return lines
    out: list[ExtractedLine | None] = list(lines)
    for found in LINE_REFERENCE.finditer(text):
        number = int(found.group("n") or found.group("zn"))
        at = next((i for i, x in enumerate(out) if x and _row_number(x) == number), None)
        line = out[at] if at is not None else None
        sentence = _rest_of_sentence(text, found.start())
        edit = _number_edit(sentence, ctx) if line is not None else None
        if at is None or line is None or edit is None:
            continue
        quantity, cut = edit
        if quantity is None:
            out[at] = None
            continue
        product = ctx.products.get(line.sku) if line.sku else None
        converted = (
            in_sales_units(quantity, sentence[cut:], product, ctx.lexicon)[1].quantity
            if product
            else None
        )
        amount = converted if converted is not None else int(quantity.value)
        described = f"{line.description} ({' '.join(sentence.split())})"
        out[at] = replace(line, quantity=amount, description=described)
    return [x for x in out if x is not None]


def _rest_of_sentence(text: str, start: int) -> str:
    """``text`` from ``start`` to the end of its sentence."""
    stop = SENTENCE_STOP.search(text, start)
    return text[start : stop.start() if stop else len(text)]


def _pronoun_one(text: str, quantity: Quantity) -> bool:
    """A bare "one" with no unit: a pronoun unless a product's name follows it."""
    return quantity.unit is None and text[quantity.start : quantity.end].lower() == "one"


def _next_words(text: str) -> str:
    """The words at the start of ``text``, up to a stop and a few words long."""
    return re.split(r"[,;:.!?\n]", text, maxsplit=1)[0][:30]


def _read_mid_sentence(clause: Clause, masked: str, ctx: LineContext) -> _Read | None:
    """ "We need 20 yellow hard hats": a bare number counts when a product follows
    it; first one the product's name follows straight after ("14 new lads
    starting and 4 of them have got their own hats so just 10 white hard hats")."""
    found = [
        q
        for q in find_quantities(masked, ctx.lexicon)
        # "to Plant 2 please. The bubble wrap is …": a place, not a count
        if not SITE_NUMBER.search(masked[: q.start])
    ]
    if len(found) > 1:
        found = [q for q in found if not OF_THEM.match(masked, q.end)] or found
    floor = ctx.lexicon.matching["mid_sentence_floor"]
    ones = any(_pronoun_one(masked, q) for q in found)
    for near in (True, False) if len(found) > 1 or ones else (False,):
        for quantity in found:
            after = masked[quantity.end :]
            if not near and _pronoun_one(masked, quantity):
                continue  # "Quick one before I sign this off - is the 4mm cable …"
            # Prose numbers ("Unit 9, ... Industrial Estate") need a clear product.
            match = ctx.index.match(_next_words(after) if near else after)
            if match.key is not None and match.score >= floor:
                return _Read(clause, quantity, match, after)
    return None


# "the same number of vests", "40x30x30 - same quantity as the large": an
# amount given by another line's.
SAME_AMOUNT = re.compile(
    r"(?P<same>(?:the\s+)?same\s+(?:quantity|qty|number|amount|count))"
    r"(?:\s+as\s+(?:the\s+|for\s+the\s+)?(?P<ref>[^,.;()\n]+?))?"
    r"(?:\s+of\s+(?P<of>[^,;\n]+))?\s*[.!]?\s*$",
    re.IGNORECASE,
)
REFERENCE_FILLER = {"the", "ones", "one", "line", "lot", "please", "pls"}


def _same_amount(clause: Clause, reads: list[_Read], ctx: LineContext) -> _Read | None:
    """ "hard hats x 10 + the same number of vests (L)", "Small boxes 40x30x30 -
    same quantity as the large": the product named here at the amount of the
    line it refers to (by the words the customer used for it), else of the
    line just read."""
    same = SAME_AMOUNT.search(clause.text)
    if same is None or not reads:
        return None
    product_text = same.group("of") or clause.text[: same.start()]
    match = ctx.index.match(product_text)
    if match.key is None:
        return None
    written = re.findall(r"\w+", (same.group("ref") or "").lower())
    words = [w for w in written if w not in REFERENCE_FILLER]
    referred = [
        r for r in reads if words and all(w in r.product_text.lower().split() for w in words)
    ]
    source = (referred or reads)[-1]
    quantity = replace(source.quantity, start=same.start("same"), end=same.end("same"))
    return _Read(clause, quantity, match, product_text)


# "5 boxes each of M and L", "10 each in medium, large": one amount for several sizes.
EACH_SIZES = re.compile(
    r"\beach\s+(?:of\s+|in\s+)?(?:sizes?\s+)?(?P<sizes>[\w-]{1,8}(?:\s*(?:,|and|&|\+|/)\s*[\w-]{1,8})+)",
    re.IGNORECASE,
)


def _each_size(read: _Read, ctx: LineContext) -> list[_Read]:
    """ "nitrile gloves - 5 boxes each of M and L": a line for each size, at the
    amount written once; [] when the clause does not list sizes so."""
    found = EACH_SIZES.search(read.product_text)
    if found is None:
        return []
    sizes = [s for s in re.split(r"\s*(?:,|\band\b|&|\+|/)\s*", found.group("sizes")) if s]
    if len(sizes) < 2 or not all(without_sizes(f" {s} ", ctx.lexicon)[1] for s in sizes):
        return []
    rest = read.product_text[: found.start()] + read.product_text[found.end() :]
    base, _ = without_sizes(rest, ctx.lexicon)
    out: list[_Read] = []
    for size in sizes:
        named = f"{base} size {size}"
        match = ctx.index.match(named)
        if match.key is None or any(r.match.key == match.key for r in out):
            return []
        out.append(replace(read, match=match, product_text=named))
    return out


def _same_in(clause: Clause, reads: list[_Read], ctx: LineContext) -> _Read | None:
    """ "two boxes of the nitrile gloves in large and the same in medium": the
    amount of the line before, for the product it names in another size."""
    same = SAME_IN.match(clause.text)
    # "- blue nitrile gloves L x 20 boxes / - same again in M": or the list line above
    if same is None or not reads or clause.unit - reads[-1].clause.unit not in {0, 1}:
        return None
    before = reads[-1]
    unsized, _ = without_sizes(before.product_text, ctx.lexicon)
    product_text = unsized + " " + same.group("rest")
    match = ctx.index.match(product_text)
    if match.key is None or match.key == before.match.key:
        return None
    # The amount as written is "the same"; the evidence shows it, not a blank.
    quantity = replace(before.quantity, start=same.start("same"), end=same.end("same"))
    return _Read(clause, quantity, match, product_text)


def _article_item(clause: Clause, reads: list[_Read], ctx: LineContext) -> _Read | None:
    """ "10 hardhats, a cordless drill 18v": between counted lines of the same
    sentence, "a"/"an" before a clearly named product counts one. Alone in prose
    ("a quick one", "a delivery on Friday") an article is no count."""
    article = ARTICLE_ITEM.match(clause.text)
    if article is None or not reads or reads[-1].clause.unit != clause.unit:
        return None
    if find_quantities(clause.text, ctx.lexicon) or _orders_nothing(clause.text, ctx.lexicon):
        return None
    return _one_of(clause, article.end(), Quantity(1, None, 0, article.end() - 1, STRONG), ctx)


def _one_of(clause: Clause, opening: int, one: Quantity, ctx: LineContext) -> _Read | None:
    """One of the product named after ``opening``, when it is clearly named."""
    product_text = " " * opening + clause.text[opening:]
    match = ctx.index.match(product_text)
    if match.key is None or match.score < ctx.lexicon.matching["mid_sentence_floor"]:
        return None
    return _Read(clause, one, match, product_text)


def _container_item(clause: Clause, ctx: LineContext) -> _Read | None:
    """ "box of foam plugs", "case of WD40": a list line that opens with one
    container of a clearly named product orders one."""
    opening = re.match(r"(?P<u>[A-Za-z]+)\s+of\s+(?=\S)", clause.text)
    if opening is None or not clause.listy or find_quantities(clause.text, ctx.lexicon):
        return None
    unit = ctx.lexicon.units.get(opening.group("u").lower())
    if unit is None or ctx.lexicon.unit_class(unit) not in {"container", "case_like", "box_like"}:
        return None
    one = Quantity(1, unit, 0, opening.end("u"), STRONG, opening.group("u"))
    return _one_of(clause, opening.end(), one, ctx)


def _count_of_lengths(quantity: Quantity, text: str, product: Product) -> Quantity:
    """ "10x 5m tape measures": for a product not sold by length, the length is
    its specification and the count is what is ordered ("2 x 100m" of cable
    sold by the metre stays 200 m)."""
    if quantity.unit != "m" or product.base_unit == "m" or product.unit == "m":
        return quantity
    times = TIMES_LENGTH.match(text, quantity.start)
    if times is None or times.end() != quantity.end:
        return quantity  # a length written alone ("300 m"), not a count times one
    return Quantity(float(times.group(1)), None, times.start(1), times.end(1), STRONG, "")


def to_line(read: _Read, ctx: LineContext) -> ExtractedLine:
    """An ``ExtractedLine`` from a clause that was read."""
    clause, quantity, match = read.clause, read.quantity, read.match
    product = ctx.products.get(match.key) if match.key else None
    qty: int | None
    if product is None:
        qty, conf = int(quantity.value), 0.5
    else:
        quantity = _count_of_lengths(quantity, clause.text, product)
        total = stated_total(clause.text, ctx.lexicon)
        quantity, converted = in_sales_units(
            quantity, clause.text, product, ctx.lexicon, total=total
        )
        qty, conf = converted.quantity, converted.confidence
        if read.loose is not None and qty is not None:
            _, more = in_sales_units(
                read.loose.quantity, read.loose.clause.text, product, ctx.lexicon
            )
            qty = qty + (more.quantity or 0)
    price = (
        unit_price(clause.text, product, ctx.lexicon, written_unit=quantity.unit)
        if product is not None
        else None
    )
    described = clause.text
    if read.corrected_from is not None:
        described = f"{read.corrected_from.text} ({clause.text})"
    written = clause.text[quantity.start : quantity.end]
    if read.loose is not None:
        loose_text, loose = read.loose.clause.text, read.loose.quantity
        described = f"{described} + {loose_text}"
        extra = loose_text[loose.start : loose.end]
        if loose.unit_text and loose.unit_text not in extra:
            extra = f"{extra} {loose.unit_text}"
        written = f"{written} + {extra}"
    return ExtractedLine(
        sku=match.key,
        quantity=qty,
        description=" ".join(described.split()),
        written_quantity=written,
        written_unit=quantity.unit_text,
        confidence=round(min(conf, match.score or 0.5), 3),
        candidates=list(match.candidates),
        evidence=Evidence(ctx.source, clause.start, clause.end, clause.text),
        stated_unit_price=price,
    )


# "1 case plus 12 loose rolls": what may stand beside a second amount of the same product.
LOOSE_WORDS = {"loose", "single", "singles", "extra", "odd", "more", "individual", "spare"}


def _loose_more(
    text: str, offset: int, clause: Clause, read: _Read, reads: list[_Read], ctx: LineContext
) -> bool:
    """ "parcel tape: 1 case plus 12 loose rolls": an amount joined by "plus" to
    the line before it on the same line, naming no product but the unit that
    product is sold or counted in, is more of that line."""
    if read.match.key is not None or not reads or reads[-1].loose is not None:
        return False
    before = reads[-1]
    product = ctx.products.get(before.match.key) if before.match.key else None
    if product is None or before.clause.unit != clause.unit:
        return False
    gap = text[before.clause.end - offset : clause.start - offset]
    if not re.fullmatch(r"\s*(?:plus|\+|&|and)\s*", gap, re.I):
        return False
    words = re.findall(
        r"[^\W\d_]+", mask_spans(clause.text, [(read.quantity.start, read.quantity.end)])
    )
    units = {ctx.lexicon.units.get(u.lower(), u.lower()) for u in (product.unit, product.base_unit)}
    known = LOOSE_WORDS | set(ctx.lexicon.units)
    return read.quantity.unit in units and all(w.lower() in known for w in words)


def _count_of_named(named: list[Clause], clause: Clause, ctx: LineContext) -> _Read | None:
    """ "If you have the 18 V cordless drills in stock, add two of them": a count
    "of them" of the product an earlier clause of the line names and counts
    nothing of."""
    if not named or OF_PRONOUN.search(clause.text) is None:
        return None  # the common case, found cheaply: this runs for most prose
    for quantity in find_quantities(clause.text, ctx.lexicon):
        if not OF_PRONOUN.match(clause.text, quantity.end):
            continue
        for earlier in reversed(named):
            match = ctx.index.match(earlier.text)
            if match.key is not None and match.score >= ctx.lexicon.matching["mid_sentence_floor"]:
                return _Read(clause, quantity, match, earlier.text)
    return None


def _continued(
    text: str,
    offset: int,
    pending: Clause,
    clause: Clause,
    read: _Read,
    ctx: LineContext,
    head: str,
) -> _Read:
    """ "M8 x 40 hex bolts, zinc plated - 1,200 pcs": a product named before the
    comma and qualified after it. The whole span is read again and kept when it
    names the product better than the part with the amount does."""
    start, end = pending.start - offset, clause.end - offset
    joined = Clause(text[start:end], pending.start, clause.end, clause.unit, clause.listy)
    retry = _read_clause(joined, ctx, head)
    if retry is None or retry.match.key is None:
        return read
    if read.match.key is None or (retry.match.score or 0) > (read.match.score or 0):
        return retry
    return read


def _withdrawn(clause: Clause, reads: list[_Read], ctx: LineContext) -> list[_Read]:
    """ "垃圾袋这次先不要了", "scratch the washers": a later clause without an
    amount that takes back a product read before removes its line; "气泡膜 6卷
    —— 算了，先不要了" takes back the line just written, on its own line."""
    cues = _correction_cues(ctx.lexicon)
    if not (_orders_nothing(clause.text, ctx.lexicon) or cues.remove.search(clause.text)):
        return reads
    last_here = bool(reads) and reads[-1].clause.unit == clause.unit
    if cues.withdraw.match(clause.text):
        # "parts cleaner - actually, scratch that, the degreaser covers it": a
        # withdrawal opening its clause takes back what was just written; a
        # product named after it is the reason, not the line withdrawn.
        return reads[:-1] if last_here and reads[-1].clause.end <= clause.start else reads
    cue = cues.takes_back.search(clause.text)
    if cue and cue.start() > 0 and re.search(r"\b(?:that|it)\b", cue.group(), re.I):
        # "parts cleaner - actually scratch that": "that" is the item just
        # written, whatever an earlier line's name shares with it.
        return reads[:-1] if last_here else reads
    # "丁腈手套L码 10盒 —— 手套先不要了": the 10 is an amount, not the knife's "10 blades".
    amounts = [(q.start, q.end) for q in find_quantities(clause.text, ctx.lexicon)]
    text = mask_spans(clause.text, amounts)
    own = ctx.index.match(text).key
    if own is not None and all(r.match.key != own for r in reads):
        return reads  # "no bubble wrap this time": another product, not the stretch wrap
    ranked = _ranked_reads(text, reads, ctx)
    named = _named_read(ranked, reads)
    if named is not None and _sizes_differ(text, reads[named].product_text, ctx):
        return reads  # "the small boxes, don't need those" under "large shipping boxes"
    if named is not None:
        return [r for r in reads if r.match.key != reads[named].match.key]
    return reads[:-1] if last_here and cue and not ranked else reads


def _sizes_differ(text: str, other: str, ctx: LineContext) -> bool:
    """Whether two mentions give different sizes ("small" against "large")."""
    mine, theirs = features(text, ctx.lexicon).size, features(other, ctx.lexicon).size
    return mine is not None and theirs is not None and mine != theirs


def _ranked_reads(
    text: str, reads: list[_Read], ctx: LineContext
) -> list[tuple[float, float, str]]:
    """The products already read that ``text`` shares words with, best first."""
    keys = {r.match.key for r in reads if r.match.key is not None}
    return ctx.index.scores(text, keys=keys) if keys else []


def _named_read(ranked: list[tuple[float, float, str]], reads: list[_Read]) -> int | None:
    """The index of the line read before that the ranking clearly names, if any."""
    if not ranked or ranked[0][1] < WITHDRAW_COVERAGE:
        return None
    if len(ranked) > 1 and ranked[0][0] - ranked[1][0] < WITHDRAW_MARGIN:
        return None
    return next(i for i, r in enumerate(reads) if r.match.key == ranked[0][2])


def _corrected(
    clause: Clause, reads: list[_Read], ctx: LineContext, before: Clause | None = None
) -> list[_Read] | None:
    """ "2 bx of the M10x60 - actually make that 3", "要八百个，不对，是一千二百个",
    "make the bolts 12 boxes instead of 10": a correction sets the amount of the
    line it names, or of the line just read. None when ``clause`` corrects nothing."""
    # "actually make that 3. PO 4490 thx": the correction ends with its sentence.
    stop = re.search(r"\.(?:\s|$)", clause.text)
    text = clause.text[: stop.start()] if stop else clause.text
    hits = ctx.index.find_codes(text)
    masked = mask_spans(text, [(h.start, h.end) for h in hits])
    quantity = edit_target(masked, ctx.lexicon, loose=True)
    if quantity is None or re.match(
        r"(?:an?|another)\b", masked[quantity.start : quantity.end], re.I
    ):
        return None  # "actually scrap the knives, just found a box in the container"
    if quantity.unit is None and re.match(r"\s*[,;，；]", masked[quantity.end :]):
        # "no make that 30, same as the hats": the remark after the comma is why.
        masked = masked[: quantity.end]
    after = re.sub(ctx.lexicon.lines["correction_filler"], "", masked[quantity.end :], flags=re.I)
    if quantity.unit is None and re.search(r"[A-Za-z\u4e00-\u9fff]", after):
        # "rather wait than receive two drops": a bare number must end it, but
        # for a word of chat ("make it 10 then", "make that 12 please")
        return None
    product_text = mask_spans(masked, [(quantity.start, quantity.end)])
    named = _named_read(_ranked_reads(product_text, reads, ctx), reads)
    coded = [i for i, r in enumerate(reads) if hits and r.match.key == hits[0].key]
    if coded:
        named = coded[-1]  # "Correction: FST-M10-60 should be 8 boxes, not 6"
    elif hits:
        return None  # a code the lines read do not have: a line of its own
    if named is None:
        if ctx.index.match(product_text).key is not None:
            return None  # a correction that names a new product is a line of its own
        # "Correction on the cable before anyone picks it - make that 6 rolls":
        # the line the sentence named before its correction, else the last one.
        earlier = _named_read(_ranked_reads(before.text, reads, ctx), reads) if before else None
        named = len(reads) - 1 if earlier is None else earlier
    target = reads[named]
    if quantity.unit is None and target.quantity.unit is not None:
        quantity = replace(quantity, unit=target.quantity.unit, unit_text=target.quantity.unit_text)
    fixed = _Read(clause, quantity, target.match, target.product_text, target.clause)
    return [*reads[:named], fixed, *reads[named + 1 :]]


# "sorry, I mean the 40x30x30s": the product a correction names instead.
RENAMED = re.compile(
    r"\W*(?:sorry\W+)?(?:i\s+mean(?:t)?|(?:that|it)\s+should\s+(?:be|read|have\s+been)"
    r"|应该是|其实是|我是说)\s*(?:the\s+)?(?P<rest>.+)",
    re.IGNORECASE | re.DOTALL,
)


def _renamed(clause: Clause, reads: list[_Read], ctx: LineContext) -> list[_Read] | None:
    """ "60x40x40 cartons x 10 bundles – sorry, I mean the 40x30x30s": a
    correction without an amount that names another product puts that product
    on the line just read, at its amount."""
    found = RENAMED.match(clause.text)
    if found is None or not reads or find_quantities(found.group("rest"), ctx.lexicon):
        return None
    match = ctx.index.match(found.group("rest"))
    last = reads[-1]
    if match.key is None or match.key == last.match.key:
        return None
    return [*reads[:-1], replace(last, match=match, product_text=found.group("rest"))]


def _split_corrections(items: list[Clause], cues: _CorrectionCues) -> list[Clause]:
    """ "2 bx of the M10x60 - actually make that 3" is a line and its correction;
    "scratch that, … make it 30 boxes of large" a withdrawal and a new line."""
    out: list[Clause] = []
    todo = list(reversed(items))
    while todo:
        clause = todo.pop()
        at = _correction_split(clause.text, cues)
        if at == 0:
            out.append(clause)
            continue
        head = clause.text[:at].rstrip(" -–—,")
        tail = clause.text[at:]
        out.append(Clause(head, clause.start, clause.start + len(head), clause.unit, clause.listy))
        start = clause.start + at
        todo.append(Clause(tail, start, start + len(tail), clause.unit, clause.listy))
    return out


@dataclass(frozen=True)
class _CorrectionCues:
    starts: re.Pattern[str]  # a correction or withdrawal that may follow its line
    withdraw: re.Pattern[str]  # "scratch that" opening a clause
    any: re.Pattern[str]  # every correction cue ("make it")
    amount: re.Pattern[str]  # a number in digits or words ("twelve rolls")
    remove: re.Pattern[str]  # an edit that removes ("forget the tape measures")
    takes_back: re.Pattern[str]  # "scratch that", "不要了" anywhere
    correction: re.Pattern[str]  # a correction opening a clause ("make it 4 boxes")


_CUES: dict[int, tuple[Lexicon, _CorrectionCues]] = {}


def _correction_cues(lexicon: Lexicon) -> _CorrectionCues:
    """The correction and withdrawal patterns of a lexicon, built once."""
    cached = _CUES.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        lines = lexicon.lines
        correction, withdraw = lines["correction_start"], lines["withdraw_last"]
        cues = _CorrectionCues(
            # "Toner 26A x 4 – scratch that": a line and its withdrawal, as a line
            # and its correction.
            starts=re.compile(f"{correction}|{withdraw}", re.I),
            withdraw=re.compile(rf"\W*(?:(?:{correction})\W+)?(?:{withdraw})", re.I),
            any=re.compile(lines["correction"], re.I),
            amount=re.compile(rf"\d|[{ZH_NUMERAL}]|{english_number_regex(lexicon)}", re.I),
            remove=re.compile(lines["ops"]["remove"], re.I),
            takes_back=re.compile(withdraw, re.I),
            correction=re.compile(rf"[\s,;:\-–—]*(?:{correction})", re.I),
        )
        cached = _CUES[id(lexicon)] = (lexicon, cues)
    return cached[1]


def _correction_split(text: str, cues: _CorrectionCues) -> int:
    """Where a clause parts into a line and its correction, or 0."""
    found = cues.starts.search(text)
    if found and _has_amount(cues.amount, text[: found.start()]):
        return found.start()
    # "actually, scratch that, so make it 30 boxes": the withdrawal ends at its cue.
    taken = cues.withdraw.match(text)
    if taken and _has_amount(cues.amount, text[taken.end() :]):
        return taken.end()
    # "half the crew has smaller hands, so make it 30 boxes of large": the chat
    # before a correction is no part of its line.
    for found in cues.any.finditer(text):
        if found.start() and _has_amount(cues.amount, text[found.start() :]):
            return 0 if _has_amount(cues.amount, text[: found.start()]) else found.start()
    return 0


def _cue_before(cue: re.Pattern[str], text: str, at: int) -> bool:
    found = cue.search(text)
    return found is not None and found.start() < at


def _has_amount(amount: re.Pattern[str], text: str) -> bool:
    return amount.search(text) is not None


def _by_family(reads: list[_Read], ctx: LineContext) -> list[_Read]:
    """ "纸箱两千个，胶带十箱，缠绕膜二十四卷": a name that fits two products
    equally is the one of the same family as the order's other lines (tape
    among boxes and stretch wrap is packing tape); a weaker reading."""
    families = {family(r.match.key) for r in reads if r.match.key}
    out = []
    for read in reads:
        match = read.match
        if match.key is None and len(match.candidates) > 1:
            key = ctx.index.by_family(read.product_text, match.candidates, families)
            if key is not None:
                others = tuple(k for k in match.candidates if k != key)
                read = replace(read, match=ProductMatch(key, round(match.score * 0.8, 3), others))
        out.append(read)
    return out


def read_lines(text: str, ctx: LineContext, *, offset: int = 0) -> list[ExtractedLine]:
    """Order lines in ``text``, in written order. A product the catalog lacks
    makes a line (``sku`` None) from a list line, a line opening with its
    count, or prose among lines already read; never from "a box of them"."""
    reads: list[_Read] = []
    head = ""
    pending: Clause | None = None
    correcting: int | None = None  # the line (unit) in which a correction began
    cues = _correction_cues(ctx.lexicon)
    merged = _merge_tails(clauses(text, ctx.lexicon, offset=offset), ctx.lexicon, ctx.index)
    previous: Clause | None = None  # the clause before, for a correction that names nothing
    edited_until = 0  # where an edit of a numbered line ends
    unread: list[Clause] = []  # clauses that read as no line, for "add two of them"
    not_ordered = re.compile(ctx.lexicon.lines["remark_not_ordered"], re.I)
    for clause in _split_corrections(merged, cues):
        before_this, previous = previous, clause
        if clause.start < edited_until:
            continue  # the rest of a numbered line's edit ("第3项电钻 | 先不要了")
        numbered = _numbered(clause, reads, ctx, text, offset) if reads else None
        if numbered is not None:
            (reads, edited_until), pending = numbered, None
            continue
        # "We still have 6 boxes of the anchors from May, so none this time": the
        # remark is read to the end of its sentence, from this clause on
        remark = not_ordered.search(_rest_of_sentence(text, clause.start - offset))
        if remark is not None and remark.start() < len(clause.text):
            pending = None
            continue  # "we went through 35 rolls of bin bags last month"
        if cues.takes_back.search(clause.text) and cues.correction.match(text, clause.end - offset):
            # "10 boxes ear plugs - scrap that, make it 4 boxes": taking back the
            # amount just written to give another corrects the line, keeps it
            correcting = clause.unit
            continue
        if cues.any.search(clause.text):
            correcting = clause.unit
        removes = cues.remove.search(clause.text) is not None
        if (
            reads
            and correcting == clause.unit
            and not removes
            and not _orders_nothing(clause.text, ctx.lexicon)
        ):
            before = before_this if before_this and before_this.unit == clause.unit else None
            fixed = _corrected(clause, reads, ctx, before) or _renamed(clause, reads, ctx)
            if fixed is not None:
                # One correction corrects one line: "make it 30 boxes of large and
                # 10 boxes of medium" goes on to a line of its own.
                reads, pending, correcting = fixed, None, None
                continue
        if removes:
            # "forget the tape measures, found a box of them": the box is no line.
            kept = _withdrawn(clause, reads, ctx)
            if len(kept) < len(reads):
                reads, pending = kept, None
                continue
        read = (
            _read_clause(clause, ctx, head)
            or _article_item(clause, reads, ctx)
            or _container_item(clause, ctx)
            or _same_in(clause, reads, ctx)
            or _same_amount(clause, reads, ctx)
        )
        if read is not None and pending is not None and pending.unit == clause.unit:
            read = _continued(text, offset, pending, clause, read, ctx, head)
        if read is None or read.match.key is None:
            unread = [c for c in unread if c.unit == clause.unit]
            read = _count_of_named(unread, clause, ctx) or read
        if read is not None and _loose_more(text, offset, clause, read, reads, ctx):
            reads[-1] = replace(reads[-1], loose=read)
            pending = None
            continue
        pending = clause if read is None else None
        if read is None:
            unread.append(clause)
            reads = _withdrawn(clause, reads, ctx)
            continue
        if _qualifies_last(read, reads, ctx):
            continue  # "10 x drill bit sets, HSS 19pc": the set's name, not a count
        if read.match.key is not None:
            head = _head_words(read.product_text) or _catalog_head(read, ctx)
            reads.extend(_each_size(read, ctx) or [read])
            if _cue_before(cues.any, clause.text, read.quantity.start):
                correcting = None  # "so make it 30 boxes of large": a new line, spent
        elif (
            (read.quantity.strength >= STRONG or _listed_after(read, reads))
            and not _of_pronoun(read, ctx)
            and not _one_of_something(read, ctx)
            # "hence only the 3 boxes": "the" before an amount refers to a line read
            and not re.search(r"\bthe\s*$", read.clause.text[: read.quantity.start], re.I)
            and (
                clause.listy
                or (read.quantity.start == 0 and bool(reads))
                or _unknown_product(read, reads, ctx)
            )
            and not re.match(r"an?\s", read.clause.text[read.quantity.start :], re.I)
        ):
            # An unknown product from a list line, or from a line that opens
            # with its count under lines already read and runs on ("10 x 3/4\"
            # fittings (if you don't do these, leave them off)").
            reads.append(read)
    if not any(r.match.key for r in reads):
        return []
    lines = [to_line(r, ctx) for r in _by_family(reads, ctx)]
    # "75 kg of MIG wire … it comes on 15 kg spools, so that is 5 spools": prose
    # that restates a line read before, at the same amount, is no second line.
    lines = [
        line
        for i, line in enumerate(lines)
        if reads[i].clause.listy
        or line.sku is None
        or all((e.sku, e.quantity) != (line.sku, line.quantity) for e in lines[:i])
    ]
    return without_references(lines, ctx.lexicon)


def without_references(
    lines: list[ExtractedLine], lexicon: Lexicon, *, earlier: Sequence[ExtractedLine] = ()
) -> list[ExtractedLine]:
    """``lines`` less those that only refer to a line written before them: "If you
    can't do all 20 rolls of the 4mm, send what you have" orders nothing more."""
    kept: list[ExtractedLine] = []
    for line in lines:
        text = line.evidence.text if line.evidence else ""
        at = text.find(line.written_quantity) if line.written_quantity else -1
        conditional = re.search(lexicon.lines["conditional"], text[: max(at, 0)], re.I)
        # "if that's a hard rule, just send 5 of the …": a product we cannot name,
        # under a condition, is an alternative to a line, not a line of its own.
        refers = line.sku is None or any(e.sku == line.sku for e in [*earlier, *kept])
        if conditional is None or not refers:
            kept.append(line)
    return kept
