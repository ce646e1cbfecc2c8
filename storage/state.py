"""Data access for the bot's persisted key/value state (``bot_state`` table)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
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
