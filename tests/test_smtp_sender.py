"""SmtpSender against aiosmtpd: explicit envelope, reply codes, connection trouble."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

import pytest

from mailflow.config import Security
from mailflow.errors import PermanentError, TransientError
from mailflow.mail.smtp import SmtpSender
from tests.servers import DROP, SmtpServer, free_port

pytestmark = pytest.mark.servers

CONFIRMATION = (
    b"From: Harbor Industrial Supply <orders@harbor-supply.example>\r\n"
    b"To: Buyer <buyer@customer.example>\r\n"
    b"Subject: [ORD-1042] Order confirmation\r\n"
    b"Message-ID: <ord-1042.1@harbor-supply.example>\r\n"
    b"Auto-Submitted: auto-replied\r\n"
    b"\r\n"
    b"We confirm your order PO-77.\r\n"
)
DESK = "bounces+ord-1042@harbor-supply.example"
BUYER = "buyer@customer.example"


def send(server: SmtpServer, *, rcpt_to: Sequence[str] = (BUYER,), **settings: object) -> str:
    sender = SmtpSender(server.smtp_settings(**settings))
    return asyncio.run(sender.send(CONFIRMATION, mail_from=DESK, rcpt_to=rcpt_to))


def test_delivers_with_the_given_envelope_not_the_headers(smtp_server: SmtpServer) -> None:
    # GIVEN an envelope that differs from the From/To headers (bounce address, Bcc)
    rcpt_to = [BUYER, "archive@harbor-supply.example"]
    # WHEN the message is sent
    send(smtp_server, rcpt_to=rcpt_to)
    # THEN the server saw exactly that envelope, and the bytes with their Message-ID
    [received] = smtp_server.wait_for(1)
    assert received.mail_from == DESK
    assert received.rcpt_tos == rcpt_to
    assert received.message_id == "<ord-1042.1@harbor-supply.example>"
    assert b"We confirm your order PO-77." in received.raw


def test_returns_the_servers_acceptance_text(smtp_server: SmtpServer) -> None:
    # GIVEN a server that queues the message  WHEN it is sent
    reply = send(smtp_server)
    # THEN the outbox can record the server's own words
    assert reply == "250 OK queued as 1"


@pytest.mark.parametrize("reply", ["451 4.3.0 try later", "421 4.7.0 closing"])
def test_4xx_at_data_is_a_transient_error(smtp_server: SmtpServer, reply: str) -> None:
    # GIVEN a server that defers the message
    smtp_server.fail_next(reply)
    # WHEN it is sent  THEN the outbox is told to retry, with the server's reply
    with pytest.raises(TransientError, match=re.escape(reply)):
        send(smtp_server)
    assert smtp_server.messages == []


def test_a_retry_after_a_deferral_delivers(smtp_server: SmtpServer) -> None:
    # GIVEN a server that deferred the first attempt
    smtp_server.fail_next("451 4.3.0 try later")
    with pytest.raises(TransientError):
        send(smtp_server)
    # WHEN the outbox retries  THEN the message is delivered once
    send(smtp_server)
    assert len(smtp_server.wait_for(1)) == 1


def test_550_is_a_permanent_error_with_the_code(smtp_server: SmtpServer) -> None:
    # GIVEN a server that rejects the message for good
    smtp_server.fail_next("550 5.7.1 message refused")
    # WHEN it is sent  THEN a human sees the code and text
    with pytest.raises(PermanentError, match=re.escape("550 5.7.1 message refused")):
        send(smtp_server)


def test_every_recipient_refused_is_a_permanent_error(smtp_server: SmtpServer) -> None:
    # GIVEN a server that knows neither recipient
    smtp_server.fail_next("550 5.1.1 no such user", times=2, at="RCPT")
    # WHEN the message is sent to both  THEN both refusals are named
    with pytest.raises(PermanentError) as raised:
        send(smtp_server, rcpt_to=[BUYER, "other@customer.example"])
    assert "550 5.1.1 no such user" in str(raised.value)
    assert "other@customer.example" in str(raised.value)


def test_a_deferred_recipient_makes_the_refusal_transient(smtp_server: SmtpServer) -> None:
    # GIVEN the only recipient deferred by greylisting
    smtp_server.fail_next("450 4.2.0 greylisted", at="RCPT")
    # WHEN the message is sent  THEN the outbox retries later
    with pytest.raises(TransientError, match=re.escape("450 4.2.0 greylisted")):
        send(smtp_server)


def test_partial_acceptance_names_the_refused_recipient(smtp_server: SmtpServer) -> None:
    # GIVEN a server that refuses the first of two recipients
    smtp_server.fail_next("550 5.1.1 no such user", at="RCPT")
    # WHEN the message is sent to both
    reply = send(smtp_server, rcpt_to=["gone@customer.example", BUYER])
    # THEN it is delivered to the other, and the acceptance text names the refusal
    assert smtp_server.wait_for(1)[0].rcpt_tos == [BUYER]
    assert reply.startswith("250 ")
    assert "gone@customer.example: 550 5.1.1 no such user" in reply


def test_refused_sender_is_a_permanent_error(smtp_server: SmtpServer) -> None:
    # GIVEN a server that does not let the desk's bounce address send
    smtp_server.fail_next("553 5.7.1 sender not allowed", at="MAIL")
    # WHEN the message is sent  THEN a human must fix the configuration
    with pytest.raises(PermanentError, match="553"):
        send(smtp_server)


def test_connection_refused_is_a_transient_error() -> None:
    # GIVEN no SMTP server on the configured port
    server = SmtpServer("127.0.0.1", free_port())
    # WHEN a message is sent  THEN the outbox retries later
    with pytest.raises(TransientError, match="connect"):
        send(server)


def test_hang_up_during_data_is_a_transient_error(smtp_server: SmtpServer) -> None:
    # GIVEN a server that drops the connection after the message body
    smtp_server.fail_next(DROP)
    # WHEN the message is sent  THEN the outbox retries later
    with pytest.raises(TransientError):
        send(smtp_server)


def test_login_delivers(smtp_server: SmtpServer) -> None:
    # GIVEN the relay's user name and password
    credentials = {"username": smtp_server.user, "password": smtp_server.password}
    # WHEN the message is sent  THEN it is delivered
    send(smtp_server, **credentials)
    assert len(smtp_server.wait_for(1)) == 1


def test_wrong_password_is_a_permanent_error_that_hides_it(smtp_server: SmtpServer) -> None:
    # GIVEN a wrong password
    # WHEN the message is sent
    with pytest.raises(PermanentError) as raised:
        send(smtp_server, username=smtp_server.user, password="not-the-password")
    # THEN the error names the user and the setting, never the password
    assert "535" in str(raised.value)
    assert "smtp.password" in str(raised.value)
    assert "not-the-password" not in str(raised.value)


def test_starttls_delivers(smtp_server: SmtpServer) -> None:
    # GIVEN STARTTLS to a relay with a self-signed certificate, verification off
    # WHEN the message is sent  THEN it is delivered over the encrypted session
    send(smtp_server, security=Security.STARTTLS, verify_tls=False)
    assert len(smtp_server.wait_for(1)) == 1


def test_untrusted_certificate_is_a_permanent_error(smtp_server: SmtpServer) -> None:
    # GIVEN STARTTLS to a relay with a self-signed certificate, verification on
    # WHEN the message is sent  THEN a human must install the CA (or turn verification off)
    with pytest.raises(PermanentError, match="verify_tls"):
        send(smtp_server, security=Security.STARTTLS)
