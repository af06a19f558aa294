"""Splitting a body into clauses, keeping character offsets for evidence.

Wrapped prose lines are joined; short list lines stay alone; each unit is
split at commas, semicolons and "and"/"plus" (but not inside "one hundred and
fifty" or "3,000")."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from mailflow.extract.lexicon import Lexicon

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


def _wraps(line: str, text: str, following: tuple[int, int], bullet: re.Pattern[str]) -> bool:
    nxt = text[following[0] : following[1]]
    if not nxt.strip() or bullet.match(nxt) or line.rstrip().endswith((":", "：")):
        return False
    return len(line.strip()) >= WRAP_WIDTH and not re.search(r"\s{3,}\S", line.strip())


def _number_word(word: str, lexicon: Lexicon) -> bool:
    numbers = lexicon.numbers
    return word.lower() in numbers["en_units"] or word.lower() in numbers["en_multipliers"]


def _split_points(text: str, lexicon: Lexicon) -> list[tuple[int, int]]:
    points = []
    for match in re.finditer(lexicon.lines["clause_split"], text, re.I):
        before = re.findall(r"[A-Za-z]+", text[: match.start()])
        after = re.findall(r"[A-Za-z]+", text[match.end() :])
        numbers_around = bool(before and after) and all(
            _number_word(w, lexicon) for w in (before[-1], after[0])
        )
        if "and" in match.group().lower() and numbers_around:
            continue
        points.append(match.span())
    return points


def _all_pieces_numbered(chunk: str, cuts: list[tuple[int, int]]) -> bool:
    """A list line is split only when several pieces carry their own number
    ("纸箱 二百个，胶带 72卷"), not at "Nitrile gloves, large  40"."""
    bounds = [0, *(p for cut in cuts for p in cut), len(chunk)]
    pieces = [chunk[bounds[i] : bounds[i + 1]] for i in range(0, len(bounds), 2)]
    numbered = [p for p in pieces if re.search(r"\d|[一二两三四五六七八九十百千万]", p)]
    return len(numbered) >= 2


def clauses(
    text: str, lexicon: Lexicon, *, offset: int = 0, split_dashes: bool = False
) -> list[Clause]:
    """The clauses of ``text``; offsets are relative to ``text`` plus ``offset``.
    ``split_dashes`` also cuts at " - ", which in edits separates sentences."""
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
        if listy and not _all_pieces_numbered(chunk, cuts):
            cuts = []
        for cut_start, cut_end in [*cuts, (len(chunk), len(chunk))]:
            piece = chunk[pos:cut_start]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                s = offset + start + pos + lead
                out.append(Clause(piece.strip(), s, s + len(piece.strip()), number, listy))
            pos = cut_end
    return out
