"""Engine, sessions and migrations for SQLite (default) and PostgreSQL.

One :class:`Database` per process; one ``AsyncSession`` per unit of work,
opened with :meth:`Database.session` (a transaction that commits on success
and rolls back on error).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from sqlalchemy import Connection, Select, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import greenlet_spawn

from config.settings import normalise_database_url
from storage.revisions import head_revision, run_alembic
from storage.sqlite_hot import SQLITE_BUSY_TIMEOUT_MS, SqliteLoopReader, SqliteTransaction

#: A transaction on the hot path (:meth:`Database.hot`): Core on PostgreSQL; on SQLite a
#: :class:`SqliteLoopReader` (reads) or a :class:`SqliteTransaction` (writes).
HotConnection = AsyncConnection | aiosqlite.Connection | SqliteLoopReader | SqliteTransaction
#: The raw SQLite forms of :data:`HotConnection` (plain SQL with ``?`` parameters).
RAW_SQLITE = (aiosqlite.Connection, SqliteLoopReader, SqliteTransaction)

#: Execution option of the read-only engine: SQLite opens its transactions DEFERRED.
READ_ONLY = "minqing_read_only"


@dataclass
class WriteNote:
    """Whether a unit of work that may write ran while this note was current.

    The bot sets a fresh note around each update (:func:`noting_writes`); a
    settled update that opened no write session had no effect beyond its
    answers and its conversation state, so its settling may wait for the next
    write (:meth:`bot.runtime.inbox.UpdateInbox.done`).
    """

    wrote: bool = False


_WRITE_NOTE: ContextVar[WriteNote | None] = ContextVar("minqing_write_note", default=None)


def noting_writes() -> WriteNote:
    """Start noting write sessions in the current context (an asyncio task); the note."""
    note = WriteNote()
    _WRITE_NOTE.set(note)
    return note


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
        # check_same_thread=False: the hot path's statements may run on the event loop's
        # thread while the connection is checked out (``SqliteLoopReader``,
        # ``SqliteTransaction``), never from two threads at once.
        connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        engine = create_async_engine(url, connect_args=connect_args, **kwargs)
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

    dialect = engine.sync_engine.dialect
    rollback = dialect.do_rollback

    def do_rollback(dbapi_connection: Any) -> None:
        # The pool rolls back every connection handed back to it, although the unit of
        # work has committed: on aiosqlite a thread hand-off per transaction for nothing.
        # SQLite knows whether a transaction is open, and a rollback without one does
        # nothing; with one open (an error, a cancelled task) it rolls back as before.
        driver = getattr(dbapi_connection, "driver_connection", None)
        try:
            idle = isinstance(driver, aiosqlite.Connection) and not driver.in_transaction
        except ValueError:  # closed
            idle = False
        if not idle:
            rollback(dbapi_connection)

    setattr(dialect, "do_rollback", do_rollback)  # noqa: B010 - this engine's dialect only

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Reads take no lock (WAL readers never wait); a writer takes the write lock at
        # once, so that two writers queue instead of failing to upgrade a read lock.
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """The process's database: an engine and a session factory."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = normalise_database_url(url)
        self.engine = create_engine(self.url, **engine_kwargs)
        #: The same pool, for units of work that only read (SQLite: no write lock).
        self.read_engine = self.engine.execution_options(**{READ_ONLY: True})
        self.read_sessionmaker = async_sessionmaker(self.read_engine, expire_on_commit=False)
        self._writer_lock: asyncio.Lock | None = None
        self._writer_loop: asyncio.AbstractEventLoop | None = None
        #: SQLite: the hot path's statements run on the event loop's thread (no hand-off).
        self.hot_on_loop = True

    @functools.cached_property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        """The write sessions' factory, made at the first write session.

        Its sessions are :class:`storage.case_scores.ScoredSession`, which keeps
        the scores' summary in step with the cases they write. Imported here, not
        at the top: that module declares every mapped class (``storage.models``),
        which a command that only reads through Core (``minqing units``) never needs.
        """
        from storage.case_scores import ScoredSession

        return async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=ScoredSession
        )

    @asynccontextmanager
    async def _writer(self) -> AsyncIterator[None]:
        """SQLite: this process's write transactions queue here, in order.

        Without it they queue in SQLite's busy handler, which sleeps (1 ms, then
        up to 100 ms at a time) and wakes in no particular order: with updates
        handled concurrently that was a tail of hundreds of milliseconds at
        moderate load. Another process (a CLI command) is still waited for by the
        busy handler. PostgreSQL: no queue.
        """
        if not self.is_sqlite:
            yield
            return
        loop = asyncio.get_running_loop()
        if self._writer_loop is not loop or self._writer_lock is None:
            self._writer_lock, self._writer_loop = asyncio.Lock(), loop
        async with self._writer_lock:
            yield

    @property
    def is_sqlite(self) -> bool:
        """Whether this is a SQLite database (one process owns the scheduler)."""
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def session(self, *, replay_safe: bool = False) -> AsyncIterator[AsyncSession]:
        """One unit of work that may write: commit on success, roll back on any error.

        On SQLite the transaction takes the write lock at its start (``BEGIN
        IMMEDIATE``). ``replay_safe``: what it writes may be written again
        harmlessly (e.g. a citizen's first-contact row), so it is not noted as
        an effect of the current update (:class:`WriteNote`).
        """
        note = _WRITE_NOTE.get()
        if note is not None and not replay_safe:
            note.wrote = True
        async with self._writer(), self.sessionmaker() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A unit of work that only reads: one snapshot, no write lock (SQLite ``BEGIN``)."""
        async with self.read_sessionmaker() as session, session.begin():
            yield session

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[AsyncConnection]:
        """A short Core write transaction (no ORM session)."""
        async with self._writer(), self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def read_connection(self) -> AsyncIterator[AsyncConnection]:
        """A short Core read transaction without a write lock."""
        async with self.read_engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def hot(self, *, write: bool = True) -> AsyncIterator[HotConnection]:
        """A short transaction for the per-update hot path (the inbox, conversation state).

        PostgreSQL: a Core connection. SQLite: the pooled connection's own
        ``aiosqlite`` connection, used directly — each SQLAlchemy statement on
        aiosqlite costs four thread hand-offs (cursor, execute, fetch, close)
        plus SQLAlchemy's own work, and this path runs several times per
        update; a raw statement costs one, and a write transaction's statements
        travel together (:class:`SqliteTransaction`). The functions taking a
        :data:`HotConnection` (``storage.inbox``, ``storage.state``) write the
        same rows either way. ``write=False`` on SQLite: no transaction is opened,
        so the block must read with one statement (its own consistent snapshot).
        """
        if not self.is_sqlite:
            engine = self.engine if write else self.read_engine
            async with engine.begin() as conn:
                yield conn
            return
        async with self._writer() if write else contextlib.nullcontext():
            # The pool's connection itself, without a SQLAlchemy Connection around it
            # (building and closing one cost more CPU than the statements it ran here).
            pooled = await self.engine.raw_connection()
            try:
                driver = pooled.driver_connection
                assert isinstance(driver, aiosqlite.Connection)
                if not write:
                    # The hot path's reads are one statement each, and a statement outside
                    # BEGIN is its own snapshot: no BEGIN and COMMIT needed.
                    yield SqliteLoopReader(driver) if self.hot_on_loop else driver
                    return
                transaction = SqliteTransaction(driver, on_loop=self.hot_on_loop)
                try:
                    yield transaction
                except BaseException:
                    await transaction.rollback()
                    raise
                try:
                    await transaction.commit()
                except BaseException:
                    await transaction.rollback()
                    raise
            finally:
                # Back to the pool (its reset-on-return rolls back anything left open).
                await greenlet_spawn(pooled.close)

    async def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to ``revision``."""
        async with self.engine.begin() as conn:
            await conn.run_sync(run_alembic, "upgrade", revision)

    async def downgrade(self, revision: str = "base") -> None:
        """Downgrade the schema to ``revision``."""
        async with self.engine.begin() as conn:
            await conn.run_sync(run_alembic, "downgrade", revision)

    async def current_revision(self) -> str | None:
        """The schema revision the database is at, or None before ``minqing init``.

        Read from Alembic's ``alembic_version`` table without importing Alembic
        (every command that opens the database asks this first).
        """
        async with self.read_engine.connect() as conn:
            if not await conn.run_sync(lambda c: inspect(c).has_table("alembic_version")):
                return None
            rows = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        return str(rows[0][0]) if len(rows) == 1 else None

    async def is_up_to_date(self) -> bool:
        """Whether the schema is at the newest migration (:func:`head_revision`)."""
        return await self.current_revision() == head_revision()

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()


def sqlite_time(value: datetime) -> str:
    """A timestamp as SQLAlchemy stores ``UTCDateTime`` in SQLite (UTC, naive, microseconds)."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


async def add_flushed(session: AsyncSession, row: T) -> T:
    """Add a new row to the session and flush it, so that it has its id; the row."""
    session.add(row)
    await session.flush()
    return row


def rowcount(result: Any) -> int:
    """How many rows an UPDATE or DELETE changed (0 where the driver cannot tell).

    ``Session.execute`` is typed to return a plain ``Result``; the ``CursorResult`` a
    DML statement gives has the count.
    """
    return int(getattr(result, "rowcount", 0) or 0)


async def fetch_all(session: AsyncSession, stmt: Select[T], limit: int | None = None) -> list[T]:
    """The rows ``stmt`` selects (one entity or column), at most ``limit`` of them."""
    if limit is not None:
        stmt = stmt.limit(limit)
    return list((await session.scalars(stmt)).all())
