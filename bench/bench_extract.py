"""Extraction speed and accuracy over a corpus directory of NNN.eml + NNN.json.
Prints e-mails per second (parse + extract, pipeline already warm) and the
per-field figures of ``mailflow eval``.

    .venv/bin/python bench/bench_extract.py [DIR]   (default ../shared/corpus/dev)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from mailflow.extract import build_pipeline, extract_order
from mailflow.extract.commands import extract_file
from mailflow.extract.scoring import aggregate, format_report, score_email
from mailflow.mail.parse import parse_envelope
from mailflow.refdata import load_reference_data

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpus"
ROUNDS = 3


def main(directory: Path) -> int:
    # A held-out folder (nlp/corpus/holdout) uses the shared catalog and customers.
    corpus = directory.parent if (directory.parent / "catalog.csv").exists() else SHARED
    refdata = load_reference_data(
        catalog=corpus / "catalog.csv", customers=corpus / "customers.csv"
    )
    emails = sorted(directory.glob("*.eml"))
    if not emails:
        print(f"no .eml files in {directory}")
        return 2
    raws = [path.read_bytes() for path in emails]
    loading = time.perf_counter()
    for language in ("en", "zh"):  # build and cache both pipelines before timing
        build_pipeline(language, refdata)
    print(f"pipelines loaded in {time.perf_counter() - loading:.2f} s")
    extract_order(parse_envelope(raws[0]), refdata)
    started = time.perf_counter()
    for _ in range(ROUNDS):
        for raw in raws:
            extract_order(parse_envelope(raw), refdata)
    elapsed = time.perf_counter() - started
    count = len(raws) * ROUNDS
    print(f"{count} e-mails in {elapsed:.2f} s: {count / elapsed:.1f} e-mails/s")
    scores = []
    for path in emails:
        expected_path = path.with_suffix(".json")
        if expected_path.exists():
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
            scores.append(score_email(path.stem, expected, extract_file(path, refdata)))
    if scores:
        print(format_report(aggregate(scores)))
    return 0


if __name__ == "__main__":
    default = SHARED / "dev"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
