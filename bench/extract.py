"""Extraction speed over a corpus folder of .eml files: the pipeline load time,
then e-mails per second of ``extract_order`` alone (each e-mail parsed once
beforehand) and of parsing plus extraction (what ``mailflow extract`` does),
and the ``mailflow eval`` figures when the folder has NNN.json files.

    taskset -c 0 .venv/bin/python bench/extract.py [DIR] [--catalog CSV] [--customers CSV]

DIR defaults to ../shared/corpus/dev; the catalog and customers default to the
CSV files of ../shared/corpus. Run it pinned to one core, as above.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mailflow.extract import build_pipeline, extract_order
from mailflow.extract.commands import run_eval
from mailflow.mail.parse import parse_envelope
from mailflow.refdata import load_reference_data

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MIN_SECONDS = 3.0


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=SHARED / "dev")
    parser.add_argument("--catalog", type=Path, default=SHARED / "catalog.csv")
    parser.add_argument("--customers", type=Path, default=SHARED / "customers.csv")
    parser.add_argument("--seconds", type=float, default=MIN_SECONDS, help="minimum timed run")
    return parser.parse_args(argv)


def _throughput(label: str, run_all: Callable[[], list[object]], args: argparse.Namespace) -> None:
    """Run over the folder until ``args.seconds`` passed; print e-mails per second by
    the wall clock and by this process's CPU time (the fairer figure on a busy host)."""
    count, started, cpu = 0, time.perf_counter(), time.process_time()
    while count == 0 or time.perf_counter() - started < args.seconds:
        count += len(run_all())
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{label:<18} {count / wall:.1f} e-mails/s wall, {count / used:.1f} e-mails/s CPU"
        f" ({count} e-mails)"
    )


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    emails = sorted(args.directory.glob("*.eml"))
    if not emails:
        print(f"no .eml files in {args.directory}")
        return 2
    refdata = load_reference_data(catalog=args.catalog, customers=args.customers)
    envelopes = [parse_envelope(path.read_bytes()) for path in emails]
    loading = time.perf_counter()
    for language in ("en", "zh"):  # build and cache both pipelines before timing
        build_pipeline(language, refdata)
    extract_order(envelopes[0], refdata)  # first-call imports and lazy set-up
    print(f"pipeline load      {time.perf_counter() - loading:.2f} s")
    _throughput("extract", lambda: [extract_order(e, refdata) for e in envelopes], args)
    raws = [path.read_bytes() for path in emails]
    _throughput(
        "parse + extract", lambda: [extract_order(parse_envelope(r), refdata) for r in raws], args
    )
    report = io.StringIO()
    if run_eval(args.directory, refdata=refdata, out=report) == 0:
        print(report.getvalue(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
