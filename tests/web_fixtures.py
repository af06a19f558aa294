"""Fixtures shared by the review UI's tests (loaded from conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from mailflow.app import App
from tests.web_support import DemoOrders, fill_desk, signed_in


@pytest.fixture
def desk(app: App) -> DemoOrders:
    """The demo orders in the desk: awaiting approval, one of each kind."""
    return fill_desk(app)


@pytest.fixture
def clerk(app: App, desk: DemoOrders) -> Iterator[TestClient]:
    """Clerk "anna", signed in, with the demo orders in the desk."""
    yield from signed_in(app, "anna")
