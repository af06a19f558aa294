"""The clerks' review UI: a server-rendered Starlette app over the same
database and services as the pipeline. ``create_app(settings)`` builds it."""

from __future__ import annotations

from mailflow.web.factory import create_app
from mailflow.web.options import WebOptions

__all__ = ["WebOptions", "create_app"]
