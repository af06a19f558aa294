"""Scenarios for parse_envelope: what the order desk sees for awkward real-world mail."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest

from mailflow.errors import ParseError
from mailflow.mail.envelope import Envelope
from mailflow.mail.parse import MAX_TEXT_CHARS, parse_envelope

FIXTURES = Path(__file__).parent / "fixtures" / "eml"


def parse_fixture(name: str) -> Envelope:
    raw = (FIXTURES / name).read_bytes()
    return parse_envelope(
        raw, own_addresses=["orders@harbor-supply.example"], own_domain="harbor-supply.example"
    )


def simple_message(body: str = "10 boxes M8 bolts please.", **headers: str) -> bytes:
    msg = EmailMessage()
    for name, value in {"From": "buyer@customer.example", **headers}.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


# Charsets


def test_gbk_body_without_charset_is_read_as_chinese() -> None:
    # GIVEN a Chinese order whose GBK body declares no charset
    # WHEN it is parsed
    envelope = parse_fixture("gbk_body_no_charset.eml")
    # THEN the clerk reads the Chinese lines, and the language is Chinese
    assert "A4复印纸 10箱" in envelope.new_text
    assert envelope.language == "zh"


def test_gbk_body_labelled_latin1_is_read_as_chinese() -> None:
    # GIVEN a GBK body that a gateway labelled ISO-8859-1
    envelope = parse_fixture("gbk_body_labelled_latin1.eml")
    # THEN the text is Chinese, not Latin-1 mojibake
    assert envelope.new_text == "请按上次的价格再发 20 卷电缆，谢谢。"


def test_utf8_body_labelled_latin1_keeps_its_accents() -> None:
    # GIVEN a UTF-8 body labelled ISO-8859-1
    envelope = parse_fixture("utf8_body_labelled_latin1.eml")
    # THEN the Swedish street name is intact
    assert "Sandviksvägen 4, Umeå" in envelope.new_text


def test_big5_subject_sender_and_body_are_decoded() -> None:
    # GIVEN a Big5 message with RFC 2047 encoded subject and sender name
    envelope = parse_fixture("big5_subject_rfc2047.eml")
    # THEN all three read as traditional Chinese
    assert envelope.subject == "訂單確認 HK-2611-3"
    assert envelope.sender_name == "陳大文"
    assert "六角螺栓 M8x40 二十盒" in envelope.new_text


def test_iso2022jp_body_is_decoded() -> None:
    # GIVEN a 7-bit ISO-2022-JP body
    envelope = parse_fixture("iso2022jp_body.eml")
    # THEN its subject and body read as Japanese
    assert envelope.subject == "注文書"
    assert envelope.new_text == "注文書を送ります。"


def test_broken_encoded_word_does_not_cost_the_rest_of_the_subject() -> None:
    # GIVEN a subject with one undecodable RFC 2047 word among good ones
    envelope = parse_fixture("broken_rfc2047_subject.eml")
    # THEN the good words are decoded and the broken one is shown as written
    assert envelope.subject.endswith("PO café tail")


def test_raw_8bit_sender_name_is_decoded() -> None:
    # GIVEN a From header with an unencoded UTF-8 display name
    envelope = parse_fixture("broken_rfc2047_subject.eml")
    # THEN the name reads correctly
    assert envelope.sender_name == "王海燕"
    assert envelope.sender == "wanghy@pengda-pack.example"


# Headers


def test_bad_date_gives_no_date() -> None:
    # GIVEN a Date header that is not a date
    envelope = parse_fixture("bad_date_missing_from.eml")
    # THEN the date is unknown rather than invented
    assert envelope.date is None


def test_sender_header_stands_in_for_a_missing_from() -> None:
    # GIVEN a message without From but with a Sender header
    envelope = parse_fixture("bad_date_missing_from.eml")
    # THEN the sender comes from the Sender header
    assert envelope.sender == "robot@plant2.example"
    assert envelope.sender_name == "Purchasing Robot"


def test_missing_from_gives_an_empty_sender_and_still_parses() -> None:
    # GIVEN a message with neither From nor Sender
    envelope = parse_fixture("missing_from.eml")
    # THEN the sender is empty and the order text is still there
    assert envelope.sender == ""
    assert envelope.new_text == "5 rolls of tape."


def test_sender_is_a_bare_lower_cased_address() -> None:
    # GIVEN a From header with a display name and mixed case
    raw = simple_message(From='"Smith, James" <J.Smith@Riverside-Fab.EXAMPLE>')
    # THEN the sender is the bare address in lower case, the name without quotes
    envelope = parse_envelope(raw)
    assert envelope.sender == "j.smith@riverside-fab.example"
    assert envelope.sender_name == "Smith, James"


def test_recipients_come_from_to_and_cc_without_duplicates() -> None:
    raw = simple_message(
        To="Orders <orders@harbor-supply.example>, sales@harbor-supply.example",
        Cc="ORDERS@harbor-supply.example, boss@customer.example",
        Reply_To="Purchasing <purchasing@customer.example>",
    )
    envelope = parse_envelope(raw)
    assert envelope.recipients == [
        "orders@harbor-supply.example",
        "sales@harbor-supply.example",
        "boss@customer.example",
    ]
    assert envelope.reply_to == ["purchasing@customer.example"]


def test_timezone_less_date_is_read_as_utc() -> None:
    # GIVEN a Date with the RFC 5322 "-0000" (zone unknown) offset
    raw = simple_message(Date="Mon, 02 Nov 2026 09:14:37 -0000")
    # THEN the date is timezone-aware, in UTC
    assert parse_envelope(raw).date == datetime(2026, 11, 2, 9, 14, 37, tzinfo=UTC)


def test_thread_references_keep_angle_bracket_form() -> None:
    # GIVEN an Outlook reply with a folded References header
    envelope = parse_fixture("outlook_quoted_reply.eml")
    # THEN both ids are listed in order, each in <...> form
    assert envelope.in_reply_to == "<SO-26-20001.20261117160000@harbor-supply.example>"
    assert envelope.references == [
        "<quote-thread-0@bluewater-logistics.example>",
        "<SO-26-20001.20261117160000@harbor-supply.example>",
    ]
    assert envelope.message_id == "<outlook-reply-1@bluewater-logistics.example>"


def test_in_reply_to_without_brackets_is_normalised() -> None:
    # GIVEN an In-Reply-To written without angle brackets
    envelope = parse_fixture("gmail_reply_chinese_client.eml")
    # THEN it compares equal to our own Message-ID form
    assert envelope.in_reply_to == "<SO-26-20002.20261118160000@harbor-supply.example>"


def test_useful_headers_are_kept_as_text() -> None:
    envelope = parse_fixture("out_of_office_auto_submitted.eml")
    assert envelope.headers["Auto-Submitted"] == "auto-replied"
    assert envelope.headers["Content-Type"] == "text/plain; charset=utf-8"


# Body and attachments


def test_multipart_without_boundary_still_yields_text_and_attachment() -> None:
    # GIVEN a multipart/mixed whose Content-Type lost its boundary parameter
    envelope = parse_fixture("malformed_mime_boundary.eml")
    # THEN the text part is the body and the CSV is an attachment
    assert envelope.new_text == "Please enter PO BWL-5001: 12 rolls pallet wrap."
    assert [a.filename for a in envelope.attachments] == ["lines.csv"]
    assert envelope.attachments[0].payload.startswith(b"sku,qty")


def test_html_only_body_becomes_text_with_table_rows() -> None:
    # GIVEN an order whose lines are an HTML table and there is no plain part
    envelope = parse_fixture("html_only_with_script.eml")
    # THEN each table row is one line of text, cells in order
    lines = [" ".join(line.split()) for line in envelope.new_text.splitlines()]
    assert "PKG-TAPE-48 144" in lines
    assert "PPE-GLV-NIT-L 40" in lines


def test_html_scripts_styles_and_title_never_reach_the_text() -> None:
    envelope = parse_fixture("html_only_with_script.eml")
    for leaked in ("secret-token", "injected", "color: red", "Tracking title"):
        assert leaked not in envelope.text


def test_html_only_body_keeps_the_original_html() -> None:
    envelope = parse_fixture("html_only_with_script.eml")
    assert envelope.html is not None
    assert "<table>" in envelope.html


def test_empty_plain_alternative_falls_back_to_the_html() -> None:
    # GIVEN a multipart/alternative whose text/plain part is blank
    envelope = parse_fixture("html_alternative_empty_plain.eml")
    # THEN the HTML part's text is the body
    assert envelope.new_text == "Need 12 white hard hats by Friday."


def test_huge_attachment_is_kept_whole() -> None:
    # GIVEN a short order with a 12 MB attachment
    msg = EmailMessage()
    msg["From"] = "buyer@customer.example"
    msg.set_content("Drawing attached, 2 boxes M8 bolts.")
    blob = bytes(range(256)) * (12 * 4096)
    msg.add_attachment(blob, maintype="application", subtype="pdf", filename="drawing.pdf")
    # WHEN it is parsed
    envelope = parse_envelope(msg.as_bytes())
    # THEN the attachment is listed with its real size and bytes
    (attachment,) = envelope.attachments
    assert (attachment.filename, attachment.content_type) == ("drawing.pdf", "application/pdf")
    assert attachment.size == len(blob)
    assert attachment.payload == blob
    assert envelope.new_text == "Drawing attached, 2 boxes M8 bolts."


def test_huge_text_body_is_cut_for_splitting_and_parses_in_seconds() -> None:
    # GIVEN a body of several megabytes
    raw = simple_message("10 x bolts\n" * 400_000)
    # WHEN it is parsed
    started = time.monotonic()
    envelope = parse_envelope(raw)
    # THEN the full text is kept, the split text is capped, and it is quick
    assert len(envelope.text) > MAX_TEXT_CHARS
    assert len(envelope.new_text) <= MAX_TEXT_CHARS
    assert time.monotonic() - started < 30


def test_chinese_character_filename_is_decoded() -> None:
    msg = EmailMessage()
    msg["From"] = "wanghy@pengda-pack.example"
    msg.set_content("明细见附件")
    msg.add_attachment(b"sku,qty\n", maintype="text", subtype="csv", filename="采购明细.csv")
    (attachment,) = parse_envelope(msg.as_bytes()).attachments
    assert attachment.filename == "采购明细.csv"


# Replies and forwards


def test_outlook_reply_shows_only_what_the_customer_wrote() -> None:
    # GIVEN a reply quoting our confirmation under an Outlook header block
    envelope = parse_fixture("outlook_quoted_reply.eml")
    # THEN the new text is the confirmation, and our lines are in the quote
    assert envelope.new_text == "Confirmed - please ship as listed."
    assert "PKG-TAPE-48" in envelope.quoted_text
    assert "2200 Harbor Blvd" in envelope.signature


def test_chinese_gmail_reply_splits_quote_and_signature() -> None:
    envelope = parse_fixture("gmail_reply_chinese_client.eml")
    assert envelope.new_text == "确认无误，请安排发货。"
    assert envelope.quoted_text.startswith("Harbor Industrial Supply 订单部")
    assert "电话：021-5888 1234" in envelope.signature
    assert envelope.language == "zh"


def test_inline_forward_stays_in_new_text() -> None:
    # GIVEN a buyer forwarding a colleague's request with "please process"
    envelope = parse_fixture("forwarded_order.eml")
    # THEN the forwarded order is part of what we act on, not quoted history
    assert envelope.new_text.startswith("Please process the order below on PO BWL-5003.")
    assert "10 boxes large nitrile gloves" in envelope.new_text
    assert envelope.quoted_text == ""


def test_attached_forward_is_listed_and_its_text_is_new_text() -> None:
    # GIVEN a forward sent as a message/rfc822 attachment
    envelope = parse_fixture("forwarded_rfc822_attachment.eml")
    # THEN it is listed as an attachment, and its order text is in new_text
    (attachment,) = envelope.attachments
    assert (attachment.filename, attachment.content_type) == ("ear plugs.eml", "message/rfc822")
    assert "We need 6 boxes of ear plugs." in envelope.new_text
    assert "From: Luis Ortega" in envelope.new_text


def test_bounce_lists_the_returned_message_but_not_its_text() -> None:
    # GIVEN a delivery status notification returning our confirmation
    envelope = parse_fixture("bounce_dsn.eml")
    # THEN the report and the returned message are attachments,
    # and our own confirmation text is not read as the sender's text
    assert [a.content_type for a in envelope.attachments] == [
        "message/delivery-status",
        "message/rfc822",
    ]
    assert "SO-26-20003" not in envelope.new_text
    assert envelope.auto.reason == "bounce"


# What is not an e-mail


@pytest.mark.parametrize("raw", [b"", b"   \r\n\r\n  "])
def test_empty_input_is_a_parse_error(raw: bytes) -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_envelope(raw)


def test_bytes_without_mail_headers_are_a_parse_error() -> None:
    # GIVEN a PNG image saved as .eml
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"
    # THEN parsing says in one line that this is not an e-mail
    with pytest.raises(ParseError, match="not an e-mail"):
        parse_envelope(raw)


def test_html_reply_drops_the_blockquoted_history() -> None:
    # GIVEN an HTML-only Gmail reply whose history is in a <blockquote>
    msg = EmailMessage()
    msg["From"] = "Dave Kowalski <dkowalski@lakeshore-fm.example>"
    msg.set_content(
        "<div>Yes, go ahead.</div><div class=gmail_quote><div class=gmail_attr>"
        "On Mon, 2 Nov 2026 at 16:41, Harbor &lt;orders@harbor-supply.example&gt; wrote:"
        "</div><blockquote><div>1 FST-M8-40 20 box</div></blockquote></div>",
        subtype="html",
    )
    # WHEN it is parsed
    envelope = parse_envelope(msg.as_bytes())
    # THEN only the reply is new text
    assert envelope.new_text == "Yes, go ahead."
    assert "FST-M8-40" in envelope.quoted_text
