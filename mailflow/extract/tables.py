"""Line items laid out as tables: plain-text columns, HTML tables and CSV
attachments. A header row ("Item/SKU/Description/Qty/Unit", "品名/规格/数量/单位")
says which column is which."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from mailflow.extract.lines import LineContext
from mailflow.extract.numbers import ZH_NUMERAL, parse_number
from mailflow.extract.quantities import Quantity, find_quantities, in_sales_units, single_items
from mailflow.extract.types import Evidence, ExtractedLine

CELL_SPLIT = re.compile(r"\t|\s{2,}|\s*\|\s*")
NUMBER = re.compile(rf"\d|[{ZH_NUMERAL}]")
RULE = re.compile(r"^[\s|:+=_-]*-{3,}[\s|:+=_-]*$")


@dataclass(frozen=True)
class Table:
    rows: list[list[str]]  # first row is the header
    source: str
    spans: list[tuple[int, int]]  # body offsets of each row (text tables only)


_ROLE_ORDER = ("customer_code", "quantity", "unit", "description", "spec", "sku", "note")


def _names(key: str, words: Sequence[str]) -> bool:
    """A header names a role when it is one of its words, has it as a word, or
    (for longer or Chinese words) contains it: "Supplier SKU", "LFM Part#",
    "Qty.", "物料名称"."""
    return any(
        w == key or w in key.split() or ((len(w) > 3 or not w.isascii()) and w in key)
        for w in words
    )


def _roles(header: Sequence[str], ctx: LineContext) -> dict[int, str]:
    roles: dict[int, str] = {}
    table: dict[str, list[str]] = ctx.lexicon.lines["header_roles"]
    for col, name in enumerate(header):
        # "Qty(PCS)", "数量（个）": the unit in brackets is no part of the name.
        key = re.sub(r"[(（\[].*?[)）\]]", " ", name).strip().lower().rstrip(":")
        key = re.sub(r"[_.]+", " ", key).strip()  # "ORDER_QTY", "ITEM.DESC" from an ERP export
        for role in _ROLE_ORDER:
            if key and _names(key, table[role]) and role not in roles.values():
                roles[col] = role
                break
    return roles


def is_header(cells: Sequence[str], ctx: LineContext) -> bool:
    """At least two header words, one of them a quantity column; not a form
    row that gives each label its value ("品名：A4复印纸  数量：40  单位：包")."""
    if sum(1 for cell in cells if re.search(r"[:：]\s*\S", cell)) >= 2:
        return False
    roles = _roles(cells, ctx)
    return len(roles) >= 2 and "quantity" in roles.values()


def _cell(row: Sequence[str], roles: dict[int, str], role: str) -> str:
    return next((row[c] for c, r in roles.items() if r == role and c < len(row)), "")


def _written_unit(unit_cell: str, description: str, ctx: LineContext) -> tuple[str | None, str]:
    for text in (unit_cell, description):
        # A whole word: "M8 nuts" opens with no "m" (metres).
        match = re.match(r"\s*([A-Za-z]+\.?(?![A-Za-z0-9])|[\u4e00-\u9fff])", text)
        word = match.group(1).lower() if match else ""
        for form in (word, word.rstrip(".")):  # "kart." is a kartong
            if form and form in ctx.lexicon.units:
                return ctx.lexicon.units[form], match.group(1) if match else form
    return None, ""


def _sku(
    row: Sequence[str], roles: dict[int, str], ctx: LineContext
) -> tuple[str | None, float, list[str]]:
    named = sorted(roles, key=lambda c: roles[c] not in {"sku", "customer_code"})
    # A column whose header we do not know ("Artikel", "Varenr") may hold the code.
    unnamed = [c for c in range(len(row)) if c not in roles]
    for col in [*named, *unnamed]:
        hits = ctx.index.find_codes(row[col]) if col < len(row) else []
        if hits:
            return hits[0].key, 1.0, []
    match = ctx.index.match(_product_text(row, roles))
    return match.key, match.score, list(match.candidates)


def _product_text(row: Sequence[str], roles: dict[int, str]) -> str:
    """Description and specification cells; without a description column (a
    header "Item | Qty | UoM"), the other text cells describe the product."""
    text = " ".join(_cell(row, roles, r) for r in ("description", "spec"))
    if "description" in roles.values():
        return text
    others = [
        cell
        for col, cell in enumerate(row)
        if roles.get(col) not in {"quantity", "unit", "description", "spec"}
    ]
    return " ".join([*others, text])


def _written_quantity(
    qty_text: str, unit_cell: str, description: str, ctx: LineContext
) -> Quantity | None:
    """The quantity cell as a ``Quantity``: a plain number ("40", "五十") takes its
    unit from the unit column; "30顶" or "4 boxes" carry their own."""
    value = parse_number(qty_text, ctx.lexicon) if qty_text.strip() else None
    if value:
        unit, written = _written_unit(unit_cell, description, ctx)
        value, unit = single_items(value, unit, ctx.lexicon)  # "2 | doz"
        return Quantity(value, unit, 0, 0, 3.0, written)
    found = [q for q in find_quantities(qty_text, ctx.lexicon) if q.strength >= 1.0]
    return found[0] if found else None


def _header_unit(header: Sequence[str], roles: dict[int, str]) -> str:
    """ "Qty(PCS)": the unit the quantity column's header gives all its rows."""
    found = re.search(r"[(（\[]\s*([^()（）\[\]]+?)\s*[)）\]]", _cell(header, roles, "quantity"))
    return found.group(1) if found else ""


def row_to_line(
    row: Sequence[str],
    roles: dict[int, str],
    ctx: LineContext,
    evidence: Evidence,
    *,
    header_unit: str = "",
) -> ExtractedLine | None:
    """One order line from a table row, or None when the row has no quantity."""
    # A totals row ("Total | | 54") sums the lines above; it orders nothing.
    if any(re.search(ctx.lexicon.lines["total_row"], cell, re.I) for cell in row):
        return None
    # "备注: 取消" (a line the buyer's manager struck out) orders nothing either.
    if re.search(ctx.lexicon.lines["row_cancelled"], _cell(row, roles, "note"), re.I):
        return None
    qty_text = _cell(row, roles, "quantity")
    unit_cell = _cell(row, roles, "unit") or header_unit
    # "20 | boxes E6013 rods | WLD-ROD-3.2" under "Qty | Item | Your code": the
    # unit may open whichever cell names the product.
    named = _cell(row, roles, "description") or _product_text(row, roles)
    written = _written_quantity(qty_text, unit_cell, named, ctx)
    if written is None:
        return None
    sku, confidence, candidates = _sku(row, roles, ctx)
    product = ctx.products.get(sku) if sku else None
    quantity: int | None = int(written.value)
    if product is not None:
        # The unit cell's pack ("CS (36)") before any elsewhere in the row.
        written, converted = in_sales_units(
            written, unit_cell, product, ctx.lexicon, pack_texts=(unit_cell, " ".join(row))
        )
        quantity, confidence = converted.quantity, min(confidence, converted.confidence)
    desc = " ".join(c.strip() for c in row if c.strip())
    return ExtractedLine(
        sku, quantity, desc, qty_text, written.unit_text, round(confidence, 3), candidates, evidence
    )


def table_lines(table: Table, ctx: LineContext) -> list[ExtractedLine]:
    """The order lines of a table whose first row is its header."""
    roles = _roles(table.rows[0], ctx)
    out = []
    header_unit = _header_unit(table.rows[0], roles)
    for number, row in enumerate(table.rows[1:], start=1):
        start, end = table.spans[number] if table.spans else (None, None)
        evidence = Evidence(table.source, start, end, " | ".join(row), row=number)
        line = row_to_line(row, roles, ctx, evidence, header_unit=header_unit)
        if line is not None:
            out.append(line)
    return out


def _cells(line: str) -> list[str]:
    """The cells of a text row: between pipes (keeping empty cells, so columns
    stay aligned) or separated by tabs or runs of spaces."""
    stripped = line.strip()
    if "|" in stripped:
        return [c.strip() for c in stripped.strip("|").split("|")]
    if "\t" in line.strip(" "):
        # Pasted from a sheet: tabs keep an empty first cell ("\t4mm cable\t200\tm").
        return [c.strip() for c in line.strip(" \r\n").rstrip("\t").split("\t")]
    return [c for c in CELL_SPLIT.split(stripped) if c]


def _offsets(lines: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in lines:
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _rows_below(lines: list[str], i: int) -> tuple[list[int], int]:
    """Indexes of the data rows under a header at ``i - 1``: lines with a number,
    skipping rules ("|---|---|"), up to a blank line. Also the index after them."""
    rows = []
    while i < len(lines) and lines[i].strip():
        if NUMBER.search(lines[i]):
            rows.append(i)
        elif not RULE.match(lines[i]):
            break
        i += 1
    return rows, i


def text_tables(text: str, ctx: LineContext) -> list[Table]:
    """Column-aligned tables in plain text, found by their header line."""
    tables, lines = [], text.split("\n")
    offsets = _offsets(lines)
    i = 0
    while i < len(lines):
        header = _cells(lines[i])
        if len([c for c in header if c]) >= 2 and is_header(header, ctx):
            rows, after = _rows_below(lines, i + 1)
            cells = [header, *(_cells(lines[r]) for r in rows)]
            rule = lines[i + 1] if i + 1 < len(lines) and RULE.match(lines[i + 1]) else ""
            if _misaligned(lines[i], cells, rule):
                cells = aligned_cells(lines[i], [lines[r] for r in rows], rule, ctx) or cells
            tables.append(Table(align(cells), "body", [offsets[r] for r in [i, *rows]]))
            i = after
        else:
            i += 1
    return tables


def _misaligned(header_line: str, cells: list[list[str]], rule: str) -> bool:
    """Whether splitting at runs of spaces failed to find the columns: an ERP
    printout ("00010 10004512  HEX BOLT M8X40 ZN   1,500 EA") separates some
    columns by one space, and its rule line ("----- ---------") shows them."""
    if "|" in header_line or "\t" in header_line:
        return False
    groups = len(re.findall(r"-+", rule))
    return groups > len(cells[0]) or any(len(row) != len(cells[0]) for row in cells[1:])


def _positions(line: str) -> list[tuple[int, int, str]]:
    """(start column, end column, word) of each word of ``line``, in display
    columns: a Chinese character is two columns wide, as in a fixed-pitch printout."""
    out, col, start, word = [], 0, 0, ""
    for char in line:
        width = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if char.isspace():
            if word:
                out.append((start, col, word))
            word = ""
        else:
            if not word:
                start = col
            word += char
        col += width
    if word:
        out.append((start, col, word))
    return out


def _spans(header: str, rows: list[str], rule: str, ctx: LineContext) -> list[tuple[int, int]]:
    """The columns: the rule line's dashes when there is one, else the runs of
    columns that some line writes in (a gutter is blank in every line)."""
    if rule:
        return [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
    used: set[int] = set()
    total = re.compile(ctx.lexicon.lines["total_row"], re.I)
    for line in [header, *(r for r in rows if not total.search(r.strip()))]:
        for start, end, _ in _positions(line):
            used.update(range(start, end))
    spans: list[tuple[int, int]] = []
    for col in sorted(used):
        if spans and spans[-1][1] == col:
            spans[-1] = (spans[-1][0], col + 1)
        else:
            spans.append((col, col + 1))
    return spans


def _split(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """The words of ``line`` sorted into the columns they overlap most (or lie nearest)."""
    cells: list[list[str]] = [[] for _ in spans]
    for start, end, word in _positions(line):
        overlap = [min(end, e) - max(start, s) for s, e in spans]
        best = max(range(len(spans)), key=lambda c: overlap[c])
        if overlap[best] <= 0:
            best = min(
                range(len(spans)),
                key=lambda c: min(abs(spans[c][0] - end), abs(spans[c][1] - start)),
            )
        cells[best].append(word)
    return [" ".join(words) for words in cells]


def aligned_cells(
    header: str, rows: list[str], rule: str, ctx: LineContext
) -> list[list[str]] | None:
    """The header and rows of a fixed-pitch table split by column position; a
    column without a header word belongs to the one on its left ("100 EA"
    under "Per"). None when the layout gives fewer than two columns."""
    spans = _spans(header, rows, rule, ctx)
    if len(spans) < 2:
        return None
    table = [_split(line, spans) for line in [header, *rows]]
    keep = [c for c, name in enumerate(table[0]) if name] or [0]
    merged = []
    for row in table:
        out: list[list[str]] = [[] for _ in keep]
        for col, cell in enumerate(row):
            owner = max((k for k, c in enumerate(keep) if c <= col), default=0)
            if cell:
                out[owner].append(cell)
        merged.append([" ".join(parts) for parts in out])
    return merged if len(keep) >= 2 else None


def rendered_rows(text: str, tables: Sequence[Table]) -> list[tuple[int, int]]:
    """Spans of the text lines that repeat a row of ``tables``: the plain-text
    alternative of an HTML mail renders its table too, and each row must be
    read once. A line repeats a row when it holds most of the row's cells."""
    # Cells of one character ("1", "个") would be found in any line.
    rows = [[c for c in map(_squash, row) if len(c) >= 2] for t in tables for row in t.rows]
    # "HP 26A toner | 2": one long cell beside one-character cells still names its row.
    rows = [row for row in rows if len(row) >= 2 or (row and len(row[0]) >= 6)]
    spans = []
    lines = text.split("\n")
    for (start, end), line in zip(_offsets(lines), lines, strict=True):
        flat = _squash(line)
        if flat and any(2 * sum(c in flat for c in row) > len(row) for row in rows):
            spans.append((start, end))
    return spans


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def align(rows: list[list[str]]) -> list[list[str]]:
    """Rows with fewer cells than the header lost an empty column; pad at the end."""
    width = len(rows[0])
    return [row + [""] * (width - len(row)) for row in rows]


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in {"td", "th"} and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str, ctx: LineContext) -> list[Table]:
    """HTML tables with a recognisable header row."""
    parser = _TableParser()
    parser.feed(html)
    out = []
    for rows in parser.tables:
        start = next((i for i, r in enumerate(rows) if is_header(r, ctx)), None)
        if start is not None:
            out.append(Table(align(rows[start:]), "html_table", []))
    return out
