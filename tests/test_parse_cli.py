"""Scenarios for run_parse, the function behind ``mailflow parse``."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from mailflow.mail.parse_cli import run_parse

FIXTURES = Path(__file__).parent / "fixtures" / "eml"


def test_good_and_garbage_files_both_print_and_the_exit_code_is_1(tmp_path: Path) -> None:
    # GIVEN a folder with a good message and a file that is not an e-mail
    shutil.copy(FIXTURES / "outlook_quoted_reply.eml", tmp_path / "a_good.eml")
    (tmp_path / "b_garbage.eml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    out = io.StringIO()
    # WHEN the folder is parsed as JSON
    code = run_parse([tmp_path], as_json=True, out=out)
    # THEN one object per file is printed, in name order, and the run failed
    good, garbage = (json.loads(line) for line in out.getvalue().splitlines())
    assert good["file"] == str(tmp_path / "a_good.eml")
    assert good["new_text"] == "Confirmed - please ship as listed."
    assert garbage == {
        "file": str(tmp_path / "b_garbage.eml"),
        "error": "not an e-mail: no message headers found",
    }
    assert code == 1


def test_all_files_parsed_exits_0() -> None:
    out = io.StringIO()
    code = run_parse([FIXTURES / "forwarded_order.eml"], as_json=True, out=out)
    assert json.loads(out.getvalue())["sender"] == "mgonzalez@bluewater-logistics.example"
    assert code == 0


def test_missing_file_is_reported_in_one_line(tmp_path: Path) -> None:
    out = io.StringIO()
    code = run_parse([tmp_path / "nope.eml"], as_json=True, out=out)
    assert json.loads(out.getvalue()) == {
        "file": str(tmp_path / "nope.eml"),
        "error": "cannot read: No such file or directory",
    }
    assert code == 1


def test_human_summary_shows_sender_verdict_and_new_text() -> None:
    out = io.StringIO()
    run_parse([FIXTURES / "out_of_office_auto_submitted.eml"], as_json=False, out=out)
    summary = out.getvalue()
    assert "Sophie Turner <sophie.turner@orchardpack.example>" in summary
    assert "auto (auto-submitted)" in summary
    assert "I am out of the office until Monday 30 November." in summary


def test_human_summary_of_a_garbage_file_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "empty.eml").write_bytes(b"")
    out = io.StringIO()
    run_parse([tmp_path / "empty.eml"], as_json=False, out=out)
    assert out.getvalue() == f"{tmp_path / 'empty.eml'}: error: empty message: no bytes to parse\n"
