"""Queries for health checks and metrics gauges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.enums import OutboxStatus
from storage.inbox import dead_letters
from storage.models import Case, CaseEvent, OutboxMessage, Timer


@dataclass(frozen=True)
class HealthFigures:
    """What ``/healthz`` reports besides reachability."""

    outbox_backlog: int
    oldest_undelivered_at: datetime | None
    timers_overdue: int
    #: Telegram updates given up on (dead letters) and when the oldest was received.
    dead_letters: int = 0
    oldest_dead_letter_at: datetime | None = None


async def ping(session: AsyncSession) -> None:
    """Raise if the database cannot answer."""
    await session.execute(text("SELECT 1"))


async def health_figures(session: AsyncSession, now: datetime) -> HealthFigures:
    """Outbox backlog, its oldest row, and timers that should have fired."""
    undelivered = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
    backlog, oldest = (
        await session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status.in_(undelivered)
            )
        )
    ).one()
    overdue = await session.scalar(
        select(func.count())
        .select_from(Timer)
        .where(Timer.fired_at.is_(None), Timer.cancelled_at.is_(None), Timer.due_at < now)
    )
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    dead, oldest_dead = await dead_letters(session)
    if oldest_dead is not None and oldest_dead.tzinfo is None:
        oldest_dead = oldest_dead.replace(tzinfo=UTC)
    return HealthFigures(
        outbox_backlog=int(backlog or 0),
        oldest_undelivered_at=oldest,
        timers_overdue=int(overdue or 0),
        dead_letters=dead,
        oldest_dead_letter_at=oldest_dead,
    )


async def cases_by_status(session: AsyncSession) -> dict[tuple[str, str], int]:
    """Number of cases per (kind, status)."""
    rows = await session.execute(
        select(Case.kind, Case.status, func.count()).group_by(Case.kind, Case.status)
    )
    return {(kind, status): int(n) for kind, status, n in rows}


async def events_by_type(session: AsyncSession, types: tuple[str, ...]) -> dict[str, int]:
    """How many case events of each of ``types`` were ever written (append-only: monotonic)."""
    rows = await session.execute(
        select(CaseEvent.type, func.count())
        .where(CaseEvent.type.in_(types))
        .group_by(CaseEvent.type)
    )
    counts = {t: 0 for t in types}
    counts.update({str(t): int(n) for t, n in rows})
    return counts
