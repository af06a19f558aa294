"""The sender's authentication, as our own receiving server recorded it in
Authentication-Results (only trusted authserv-ids count)."""

from __future__ import annotations

from mailflow.config import ChecksSettings
from tests.checks_support import check, codes, context, order, the

OURS = "mx.harbor-supply.example"
TRUSTING = ChecksSettings(trusted_authserv_ids=[OURS])


def sender_codes(*headers: str, settings: ChecksSettings = TRUSTING) -> list[str]:
    ctx = context(
        settings=settings, authentication_results=headers, sender="buyer@riverside.example"
    )
    return [c for c in codes(check(order(), ctx)) if c == "sender_unverified"]


def test_a_dmarc_failure_from_our_server_is_held_for_the_clerk() -> None:
    header = f"{OURS}; dkim=fail header.d=riverside.example; spf=softfail; dmarc=fail"
    ctx = context(
        settings=TRUSTING, authentication_results=[header], sender="buyer@riverside.example"
    )
    finding = the(check(order(), ctx), "sender_unverified")
    assert finding.severity == "warning" and finding.message == ""
    assert "(dkim=fail, dmarc=fail, spf=softfail)" in finding.clerk_message


def test_a_dmarc_pass_is_verified() -> None:
    assert sender_codes(f"{OURS}; dkim=pass; spf=fail; dmarc=pass (p=reject)") == []


def test_without_dmarc_a_dkim_pass_is_enough() -> None:
    assert sender_codes(f"{OURS} 1; spf=none; dkim=pass header.d=riverside.example") == []


def test_a_failure_claimed_by_an_untrusted_server_is_not_believed() -> None:
    assert sender_codes("mx.attacker.example; dmarc=fail", f"{OURS}; dmarc=pass") == []


def test_a_pass_claimed_by_an_untrusted_server_does_not_verify() -> None:
    assert sender_codes("mx.attacker.example; dmarc=pass", f"{OURS}; dmarc=fail") == [
        "sender_unverified"
    ]


def test_the_check_is_off_without_trusted_servers() -> None:
    assert sender_codes(f"{OURS}; dmarc=fail", settings=ChecksSettings()) == []


def test_a_missing_trusted_header_counts_only_when_required() -> None:
    required = ChecksSettings(trusted_authserv_ids=[OURS], require_authentication=True)
    assert sender_codes() == []
    assert sender_codes(settings=required) == ["sender_unverified"]
