"""``mailflow parse``: show how Mailflow reads .eml files, one message at a time.

A file that cannot be read or parsed prints a one-line error in place of its
message and the others still print: one bad file in a folder of hundreds
must not hide the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from mailflow.errors import ParseError
from mailflow.mail.envelope import Envelope
from mailflow.mail.parse import parse_envelope

_PREVIEW_CHARS = 200


def run_parse(
    paths: Sequence[Path],
    *,
    as_json: bool,
    out: TextIO,
    own_addresses: Sequence[str] = (),
    own_domain: str | None = None,
) -> int:
    """Print every message under ``paths``; return 0 if all parsed, 1 if any failed."""
    failed = False
    for path in _message_files(paths):
        result = _parse_file(path, own_addresses=own_addresses, own_domain=own_domain)
        failed = failed or isinstance(result, str)
        out.write(_render(path, result, as_json=as_json) + "\n")
    return 1 if failed else 0


def _message_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        # A folder stands for the .eml files in it; anything else is tried as
        # a message, so that a missing file is reported rather than skipped.
        yield from sorted(path.glob("*.eml")) if path.is_dir() else (path,)


def _parse_file(
    path: Path, *, own_addresses: Sequence[str], own_domain: str | None
) -> Envelope | str:
    """The envelope of the message in ``path``, or a one-line reason why there is none."""
    try:
        raw = path.read_bytes()
        return parse_envelope(raw, own_addresses=own_addresses, own_domain=own_domain)
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    except ParseError as exc:
        return _one_line(str(exc))
    except Exception as exc:
        # A parser bug on one message must not hide the other messages; the
        # error names the exception so that the bug can be reported.
        return _one_line(f"internal error: {type(exc).__name__}: {exc}")


def _render(path: Path, result: Envelope | str, *, as_json: bool) -> str:
    if isinstance(result, str):
        error = {"file": str(path), "error": result}
        return json.dumps(error, ensure_ascii=False) if as_json else f"{path}: error: {result}"
    if as_json:
        return json.dumps({"file": str(path), **result.to_json()}, ensure_ascii=False)
    return _summary(path, result)


def _summary(path: Path, envelope: Envelope) -> str:
    auto = f"auto ({envelope.auto.reason})" if envelope.auto.auto_reply else "human"
    date = envelope.date.isoformat() if envelope.date else "no date"
    names = ", ".join(a.filename for a in envelope.attachments) or "none"
    preview = _one_line(envelope.new_text)[:_PREVIEW_CHARS]
    return "\n".join(
        [
            str(path),
            f"  from:        {envelope.sender_name} <{envelope.sender}>".rstrip(),
            f"  subject:     {envelope.subject}",
            f"  date:        {date}   language: {envelope.language}   {auto}",
            f"  attachments: {names}",
            f"  new text:    {preview}",
        ]
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
