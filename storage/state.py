"""Data access for the bot's persisted key/value state (``bot_state`` table)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import PersistedState


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


async def load_keys(session: AsyncSession, wanted: dict[str, set[str]]) -> list[PersistedState]:
    """The rows of the given keys per kind (all names), in one query.

    ``wanted`` maps a kind to the keys to read, e.g. ``{"user_data": {"42"},
    "conversation": {"[42,42]"}}``: the state of the one user an update concerns.
    """
    clauses = [
        and_(PersistedState.kind == kind, PersistedState.key.in_(sorted(keys)))
        for kind, keys in wanted.items()
        if keys
    ]
    if not clauses:
        return []
    return list((await session.scalars(select(PersistedState).where(or_(*clauses)))).all())


#: One state change to write: (kind, name, key, value); a value of None deletes the key.
StateWrite = tuple[str, str, str, Any]


async def apply_writes(session: AsyncSession, writes: list[StateWrite]) -> None:
    """Write state changes in the caller's transaction."""
    for kind, name, key, value in writes:
        if value is None:
            await delete_state(session, kind, name, key)
        else:
            await put_state(session, kind, name, key, value)
