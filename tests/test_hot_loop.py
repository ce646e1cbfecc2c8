"""The hot path's SQLite statements on the event loop's thread (``storage.db``).

Reads and short write transactions of the hot path run on the loop's thread
instead of aiosqlite's. What a user of the database would check: another
process holding the write lock neither stops the event loop nor loses the
write (it is made once the lock is free), and a read sees what is committed.
The delivery worker's idle poll reads the same next due time as before.
"""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

from storage import inbox as store
from storage import outbox
from storage.db import Database
from storage.enums import OutboxStatus
from storage.models import utcnow
from storage.org import add_citizen_hot, find_person_hot


def _file(url: str) -> Path:
    return Path(url.split(":///", 1)[1])


async def _accept(db: Database, update_id: int) -> bool:
    now = utcnow()
    async with db.hot() as conn:
        return await store.accept(
            conn,
            update_id=update_id,
            payload={"update_id": update_id},
            source="webhook",
            now=now,
            lease_until=now + timedelta(seconds=30),
        )


async def test_a_write_waits_for_another_process_without_stopping_the_loop(
    sqlite_url: str,
) -> None:
    db = Database(sqlite_url)
    await db.migrate()
    other = sqlite3.connect(_file(sqlite_url), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process is writing
        write = asyncio.create_task(_accept(db, 1))
        ticks = 0
        while ticks < 20:  # the loop keeps running while the write waits
            await asyncio.sleep(0)
            ticks += 1
        assert not write.done()
        other.execute("COMMIT")
        assert await write
        assert not await _accept(db, 1)  # written once: the repeat is recognised
    finally:
        other.close()
        await db.dispose()


async def test_a_read_sees_what_is_committed_while_another_process_writes(
    sqlite_url: str,
) -> None:
    db = Database(sqlite_url)
    await db.migrate()
    async with db.hot() as conn:
        await add_citizen_hot(conn, 501, "王五", 501, utcnow())
    other = sqlite3.connect(_file(sqlite_url), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO people (telegram_user_id, chat_id, name, role, active, created_at)"
            " VALUES (502, 502, '赵六', 'citizen', 1, '2026-01-01 00:00:00.000000')"
        )
        async with db.hot(write=False) as conn:
            known = await find_person_hot(conn, 501)
            uncommitted = await find_person_hot(conn, 502)
        assert known is not None and known.name == "王五"
        assert uncommitted is None
        other.execute("COMMIT")
        async with db.hot(write=False) as conn:
            committed = await find_person_hot(conn, 502)
        assert committed is not None and committed.name == "赵六"
    finally:
        other.close()
        await db.dispose()


async def test_a_failed_statement_rolls_the_whole_transaction_back(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    await db.migrate()
    try:
        try:
            async with db.hot() as conn:
                await add_citizen_hot(conn, 601, "孙七", 601, utcnow())
                await conn.execute("INSERT INTO no_such_table VALUES (1)")
        except sqlite3.OperationalError:
            pass
        async with db.hot(write=False) as conn:
            assert await find_person_hot(conn, 601) is None
        assert await _accept(db, 7)  # the connection is usable afterwards
    finally:
        await db.dispose()


async def test_the_idle_delivery_poll_reads_the_same_next_due_time(sqlite_url: str) -> None:
    """``next_due_at_hot`` (the worker's once-a-second question) answers as the ORM query."""
    db = Database(sqlite_url)
    await db.migrate()
    start = utcnow().replace(microsecond=0)
    try:

        async def both() -> tuple[object, object]:
            async with db.read() as session:
                orm = await outbox.next_due_at(session)
            async with db.hot(write=False) as conn:
                hot = await outbox.next_due_at_hot(conn)
            return orm, hot

        assert await both() == (None, None)  # nothing to deliver
        async with db.session() as session:
            await outbox.enqueue(session, chat_id=1, text="甲", now=start + timedelta(minutes=5))
            sending = await outbox.enqueue(session, chat_id=2, text="乙", now=start)
            sending.status = OutboxStatus.SENDING.value
            sending.lease_until = start + timedelta(minutes=2)
        assert await both() == (start + timedelta(minutes=2),) * 2  # the lease runs out first
        async with db.session() as session:
            await outbox.enqueue(session, chat_id=3, text="丙", now=start + timedelta(minutes=1))
        assert await both() == (start + timedelta(minutes=1),) * 2
    finally:
        await db.dispose()
