"""Data access for the bot's persisted key/value state (``bot_state`` table)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.db import RAW_SQLITE, HotConnection, sqlite_time
from storage.models import PersistedState, utcnow

_TABLE = cast(Table, PersistedState.__table__)


async def load_state(session: AsyncSession, kind: str, name: str = "") -> dict[str, Any]:
    """All keys of one kind/name, as a dict."""
    rows = await session.scalars(
        select(PersistedState).where(PersistedState.kind == kind, PersistedState.name == name)
    )
    return {row.key: row.value for row in rows}


async def get_state(session: AsyncSession, kind: str, name: str, key: str) -> Any | None:
    """One value, or None."""
    row = await session.get(PersistedState, (kind, name, key))
    return None if row is None else row.value


async def put_state(session: AsyncSession, kind: str, name: str, key: str, value: Any) -> None:
    """Insert or replace one value."""
    row = await session.get(PersistedState, (kind, name, key))
    if row is None:
        session.add(PersistedState(kind=kind, name=name, key=key, value=value))
    else:
        row.value = value
    await session.flush()


async def delete_state(session: AsyncSession, kind: str, name: str, key: str | None = None) -> None:
    """Delete one key, or every key of kind/name when ``key`` is None."""
    stmt = delete(PersistedState).where(PersistedState.kind == kind, PersistedState.name == name)
    if key is not None:
        stmt = stmt.where(PersistedState.key == key)
    await session.execute(stmt)


async def load_keys(
    conn: HotConnection | AsyncSession, wanted: dict[str, set[str]]
) -> Sequence[tuple[str, str, str, Any]]:
    """The rows (kind, name, key, value) of the given keys per kind (all names), in one query.

    ``wanted`` maps a kind to the keys to read, e.g. ``{"user_data": {"42"},
    "conversation": {"[42,42]"}}``: the state of the one user an update concerns.
    A Core query (no ORM objects): it runs for every update.
    """
    if isinstance(conn, RAW_SQLITE):
        sql: list[str] = []
        params: list[str] = []
        for kind, keys in wanted.items():
            if keys:
                sql.append(f'(kind = ? AND "key" IN ({", ".join("?" * len(keys))}))')
                params += [kind, *sorted(keys)]
        if not sql:
            return []
        raw = await conn.execute_fetchall(
            f'SELECT kind, name, "key", value FROM bot_state WHERE {" OR ".join(sql)}', params
        )
        return [(k, n, key, None if v is None else json.loads(v)) for k, n, key, v in raw]
    c = _TABLE.c
    clauses = [
        and_(c.kind == kind, c.key.in_(sorted(keys))) for kind, keys in wanted.items() if keys
    ]
    if not clauses:
        return []
    stmt = select(c.kind, c.name, c.key, c.value).where(or_(*clauses))
    return [(k, n, key, v) for k, n, key, v in (await conn.execute(stmt)).all()]


def dialect_name(conn: AsyncConnection | AsyncSession) -> str:
    """``sqlite`` or ``postgresql``: the backend a connection or session talks to."""
    if isinstance(conn, AsyncConnection):
        return conn.dialect.name
    return conn.get_bind().dialect.name


#: One state change to write: (kind, name, key, value); a value of None deletes the key.
StateWrite = tuple[str, str, str, Any]


async def apply_writes(conn: HotConnection | AsyncSession, writes: list[StateWrite]) -> None:
    """Write state changes in the caller's transaction (upserts and deletes, in order)."""
    if isinstance(conn, RAW_SQLITE):
        for kind, name, key, value in writes:
            if value is None:
                await conn.execute(
                    'DELETE FROM bot_state WHERE kind = ? AND name = ? AND "key" = ?',
                    (kind, name, key),
                )
            else:
                await conn.execute(
                    'INSERT INTO bot_state (kind, name, "key", value, updated_at)'
                    ' VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, name, "key") DO UPDATE'
                    " SET value = excluded.value, updated_at = excluded.updated_at",
                    (kind, name, key, json.dumps(value), sqlite_time(utcnow())),
                )
        return
    # Imported here: the PostgreSQL dialect package costs a command that never uses it
    # (``minqing units`` on SQLite) a tenth of a second of start.
    from sqlalchemy.dialects import postgresql, sqlite

    c = _TABLE.c
    dialect = postgresql if dialect_name(conn) == "postgresql" else sqlite
    for kind, name, key, value in writes:
        where = and_(c.kind == kind, c.name == name, c.key == key)
        if value is None:
            await conn.execute(delete(_TABLE).where(where))
            continue
        now = utcnow()
        stmt = dialect.insert(_TABLE).values(
            kind=kind, name=name, key=key, value=value, updated_at=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["kind", "name", "key"],
            set_={"value": stmt.excluded.value, "updated_at": stmt.excluded.updated_at},
        )
        await conn.execute(stmt)
