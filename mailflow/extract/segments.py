"""Splitting a body into clauses, keeping character offsets for evidence.

Wrapped prose lines are joined; short list lines stay alone; each unit is
split at commas, semicolons and "and"/"plus" (but not inside "one hundred and
fifty" or "3,000")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mailflow.extract.lexicon import Lexicon
from mailflow.extract.quantities import find_quantities

WRAP_WIDTH = 55


@dataclass(frozen=True)
class Clause:
    text: str
    start: int
    end: int
    unit: int  # index of the line (or joined prose lines) it came from
    listy: bool  # from a short line of its own (a list or table-like line)


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
            text[spans[i][0] : spans[i][1]], text, spans[i + 1], bullet
        ):
            i, joined = i + 1, True
            end = spans[i][1]
        yield start, end, not joined and end - start <= 80
        i += 1


def _width(line: str) -> int:
    """Display width: a Chinese character takes two columns, so Chinese prose
    wraps after about half as many characters."""
    return len(line) + len(re.findall(r"[\u3000-\u9fff\uff00-\uffef]", line))


def _wraps(line: str, text: str, following: tuple[int, int], bullet: re.Pattern[str]) -> bool:
    nxt = text[following[0] : following[1]]
    if not nxt.strip() or bullet.match(nxt) or line.rstrip().endswith((":", "：")):
        return False
    return _width(line.strip()) >= WRAP_WIDTH and not re.search(r"\s{3,}\S", line.strip())


def _number_word(word: str, lexicon: Lexicon) -> bool:
    numbers = lexicon.numbers
    return word.lower() in numbers["en_units"] or word.lower() in numbers["en_multipliers"]


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


def _names_a_line(piece: str, lexicon: Lexicon) -> bool:
    """Whether a piece reads as an order line of its own: a quantity plus some
    product wording ("L码 十盒"), not just a quantity ("十二卷", "100 m rolls")."""
    found = [q for q in find_quantities(piece, lexicon) if q.strength >= 1.0]
    if not found:
        return False
    rest = piece
    for quantity in found:
        rest = rest[: quantity.start] + " " * (quantity.end - quantity.start) + rest[quantity.end :]
    words = re.findall(r"[A-Za-z]{2,}|[\u4e00-\u9fff]+", rest)
    return any(
        w.lower() not in lexicon.units and w.lower() not in lexicon.stopwords for w in words
    )


def _several_lines(chunk: str, cuts: list[tuple[int, int]], lexicon: Lexicon) -> bool:
    """A list line is split only when several pieces are lines of their own
    ("纸箱 二百个，胶带 72卷"), not at "Nitrile gloves, large  40" or
    "缠绕膜 500mm×300m，十二卷"."""
    bounds = [0, *(p for cut in cuts for p in cut), len(chunk)]
    pieces = [chunk[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]
    return sum(_names_a_line(p, lexicon) for p in pieces) >= 2


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
        if marker and not re.match(r"\s*\d+\s*[xX×]", chunk):
            start, chunk = start + marker.end(), chunk[marker.end() :]
        pos = 0
        cuts = _split_points(chunk, lexicon)
        if split_dashes:
            cuts = sorted([*cuts, *(m.span() for m in re.finditer(r"\s[-–—]\s", chunk))])
        if listy and not split_dashes and not _several_lines(chunk, cuts, lexicon):
            # Sentence stops still end a clause; only list commas are kept together.
            cuts = [c for c in cuts if chunk[c[0] : c[1]].strip() in {"。", ";", "；"}]
        for cut_start, cut_end in [*cuts, (len(chunk), len(chunk))]:
            piece = chunk[pos:cut_start]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                s = offset + start + pos + lead
                out.append(Clause(piece.strip(), s, s + len(piece.strip()), number, listy))
            pos = cut_end
    return out
