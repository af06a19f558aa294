"""Products: unknown, ambiguous and discontinued lines are asked about, with
the closest products of the catalog as suggestions."""

from __future__ import annotations

from tests.checks_support import check, codes, line, order, the


def test_a_line_of_a_catalog_product_raises_nothing() -> None:
    # GIVEN an order for an active catalog product
    findings = check(order(line("FST-M8-40", 2)))
    # THEN no product finding is raised
    assert not {"unknown_product", "ambiguous_product", "inactive_product"} & set(codes(findings))


def test_unknown_product_suggests_the_closest_active_products() -> None:
    # GIVEN a line the extractor could not match, written close to a catalog name
    findings = check(order(line(None, 3, "hex bolts M8 x 45")))
    # WHEN the catalog check runs
    finding = the(findings, "unknown_product")
    # THEN the customer is asked with the closest bolts as suggestions
    assert finding.severity == "error" and finding.line == 0 and finding.field == "sku"
    assert finding.data["options"][:2] == ["FST-M8-40", "FST-M8-50"]
    assert 'We could not find "hex bolts M8 x 45"' in finding.message
    assert "Hex bolt M8 x 40 mm (FST-M8-40)" in finding.message


def test_unknown_product_without_anything_close_asks_for_the_code() -> None:
    findings = check(order(line(None, 5, "5 tubes of silicone sealant, clear")))
    finding = the(findings, "unknown_product")
    assert finding.data["options"] == []
    assert "Could you send us the product code" in finding.message


def test_ambiguous_product_lists_the_products_that_fit_and_asks_which() -> None:
    # GIVEN "M8 bolts" which the extractor found to fit two lengths equally
    ambiguous = line(None, 10, "M8 bolts", candidates=["FST-M8-40", "FST-M8-50"])
    finding = the(check(order(ambiguous)), "ambiguous_product")
    # THEN both are offered and the customer is asked which one
    assert finding.data["options"] == ["FST-M8-40", "FST-M8-50"]
    assert finding.message.endswith("Which one do you need?")


def test_a_single_candidate_is_an_unknown_product_with_that_suggestion() -> None:
    finding = the(
        check(order(line(None, 10, "bolts", candidates=["FST-M8-50"]))), "unknown_product"
    )
    assert finding.data["options"][0] == "FST-M8-50"


def test_inactive_product_suggests_active_ones_of_the_same_family() -> None:
    # GIVEN a discontinued fitting whose family has an active successor
    finding = the(check(order(line("HYD-FIT-12", 20))), "inactive_product")
    # THEN the successor is offered
    assert finding.data["options"] == ["HYD-FIT-12B"]
    assert "is no longer available. We can offer Hydraulic fitting 1/2 in" in finding.message


def test_inactive_product_without_a_family_asks_whether_to_leave_it_out() -> None:
    finding = the(check(order(line("DRL-HSS-8", 2))), "inactive_product")
    assert "Shall we leave it out of this order?" in finding.message


def test_an_order_without_lines_asks_for_products() -> None:
    finding = the(check(order(lines=[])), "no_lines")
    assert finding.field == "lines" and finding.severity == "error"
