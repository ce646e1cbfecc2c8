"""The SQLite hot path's raw statements, on aiosqlite's connection itself.

:meth:`storage.db.Database.hot` hands these to the per-update hot path
(``storage.inbox``, ``storage.state``): :class:`SqliteTransaction` for a write
transaction whose statements travel together, :class:`SqliteLoopReader` for a
one-statement read on the event loop's thread. Both use the pooled
connection's ``aiosqlite`` connection and its ``sqlite3`` connection directly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

import aiosqlite

SQLITE_BUSY_TIMEOUT_MS = 10_000


class SqliteTransaction:
    """A SQLite write transaction of the hot path whose statements travel together.

    Every statement on ``aiosqlite`` is a hand-off to the connection's thread and
    back (a queue put, a thread wake-up, a write to the event loop's self-pipe):
    about as much CPU as the statement itself. An update's accepting transaction
    ran five to seven of them (``BEGIN``, the inbox row, a first contact's
    ``people`` row, the carried settlings' marks and state, ``COMMIT``). Here a
    statement whose result nobody reads (:meth:`execute`) waits, and goes with the
    next one that is read (:meth:`execute_fetchall`) or with ``COMMIT``, in one
    hand-off: ``BEGIN IMMEDIATE`` and the first read together, the rest and
    ``COMMIT`` together. The statements, their order and the transaction are
    those of a plain connection; a failing statement fails the whole transaction
    (rolled back by :meth:`storage.db.Database.hot`), as before.
    """

    def __init__(self, driver: aiosqlite.Connection, *, on_loop: bool = False) -> None:
        self.driver = driver
        self._pending: list[tuple[str, Sequence[Any]]] = [("BEGIN IMMEDIATE", ())]
        self._sent = False
        #: Statements run on the event loop's thread (see ``storage.db.Database.hot_on_loop``).
        self._on_loop = on_loop

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        """Queue a statement whose result is not read; it runs in order, by commit at the latest."""
        self._pending.append((sql, parameters))

    async def execute_fetchall(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """Run the queued statements and this one, and return this one's rows."""
        return await self._send((sql, parameters))

    async def commit(self) -> None:
        """Run what is queued and ``COMMIT`` (nothing at all if nothing was ever queued)."""
        if not self._sent and len(self._pending) == 1:
            return  # no statement: no transaction to open or commit
        self._pending.append(("COMMIT", ()))
        await self._send(None)

    async def rollback(self) -> None:
        """Drop what is queued and roll back what was sent."""
        self._pending = []
        if self._sent:
            if self._on_loop:
                raw = self.driver._conn
                if raw is not None and raw.in_transaction:
                    raw.execute("ROLLBACK")
                return
            await self.driver.rollback()

    async def _send(self, fetch: tuple[str, Sequence[Any]] | None) -> list[Any]:
        if self._on_loop and not self._sent:
            # The transaction's first hand-off: take the write lock without waiting. Only
            # another process can hold it here (this process's writers queue on
            # ``storage.db.Database._writer``); then the whole transaction goes to the
            # driver's thread, where SQLite's busy handler may wait without stopping the
            # event loop.
            raw = self.driver._conn
            assert raw is not None
            if not _begin_immediate_now(raw):
                self._on_loop = False
            else:
                self._pending.pop(0)  # BEGIN IMMEDIATE: done
        if self._on_loop:
            statements, self._pending = self._pending, []
            self._sent = True
            raw = self.driver._conn
            assert raw is not None
            for sql, parameters in statements:
                raw.execute(sql, parameters)
            return [] if fetch is None else raw.execute(*fetch).fetchall()
        statements, self._pending = self._pending, []
        self._sent = True
        raw = self.driver._conn  # the driver's sqlite3 connection, used on its own thread

        def run() -> list[Any]:
            for sql, parameters in statements:
                raw.execute(sql, parameters)
            return [] if fetch is None else raw.execute(*fetch).fetchall()

        # aiosqlite's own hand-off (its public methods are one statement each).
        hand_off = cast(
            Callable[[Callable[[], list[Any]]], Awaitable[list[Any]]], self.driver._execute
        )
        return await hand_off(run)


def _begin_immediate_now(raw: sqlite3.Connection) -> bool:
    """``BEGIN IMMEDIATE`` without waiting for another process's write lock; False if busy."""
    raw.execute("PRAGMA busy_timeout=0")
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc):
            raise
        return False
    finally:
        raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    return True


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return bool(code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED))
    return "locked" in str(exc) or "busy" in str(exc)


class SqliteLoopReader:
    """A hot read of one statement, run on the event loop's own thread.

    A read is a few tens of microseconds of SQLite; handing it to aiosqlite's
    thread and back (a queue put, a thread wake-up, a write to the loop's
    self-pipe, two context switches) cost more CPU than the read. A WAL reader
    takes no lock that a writer holds, so it does not wait; should SQLite still
    answer "busy" (a WAL reset or recovery by another process), the read is
    made on the driver's thread instead, where its busy handler may wait
    without stopping the event loop. Safe because the pooled connection is
    this caller's alone while it is checked out (the driver's thread is idle)
    and the connection is opened with ``check_same_thread=False``.
    """

    def __init__(self, driver: aiosqlite.Connection) -> None:
        self.driver = driver

    async def execute_fetchall(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """This statement's rows (its own snapshot: no transaction is open)."""
        raw = self.driver._conn
        assert raw is not None
        raw.execute("PRAGMA busy_timeout=0")
        try:
            return raw.execute(sql, parameters).fetchall()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
        finally:
            raw.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        return list(await self.driver.execute_fetchall(sql, parameters))

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        """One statement whose rows are not read (a read-only block never writes)."""
        await self.execute_fetchall(sql, parameters)
