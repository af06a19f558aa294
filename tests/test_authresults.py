"""Only Authentication-Results from our own servers are believed, and only a
pass that vouches for the From domain counts."""

from __future__ import annotations

from mailflow.mail.authresults import evaluate

TRUSTED = ["mx.harbor-supply.example"]
CUSTOMER = "millbrook-eng.example"


def verdict(*headers: str, trusted: list[str] = TRUSTED) -> bool | None:
    return evaluate(list(headers), trusted=trusted, from_domain=CUSTOMER).verified


def test_dmarc_pass_from_trusted_server_verifies() -> None:
    assert verdict("mx.harbor-supply.example; dkim=pass header.d=x.example; spf=fail; dmarc=pass")


def test_dmarc_fail_decides_even_when_dkim_passes() -> None:
    header = "mx.harbor-supply.example; dkim=pass header.d=millbrook-eng.example; dmarc=fail"
    result = evaluate([header], trusted=TRUSTED, from_domain=CUSTOMER)
    assert result.verified is False and "dmarc=fail" in result.reason


def test_aligned_dkim_or_spf_pass_verifies_without_dmarc() -> None:
    dkim = "mx.harbor-supply.example; dkim=pass header.d=mail.millbrook-eng.example; spf=fail"
    spf = "mx.harbor-supply.example; dkim=none; spf=pass smtp.mailfrom=buyer@millbrook-eng.example"
    assert verdict(dkim) is True
    assert verdict(spf) is True


def test_a_forgers_own_domain_passing_does_not_count() -> None:
    # GIVEN a forged From whose mail passed SPF and DKIM for the forger's domain
    header = (
        "mx.harbor-supply.example; dkim=pass header.d=evil.example; "
        "spf=pass smtp.mailfrom=bounce@evil.example"
    )
    result = evaluate([header], trusted=TRUSTED, from_domain=CUSTOMER)
    assert result.verified is False and f"none for {CUSTOMER}" in result.reason


def test_forged_header_from_an_untrusted_server_is_ignored() -> None:
    forged = "mx.evil.example; dmarc=pass"
    ours = "mx.harbor-supply.example; dmarc=fail"
    assert verdict(forged, ours) is False
    assert verdict(forged) is None


def test_no_trusted_servers_configured_means_unknown() -> None:
    assert verdict("mx.harbor-supply.example; dmarc=fail", trusted=[]) is None


def test_comments_do_not_fake_a_result() -> None:
    assert (
        verdict("mx.harbor-supply.example; dkim=fail (dkim=pass header.d=millbrook-eng.example)")
        is False
    )
