"""Scenarios for detect_automatic: machine mail is flagged with a reason, human mail is not."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from mailflow.mail.autoreply import detect_automatic
from mailflow.mail.envelope import AutoVerdict, Envelope
from mailflow.mail.parse import parse_envelope

FIXTURES = Path(__file__).parent / "fixtures" / "eml"
OWN_ADDRESSES = ["orders@harbor-supply.example"]
OWN_DOMAIN = "harbor-supply.example"


def parse_fixture(name: str) -> Envelope:
    raw = (FIXTURES / name).read_bytes()
    return parse_envelope(raw, own_addresses=OWN_ADDRESSES, own_domain=OWN_DOMAIN)


def message(sender: str = "buyer@customer.example", **headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["Message-ID"] = "<1@customer.example>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content("20 boxes M8 bolts please.")
    return msg


def verdict(msg: EmailMessage) -> AutoVerdict:
    sender = msg["From"].addresses[0].addr_spec.lower()
    return detect_automatic(msg, sender=sender, own_addresses=OWN_ADDRESSES, own_domain=OWN_DOMAIN)


def test_out_of_office_with_auto_submitted_is_automatic() -> None:
    # GIVEN an out-of-office reply carrying Auto-Submitted: auto-replied
    envelope = parse_fixture("out_of_office_auto_submitted.eml")
    # THEN it is flagged, with the RFC 3834 header as the reason
    assert envelope.auto == AutoVerdict(auto_reply=True, reason="auto-submitted")


def test_delivery_status_notification_is_a_bounce() -> None:
    envelope = parse_fixture("bounce_dsn.eml")
    assert envelope.auto == AutoVerdict(auto_reply=True, reason="bounce")


def test_list_mail_from_a_noreply_sender_is_list_mail() -> None:
    envelope = parse_fixture("newsletter_list_id.eml")
    assert envelope.auto == AutoVerdict(auto_reply=True, reason="list")


def test_ordinary_customer_mail_is_human() -> None:
    assert verdict(message()) == AutoVerdict(auto_reply=False)


def test_auto_submitted_no_is_human() -> None:
    # RFC 3834: "no" is the explicit marker of a message written by a person.
    assert verdict(message(Auto_Submitted="no")) == AutoVerdict(auto_reply=False)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto_Submitted": "auto-generated"}, "auto-submitted"),
        ({"Auto_Submitted": "auto-replied; owner-email=x@y.example"}, "auto-submitted"),
        ({"X_Autoreply": "yes"}, "autoreply-header"),
        ({"X_Autorespond": "1"}, "autoreply-header"),
        ({"Precedence": "bulk"}, "precedence"),
        ({"Precedence": "junk"}, "precedence"),
        ({"List_Unsubscribe": "<mailto:leave@list.example>"}, "list"),
        ({"List_Id": "<buyers.list.example>"}, "list"),
        ({"Return_Path": "<>"}, "null-return-path"),
    ],
)
def test_machine_headers_name_their_reason(headers: dict[str, str], reason: str) -> None:
    assert verdict(message(**headers)) == AutoVerdict(auto_reply=True, reason=reason)


@pytest.mark.parametrize(
    "sender", ["MAILER-DAEMON@mx.customer.example", "postmaster@customer.example"]
)
def test_mail_from_a_mail_system_is_a_bounce(sender: str) -> None:
    assert verdict(message(sender)) == AutoVerdict(auto_reply=True, reason="bounce")


@pytest.mark.parametrize(
    "sender", ["noreply@shop.example", "no-reply@shop.example", "donotreply@erp.example"]
)
def test_noreply_senders_are_automatic(sender: str) -> None:
    assert verdict(message(sender)) == AutoVerdict(auto_reply=True, reason="noreply")


def test_mail_from_the_desk_address_is_own() -> None:
    assert verdict(message("orders@harbor-supply.example")) == AutoVerdict(
        auto_reply=True, reason="own"
    )


def test_colleague_forwarding_an_order_is_human_mail() -> None:
    # GIVEN a sales rep at our own domain forwarding a customer's order to the desk
    assert verdict(message("karen@harbor-supply.example")).auto_reply is False


def test_our_message_id_marks_our_own_mail_under_another_sender() -> None:
    # GIVEN our own mail re-sent through a gateway that rewrote the sender
    msg = message("gateway@relay.example")
    msg.replace_header("Message-ID", "<ORD-7KX4M2QD.3f9a1c2b@harbor-supply.example>")
    assert verdict(msg) == AutoVerdict(auto_reply=True, reason="own")


@pytest.mark.parametrize(
    ("subject", "reason"),
    [
        ("Out of Office: Order confirmation SO-26-10433", "out-of-office"),
        ("Automatic reply: Order confirmation SO-26-10433", "out-of-office"),
        ("Autoreply: order", "out-of-office"),
        ("自动回复：订单确认 SO-26-10488", "out-of-office"),
        ("Undeliverable: Order confirmation", "bounce"),
        ("Delivery Status Notification (Failure)", "bounce"),
    ],
)
def test_machine_subjects_without_headers_are_recognised(subject: str, reason: str) -> None:
    assert verdict(message(Subject=subject)) == AutoVerdict(auto_reply=True, reason=reason)


def test_human_reply_to_an_out_of_office_is_human() -> None:
    # A person who answers an auto-reply keeps its subject after "Re:".
    msg = message(Subject="Re: Automatic reply: Order confirmation SO-26-10433")
    assert verdict(msg) == AutoVerdict(auto_reply=False)


def test_bounce_forwarded_by_a_customer_is_human() -> None:
    # GIVEN a customer forwarding a bounce they received, asking for help
    bounce = BytesParser(policy=policy.default).parsebytes(
        (FIXTURES / "bounce_dsn.eml").read_bytes()
    )
    msg = message(Subject="Fwd: bounce - can you check our address?")
    msg.add_attachment(bounce)
    # THEN the forward is the customer's own message
    assert verdict(msg) == AutoVerdict(auto_reply=False)
