"""Order lines in attachments: CSV, XLSX (openpyxl) and text-based PDF (pypdf).

Each file is turned into rows of cells; the first row that names a quantity
column ("Qty", "数量") is the header, exactly as for tables in the body. A PDF
keeps its columns when its text is extracted in layout mode, so it is read as
a plain-text table. Scanned PDFs have no text and give nothing.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator, Sequence
from functools import lru_cache

from mailflow.extract.lines import LineContext
from mailflow.extract.tables import Table, align, is_header, text_tables
from mailflow.mail.charset import decode_text
from mailflow.mail.envelope import Attachment
from mailflow.mail.language import to_simplified

log = logging.getLogger(__name__)

XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
}


# Delimiters a spreadsheet export uses: Excel writes ";" where the decimal
# separator is a comma (most of Europe).
CSV_DELIMITERS = ",;\t|"
SNIFF_BYTES = 4096


def _decode(payload: bytes) -> str:
    """CSV text in whichever charset the exporting program used (UTF-8 with or
    without BOM, GBK, Windows-1252): the same detection as for mail bodies."""
    return decode_text(payload).lstrip("\ufeff")


def _kind(att: Attachment) -> str:
    name, ctype = att.filename.lower(), att.content_type.lower()
    if name.endswith(".csv") or ctype == "text/csv":
        return "csv"
    if name.endswith((".xlsx", ".xlsm")) or ctype in XLSX_TYPES:
        return "xlsx"
    if name.endswith(".pdf") or ctype == "application/pdf":
        return "pdf"
    return ""


def _from_header(rows: list[list[str]], source: str, ctx: LineContext) -> Table | None:
    """The table that starts at the first header row, or None."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    start = next((i for i, r in enumerate(rows) if is_header(r, ctx)), None)
    return None if start is None else Table(align(rows[start:]), source, [])


def _csv_rows(payload: bytes) -> list[list[str]]:
    text = _decode(payload)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:SNIFF_BYTES], delimiters=CSV_DELIMITERS
        )
    except csv.Error:
        dialect = csv.excel  # one column, or too irregular to tell: commas
    return list(csv.reader(io.StringIO(text), dialect))


def _cell_text(value: object) -> str:
    """A spreadsheet value as a customer would read it: 40.0 is "40"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_sheets(payload: bytes) -> Iterator[list[list[str]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            yield [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


@lru_cache(maxsize=8)
def _pdf_text(payload: bytes) -> str:
    """The text of a PDF in layout mode; cached, as tables and the order's
    fields are both read from it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(payload))
    # Layout mode keeps the runs of spaces that separate columns.
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return to_simplified(text)


def _sheets(att: Attachment) -> list[list[list[str]]]:
    """The rows of each sheet of a CSV or spreadsheet attachment."""
    return [[list(row) for row in sheet] for sheet in _sheet_rows(_kind(att), att.payload)]


@lru_cache(maxsize=8)
def _sheet_rows(kind: str, payload: bytes) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Decoded once, cached like ``_pdf_text``: tables and the order's fields
    are both read from it."""
    if kind == "csv":
        sheets = [_csv_rows(payload)]
    elif kind == "xlsx":
        sheets = list(_xlsx_sheets(payload))
    else:
        sheets = []
    return tuple(tuple(tuple(to_simplified(c) for c in row) for row in sheet) for sheet in sheets)


def _tables_of(att: Attachment, ctx: LineContext) -> list[Table]:
    source = f"attachment:{att.filename}"
    kind = _kind(att)
    if kind in {"csv", "xlsx"}:
        sheets = (_from_header(rows, source, ctx) for rows in _sheets(att))
        return [t for t in sheets if t is not None]
    if kind == "pdf":
        return [Table(t.rows, source, []) for t in text_tables(_pdf_text(att.payload), ctx)]
    return []


def attachment_tables(attachments: Sequence[Attachment], ctx: LineContext) -> list[Table]:
    """Line-item tables in CSV, XLSX and PDF attachments, in attachment order.
    A file that cannot be read (damaged, encrypted, library missing) is logged
    and skipped: the body may still carry the order."""
    out: list[Table] = []
    for att in attachments:
        try:
            out.extend(_tables_of(att, ctx))
        except Exception as exc:
            # Any parser failure (damaged, encrypted, unsupported) means "no table here".

            log.warning("cannot read attachment %s: %s", att.filename, exc)
    return out


def _sheet_fields(rows: list[list[str]], ctx: LineContext) -> str:
    """The order's fields a sheet holds outside its line cells, as labelled
    text lines: the "label, value" rows above the header ("采购单号,CG-0042")
    and a column with one value on every line ("Lev.datum", "交货日期")."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    start = next((i for i, r in enumerate(rows) if is_header(r, ctx)), len(rows))
    out = []
    for row in rows[:start]:
        cells = [c.strip() for c in row if c.strip()]
        if len(cells) >= 2:
            out.append(f"{cells[0].rstrip(':：')}: {cells[1]}")
    if start < len(rows):
        header = [c.strip().lower() for c in rows[start]]
        fields: dict[str, list[str]] = ctx.lexicon.lines["sheet_fields"]
        for label, names in (
            ("Delivery date", fields["delivery_date"]),
            ("PO number", fields["po_number"]),
        ):
            col = next((i for i, h in enumerate(header) if h.rstrip(":：") in names), None)
            if col is None:
                continue
            values = {r[col].strip() for r in rows[start + 1 :] if col < len(r)} - {""}
            if len(values) == 1:
                out.append(f"{label}: {values.pop()}")
    return "\n".join(out)


def attachment_texts(attachments: Sequence[Attachment], ctx: LineContext) -> list[tuple[str, str]]:
    """(source, text) of each document attachment, for the order's fields a PO
    form carries outside its line items: "Delivery date:", "Delivery address:",
    "PO No:". A PDF reads as prose; a CSV or sheet gives its labelled cells."""
    out = []
    for att in attachments:
        source, kind = f"attachment:{att.filename}", _kind(att)
        try:
            if kind == "pdf":
                out.append((source, _pdf_text(att.payload)))
            elif kind in {"csv", "xlsx"}:
                text = "\n\n".join(_sheet_fields(rows, ctx) for rows in _sheets(att))
                if text.strip():
                    out.append((source, text))
        except Exception as exc:
            # Unreadable here means unreadable for the tables too; logged there.
            log.debug("no text in attachment %s: %s", att.filename, exc)
    return out
