"""The ``mailflow extract`` and ``mailflow eval`` commands (wired into Typer
by the CLI): extract every .eml given, or score a corpus directory."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from mailflow.extract.extractor import extract_order
from mailflow.extract.scoring import aggregate, format_report, score_email
from mailflow.mail.parse import parse_envelope
from mailflow.refdata import ReferenceData


def _emails(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.eml"))
        else:
            yield path


def extract_file(path: Path, refdata: ReferenceData) -> dict[str, Any]:
    """The corpus JSON of one .eml file, or ``{"file", "error"}`` when it cannot be read."""
    try:
        envelope = parse_envelope(path.read_bytes())
        return {"file": str(path), **extract_order(envelope, refdata).to_corpus_json()}
    except Exception as exc:
        return {"file": str(path), "error": f"{type(exc).__name__}: {exc}"}


def run_extract(paths: Sequence[Path], *, refdata: ReferenceData, out: TextIO) -> int:
    """Print one JSON object per e-mail; exit status 1 if any could not be read."""
    failed = 0
    for path in _emails(paths):
        result = extract_file(path, refdata)
        failed += "error" in result
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 1 if failed else 0


def run_eval(directory: Path, *, refdata: ReferenceData, out: TextIO, as_json: bool = False) -> int:
    """Extract every NNN.eml of ``directory`` and score it against NNN.json."""
    scores = []
    for path in sorted(directory.glob("*.eml")):
        expected_path = path.with_suffix(".json")
        if not expected_path.exists():
            continue
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        scores.append(score_email(path.stem, expected, extract_file(path, refdata)))
    if not scores:
        out.write(f"no NNN.eml with NNN.json in {directory}\n")
        return 2
    report = aggregate(scores)
    out.write(
        json.dumps(report.to_json(), indent=2) + "\n" if as_json else format_report(report) + "\n"
    )
    return 0
