"""Quantities in a clause ("2,000", "4 bxs", "x10 rolls", "五千个", "a dozen",
"3 x 20m lengths") and their conversion to the catalog's sales unit."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mailflow.extract.lexicon import Lexicon
from mailflow.extract.numbers import DIGITS, ZH_NUMERAL, english_number_regex, parse_number
from mailflow.extract.prices import price_spans
from mailflow.refdata import Product

# A count after "Qty:" outranks any number in the description ("drill bit set,
# 19 pc   Qty: 6").
LABELLED, STRONG, LEADING, TRAILING, WEAK = 4.0, 3.0, 2.0, 1.5, 0.5
# Units that, for a product not sold by them, count single items.
ITEM_WORDS = {"set", "pair"}
_NOT_QUANTITY_AFTER = re.compile(
    r"\s*(?:of\s+(?=[a-z]))?"  # "a couple of days"
    r"(?:%|am\b|pm\b|hrs?\b|hours?\b|mins?\b|minutes?\b|days?\b|weeks?\b|months?\b|years?\b"
    # "Couple of things:", "two changes": what the mail is about, not a product
    r"|things?\b|changes?\b|questions?\b|issues?\b|amendments?\b|updates?\b|quer(?:y|ies)\b"
    r"|deliver(?:y|ies)\b|drops?\b|shipments?\b|trips?\b|invoices?\b|copies\b|people\b"
    r"|st\b|nd\b|rd\b|th\b|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|[:/]\d|[xX×*]\s*\d|[.,]\d|\s+\d{1,2}:\d{2})",
    re.IGNORECASE,  # "4 January", "3 Days" as much as "4 jan"
)


@dataclass(frozen=True)
class Quantity:
    """A number read in a clause, with the canonical unit written next to it."""

    value: float
    unit: str | None
    start: int
    end: int
    strength: float
    unit_text: str = ""


_PATTERNS: dict[int, tuple[Lexicon, re.Pattern[str], re.Pattern[str]]] = {}


def _patterns(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The unit and number patterns of a lexicon, built once: building them
    (sorting every unit form) costs more than scanning a clause."""
    cached = _PATTERNS.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        cached = _PATTERNS[id(lexicon)] = (lexicon, _unit_regex(lexicon), _number_regex(lexicon))
    return cached[1], cached[2]


def _unit_regex(lexicon: Lexicon) -> re.Pattern[str]:
    forms = sorted(lexicon.units, key=len, reverse=True)
    latin = "|".join(re.escape(f) for f in forms if f.isascii())
    cjk = "|".join(re.escape(f) for f in forms if not f.isascii())
    more = lexicon.numbers["more_before_unit"]  # "one more case", "2 extra boxes"
    # "数量：3  单位：箱", "Qty: 3  Unit: box": a form's unit field names the count's unit
    field = r"(?:(?:单位|units?|uom)\s*[:：]\s*)?"
    return re.compile(
        rf"\s*{field}(?:(?:{more})\s+)?(?:of\s+)?"
        rf"(?P<unit>(?:{latin})(?![A-Za-z0-9])\.?|(?:{cjk}))",
        re.I,
    )


def _number_regex(lexicon: Lexicon) -> re.Pattern[str]:
    english = english_number_regex(lexicon)
    thousands = r"(?:\s*[万千]|[kK](?![A-Za-z]))?"  # "1.5万", "2k只", not "5kg"
    return re.compile(
        rf"(?P<num>(?:{DIGITS}){thousands}|[{ZH_NUMERAL}]+|{_zh_half(lexicon)}|{english}"
        rf"|\b(?:an?)\b(?=\s+\w))",
        re.I,
    )


def _zh_half(lexicon: Lexicon) -> str:
    """ "半打", "半箱": 半 before a pack unit (not 半个月, not 一半)."""
    half, units = lexicon.numbers.get("zh_half", ""), lexicon.numbers.get("zh_half_units", [])
    if not half or not units:
        return "(?!)"
    return rf"(?<![{ZH_NUMERAL}]){half}(?=\s*(?:{'|'.join(map(re.escape, units))}))"


def _depth(text: str, index: int) -> int:
    opened = len(re.findall(r"[(（]", text[:index]))
    return opened - len(re.findall(r"[)）]", text[:index]))


def _glued_left(text: str, start: int) -> bool:
    before = text[max(0, start - 2) : start]
    if not before:
        return False
    last = before[-1]
    if last.isalnum() and last.isascii():
        return not (last in "xX" and (len(before) < 2 or not before[0].isalnum()))
    return last in "-./,_#" and len(before) == 2 and before[0].isalnum()


def _unit_after(
    text: str, end: int, unit_re: re.Pattern[str], lexicon: Lexicon
) -> tuple[str | None, str, int]:
    match = unit_re.match(text, end)
    if match is None:
        return None, "", end
    written = match.group("unit")
    key = written.lower().rstrip(".") if written.lower() not in lexicon.units else written.lower()
    unit = lexicon.units.get(key) or lexicon.units.get(written.lower())
    after = text[match.end() : match.end() + 1]
    if unit and after == "/":  # "100米/卷" describes a pack, it is not an amount
        return None, "", end
    if key.rstrip(".") in {"no", "nos", "nr"}:
        # "10 no. boxes wedge anchors": "no." only counts; the unit comes after it.
        inner = unit_re.match(text, match.end())
        if inner is not None and lexicon.units.get(inner.group("unit").lower().rstrip(".")):
            return _unit_after(text, match.end(), unit_re, lexicon)
    return unit, written, match.end()


def _spec_follows(text: str, end: int, lexicon: Lexicon) -> bool:
    if re.match(r"\s*[xX×*]\s+\D", text[end:]):
        return False
    glued = re.match(r"[A-Za-z\u4e00-\u9fff]+", text[end:])
    if glued:
        return True
    # "20 A4 ring binders": "A" glued to a digit is a paper size, not amperes
    spaced = re.match(r"\s+([A-Za-z\u4e00-\u9fff]++)(?!\d)", text[end:])
    return bool(spaced and spaced.group(1).lower() in lexicon.spec_suffixes)


def _is_dimension(text: str, start: int) -> bool:
    """ "60 x 40", "300mm x 10": the number after an "x" is a size, unless what
    the "x" follows is a trade name or grade with a number ("WD-40 x 24" is 24
    cans, "EP2 x 24" 24 cartridges)."""
    if THREE_SIDES_THEN_COUNT.search(text[:start]):
        return False  # "boxes 60x40x40 x 200": a box has three sides; then a count
    before = re.search(r"(\S*?)\d+ ?(?:mm|cm|m)? ?[xX×*] ?$", text[:start])
    # "WD-40 x 24", "grease EP2 x 24": a trade name or grade, not a side ("M8 x 40" is)
    return before is not None and re.search(r"[A-Za-z]{2,}-?$", before.group(1)) is None


THREE_SIDES_THEN_COUNT = re.compile(
    r"\d+\s*[xX×*]\s*\d+\s*[xX×*]\s*\d+(?:\s*(?:mm|cm|m))?\s+[xX×*]\s*$"
)


# "PO# 4563", "order no. 7781", "采购单号：4563": a number that a reference label introduces.
REFERENCE_BEFORE = re.compile(
    r"(?:\bp\.?o\.?\s*(?:#|no\.?|number)?|\border\s+(?:#|no\.?|number)|\bref\.?|单号)\s*[:：#]?\s*$",
    re.IGNORECASE,
)


# "Plant 1", "Gate 3", "Dock 7": a numbered place, not a count.
SITE_NUMBER = re.compile(
    r"\b(?:plant|gate|unit|dock|bay|building|block|line|level|floor|site|door|room|phase"
    r"|zone|area|warehouse|store|depot|hall|shed|no|number|ext|extension)\.?\s$",
    re.IGNORECASE,
)


# "6 of the …", "10 of those": a count of the products named next.
PARTITIVE = re.compile(r"\s+of\s+(?:the|those|these|your)\s", re.I)


def _strength(text: str, start: int, end: int, unit: str | None) -> float:
    before, after = text[:start], text[end:]
    if re.search(r"(?:^|[\s(])[xX×*]\s*$", before) or re.match(r"\s*[xX×*]\s+\D", after):
        return STRONG
    if re.search(r"(?:qty|quantity|数量)\s*[:：]?\s*$", before, re.I):
        return LABELLED
    if unit is not None:
        return 1.0 if unit in {"m", "kg"} else STRONG
    if not before.strip():
        return LEADING
    if PARTITIVE.match(after):
        return STRONG  # "add 6 of the 5m tape measures": six of them, whatever their length
    # "gloves, large - 1000 (10 boxes?)": a remark in brackets after the count
    # leaves it the last thing on the line.
    after = re.sub(r"^\s*[(（][^()（）]*[)）]", "", after)
    if not after.strip(" .)") and re.search(r"[-–—:=]\s*$|\s{2,}$", before):
        return TRAILING
    return WEAK


# "2 x 100m": a count times a length.
# "2 x 12,5 m", "2 pcs x 12,5 m", "4 lengths x 15m": pieces times a length.
TIMES_LENGTH = re.compile(
    r"(\d+)\s*(?:(?:pcs|pc|pieces|lengths|st)\.?\s*)?[xX×]\s*(\d+(?:\.\d+|,\d{1,2}(?!\d))?)"
    r"\s*(?:m|metres?|meters?|米)\b"
)


# "3 x 10 packs": three packs of ten.
TIMES_PACKS = re.compile(
    r"(?<![\d.,/])(\d+)\s*[xX×]\s*(\d+)[ -]?(?:packs?|pks?|packets?)\b", re.IGNORECASE
)


# "2 x 6 rolls": two lots of six single items, twelve of them.
TIMES_SINGLES = re.compile(
    r"(?<![\d.,/])(\d+)\s*[xX×]\s*(\d+)\s*(rolls?|cans?|tubes?|bottles?|spools?|reels?|pairs?)\b",
    re.IGNORECASE,
)


def _count_times(text: str, lexicon: Lexicon) -> Quantity | None:
    """A count times a size, multiplied out: "2 x 12,5 m" of hose is 25 m,
    "3 x 10 packs" thirty items, "2 x 6 rolls" twelve rolls."""
    for pattern, unit in ((TIMES_LENGTH, "m"), (TIMES_PACKS, None), (TIMES_SINGLES, None)):
        match = pattern.search(text)
        if match:
            value = float(match.group(1)) * float(match.group(2).replace(",", "."))
            written = unit or ""
            if pattern is TIMES_SINGLES:
                written = match.group(3)
                unit = lexicon.units.get(written.lower())
            return Quantity(value, unit, match.start(), match.end(), STRONG, written)
    return None


def _multiplier(text: str, start: int, end: int) -> tuple[float, int] | None:
    """A count written as a multiplier before the product: "2x 4mm2 cable" (strong)
    or, at the start of a line, "2 x 18V drills" (the "18V" is a specification, so
    this is no "2 x 18" dimension), also before an inch size ("20 x 1/2\" fittings")."""
    if text[:start].strip(" \t(-*•"):
        # Mid-sentence, "send 2 x 18v drills": only before a specification that
        # is no measure ("60 x 40cm" is a size).
        mid = re.match(
            r"\s+[xX×]\s+(?=\d+(?:[.,]\d+)?(?!mm|cm|m\b|in\b|kg|g\b|l\b)[A-Za-z]+\b"
            r"(?!\s*[xX×*]\s*\d))",
            text[end:],
        )
        if mid and not _is_dimension(text, start) and text[start - 1 : start].isspace():
            return LEADING, end + len(mid.group().rstrip())
        return None
    glued = re.match(r"[xX×]\s+(?!\d+(?:[.,]\d+)?\s*[xX×*]\s*\d)", text[end:])
    if glued:
        return STRONG, end + 1
    # "2 x 18V drills" or "1,500 x 40x30x30 boxes": what follows is a spec or a whole
    # dimension written without spaces, so the spaced "x" multiplies.
    # "2 x 5 litre degreaser": a size word after a space is a specification too.
    spaced = re.match(
        r"\s+[xX×]\s+(?=\d+(?:[.,]\d+)?(?:[A-Za-z]+\b|[xX×]\d|\s(?:litres?|liters?|ltrs?|l|ml)\b)"
        r"(?!\s*[xX×*]\s*\d))",
        text[end:],
        re.I,
    )
    if spaced:
        return LEADING, end + len(spaced.group().rstrip())
    # "20 x 1/2\" fittings", "10 x 1/2 BSP": a count times an inch size, never a dimension.
    inch = re.match(
        r"\s*[xX×]\s*(?=(?:\d+\s+)?\d+/\d+\s*(?:\"|”|''|-?\s*inch\b|in\b|bsp\b|npt\b))",
        text[end:],
        re.I,
    )
    if inch:
        return STRONG, end + len(inch.group().rstrip())
    return None


def _skip(text: str, start: int, found: list[Quantity]) -> bool:
    return (
        _depth(text, start) > 0
        or _glued_left(text, start)
        or any(q.start <= start < q.end for q in found)
    )


_LIMIT_AFTER = re.compile(r"\s*(?:minimum|min\b\.?|maximum|max\b\.?|moq\b|起订|最低)", re.I)
_MONTH_BEFORE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s*$|年\s*$", re.I
)


def _not_a_count(text: str, start: int, end: int, raw: str, lexicon: Lexicon) -> bool:
    """A bare number that is a time, a date, a year, a size or a bare numeral."""
    if _NOT_QUANTITY_AFTER.match(text, end) or _spec_follows(text, end, lexicon):
        return True
    if re.fullmatch(r"(?:19|20)\d\d", raw) and _MONTH_BEFORE.search(text, 0, start):
        return True  # "Monday 4 January 2027"
    return (
        raw.lower() in {"a", "an", "another"} or re.fullmatch(f"[{ZH_NUMERAL}]+", raw) is not None
    )


def _read_number(
    match: re.Match[str], text: str, unit_re: re.Pattern[str], lexicon: Lexicon
) -> Quantity | None:
    raw = match.group("num").strip()
    start = match.start("num")
    end = start + len(match.group("num").rstrip())
    value = parse_number(raw, lexicon)
    if not value:
        return None
    unit, written, unit_end = _unit_after(text, end, unit_re, lexicon)
    if written.lower() == "st" and unit_end - len(written) == end and raw.endswith("1"):
        return None  # "Friday 1st June": an ordinal day, not one piece (Swedish "1 st")
    if value < 1 and unit is None:
        return None  # "half a chance": a fraction counts only with its unit
    half = lexicon.numbers.get("zh_half")
    if unit is not None and half and text.startswith(half, unit_end) and value >= 1:
        value, unit_end = value + 0.5, unit_end + len(half)  # "一箱半": one case and a half
    # "300mm x 10 bags" counts bags; "12 x 100" alone is a size.
    if _is_dimension(text, start) and lexicon.unit_class(unit) in {"", "measure"}:
        return None
    if unit is None and REFERENCE_BEFORE.search(text, 0, start):
        return None  # "put it through on PO# 4563": a reference, not an amount
    if unit is None:
        multiplier = _multiplier(text, start, end)
        if multiplier is not None:
            return Quantity(value, None, start, multiplier[1], multiplier[0], "")
        if _not_a_count(text, start, end, raw, lexicon):
            return None
    if _LIMIT_AFTER.match(text, unit_end):
        return None  # "a 5 box minimum", "MOQ 100": a limit, not an amount ordered
    if _pack_of_measure(text, unit, unit_end, unit_re, lexicon):
        return None  # "your 15 kg spools", "100 m rolls": the size of one pack
    value, unit = single_items(value, unit, lexicon)
    return Quantity(value, unit, start, unit_end, _strength(text, start, end, unit), written)


def _pack_of_measure(
    text: str, unit: str | None, end: int, unit_re: re.Pattern[str], lexicon: Lexicon
) -> bool:
    """Whether a weight or length is followed by the pack it fills ("15 kg
    spools", "5 kg boxes"): it describes the pack, it is no amount."""
    if lexicon.unit_class(unit) != "measure":
        return False
    pack = unit_re.match(text, end)
    if pack is None or pack.group().lstrip().lower().startswith("of"):
        return False
    held = lexicon.units.get(pack.group("unit").lower().rstrip("."))
    return held is not None and lexicon.unit_class(held) not in {"count", "measure"}


def describes_pack(text: str, lexicon: Lexicon) -> bool:
    """Whether ``text`` names a pack by what it holds ("100 m reels", "15 kg spools")."""
    unit_re, number_re = _patterns(lexicon)
    for match in number_re.finditer(text):
        unit, _, end = _unit_after(text, match.end("num"), unit_re, lexicon)
        if _pack_of_measure(text, unit, end, unit_re, lexicon):
            return True
    return False


def single_items(value: float, unit: str | None, lexicon: Lexicon) -> tuple[float, str | None]:
    """ "两打", "2 doz": a unit that is a multiple of single items is that many each."""
    multiple = lexicon.unit_multiples.get(unit or "")
    return (value * multiple, "each") if multiple else (value, unit)


def find_quantities(text: str, lexicon: Lexicon) -> list[Quantity]:
    """Every plausible quantity in ``text``, strongest first."""
    unit_re, number_re = _patterns(lexicon)
    times = _count_times(text, lexicon)
    if times is not None and _depth(text, times.start) > 0:
        times = replace(times, strength=1.0)  # "300m (3 x 100m rolls)": restated in brackets
    found = [q for q in [times] if q]
    # "@ $11.00 each" is a price, not 11 each; "25只一卷", "six rolls to a case"
    # is what a pack holds, no count
    skipped = [*price_spans(text, lexicon), *(m.span() for m in pack_ratios(text, lexicon))]
    for match in number_re.finditer(text):
        start = match.start("num")
        if _skip(text, start, found) or any(s <= start < e for s, e in skipped):
            continue
        quantity = _read_number(match, text, unit_re, lexicon)
        if quantity is not None:
            found.append(quantity)
    return sorted(found, key=lambda q: (-q.strength, q.start))


_RATIO_HINT = re.compile(r"[一每/]|\s(?:to|in|per)\s", re.I)


def pack_ratios(text: str, lexicon: Lexicon) -> list[re.Match[str]]:
    """ "6卷一件", "25只一卷", "six rolls to a case": how many of one thing another holds."""
    if not _RATIO_HINT.search(text):
        return []  # the common case, found cheaply: this runs for every clause
    return list(re.finditer(lexicon.lines["pack_ratio"], text, re.I))


def pack_unit(text: str, lexicon: Lexicon) -> str | None:
    """The unit a stated pack size is of ("(25 per carton)" -> case), when the
    customer names it."""
    match = re.search(lexicon.lines["pack_per"], text, re.I)
    unit = match.groupdict().get("unit") if match else None
    return lexicon.units.get(unit.lower()) if unit else None


def pack_size(text: str, lexicon: Lexicon) -> int | None:
    """Items per case or box when the customer states it: "(36/cs)", "每箱25支", "cases of 6"."""
    match = re.search(lexicon.lines["pack_per"], text, re.I)
    if not match:
        return None
    # Each way of writing a pack names its count group "…n" ("n", "zn", "xn", …).
    counts = [g for name, g in match.groupdict().items() if g and name.endswith("n")]
    return int(counts[0]) if counts else None


def _ratio_parts(ratio: re.Match[str]) -> tuple[str, str, str]:
    """The outer pack, the inner unit and how many, whichever way it was written:
    "6卷一件", "一件36卷" (outer first), "six rolls to a case"."""
    groups = ratio.groupdict()
    for outer, inner, count in (
        ("zouter", "zinner", "zn"),
        ("zouter2", "zinner2", "zn2"),
        ("outer", "inner", "n"),
    ):
        if groups.get(outer):
            return groups[outer].lower(), groups[inner].lower(), groups[count]
    raise ValueError(f"not a pack ratio: {ratio.group()!r}")


def named_pack(
    quantity: Quantity, text: str, product: Product, lexicon: Lexicon
) -> tuple[Quantity, int | None]:
    """ "缠绕膜2件（6卷一件）", "3 cases (six rolls to a case)": the clause says how
    many of what the product is sold in the written unit holds; the count is of
    packs of that many, even where the word alone would count pieces (件).
    "工业擦拭纸 500张/卷 6卷" is six rolls: sheets are not what wipes are sold in."""
    written = quantity.unit_text.lower()
    if not written:
        return quantity, None
    sales = lexicon.units.get(product.unit.lower(), product.unit.lower())
    for ratio in pack_ratios(text, lexicon):
        outer, inner_word, count = _ratio_parts(ratio)
        inner = lexicon.units.get(inner_word)
        number = parse_number(count, lexicon)
        same = outer in {written, written.rstrip("s")} or lexicon.units.get(outer) == quantity.unit
        if inner == sales and same and number and number == int(number) and number > 1:
            if lexicon.unit_class(quantity.unit) not in {"case_like", "box_like"}:
                quantity = replace(quantity, unit="case")
            return quantity, int(number)
    return quantity, None


PACK_WORDS = re.compile(r"/|每|per|\beach\s*$", re.I)


def _few_words_besides(text: str, quantity: Quantity) -> bool:
    """Whether ``text`` says little beside its amount ("so 5 boxes", "75 kg in total")."""
    rest = text[: quantity.start] + " " + text[quantity.end :]
    return len(re.findall(r"[A-Za-z]+", rest)) <= 3


def bracketed_amounts(text: str, lexicon: Lexicon) -> list[tuple[re.Match[str], Quantity]]:
    """Brackets holding one amount with its unit ("(10 rolls)", "(60 kg)",
    "（12个）"), not a pack ("(36/cs)", "（每箱25支）"): each with its amount."""
    out = []
    for inner in re.finditer(r"[(（]([^()（）]*)[)）]", text):
        found = find_quantities(inner.group(1), lexicon)
        # "(36/cs)", "（每箱25支）", "(12 pcs each)": what one pack holds, no total;
        # "(we go through a box a shift)": a remark with an amount in it, no total
        if (
            len(found) == 1
            and found[0].unit
            and not PACK_WORDS.search(inner.group(1))
            and _few_words_besides(inner.group(1), found[0])
        ):
            out.append((inner, found[0]))
    return out


def stated_total(text: str, lexicon: Lexicon) -> Quantity | None:
    """A total in brackets in the sales unit: "(10 rolls)", "（12个）", "(24 cans)"."""
    found = bracketed_amounts(text, lexicon)
    return found[0][1] if found else None


@dataclass(frozen=True)
class Converted:
    quantity: int | None
    confidence: float


def _whole(value: float, confidence: float) -> Converted:
    if abs(value - round(value)) < 1e-9:
        return Converted(round(value), confidence)
    return Converted(math.ceil(value), confidence * 0.5)


def is_product_noun(written: str, product: Product) -> bool:
    """ "300 boxes" of a product that *is* a box counts products, not packs."""
    word = written.lower().rstrip("s.")
    if not word.isascii() or len(word) < 3:
        return False
    names = " ".join([product.name, *product.aliases]).lower()
    return re.search(rf"\b{re.escape(word)}", names) is not None


def _inner_unit_words(product: Product) -> set[str]:
    """The words for the items inside one sales unit, as the catalog's own names
    state them: "（5包/箱）" -> 包, "(box of 200 pairs)" -> pairs, "(5 reams)" -> reams."""
    names = " ".join([product.name, product.name_zh]).lower()
    found = set(re.findall(r"\d+\s*([\u4e00-\u9fff])\s*/", names))
    found |= set(re.findall(r"\(\s*(?:[a-z]+\s+of\s+)?\d+\s+([a-z]+)\s*\)", names))
    return found


def _counts_inner_items(written: str, product: Product, lexicon: Lexicon) -> bool:
    """Whether the customer counted the items inside a sales unit ("40 packs" of
    paper sold in cases of 5 packs), by the unit word or its synonyms."""
    word = written.lower().rstrip(".")
    if product.items_per_unit <= 1 or not word:
        return False
    canonical = lexicon.units.get(word, word)
    return any(lexicon.units.get(w, w) == canonical for w in _inner_unit_words(product))


def _implicit(value: float, product: Product) -> Converted:
    per = product.items_per_unit
    if per > 1 and value >= per and value % per == 0:
        return Converted(int(value // per), 0.7)
    return _whole(value, 0.8)


def _from_container(
    value: float, unit: str, product: Product, lexicon: Lexicon, pack: int | None
) -> Converted:
    sales = lexicon.units.get(product.unit.lower(), product.unit.lower())
    if lexicon.unit_class(sales) in {"case_like", "box_like"}:
        if pack and unit == "pack" and unit != sales and product.items_per_unit > 1:
            # "3 bags of 50 anchors" sold in boxes of 25: 150 anchors, 6 boxes.
            return _whole(value * pack / product.items_per_unit, 0.8)
        return _whole(value, 0.9 if unit == sales else 0.8)
    per = pack or product.units_per_case
    return _whole(value * per, 0.9) if per else _whole(value, 0.4)


def to_sales_units(
    quantity: Quantity,
    product: Product,
    lexicon: Lexicon,
    *,
    pack: int | None = None,
    total: Quantity | None = None,
    packed_in_unit: bool = False,
) -> Converted:
    """The quantity in the catalog's sales unit, with a confidence;
    ``packed_in_unit`` when the customer says what the written unit holds
    ("20 cartons (25 per carton)" of boxes: the cartons are packs)."""
    sales = lexicon.units.get(product.unit.lower(), product.unit.lower())
    base = lexicon.units.get(product.base_unit.lower(), product.base_unit.lower())
    unit = quantity.unit
    # "300 boxes" of a box counts boxes; "30 spools" of a wire sold by the spool
    # counts spools, though its name says "15 kg spool".
    if (
        unit
        and unit != sales
        and quantity.unit_text
        and is_product_noun(quantity.unit_text, product)
        and not packed_in_unit
    ):
        unit = None
    # "1 pallet (36 rolls)", "2 cases (24 cans)": the total in brackets says how
    # many were meant; "2 x boxes ear plugs (200 pr)" describes what one box holds.
    totals = {sales, base} | ({"each"} if sales == "each" else set())
    if total is not None and unit != sales and total.unit in totals:
        per = 1 if total.unit == sales else product.items_per_unit
        # "2 cartons (25 ea)" of tubes packed 25 to a carton: what one carton holds.
        holds = (
            lexicon.unit_class(unit) == "case_like"
            and quantity.value > 1
            and total.value == product.units_per_case
        )
        if (per == 1 or total.value != per) and not holds:
            return _whole(total.value / per, 0.9)
    if unit is None:
        return _implicit(quantity.value, product)
    if unit == "each" and base != "each" and quantity.value * 10 < product.items_per_unit:
        # "6 st" of wipes sold by the roll of 500 sheets: nobody orders six
        # sheets; the pieces are the rolls
        return _whole(quantity.value, 0.7)
    if _counts_inner_items(quantity.unit_text, product, lexicon):
        return _whole(quantity.value / product.items_per_unit, 0.85)
    if unit == sales:
        return _whole(quantity.value, 1.0)
    if lexicon.unit_class(unit) in {"case_like", "box_like"}:
        return _from_container(quantity.value, unit, product, lexicon, pack)
    if unit == base or lexicon.unit_class(unit) == lexicon.unit_class(base) == "count":
        return _whole(quantity.value / product.items_per_unit, 0.9)
    if unit in ITEM_WORDS and lexicon.unit_class(base) == "count":
        # "膨胀螺栓 300套", "护目镜 一百二十副": a set or pair of a product sold
        # otherwise is one item of it.
        return _whole(quantity.value / product.items_per_unit, 0.8)
    return _whole(quantity.value, 0.4)


def in_sales_units(
    quantity: Quantity,
    text: str,
    product: Product,
    lexicon: Lexicon,
    *,
    total: Quantity | None = None,
    pack_texts: Sequence[str] = (),
) -> tuple[Quantity, Converted]:
    """What the customer wrote, as ``text`` qualifies it ("2 rolls of 50 m",
    "2件（6卷一件）", "(36/cs)"; a pack size from the first of ``pack_texts`` that
    states one, else from ``text``), and that amount in the catalog's sales
    unit: the one conversion for prose lines and table rows."""
    quantity = measured_containers(quantity, text, product, lexicon)
    quantity, pack = named_pack(quantity, text, product, lexicon)
    for other in pack_texts if pack is None else ():
        # "缠绕膜 | 4 | 件 | 6卷/件": a remarks cell may name the unit's pack.
        quantity, pack = named_pack(quantity, other, product, lexicon)
        if pack is not None:
            break
    sales = lexicon.units.get(product.unit.lower(), product.unit.lower())
    if pack is not None and quantity.unit != sales and total is None:
        # "螺栓 3箱（每箱10盒）" sold by the box: the customer says what a case holds.
        return quantity, _whole(quantity.value * pack, 0.85)
    stated = (pack_size(t, lexicon) for t in (pack_texts or (text,)))
    pack = pack or next((p for p in stated if p), None)
    packed_in_unit = pack is not None and pack_unit(text, lexicon) == quantity.unit
    return quantity, to_sales_units(
        quantity, product, lexicon, pack=pack, total=total, packed_in_unit=packed_in_unit
    )


_MEASURE_PER = re.compile(
    r"(?:(?:rolls?|reels?|coils?|drums?|spools?|cans?|bags?|sacks?|lengths?|卷|盘|桶|袋)"
    r"\s*(?:of|@|x|à|á|每)?"
    r"|(?:each|per)\s+(?:roll|reel|coil|length|hose)|每\s*(?:根|条|卷|盘|桶|袋|捆))\s*"
    r"(?P<n>\d+(?:[.,]\d+)?)\s*(?P<u>m|metres?|meters?|米|kg|kgs|公斤|l|litres?|liters?|升)\b",
    re.IGNORECASE,
)


def measured_containers(
    quantity: Quantity, text: str, product: Product, lexicon: Lexicon
) -> Quantity:
    """ "2 rolls of 50 m" of a hose sold by the metre is 100 m: containers that
    state their measure, for a product sold by that measure."""
    match = _MEASURE_PER.search(text)
    if match is None or quantity.unit in {"m", "kg", "l"}:
        return quantity
    measure = lexicon.units.get(match.group("u").lower())
    if measure is None or lexicon.units.get(product.unit.lower(), product.unit.lower()) != measure:
        return quantity
    per = float(match.group("n").replace(",", "."))
    return replace(quantity, value=quantity.value * per, unit=measure, unit_text=match.group("u"))


def edit_target(text: str, lexicon: Lexicon, *, loose: bool) -> Quantity | None:
    """The amount an edit sets: "(5 in total)", "12 boxes instead of 10", "改为800米",
    else the strongest amount written; with ``loose`` ("make that 3", after an
    edit verb), the last bare number."""
    total = re.search(lexicon.lines["total"], text, re.I)
    if total:
        groups = total.groupdict()
        value = next(v for k, v in groups.items() if v and k not in {"su", "zu"})
        # "so 70 m in total", "一共3箱": the unit written with the total, when it is one
        unit = lexicon.units.get((groups.get("su") or groups.get("zu") or "").lower())
        return Quantity(float(value), unit, total.start(), total.end(), STRONG, "total")
    for pattern in lexicon.lines["target_number"]:
        match = re.search(pattern, text, re.I)
        value = parse_number(match.group("n"), lexicon) if match else None
        if match and value:
            value, unit = single_items(value, lexicon.units.get(match.group("u").lower()), lexicon)
            return Quantity(value, unit, match.start(), match.end(), STRONG, match.group("u"))
    found = find_quantities(text, lexicon)
    # "only 1,500 of the 40x30x30 boxes this time instead of 2,000": the amount
    # before "instead of" is the new one, the one after it the old.
    replaced = re.search(r"\b(?:instead of|rather than|not)\b(?=\s*[\d,]+\b)", text, re.I)
    if replaced:
        before = sorted((q for q in found if q.end <= replaced.start()), key=lambda q: q.start)
        if before:
            return before[0]
    strong = [q for q in found if q.strength >= 1.0]
    if strong:
        return strong[0]
    return found[-1] if loose and found else None
