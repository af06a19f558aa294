"""The extract and eval commands over .eml files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from mailflow.extract.commands import run_eval, run_extract
from tests.fixtures.extract.builders import refdata

ORDER_EML = (
    "From: Buyer <buyer@thornfield.example>\r\n"
    "To: orders@harbor-supply.example\r\n"
    "Subject: PO# 881\r\n"
    "Date: Mon, 02 Nov 2026 09:00:00 +0000\r\n"
    "Message-ID: <a1@thornfield.example>\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n"
    "Please supply:\r\n\r\n- 20 yellow hard hats\r\n- 3 bxs M6 nuts\r\n\r\n"
    "Delivery Friday please.\r\n"
)


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def test_extract_prints_one_json_object_per_email(tmp_path: Path) -> None:
    # GIVEN a folder with one order e-mail
    _write(tmp_path, "001.eml", ORDER_EML.encode())
    out = io.StringIO()
    # WHEN extracted
    status = run_extract([tmp_path], refdata=refdata(), out=out)
    # THEN one line of JSON with the file and the corpus schema
    result = json.loads(out.getvalue())
    assert status == 0
    assert result["file"].endswith("001.eml") and result["po_number"] == "881"
    assert result["lines"] == [
        {"sku": "HLM-YEL", "quantity": 20, "description": "20 yellow hard hats"},
        {"sku": "NUT-M6", "quantity": 3, "description": "3 bxs M6 nuts"},
    ]


def test_an_unreadable_message_is_reported_and_the_rest_continue(tmp_path: Path) -> None:
    missing = tmp_path / "missing.eml"
    good = _write(tmp_path, "002.eml", ORDER_EML.encode())
    out = io.StringIO()
    status = run_extract([missing, good], refdata=refdata(), out=out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == 1
    assert "error" in results[0] and results[1]["customer_id"] == "T-GB"


def test_eval_prints_figures_against_expected_json(tmp_path: Path) -> None:
    # GIVEN an e-mail and its expected extraction
    _write(tmp_path, "001.eml", ORDER_EML.encode())
    expected = {
        "intent": "order",
        "customer_id": "T-GB",
        "po_number": "881",
        "requested_date": "2026-11-06",
        "ship_to": None,
        "lines": [{"sku": "HLM-YEL", "quantity": 20}, {"sku": "NUT-M6", "quantity": 3}],
    }
    (tmp_path / "001.json").write_text(json.dumps(expected))
    out = io.StringIO()
    # WHEN evaluated as JSON
    run_eval(tmp_path, refdata=refdata(), out=out, as_json=True)
    report = json.loads(out.getvalue())
    # THEN every figure is perfect
    assert report["lines"]["f1"] == 1.0
    assert all(value == 1.0 for value in report["fields"].values())
    assert report["all_right"] == 1.0
