"""Build pipelines from config files and print their components.

python scripts/build.py configs/en.cfg [configs/zh.cfg ...]
"""

from __future__ import annotations

from pathlib import Path

import spacy
import typer

import mailflow.extract.pipeline  # noqa: F401  (registers the component factories)


def main(configs: list[Path]) -> None:
    for path in configs:
        nlp = spacy.util.load_model_from_config(spacy.util.load_config(path), auto_fill=True)
        typer.echo(f"{path}: lang={nlp.lang} pipeline={nlp.pipe_names}")


if __name__ == "__main__":
    typer.run(main)
