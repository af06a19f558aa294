"""Scoring extractions against the expected JSON of the evaluation corpus:
line precision/recall/F1 on (sku, quantity) multisets, per-field accuracy and
the share of e-mails where everything is right."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

FIELDS = ("intent", "customer_id", "po_number", "requested_date", "ship_to")


@dataclass(frozen=True)
class EmailScore:
    name: str
    true_positives: int
    false_positives: int
    false_negatives: int
    fields: dict[str, bool]

    @property
    def errors(self) -> int:
        wrong_fields = sum(not ok for ok in self.fields.values())
        return self.false_positives + self.false_negatives + wrong_fields

    @property
    def all_right(self) -> bool:
        """Every scored field right and the lines exactly right (no extra, none missed)."""
        return self.errors == 0


@dataclass(frozen=True)
class Report:
    emails: int
    precision: float
    recall: float
    f1: float
    accuracy: dict[str, float]
    all_right: float
    worst: list[EmailScore] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "emails": self.emails,
            "lines": {"precision": self.precision, "recall": self.recall, "f1": self.f1},
            "fields": self.accuracy,
            "all_right": self.all_right,
            "worst": [{"file": w.name, "errors": w.errors, "fields": w.fields} for w in self.worst],
        }


def _pairs(lines: Sequence[Mapping[str, Any]]) -> Counter[tuple[Any, Any]]:
    return Counter((line.get("sku"), line.get("quantity")) for line in lines)


def line_counts(
    expected: Sequence[Mapping[str, Any]], got: Sequence[Mapping[str, Any]]
) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of (sku, quantity) multisets."""
    want, have = _pairs(expected), _pairs(got)
    tp = sum((want & have).values())
    return tp, sum(have.values()) - tp, sum(want.values()) - tp


def _norm(value: Any) -> str:
    return "".join(str(value or "").split()).lower()


def ship_to_matches(expected: Mapping[str, Any] | None, got: Mapping[str, Any] | None) -> bool:
    """Postcode and city, case- and space-insensitively; null matches only null."""
    if expected is None or got is None:
        return expected is None and got is None
    return all(_norm(expected.get(k)) == _norm(got.get(k)) for k in ("postcode", "city"))


def field_matches(name: str, expected: Any, got: Any) -> bool:
    """Whether one scored field is right."""
    if name == "ship_to":
        return ship_to_matches(expected, got)
    return bool(expected == got)


def score_email(name: str, expected: Mapping[str, Any], got: Mapping[str, Any]) -> EmailScore:
    """The score of one e-mail."""
    tp, fp, fn = line_counts(expected.get("lines", []), got.get("lines", []))
    fields = {f: field_matches(f, expected.get(f), got.get(f)) for f in FIELDS}
    return EmailScore(name, tp, fp, fn, fields)


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 1.0


def aggregate(scores: Sequence[EmailScore], *, worst: int = 10) -> Report:
    """Corpus-level figures from per-e-mail scores."""
    tp = sum(s.true_positives for s in scores)
    fp = sum(s.false_positives for s in scores)
    fn = sum(s.false_negatives for s in scores)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    accuracy = {f: _ratio(sum(s.fields[f] for s in scores), len(scores)) for f in FIELDS}
    all_right = _ratio(sum(s.all_right for s in scores), len(scores))
    ranked = sorted((s for s in scores if s.errors), key=lambda s: (-s.errors, s.name))
    return Report(len(scores), precision, recall, f1, accuracy, all_right, ranked[:worst])


def format_report(report: Report) -> str:
    """A readable table of the figures."""
    rows = [
        f"e-mails            {report.emails}",
        f"lines precision    {report.precision:.3f}",
        f"lines recall       {report.recall:.3f}",
        f"lines F1           {report.f1:.3f}",
        *(f"{name:<18} {value:.3f}" for name, value in report.accuracy.items()),
        f"all right          {report.all_right:.3f}",
    ]
    if report.worst:
        rows.append("worst e-mails:")
        for item in report.worst:
            wrong = ", ".join(f for f, ok in item.fields.items() if not ok)
            lines = f"lines fp={item.false_positives} fn={item.false_negatives}"
            rows.append(f"  {item.name}  errors={item.errors}  {lines}  {wrong}".rstrip())
    return "\n".join(rows)
