"""Dead letters for the district office: list them, retry one, or close one as handled.

An update is dead-lettered by :mod:`storage.inbox` (out of attempts, or unparseable) and
counted on ``/healthz``. The dashboard's dead-letter page lists the open ones with what
their sender wrote, and lets the district office hand one back to the bot (a retry: no
attempt counted, claimable at once by the next replay) or close it as handled by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import rowcount
from storage.models import InboundUpdate


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """One open dead letter (its payload as stored)."""

    update_id: int
    source: str
    received_at: datetime
    dead_at: datetime
    attempts: int
    last_error: str | None
    payload: dict[str, Any] | None


def _open() -> Any:
    return (InboundUpdate.dead_at.is_not(None), InboundUpdate.processed_at.is_(None))


async def open_dead_letters(session: AsyncSession, limit: int = 200) -> list[DeadLetter]:
    """The open dead letters, newest first."""
    rows = await session.scalars(
        select(InboundUpdate)
        .where(*_open())
        .order_by(InboundUpdate.dead_at.desc(), InboundUpdate.update_id.desc())
        .limit(limit)
    )
    return [_letter(r) for r in rows]


def _letter(r: InboundUpdate) -> DeadLetter:
    return DeadLetter(
        update_id=r.update_id,
        source=r.source,
        received_at=r.received_at,
        dead_at=r.dead_at or r.received_at,
        attempts=r.attempts,
        last_error=r.last_error,
        payload=r.payload,
    )


async def get_open(session: AsyncSession, update_id: int) -> DeadLetter | None:
    """One open dead letter, or None (no such update, or not an open dead letter)."""
    row = await session.scalar(
        select(InboundUpdate).where(InboundUpdate.update_id == update_id, *_open())
    )
    return None if row is None else _letter(row)


async def requeue(session: AsyncSession, update_id: int) -> bool:
    """Hand an open dead letter back to the bot: claimable at once, no attempt counted."""
    result = await session.execute(
        update(InboundUpdate)
        .where(InboundUpdate.update_id == update_id, *_open())
        .values(dead_at=None, attempts=0, lease_until=None)
    )
    return rowcount(result) > 0


async def close_handled(session: AsyncSession, update_id: int, now: datetime) -> bool:
    """Close an open dead letter as handled by hand (its payload is dropped like any)."""
    result = await session.execute(
        update(InboundUpdate)
        .where(InboundUpdate.update_id == update_id, *_open())
        .values(processed_at=now, payload=None, lease_until=None)
    )
    return rowcount(result) > 0
