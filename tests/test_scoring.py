"""Scoring extractions against expected corpus JSON."""

from __future__ import annotations

from mailflow.extract.scoring import (
    aggregate,
    format_report,
    line_counts,
    score_email,
    ship_to_matches,
)


def _order(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "intent": "order",
        "customer_id": "C-1",
        "po_number": "4471",
        "requested_date": None,
        "ship_to": None,
        "lines": [],
    }
    return {**base, **fields}


def test_lines_are_compared_as_multisets() -> None:
    # GIVEN the same product twice expected and once extracted
    expected = [{"sku": "A", "quantity": 2}, {"sku": "A", "quantity": 2}]
    got = [{"sku": "A", "quantity": 2}, {"sku": "B", "quantity": 1}]
    # THEN one hit, one false positive, one miss
    assert line_counts(expected, got) == (1, 1, 1)


def test_null_sku_lines_count_by_quantity() -> None:
    assert line_counts([{"sku": None, "quantity": 10}], [{"sku": None, "quantity": 10}]) == (
        1,
        0,
        0,
    )


def test_ship_to_compares_postcode_and_city_loosely() -> None:
    expected = {"street": "x", "city": "Leeds", "postcode": "LS1 4AB", "country": "GB"}
    assert ship_to_matches(
        expected, {"street": "y", "city": "leeds", "postcode": "ls14ab", "country": "GB"}
    )


def test_null_ship_to_matches_only_null() -> None:
    assert ship_to_matches(None, None)
    assert not ship_to_matches(None, {"city": "Leeds", "postcode": "LS1 4AB"})


def test_email_score_lists_wrong_fields() -> None:
    score = score_email("001", _order(), _order(po_number="PO# 4471"))
    assert score.fields["po_number"] is False and score.errors == 1


def test_report_figures_and_worst_emails() -> None:
    # GIVEN one perfect e-mail and one with a missed line
    line = {"sku": "A", "quantity": 1}
    perfect = score_email("001", _order(lines=[line]), _order(lines=[line]))
    missed = score_email("002", _order(lines=[line]), _order(lines=[]))
    # WHEN aggregated
    report = aggregate([perfect, missed])
    # THEN precision is perfect, recall halves and the worst e-mail is named
    assert (report.precision, report.recall) == (1.0, 0.5)
    assert [w.name for w in report.worst] == ["002"]
    assert "002" in format_report(report)


def test_report_json_has_every_field() -> None:
    report = aggregate([score_email("001", _order(), _order())])
    assert set(report.to_json()["fields"]) == {
        "intent",
        "customer_id",
        "po_number",
        "requested_date",
        "ship_to",
    }


def test_all_right_share_counts_only_flawless_emails() -> None:
    # GIVEN one flawless e-mail, one with an extra line and one with a wrong PO
    line = {"sku": "A", "quantity": 1}
    flawless = score_email("001", _order(lines=[line]), _order(lines=[line]))
    extra = score_email("002", _order(lines=[line]), _order(lines=[line, line]))
    wrong_po = score_email("003", _order(lines=[line]), _order(lines=[line], po_number="9"))
    # WHEN aggregated
    report = aggregate([flawless, extra, wrong_po])
    # THEN one e-mail in three is all right, in the table and in the JSON
    assert [s.all_right for s in (flawless, extra, wrong_po)] == [True, False, False]
    assert report.all_right == 0.3333
    assert "all right          0.333" in format_report(report)
    assert report.to_json()["all_right"] == 0.3333


def test_all_right_share_of_a_perfect_corpus_is_one() -> None:
    report = aggregate([score_email("001", _order(), _order())])
    assert report.all_right == 1.0
