"""Alembic environment: runs on the connection handed over by ``upgrade()``,
or on ``MAILFLOW_DATABASE__URL`` when called by the alembic CLI."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from mailflow.db.models import Base
from mailflow.db.session import make_engine


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = os.environ.get("MAILFLOW_DATABASE__URL", "sqlite:///var/mailflow.db")
    with make_engine(url).begin() as fresh:
        _run(fresh)


run_migrations_online()
