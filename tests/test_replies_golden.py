"""Replies as a customer reads them: each kind in English and Chinese,
rendered from the demo reference data and compared with reviewed files in
``tests/golden/``. After a deliberate change, regenerate them with
``MAILFLOW_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_replies_golden.py``
and review the diff by eye."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from mailflow.config import DeskSettings
from mailflow.drafts import PlainOrder, Renderer, ReplyFacts, reply_facts
from mailflow.extract.types import Address, ExtractedLine, ExtractedOrder, Intent
from mailflow.refdata import ReferenceData, load_reference_data
from mailflow.states import DraftKind
from mailflow.validate import CheckContext, validate_order

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
DEMO = REPO / "config/demo"
TODAY = date(2026, 11, 16)  # a Monday
TOKEN = "ORD-7KQ2M9XD"


@pytest.fixture(scope="module")
def demo() -> ReferenceData:
    return load_reference_data(
        catalog=DEMO / "catalog.csv",
        customers=DEMO / "customers.csv",
        promotions=DEMO / "promotions.csv",
        holidays=DEMO / "holidays.csv",
    )


def ln(
    sku: str | None, quantity: int | None, description: str, *, price: str | None = None
) -> ExtractedLine:
    stated = Decimal(price) if price else None
    return ExtractedLine(sku, quantity, description, stated_unit_price=stated)


ORDERS = {
    "confirmation_en": ExtractedOrder(
        Intent.ORDER,
        "en",
        "D-100",
        "MB-55120",
        date(2026, 11, 20),
        lines=[
            ln("BLT-M6-30", 3, "3 boxes M6x30 bolts (BLT-M6-30)"),
            ln("NUT-M6", 2, "2 boxes M6 nuts"),
            ln("TPE-BRN-48", 36, "1 case brown packing tape"),
        ],
    ),
    "clarification_en": ExtractedOrder(
        Intent.ORDER,
        "en",
        "D-101",
        "88213",
        date(2026, 11, 17),
        lines=[
            ln("BLT-M12-80", 60, "60 boxes of M12x80 bolts"),
            ln("LED-PNL-60", 2, "2 LED panel 60x60"),
            ln(None, 5, "5 tubes of silicone sealant, clear"),
            ln("GLV-NIT-L", 10, "10 boxes nitrile gloves L"),
        ],
        ship_to=Address(
            street="1650 Commerce Pkwy",
            city="Allentown",
            region="PA",
            postcode="18109",
            country="US",
        ),
    ),
    "confirmation_zh": ExtractedOrder(
        Intent.ORDER,
        "zh",
        "D-200",
        "HD20261117-02",
        date(2026, 11, 20),
        lines=[
            ln("BLT-M6-30", 5, "M6x30镀锌六角螺栓 5箱"),
            ln("CBT-300", 20, "300mm黑色扎带 20包"),
            ln("TPE-BRN-48", 72, "48mm棕色封箱胶带 2箱"),
        ],
    ),
    "clarification_zh": ExtractedOrder(
        Intent.ORDER,
        "zh",
        "D-200",
        "HD20261118-05",
        date(2026, 11, 21),
        lines=[
            ln("GLV-CUT-9", 6, "9号防割手套 6副"),
            ln("NUT-M12", 10, "M12热镀锌螺母 10箱"),
            ln("SCR-WD-4X40", 4, "4x40木螺丝 4箱"),
            ln("GLV-NIT-L", 3, "丁腈手套 3箱", price="8.50"),
        ],
    ),
}
CONTACTS = {
    "confirmation_en": "Priya Shah",
    "clarification_en": "Dale Kowalski",
    "confirmation_zh": "王强",
    "clarification_zh": "王强",
}


def facts_for(name: str, refdata: ReferenceData) -> ReplyFacts:
    extracted = ORDERS[name]
    customer = refdata.customers[extracted.customer_id or ""]
    findings = validate_order(
        extracted, CheckContext(refdata=refdata, customer=customer, today=TODAY)
    )
    return reply_facts(
        PlainOrder.from_extracted(extracted, token=TOKEN),
        findings=findings,
        refdata=refdata,
        desk=DeskSettings(),
        today=TODAY,
        contact_name=CONTACTS[name],
    )


def render(name: str, refdata: ReferenceData) -> tuple[ReplyFacts, str, str]:
    facts = facts_for(name, refdata)
    text, html = Renderer(REPO / "templates").render(facts.kind, facts.language, facts.context)
    return facts, text, html


@pytest.mark.parametrize("name", sorted(ORDERS))
def test_reply_text_matches_the_reviewed_golden_file(name: str, demo: ReferenceData) -> None:
    # GIVEN an order and its findings WHEN the reply is rendered
    facts, text, _html = render(name, demo)
    # THEN it is the kind and the language expected, word for word as reviewed
    kind, language = name.split("_")
    assert (facts.kind, facts.language) == (DraftKind(kind), language)
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("MAILFLOW_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_clarification_asks_every_open_question_at_once(demo: ReferenceData) -> None:
    facts, text, _html = render("clarification_en", demo)
    assert len(facts.context["questions"]) == 4
    assert "need your answer on 4 points" in text


def test_html_says_the_same_as_the_text(demo: ReferenceData) -> None:
    facts, _text, html = render("clarification_zh", demo)
    for question in facts.context["questions"]:
        assert question in html


def test_html_escapes_what_the_customer_wrote(demo: ReferenceData) -> None:
    # GIVEN a product description carrying markup
    hostile = ExtractedOrder(
        Intent.ORDER,
        "en",
        "D-100",
        "X-1",
        date(2026, 11, 20),
        lines=[ln(None, 1, '<img src=x onerror="alert(1)">')],
    )
    customer = demo.customers["D-100"]
    findings = validate_order(hostile, CheckContext(refdata=demo, customer=customer, today=TODAY))
    facts = reply_facts(
        PlainOrder.from_extracted(hostile, token=TOKEN),
        findings=findings,
        refdata=demo,
        desk=DeskSettings(),
        today=TODAY,
    )
    # WHEN the HTML is rendered THEN the markup is shown, not run
    _text, html = Renderer(REPO / "templates").render(facts.kind, facts.language, facts.context)
    assert "<img" not in html and "&lt;img src=x" in html


FOLLOW_UPS = {
    DraftKind.REMINDER: {"reminder_of": "confirmation", "reminder_number": 1},
    DraftKind.CANCELLATION: {},
    DraftKind.SHIPPING_NOTICE: {"carrier": "DHL", "tracking_number": "JD0146000012345"},
}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(FOLLOW_UPS))
def test_follow_up_text_matches_the_reviewed_golden_file(
    kind: DraftKind, language: str, demo: ReferenceData
) -> None:
    # GIVEN a confirmed order WHEN a reminder, acknowledgement or notice is rendered
    facts = facts_for(f"confirmation_{language}", demo)
    context = {**facts.context, **FOLLOW_UPS[kind]}
    text, html = Renderer(REPO / "templates").render(kind, language, context)
    # THEN it reads as reviewed, and the HTML carries the same reference
    golden = GOLDEN / f"{kind}_{language}.txt"
    if os.environ.get("MAILFLOW_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert TOKEN in html
