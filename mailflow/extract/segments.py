"""Splitting a body into clauses, keeping character offsets for evidence.

Wrapped prose lines are joined; short list lines stay alone; each unit is
split at commas, semicolons and "and"/"plus" (but not inside "one hundred and
fifty" or "3,000")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from mailflow.extract.lexicon import Lexicon
from mailflow.extract.quantities import describes_pack, find_quantities

WRAP_WIDTH = 55


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    end: int
    unit: int  # index of the line (or joined prose lines) it came from
    listy: bool  # from a short line of its own (a list or table-like line)


# A line of at least this many words that ends in an amount is prose cut short.
PROSE_WORDS = 8


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def units(text: str, lexicon: Lexicon) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_list_line) for each line or run of wrapped prose lines."""
    bullet = re.compile(lexicon.lines["bullet"])
    spans = _lines(text)
    i = 0
    while i < len(spans):
        start, end = spans[i]
        joined = False
        while i + 1 < len(spans) and _wraps(
            text[spans[i][0] : spans[i][1]], text, spans[i + 1], bullet, lexicon
        ):
            i, joined = i + 1, True
            end = spans[i][1]
        yield start, end, not joined and end - start <= 80
        i += 1


def unwrapped(text: str, lexicon: Lexicon) -> str:
    """``text`` with each run of hard-wrapped prose lines joined by spaces
    ("… and add\\n6 of the tape measures"), offsets unchanged; list lines stay."""
    if "\n" not in text:
        return text
    chars = list(text)
    for start, end, _ in units(text, lexicon):
        for at in range(start, end):
            if chars[at] == "\n":
                chars[at] = " "
    return "".join(chars)


def _width(line: str) -> int:
    """Display width: a Chinese character takes two columns, so Chinese prose
    wraps after about half as many characters."""
    return len(line) + len(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", line))


# "4 jugs degreaser", "a case of WD40": a list line that opens with its amount.
COUNT_FIRST = re.compile(
    r"\s*(?:\d[\d,.]*\s*(?:x\s*)?[A-Za-z\u4e00-\u9fff]|an?\s+[A-Za-z]+\s+of\s)", re.I
)
LIST_SHAPED = re.compile(r"\s*[^\s.!?][^.!?\n]{0,50}?\s[-–—]\s+\S")


def _wraps(
    line: str, text: str, following: tuple[int, int], bullet: re.Pattern[str], lexicon: Lexicon
) -> bool:
    nxt = text[following[0] : following[1]]
    if not nxt.strip() or bullet.match(nxt) or line.rstrip().endswith((":", "：")):
        return False
    # Chinese mail is not hard-wrapped: after a line ending in Chinese, a line
    # with a product and an amount of its own ("封箱胶带 十箱") starts afresh.
    if re.search(r"[\u4e00-\u9fff]$", line.rstrip()) and _kind(nxt, lexicon) == "line":
        return False
    # "Small boxes 40x30x30 - same quantity as the large" over "Pallet wrap - 2
    # cases": list lines of "name - amount", however long, each stand alone.
    if LIST_SHAPED.match(line) and LIST_SHAPED.match(nxt) and _kind(nxt, lexicon) == "line":
        return False
    # "2 boxes medium nitrile gloves - we go through them fast, make it 10 boxes" over
    # "4 jugs degreaser": list lines that open with their count, however long.
    if COUNT_FIRST.match(line) and COUNT_FIRST.match(nxt) and _kind(nxt, lexicon) == "line":
        return False
    # "… out tmrw. Also 10" / "latex gloves L": prose cut after an amount.
    cut_after_amount = (
        len(line.split()) >= PROSE_WORDS
        and re.search(r"[A-Za-z,.]\s+\d+$", line.rstrip()) is not None
        and re.match(r"[a-z]", nxt.lstrip()) is not None
    )
    return cut_after_amount or (
        _width(line.strip()) >= WRAP_WIDTH and not re.search(r"\s{3,}\S", line.strip())
    )


def _number_word(word: str, lexicon: Lexicon) -> bool:
    numbers = lexicon.numbers
    return word.lower() in numbers["en_units"] or word.lower() in numbers["en_multipliers"]


# "60x40x40", "40×30": dimensions name a product as its words do.
DIMENSIONS = re.compile(r"\d\s*[xX×*]\s*\d+\s*[xX×*]\s*\d|\d{2,}\s*[xX×*]\s*\d{2,}")


def _bracket_depth(text: str, index: int) -> int:
    opened = len(re.findall(r"[(（]", text[:index]))
    return opened - len(re.findall(r"[)）]", text[:index]))


def _split_points(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    points = []
    for match in re.finditer(lexicon.lines["clause_split"], text, re.I):
        # "垃圾袋（120L，25只/卷）": a comma inside brackets qualifies, it does not list.
        if _bracket_depth(text, match.start()) > 0:
            continue
        before = re.findall(r"[A-Za-z]+", text[: match.start()])
        after = re.findall(r"[A-Za-z]+", text[match.end() :])
        numbers_around = bool(before and after) and all(
            _number_word(w, lexicon) for w in (before[-1], after[0])
        )
        if "and" in match.group().lower() and numbers_around:
            continue
        points.append(match.span())
    return points


@lru_cache(maxsize=8)
def _size_pattern(size_words: tuple[str, ...]) -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in sorted(size_words, key=len, reverse=True))
    return re.compile(
        rf"(?<![A-Za-z])(?:size\s+)?(?:{words})(?![A-Za-z])\s*码?|(?<![A-Za-z])[A-Za-z]{{1,3}}\s*码",
        re.I,
    )


def without_sizes(text: str, lexicon: Lexicon) -> tuple[str, bool]:
    """``text`` less its size words ("large", "size M", "L码"), and whether it had any."""
    stripped = _size_pattern(tuple(lexicon.size_words)).sub(" ", text)
    return stripped, stripped != text


def _filler_run(word: str, lexicon: Lexicon) -> bool:
    """A Chinese run that is only filler around one character ("先来", "再要"):
    "先来四盒" is an amount, not a product and an amount."""
    if word.isascii():
        return False
    rest = [c for c in word if c not in lexicon.elliptic_fillers]
    return len(rest) < 2


def _kind(piece: str, lexicon: Lexicon) -> str:
    """What a piece between commas holds: "line" (an amount and a product,
    "2x 1.5mm2 wire"), "sized" (an amount and only a size, "L码 十盒", "large 40"),
    "amount" ("十二卷", "100 m reels"), "product" ("缠绕膜 500mm×300m") or "none"."""
    found = find_quantities(piece, lexicon)
    if found and re.match(r"\s*(?:每|each\b|per\b)", piece, re.I):
        return "amount"  # "两根，每根15米": what each one holds belongs to the line
    rest = piece
    for quantity in found:
        rest = rest[: quantity.start] + " " * (quantity.end - quantity.start) + rest[quantity.end :]
    rest, sized = without_sizes(rest, lexicon)
    named = _names_product(rest, counted=bool(found), lexicon=lexicon)
    if not found and describes_pack(piece, lexicon):
        return "amount"  # "100 m reels": a note on the line's pack
    if not found:
        # "60长的" or "φ3.2" alone is a specification of the product around it.
        return "product" if named or sized or re.search(r"\d", rest) else "none"
    return "line" if named else "sized" if sized else "amount"


def _names_product(rest: str, *, counted: bool, lexicon: Lexicon) -> bool:
    """Whether a piece, less its amounts and sizes, still names a product: a
    word that is no unit, stopword or filler; "A4" or "M8" ("1 case A4");
    dimensions ("60x40x40的500个"); or what a counted container holds, though
    it is a unit word ("a case of the 18w tubes")."""
    if DIMENSIONS.search(rest):
        return True
    if counted and re.search(r"\bof\s+(?:the\s+)?\S*[A-Za-z]{3,}", rest):
        return True
    words = re.findall(r"[A-Za-z]{2,}|\b[A-Za-z]\d+[A-Za-z\d]*\b|[\u4e00-\u9fff]+", rest)
    return any(
        w.lower() not in lexicon.units
        and w.lower() not in lexicon.stopwords
        and not _filler_run(w, lexicon)
        for w in words
    )


def _joined(kinds: list[str], i: int) -> bool:
    """Whether pieces ``i`` and ``i + 1`` are one order line: a product (in one or
    more pieces: "Gloves: nitrile, size M, 50 boxes") and its amount, or a line
    and a note on its pack ("2x 1.5mm2 wire, 100 m reels"). A line then a size
    with its own amount ("乳胶手套M码 六盒、L码 四盒") is two lines."""
    if (kinds[i], kinds[i + 1]) == ("line", "amount"):
        return True
    if kinds[i] != "product":
        return False
    following = next((k for k in kinds[i + 1 :] if k != "product"), "none")
    return following in {"amount", "sized"}


def _kept_cuts(chunk: str, cuts: list[tuple[int, int]], lexicon: Lexicon) -> list[tuple[int, int]]:
    """The cuts that separate clauses; sentence stops always do."""
    bounds = [0, *(p for cut in cuts for p in cut), len(chunk)]
    kinds = [_kind(chunk[bounds[i] : bounds[i + 1]], lexicon) for i in range(0, len(bounds), 2)]
    return [
        cut
        for i, cut in enumerate(cuts)
        if chunk[cut[0] : cut[1]].strip() in {"。", ";", "；", "?", "？", "!", "！"}
        or not _joined(kinds, i)
    ]


def _counted(marker: re.Match[str]) -> bool:
    """ "(4) 18V cordless drills": a bracketed number may be the count, not the
    line's number; it stays for the line reader, which prefers an amount written."""
    return re.match(r"\s*\(\d+\)\s", marker.group()) is not None


def clauses(
    text: str, lexicon: Lexicon, *, offset: int = 0, split_dashes: bool = False
) -> list[Clause]:
    """The clauses of ``text``; offsets are relative to ``text`` plus ``offset``.
    ``split_dashes`` reads edits: it also cuts at " - ", which there separates
    sentences, and cuts short lines too, where each clause is its own edit."""
    bullet = re.compile(lexicon.lines["bullet"])
    out: list[Clause] = []
    for number, (start, end, listy) in enumerate(units(text, lexicon)):
        chunk = text[start:end]
        marker = bullet.match(chunk)
        if marker and not re.match(r"\s*\d+\s*[xX×]", chunk) and not _counted(marker):
            start, chunk = start + marker.end(), chunk[marker.end() :]
        pos = 0
        cuts = _split_points(chunk, lexicon)
        if split_dashes:
            # In an edit, "gloves: increase to 50" names its product before the colon.
            cuts = [c for c in cuts if chunk[c[0] : c[1]].strip() not in {":", "："}]
            cuts = sorted([*cuts, *(m.span() for m in re.finditer(r"\s[-–—]\s", chunk))])
        if not split_dashes:
            cuts = _kept_cuts(chunk, cuts, lexicon)
        for cut_start, cut_end in [*cuts, (len(chunk), len(chunk))]:
            piece = chunk[pos:cut_start]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                s = offset + start + pos + lead
                out.append(Clause(piece.strip(), s, s + len(piece.strip()), number, listy))
            pos = cut_end
    return out


def mask_header_blocks(text: str, lexicon: Lexicon) -> str:
    """Blank runs of two or more header lines ("From: …" / "Date: …") left in
    the new text by a forwarded message: their dates and times are not the
    order's. Blanking keeps every other character offset."""
    header = lexicon.reply_pattern("header_line")
    lines = text.split("\n")
    flags = [bool(header.match(line)) for line in lines]
    out = []
    for i, line in enumerate(lines):
        in_block = flags[i] and ((i > 0 and flags[i - 1]) or (i + 1 < len(lines) and flags[i + 1]))
        out.append(" " * len(line) if in_block else line)
    return "\n".join(out)
