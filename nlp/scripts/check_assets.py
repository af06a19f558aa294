"""Load and compile every language asset; exit non-zero naming a broken one.

python scripts/check_assets.py [ASSETS_DIR]
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

from mailflow.extract.lexicon import load_lexicon

DEFAULT_ASSETS = Path(__file__).parent.parent / "assets"


def main(assets: Path | None = None) -> None:
    lexicon = load_lexicon((assets or DEFAULT_ASSETS).resolve())
    for rule in lexicon.dates["patterns"]:
        re.compile(rule["regex"])
    for label in [*lexicon.references["labels"], *lexicon.references["weak_labels"]]:
        re.compile(label)
    typer.echo(
        f"{len(lexicon.units)} unit forms, {len(lexicon.intent_cues)} intent cues, "
        f"{len(lexicon.dates['patterns'])} date rules: all compile"
    )


if __name__ == "__main__":
    typer.run(main)
