"""A stated delivery address: complete, a postcode that fits its country, and
flagged when it is not the customer's usual one."""

from __future__ import annotations

import pytest

from tests.checks_support import address, check, codes, order, the

ADDRESS_CODES = {"address_incomplete", "address_invalid_postcode", "address_changed"}


def address_codes(**parts: str) -> list[str]:
    return [c for c in codes(check(order(ship_to=address(**parts)))) if c in ADDRESS_CODES]


def test_no_stated_address_means_the_default_and_no_finding() -> None:
    assert [c for c in codes(check(order(ship_to=None))) if c in ADDRESS_CODES] == []


def test_an_address_without_postcode_and_city_is_incomplete() -> None:
    finding = the(check(order(ship_to=address(city="", postcode=""))), "address_incomplete")
    assert finding.field == "ship_to" and finding.data["missing"] == ["city", "postcode"]
    assert finding.message == (
        "The delivery address you gave (5 Kirkstall Road, United Kingdom) has no city and "
        "postcode. Could you send us the full address?"
    )


@pytest.mark.parametrize(
    ("country", "postcode"),
    [
        ("GB", "LS3 1HS"),
        ("GB", "ec1a1bb"),
        ("US", "08817"),
        ("US", "60523-1234"),
        ("SE", "906 20"),
        ("SE", "90620"),
        ("CN", "215123"),
    ],
)
def test_postcodes_of_the_right_format_pass(country: str, postcode: str) -> None:
    assert "address_invalid_postcode" not in address_codes(country=country, postcode=postcode)


@pytest.mark.parametrize(
    ("country", "postcode"),
    [
        ("GB", "LS3"),
        ("GB", "12345"),
        ("US", "0881"),
        ("US", "LS3 1HS"),
        ("SE", "9062"),
        ("CN", "21512"),
        ("CN", "2151234"),
    ],
)
def test_postcodes_that_do_not_fit_the_country_are_asked_about(country: str, postcode: str) -> None:
    assert "address_invalid_postcode" in address_codes(country=country, postcode=postcode)


def test_postcodes_of_other_countries_are_not_judged() -> None:
    assert "address_invalid_postcode" not in address_codes(country="IE", postcode="D12 X5K2")


def test_a_different_address_is_a_warning_the_customer_reads() -> None:
    finding = the(check(order(ship_to=address())), "address_changed")
    assert finding.severity == "warning"
    assert finding.message == (
        "We will deliver to the address you gave: 5 Kirkstall Road, Leeds, LS3 1HS, United Kingdom."
    )
    assert "(default: Goods In, Unit 4 Canal Street, Leeds" in finding.clerk_message


def test_the_default_address_written_out_is_not_a_change() -> None:
    # GIVEN the customer writes out their usual address, spaced differently
    same = address(street="Unit 4, Canal Street", city="Leeds", postcode="LS14AB")
    assert address_codes(**same.to_json()) == []
