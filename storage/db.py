"""Engine, sessions and migrations for SQLite (default) and PostgreSQL.

One :class:`Database` per process; one ``AsyncSession`` per unit of work,
opened with :meth:`Database.session` (a transaction that commits on success
and rolls back on error).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Select, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from config.settings import normalise_database_url

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SQLITE_BUSY_TIMEOUT_MS = 10_000

T = TypeVar("T")


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine for ``url``, tuned for its backend.

    SQLite gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE``
    transactions (so that two writers queue instead of failing to upgrade a
    read lock); PostgreSQL gets a pre-pinging pool. On both, statement
    parameters never appear in exception messages or SQL logs
    (``hide_parameters``): they carry phone and identity numbers and whole
    complaint texts.
    """
    url = normalise_database_url(url)
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        _tune_sqlite(engine)
        return engine
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The process's database: an engine and a session factory."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_database_url(url)
        self.engine = create_engine(self.url, **engine_kwargs)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a SQLite database (one process owns the scheduler)."""
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commit on success, roll back on any error."""
        async with self.sessionmaker() as session, session.begin():
            yield session

    async def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to ``revision``."""
        async with self.engine.begin() as conn:
            await conn.run_sync(_run_alembic, "upgrade", revision)

    async def downgrade(self, revision: str = "base") -> None:
        """Downgrade the schema to ``revision``."""
        async with self.engine.begin() as conn:
            await conn.run_sync(_run_alembic, "downgrade", revision)

    async def current_revision(self) -> str | None:
        """The schema revision the database is at, or None before ``minqing init``."""
        async with self.engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )

    async def is_up_to_date(self) -> bool:
        """Whether the schema is at the newest migration."""
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        return await self.current_revision() == head

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


async def add_flushed(session: AsyncSession, row: T) -> T:
    """Add a new row to the session and flush it, so that it has its id; the row."""
    session.add(row)
    await session.flush()
    return row


async def fetch_all(session: AsyncSession, stmt: Select[T], limit: int | None = None) -> list[T]:
    """The rows ``stmt`` selects (one entity or column), at most ``limit`` of them."""
    if limit is not None:
        stmt = stmt.limit(limit)
    return list((await session.scalars(stmt)).all())


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _run_alembic(connection: Connection, action: str, revision: str) -> None:
    cfg = alembic_config(connection)
    if action == "upgrade":
        command.upgrade(cfg, revision)
    else:
        command.downgrade(cfg, revision)
