"""Data access for the inbox of Telegram updates (``inbound_updates``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
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
    lease_until: datetime | None,
    attempts: int = 1,
) -> bool:
    """Store a new update, leased to the caller; False if its id was seen before.

    ``attempts`` 0 and ``lease_until`` None: an update held while the bot is down (no
    attempt made yet, claimable at once).
    """
    try:
        async with session.begin_nested():
            session.add(
                InboundUpdate(
                    update_id=update_id,
                    source=source,
                    payload=payload,
                    received_at=now,
                    lease_until=lease_until,
                    attempts=attempts,
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
    return int(getattr(result, "rowcount", 0) or 0)


async def claim_unhandled(
    session: AsyncSession,
    *,
    now: datetime,
    lease_until: datetime,
    max_attempts: int,
    limit: int,
    exclude: set[int],
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
        row.attempts += 1
    await session.flush()
    return [(row.update_id, dict(row.payload or {}), row.attempts) for row in rows]


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
    return int(getattr(result, "rowcount", 0) or 0)
