"""Data access for the inbox of Telegram updates (``inbound_updates``)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import RAW_SQLITE, HotConnection, rowcount, sqlite_time
from storage.models import InboundUpdate
from storage.state import dialect_name

_TABLE = cast(Table, InboundUpdate.__table__)


async def accept(
    conn: HotConnection,
    *,
    update_id: int,
    payload: dict[str, Any],
    source: str,
    now: datetime,
    lease_until: datetime | None,
    attempts: int = 1,
    owner: str | None = None,
) -> bool:
    """Store a new update, leased to the caller; False if its id was seen before.

    One statement (``INSERT … ON CONFLICT DO NOTHING RETURNING``), no ORM
    unit of work and no savepoint: this runs for every update Telegram sends.
    ``attempts`` 0 and ``lease_until`` None: an update held while the bot is down (no
    attempt made yet, claimable at once).
    """
    if isinstance(conn, RAW_SQLITE):
        rows = await conn.execute_fetchall(
            "INSERT INTO inbound_updates (update_id, source, payload, received_at, lease_until,"
            " attempts, lease_owner) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (update_id)"
            " DO NOTHING RETURNING update_id",
            (
                update_id,
                source,
                json.dumps(payload),
                sqlite_time(now),
                None if lease_until is None else sqlite_time(lease_until),
                attempts,
                owner,
            ),
        )
        return bool(list(rows))
    dialect = postgresql if dialect_name(conn) == "postgresql" else sqlite
    stmt = (
        dialect.insert(_TABLE)
        .values(
            update_id=update_id,
            source=source,
            payload=payload,
            received_at=now,
            lease_until=lease_until,
            attempts=attempts,
            lease_owner=owner,
        )
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(_TABLE.c.update_id)
    )
    return (await conn.execute(stmt)).first() is not None


async def mark_processed(conn: HotConnection, update_ids: Collection[int], now: datetime) -> None:
    """The bot has handled these updates: they need no replay, only their ids are kept."""
    if not update_ids:
        return
    ids = sorted(update_ids)
    if isinstance(conn, RAW_SQLITE):
        marks = ", ".join("?" * len(ids))
        await conn.execute(
            "UPDATE inbound_updates SET processed_at = ?, payload = NULL, lease_until = NULL"
            f" WHERE update_id IN ({marks})",
            (sqlite_time(now), *ids),
        )
        return
    where = _TABLE.c.update_id == ids[0] if len(ids) == 1 else _TABLE.c.update_id.in_(ids)
    await conn.execute(
        update(_TABLE).where(where).values(processed_at=now, payload=None, lease_until=None)
    )


async def retry_later(
    session: AsyncSession, update_id: int, *, lease_until: datetime, error: str
) -> None:
    """A handler failed for a transient reason: hand the update back after ``lease_until``."""
    await session.execute(
        update(InboundUpdate)
        .where(InboundUpdate.update_id == update_id, InboundUpdate.processed_at.is_(None))
        .values(lease_until=lease_until, last_error=error[:120])
    )


async def dead_letter(session: AsyncSession, update_id: int, *, now: datetime, error: str) -> None:
    """Give up on an update: kept with its payload for an operator, never replayed."""
    await session.execute(
        update(InboundUpdate)
        .where(InboundUpdate.update_id == update_id, InboundUpdate.processed_at.is_(None))
        .values(dead_at=now, lease_until=None, last_error=error[:120])
    )


def _unhandled() -> Any:
    return and_(InboundUpdate.processed_at.is_(None), InboundUpdate.dead_at.is_(None))


async def dead_letter_exhausted(
    session: AsyncSession, *, now: datetime, max_attempts: int, exclude: set[int]
) -> int:
    """Dead-letter updates whose every attempt ran out its lease (each killed its process)."""
    stmt = (
        update(InboundUpdate)
        .where(
            _unhandled(),
            InboundUpdate.attempts >= max_attempts,
            or_(InboundUpdate.lease_until.is_(None), InboundUpdate.lease_until < now),
        )
        .values(dead_at=now, lease_until=None, last_error="attempts exhausted")
    )
    if exclude:
        stmt = stmt.where(InboundUpdate.update_id.not_in(exclude))
    result = await session.execute(stmt)
    return rowcount(result)


async def claim_unhandled(
    session: AsyncSession,
    *,
    now: datetime,
    lease_until: datetime,
    max_attempts: int,
    limit: int,
    exclude: set[int],
    owner: str | None = None,
) -> list[tuple[int, dict[str, Any], int]]:
    """Lease updates whose handler never finished (lease run out), oldest first.

    Returns (update id, payload, attempts so far including this one) for each.
    """
    stmt = (
        select(InboundUpdate)
        .where(
            _unhandled(),
            InboundUpdate.payload.is_not(None),
            or_(InboundUpdate.lease_until.is_(None), InboundUpdate.lease_until < now),
            InboundUpdate.attempts < max_attempts,
        )
        .order_by(InboundUpdate.update_id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if exclude:
        stmt = stmt.where(InboundUpdate.update_id.not_in(exclude))
    rows = list((await session.scalars(stmt)).all())
    for row in rows:
        row.lease_until = lease_until
        row.lease_owner = owner
        row.attempts += 1
    await session.flush()
    return [(row.update_id, dict(row.payload or {}), row.attempts) for row in rows]


async def lease_owners(session: AsyncSession, *, now: datetime, prefix: str) -> list[str]:
    """Owners (starting with ``prefix``) of unhandled updates whose lease still runs."""
    rows = await session.scalars(
        select(InboundUpdate.lease_owner)
        .where(
            _unhandled(),
            InboundUpdate.lease_owner.startswith(prefix, autoescape=True),
            InboundUpdate.lease_until >= now,
        )
        .distinct()
    )
    return [str(owner) for owner in rows.all() if owner]


async def release_leases(session: AsyncSession, owners: Collection[str]) -> int:
    """End the leases of ``owners``' unhandled updates now (their process is gone).

    The attempt each of them made stays counted: an update that kills every process
    handling it is still dead-lettered after ``max_attempts``.
    """
    if not owners:
        return 0
    result = await session.execute(
        update(InboundUpdate)
        .where(_unhandled(), InboundUpdate.lease_owner.in_(sorted(owners)))
        .values(lease_until=None, lease_owner=None)
    )
    return rowcount(result)


async def last_update_id(session: AsyncSession) -> int:
    """The highest update id taken in (0 when none is stored)."""
    n = await session.scalar(select(func.max(InboundUpdate.update_id)))
    return int(n or 0)


async def count_unhandled(session: AsyncSession) -> int:
    """Updates taken in and not yet handled nor dead-lettered (for health)."""
    n = await session.scalar(select(func.count()).select_from(InboundUpdate).where(_unhandled()))
    return int(n or 0)


async def dead_letters(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many updates are dead-lettered, and when the oldest of them was received."""
    n, oldest = (
        await session.execute(
            select(func.count(), func.min(InboundUpdate.received_at)).where(
                InboundUpdate.processed_at.is_(None), InboundUpdate.dead_at.is_not(None)
            )
        )
    ).one()
    return int(n or 0), oldest


async def purge_handled(session: AsyncSession, before: datetime) -> int:
    """Forget handled updates received before ``before`` (Telegram retries within hours)."""
    result = await session.execute(
        delete(InboundUpdate).where(
            InboundUpdate.processed_at.is_not(None), InboundUpdate.received_at < before
        )
    )
    return rowcount(result)
