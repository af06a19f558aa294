"""Only Authentication-Results from our own servers are believed."""

from __future__ import annotations

from mailflow.mail.authresults import evaluate

TRUSTED = ["mx.harbor-supply.example"]


def test_dmarc_pass_from_trusted_server_verifies() -> None:
    header = "mx.harbor-supply.example; dkim=pass header.d=c.example; spf=fail; dmarc=pass"
    assert evaluate([header], trusted=TRUSTED).verified is True


def test_dmarc_fail_decides_even_when_dkim_passes() -> None:
    header = "mx.harbor-supply.example; dkim=pass; spf=pass; dmarc=fail (p=reject)"
    verdict = evaluate([header], trusted=TRUSTED)
    assert verdict.verified is False and "dmarc=fail" in verdict.reason


def test_without_dmarc_both_dkim_and_spf_must_fail() -> None:
    failing = "mx.harbor-supply.example; dkim=fail; spf=softfail"
    one_passes = "mx.harbor-supply.example; dkim=none; spf=pass smtp.mailfrom=c.example"
    assert evaluate([failing], trusted=TRUSTED).verified is False
    assert evaluate([one_passes], trusted=TRUSTED).verified is True


def test_forged_header_from_an_untrusted_server_is_ignored() -> None:
    # GIVEN a spoofer who wrote a "pass" header above ours
    forged = "mx.evil.example; dmarc=pass"
    ours = "mx.harbor-supply.example; dmarc=fail"
    assert evaluate([forged, ours], trusted=TRUSTED).verified is False
    assert evaluate([forged], trusted=TRUSTED).verified is None


def test_no_trusted_servers_configured_means_unknown() -> None:
    assert evaluate(["mx.harbor-supply.example; dmarc=fail"], trusted=[]).verified is None
