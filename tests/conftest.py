"""Shared fixtures: settings on a temporary folder, a SQLite or PostgreSQL
database, and the real servers from ``tests/servers.py``."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mailflow.config import Settings, load_settings

pytest_plugins = ["tests.servers", "tests.web_fixtures"]

REPO = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("MAILFLOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def servers_required() -> bool:
    return os.environ.get("MAILFLOW_REQUIRE_SERVERS") == "1"


SettingsFactory = Callable[..., Settings]


def base_sections(tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The settings every test starts from, rooted in ``tmp_path``."""
    return {
        "database": {"url": f"sqlite:///{tmp_path / 'mailflow.db'}"},
        "inbox": {"kind": "maildir", "path": str(tmp_path / "inbox"), "account": "test"},
        "smtp": {"kind": "file", "out_dir": str(tmp_path / "sent")},
        "export": {"dir": str(tmp_path / "exports")},
        "templates": {"dir": str(REPO / "templates")},
        "data": {
            "catalog": str(REPO / "config/demo/catalog.csv"),
            "customers": str(REPO / "config/demo/customers.csv"),
            "promotions": str(REPO / "config/demo/promotions.csv"),
            "holidays": str(REPO / "config/demo/holidays.csv"),
        },
    }


def merge(base: dict[str, dict[str, Any]], **sections: dict[str, Any]) -> dict[str, dict[str, Any]]:
    merged = {name: dict(values) for name, values in base.items()}
    for name, values in sections.items():
        merged[name] = {**merged.get(name, {}), **values}
    return merged


@pytest.fixture
def make_settings(tmp_path: Path) -> SettingsFactory:
    """Settings rooted in ``tmp_path``; keyword arguments override sections."""

    def build(**sections: dict[str, Any]) -> Settings:
        return load_settings(
            REPO / "config/mailflow.toml", **merge(base_sections(tmp_path), **sections)
        )

    return build


@pytest.fixture
def settings(make_settings: SettingsFactory) -> Settings:
    return make_settings()


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    from mailflow.app import App

    application = App.build(settings)
    yield application
    application.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped afterwards."""
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:
        if servers_required():
            pytest.fail(f"PostgreSQL is required but not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}")
    name = f"mailflow_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
