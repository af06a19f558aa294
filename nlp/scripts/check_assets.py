"""Load and compile every language asset; exit non-zero naming a broken one.

python scripts/check_assets.py [ASSETS_DIR]
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import typer

from mailflow.extract.lexicon import load_lexicon

DEFAULT_ASSETS = Path(__file__).parent.parent / "assets"

# Asset entries that are data, not patterns.
NOT_PATTERNS = {"_doc", "months", "weekdays", "relative_day_offsets", "header_roles"}


def _patterns(name: str, value: Any) -> list[tuple[str, str]]:
    """Every regex-looking string under ``value``, with where it sits."""
    if name in NOT_PATTERNS or name.endswith("countries"):
        return []
    if isinstance(value, str):
        return [(name, value)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _patterns(f"{name}[{i}]", v)]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _patterns(f"{name}.{k}", v)]
    return []


def main(assets: Annotated[Path | None, typer.Argument()] = None) -> None:
    lexicon = load_lexicon((assets or DEFAULT_ASSETS).resolve())
    sections = {
        "dates": lexicon.dates,
        "references": lexicon.references,
        "addresses": lexicon.addresses,
        "lines": lexicon.lines,
    }
    checked = 0
    for section, data in sections.items():
        for where, pattern in _patterns(section, data):
            try:
                re.compile(pattern)
            except re.error as exc:
                typer.echo(f"{where}: {exc}", err=True)
                raise typer.Exit(1) from exc
            checked += 1
    typer.echo(
        f"{len(lexicon.units)} unit forms, {len(lexicon.intent_cues)} intent cues, "
        f"{len(lexicon.dates['patterns'])} date rules, {checked} patterns: all compile"
    )


if __name__ == "__main__":
    typer.run(main)
