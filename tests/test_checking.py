"""Checking one e-mail without a database: the "contract for checking" JSON
that ``mailflow process FILE --json --dry-run`` prints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from mailflow.checking import check_file
from mailflow.config import Settings
from mailflow.extract.types import ExtractedLine, ExtractedOrder, Intent
from mailflow.mail.envelope import Envelope
from mailflow.refdata import ReferenceData, load_reference_data
from mailflow.validate import PriorOrder
from tests.conftest import REPO, SettingsFactory

DEMO = REPO / "config/demo"
TODAY = date(2026, 11, 16)
CORPUS_KEYS = {
    "intent",
    "language",
    "customer_id",
    "po_number",
    "requested_date",
    "ship_to",
    "lines",
}


@pytest.fixture(scope="module")
def demo() -> ReferenceData:
    return load_reference_data(
        catalog=DEMO / "catalog.csv",
        customers=DEMO / "customers.csv",
        promotions=DEMO / "promotions.csv",
        holidays=DEMO / "holidays.csv",
    )


def email(body: str = "3 boxes BLT-M6-30 please", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = "Priya Shah <priya.shah@millbrook-eng.example>"
    message["To"] = "orders@harbor-supply.example"
    message["Subject"] = "Order PO MB-55120"
    message["Date"] = "Mon, 16 Nov 2026 08:41:12 +0000"
    message["Message-ID"] = "<check-1@millbrook-eng.example>"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def bolts_for_friday(envelope: Envelope, refdata: ReferenceData) -> ExtractedOrder:
    """A stand-in extractor, so these tests pin the contract and not extraction."""
    return ExtractedOrder(
        intent=Intent.ORDER,
        language="en",
        customer_id="D-100",
        po_number="MB-55120",
        requested_date=date(2026, 11, 20),
        lines=[ExtractedLine("BLT-M6-30", 3, "3 boxes BLT-M6-30")],
    )


def run(
    raw: bytes,
    refdata: ReferenceData,
    settings: Settings,
    *,
    prior_orders: Sequence[PriorOrder] = (),
) -> dict[str, Any]:
    return check_file(
        raw,
        refdata=refdata,
        settings=settings,
        today=TODAY,
        extract=bolts_for_friday,
        prior_orders=prior_orders,
    )


def test_a_clean_order_prints_extraction_findings_decision_and_reply(
    demo: ReferenceData, settings: Settings
) -> None:
    # GIVEN a clean order WHEN it is checked
    result = run(email(), demo, settings)
    # THEN the JSON holds the corpus extraction, no findings, "confirm" and the confirmation
    assert result.keys() >= CORPUS_KEYS
    assert result["lines"] == [
        {"sku": "BLT-M6-30", "quantity": 3, "description": "3 boxes BLT-M6-30"}
    ]
    assert result["findings"] == [] and result["decision"] == "confirm"
    reply = result["reply"]
    assert isinstance(reply, dict) and reply["kind"] == "confirmation"
    assert reply["subject"] == "Re: Order PO MB-55120 [ORD-DRYRUN]"
    assert str(reply["text"]).startswith("Dear Priya Shah,")
    assert "3 boxes x US$12.40 = US$37.20" in str(reply["text"])


def test_findings_carry_code_severity_line_and_field_only(
    demo: ReferenceData, make_settings: SettingsFactory
) -> None:
    # GIVEN a mail failing DMARC at our own, trusted server
    settings = make_settings(checks={"trusted_authserv_ids": ["mx.harbor-supply.example"]})
    raw = email(Authentication_Results="mx.harbor-supply.example; spf=fail; dmarc=fail")
    result = run(raw, demo, settings)
    # THEN the finding is listed by its four keys and a clerk decides
    assert result["findings"] == [
        {"code": "sender_unverified", "severity": "warning", "line": None, "field": "sender"}
    ]
    assert result["decision"] == "review"


def test_an_earlier_order_with_the_same_po_makes_it_a_duplicate(
    demo: ReferenceData, settings: Settings
) -> None:
    earlier = PriorOrder(
        "D-100",
        "MB-55120",
        "priya.shah@millbrook-eng.example",
        datetime(2026, 11, 12, 9, 0, tzinfo=UTC),
        (("BLT-M6-30", 3),),
    )
    result = run(email(), demo, settings, prior_orders=[earlier])
    assert [f["code"] for f in result["findings"]] == ["duplicate_order"]
    assert result["decision"] == "review"


def test_an_out_of_office_reply_is_ignored_without_a_reply(
    demo: ReferenceData, settings: Settings
) -> None:
    raw = (DEMO / "emails/04_out_of_office.eml").read_bytes()
    result = run(raw, demo, settings)
    assert result["intent"] == "auto_reply" and result["customer_id"] == "D-100"
    assert result["lines"] == [] and result["decision"] == "ignore" and result["reply"] is None


def test_checking_writes_no_database(
    demo: ReferenceData, settings: Settings, tmp_path: Path
) -> None:
    # GIVEN settings whose database lives in tmp_path WHEN a mail is checked
    run(email(), demo, settings)
    # THEN no database was created
    assert settings.database.url.endswith(str(tmp_path / "mailflow.db"))
    assert not (tmp_path / "mailflow.db").exists()


def test_a_chinese_order_is_answered_in_chinese(demo: ReferenceData, settings: Settings) -> None:
    # GIVEN the demo's Chinese order, read by the real extractor
    raw = (DEMO / "emails/03_chinese_order.eml").read_bytes()
    result = check_file(raw, refdata=demo, settings=settings, today=TODAY)
    # THEN the drafted reply is Chinese and greets the sender
    reply = result["reply"]
    assert isinstance(reply, dict) and reply["language"] == "zh"
    assert str(reply["text"]).startswith("王强，您好！")


def test_a_price_the_customer_writes_is_checked_against_the_catalog(
    demo: ReferenceData, settings: Settings
) -> None:
    # GIVEN an order that states an old price for the bolts, read by the real extractor
    raw = email("Please send 3 boxes BLT-M6-30 @ $11.00 per box, for Friday 20 November.")
    result = check_file(raw, refdata=demo, settings=settings, today=TODAY)
    # THEN the quantity is the boxes, and the price is questioned on that line
    assert [(line["sku"], line["quantity"]) for line in result["lines"]] == [("BLT-M6-30", 3)]
    mismatches = [f for f in result["findings"] if f["code"] == "price_mismatch"]
    assert [(f["code"], f["line"]) for f in mismatches] == [("price_mismatch", 0)]
