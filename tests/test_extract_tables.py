"""Line items laid out as tables: in the body, in HTML and in CSV, XLSX and PDF
attachments, with headers in English or Chinese."""

from __future__ import annotations

from datetime import date

from mailflow.extract import extract_order
from mailflow.mail.envelope import Attachment
from tests.fixtures.extract.builders import (
    csv_attachment,
    envelope,
    pdf_attachment,
    refdata,
    xlsx_attachment,
)

Lines = list[tuple[str | None, int | None]]


def _lines(text: str, *, attachments: list[Attachment] | None = None, html: str = "") -> Lines:
    mail = envelope(text, attachments=attachments, html=html or None)
    return [(line.sku, line.quantity) for line in extract_order(mail, refdata()).lines]


def test_a_pipe_table_with_a_rule_and_an_empty_cell() -> None:
    # GIVEN a markdown-style table whose second row has no code
    text = (
        "Please supply:\n\n"
        "| Code | Description | Qty |\n"
        "|------|-------------|-----|\n"
        "| NUT-M6 | nuts | 2 |\n"
        "| | Yellow hard hats | 15 |\n"
    )
    # WHEN read THEN the empty cell keeps the columns aligned and the rule is skipped
    assert _lines(text) == [("NUT-M6", 2), ("HLM-YEL", 15)]


def test_an_item_column_without_a_description_column_names_the_product() -> None:
    # GIVEN "Item | Qty | UoM" where the item cell is a description, not a code
    text = (
        "Order below.\n\nItem                     Qty   UoM\nBrown parcel tape        3     cases\n"
    )
    assert _lines(text) == [("TPE-BRN-48", 108)]


def test_a_chinese_header_and_chinese_numerals_in_the_rows() -> None:
    # GIVEN a pasted table under "物料名称 / 规格 / 数量", amounts with measure words
    text = (
        "申购如下：\n\n"
        "物料名称      规格        数量\n"
        "乳胶手套      L码         八百只\n"
        "黄色安全帽    标准        二十顶\n"
    )
    # WHEN read THEN every row is a line, gloves counted in boxes of 100
    assert _lines(text) == [("GLV-LTX-L", 8), ("HLM-YEL", 20)]


def test_a_totals_row_is_not_a_line() -> None:
    html = (
        "<table><tr><th>Description</th><th>Qty</th></tr>"
        "<tr><td>Yellow hard hats</td><td>12</td></tr>"
        "<tr><td>Total</td><td>12</td></tr></table>"
    )
    assert _lines("See table.", html=html) == [("HLM-YEL", 12)]


def test_bundles_in_the_unit_column() -> None:
    html = (
        "<table><tr><th>Description</th><th>Qty</th><th>UOM</th></tr>"
        "<tr><td>Cartons 50x40x30</td><td>6</td><td>bundles of 25</td></tr></table>"
    )
    assert _lines("See table.", html=html) == [("BOX-50", 150)]


def test_xlsx_attachment_with_an_english_header_below_a_title() -> None:
    # GIVEN a spreadsheet with a title block above the header row
    sheet = xlsx_attachment(
        "PO-5512.xlsx",
        [
            ["Thornfield Works - Purchase Order 5512"],
            [],
            ["Line", "Part No.", "Description", "Qty", "UOM"],
            [1, "TW-88", "M6 hex nuts", 6, "BX"],
            [2, "TW-91", "Latex gloves medium", 1500, "EA"],
            ["", "", "Total", 1506, ""],
        ],
    )
    # WHEN read THEN each row is a line in sales units; the totals row is not
    assert _lines("PO attached.", attachments=[sheet]) == [("NUT-M6", 6), ("GLV-LTX-M", 15)]


def test_xlsx_attachment_with_a_chinese_header() -> None:
    sheet = xlsx_attachment(
        "采购单.xlsx",
        [["序号", "品名", "规格型号", "数量", "单位"], [1, "镀锌六角螺栓", "M6x30", 3000, "个"]],
    )
    assert _lines("附件为采购单，请查收。", attachments=[sheet]) == [("BLT-M6-30", 30)]


def test_text_pdf_attachment() -> None:
    # GIVEN a PDF purchase order whose text keeps its columns
    pdf = pdf_attachment(
        "PO-5513.pdf",
        [
            "PURCHASE ORDER 5513",
            "",
            "Item   Description              Qty   Unit",
            "1      Yellow hard hats         30    EA",
            "2      Brown packing tape       2     CS",
            "",
            "Total                           32",
        ],
    )
    # WHEN read THEN its rows are the order lines
    assert _lines("Please see the attached PO.", attachments=[pdf]) == [
        ("HLM-YEL", 30),
        ("TPE-BRN-48", 72),
    ]


def test_an_unreadable_attachment_is_skipped() -> None:
    # GIVEN a damaged PDF next to an order written in the body
    broken = Attachment("PO.pdf", "application/pdf", 9, b"%PDF-1.4 garbage")
    # WHEN read THEN the body still gives the order
    assert _lines("Please send 20 yellow hard hats.", attachments=[broken]) == [("HLM-YEL", 20)]


def test_the_text_alternative_of_an_html_table_is_not_read_twice() -> None:
    # GIVEN an HTML table and the plain-text alternative the mail client made of it
    html = (
        "<p>Order below.</p><table>"
        "<tr><th>No</th><th>Code</th><th>品名</th><th>规格</th><th>数量</th><th>单位</th></tr>"
        "<tr><td>1</td><td>K-17</td><td>瓦楞纸箱</td><td>50x40x30cm，25个/捆</td>"
        "<td>4</td><td>捆</td></tr>"
        "<tr><td>2</td><td>K-18</td><td>缠绕膜</td><td>500mm x 300m</td><td>12</td><td>卷</td></tr>"
        "</table>"
    )
    text = (
        "Order below.\n"
        "No Code 品名 规格 数量 单位\n"
        "1 K-17 瓦楞纸箱 50x40x30cm，25个/捆 4 捆\n"
        "2 K-18 缠绕膜 500mm x 300m 12 卷\n"
    )
    # WHEN read THEN each product is one line, as the table says
    assert _lines(text, html=html) == [("BOX-50", 100), ("WRP-500", 12)]


def test_a_semicolon_csv_in_windows_1252_with_decimal_commas() -> None:
    # GIVEN a Swedish ERP export: ";" separators, "8,90" prices, Latin-1 letters
    csv_text = (
        "Ordernr;Rad;Artikelnr;Benämning;Antal;Enhet;À-pris;Belopp\r\n"
        "5120;1;FB-100;Sträckfilm / stretch wrap 500 mm;6;st;14,00;84,00\r\n"
        "5120;2;FB-230;Skyddshjälm gul / yellow hard hats;10;st;11,00;110,00\r\n"
        ";;;;;;Summa;194,00\r\n"
    )
    sheet = csv_attachment("Order_5120.csv", csv_text, encoding="cp1252")
    # WHEN read THEN both rows are lines and the sum row is not
    assert _lines("Order attached.", attachments=[sheet]) == [("WRP-500", 6), ("HLM-YEL", 10)]


def test_the_po_and_date_written_above_a_csv_table() -> None:
    # GIVEN a GBK CSV whose PO and delivery date sit in label rows above the header
    csv_text = (
        "采购单号,CG-2611-77,,\r\n"
        "交货日期,2026/11/20,,\r\n"
        "序号,物料名称,数量,单位\r\n"
        "1,黄色安全帽,30,顶\r\n"
    )
    sheet = csv_attachment("采购单.csv", csv_text, encoding="gbk")
    # WHEN the body says only "see attachment"
    order = extract_order(
        envelope("订单见附件。", sender="li@hengda.example", attachments=[sheet]), refdata()
    )
    # THEN the order takes them from the sheet
    assert (order.po_number, order.requested_date) == ("CG-2611-77", date(2026, 11, 20))
    assert [(line.sku, line.quantity) for line in order.lines] == [("HLM-YEL", 30)]


def test_a_delivery_date_column_with_one_date_is_the_requested_date() -> None:
    sheet = xlsx_attachment(
        "PO-5514.xlsx",
        [
            ["Line", "Description", "Qty", "UOM", "Need By"],
            [1, "Yellow hard hats", 20, "EA", "2026-11-19"],
            [2, "Euro pallets", 10, "EA", "2026-11-19"],
        ],
    )
    order = extract_order(envelope("PO attached.", attachments=[sheet]), refdata())
    assert order.requested_date == date(2026, 11, 19)


def test_a_delivery_date_column_with_different_dates_names_no_single_date() -> None:
    sheet = xlsx_attachment(
        "PO-5515.xlsx",
        [
            ["Line", "Description", "Qty", "UOM", "Need By"],
            [1, "Yellow hard hats", 20, "EA", "2026-11-19"],
            [2, "Euro pallets", 10, "EA", "2026-11-26"],
        ],
    )
    order = extract_order(envelope("PO attached.", attachments=[sheet]), refdata())
    assert order.requested_date is None


def test_an_erp_printout_whose_rule_line_shows_columns_one_space_apart() -> None:
    # GIVEN an SAP-style text PO: some columns one space apart, a "per 100 EA" price
    text = (
        "Item  Material  Description                 Qty UoM Net price     Per\n"
        "----- --------- ----------------------- ------- --- --------- -------\n"
        "00010 10004512  HEX BOLT M6X30 ZN         1,500 EA      18.50  100 EA\n"
        "00020 10004513  HEX NUT M6 ZN             2,000 EA       9.80  200 EA\n"
        "                                       Total net value USD     339.50\n"
    )
    # WHEN read THEN pieces are converted to boxes and the material number is ignored
    assert _lines(text) == [("BLT-M6-30", 15), ("NUT-M6", 10)]


def test_a_chinese_fixed_pitch_table_is_split_by_display_columns() -> None:
    # GIVEN a table aligned for a fixed-pitch font, Chinese characters two columns
    # wide, a one-space gap in the header and a continuation line
    text = (
        "序号 物料编码 名称规格               单位  数量    单价\n"
        " 1   DL-0015  铜芯电线 BV-1.5平方    米     300    0.61\n"
        " 2   ZM-0027  LED灯泡 E27 10W        箱       2   42.00\n"
        "              （20只/箱）\n"
        "     合计                                   302\n"
    )
    # WHEN read THEN metres become rolls, cases become bulbs, and the rest is no line
    assert _lines(text) == [("CBL-1.5-100", 3), ("LMP-E27", 40)]
