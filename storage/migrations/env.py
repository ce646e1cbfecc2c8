"""Alembic environment: runs on the connection handed over by storage.db."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection

from storage.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_standalone() -> None:
    """Used by the plain ``alembic`` command: connect to DATABASE_URL."""
    from config.settings import DEFAULT_DATABASE_URL
    from storage.db import create_engine

    async def run() -> None:
        engine = create_engine(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
        async with engine.begin() as conn:
            await conn.run_sync(_run)
        await engine.dispose()

    asyncio.run(run())


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    _run_standalone()
