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
from mailflow.mail.envelope import Attachment

log = logging.getLogger(__name__)

XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
}


def _decode(payload: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return payload.decode(encoding)
        except UnicodeDecodeError:
            continue
    return payload.decode("latin-1")


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
    return list(csv.reader(io.StringIO(_decode(payload))))


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
    return "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)


def _tables_of(att: Attachment, ctx: LineContext) -> list[Table]:
    source = f"attachment:{att.filename}"
    kind = _kind(att)
    if kind == "csv":
        found = _from_header(_csv_rows(att.payload), source, ctx)
        return [found] if found else []
    if kind == "xlsx":
        sheets = (_from_header(rows, source, ctx) for rows in _xlsx_sheets(att.payload))
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


def attachment_texts(attachments: Sequence[Attachment]) -> list[tuple[str, str]]:
    """(source, text) of each document attachment that reads as prose, for the
    order's fields a PO form carries outside its table: "Delivery date:",
    "Delivery address:", "PO No:". Only PDFs: a CSV or sheet holds rows."""
    out = []
    for att in attachments:
        if _kind(att) != "pdf":
            continue
        try:
            out.append((f"attachment:{att.filename}", _pdf_text(att.payload)))
        except Exception as exc:
            # Unreadable here means unreadable for the tables too; logged there.
            log.debug("no text in attachment %s: %s", att.filename, exc)
    return out
