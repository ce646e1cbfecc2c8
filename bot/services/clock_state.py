"""The sandbox's clock kept in its database, so every program on that database tells one time.

``minqing sandbox`` runs an :class:`~bot.services.clock.OffsetClock` that its 快进
(fast forward) moves ahead of real time. It records the clock in ``bot_state``: the
time it read (``now``, after each jump: a restart on the same ``--db`` resumes there,
trial 26 T8) and how far it runs ahead of real time (``offset``). A CLI command
pointed at that database (``DATABASE_URL=sqlite+aiosqlite:///sandbox.db minqing
diary add …``) takes its time from here (:func:`clock_for_database`), not from the
real clock (trial 32 D11/D28: a diary entry written after a 快进 into the 28th was
dated a month earlier). A database no sandbox ran on has no such record: the
service's clock is used as before.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.services.clock import Clock, OffsetClock, service_clock
from storage.db import Database
from storage.models import Case, CaseEvent, Timer, utcnow
from storage.state import get_state, put_state

log = logging.getLogger(__name__)

#: The sandbox clock's last reading (an ISO 8601 moment).
CLOCK_STATE = ("sandbox", "clock", "now")
#: How many seconds the sandbox's clock runs ahead of (or behind) real time.
OFFSET_STATE = ("sandbox", "clock", "offset_seconds")


def _aware(when: datetime | None) -> datetime | None:
    return when.replace(tzinfo=UTC) if when is not None and when.tzinfo is None else when


async def save_clock(db: Database, clock: OffsetClock) -> None:
    """Record the sandbox's current time and offset (at start and after each fast forward)."""
    async with db.session() as session:
        await put_state(session, *CLOCK_STATE, clock.now().isoformat())
        await put_state(session, *OFFSET_STATE, clock.offset.total_seconds())


async def resume_clock(db: Database, clock: OffsetClock) -> timedelta:
    """Move ``clock`` forward to the last time this database saw (trial 26 T8).

    The sandbox's clock runs ahead of real time by what the trainee fast
    forwarded; a restart on the same ``--db`` started it again at the real time,
    so a 办结 after the restart was recorded hours *before* the 签收 made before
    it. The clock resumes at the latest of the time saved at the last fast
    forward and the newest case event, case or fired timer, then runs on:
    time never goes backwards in the record. Returns how far it moved.
    """
    async with db.session() as session:
        saved = await get_state(session, *CLOCK_STATE)
        newest = [
            await session.scalar(select(func.max(CaseEvent.created_at))),
            await session.scalar(select(func.max(Case.created_at))),
            await session.scalar(select(func.max(Timer.fired_at))),
        ]
    if isinstance(saved, str):
        try:
            newest.append(datetime.fromisoformat(saved))
        except ValueError:
            log.warning("sandbox clock state unreadable; ignored")
    times = [t for t in (_aware(t) for t in newest) if t is not None]
    behind = max(times) - clock.now() if times else timedelta(0)
    if behind <= timedelta(0):
        return timedelta(0)
    clock.advance(behind)
    return behind


async def clock_for_database(db: Database, start: datetime | None) -> Clock:
    """The clock a program on ``db`` keeps: the sandbox's when a sandbox ran on it.

    A sandbox database: its recorded offset from real time (what the running
    sandbox reads now), and never earlier than the newest time in its record.
    Any other database: :func:`~bot.services.clock.service_clock` of ``start``
    (``MINQING_CLOCK_START``).
    """
    async with db.session() as session:
        saved = await get_state(session, *CLOCK_STATE)
        offset = await get_state(session, *OFFSET_STATE)
    if saved is None and offset is None:
        return service_clock(start)
    clock = OffsetClock(start)
    if isinstance(offset, int | float):
        clock = OffsetClock(utcnow() + timedelta(seconds=float(offset)))
    await resume_clock(db, clock)
    return clock
