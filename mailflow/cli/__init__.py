"""The ``mailflow`` command. A bad configuration stops every command with one
line naming the key and exit code 2."""

from __future__ import annotations

import importlib
import logging

from mailflow.cli.common import app

# Each module registers its commands on ``app``; --help lists them in this
# order: running the loop, then the clerk's desk, then the inspection tools.
COMMAND_MODULES = ("service", "desk", "tools")
for _name in COMMAND_MODULES:
    importlib.import_module(f"mailflow.cli.{_name}")
# The review UI's commands: `mailflow web` and `mailflow users …`.
app.add_typer(importlib.import_module("mailflow.webcli").app)

__all__ = ["app", "main"]


def main() -> None:
    logging.captureWarnings(True)
    app()
