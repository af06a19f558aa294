"""The customer's PO reference, never our own order number."""

from __future__ import annotations

import pytest

from mailflow.extract.lexicon import load_lexicon
from mailflow.extract.references import find_reference

LEX = load_lexicon()


def _po(new_text: str, *, subject: str = "", quoted: str = "", reply: bool = False) -> str | None:
    ref = find_reference(
        new_text=new_text,
        subject=subject,
        quoted=quoted,
        lex=LEX,
        skus=["BLT-M6-30"],
        use_quoted=reply,
    )
    return ref.value if ref else None


@pytest.mark.parametrize(
    ("text", "po"),
    [
        ("Please place the following on PO# 4471:", "4471"),
        ("Our ref: PUR-2026-118", "PUR-2026-118"),
        ("采购单号：CG20261108-07", "CG20261108-07"),
        ("Purchase Order: 55-10923", "55-10923"),
        ("PO No.: HT-EXP-2611-09", "HT-EXP-2611-09"),
        ("please book in on order ref\nOPC/26/1244:", "OPC/26/1244"),
        ("the following against PO#: BWL-448120.", "BWL-448120"),
    ],
)
def test_labelled_references_lose_their_label(text: str, po: str) -> None:
    assert _po(text) == po


def test_our_own_order_token_is_never_a_po() -> None:
    assert _po("Thanks", subject="Re: Order confirmation ORD-2026-0042") is None


def test_a_po_to_follow_is_no_po() -> None:
    assert _po("PO to follow from the office") is None


def test_a_bare_reference_in_the_subject_counts() -> None:
    assert _po("Please deliver asap", subject="PVC-PO-3381") == "PVC-PO-3381"


def test_a_reply_takes_the_po_from_our_quoted_confirmation() -> None:
    # GIVEN a short confirmation whose only PO is in the quoted text
    quoted = "> Order confirmation: SO-26-10412\n> Your PO: 4471\n"
    # WHEN read as a reply THEN the PO of the order referred to is found
    assert (
        _po("Yes, all correct.", subject="RE: Order confirmation", quoted=quoted, reply=True)
        == "4471"
    )


def test_a_sku_is_not_a_po() -> None:
    assert _po("", subject="BLT-M6-30 x 4") is None


@pytest.mark.parametrize(
    ("text", "po"),
    [
        ("the PO number is TW-55210, thanks", "TW-55210"),
        ("Our PO for these will be PO-TW-7781.", "PO-TW-7781"),
        ("请购单号：QG-2611-0042", "QG-2611-0042"),
        ("申购单编号：SG20261201", "SG20261201"),
    ],
)
def test_labels_with_a_filler_or_a_requisition_label(text: str, po: str) -> None:
    # GIVEN "... is <ref>" after a label, or a requisition number (请购/申购单号)
    # WHEN read THEN the reference is the whole identifier
    assert _po(text) == po


def test_after_a_filler_only_a_reference_shaped_value_counts() -> None:
    # GIVEN "our order is" followed by an amount THEN that amount is no PO
    assert _po("Our order is 120 boxes of nuts.") is None


def test_a_ticket_number_in_the_subject_is_not_a_po() -> None:
    # GIVEN a help-desk acknowledgement carrying its own ticket number
    assert (
        _po("Your request was received.", subject="[Ticket #HD-20261201-77] Re: Dispatch") is None
    )
    assert _po("已受理。", subject="[工单 #GD-20261201-15] 回复：发货通知") is None


def test_a_full_width_colon_after_the_label() -> None:
    assert _po("请于周五前送达。\nPO：HD2611-31") == "HD2611-31"


def test_a_bare_ref_label_needs_a_reference_shaped_value() -> None:
    assert _po("Order below. Ref TW/26/0991.") == "TW/26/0991"
    assert _po("Ref 12 boxes as before") is None


def test_a_payment_reference_is_not_the_po() -> None:
    # GIVEN a confirmation reporting a payment, the PO only in our quoted text
    text = "Confirmed. Payment has been sent by BACS, our payment reference PVC-PAY-1182."
    quoted = "> Order confirmation: SO-26-10529\n> Your PO: PVC-PO-3419\n"
    # THEN the payment's reference is not mistaken for the PO
    assert _po(text, subject="RE: Order confirmation", quoted=quoted, reply=True) == "PVC-PO-3419"


def test_an_invoice_for_a_po_still_names_the_po() -> None:
    assert _po("Please send the invoice for PO 4471 to accounts.") == "4471"
