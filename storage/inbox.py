"""Data access for the inbox of Telegram updates (``inbound_updates``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import InboundUpdate


async def accept(
    session: AsyncSession,
    *,
    update_id: int,
    payload: dict[str, Any],
    source: str,
    now: datetime,
    lease_until: datetime,
) -> bool:
    """Store a new update, leased to the caller; False if its id was seen before."""
    try:
        async with session.begin_nested():
            session.add(
                InboundUpdate(
                    update_id=update_id,
                    source=source,
                    payload=payload,
                    received_at=now,
                    lease_until=lease_until,
                    attempts=1,
                )
            )
    except IntegrityError:
        return False
    return True


async def mark_processed(session: AsyncSession, update_id: int, now: datetime) -> None:
    """The bot has handled the update: it needs no replay, only its id is kept."""
    await session.execute(
        update(InboundUpdate)
        .where(InboundUpdate.update_id == update_id)
        .values(processed_at=now, payload=None, lease_until=None)
    )


async def claim_unhandled(
    session: AsyncSession,
    *,
    now: datetime,
    lease_until: datetime,
    max_attempts: int,
    limit: int,
    exclude: set[int],
) -> list[tuple[int, dict[str, Any]]]:
    """Lease updates whose handler never finished (lease run out), oldest first."""
    stmt = (
        select(InboundUpdate)
        .where(
            InboundUpdate.processed_at.is_(None),
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
        row.attempts += 1
    await session.flush()
    return [(row.update_id, dict(row.payload or {})) for row in rows]


async def count_unhandled(session: AsyncSession) -> int:
    """Updates taken in and not yet handled (for health)."""
    n = await session.scalar(
        select(func.count()).select_from(InboundUpdate).where(InboundUpdate.processed_at.is_(None))
    )
    return int(n or 0)


async def purge_handled(session: AsyncSession, before: datetime) -> int:
    """Forget handled updates received before ``before`` (Telegram retries within hours)."""
    result = await session.execute(
        delete(InboundUpdate).where(
            InboundUpdate.processed_at.is_not(None), InboundUpdate.received_at < before
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
